"""DOCX reader: body paragraphs and tables in document order, with Word's list numbers written out.

Word keeps automatic numbering out of the paragraph text ("Mục tiêu" numbered "1." by Word is
stored as "Mục tiêu" plus a reference into numbering.xml). The segmenter finds sections by the
labels at line starts ("Điều 5.", "I.", "1.", "一、"), so the visible label is rebuilt from the
numbering definitions and put back in front of the text: "1. Mục tiêu". Bullets become the
bullet character ("- ", "• ").

Layout: paragraphs are separated by blank lines, as in the project's text files (the language
of each paragraph is detected on its own, and a short unpunctuated paragraph reads as a heading).
A text-wrapping line break stays a line break. A table row whose cells hold one paragraph
each is one line, cells joined by " | ", and a table's consecutive such rows form one
paragraph; other rows give each cell's paragraphs as paragraphs (a layout table wrapping the
body reads like the body). Text boxes follow their paragraph. Headers, footers, footnotes,
comments and deleted revisions are left out.

Runs set in a legacy Vietnamese font (.VnTime and other ".Vn" fonts: TCVN3; "VNI-" fonts: VNI)
are converted to Unicode; the ".Vn...H" upper-case fonts are upper-cased as they display.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..errors import EmptyDocument, ExtractionFailed
from ..types import Document
from ._common import first_line, is_blank, meaningful_title
from ._vietnamese_legacy import convert, fix_legacy_text

EXTENSIONS = (".docx",)
PARAGRAPH_SEPARATOR = "\n\n"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _R, _T, _TBL, _TR, _TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
_VAL = _w("val")
# Subtrees whose text is not part of the paragraph: the fallback copy of alternate content,
# text boxes (read separately), deleted and moved-away revisions, field codes, footnote marks.
_SKIPPED = {
    f"{{{_MC}}}Fallback", _w("txbxContent"), _w("del"), _w("moveFrom"), _w("instrText"),
    _w("pPr"), _w("rPr"), _w("footnoteReference"), _w("endnoteReference"), _w("commentReference"),
}
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def read(path: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Document]:
    """Read a .docx file as one Document.

    Args:
        path: the file.
        on_error: unused; a DOCX is one document, so any failure raises.
    Returns:
        An iterator over one Document. `meta` holds "format": "docx", "headings" (a list of
        [level, text], level 0 for the Title style), "tables" (how many), the core properties
        "title", "author", "created" (ISO 8601) when set, and "encoding" ("tcvn3", "vni") when
        legacy-font text was converted.
    Raises:
        ExtractionFailed: not a ZIP package (truncated, an old .doc, encrypted) or a corrupt one.
        EmptyDocument: the document body holds no text.
    """
    document = _open(path)
    body = _Body(document)
    try:
        body.read(document.element.body)
    except (KeyError, ValueError, AttributeError) as err:
        raise ExtractionFailed(f"corrupt DOCX ({type(err).__name__}: {err})") from err
    text = body.text()
    if is_blank(text):
        raise EmptyDocument("the DOCX holds no text")
    meta: dict = {"format": "docx"}
    encoding = sorted(body.encodings)
    if not encoding:
        text, legacy = fix_legacy_text(text)
        encoding = [legacy] if legacy else []
    meta.update(_core_properties(document))
    meta["headings"] = [[level, heading] for level, heading in body.headings]
    meta["tables"] = body.tables
    if encoding:
        meta["encoding"] = "+".join(encoding)
    title = meaningful_title(meta.get("title", "")) or _heading_title(text, body.headings)
    yield Document(id="", text=text, source=str(path), title=title, meta=meta)


def _heading_title(text: str, headings: list[tuple[int, str]]) -> str:
    """The first heading as a title (joined with the next line if it is a bare "NGHỊ QUYẾT"), else the first line."""
    start = text.find(headings[0][1]) if headings else -1
    return first_line(text[start:] if start >= 0 else text)


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionFailed(
            "not a DOCX package: an old Word .doc, or a password-protected DOCX; "
            "save it as .docx without a password"
        )
    if not zipfile.is_zipfile(path):
        raise ExtractionFailed("corrupt or truncated DOCX (not a readable ZIP package)")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, EOFError) as err:
        raise ExtractionFailed(f"corrupt or truncated DOCX ({type(err).__name__}: {err})") from err
    except zipfile.LargeZipFile as err:
        raise ExtractionFailed(f"cannot read the DOCX ({err})") from err


def _core_properties(document) -> dict:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    # python-docx makes up defaults (title "Word Document") for a package without the part
    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in document.part.package.rels.values()):
        return {}
    props = document.core_properties
    found = {}
    if props.title and props.title.strip():
        found["title"] = " ".join(props.title.split())
    if props.author and props.author.strip():
        found["author"] = props.author.strip()
    if props.created is not None:
        found["created"] = props.created.isoformat()
    return found


# ---------------------------------------------------------------- the body


@dataclass
class _Body:
    """Walks the body in document order and collects its paragraphs."""

    document: object
    blocks: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    tables: int = 0
    encodings: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.styles = _Styles(self.document)
        self.numbering = _Numbering(self.document, self.styles)

    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(block for block in self.blocks if not is_blank(block))

    def read(self, element) -> None:
        """Read the block-level children of `element` (the body, a cell, a content control)."""
        for child in element:
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag in (_w("sdt"), _w("customXml")):
                content = child.find(_w("sdtContent"))
                self.read(content if content is not None else child)
            elif child.tag == f"{{{_MC}}}AlternateContent":
                choice = child.find(f"{{{_MC}}}Choice")
                if choice is not None:
                    self.read(choice)

    def paragraph(self, p, in_row: bool = False) -> str:
        """Add one paragraph (and its text boxes); returns its text with its label ("" if empty).

        In a table row the text is returned, not added, and line breaks become spaces.
        """
        style_id = self.styles.paragraph_style(p)
        text = self.paragraph_text(p, style_id)
        # an empty numbered paragraph still takes its number, as Word shows it
        label = self.numbering.label(p, style_id)
        line = ""
        if not is_blank(text):
            line = label + (" ".join(text.split()) if in_row else text.strip())
            if not in_row:
                level = self.styles.heading_level(p, style_id)
                if level is not None:
                    self.headings.append((level, " ".join(line.split())))
                self.blocks.append(line)
        for box in _text_boxes(p):
            self.read(box)
        return line

    def paragraph_text(self, p, style_id: str | None) -> str:
        """The paragraph's text, legacy-font runs converted."""
        pieces: list[tuple[str, tuple[str, bool] | None]] = []
        for run in _runs(p):
            text = _run_text(run)
            if text:
                pieces.append((text, self.styles.legacy_font(run, style_id)))
        out: list[str] = []
        for legacy, group in _groups(pieces):
            text = "".join(group)
            if legacy is not None:
                encoding, upper = legacy
                text = convert(text, encoding)
                text = text.upper() if upper else text
                self.encodings.add(encoding)
            out.append(text)
        return "".join(out)

    def table(self, tbl) -> None:
        self.tables += 1
        rows: list[str] = []
        for tr in tbl.iter(_TR):
            if _owner_table(tr) is not tbl:
                continue
            cells = _unique_cells(tr)
            if all(_is_simple_cell(tc) for tc in cells):
                row = " | ".join(line for line in map(self._cell_line, cells) if line)
                if row:
                    rows.append(row)
                continue
            self.blocks.append("\n".join(rows))
            rows = []
            for tc in cells:
                self.read(tc)
        self.blocks.append("\n".join(rows))

    def _cell_line(self, tc) -> str:
        lines = [self.paragraph(p, in_row=True) for p in tc.iter(_P)]
        return next((line for line in lines if line), "")


def _is_simple_cell(tc) -> bool:
    """A cell with at most one non-empty paragraph and no nested table."""
    filled = 0
    for child in tc:
        if child.tag == _TBL or child.tag == _w("sdt"):
            return False
        if child.tag == _P and not is_blank("".join(t.text or "" for t in child.iter(_T))):
            filled += 1
    return filled <= 1


def _text_boxes(p) -> list:
    """The paragraph's outermost text boxes, once each (not the VML fallback copy)."""
    boxes = []
    for box in p.iter(_w("txbxContent")):
        parent = box.getparent()
        while parent is not None and parent is not p and parent.tag not in (_w("txbxContent"), f"{{{_MC}}}Fallback"):
            parent = parent.getparent()
        if parent is p:
            boxes.append(box)
    return boxes


def _owner_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _unique_cells(tr) -> list:
    """The row's cells once each (a vertically merged continuation cell is left out)."""
    cells = []
    for tc in tr.findall(_TC):
        merge = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
        if merge is not None and merge.get(_VAL) in (None, "continue"):
            continue
        cells.append(tc)
    return cells


def _runs(p) -> Iterator:
    """The paragraph's runs in order, through hyperlinks, fields, smart tags and insertions."""
    stack = list(reversed(list(p)))
    while stack:
        element = stack.pop()
        if element.tag in _SKIPPED:
            continue
        if element.tag == _R:
            yield element
        elif element.tag != _P:
            stack.extend(reversed(list(element)))


def _run_text(run) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag == _w("tab") or tag == _w("ptab"):
            out.append("\t")
        elif tag in (_w("br"), _w("cr")):
            # a page or column break is not a line of text; a text-wrapping break is
            out.append("\n" if child.get(_w("type")) in (None, "textWrapping") else "")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
        elif tag == _w("sym"):
            out.append(_symbol(child.get(_w("char"), "")))
    return "".join(out)


def _symbol(code: str) -> str:
    try:
        char = chr(int(code, 16))
    except ValueError:
        return ""
    return _BULLETS.get(char, "") if "\uf000" <= char <= "\uf0ff" else char


def _groups(pieces):
    """Consecutive pieces with the same legacy font, joined: VNI marks may sit in the next run."""
    group: list[str] = []
    current = None
    for text, legacy in pieces:
        if group and legacy != current:
            yield current, group
            group = []
        current = legacy
        group.append(text)
    if group:
        yield current, group


# ---------------------------------------------------------------- styles


class _Styles:
    """Paragraph and character styles: heading levels, fonts and numbering, following basedOn."""

    def __init__(self, document):
        root = document.styles.element
        self.by_id = {s.get(_w("styleId")): s for s in root.findall(_w("style"))}
        self.default_paragraph = next(
            (sid for sid, s in self.by_id.items() if s.get(_w("type")) == "paragraph" and s.get(_w("default")) == "1"),
            None,
        )
        defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self.default_font = _font_name(defaults)

    def paragraph_style(self, p) -> str | None:
        style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        return style.get(_VAL) if style is not None else self.default_paragraph

    def chain(self, style_id: str | None) -> Iterator:
        """The style and the styles it is based on, nearest first."""
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(_w("basedOn"))
            style_id = based.get(_VAL) if based is not None else None

    def heading_level(self, p, style_id: str | None) -> int | None:
        """0 for Title, N for Heading N or outline level N-1; None for body text."""
        for style in [None, *self.chain(style_id)]:
            if style is not None:
                name = (style.find(_w("name")).get(_VAL, "") if style.find(_w("name")) is not None else "")
                if name.lower() == "title":
                    return 0
                m = _HEADING_STYLE.match(name)
                if m:
                    return int(m.group(1))
            outline = (p if style is None else style).find(f"{_w('pPr')}/{_w('outlineLvl')}")
            if outline is not None and outline.get(_VAL, "").isdigit() and int(outline.get(_VAL)) < 9:
                return int(outline.get(_VAL)) + 1
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, str | None]:
        """(numId, ilvl) from the paragraph style chain, each None when not set."""
        num_id = ilvl = None
        for style in self.chain(style_id):
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            if num_pr is None:
                continue
            if num_id is None and num_pr.find(_w("numId")) is not None:
                num_id = num_pr.find(_w("numId")).get(_VAL)
            if ilvl is None and num_pr.find(_w("ilvl")) is not None:
                ilvl = num_pr.find(_w("ilvl")).get(_VAL)
        return num_id, ilvl

    def _run_holders(self, run, style_id: str | None) -> Iterator:
        """Where a run property can come from: the run, its character style, the paragraph style."""
        rpr = run.find(_w("rPr"))
        if rpr is not None:
            yield rpr
            rstyle = rpr.find(_w("rStyle"))
            if rstyle is not None:
                for style in self.chain(rstyle.get(_VAL)):
                    yield style.find(_w("rPr"))
        for style in self.chain(style_id):
            yield style.find(_w("rPr"))

    def legacy_font(self, run, style_id: str | None) -> tuple[str, bool] | None:
        """("tcvn3" or "vni", upper-case font) when the run is set in a legacy Vietnamese font."""
        name = None
        for holder in self._run_holders(run, style_id):
            name = _font_name(holder)
            if name:
                break
        return _legacy_encoding(name or self.default_font or "")


def _font_name(rpr) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        return None
    # Word draws characters above ASCII, where the Vietnamese letters are, in the hAnsi font
    return fonts.get(_w("hAnsi")) or fonts.get(_w("ascii"))


def _legacy_encoding(font: str) -> tuple[str, bool] | None:
    name = font.strip().lower()
    if name.startswith(".vn"):
        return "tcvn3", name.endswith("h")
    if name.startswith("vni-") or name.startswith("vni "):
        return "vni", False
    return None


# ---------------------------------------------------------------- numbering


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    restart: int | None = None
    legal: bool = False
    style: str | None = None


class _Numbering:
    """numbering.xml: list definitions and the running counters of each list."""

    def __init__(self, document, styles: _Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        root = _numbering_root(document)
        if root is None:
            return
        links: dict[str, str] = {}
        for abstract in root.findall(_w("abstractNum")):
            abstract_id = abstract.get(_w("abstractNumId"))
            self.abstract[abstract_id] = {int(l.get(_w("ilvl"), "0")): _level(l) for l in abstract.findall(_w("lvl"))}
            link = abstract.find(_w("numStyleLink"))
            if link is not None:
                links[abstract_id] = link.get(_VAL)
        for num in root.findall(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            levels: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for override in num.findall(_w("lvlOverride")):
                ilvl = int(override.get(_w("ilvl"), "0"))
                start = override.find(_w("startOverride"))
                if start is not None and start.get(_VAL, "").lstrip("-").isdigit():
                    starts[ilvl] = int(start.get(_VAL))
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.nums[num.get(_w("numId"))] = (ref.get(_VAL), levels, starts)
        # A list style's abstract definition only points at the style, whose numId holds the levels.
        for abstract_id, style_id in links.items():
            num_id, _ = styles.numbering(style_id)
            if num_id in self.nums and self.nums[num_id][0] != abstract_id:
                self.abstract[abstract_id] = self.abstract.get(self.nums[num_id][0], {})

    def label(self, p, style_id: str | None) -> str:
        """The visible list label of paragraph `p` with its separator ("1. ", "一、", "- "), or ""."""
        num_pr = p.find(f"{_w('pPr')}/{_w('numPr')}")
        num_id = ilvl = None
        if num_pr is not None:
            if num_pr.find(_w("numId")) is not None:
                num_id = num_pr.find(_w("numId")).get(_VAL)
            if num_pr.find(_w("ilvl")) is not None:
                ilvl = num_pr.find(_w("ilvl")).get(_VAL)
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
        found = lvl.find(_w(tag))
        return found.get(_VAL) if found is not None else None

    start = val("start")
    restart = val("lvlRestart")
    is_legal = lvl.find(_w("isLgl"))
    return _Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",
        suffix=val("suff") or "tab",
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=is_legal is not None and is_legal.get(_VAL, "true") not in ("0", "false", "off"),
        style=val("pStyle"),
    )


def _format_label(levels: dict[int, _Level], counters: list[int | None], level: int) -> str:
    lvl = levels[level]
    if lvl.fmt == "none":
        text = re.sub(r"%[1-9]", "", lvl.text)
    elif lvl.fmt == "bullet":
        text = "".join(_BULLETS.get(c, c) if c.strip() else c for c in lvl.text) or "•"
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
_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "\uf076": "❖", "\uf0a8": "•",
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
