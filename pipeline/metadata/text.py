"""What both languages' rules read: text with its markup blanked, its lines and sentences, and news cues."""
from __future__ import annotations

import re

# Markdown and table markup that converted documents carry; blanked with spaces so offsets hold.
_MARKUP = re.compile(r"[*\\|]|(?<![\w/])_+|_+(?![\w/])|<br\s*/?>|^#+(?= )", re.M)
_LINE = re.compile(r"[^\n]+")
SENTENCE_END = re.compile(r"[.;!?。；！？\n]")
# A source path or URL from a news site counts as one news cue.
NEWS_SOURCE = re.compile(r"news|baomoi|tin-?tuc|thoi-?su|xinwen|新闻|新聞", re.I)


def inside_any(spans: list[tuple[int, int]], pos: int) -> bool:
    """True when `pos` falls in one of `spans` (start inclusive, end exclusive)."""
    return any(s <= pos < e for s, e in spans)


def blank_markup(text: str) -> str:
    """`text` with markup characters replaced by spaces: same length, so offsets carry over."""
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def nonblank_lines(text: str) -> list[tuple[int, int, str]]:
    """Non-blank lines as (start, end, stripped text)."""
    out = []
    for m in _LINE.finditer(text):
        stripped = m.group().strip()
        if stripped:
            out.append((m.start(), m.end(), stripped))
    return out


def sentence_before(text: str, pos: int, limit: int = 200) -> str:
    """The part of the sentence that ends at `pos` (at most `limit` characters)."""
    start = max(0, pos - limit)
    found = None
    for found in SENTENCE_END.finditer(text, start, pos):
        pass
    return text[found.end() if found else start : pos]


def sentence_after(text: str, pos: int, limit: int = 200) -> str:
    """The part of the sentence that starts at `pos` (at most `limit` characters)."""
    m = SENTENCE_END.search(text, pos, min(len(text), pos + limit))
    return text[pos : m.start() if m else min(len(text), pos + limit)]
