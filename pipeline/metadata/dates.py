"""Dates both languages share: the ISO form, and the publication date of news items and web pages.

News items and web pages carry no issue date; they are dated by a posting line ("Ngày đăng:
26/06/2025 15:42", "发布时间：2023-05-06") or, for news, the dateline that opens the report ("Ngày
8/2/2017, ...", "5月6日，..."). Each language gives its patterns as `PublicationRules`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .text import SENTENCE_END
from .types import DatedMention

# The paragraphs and sentences that may hold a dateline: a headline or lead and the first paragraph.
DATELINE_LINES = 3


@dataclass(frozen=True)
class PublicationRules:
    """A language's patterns for the publication date of a web page or a news report.

    `posted` is a web page's posting line, whose day, month and year are the groups numbered by
    `posted_groups`; `dateline` a news report's dateline, read into (day, month, year or None) by
    `dateline_parts`; `same_day(day, month)` a pattern of that day with its year in a group, to find
    the year a dateline leaves out; `credit` a photo credit after which a dateline may open.
    """

    posted: re.Pattern[str]
    posted_groups: tuple[int, int, int]
    dateline: re.Pattern[str]
    dateline_parts: Callable[[re.Match[str]], tuple[int, int, str | None]]
    same_day: Callable[[int, int], str]
    credit: re.Pattern[str] | None = None


def iso_date(year: int, month: int, day: int) -> str:
    """"YYYY-MM-DD", or "" when the parts are no calendar date."""
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1000 <= year <= 2999):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def publication_date(plain: str, lines: list[tuple[int, int, str]], doc_type: str,
                     rules: PublicationRules) -> DatedMention | None:
    """The publication date of a web page (its posting line) or a news report (its dateline).

    Args:
        plain: the text with its markup blanked (`blank_markup`).
        lines: its non-blank lines (`nonblank_lines`).
        doc_type: the document's type; only "news" is dated by a dateline.
        rules: the language's patterns.
    Returns:
        A "published" DatedMention, or None.
    """
    return _posted(plain, rules) or (_dateline(plain, lines, rules) if doc_type == "news" else None)


def with_published(dates: list[DatedMention], mention: DatedMention) -> list[DatedMention]:
    """`dates` with the mention at the publication date's span marked "published" (added if none is)."""
    out = [d for d in dates if not (mention.start <= d.start < mention.end)]
    out.append(mention)
    return sorted(out, key=lambda d: d.start)


def _posted(plain: str, rules: PublicationRules) -> DatedMention | None:
    """The date of a web page's posting line (the last one: the page's own, after any quoted ones)."""
    found = None
    for m in rules.posted.finditer(plain):
        day, month, year = (m.group(g) for g in rules.posted_groups)
        iso = iso_date(int(year), int(month), int(day))
        if iso:
            found = DatedMention(iso, "published", m.start(), m.end())
    return found


def _dateline(plain: str, lines: list[tuple[int, int, str]], rules: PublicationRules) -> DatedMention | None:
    """The dateline of a news report: the first day-and-month in the opening sentence of one of its
    first paragraphs (or right after a photo credit), with the year it carries or, failing that,
    the latest year the text gives the same day elsewhere; None when no year is to be had."""
    for start, end, _ in lines[:DATELINE_LINES]:
        sentence_end = SENTENCE_END.search(plain, start, end)
        spans = [(start, sentence_end.end() if sentence_end else end)]
        if rules.credit is not None:
            spans += [(c.end(), end) for c in rules.credit.finditer(plain, start, end)]
        for span_start, span_end in spans:
            m = rules.dateline.search(plain[span_start:span_end])
            if not m or span_start != start and m.start() != 0:
                continue
            day, month, year = rules.dateline_parts(m)
            year = int(year) if year else _latest_year(plain, rules.same_day(day, month))
            iso = iso_date(year, month, day) if year else ""
            return DatedMention(iso, "published", span_start + m.start(), span_start + m.end()) if iso else None
    return None


def _latest_year(plain: str, pattern: str) -> int | None:
    """The latest year that `pattern` (a day with its year in a group) finds in the text."""
    years = [int(y) for m in re.finditer(pattern, plain) for y in m.groups() if y]
    return max(years) if years else None
