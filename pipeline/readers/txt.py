"""Plain-text and Markdown reader: one Document per file, encoding detected from the bytes."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from ..errors import EmptyDocument
from ..types import Document
from ._common import first_line, is_blank
from ._encoding import decode_bytes

EXTENSIONS = (".txt", ".md")


def read(path: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Document]:
    """Read a .txt or .md file as one Document with raw (not yet normalised) text.

    Args:
        path: the file.
        on_error: unused; a text file is one document, so any failure raises.
    Returns:
        An iterator over one Document with `meta` {"format", "encoding"}.
    Raises:
        EmptyDocument: the file holds only whitespace.
        ExtractionFailed: the file is binary.
        EncodingError: no supported encoding decodes it.
    """
    data = path.read_bytes()
    if not data:
        raise EmptyDocument("the file is empty")
    text, encoding = decode_bytes(data)
    if is_blank(text):
        raise EmptyDocument("the file holds only whitespace")
    title = first_line(text)
    if path.suffix.lower() == ".md":
        # A Markdown title line is usually a "# Heading".
        title = title.lstrip("#").strip()
    yield Document(
        id="",
        text=text,
        source=str(path),
        title=title,
        meta={"format": path.suffix.lower().lstrip("."), "encoding": encoding},
    )
