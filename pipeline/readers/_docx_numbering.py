"""DOCX list numbering: numbering.xml's list definitions and counters, and the labels Word shows.

Word keeps automatic numbering out of the paragraph text; `Numbering.label` rebuilds the visible
label ("1. ", "一、", "a) ", "• ") from the list definitions, the paragraph's own numbering
properties and those of its style chain, counting as Word counts. `format_number` writes one
counter in a w:numFmt. The reader (`readers/docx.py`) puts the label in front of the paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

# WordprocessingML element and attribute names, shared with the reader
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


VAL = w("val")


class StyleNumbering(Protocol):
    """What the numbering needs of the document's styles (the reader's style table)."""

    def numbering(self, style_id: str | None) -> tuple[str | None, str | None]: ...


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    restart: int | None = None
    legal: bool = False
    style: str | None = None


class Numbering:
    """numbering.xml: list definitions and the running counters of each list."""

    def __init__(self, document, styles: StyleNumbering):
        self.styles = styles
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        root = _numbering_root(document)
        if root is None:
            return
        links: dict[str, str] = {}
        for abstract in root.findall(w("abstractNum")):
            abstract_id = abstract.get(w("abstractNumId"))
            self.abstract[abstract_id] = {int(l.get(w("ilvl"), "0")): _level(l) for l in abstract.findall(w("lvl"))}
            link = abstract.find(w("numStyleLink"))
            if link is not None:
                links[abstract_id] = link.get(VAL)
        for num in root.findall(w("num")):
            ref = num.find(w("abstractNumId"))
            if ref is None:
                continue
            levels: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for override in num.findall(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl"), "0"))
                start = override.find(w("startOverride"))
                if start is not None and start.get(VAL, "").lstrip("-").isdigit():
                    starts[ilvl] = int(start.get(VAL))
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.nums[num.get(w("numId"))] = (ref.get(VAL), levels, starts)
        # A list style's abstract definition only points at the style, whose numId holds the levels.
        for abstract_id, style_id in links.items():
            num_id, _ = styles.numbering(style_id)
            if num_id in self.nums and self.nums[num_id][0] != abstract_id:
                self.abstract[abstract_id] = self.abstract.get(self.nums[num_id][0], {})

    def label(self, p, style_id: str | None) -> str:
        """The visible list label of paragraph `p` with its separator ("1. ", "一、", "- "), or ""."""
        num_pr = p.find(f"{w('pPr')}/{w('numPr')}")
        num_id = ilvl = None
        if num_pr is not None:
            if num_pr.find(w("numId")) is not None:
                num_id = num_pr.find(w("numId")).get(VAL)
            if num_pr.find(w("ilvl")) is not None:
                ilvl = num_pr.find(w("ilvl")).get(VAL)
        from_style = num_id is None
        if from_style:
            num_id, style_ilvl = self.styles.numbering(style_id)
            ilvl = ilvl or style_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides, starts = self.nums[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        if ilvl is None and from_style:
            # a level tied to the paragraph's style (headings linked to a multilevel list)
            ilvl = next((str(i) for i, lvl in levels.items() if lvl.style == style_id), None)
        level = int(ilvl) if ilvl and ilvl.isdigit() else 0
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for i, start in starts.items():
                if 0 <= i < 9:
                    counters[i] = start - 1
                    counters[i + 1 :] = [None] * (8 - i)
        current = counters[level]
        counters[level] = levels[level].start if current is None else current + 1
        for deeper in range(level + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and level < restart):
                counters[deeper] = None
        return _format_label(levels, counters, level)


def _numbering_root(document):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        return None


def _level(lvl) -> _Level:
    def val(tag: str) -> str | None:
        found = lvl.find(w(tag))
        return found.get(VAL) if found is not None else None

    start = val("start")
    restart = val("lvlRestart")
    is_legal = lvl.find(w("isLgl"))
    return _Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",
        suffix=val("suff") or "tab",
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=is_legal is not None and is_legal.get(VAL, "true") not in ("0", "false", "off"),
        style=val("pStyle"),
    )


def _format_label(levels: dict[int, _Level], counters: list[int | None], level: int) -> str:
    lvl = levels[level]
    if lvl.fmt == "none":
        text = re.sub(r"%[1-9]", "", lvl.text)
    elif lvl.fmt == "bullet":
        text = "".join(BULLETS.get(c, c) if c.strip() else c for c in lvl.text) or "•"
        if "\uf000" <= text[:1] <= "\uf0ff":
            text = "•"
    else:

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            shown = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else shown.start
            fmt = "decimal" if lvl.legal else shown.fmt
            return format_number(value, fmt)

        text = re.sub(r"%([1-9])", number, lvl.text)
    text = text.strip()
    if not text:
        return ""
    # Word puts a tab after the number; as text a space, or nothing after CJK punctuation ("一、")
    return text if lvl.suffix == "nothing" or text[-1] in _CJK_CLOSING else text + " "


_CJK_CLOSING = "、）．：。」】"
# Symbol and Wingdings bullets sit in the private-use area.
BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "\uf076": "❖", "\uf0a8": "•",
            "\uf02d": "-", "\uf0be": "—", "\uf0e0": "→", "·": "•", "o": "◦"}

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_VI_NUMBERS = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]
_IDEOGRAPH_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_IDEOGRAPH_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"


def format_number(value: int, fmt: str) -> str:
    """A list counter as Word displays it in the given w:numFmt.

    Args:
        value: the counter (Word counts from w:start, usually 1).
        fmt: the w:numFmt value: decimal, decimalZero, upperRoman, lowerRoman, upperLetter,
            lowerLetter, chineseCounting (and chineseCountingThousand, japaneseCounting,
            taiwaneseCounting), chineseLegalSimplified, ideographTraditional, ideographZodiac,
            decimalEnclosedCircle, decimalFullWidth, vietnameseCounting; others print as decimal.
    Returns:
        The number as text.

    >>> format_number(4, "upperRoman"), format_number(12, "chineseCounting"), format_number(28, "lowerLetter")
    ('IV', '十二', 'bb')
    """
    if fmt in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter") and value > 0:
        letters = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographDigital") and 0 <= value < 100000:
        return _chinese(value, _ZH_DIGITS, "十百千万") if fmt != "ideographDigital" else "".join(
            _ZH_DIGITS[int(d)] for d in str(value)).replace("零", "〇")
    if fmt == "chineseLegalSimplified" and 0 <= value < 100000:
        return _chinese(value, _ZH_LEGAL, "拾佰仟万", legal=True)
    if fmt == "ideographTraditional" and 0 < value <= 10:
        return _IDEOGRAPH_TRADITIONAL[value - 1]
    if fmt == "ideographZodiac" and 0 < value <= 12:
        return _IDEOGRAPH_ZODIAC[value - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < value <= 20:
        return chr(0x2460 + value - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero" and 0 <= value < 10:
        return f"0{value}"
    if fmt == "vietnameseCounting" and 0 < value <= 10:
        return _VI_NUMBERS[value]
    return str(value)


def _roman(value: int) -> str:
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)


def _chinese(value: int, digits: str, units: str, legal: bool = False) -> str:
    """Chinese counting numerals below 100,000: 12 → 十二, 105 → 一百零五."""
    if value == 0:
        return digits[0]
    parts = []
    zero = False
    for power, unit in ((10000, units[3]), (1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit, value = divmod(value, power)
        if digit:
            if zero:
                parts.append(digits[0])
            parts.append(digits[digit] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    # 10-19 read 十, 十一 ... in ordinary counting, not 一十
    if not legal and text.startswith(digits[1] + units[0]):
        text = text[1:]
    return text
