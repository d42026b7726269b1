"""Heading labels: the numbered labels that open parts, chapters, articles, clauses and points.

Heading levels (1 = top). A numbered label at the start of a line gives the level:

    1 PART          PHẦN THỨ NHẤT, Phần I, 第一编, 第一部分
    2 CHAPTER       Chương I, Chương 1, 第一章
    3 SECTION       Mục 1, 第一节, Roman "I." / "II -", 一、 ; unnumbered title lines
    4 SUBSECTION    Tiểu mục 2, （一） outside an article (report style: 一、 > （一） > 1.)
    5 ARTICLE       Điều 5., 第十二条
    6 CLAUSE        1.  1)  1、 ; （一） inside an article (a 项 of a Chinese law)
    7 SUBCLAUSE     1.1.
    8 SUBSUBCLAUSE  1.1.1.
    9 POINT         a)  đ)  （1）  ①

Levels only need to be ordered: a heading closes every open heading of the same or a deeper
level. The segmenter (`pipeline.segment`) uses the labels to find headings, the chunker to name
sections, and citations to name the article a passage belongs to (`article_reference`).
"""
from __future__ import annotations

import re
from typing import Sequence

from .lang.zh import HAN_BMP_RE

PART, CHAPTER, SECTION, SUBSECTION, ARTICLE, CLAUSE, SUBCLAUSE, SUBSUBCLAUSE, POINT = range(1, 10)


_ZH_NUM = r"[一二三四五六七八九十百千零〇两\d]+"
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_ZH_ITEM = r"[（(][一二三四五六七八九十]+[）)]"
ZH_ITEM = re.compile(_ZH_ITEM)  # （一）: a subsection, or inside an article a clause
_SEP = r"(?:\s*\\?[.:\-–—])?"  # "Chương 3. QUY ĐỊNH CHUNG", "Mục 1 - ..."
# Markdown that converted documents wrap around labels: "## 第一章", "**Điều 1.", "1\. ".
# Possessive, so a line of 70 underscores cannot backtrack exponentially.
_MARKUP = r"(?:[#*_]+\s*)*+"
_LABELS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (level, re.compile(_MARKUP + "(" + pattern + ")"))
    for level, pattern in (
        (PART, r"(?:PHẦN|Phần)\s+(?:(?:THỨ|[Tt]hứ)\s+[^\W\d_]+|[IVXLC]+\b|\d+\b)" + _SEP),
        (PART, rf"第{_ZH_NUM}(?:编|部分)"),
        (CHAPTER, r"(?:CHƯƠNG|Chương)\s+(?:[IVXLC]+|\d+)\b" + _SEP),
        (CHAPTER, rf"第{_ZH_NUM}章"),
        (SECTION, r"(?:MỤC|Mục)\s+(?:\d+|[IVXLC]+)\b" + _SEP),
        (SUBSECTION, r"(?:TIỂU MỤC|Tiểu mục)\s+(?:\d+|[IVXLC]+)\b" + _SEP),
        (SECTION, rf"第{_ZH_NUM}节"),
        (SECTION, _ROMAN + r"\s*(?:\\?[.:]|[-–—)])"),
        (SECTION, r"[一二三四五六七八九十]+\s*[、．.]"),
        (ARTICLE, r"(?:ĐIỀU|Điều)\s+\d+[a-zđ]?\s*(?:\\?[.:]|(?=\s*$))"),
        (ARTICLE, rf"第{_ZH_NUM}条"),
        (SUBSECTION, _ZH_ITEM),
        (SUBSUBCLAUSE, r"\d{1,2}\.\d{1,2}\.\d{1,2}\\?\.?(?![\d.])"),
        (SUBCLAUSE, r"\d{1,2}\.\d{1,2}(?:\\?\.(?!\d)|(?=\s+[^\W\d_]))"),
        (CLAUSE, r"\d{1,3}\s*(?:\\?[.．]|[、)）])(?![\d.])"),
        (POINT, r"[a-zđ]\s*\\?\)"),
        (POINT, r"[（(]\d{1,2}[）)]|[①-⑳]"),
    )
)
TRAILING_MARKUP = "*_# \t"  # markup converted documents leave at the end of a line


def heading_label(line: str) -> tuple[int, str, str] | None:
    """(level, label, rest of the line) when `line` starts with a numbered label."""
    for level, pattern in _LABELS:
        m = pattern.match(line)
        if m:
            rest = line[m.end() :]
            # a label must be followed by a space, the end, or (Chinese) text directly
            if rest and not (rest[0].isspace() or rest[0] in "*_" or HAN_BMP_RE.match(rest[0]) or level >= CLAUSE):
                continue
            return level, m.group(1), rest.strip().strip(TRAILING_MARKUP)
    return None


def section_label(text: str) -> str:
    """The numbered label a line or sentence starts with, or "".

    Args:
        text: a heading or the first sentence of a numbered section.
    Returns:
        The label as written ("Điều 5.", "第十二条", "1.", "a)"), or "" when there is none.

    >>> section_label("1. Chỗ ở hợp pháp là nơi được sử dụng để sinh sống.")
    '1.'
    """
    found = heading_label(text.strip())
    return found[1] if found else ""


def article_reference(headings: Sequence[str], text: str = "") -> str:
    """How a lawyer cites a passage: "Điều 5, khoản 2", "Điều 7, điểm a", "第十二条", "第十二条第（一）项".

    The article comes from the heading path (or the passage itself when it starts one); the
    clause or point from the label the passage starts with. "" when no article is in sight.
    """
    article = ""
    for heading in headings:
        found = heading_label(heading.strip())
        if found and found[0] == ARTICLE:
            article = found[1]
    first = heading_label(text.strip()) if text else None
    if first and first[0] == ARTICLE:
        article, first = first[1], heading_label(first[2]) if first[2] else None
    if not article:
        return ""
    article = article.rstrip(".:： \\")
    if not first:
        return article
    level, label = first[0], first[1].strip()
    if article.startswith("第"):
        return f"{article}第{label}项" if label.startswith(("（", "(")) else article
    if level == CLAUSE:
        return f"{article}, khoản {label.rstrip('.．、)）')}"
    if level == POINT:
        return f"{article}, điểm {label.rstrip(')').strip()}"
    return article
