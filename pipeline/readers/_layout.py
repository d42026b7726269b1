"""Page layout for PDF and OCR text: lines with positions, rows cut at wide gaps, wrapped lines joined.

A PDF (or an OCR engine) gives visual lines; a paragraph wraps over several. `page_text` joins the
lines of one paragraph and starts a new line for each paragraph, using the geometry a reader
uses: a line wraps into the next when the next line's first word would not have fitted at its
end and the next line starts at the left edge of the text (not indented, not centred). On pages
that indent first lines, a sentence end followed by a numbered label ("第三条", "Điều 3.", "1.",
"a)") also starts a paragraph; on pages that do not, either one does. A next line indented
further (a hanging indent) joins only a Chinese sentence that plainly runs on, and a Chinese title
centred over two lines is one title. A clearly larger vertical gap than the page's usual line
spacing becomes a blank line.

Joined lines meet without a space when either side is Chinese (Han, CJK punctuation, full-width
forms), so a line break inside a Chinese sentence leaves no gap; Vietnamese and other Latin-script
lines meet with one space. A line ending in a hyphen joins the next without a space, keeping the
hyphen (Vietnamese does not hyphenate words, so it is a real one, as in "368-QĐ/TW").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from statistics import median
from typing import Callable, Sequence, TypeVar

from ..lang.zh import HAN_RE

# A gap wider than this many ems between two words of a row cuts it into cells: table cells, or
# the two columns of a Vietnamese decree's header ("CHÍNH PHỦ      CỘNG HÒA XÃ HỘI ...").
CELL_GAP_EMS = 3.0
# A vertical gap this many ems beyond the page's usual gap between lines is a blank line (a
# paragraph's space before or after, usually half a line, is not).
BLANK_LINE_EMS = 1.0
# Alignment tolerance (left edges, the right margin), in ems.
ALIGN_EMS = 0.5
# A line at least this share of the page's widest line is long enough to show where a margin is.
LONG_LINE = 0.4

_CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002ffff]"
)
# What moves to the next line together in Chinese typesetting: opening marks, a character (or a
# Latin word or number), then closing marks ("（PDF", "人，", "“智慧").
_CJK_UNIT = re.compile(r"[（「『“‘《〈(\[]*(?:[A-Za-z0-9]+|.)[，。、；：？！,.;:?!）」』”’》〉)\]]*")
_BARE_LABEL = re.compile(r"第[一二三四五六七八九十百千零〇两\d]+[编章节条款]")
_SENTENCE_END = re.compile(r"[.!?;:。！？；：…][\"'”’）)」』]*$")
_LABEL = re.compile(
    r"(?:第[一二三四五六七八九十百千零〇两\d]+[编章节条款]"
    r"|[一二三四五六七八九十]+\s*[、．]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|[①-⑳]"
    r"|(?:ĐIỀU|Điều|CHƯƠNG|Chương|MỤC|Mục|PHẦN|Phần)\s+[\dIVXLC]+\s*[.:]"
    r"|\d{1,3}(?:\.\d{1,2})*\s*[.．、)）](?![\d.])"
    r"|[a-zđ]\)\s)"
)


@dataclass(frozen=True)
class Line:
    """One visual line of a page (or one cell of a row cut at a wide gap), in page coordinates
    with y growing downwards. `cell` marks pieces of a cut row: they never join other lines."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    cell: bool = False


T = TypeVar("T")


def split_cells(items: Sequence[T], box: Callable[[T], tuple[float, float]], em: float) -> list[list[T]]:
    """Cut a row of items (words or characters, left to right) where the gap exceeds CELL_GAP_EMS.

    Args:
        items: the row's items in reading order.
        box: an item's (x0, x1).
        em: the row's character height.
    Returns:
        The groups of items, one per cell; one group when nothing cuts the row.
    """
    groups: list[list[T]] = []
    right = None
    for item in items:
        x0, x1 = box(item)
        if right is None or x0 - right > CELL_GAP_EMS * em:
            groups.append([])
        groups[-1].append(item)
        right = x1 if right is None else max(right, x1)
    return groups


def joiner(before: str, after: str) -> str:
    """What goes between two pieces of text that meet at a line wrap: "" or " "."""
    if not before or not after:
        return ""
    last, first = before[-1], after[0]
    if last in "\u00ad\ufffe" or _CJK.match(last) or _CJK.match(first):
        return ""
    if last == "-" and len(before) > 1 and before[-2].isalnum() and first.isalnum():
        return ""
    return " "


def page_text(lines: Sequence[Line], width: float | None = None) -> str:
    """The text of one page: wrapped lines joined into paragraphs, one paragraph per line.

    Args:
        lines: the page's lines in reading order.
        width: the page's width. The text's right margin is taken to lie at least as far right
            as its left margin lies from the left edge, so that on a page of short lines the
            longest one does not count as reaching the margin.
    Returns:
        The page text; paragraphs end in "\\n", or "\\n\\n" after a larger vertical gap.
    """
    lines = _stripped(lines)
    if not lines:
        return ""
    layout = _Layout(lines, width)
    out = [lines[0].text]
    for cur, nxt in zip(lines, lines[1:]):
        out.append(layout.separator(cur, nxt))
        out.append(nxt.text)
    return "".join(out)


def runs_on(page: Sequence[Line], width: float | None, next_page: Sequence[Line], next_width: float | None) -> bool:
    """Whether the last paragraph of a page carries on at the top of the next page.

    The same test as for two lines of one page, with each page's own margins: the last line
    reaches the right margin (the next page's first word would not have fitted), and the next
    page's first line starts at its left margin. Page numbers must be taken out first.

    Args:
        page, next_page: the two pages' lines in reading order.
        width, next_width: the pages' widths.
    Returns:
        True when the pages should be joined with `joiner` rather than a paragraph break.
    """
    page, next_page = _stripped(page), _stripped(next_page)
    if not page or not next_page:
        return False
    layout, next_layout = _Layout(page, width), _Layout(next_page, next_width)
    return layout.wraps(page[-1], next_page[0], next_layout)


def _stripped(lines: Sequence[Line]) -> list[Line]:
    return [replace(line, text=line.text.strip()) for line in lines if line.text.strip()]


class _Layout:
    """Page-wide measures: the em, the usual gap between lines, the margins, indentation."""

    def __init__(self, lines: Sequence[Line], width: float | None):
        self.em = median(max(line.bottom - line.top, 1e-3) for line in lines)
        gaps = [
            nxt.top - cur.bottom
            for cur, nxt in zip(lines, lines[1:])
            if nxt.top >= cur.top + 0.5 * self.em and nxt.top - cur.bottom < 3 * self.em
        ]
        self.gap = median(gaps) if gaps else 0.3 * self.em
        tolerance = ALIGN_EMS * self.em
        body = [line for line in lines if not line.cell]
        self.right = _edge([(line.x1, line.x1 - line.x0) for line in body], tolerance, rightmost=True)
        self.left = _edge([(line.x0, line.x1 - line.x0) for line in body], tolerance, rightmost=False)
        if width is not None and self.right is not None and self.left is not None:
            self.right = max(self.right, width - self.left)
        left = self.left if self.left is not None else 0.0
        indented = [line for line in lines if 0.8 * self.em < line.x0 - left <= 4.5 * self.em and not line.cell]
        self.indents = len(indented) >= 2

    def separator(self, cur: Line, nxt: Line) -> str:
        if self.wraps(cur, nxt):
            return joiner(cur.text, nxt.text)
        below = nxt.top >= cur.top + 0.5 * self.em
        if below and nxt.top - cur.bottom > self.gap + BLANK_LINE_EMS * self.em:
            return "\n\n"
        return "\n"

    def wraps(self, cur: Line, nxt: Line, next_page: "_Layout | None" = None) -> bool:
        """Whether `nxt` carries on the paragraph of `cur`: the next line on this page, or the
        first line of the next page (whose layout is `next_page`)."""
        em = self.em
        below = next_page or self
        if cur.cell or nxt.cell or self.right is None or self.left is None or below.left is None:
            return False
        if next_page is None and not (nxt.top >= cur.top + 0.5 * em and nxt.top - cur.bottom <= self.gap + 0.5 * em):
            return False
        if next_page is None and self._centred_title_runs_on(cur, nxt):
            return True
        if cur.x1 + self._first_word_width(nxt) <= self.right - ALIGN_EMS * em:
            return False  # the next line's first word would have fitted: the paragraph ended
        if nxt.x0 <= below.left + ALIGN_EMS * below.em and (next_page or nxt.x0 <= cur.x0 + ALIGN_EMS * em):
            if self.indents or below.indents:  # back at the left edge
                return not (_SENTENCE_END.search(cur.text) and _LABEL.match(nxt.text))
            return not (_SENTENCE_END.search(cur.text) or _LABEL.match(nxt.text))
        if next_page is not None:
            return False
        if abs(nxt.x0 - cur.x0) <= ALIGN_EMS * em:  # both in a column set in from the page's edge
            return not (_SENTENCE_END.search(cur.text) or _LABEL.match(nxt.text))
        # Indented further: a hanging indent, joined only where a Chinese sentence plainly runs
        # on (no end punctuation, Chinese before the break).
        return (
            cur.x0 < nxt.x0 < cur.x1
            and bool(_CJK.match(cur.text[-1]) and (_CJK.match(nxt.text[0]) or nxt.text[0].isalnum()))
            and not (_SENTENCE_END.search(cur.text) or _LABEL.match(nxt.text))
        )

    def _centred_title_runs_on(self, cur: Line, nxt: Line) -> bool:
        """A Chinese title centred over two lines ("第五节 地方各级人民代表大会和" / "地方各级人民政府"):
        same centre, the second line no wider, Han characters on both sides of the break."""
        return (
            abs((cur.x0 + cur.x1) - (nxt.x0 + nxt.x1)) <= 2 * self.em
            and nxt.x1 - nxt.x0 <= cur.x1 - cur.x0
            and nxt.x0 > self.left + ALIGN_EMS * self.em
            and bool(HAN_RE.match(cur.text[-1]) and HAN_RE.match(nxt.text[0]))
            and not _LABEL.match(nxt.text)
            and not _BARE_LABEL.fullmatch(cur.text)  # "第一章" over "总则" stays two lines
        )

    def _first_word_width(self, line: Line) -> float:
        text = line.text.lstrip()
        if _CJK.match(text):
            return (line.bottom - line.top) * len(_CJK_UNIT.match(text).group())
        word = text.split(" ", 1)[0]
        per_char = (line.x1 - line.x0) / max(len(line.text), 1)
        return (len(word) + 1) * per_char


def _edge(edges: list[tuple[float, float]], tolerance: float, rightmost: bool) -> float | None:
    """A margin that a stray line does not move: the outermost edge that another line's edge lies
    within `tolerance` of, or that belongs to a long line (LONG_LINE of the widest); else the
    outermost edge. `edges` holds (edge, line width) pairs."""
    if not edges:
        return None
    ordered = sorted(edges, reverse=rightmost)
    widest = max(width for _, width in edges)
    for i, (edge, width) in enumerate(ordered):
        supported = i + 1 < len(ordered) and abs(ordered[i + 1][0] - edge) <= tolerance
        if supported or width >= LONG_LINE * widest:
            return edge
    return ordered[0][0]
