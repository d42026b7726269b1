"""Plain-text and Markdown reader: one Document per file, encoding detected from the bytes."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from ..errors import EmptyDocument
from ..types import Document
from ._common import first_line, is_blank
from ._encoding import decode_text

EXTENSIONS = (".txt", ".md")
# A text longer than this is read as consecutive parts of about this many characters, cut at line
# breaks, each a document of its own: memory and the time to the first commit stay those of one part.
PART_CHARS = 200_000


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
    decoded = decode_text(data)
    del data
    text = decoded.text
    if is_blank(text):
        raise EmptyDocument("the file holds only whitespace")
    title = first_line(text)
    if path.suffix.lower() == ".md":
        # A Markdown title line is usually a "# Heading".
        title = title.lstrip("#").strip()
    meta = {"format": path.suffix.lower().lstrip("."), "encoding": decoded.encoding}
    if decoded.replaced:
        meta["replaced_bytes"] = decoded.replaced
    parts = split_parts(text, PART_CHARS)
    del text, decoded  # from here on only the parts not yet handed out are held
    total = len(parts)
    parts.reverse()
    for number in range(1, total + 1):
        if total > 1:
            meta = {**meta, "part": number, "parts": total}
        yield Document(
            id="",
            text=parts.pop(),
            source=str(path),
            title=title if total == 1 else f"{title} ({number}/{total})",
            meta=meta,
        )


def split_parts(text: str, size: int) -> list[str]:
    """`text` cut into consecutive parts of about `size` characters, at a blank line, else a line break.

    Joined again, the parts give `text` back exactly.
    """
    parts, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n\n", start + size // 2, end)
        if cut < 0:
            cut = text.rfind("\n", start + size // 2, end)
        cut = end if cut < 0 else cut + 1
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts
