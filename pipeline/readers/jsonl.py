"""JSON Lines reader: one Document per line {"id", "title", "text", ...}, streamed line by line."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterator

from ..errors import EmptyDocument, ExtractionFailed
from ..types import Document
from ._common import TITLE_MAX_CHARS, first_line, is_blank

EXTENSIONS = (".jsonl",)
_KNOWN_FIELDS = {"id", "title", "text"}


def read(path: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Document]:
    """Stream a .jsonl file, one Document per valid line; bad lines are reported, not raised.

    Args:
        path: the file (UTF-8, optionally with a BOM); read line by line, never whole.
        on_error: called as on_error(f"{path}:{lineno}", reason) for each bad line
            (invalid UTF-8 or JSON, not an object, no text); bad lines are skipped.
    Returns:
        An iterator of Documents: `id` is the line's "id" as str ("" if absent), `meta` holds
        "format", the 1-based "line" and, under "extra", any fields besides id/title/text.
    Raises:
        EmptyDocument: the file has no non-blank line.
        ExtractionFailed: every non-blank line is bad.
    """
    good = bad = 0
    first_error = ""
    with path.open("rb") as lines:
        for lineno, raw in enumerate(lines, start=1):
            if lineno == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                doc = _parse_line(raw, path, lineno)
            except ValueError as err:
                bad += 1
                first_error = first_error or f"line {lineno}: {err}"
                if on_error is not None:
                    on_error(f"{path}:{lineno}", str(err))
                continue
            good += 1
            yield doc
    if not good and not bad:
        raise EmptyDocument("the file has no records")
    if not good:
        raise ExtractionFailed(f"none of its {bad} line(s) is a valid record; first error: {first_error}")


def _parse_line(raw: bytes, path: Path, lineno: int) -> Document:
    """One line as a Document; ValueError (with a reason) if it is not a usable record."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ValueError(f"invalid UTF-8 ({err.reason} at byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"invalid JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(record, dict):
        raise ValueError(f"a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str) or is_blank(text):
        raise ValueError('no "text" field' if text is None else 'empty or non-string "text" field')
    title = record.get("title")
    title = " ".join(title.split())[:TITLE_MAX_CHARS] if isinstance(title, str) else ""
    meta = {"format": "jsonl", "line": lineno}
    extra = {k: v for k, v in record.items() if k not in _KNOWN_FIELDS}
    if extra:
        meta["extra"] = extra
    return Document(
        id="" if record.get("id") is None else str(record["id"]),
        text=text,
        source=str(path),
        title=title or first_line(text),
        meta=meta,
    )
