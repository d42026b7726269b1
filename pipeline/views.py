"""What a reader looks at: a page of search results with facet counts, and one document with its context.

`Library.search_page` returns a `SearchPage`, `Library.document_page` a `DocumentPage`; the web
app renders them and the JSON API sends their `to_dict()`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .types import Chunk, DocMeta, Document, Hit, Similar

if TYPE_CHECKING:
    from .index.manifest import DocumentRow
    from .search_results import SearchResults

FACETS = ("type", "year", "place", "issuer", "lang")
MAX_FACET_VALUES = 12  # values listed per facet, most frequent first


def facet_counts(documents: Iterable[tuple[str, DocMeta]], limit: int = MAX_FACET_VALUES) -> dict[str, list[tuple[str, str, int]]]:
    """Documents per value of each facet, most frequent first.

    Args:
        documents: (language, metadata) of each document.
    Returns:
        {"type": [(value to filter by, label, count), ...], "year": ..., "place": ..., "issuer": ..., "lang": ...}
    """
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    labels: dict[tuple[str, str], str] = {}
    for lang, meta in documents:
        if meta.doc_type:
            counts["type"][meta.doc_type] += 1
            labels[("type", meta.doc_type)] = meta.doc_type_name or meta.doc_type
        year = str(meta.issue_date or meta.year or "")[:4]
        if year.isdigit():
            counts["year"][year] += 1
        for place in dict.fromkeys(meta.place_names):
            counts["place"][place] += 1
        if meta.issuer:
            counts["issuer"][meta.issuer] += 1
        if lang:
            counts["lang"][lang] += 1
    return {
        name: [(value, labels.get((name, value), value), n)
               for value, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
        for name, c in counts.items()
    }


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its hits, how many documents matched in all (up to the pool searched),
    and facet counts over all of them."""

    query: str
    mode: str
    hits: tuple[Hit, ...]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    notice: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query, "mode": self.mode, "total": self.total, "page": self.page,
            "per_page": self.per_page, "pages": self.pages, "filters": dict(self.filters), "notice": self.notice,
            "facets": {name: [{"value": v, "label": label, "count": n} for v, label, n in values]
                       for name, values in self.facets.items()},
            "hits": [h.to_dict() for h in self.hits],
        }


def search_page(found: SearchResults, rows: Mapping[str, DocumentRow], metas: Mapping[str, DocMeta], page: int,
                per_page: int, filters: dict[str, str]) -> SearchPage:
    """The page `page` of a search whose window was that page: facets over every document it ranked
    (`rows` and `metas` of each, by doc_id; a document missing from them counts with no language or metadata)."""
    facets = facet_counts((rows[d].lang if d in rows else "", metas.get(d, DocMeta())) for d in found.ranked)
    return SearchPage(found.query, found.mode, tuple(found), len(found.ranked), page, per_page, facets,
                      filters, found.notice)


@dataclass(frozen=True)
class Heading:
    """A heading of a document's outline: its depth (1 = top), text and where its section starts."""

    level: int
    text: str
    start: int


def heading_tree(chunks: Iterable[Chunk]) -> list[Heading]:
    """The outline of a document from its chunks' heading paths, each heading once, in reading order."""
    seen: dict[tuple[str, ...], Heading] = {}
    for c in sorted(chunks, key=lambda c: c.start):
        for depth in range(1, len(c.headings) + 1):
            path = tuple(c.headings[:depth])
            if path not in seen:
                seen[path] = Heading(depth, path[-1], c.start)
    return list(seen.values())


@dataclass(frozen=True)
class NamedPractice:
    """A catalogued practice that a document names, and how many times it does."""

    name: str
    lang: str
    kind: str
    mentions: int


@dataclass(frozen=True)
class DocumentPage:
    """A document with what surrounds it: metadata, outline, near-duplicates and the practices it names."""

    document: Document
    meta: DocMeta
    headings: tuple[Heading, ...]
    similar: tuple[Similar, ...]  # the other documents of its near-duplicate group
    practices: tuple[NamedPractice, ...]
    has_page_images: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.document.to_dict(), "metadata": self.meta.to_dict(),
            "headings": [{"level": h.level, "text": h.text, "start": h.start} for h in self.headings],
            "similar": [{"doc_id": s.doc_id, "title": s.title, "source": s.source, "lang": s.lang} for s in self.similar],
            "practices": [asdict(p) for p in self.practices],
            "has_page_images": self.has_page_images,
        }


def duplicate_listing(groups: Mapping[str, Sequence[str]], rows: Mapping[str, DocumentRow]) -> list[dict]:
    """Near-duplicate groups (group id -> member doc ids) as rows, largest first.

    Returns:
        [{"group": id, "size": n, "documents": [{"doc_id", "title", "source", "lang"}, ...]}, ...]
    """
    out = [
        {
            "group": gid,
            "size": len(members),
            "documents": [
                {"doc_id": d, "title": rows[d].title if d in rows else "", "source": rows[d].source if d in rows else "",
                 "lang": rows[d].lang if d in rows else ""}
                for d in members
            ],
        }
        for gid, members in groups.items()
    ]
    return sorted(out, key=lambda g: (-g["size"], g["group"]))


def library_search_page(lib, query: str, page: int, per_page: int, mode: str | None, lang: str | None,
                        doc_type: str | None, year, place: str | None, issuer: str | None, pool: int) -> SearchPage:
    """`Library.search_page` (its arguments and errors): rank enough documents for the page, count
    facets over them all, and shape the page."""
    from .errors import BadRequest
    from .search_results import MAX_K, check_k, whole_number

    per_page = check_k(per_page)
    page = whole_number(page, "page")
    if page < 1 or (page - 1) * per_page >= MAX_K:
        raise BadRequest(f"page must be from 1 to {MAX_K // per_page}, got {page}")
    found = lib.search(query, k=min(MAX_K, page * per_page), mode=mode, lang=lang,
                       doc_type=doc_type, year=year, place=place, issuer=issuer,
                       window=((page - 1) * per_page, page * per_page), pool=pool)
    filters = {k: str(v) for k, v in (("lang", lang), ("type", doc_type), ("year", year), ("place", place),
                                      ("issuer", issuer)) if v}
    return search_page(found, lib.manifest.document_rows(found.ranked), lib.manifest.document_meta(found.ranked),
                       page, per_page, filters)
