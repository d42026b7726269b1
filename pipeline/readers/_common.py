"""Helpers shared by the format readers: titles and blank-text checks."""
from __future__ import annotations

import re

TITLE_MAX_CHARS = 200

# Titles that PDF and Office producers fill in on their own rather than a real title.
_GENERATED_TITLE = re.compile(
    r"^(microsoft (word|excel|powerpoint) - |untitled|document\d*$|无标题|未命名|<[0-9a-f]+>$)"
    r"|\.(docx?|pdf|xlsx?|pptx?|wps|rtf|odt|tmp)$",
    re.IGNORECASE,
)
# Characters that are invisible in a document but not str.isspace(): zero-width ones and the BOM.
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]+")


def first_line(text: str) -> str:
    """The first non-empty line of `text`, stripped and cut to TITLE_MAX_CHARS ("" if none).

    A bare upper-case document type on its own line ("NGHỊ QUYẾT", "KẾ HOẠCH") is joined with
    the next line, which names what the document is about.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    title = lines[0]
    if len(lines) > 1 and len(title.split()) <= 4 and title.isupper():
        title = f"{title}: {lines[1]}"
    return title[:TITLE_MAX_CHARS]


def is_blank(text: str) -> bool:
    """True when `text` holds nothing but whitespace and invisible characters."""
    return not _INVISIBLE.sub("", text)


def meaningful_title(title: str) -> str:
    """A metadata title, or "" when it is empty, a file name, hex, mojibake or has no letters."""
    title = " ".join(title.split())
    if (
        sum(c.isalpha() for c in title) < 2
        or "\ufffd" in title
        or _GENERATED_TITLE.search(title)
    ):
        return ""
    return title[:TITLE_MAX_CHARS]
