"""Small frozen dataclasses that flow through the pipeline: Document, DocMeta, Segment, Chunk, Hit."""
from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from typing import Any, Mapping


def content_hash(*parts: str, length: int = 16) -> str:
    """Stable hex id from text parts, so the same content always gets the same id."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class Page:
    """A page of a paginated source: 1-based number and its character span in the document text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class LangSpan:
    """A paragraph-sized span of a document and the language detected in it."""

    start: int
    end: int
    lang: str


PLACE_LEVELS = ("province", "city", "district", "ward", "community")  # largest first


@dataclass(frozen=True)
class Place:
    """A named administrative place and its level ("province", "city", "district", "ward", "community")."""

    name: str
    level: str


@dataclass(frozen=True)
class DatedMention:
    """A full date found in the text, in ISO form, with its role and character span.

    Roles: "issued" (header date, signature date, promulgation), "adopted", "amended",
    "approved", "effective", "published" (a news item's or web page's publication date: a
    posting line or the report's dateline), "cited" (a date of another document) and "other".
    """

    date: str
    role: str
    start: int
    end: int


@dataclass(frozen=True)
class DocMeta:
    """A document's metadata as `pipeline.metadata.extract_metadata` finds it: type, number, dates,
    issuer, signer and places; empty strings, None and () mean "not found".

    The one record of it from extraction to the manifest, `Document.metadata`, `Hit.meta` and the
    brief; `to_dict` is its flat JSON form.
    """

    doc_type: str = ""
    doc_type_name: str = ""
    number: str = ""
    issue_date: str = ""
    year: int | None = None
    issuer: str = ""
    signer: str = ""
    signer_title: str = ""
    places: tuple[Place, ...] = ()
    dates: tuple[DatedMention, ...] = ()
    references: tuple[str, ...] = ()

    @property
    def place_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.places)

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON-ready values (strings, ints, lists of strings), as JSON output and facets read them.

        `year` is 0 when unknown; `dates` entries read "2021-10-28 issued"; places are listed all
        together and per level.
        """
        by_level = {level: [p.name for p in self.places if p.level == level] for level in PLACE_LEVELS}
        return {
            "doc_type": self.doc_type,
            "doc_type_name": self.doc_type_name,
            "number": self.number,
            "issue_date": self.issue_date,
            "year": self.year or 0,
            "issuer": self.issuer,
            "signer": self.signer,
            "signer_title": self.signer_title,
            "places": list(self.place_names),
            "provinces": by_level["province"],
            "cities": by_level["city"],
            "districts": by_level["district"],
            "wards": by_level["ward"],
            "communities": by_level["community"],
            "dates": [f"{d.date} {d.role}" for d in self.dates],
            "references": list(self.references),
        }


@dataclass(frozen=True)
class Document:
    """One source document.

    `text` is the display text; every offset elsewhere (pages, segments, chunks,
    hits) indexes into it. `skip` lists spans that are kept for display but
    left out of indexing (repeated captions, web chrome). `meta` holds what its reader recorded
    (format, encoding, OCR pages ...); `metadata` what the metadata stage extracted, None before it ran.
    """

    id: str
    text: str
    source: str = ""
    title: str = ""
    lang: str = ""
    pages: tuple[Page, ...] = ()
    skip: tuple[tuple[int, int], ...] = ()
    lang_spans: tuple[LangSpan, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    metadata: DocMeta | None = None

    def page_at(self, offset: int) -> int | None:
        """The page number holding character `offset`, or None for unpaginated text."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        if self.pages and offset >= self.pages[-1].end:
            return self.pages[-1].number
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: id, title, source, language, text, pages as [number, start, end], meta
        (with the extracted metadata's `DocMeta.to_dict()` under "metadata" once extracted)."""
        meta = dict(self.meta) if self.metadata is None else {**self.meta, "metadata": self.metadata.to_dict()}
        return {"doc_id": self.id, "title": self.title, "source": self.source, "lang": self.lang, "text": self.text,
                "pages": [[p.number, p.start, p.end] for p in self.pages], "meta": meta}

    def to_text(self) -> str:
        """A heading line (title, language, source, id, length) and the text, as `govtext show` prints it."""
        return f"{self.title}\n[{self.lang}] {self.source}  id {self.id}  {len(self.text)} characters\n\n{self.text}"

    def _repr_html_(self) -> str:
        return (f"<p><b>{html.escape(self.title or self.id)}</b> <small>[{self.lang}] {html.escape(self.source)} "
                f"· id {html.escape(self.id)}</small></p><div style='white-space:pre-wrap'>{html.escape(self.text)}</div>")

    def lang_at(self, offset: int) -> str:
        """The language of the paragraph holding `offset` (the document's language if unknown)."""
        for span in self.lang_spans:
            if span.start <= offset < span.end:
                return span.lang
        return self.lang


@dataclass(frozen=True)
class Segment:
    """A sentence (or heading line) of a document, with offsets into `Document.text`."""

    doc_id: str
    lang: str
    start: int
    end: int
    text: str
    kind: str = "sentence"  # "sentence" or "heading"
    level: int = 0  # heading depth (1 = top) for kind == "heading"


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: consecutive sentences within one section, under the model's token limit."""

    id: str
    doc_id: str
    lang: str
    start: int
    end: int
    text: str
    ordinal: int = 0
    page: int | None = None
    headings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Where the chunk is (its text left out: it is `doc.text[start:end]`)."""
        return {"chunk_id": self.id, "start": self.start, "end": self.end, "page": self.page,
                "headings": list(self.headings)}


@dataclass(frozen=True)
class Passage:
    """One matching chunk of a hit, with highlight spans as document offsets."""

    chunk_id: str
    text: str
    start: int
    end: int
    score: float
    page: int | None = None
    headings: tuple[str, ...] = ()
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, open_mark: str = "[", close_mark: str = "]") -> str:
        """The passage text with every highlight wrapped in the given marks."""
        out, pos = [], self.start
        for s, e in self.highlights:
            if s < pos or e > self.end:
                continue
            out.append(self.text[pos - self.start : s - self.start])
            out.append(open_mark + self.text[s - self.start : e - self.start] + close_mark)
            pos = e
        out.append(self.text[pos - self.start :])
        return "".join(out)


@dataclass(frozen=True)
class Similar:
    """A near-duplicate of a hit's document (a repost, another version), collapsed into that hit."""

    doc_id: str
    title: str
    source: str
    lang: str = ""
    score: float | None = None  # its own score when it matched the query too, else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "lang": self.lang,
            "score": None if self.score is None else round(self.score, 6),
        }


@dataclass(frozen=True)
class Hit:
    """A search result: one document, its fused score and its best passages (best first).

    `similar` lists the near-duplicates of the document that the search collapsed into this hit.
    """

    doc_id: str
    title: str
    source: str
    lang: str
    score: float
    passages: tuple[Passage, ...]
    rank: int = 0
    similar: tuple[Similar, ...] = ()
    meta: DocMeta = field(default_factory=DocMeta)  # the document's type, number, issue date, issuer, places ...
    # estimated probability that the document is on the query's topic (`pipeline.calibration`), comparable
    # across queries, unlike `score`; None when no calibration applies
    relevance: float | None = None
    evidence: Mapping[str, float] = field(default_factory=dict)  # what the estimate was computed from

    @property
    def weak(self) -> bool:
        """Whether the estimate says this is probably not on the topic (shown as a weak match)."""
        from .calibration import line_group, weak_below

        return self.relevance is not None and self.relevance < weak_below(line_group(self.evidence))

    @property
    def similar_label(self) -> str:
        """"3 similar documents", "1 similar document", or "" when there are none."""
        n = len(self.similar)
        return f"{n} similar document{'s' if n != 1 else ''}" if n else ""

    @property
    def best(self) -> Passage:
        return self.passages[0]

    @property
    def citation(self) -> str:
        """Where the best passage comes from (`pipeline.citations.Citation`): document, section, page, offsets."""
        from .citations import Citation

        return Citation.from_hit(self).text()

    def _article(self) -> str:
        from .headings import article_reference

        return article_reference(self.best.headings, self.best.text)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the best passage flattened in, all passages listed."""
        p = self.best
        return {
            "rank": self.rank,
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "lang": self.lang,
            "score": round(self.score, 6),
            "relevance": None if self.relevance is None else round(self.relevance, 3),
            "weak": self.weak,
            "text": p.text,
            "start": p.start,
            "end": p.end,
            "page": p.page,
            "headings": list(p.headings),
            "highlights": [list(h) for h in p.highlights],
            "citation": self.citation,
            "article": self._article(),
            "doc_type": self.meta.doc_type,
            "doc_type_name": self.meta.doc_type_name,
            "number": self.meta.number,
            "issue_date": self.meta.issue_date,
            "issuer": self.meta.issuer,
            "places": list(self.meta.place_names),
            "passages": [
                {
                    "chunk_id": q.chunk_id,
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "score": round(q.score, 6),
                    "page": q.page,
                    "headings": list(q.headings),
                    "highlights": [list(h) for h in q.highlights],
                }
                for q in self.passages
            ],
            "similar_count": len(self.similar),
            "similar": [s.to_dict() for s in self.similar],
        }

    def _repr_html_(self) -> str:
        from .citations import Citation

        rows = []
        for i, p in enumerate(self.passages):
            body = html.escape(p.marked("\x00", "\x01")).replace("\x00", "<mark>").replace("\x01", "</mark>")
            cite = html.escape(Citation.from_hit(self, i).text())
            rows.append(f"<blockquote style='margin:4px 0 4px 8px'>{body}<br><small>{cite}</small></blockquote>")
        similar = ""
        if self.similar:
            items = "".join(
                f"<li>{html.escape(s.title or s.doc_id)} <small>{html.escape(s.source)}</small></li>" for s in self.similar
            )
            similar = f"<details><summary><small>{self.similar_label}</small></summary><ul>{items}</ul></details>"
        about = " · ".join(
            html.escape(str(v)) for v in (self.meta.doc_type_name, self.meta.number, self.meta.issue_date, self.meta.issuer) if v
        )
        judged = "" if self.relevance is None else f"relevance {self.relevance:.2f}{' · weak match' if self.weak else ''} · "
        return (
            f"<div style='text-align:left{';opacity:0.6' if self.weak else ''}'><b>{self.rank}. {html.escape(self.title or self.doc_id)}</b> "
            f"<small>[{self.lang}] {judged}{html.escape(self.source)}</small>"
            + (f"<br><small>{about}</small>" if about else "")
            + "".join(rows)
            + similar
            + "</div>"
        )


@dataclass(frozen=True)
class IngestProgress:
    """Where an ingest run stands: sent after each document read and after each commit.

    Rates and the ETA come from committed work only (what a crash would keep), never from documents
    read but still waiting for the embedder.
    """

    inputs_done: int  # inputs (files, JSONL records) resolved: committed, unchanged, skipped or failed
    documents: int  # documents committed (added or replaced)
    chunks: int  # chunks committed
    tokens: int  # model tokens embedded for committed chunks
    seconds: float  # since the run started
    stage: str  # what the run is doing now: read, normalize, words, embed, store_vectors, ...
    source: str = ""  # the input being read

    def rate(self, count: int) -> float:
        return count / self.seconds if self.seconds > 0 else 0.0

    def eta(self, total_inputs: int | None) -> float | None:
        """Seconds left at the pace of committed inputs so far; None before the first commit."""
        if not total_inputs or not self.inputs_done:
            return None
        return max(0.0, self.seconds * (total_inputs - self.inputs_done) / self.inputs_done)

    def summary(self) -> str:
        """"1,204 docs · 3.1 docs/s · 40 chunks/s · 6,093 tokens/s · embed"."""
        return (f"{self.documents:,} docs · {self.rate(self.documents):.1f} docs/s · "
                f"{self.rate(self.chunks):.0f} chunks/s · {self.rate(self.tokens):,.0f} tokens/s · {self.stage}")


@dataclass(frozen=True)
class Download:
    """A file made in memory for a download: its bytes, media type and suggested file name."""

    data: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did: counts plus every failure with its reason."""

    documents: int = 0
    chunks: int = 0
    unchanged: int = 0
    replaced: int = 0
    skipped: tuple[tuple[str, str], ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    stage_seconds: Mapping[str, float] = field(default_factory=dict)
    kept: tuple[tuple[str, str], ...] = ()  # sources that failed or vanished but keep their last good version
    repaired: tuple[tuple[str, str], ...] = ()  # sources read with invalid bytes replaced
    removed: tuple[str, ...] = ()  # documents removed (--sync, or records gone from their file)
    tokens: int = 0  # model tokens embedded
    peak_rss_mb: float = 0.0  # the writer process's peak resident memory by the end of the run
    reused: int = 0  # passages not embedded again: the same text (with its context) came earlier in the run
    workers: int = 1  # processes that prepared documents (1: the writer alone)

    @property
    def ok(self) -> bool:
        """Whether every input was read: no failure."""
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "chunks": self.chunks,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "kept": [{"source": s, "reason": r} for s, r in self.kept],
            "repaired": [{"source": s, "reason": r} for s, r in self.repaired],
            "removed": list(self.removed),
            "seconds": round(self.seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
            "tokens": self.tokens,
            "documents_per_second": round(self.documents / self.seconds, 3) if self.seconds else 0.0,
            "chunks_per_second": round(self.chunks / self.seconds, 3) if self.seconds else 0.0,
            "tokens_per_second": round(self.tokens / self.seconds, 1) if self.seconds else 0.0,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "reused": self.reused,
            "workers": self.workers,
        }

    def stages(self) -> str:
        """Seconds per stage, longest first: "embed 1,231.0 s, words 316.2 s, ..."."""
        ranked = sorted(self.stage_seconds.items(), key=lambda kv: -kv[1])
        return ", ".join(f"{name} {sec:,.1f} s" for name, sec in ranked if sec >= 0.05)
