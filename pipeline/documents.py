"""One stored document as the faces show it: its page (metadata, outline, near-duplicates, the
practices it names), its reading view with one passage highlighted, its PDF pages as images, and its
spaCy `Doc`. `Library` fetches the document and what the stores know of it; the functions here
shape them.
`library_document_page` runs `Library.document_page` over the library's stores.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from .errors import BadRequest, DocumentNotFound
from .types import Chunk, DocMeta, Document, Segment, Similar

if TYPE_CHECKING:
    from .index.manifest import DocumentRow, StoredMentions
    from .practices import DocumentView, Practice
    from .views import DocumentPage


def pdf_of(doc: Document) -> Path | None:
    """The PDF file a document was read from, if it has pages and the file is on this machine."""
    path = Path(doc.source)
    return path if doc.pages and path.suffix.lower() == ".pdf" and path.is_file() else None


def page_image(doc: Document, page: int, folder: Path) -> Path:
    """A PNG of page `page` (from 1) of a PDF document, rendered with pypdfium2 and cached in `folder`.

    Raises:
        DocumentNotFound: the document has no PDF file on this machine.
        BadRequest: no such page.
    """
    import pypdfium2

    from .search_results import whole_number

    pdf_path = pdf_of(doc)
    if pdf_path is None:
        raise DocumentNotFound(f"document {doc.id} has no page images: its source is not a PDF file here")
    page = whole_number(page, "page")
    if not 1 <= page <= len(doc.pages):
        raise BadRequest(f"page must be from 1 to {len(doc.pages)}, got {page}")
    out = folder / f"{doc.id}-{page}.png"
    if not out.exists():
        pdf = pypdfium2.PdfDocument(str(pdf_path))
        try:
            image = pdf[page - 1].render(scale=1.5).to_pil()
        finally:
            pdf.close()
        out.parent.mkdir(exist_ok=True)
        tmp = out.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        image.save(tmp, format="PNG")
        os.replace(tmp, out)  # concurrent readers see no half-written image
    return out


def document_page(doc: Document, chunks: Sequence[Chunk], similar: Mapping[str, DocumentRow],
                  catalogue: Iterable[Practice]) -> DocumentPage:
    """The page of a document: its metadata, outline (from its chunks' headings), the other members of
    its near-duplicate group (`similar`: doc_id -> row) and the practices of `catalogue` it names."""
    from .views import DocumentPage, NamedPractice, heading_tree

    near = tuple(Similar(d, r.title, r.source, r.lang) for d, r in similar.items())
    named = tuple(
        NamedPractice(p.name, p.lang, p.kind, sum(u.doc_id == doc.id for u in p.uses))
        for p in catalogue if any(u.doc_id == doc.id for u in p.uses)
    )
    return DocumentPage(doc, doc.metadata or DocMeta(), tuple(heading_tree(chunks)), near, named,
                        pdf_of(doc) is not None)


def document_view(doc: Document, start: int | None = None, end: int | None = None) -> DocumentView:
    """A document as a reader sees it, the passage `start`-`end` highlighted.

    Raises:
        BadRequest: the passage does not lie within the document.
    """
    from .export import source_url
    from .normalize import unquotable_spans
    from .practices import DocumentView

    if start is not None and end is not None and not 0 <= start <= end <= len(doc.text):
        raise BadRequest(f"start and end must lie within the document's {len(doc.text)} characters")
    return DocumentView(doc, doc.metadata or DocMeta(), source_url(doc), start, end, tuple(unquotable_spans(doc)))


def spacy_doc(doc: Document, stored: StoredMentions | None = None):
    """A document as a spaCy `Doc` (`pipeline.annotate.annotated_doc`), from the segments and practice
    mentions found at ingest (`stored`), or found now when the index holds none."""
    from .annotate import annotated_doc
    from .metadata import extract_metadata
    from .practices import find_mentions, mention_from_dict
    from .segment import segment

    if stored:
        segments = [Segment(doc.id, s.lang, s.start, s.end, doc.text[s.start:s.end], s.kind, s.level)
                    for s in stored.segments]
        mentions = [mention_from_dict(m) for m in stored.mentions]
    else:
        segments = segment(doc)
        mentions = find_mentions(doc, segments)
    meta = doc.metadata or extract_metadata(doc.text, doc.lang, doc.title, doc.source)  # kept at ingest
    return annotated_doc(doc, segments, mentions, meta)


def library_document_page(lib, doc_id: str):
    """`Library.document_page`: the document, its chunks, its near-duplicates' rows and the catalogue, shaped."""
    doc = lib.show(doc_id)
    similar = next((members for members in lib.manifest.duplicate_groups().values() if doc.id in members), [])
    rows = lib.manifest.document_rows(d for d in similar if d != doc.id)
    return document_page(doc, lib.chunks(doc.id), rows, lib.catalogue())
