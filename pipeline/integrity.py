"""Check and repair: do the manifest, chroma and tantivy agree on every chunk?

The manifest is the source of truth. `check_index` lists every way the three stores disagree;
`repair_index` brings chroma and tantivy back to what the manifest says (re-embedding or
re-indexing a missing chunk from the stored document text, deleting orphans and duplicates), rolls
back documents a dead writer left pending, and never drops an `ok` document.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .types import Chunk

if TYPE_CHECKING:
    from .stores import IndexStores
    from .ingest import Ingestor

_SAMPLE = 10  # ids quoted per kind of problem


@dataclass(frozen=True)
class CheckReport:
    """How the stores of one index compare; `ok` is False on any mismatch."""

    documents: int
    chunks: int
    vector_chunks: int
    lexical_chunks: int
    pending: tuple[str, ...] = ()
    missing_vectors: tuple[str, ...] = ()
    missing_lexical: tuple[str, ...] = ()
    orphan_vectors: tuple[str, ...] = ()
    orphan_lexical: tuple[str, ...] = ()
    duplicate_lexical: tuple[str, ...] = ()
    chunk_count_mismatches: tuple[str, ...] = ()
    dangling_sources: tuple[str, ...] = ()
    practices: str = "missing"  # current | stale (rebuilt on next use) | missing | unreadable
    damaged_vectors: tuple[str, ...] = ()  # how chroma's HNSW files disagree (its ids were then not read)

    @property
    def problems(self) -> dict[str, tuple[str, ...]]:
        """Each kind of mismatch found, with the ids concerned."""
        kinds = ("damaged_vectors", "pending", "missing_vectors", "missing_lexical", "orphan_vectors", "orphan_lexical",
                 "duplicate_lexical", "chunk_count_mismatches", "dangling_sources")
        found = {k: getattr(self, k) for k in kinds if getattr(self, k)}
        if self.practices == "unreadable":
            found["practices"] = ("practices.json",)
        return found

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "ok": self.ok, "documents": self.documents, "chunks": self.chunks,
            "vector_chunks": self.vector_chunks, "lexical_chunks": self.lexical_chunks,
            "practices": self.practices,
            "problems": {k: {"count": len(v), "sample": list(v[:_SAMPLE])} for k, v in self.problems.items()},
        }

    def to_text(self) -> str:
        vectors = "damaged" if self.damaged_vectors else self.vector_chunks
        lines = [
            f"documents {self.documents}  chunks {self.chunks}  (vectors {vectors}, lexical "
            f"{self.lexical_chunks})  practice cache {self.practices}",
        ]
        for kind, ids in self.problems.items():
            more = " …" if len(ids) > _SAMPLE else ""
            sep = "; " if kind == "damaged_vectors" else " "
            lines.append(f"  {kind.replace('_', ' ')}: {len(ids)}  {sep.join(ids[:_SAMPLE])}{more}")
        lines.append("ok: the stores agree" if self.ok else "MISMATCH: run `govtext repair`")
        return "\n".join(lines)


@dataclass(frozen=True)
class RepairReport:
    """What `repair_index` changed; `after` is the check that followed."""

    rolled_back: tuple[str, ...] = ()
    reembedded: int = 0
    reindexed: int = 0
    orphans_deleted: int = 0
    duplicates_fixed: int = 0
    rechunked: tuple[str, ...] = ()
    sources_dropped: tuple[str, ...] = ()
    vectors_rebuilt: str = ""  # why the vector index was built anew: "damaged", or "one collection a language"
    vectors_salvaged: int = 0  # chunks whose vectors were read back from the old files when rebuilt
    after: CheckReport | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        return {
            "rolled_back": list(self.rolled_back), "reembedded": self.reembedded, "reindexed": self.reindexed,
            "orphans_deleted": self.orphans_deleted, "duplicates_fixed": self.duplicates_fixed,
            "rechunked": list(self.rechunked), "sources_dropped": list(self.sources_dropped),
            "vectors_rebuilt": self.vectors_rebuilt, "vectors_salvaged": self.vectors_salvaged,
            "after": self.after.to_dict() if self.after else None,
        }

    def to_text(self) -> str:
        done = [
            f"rebuilt the vector index ({self.vectors_rebuilt}): {self.vectors_salvaged} vectors read back from its files"
            if self.vectors_rebuilt else "",
            f"rolled back {len(self.rolled_back)} pending documents (run the ingest again to add them)"
            if self.rolled_back else "",
            f"re-embedded {self.reembedded} chunks" if self.reembedded else "",
            f"re-indexed {self.reindexed} chunks in the lexical index" if self.reindexed else "",
            f"deleted {self.orphans_deleted} orphan entries" if self.orphans_deleted else "",
            f"fixed {self.duplicates_fixed} duplicated lexical entries" if self.duplicates_fixed else "",
            f"re-chunked {len(self.rechunked)} documents" if self.rechunked else "",
            f"dropped {len(self.sources_dropped)} sources of missing documents" if self.sources_dropped else "",
        ]
        lines = [d for d in done if d] or ["nothing to repair"]
        if self.after is not None:
            lines.append(self.after.to_text())
        return "\n".join(lines)


def _practice_state(lib: "IndexStores") -> str:
    cache = lib.path / "practices.json"
    if not cache.exists():
        return "missing"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unreadable"
    return "current" if isinstance(data, dict) and data.get("fingerprint") == lib.catalogue_fingerprint() else "stale"


def check_index(lib: "IndexStores") -> CheckReport:
    """Compare the manifest with chroma and tantivy (see `CheckReport`)."""
    m = lib.manifest
    ok_chunks = m.ok_chunks()
    all_chunks = set(m.chunk_ids_all())
    damaged = lib.vectors.damage()  # then chroma is not opened: its ids are not compared
    vector_ids = [] if damaged else lib.vectors.all_ids()
    lexical_entries = lib.lexical.all_chunk_ids()
    vectors, lexical = set(vector_ids), set(lexical_entries)
    pending = m.pending_documents()
    dangling = [r.source for r in m.source_rows() if r.doc_id and m.doc_status(r.doc_id) is None]
    return CheckReport(
        documents=len(m.ok_doc_ids()),
        chunks=len(ok_chunks),
        vector_chunks=len(vector_ids),
        lexical_chunks=len(lexical_entries),
        pending=tuple(pending),
        missing_vectors=() if damaged else tuple(sorted(set(ok_chunks) - vectors)),
        missing_lexical=tuple(sorted(set(ok_chunks) - lexical)),
        # chunks of pending documents are counted under `pending`, not as orphans
        orphan_vectors=tuple(sorted(vectors - all_chunks)),
        orphan_lexical=tuple(sorted(lexical - all_chunks)),
        duplicate_lexical=tuple(sorted(c for c, n in Counter(lexical_entries).items() if n > 1)),
        chunk_count_mismatches=tuple(x.doc_id for x in m.n_chunks_mismatches()),
        dangling_sources=tuple(dangling),
        practices=_practice_state(lib),
        damaged_vectors=damaged,
    )


def repair_index(lib: "IndexStores", ing: "Ingestor") -> RepairReport:
    """Make chroma and tantivy agree with the manifest; the caller holds the writer lock (`Ingestor.writing`),
    which has already rolled back what a dead writer left pending (`ing.resumed`)."""
    from .index.lexical import word_terms

    m = lib.manifest
    before = check_index(lib)
    # chunk rows that disagree with their document's count: re-chunk from the stored text
    rechunked = []
    for doc_id in before.chunk_count_mismatches:
        _rechunk(lib, doc_id)
        rechunked.append(doc_id)
    if rechunked:
        before = check_index(lib)
    orphans = set(before.orphan_vectors) | set(before.orphan_lexical)
    if before.orphan_vectors:
        lib.vectors.delete_ids(list(before.orphan_vectors))
    redo_lexical = set(before.missing_lexical) | set(before.duplicate_lexical)
    stale_lexical = set(before.orphan_lexical) | set(before.duplicate_lexical)
    if stale_lexical:
        lib.lexical.delete_chunks(sorted(stale_lexical))
    chunks = _chunks_of(lib, set(before.missing_vectors) | redo_lexical)
    if before.missing_vectors:
        want = [c for c in chunks if c.chunk_id in set(before.missing_vectors)]
        _restore_vectors(lib, ing, want)
    if redo_lexical:
        want = [c for c in chunks if c.chunk_id in redo_lexical]
        docs = m.document_rows({c.doc_id for c in want})
        lib.lexical.add(
            [c.chunk for c in want], [word_terms(c.chunk.text, c.chunk.lang) for c in want],
            {d: r.source for d, r in docs.items()},
        )
    lib.lexical.commit()
    with m.transaction():
        for source in before.dangling_sources:
            m.delete_source(source)
    if before.practices == "unreadable":
        (lib.path / "practices.json").unlink(missing_ok=True)
    return RepairReport(
        vectors_rebuilt=ing.vectors_rebuilt[0] if ing.vectors_rebuilt else "",
        vectors_salvaged=ing.vectors_rebuilt[1] if ing.vectors_rebuilt else 0,
        rolled_back=tuple(ing.resumed),
        reembedded=len(before.missing_vectors),
        reindexed=len(redo_lexical),
        orphans_deleted=len(orphans),
        duplicates_fixed=len(before.duplicate_lexical),
        rechunked=tuple(rechunked),
        sources_dropped=tuple(before.dangling_sources),
        after=check_index(lib),
    )


@dataclass(frozen=True)
class _Stored:
    chunk_id: str
    doc_id: str
    chunk: Chunk
    title: str


def _chunks_of(lib: "IndexStores", chunk_ids: set[str]) -> list[_Stored]:
    """The chunks of `chunk_ids` rebuilt from the manifest: rows plus the stored document text."""
    if not chunk_ids:
        return []
    by_doc: dict[str, list] = {}
    for r in lib.manifest.chunk_rows(chunk_ids).values():
        by_doc.setdefault(r.doc_id, []).append(r)
    out = []
    for doc in lib.manifest.documents_with_text(sorted(by_doc)):
        for r in by_doc[doc.id]:
            chunk = Chunk(r.chunk_id, r.doc_id, r.lang, r.start, r.end, doc.text[r.start:r.end], r.ordinal,
                          r.page, r.headings)
            out.append(_Stored(r.chunk_id, r.doc_id, chunk, doc.title))
    return sorted(out, key=lambda s: (s.doc_id, s.chunk.ordinal))


def rebuild_vectors(lib: "IndexStores", ing: "Ingestor") -> int:
    """Build an embedded vector index anew, one collection a language (the caller holds the writer
    lock): every chunk of an ok document gets the vector still whole in the old files, or is
    re-embedded from the stored text. The old database is deleted once the new one holds every
    chunk. Returns how many vectors were read back. Repair does this to a damaged index and to
    one of the older layout (one collection for all languages)."""
    salvaged, aside = lib.vectors.set_aside()
    m = lib.manifest
    stored = _chunks_of(lib, set(m.ok_chunks()))
    kept = [s for s in stored if s.chunk_id in salvaged and len(salvaged[s.chunk_id]) == ing.embedder.dim]
    if kept:
        docs = m.document_rows({s.doc_id for s in kept})
        titles = {s.doc_id: s.title for s in kept}
        lib.vectors.add([s.chunk for s in kept], np.stack([salvaged[s.chunk_id] for s in kept]),
                        {d: r.source for d, r in docs.items()}, titles)
    kept_ids = {s.chunk_id for s in kept}
    lost = [s for s in stored if s.chunk_id not in kept_ids]
    if lost:
        _restore_vectors(lib, ing, lost)
    import shutil

    shutil.rmtree(aside, ignore_errors=True)
    return len(kept)


def _restore_vectors(lib: "IndexStores", ing: "Ingestor", stored: list[_Stored]) -> None:
    chunks = [s.chunk for s in stored]
    titles = {s.doc_id: s.title for s in stored}
    docs = lib.manifest.document_rows(titles)
    vectors = ing.embed(chunks, titles)
    lib.vectors.add(chunks, vectors, {d: r.source for d, r in docs.items()}, titles)


def _rechunk(lib: "IndexStores", doc_id: str) -> None:
    """Rebuild one ok document's chunk rows from its stored text (chunking is deterministic) and drop
    its store entries, which the rest of the repair then restores as missing."""
    from .chunk import chunk
    from .segment import segment

    doc = lib.manifest.get_document(doc_id)
    chunks = chunk(doc, segment(doc), max_tokens=lib.settings.max_tokens)
    with lib.manifest.transaction():
        lib.manifest.put_chunks(doc_id, chunks)
    lib.vectors.delete_documents([doc_id])
    lib.lexical.delete_documents([doc_id])
    lib.lexical.commit()
