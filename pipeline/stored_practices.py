"""An index's practice catalogue, from what its stores hold: the fingerprint of its documents, the
catalogue built over the mentions found at ingest, and each practice's vector from the stored vectors
of the chunks that mention it. `Library.catalogue` caches the result in `practices.json`
(`pipeline.practices.CachedCatalogue`).
`select_catalogue` and `practice_card` run `Library.practices` and `Library.practice`.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from .errors import GovtextError
from .practices import CachedCatalogue, Practice, build_catalogue, mention_from_dict
from .search_results import year_range
from .types import DocMeta, Segment

if TYPE_CHECKING:
    from pathlib import Path

    from .index import Manifest, VectorStore


def catalogue_fingerprint(manifest: Manifest) -> str:
    """A hash of every ok document's id and text hash: a catalogue is current when it matches."""
    rows = manifest.ok_documents()
    return hashlib.sha256("\n".join(f"{r.doc_id} {r.sha}" for r in rows).encode()).hexdigest()[:32]


def build_stored_catalogue(manifest: Manifest, vectors: VectorStore, fingerprint: str,
                           embed_passages=None) -> CachedCatalogue:
    """The catalogue of every ok document, over the segments and mentions stored at ingest; with
    `embed_passages` (e5's passage embedding), each entry scored and listed or not by the listing model
    (`pipeline.practices.listing`)."""
    ids = manifest.ok_doc_ids()
    docs = [d for d in map(manifest.get_document, ids) if d is not None]
    segments, mentions = {}, {}
    texts = {d.id: d.text for d in docs}
    for doc_id, found in manifest.mentions(ids).items():  # found at ingest
        text = texts[doc_id]
        segments[doc_id] = [Segment(doc_id, s.lang, s.start, s.end, text[s.start:s.end], s.kind, s.level)
                            for s in found.segments]
        mentions[doc_id] = [mention_from_dict(m) for m in found.mentions]
    meta = {}
    for doc in docs:
        found = doc.metadata or DocMeta()
        meta[doc.id] = (found.place_names, found.issue_date or (str(found.year) if found.year else ""))
    practices = build_catalogue(docs, segments=segments, metadata=meta, mentions=mentions)
    if embed_passages is not None:
        from .practices.listing import score_practices

        practices = score_practices(practices, {d.id: d for d in docs}, embed_passages)
    return CachedCatalogue(fingerprint, practices, practice_vectors(practices, manifest, vectors),
                           documents=len(ids))


def practice_vectors(practices: list[Practice], manifest: Manifest, vectors: VectorStore) -> dict:
    """(lang, canonical) -> the normalised mean of the vectors of the chunks that mention it."""
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id in {u.doc_id for p in practices for u in p.uses}:
        rows = manifest.chunk_rows(manifest.chunk_ids_of(doc_id))
        spans[doc_id] = sorted((r.start, r.end, cid) for cid, r in rows.items())
    wanted: dict[tuple[str, str], list[str]] = {}
    for p in practices:
        cids = []
        for u in p.uses:
            cid = next((c for s, e, c in spans[u.doc_id] if s <= u.start < e), None)
            if cid:
                cids.append(cid)
        wanted[(p.lang, p.canonical)] = cids
    stored = vectors.vectors_of([c for cids in wanted.values() for c in cids])
    out = {}
    for key, cids in wanted.items():
        vs = [stored[c] for c in cids if c in stored]
        if vs:
            v = np.mean(vs, axis=0)
            out[key] = v / (np.linalg.norm(v) or 1.0)
    return out


def select_catalogue(lib, lang: str | None, place: str | None, min_mentions: int, rebuild: bool, kind: str | None,
                     year, contains: str | None, include_unlisted: bool = False):
    """`Library.practices` (its arguments): the library's catalogue narrowed (`pipeline.practices.Catalogue`)."""
    from .practices import Catalogue
    from .practices.select import select_practices

    if lang not in (None, "vi", "zh"):
        raise GovtextError(f"unknown language {lang!r}: use vi or zh")
    years = year_range(year)
    everything = select_practices(lib.catalogue(rebuild=rebuild), lang, place, min_mentions, kind, years, contains, True)
    found = everything if include_unlisted else [p for p in everything if p.listed]
    return Catalogue(found, documents=len(lib.manifest.ok_doc_ids()), unlisted=len(everything) - len(found))


def practice_card(name: str, catalogue: list[Practice], vectors: dict, manifest: Manifest, index: Path,
                  nearest: int = 5):
    """`Library.practice`: the card of the practice `name` of `catalogue`, its nearest practices found
    by the catalogue's practice `vectors`, its uses' pages from the `manifest`.

    Raises:
        PracticeNotFound: no practice of the catalogue has that name.
    """
    from .glossary import load_glossary
    from .practices import PracticeCard, nearest_practices
    from .practices.select import find_practice

    p = find_practice(name, catalogue, str(index))
    docs = {doc_id: manifest.get_document(doc_id) for doc_id in dict.fromkeys(u.doc_id for u in p.uses)}
    pages = {(u.doc_id, u.start): docs[u.doc_id].page_at(u.start) for u in p.uses if docs[u.doc_id] is not None}
    expansion = load_glossary().expand(p.name, source_lang=p.lang)
    return PracticeCard(p, nearest_practices(p, vectors, catalogue, k=nearest),
                        tuple(expansion.explain()), pages)
