"""Helpers shared by the format readers: titles and blank-text checks."""
from __future__ import annotations

import re

TITLE_MAX_CHARS = 200

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
