"""The metadata stage's entry point: `extract_metadata` hands a document to its language's rules."""
from __future__ import annotations

from . import vi, zh
from .types import DocMeta


def extract_metadata(text: str, lang: str, title: str = "", source: str = "") -> DocMeta:
    """Document metadata by rules over normalised text.

    Args:
        text: the document's normalised text (`normalize(doc).text`: NFC, one tone placement).
        lang: "vi" or "zh" (other languages give an empty DocMeta).
        title: the document's title if known (a file's first line, a record's title field).
        source: where the document comes from (a path or URL); only used to recognise news sites.
    Returns:
        A DocMeta; fields that were not found are empty.

    Example:
        >>> extract_metadata("Số: 123/QĐ-UBND\\nQUYẾT ĐỊNH\\nVề việc ...", "vi").doc_type
        'quyet_dinh'
    """
    if lang == "vi":
        return vi.extract(text, title, source)
    if lang.startswith("zh"):
        return zh.extract(text, title, source)
    return DocMeta()
