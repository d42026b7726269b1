"""Normalisation stage: clean a Document's text (NFC, one Vietnamese tone placement, whitespace), remap
its pages and mark repeated lines to skip; plus the length-preserving `fold`
(tone folding, `strip_diacritics`, lives in `pipeline.lang.vi`).

Vietnamese tone placement: in a syllable that ends in the diphthong oa, oe or uy the tone
mark goes on the first vowel (hòa, khỏe, thủy, hủy), except after q, whose u is part of the
consonant (quý, quỳ; a stray "qùy" becomes "quỳ"). So "hoà" and "hòa" become one string.
This is the placement underthesea normalises to (its word_tokenize rewrites "hoà" to "hòa"),
so tokens match the text exactly, and the one most Vietnamese government text uses.
Syllables that go on after the diphthong keep their placement (hoàng, hoạch, thuyền, khuỷu).
"""
from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from dataclasses import replace
from typing import Callable, Iterable

from .lang import CharMap
from .lang.vi import toned
from .lang.zh import HAN_BMP, HAN_BMP_RE, to_simplified
from .types import Document, Page

# In unpaginated text, a line shorter than this that occurs MIN_REPEATS times is a caption or web
# chrome, unless it ends like a sentence: statutes repeat whole clauses such as "委员若干人。".
# PDF lines are wrapped visual lines, where a repeat is mostly a repeated clause: there only
# running headers and footers count.
MAX_REPEATED_LINE = 120
MIN_REPEATS = 3
# A page's first and last EDGE_LINES lines that recur on at least HEADER_SHARE of the pages with
# text (with the page's own number written as "#") are running headers, footers or page numbers.
EDGE_LINES = 2
HEADER_SHARE = 0.5

_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Zero-width characters, the BOM, the soft hyphen, C0/C1 controls but \t and \n, and the
# noncharacters U+FFFE/U+FFFF (pypdfium2 emits U+FFFE for a hyphen at a line break).
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]+")
_COMBINING_RUN = re.compile(r"[^\n][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_LINE = re.compile(r"[^\n]+")
# The tone on the second vowel of a final oa/oe/uy ("hoà", "thuỷ"), and on the u after q ("qùy").
_TONE_ON_SECOND = re.compile(
    f"[oO][{toned('aAeE')}](?![^\\W\\d_])|(?<![qQ])[uU][{toned('yY')}](?![^\\W\\d_])"
)
_TONE_AFTER_Q = re.compile(f"(?<=[qQ])[{toned('uU')}][aAeEyY]")
_SPACES_AT_LINE_BREAK = re.compile(r"[^\S\n]+\n[^\S\n]*|\n[^\S\n]+")
_SPACE_RUN = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_BLANK_LINES = re.compile(r"\n{3,}")
_HAN_CHAR = f"[{HAN_BMP}]"
# Single Han characters with one space between each, touching no other letter or digit.
_LETTER_SPACED_HAN = re.compile(f"(?<!\\w){_HAN_CHAR}(?: {_HAN_CHAR}(?!\\w))+")
_DIGITS = re.compile(r"\d+")
# A line that is only a page number: "3", "- 3 -", "— 3 —", "3/12", "Trang 3", "Page 3 of 12",
# "第 3 页", "第3頁 共12頁". Bare numbers stop at three digits, so a year ("2026") is not one.
PAGE_NUMBER = re.compile(
    r"[-–—~·•\s]*(?:"
    r"\d{1,3}(?:\s*/\s*\d{1,3})?"
    r"|(?:[Tt]rang|TRANG|[Pp]age|PAGE)\s*\d{1,4}(?:\s*(?:/|of|trên|\|)\s*\d{1,4})?"
    r"|第\s*\d{1,4}\s*[页頁](?:\s*[,，/]?\s*共\s*\d{1,4}\s*[页頁])?"
    r"|共\s*\d{1,4}\s*[页頁]\s*第\s*\d{1,4}\s*[页頁]"
    r")[-–—~·•\s]*"
)
_SENTENCE_END = re.compile(r"[.!?;:。！？；：…]$")


def normalize(doc: Document) -> Document:
    """A copy of `doc` with normalised text and title, pages remapped, repeated lines in `skip`.

    Text: NFC; one Vietnamese tone placement (see the module docstring); zero-width and
    control characters removed (but \\n and \\t); every line break as \\n; runs of spaces and
    tabs as one space; no spaces at line starts or ends; at most one blank line in a row; no
    leading or trailing whitespace; letter-spaced Chinese closed up ("序 言", "总 纲" and the
    "第 一 章" of a Taiwanese statute become "序言", "总纲", "第一章": single Han characters with
    one space between each, touching no other letter or digit).

    `skip` lists (start, end) spans of whole lines to leave out of indexing. Without pages:
    a line shorter than MAX_REPEATED_LINE characters, not ending like a sentence, that occurs
    MIN_REPEATS or more times (captions, web chrome). With pages: running headers and footers,
    i.e. lines among a page's first or last EDGE_LINES that recur on at least HEADER_SHARE of
    the pages, of which the first occurrence stays indexable (so a title repeated as a caption
    is still found once); and every page number among those lines (PAGE_NUMBER). Run before language detection: `lang_spans`
    are not remapped.

    Args:
        doc: a Document from a reader; its `pages` must be sorted.
    Returns:
        A new Document; normalising it again returns an equal Document.
    """
    src = list(range(len(doc.text))) if doc.pages else None
    text, src = _normalize(doc.text, src)
    pages = _remap_pages(doc.pages, src, len(text)) if src is not None else ()
    return replace(
        doc,
        text=text,
        title=" ".join(normalize_text(doc.title).split()),
        pages=pages,
        skip=_skip_spans(text, pages),
    )


def normalize_text(text: str) -> str:
    """The text part of `normalize`, for strings such as queries and titles.

    Args:
        text: any string.
    Returns:
        The normalised string.
    """
    return _normalize(text, None)[0]


def fold(text: str) -> str:
    """Matching form of `text`, with exactly as many characters, so offsets carry over.

    Full-width ASCII becomes ASCII, the ideographic space a space, letters lower case where
    lowering keeps one character (so "İ" stays; "ẞ" becomes "ß"), and traditional Chinese
    characters simplified (業主委員會 → 业主委员会; see `to_simplified`). Folding works
    character by character: fold(text)[i:j] == fold(text[i:j]).

    Args:
        text: any string (normalised text for matching).
    Returns:
        The folded string, len(fold(text)) == len(text).
    """
    return text.lower() if text.isascii() else text.translate(_FOLD)


# ---------------------------------------------------------------- text with offset tracking


def _normalize(text: str, src: list[int] | None) -> tuple[str, list[int] | None]:
    """Normalise `text`; `src[i]`, when tracked, is the original offset of output character i."""
    text, src = _sub(_LINE_BREAKS, "\n", text, src)
    text, src = _sub(_INVISIBLE, "", text, src)
    if not unicodedata.is_normalized("NFC", text):
        text, src = _sub(_COMBINING_RUN, _nfc, text, src)
        # Scripts that compose without combining marks (Hangul jamo, some Indic vowel signs).
        if not unicodedata.is_normalized("NFC", text):
            text, src = _sub(_LINE, _nfc, text, src)
    text, src = _sub(_TONE_ON_SECOND, _move_tone, text, src)
    text, src = _sub(_TONE_AFTER_Q, _move_tone, text, src)
    text, src = _sub(_SPACES_AT_LINE_BREAK, "\n", text, src)
    text, src = _sub(_SPACE_RUN, " ", text, src)
    text, src = _sub(_BLANK_LINES, "\n\n", text, src)
    text, src = _sub(_LETTER_SPACED_HAN, _close_up, text, src)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if start or end < len(text):
        text = text[start:end]
        src = src[start:end] if src is not None else None
    return text, src


def _sub(
    pattern: re.Pattern, repl: str | Callable[[re.Match], str], text: str, src: list[int] | None
) -> tuple[str, list[int] | None]:
    """pattern.sub(repl, text), keeping `src` in step: a same-length replacement maps character
    to character, any other maps all its characters to the start of what it replaced."""
    if src is None:
        return pattern.sub(repl, text), None
    out: list[str] = []
    out_src: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        new = repl(match) if callable(repl) else repl
        out.append(text[pos:start])
        out_src.extend(src[pos:start])
        out.append(new)
        out_src.extend(src[start:end] if len(new) == end - start else [src[start]] * len(new))
        pos = end
    if not out:
        return text, src
    out.append(text[pos:])
    out_src.extend(src[pos:])
    return "".join(out), out_src


def _close_up(match: re.Match) -> str:
    return match.group().replace(" ", "")


def _nfc(match: re.Match) -> str:
    return unicodedata.normalize("NFC", match.group())


def _move_tone(match: re.Match) -> str:
    """Move the tone mark of a two-vowel match to the other vowel."""
    first, second = (unicodedata.normalize("NFD", c) for c in match.group())
    if len(first) == 2:
        return first[0] + unicodedata.normalize("NFC", second + first[1])
    return unicodedata.normalize("NFC", first + second[1]) + second[0]


def _remap_pages(pages: tuple[Page, ...], src: list[int], length: int) -> tuple[Page, ...]:
    """Pages over the new text: each starts at its first surviving character; spans tile the text."""
    starts = [0] + [bisect_left(src, page.start) for page in pages[1:]]
    ends = starts[1:] + [length]
    return tuple(Page(page.number, s, e) for page, s, e in zip(pages, starts, ends))


# ---------------------------------------------------------------- lines to skip


def _skip_spans(text: str, pages: tuple[Page, ...]) -> tuple[tuple[int, int], ...]:
    lines = [m.span() for m in _LINE.finditer(text)]
    if pages:
        spans = _running_header_spans(text, pages, lines)
    else:
        spans = _repeated_line_spans(text, lines)
    return tuple(sorted(spans | set(boilerplate_spans(text))))


# ---------------------------------------------------------------- boilerplate

# What is stripped from a line before the rules below look at it: Markdown emphasis, table rules and
# cell borders, list bullets, escapes and no-break spaces.
_LINE_MARKUP = re.compile(r"^[\s|*_#>\\+\-\u00a0]+|[\s|*_\\\u00a0]+$")
# A web page's share, print and comment buttons, each on a short line of its own.
_SHARE_LINE = re.compile(
    r"(?:Chia sẻ|Chia se|Share|Chia sẻ bài viết|Gửi bài viết|In bài viết|In bài|Lưu bài|Bình luận|Tweet|"
    r"分享到|分享至|分享|打印本页|打印|关闭窗口|关闭|收藏|扫一扫|微信扫一扫)"
    r"(?:[\s:：]*(?:Zalo|Facebook|Twitter|Email|Messenger|LinkedIn|微信|微博|QQ空间|QQ|朋友圈|豆瓣|复制链接|"
    r"打印|关闭|收藏)?)*\W*",
    re.IGNORECASE,
)
SHARE_LINE_MAX = 40  # characters: a longer line is prose that happens to begin with "Chia sẻ"
BYLINE_MAX = 24  # a short line right above share buttons (the author's name) goes with them
# A distribution list: "Nơi nhận:" (vi) or "抄送：" (zh) at the start of a line.
_DISTRIBUTION = re.compile(r"(?:N[ơo]i nh[ậa]n|NƠI NHẬN|抄\s*送|抄\s*報|抄\s*报)\s*[:：]?", re.IGNORECASE)
# The mark that opens a Vietnamese signature block: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "T/M ĐẢNG ỦY".
_SIGNATURE = re.compile(r"(?:T/M|TM\.?|KT\.?|Q\.|TL\.|TUQ\.|TM/)\s+[A-ZĐÂĂÊÔƠƯ][A-ZĐÂĂÊÔƠƯÀ-Ỹ ]{2,}")
# A Chinese document's printing line at the very end: "上海市人民政府办公厅 2020年9月25日印发".
_PRINTED = re.compile(r".{2,40}\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*[发發]|（此件公开发布）|\(此件公开发布\)")
BLOCK_LINE_MAX = 100  # characters: the lines of a distribution or signature block are short
SIGNATURE_LINE_MAX = 50  # characters: a longer line after a blank line is prose again
_TABLE_RULE = re.compile(r"^\s*(?:\+[-=:+]+\+|-{3,}[-\s]*)$")
_BLOCK_END = re.compile(r"(?:Phụ lục|PHỤ LỤC|附件|附表|Điều \d|第[一二三四五六七八九十百]+条)")


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Whole-line spans of `text` that are no part of what a document says.

    - share, print and comment buttons of a web page ("Chia sẻ Zalo", "分享到：微信 微博"), with
      the short byline right above them ("Hồng Thái");
    - a distribution list ("Nơi nhận:" and its "- ..." lines, "抄送：..." and its lines) and the
      signature block that follows or precedes it ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / (Đã ký) /
      Nguyễn Văn A"), up to the next blank-line paragraph of prose, annex or article; when the
      list sits in a Markdown table beside the signature, the whole table;
    - a Chinese printing line ("...办公厅 2020年9月25日印发", "（此件公开发布）").

    Args:
        text: normalised document text.
    Returns:
        sorted (start, end) spans of whole lines, possibly touching.
    """
    lines = [m.span() for m in _LINE.finditer(text)]
    plain = [_LINE_MARKUP.sub("", text[s:e]) for s, e in lines]
    spans: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(lines):
        line = plain[i]
        if len(line) <= SHARE_LINE_MAX and line and _SHARE_LINE.fullmatch(line):
            first = i
            if i and len(plain[i - 1]) <= BYLINE_MAX and "\n\n" not in text[lines[i - 1][1] : s] \
                    and not _SENTENCE_END.search(plain[i - 1]) and not _SHARE_LINE.fullmatch(plain[i - 1]):
                first = i - 1
            spans.append((lines[first][0], e))
        elif _PRINTED.fullmatch(line):
            spans.append((s, e))
        elif _DISTRIBUTION.match(line) or _SIGNATURE.match(line) and i >= len(lines) // 2:
            first, last = _closing_block(text, lines, plain, i)
            spans.append((lines[first][0], lines[last][1]))
    return merged_spans(spans)


def distribution_spans(text: str) -> list[tuple[int, int]]:
    """The distribution lists of `text`: "Nơi nhận:" or "抄送：" and the lines listing who gets a copy.

    Narrower than `boilerplate_spans`: the signature block is not part of it, and in a Markdown
    table holding the list beside the signature only the list's column is. Metadata reads places
    and issuers everywhere else.

    Args:
        text: document text.
    Returns:
        sorted (start, end) spans.
    """
    lines = [m.span() for m in _LINE.finditer(text)]
    spans: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if not _DISTRIBUTION.match(_LINE_MARKUP.sub("", line)):
            continue
        if line.startswith("|"):
            column = next(c for c, cell in enumerate(line.split("|")) if _DISTRIBUTION.search(cell))
            for rs, re_ in lines[i:]:
                row = text[rs:re_]
                if not row.startswith("|"):
                    break
                cells = row.split("|")
                if column < len(cells):
                    at = rs + sum(len(c) + 1 for c in cells[:column])
                    spans.append((at, at + len(cells[column])))
            continue
        last = i
        for j in range(i + 1, len(lines)):
            nxt = text[lines[j][0] : lines[j][1]]
            gap = text[lines[j - 1][1] : lines[j][0]].count("\n") > 1
            listed = nxt.lstrip("*_ ").startswith(("-", "+", "•", "–"))
            # a line that is no list item goes on only the item above it, wrapped: "- Ủy ban ... Việt\nNam;"
            wrapped = not gap and (nxt[:1].islower() or text[lines[j - 1][1] - 1] in ",，、\\")
            if _TABLE_RULE.match(nxt) or len(nxt) > BLOCK_LINE_MAX or not (listed or wrapped):
                break
            last = j
        spans.append((s, lines[last][1]))
    return merged_spans(spans)


def _closing_block(text: str, lines: list[tuple[int, int]], plain: list[str], i: int) -> tuple[int, int]:
    """The first and last line of the distribution or signature block that line `i` opens."""
    in_table = text.startswith("|", lines[i][0])
    first = i
    if in_table:  # back to the table's top rule: the signature column starts above "Nơi nhận"
        while first and not _TABLE_RULE.match(text[lines[first][0] : lines[first][1]]) and i - first < 12:
            first -= 1
    elif i and _TABLE_RULE.match(text[lines[i - 1][0] : lines[i - 1][1]]):
        first = i - 1  # the top rule of a simple table holding the list and the signature
    last = i
    j = i + 1
    while j < len(lines):
        line = text[lines[j][0] : lines[j][1]]
        gap = text[lines[j - 1][1] : lines[j][0]].count("\n") > 1
        if in_table:
            last = j
            if _TABLE_RULE.match(line) and (j + 1 >= len(lines) or not text.startswith(("|", "+"), lines[j + 1][0])):
                break
            if not line.startswith(("|", "+")):
                last = j - 1
                break
        else:
            if _TABLE_RULE.match(line):  # the rule closing a table the block sits in
                last = j
                break
            if len(plain[j]) > BLOCK_LINE_MAX or _BLOCK_END.match(plain[j]) or line.startswith("#") \
                    or gap and len(plain[j]) > SIGNATURE_LINE_MAX:
                break
            last = j
        j += 1
    return first, last


def merged_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted with overlaps joined, so their ends are sorted too."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def unquotable_spans(doc: Document) -> list[tuple[int, int]]:
    """The document's skip spans and its boilerplate, merged: what is never quoted from it.

    A document stored before its boilerplate was skipped at ingest still has it found here.
    """
    return merged_spans([*doc.skip, *boilerplate_spans(doc.text)])


# ---------------------------------------------------------------- line breaks inside a sentence

_CLAUSE_MARK = re.compile(r"[，,、；;。：:]")
WRAPPED_LINE_MIN = 40  # characters: a shorter line without end punctuation is a heading or a caption
# A line that opens an article, a chapter or a numbered clause starts anew even after a missing full stop.
_OPENER = re.compile(
    r"\s*(?:第[一二三四五六七八九十百千零〇\d]+[条條章节節编編款]|[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[.、．)]|[a-zđ][)]|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+)"
)
_NO_JOIN_END = re.compile(r"[.!?;:。！？；：…”」』）)\]】》>|*_\\]$")


def sentence_breaks(text: str) -> list[tuple[int, int, str]]:
    """Line breaks that fall inside a sentence, each with what the reader should see instead.

    A source wrapped mid-sentence (a scraper's fixed-width lines, a pasted PDF, a Markdown
    file wrapped at 72 columns) breaks "要广\n\n泛征求" or "lượng hoạt động\ncủa hệ thống".
    A break is inside a sentence when the line before is prose (at least WRAPPED_LINE_MIN
    characters with clause punctuation, or any length in a single-newline Markdown wrap) that
    does not end a sentence, and the line after goes on: a Han character after a Han character
    (joined with nothing), a lower-case letter (joined with a space). Tables and list items are
    left alone.

    Args:
        text: normalised document text.
    Returns:
        [(start, end, joiner)]: replace text[start:end] (the line break and any blank line) by
        joiner ("" between Han characters, else " ").
    """
    out = []
    for m in re.finditer(r"\n+", text):
        s, e = m.span()
        if e - s > 2:
            continue
        before = text[text.rfind("\n", 0, s) + 1 : s]
        after_end = text.find("\n", e)
        after = text[e : after_end if after_end >= 0 else len(text)]
        if not before or not after or _NO_JOIN_END.search(before) or "|" in before or "|" in after:
            continue
        prose = len(before) >= WRAPPED_LINE_MIN and _CLAUSE_MARK.search(before) or e - s == 1 and len(before) >= WRAPPED_LINE_MIN
        if not prose or before.lstrip().startswith(("-", "+", "*")) and e - s > 1 or _OPENER.match(after):
            continue
        if HAN_BMP_RE.match(before[-1]) and HAN_BMP_RE.match(after[0]):
            out.append((s, e, ""))
        elif after[0].islower() and (before[-1].isalnum() or before[-1] in ",、，"):
            out.append((s, e, " "))
    return out


def joined_lines(
    text: str, start: int = 0, end: int | None = None, spans: tuple[tuple[int, int], ...] = ()
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`text[start:end]` with the line breaks inside its sentences joined (see `sentence_breaks`).

    The breaks are found in the whole `text`, so a passage joins exactly as its document does.

    Args:
        text: the whole document text.
        start, end: the passage (default: all of it).
        spans: (s, e) offsets into `text` (highlights) to carry over onto the result.
    Returns:
        (the joined passage, `spans` as offsets into it).
    """
    end = len(text) if end is None else end
    pieces, pos, moved = [], start, []
    shift: list[tuple[int, int]] = []  # (document offset, characters removed before it)
    removed = 0
    for s, e, joiner in sentence_breaks(text):
        if s < start or e > end:
            continue
        pieces.append(text[pos:s] + joiner)
        removed += (e - s) - len(joiner)
        shift.append((e, removed))
        pos = e
    pieces.append(text[pos:end])

    def place(offset: int) -> int:
        before = 0
        for at, gone in shift:
            if offset >= at:
                before = gone
        return min(max(offset, start), end) - start - before

    for s, e in spans:
        moved.append((place(s), place(e)))
    return "".join(pieces), tuple(moved)


def _repeated_line_spans(text: str, lines: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Every occurrence but the first of a short, non-sentence line found MIN_REPEATS times or more."""
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start, end in lines:
        if end - start < MAX_REPEATED_LINE and not _SENTENCE_END.search(text, start, end):
            groups[text[start:end]].append((start, end))
    return {span for spans in groups.values() if len(spans) >= MIN_REPEATS for span in spans[1:]}


def _running_header_spans(
    text: str, pages: tuple[Page, ...], lines: list[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Lines at the top or bottom of most pages that are the same but for the page number, and
    page numbers ("- 3 -", "第 3 页", "3/12") at the top or bottom of any page."""
    line_starts = [start for start, _ in lines]
    groups: dict[str, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    pages_with_text = 0
    for page in pages:
        on_page = lines[bisect_left(line_starts, page.start) : bisect_left(line_starts, page.end)]
        pages_with_text += bool(on_page)
        edges = dict.fromkeys(on_page[:EDGE_LINES] + on_page[-EDGE_LINES:])
        number = str(page.number)
        for start, end in edges:
            if end - start < MAX_REPEATED_LINE:
                key = _DIGITS.sub(lambda m: "#" if m.group() == number else m.group(), text[start:end])
                groups[key].append((page.number, (start, end)))
    needed = max(MIN_REPEATS, math.ceil(HEADER_SHARE * pages_with_text))
    spans = set()
    for key, found in groups.items():
        if PAGE_NUMBER.fullmatch(key.replace("#", "1")):
            spans.update(span for _, span in found)  # no text in it: not even the first is kept
        elif len({number for number, _ in found}) >= needed:
            spans.update(span for _, span in found[1:])
    return spans


# ---------------------------------------------------------------- per-character maps


def _fold_char(char: str) -> str:
    if "\uff01" <= char <= "\uff5e":
        char = chr(ord(char) - 0xFEE0)
    elif char == "\u3000":
        char = " "
    lower = char.lower()
    return to_simplified(lower if len(lower) == 1 else char)


_FOLD = CharMap(_fold_char)
