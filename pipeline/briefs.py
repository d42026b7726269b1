"""Drafting briefs assembled from an index: the passages of a comparison or a practice card, each
quoted as its document reads and cited (`pipeline.export` renders them as Markdown or DOCX).

`Library.brief` fetches the comparison or the card and the stored documents; the functions here
shape them into a `Brief`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from .errors import BadRequest, GovtextError
from .export import Brief, BriefSection, Quote, quoted_passage, source_url
from .headings import article_reference
from .normalize import unquotable_spans
from .types import DocMeta, Document

if TYPE_CHECKING:
    from pathlib import Path

    from .practices import Comparison, Practice, PracticeCard

Quoter = Callable[..., "Quote | None"]

BRIEF_MEDIA = {  # format -> media type of a brief's download
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def brief_format(format: str) -> str:
    """"md" or "docx" from a format name ("markdown" is "md").

    Raises:
        BadRequest: an unknown format.
    """
    fmt = "md" if format in ("md", "markdown") else format
    if fmt not in BRIEF_MEDIA:
        raise BadRequest(f"unknown format {format!r}: use md or docx")
    return fmt


def quoter(show: Callable[[str], Document]) -> Quoter:
    """A function quoting `doc.text[start:end]` of a stored document as a cited `export.Quote`.

    The quote is the passage as the document view shows it (`export.quoted_passage`: no skip
    spans or boilerplate, line breaks inside sentences joined), cited with the document's
    full id and web address; the function returns None for a passage that is all boilerplate.

    Args:
        show: the stored document of an id (`Library.show`); each document is read once.
    """
    docs: dict[str, tuple[Document, list, str]] = {}

    def quote(doc_id, start, end, marks=(), section="", note=""):
        if doc_id not in docs:
            doc = show(doc_id)
            docs[doc_id] = (doc, unquotable_spans(doc), source_url(doc))
        doc, skip, url = docs[doc_id]
        meta = doc.metadata or DocMeta()
        found = quoted_passage(doc, start, end, tuple(marks), skip)
        if found is None:
            return None
        text, start, end, highlights = found
        return Quote(
            text=text, doc_id=doc_id, title=doc.title, lang=doc.lang_at(start) or doc.lang, source=doc.source,
            issuer=meta.issuer, date=meta.issue_date, doc_type=meta.doc_type_name,
            number=meta.number, section=section, article=article_reference((section,), text) if section else "",
            page=doc.page_at(start), start=start, end=end, highlights=highlights, note=note, url=url,
        )

    return quote


def query_brief(query: str, cmp: Comparison, quote: Quoter, index: Path, stamp: str) -> Brief:
    """The brief of a query: the best passage of each document found in Vietnamese and in Chinese,
    the query's own language first."""
    sections = tuple(
        BriefSection(f"{'Tiếng Việt' if lang == 'vi' else '中文'}: {len(hits)} documents", tuple(
            q for h in hits if (q := quote(h.doc_id, h.best.start, h.best.end, h.best.highlights,
                                           " > ".join(h.best.headings))) is not None))
        for lang, hits in sorted(cmp.results.items(), key=lambda kv: kv[0] != cmp.query_lang)
    )
    summary = (f"Query: {query}", f"Index: {index}", *(f"Glossary: {g}" for g in cmp.glossary))
    return Brief(f"Brief: {query}", sections, summary, stamp)


def practice_brief(card: PracticeCard, catalogue: Sequence[Practice], quote: Quoter, index: Path,
                   stamp: str) -> Brief:
    """The brief of a practice: its definition and components, every use, its outcomes and the
    nearest practices of the other language (looked up in `catalogue`, the one the card came from)."""
    p = card.practice

    def quotes(found) -> tuple:
        return tuple(q for q in found if q is not None)

    defined = [*((d.doc_id, d.start, d.end) for d in p.definitions),
               *((c.doc_id, c.start, c.end) for c in p.components if c.text)]
    sections = [BriefSection("Definition and components", quotes(quote(*found) for found in defined))]
    sections.append(BriefSection(
        f"Uses: {p.mention_count} mentions in {p.doc_count} documents",
        quotes(quote(u.doc_id, u.passage_start, u.passage_end, ((u.start, u.end),), u.section) for u in p.uses),
    ))
    if p.outcomes:
        sections.append(BriefSection("Outcomes", quotes(
            quote(o.doc_id, o.start, o.end, note=f"figure: {o.figure}") for o in p.outcomes)))
    near = []
    by_name = {(x.lang, x.name): x for x in catalogue}
    for n in card.nearest[:3]:
        other = by_name[(n.lang, n.name)]
        u = other.uses[0]
        near.append(quote(u.doc_id, u.passage_start, u.passage_end, ((u.start, u.end),), u.section,
                          note=f"{other.name} (similarity {n.score:.2f})"))
    near = list(quotes(near))
    if near:
        sections.append(BriefSection("Nearest practices in the other language", tuple(near)))
    summary = (f"Practice: {p.name} ({p.lang}, {p.kind})", f"Variants: {' | '.join(p.variants)}",
               f"Index: {index}", *(f"Glossary: {g}" for g in card.glossary))
    return Brief(f"Brief: {p.name}", tuple(s for s in sections if s.quotes), summary, stamp)


def library_brief(query: str | None, practice: str | None, k: int, show: Callable[[str], Document],
                  compare: Callable[..., Comparison], practice_card: Callable[[str], PracticeCard],
                  catalogue: Callable[[], Sequence[Practice]], index: Path) -> Brief:
    """`Library.brief`: the brief of `compare(query, k=k)` or of `practice_card(practice)`, whose nearest
    practices are looked up in `catalogue()` (read after the card).

    Raises:
        GovtextError: neither or both of `query` and `practice` given.
        PracticeNotFound: no practice of that name.
    """
    from datetime import date

    if (query is None) == (practice is None):
        raise GovtextError("give a query or a practice, not both or neither")
    stamp = date.today().isoformat()
    quote = quoter(show)
    if query is not None:
        return query_brief(query, compare(query, k=k), quote, index, stamp)
    card = practice_card(practice)  # reads the catalogue the nearest practices are looked up in
    return practice_brief(card, catalogue(), quote, index, stamp)
