"""PDF reader: pdfplumber page by page, pypdfium2 for pages pdfplumber loses; one Document per file.

Pages are joined with PAGE_SEPARATOR ("\\n\\n", a paragraph break). Each Page span covers its
page's text plus the separator after it, so the spans tile the text with no gaps.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterator

import pdfplumber
import pypdfium2 as pdfium

from ..errors import EmptyDocument, ExtractionFailed
from ..types import Document, Page
from ._common import first_line, is_blank, meaningful_title

EXTENSIONS = (".pdf",)
PAGE_SEPARATOR = "\n\n"
# pdfplumber's text is preferred (better reading order), but with some embedded CJK CID fonts
# it silently drops whole lines; a page where it has fewer than this share of pypdfium2's
# non-space characters counts as lost.
MIN_SHARE = 0.8

_CID = re.compile(r"\(cid:\d+\)")
_SPACE = re.compile(r"\s+")


def read(path: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Document]:
    """Read a PDF as one Document with a Page span per page.

    Args:
        path: the file.
        on_error: unused; a PDF is one document, so any failure raises.
    Returns:
        An iterator over one Document with `pages` and `meta` {"format": "pdf",
        "extractor": one of "pdfplumber"/"pypdfium2" per page}.
    Raises:
        ExtractionFailed: the PDF is corrupt, truncated or encrypted.
        EmptyDocument: no page has a text layer (a scanned PDF; OCR is not supported yet).
    """
    fallback_texts, meta_title = _read_pdfium(path)
    primary_texts = _read_pdfplumber(path, len(fallback_texts))
    chosen = [pick_page_text(p, f) for p, f in zip(primary_texts, fallback_texts)]
    if not chosen:
        raise EmptyDocument("the PDF has no pages")
    if all(is_blank(text) for text, _ in chosen):
        raise EmptyDocument(
            f"none of its {len(chosen)} page(s) has a text layer: it looks scanned and needs OCR, "
            "which govtext does not do yet"
        )
    pieces, pages, offset = [], [], 0
    for number, (text, _) in enumerate(chosen, start=1):
        piece = text if number == len(chosen) else text + PAGE_SEPARATOR
        pieces.append(piece)
        pages.append(Page(number=number, start=offset, end=offset + len(piece)))
        offset += len(piece)
    text = "".join(pieces)
    yield Document(
        id="",
        text=text,
        source=str(path),
        title=meaningful_title(meta_title) or first_line(text),
        pages=tuple(pages),
        meta={"format": "pdf", "extractor": tuple(extractor for _, extractor in chosen)},
    )


def pick_page_text(primary: str, fallback: str) -> tuple[str, str]:
    """Choose one page's text: pdfplumber's unless it is empty, much shorter, or CID garbage.

    Args:
        primary: the page's text from pdfplumber ("" if it failed).
        fallback: the same page's text from pypdfium2.
    Returns:
        (text, extractor name): "pdfplumber" or "pypdfium2".
    """
    fallback_chars = len(_SPACE.sub("", fallback))
    if fallback_chars and (
        _CID.search(primary) or len(_SPACE.sub("", primary)) < MIN_SHARE * fallback_chars
    ):
        return fallback, "pypdfium2"
    # With no fallback text either, "(cid:N)" placeholders are all that is left: they carry no text.
    return _CID.sub("", primary), "pdfplumber"


def _read_pdfium(path: Path) -> tuple[list[str], str]:
    """Every page's text and the metadata title, via pypdfium2 (which also vets the file)."""
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise ExtractionFailed("the PDF is encrypted and needs a password") from err
        raise ExtractionFailed(f"corrupt or truncated PDF ({err})") from err
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts, pdf.get_metadata_dict().get("Title", "")
    finally:
        pdf.close()


def _read_pdfplumber(path: Path, page_count: int) -> list[str]:
    """Every page's text via pdfplumber; "" for a page (or the whole file) it cannot handle."""
    texts = [""] * page_count
    # pdfminer raises assorted exception types on malformed content; pypdfium2 already
    # opened the file, so any page pdfplumber fails on simply falls back to it.
    try:
        with pdfplumber.open(path) as pdf:
            for i, page in enumerate(pdf.pages[:page_count]):
                try:
                    texts[i] = page.extract_text() or ""
                except Exception:
                    pass
                page.close()
    except Exception:
        pass
    return texts
