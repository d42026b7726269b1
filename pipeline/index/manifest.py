"""The manifest: an SQLite file recording every source, document and chunk in an index.

It is the source of truth for what is indexed: a document is `ok` only after its chunks are in
both the vector and the lexical store, so an interrupted ingest resumes by redoing every
document that is not `ok`. Chunk rows carry the offsets, page and heading path used to cite hits.
Each document's extracted metadata (`pipeline.types.DocMeta`) is kept once, a column per field, in
`document_meta`; manifests written before that kept it in the documents' JSON and are migrated
when a writer opens them (a read-only reader migrates a temporary copy).
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ..types import Chunk, DocMeta, Document, LangSpan, Page
from .manifest_schema import META_COLUMNS, META_TABLE, SCHEMA, legacy_meta, meta_of_row, meta_row

SCHEMA_VERSION = "1"
CHUNK_ROWS_KEPT = 200_000  # chunk rows a reader keeps in memory for search (about 60 MB at most)
# Document statuses: `pending` while a writer is adding it to the stores, `deleting` while one removes
# it; only `ok` documents are ever shown. A pending or deleting document found by the next writer was
# left by one that died, and is rolled back.
OK, PENDING, DELETING = "ok", "pending", "deleting"


@dataclass(frozen=True)
class SourceRow:
    """What the manifest knows of one source (a file, or path#id for a JSONL record)."""

    source: str
    doc_id: str | None
    status: str  # ok | failed | skipped
    reason: str = ""


@dataclass(frozen=True)
class DocumentRow:
    """A document's listing: no text."""

    doc_id: str
    title: str
    source: str
    lang: str
    n_chunks: int = 0
    status: str = OK
    sha: str = ""


@dataclass(frozen=True)
class DocumentVersion:
    """An ok document's id and the hash of its text: what tells whether the documents changed."""

    doc_id: str
    sha: str


@dataclass(frozen=True)
class ChunkCountMismatch:
    """A document whose recorded chunk count differs from the chunk rows it has."""

    doc_id: str
    recorded: int
    rows: int


@dataclass(frozen=True)
class SegmentSpan:
    """A segment kept with a document's practice mentions: its language, span, kind and heading level."""

    lang: str
    start: int
    end: int
    kind: str
    level: int


@dataclass(frozen=True)
class StoredMentions:
    """A document's segments and practice mentions as found at ingest (`pipeline.practices.find_mentions`)."""

    segments: tuple[SegmentSpan, ...]
    mentions: tuple[dict, ...]  # PracticeMention.to_dict() each; `pipeline.practices.mention_from_dict` reads them


@dataclass(frozen=True)
class FilterResult:
    """Documents that pass the metadata filters, and how many the year filter left out for want of a date."""

    doc_ids: tuple[str, ...]
    undated_left_out: int = 0


@dataclass(frozen=True)
class ChunkRow:
    """Where a chunk sits in its document: what a hit needs to be cited."""

    chunk_id: str
    doc_id: str
    ordinal: int
    lang: str
    start: int
    end: int
    page: int | None
    headings: tuple[str, ...]


def _chunk_row(r: tuple) -> ChunkRow:
    """A ChunkRow from a `SELECT *` row of the chunks table."""
    return ChunkRow(*r[:7], tuple(json.loads(r[7])))


class Manifest:
    """SQLite record of sources, documents and chunks for one index folder."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path, self.readonly = Path(path), readonly
        if readonly:
            self.db = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        self.db.execute("PRAGMA busy_timeout=30000")
        self._kept_maps: dict[str, dict] = {}  # chunk rows and languages kept in memory (`_kept`)
        self._kept_generation = -1
        self._open_meta()

    def _open_meta(self) -> None:
        """Make `document_meta` readable: create it, or move the metadata of a manifest written before it
        into it (read-only: into a temporary table of this connection, the file untouched)."""
        def has(table: str) -> bool:
            found = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
            return found.fetchone() is not None

        if self.readonly:
            if not has("document_meta") and has("documents"):
                self.db.execute(META_TABLE.format(schema="temp"))
                self._copy_legacy_meta()
            return
        self.db.execute(META_TABLE.format(schema="main"))
        if not has("doc_meta"):
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if has("doc_meta"):  # another writer may have migrated it meanwhile
                self._copy_legacy_meta()
                self.db.execute("UPDATE documents SET meta = json_remove(meta, '$.metadata')"
                                " WHERE json_extract(meta, '$.metadata') IS NOT NULL")
                self.db.execute("DROP TABLE doc_meta")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _copy_legacy_meta(self) -> None:
        """Fill `document_meta` from the metadata JSON that manifests before it kept in `documents.meta`."""
        rows = self.db.execute(
            "SELECT doc_id, json_extract(meta, '$.metadata') FROM documents WHERE json_extract(meta, '$.metadata') IS NOT NULL"
        ).fetchall()
        self.db.executemany(
            f"INSERT OR REPLACE INTO document_meta({META_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [meta_row(doc_id, legacy_meta(json.loads(found))) for doc_id, found in rows],
        )

    # -- info
    def get_info(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM info WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO info(key, value) VALUES (?, ?)", (key, value))

    # -- sources
    def source_row(self, source: str) -> SourceRow | None:
        """What is recorded for a source, or None if never seen."""
        row = self.db.execute("SELECT source, doc_id, status, reason FROM sources WHERE source=?", (source,)).fetchone()
        return SourceRow(*row) if row else None

    def source_rows(self, prefix: str = "") -> list[SourceRow]:
        """Every source row, or those whose source starts with `prefix`, sorted by source."""
        rows = self.db.execute(
            "SELECT source, doc_id, status, reason FROM sources WHERE substr(source, 1, ?) = ? ORDER BY source",
            (len(prefix), prefix),
        )
        return [SourceRow(*r) for r in rows]

    def file_rows(self, path: str) -> list[SourceRow]:
        """The rows of one file: the file itself, and its records or parts (`path#...`)."""
        return [r for r in self.source_rows(path) if r.source == path or r.source.startswith(path + "#")]

    def delete_source(self, source: str) -> None:
        self.db.execute("DELETE FROM sources WHERE source=?", (source,))

    def clear_failures(self, path: str) -> None:
        """Forget the failures recorded for a file and its records before it is read again."""
        self.db.execute(
            "DELETE FROM sources WHERE status != 'ok' AND doc_id IS NULL AND (source = ? OR substr(source, 1, ?) IN (?, ?))",
            (path, len(path) + 1, path + "#", path + ":"),
        )

    def record_source(self, source: str, doc_id: str | None, status: str, reason: str = "") -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sources(source, doc_id, status, reason, updated) VALUES (?,?,?,?,?)",
            (source, doc_id, status, reason, time.time()),
        )

    def sources_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT source FROM sources WHERE doc_id=? ORDER BY source", (doc_id,))]

    def failures(self) -> list[SourceRow]:
        """Every source that failed or was skipped (a failed source may still point to its last good version)."""
        rows = self.db.execute("SELECT source, doc_id, status, reason FROM sources WHERE status != 'ok' ORDER BY source")
        return [SourceRow(*r) for r in rows]

    # -- documents
    def doc_status(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT status FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def doc_sha(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT sha FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def ok_documents(self) -> list[DocumentVersion]:
        """The id and text hash of every ok document, sorted by id."""
        rows = self.db.execute("SELECT doc_id, sha FROM documents WHERE status='ok' ORDER BY doc_id")
        return [DocumentVersion(*r) for r in rows]

    def ok_doc_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents WHERE status='ok' ORDER BY doc_id")]

    def ok_chunks(self) -> dict[str, str]:
        """chunk_id -> doc_id of every chunk of an ok document."""
        return dict(self.db.execute(
            "SELECT c.chunk_id, c.doc_id FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE d.status='ok'"
        ))

    def n_chunks_mismatches(self) -> list[ChunkCountMismatch]:
        """The documents whose recorded chunk count and chunk rows differ."""
        return [ChunkCountMismatch(*r) for r in self.db.execute(
            "SELECT d.doc_id, d.n_chunks, COUNT(c.chunk_id) FROM documents d LEFT JOIN chunks c ON c.doc_id = d.doc_id"
            " GROUP BY d.doc_id HAVING d.n_chunks != COUNT(c.chunk_id)"
        )]

    def ids_with_prefix(self, prefix: str, limit: int = 10) -> list[str]:
        """Document ids starting with `prefix` (at most `limit`), sorted."""
        rows = self.db.execute(
            "SELECT doc_id FROM documents WHERE substr(doc_id, 1, ?) = ? ORDER BY doc_id LIMIT ?",
            (len(prefix), prefix, limit),
        )
        return [r[0] for r in rows]

    def record_ids(self) -> dict[str, str]:
        """doc_id -> the record id of each document read from a JSONL record under a scoped id."""
        rows = self.db.execute(
            "SELECT doc_id, json_extract(meta, '$.record_id') FROM documents WHERE json_extract(meta, '$.record_id') IS NOT NULL"
        )
        return {d: str(r) for d, r in rows if d != str(r)}

    def set_status(self, doc_ids: Iterable[str], status: str) -> None:
        self.db.executemany("UPDATE documents SET status=? WHERE doc_id=?", [(status, d) for d in doc_ids])
        self.bump_generation()

    def put_document(self, doc: Document, sha: str, status: str = PENDING) -> None:
        """Record a document, its text and `doc.metadata` (if extracted)."""
        self.db.execute(
            "INSERT OR REPLACE INTO documents(doc_id, source, title, lang, sha, status, n_chunks, text, pages,"
            " skip, lang_spans, meta, updated) VALUES (?,?,?,?,?,?,0,?,?,?,?,?,?)",
            (
                doc.id, doc.source, doc.title, doc.lang, sha, status, doc.text,
                json.dumps([[p.number, p.start, p.end] for p in doc.pages]),
                json.dumps([list(s) for s in doc.skip]),
                json.dumps([[s.start, s.end, s.lang] for s in doc.lang_spans]),
                json.dumps(dict(doc.meta), ensure_ascii=False, default=str),
                time.time(),
            ),
        )
        self.db.execute("DELETE FROM document_meta WHERE doc_id=?", (doc.id,))
        if doc.metadata is not None:
            self.db.execute(
                f"INSERT INTO document_meta({META_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                meta_row(doc.id, doc.metadata),
            )

    def filter_documents(
        self,
        doc_type: str | None = None,
        years: tuple[int, int] | None = None,
        place: str | None = None,
        issuer: str | None = None,
    ) -> "FilterResult":
        """The ok documents whose metadata matches every given filter.

        `doc_type` is a `pipeline.metadata.DOC_TYPES` label or display name ("nghi_quyet",
        "Nghị quyết", "通知"); `years` an inclusive range of issue years; `place` and `issuer`
        match as substrings, ignoring case, tone marks and the Chinese script ("long bien" finds
        "Long Biên", "長寧區" finds "长宁区").
        Raises:
            BadRequest: an unknown document type (the message lists the known ones).
        """
        from ..errors import BadRequest
        from ..metadata import DOC_TYPES
        from ..lang.vi import strip_diacritics
        from ..normalize import fold

        def key(text: str) -> str:
            return strip_diacritics(fold(text))

        want_type = None
        if doc_type:
            names = {key(label): label for label in DOC_TYPES} | {key(n): label for label, (_l, n) in DOC_TYPES.items()}
            want_type = names.get(key(doc_type.strip()))
            if want_type is None:
                known = ", ".join(f"{label} ({name})" for label, (_l, name) in DOC_TYPES.items())
                raise BadRequest(f"unknown document type {doc_type!r}: use one of {known}")
        rows = self.db.execute(
            "SELECT d.doc_id, m.doc_type, m.year, m.issuer, m.places FROM documents d"
            " LEFT JOIN document_meta m ON m.doc_id = d.doc_id WHERE d.status='ok'"
        )
        place_key, issuer_key = (key(place) if place else None), (key(issuer) if issuer else None)
        out, undated = [], 0
        for doc_id, dtype, year, iss, places in rows:
            year, iss = year or 0, iss or ""
            if want_type is not None and dtype != want_type:
                continue
            if place_key and place_key not in key("\n".join(name for name, _level in json.loads(places or "[]"))):
                continue
            if issuer_key and issuer_key not in key(iss):
                continue
            if years and not (years[0] <= year <= years[1]):
                undated += not year
                continue
            out.append(doc_id)
        return FilterResult(tuple(out), undated)

    def document_meta(self, doc_ids: Iterable[str]) -> dict[str, DocMeta]:
        """The extracted metadata of each known id."""
        rows = self._select_in(f"SELECT {META_COLUMNS} FROM document_meta WHERE doc_id IN", doc_ids)
        return {r[0]: meta_of_row(r[1:]) for r in rows}

    def put_chunks(self, doc_id: str, chunks: Iterable[Chunk]) -> None:
        rows = [
            (c.id, c.doc_id, c.ordinal, c.lang, c.start, c.end, c.page, json.dumps(list(c.headings), ensure_ascii=False))
            for c in chunks
        ]
        self.db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        self.db.executemany("INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?,?)", rows)
        self.db.execute("UPDATE documents SET n_chunks=? WHERE doc_id=?", (len(rows), doc_id))

    def mark_ok(self, doc_ids: Iterable[str]) -> None:
        self.db.executemany("UPDATE documents SET status='ok' WHERE doc_id=?", [(d,) for d in doc_ids])
        self.bump_generation()

    def generation(self) -> int:
        """How many times a writer committed a change to what search can show (readers reopen on change)."""
        return int(self.get_info("generation") or 0)

    def bump_generation(self) -> None:
        self.db.execute(
            "INSERT INTO info(key, value) VALUES ('generation', '1')"
            " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def delete_document(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM practice_mentions WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM near_dups WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM document_meta WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    def put_mentions(self, doc_id: str, segments: Iterable, mentions: Iterable) -> None:
        """Keep a document's segments and practice mentions (`pipeline.practices.find_mentions`)."""
        segs = [[s.lang, s.start, s.end, s.kind, s.level] for s in segments]
        self.db.execute(
            "INSERT OR REPLACE INTO practice_mentions VALUES (?,?,?)",
            (doc_id, json.dumps(segs), json.dumps([m.to_dict() for m in mentions], ensure_ascii=False)),
        )

    def mentions(self, doc_ids: Iterable[str]) -> dict[str, StoredMentions]:
        """The segments and practice mentions kept for each of the documents that have them."""
        rows = self._select_in("SELECT doc_id, segments, mentions FROM practice_mentions WHERE doc_id IN", doc_ids)
        return {doc_id: StoredMentions(tuple(SegmentSpan(*s) for s in json.loads(segs)), tuple(json.loads(ms)))
                for doc_id, segs, ms in rows}

    def pending_documents(self) -> list[str]:
        """Documents a writer left pending or half-deleted."""
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents WHERE status != 'ok' ORDER BY doc_id")]

    def get_document(self, doc_id: str) -> Document | None:
        row = self.db.execute(
            "SELECT doc_id, text, source, title, lang, pages, skip, lang_spans, meta FROM documents WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        found = self.document_meta([doc_id]).get(doc_id)
        return Document(
            id=row[0], text=row[1], source=row[2], title=row[3], lang=row[4],
            pages=tuple(Page(*p) for p in json.loads(row[5])),
            skip=tuple(tuple(s) for s in json.loads(row[6])),
            lang_spans=tuple(LangSpan(*s) for s in json.loads(row[7])),
            meta=json.loads(row[8]),
            metadata=found,
        )

    def _select_in(self, sql: str, ids: Iterable[str]) -> Iterator[tuple]:
        """Rows of `sql` (ending in `IN`) for `ids`, queried in slices under SQLite's variable limit."""
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), 500):
            part = unique[i : i + 500]
            yield from self.db.execute(f"{sql} ({','.join('?' * len(part))})", part)

    _DOC_COLUMNS = "doc_id, title, source, lang, n_chunks, status, sha"

    def document_rows(self, doc_ids: Iterable[str]) -> dict[str, DocumentRow]:
        """The listing row of each known id."""
        rows = self._select_in(f"SELECT {self._DOC_COLUMNS} FROM documents WHERE doc_id IN", doc_ids)
        return {r[0]: DocumentRow(*r) for r in rows}

    def chunk_rows(self, chunk_ids: Iterable[str], visible: bool = False) -> dict[str, ChunkRow]:
        """The row of each known chunk id; with `visible`, only chunks of ok documents (what search may show).

        Visible rows are what every search asks for (thousands of candidates a query), so they are
        kept in memory until a writer commits (the generation changes): a chunk id hashes its
        document id, offsets and text, and whether its document may be shown is read afresh on
        every call. Rows read without `visible` (what `check` compares) always come from the file.
        """
        def read(ids) -> dict[str, ChunkRow]:
            return {r[0]: _chunk_row(r) for r in self._select_in("SELECT * FROM chunks WHERE chunk_id IN", ids)}

        if not visible:
            return read(chunk_ids)
        rows = self._kept("rows", chunk_ids, read)
        shown = self.visible_documents({r.doc_id for r in rows.values()})
        return {c: r for c, r in rows.items() if r.doc_id in shown}

    def visible_documents(self, doc_ids: Iterable[str]) -> set[str]:
        """The ids among `doc_ids` of documents search may show (status ok)."""
        return {r[0] for r in self._select_in("SELECT doc_id FROM documents WHERE status = 'ok' AND doc_id IN", doc_ids)}

    def chunk_langs(self, chunk_ids: Iterable[str]) -> dict[str, str]:
        """The language of each known chunk id.

        Kept in memory like visible chunk rows (a chunk id hashes its text, so its language never
        changes; dropped when a writer commits): a search kept to one language reads the
        languages of thousands of nearest neighbours (`Searcher.nearest`).
        """
        return self._kept("langs", chunk_ids, lambda ids: dict(
            self._select_in("SELECT chunk_id, lang FROM chunks WHERE chunk_id IN", ids)))

    def _kept(self, kind: str, chunk_ids: Iterable[str], read) -> dict:
        """chunk id -> value for `chunk_ids`, from the in-memory `kind` map, reading the ones it lacks
        with `read(ids)`; every map is dropped when a writer committed since (a re-ingest may re-cite
        an id) or when it would pass CHUNK_ROWS_KEPT entries."""
        generation = self.generation()
        if generation != self._kept_generation:
            self._kept_maps, self._kept_generation = {}, generation
        kept = self._kept_maps.setdefault(kind, {})
        wanted = list(dict.fromkeys(chunk_ids))
        found = {c: v for c in wanted if (v := kept.get(c)) is not None}
        missing = [c for c in wanted if c not in found]
        if missing:
            fetched = read(missing)
            found.update(fetched)
            if len(kept) + len(fetched) > CHUNK_ROWS_KEPT:
                kept.clear()
            kept.update(fetched)
        return found

    def iter_chunk_rows(self) -> Iterator[ChunkRow]:
        """Every chunk row, whatever its document's status, in the order they were written."""
        for r in self.db.execute("SELECT * FROM chunks ORDER BY rowid"):
            yield _chunk_row(r)

    def chunk_ids_all(self) -> list[str]:
        """Every chunk id the manifest holds, whatever its document's status."""
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks")]

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ordinal", (doc_id,))]

    def span_texts(self, spans: Iterable[tuple[str, int, int]]) -> list[str]:
        """The text of each (doc_id, start, end) span, read without loading whole documents."""
        return [
            row[0] if row else ""
            for row in (
                self.db.execute("SELECT substr(text, ?, ?) FROM documents WHERE doc_id=?", (s + 1, e - s, d)).fetchone()
                for d, s, e in spans
            )
        ]

    def iter_documents(self) -> Iterator[DocumentRow]:
        """The listing row of every document, by source."""
        for r in self.db.execute(f"SELECT {self._DOC_COLUMNS} FROM documents ORDER BY source, doc_id"):
            yield DocumentRow(*r)

    # -- near-duplicate groups (see pipeline.duplicates)
    def put_signature(self, doc_id: str, signature: np.ndarray | None, lang: str = "") -> None:
        """Record a document's MinHash signature and language; it starts as a group of its own."""
        blob = None if signature is None else np.asarray(signature, dtype=np.uint32).tobytes()
        self.db.execute(
            "INSERT OR REPLACE INTO near_dups(doc_id, signature, lang, group_id) VALUES (?,?,?,?)",
            (doc_id, blob, lang, doc_id),
        )

    def signatures(self) -> dict[str, np.ndarray]:
        """doc_id → MinHash signature of every document that has one."""
        rows = self.db.execute("SELECT doc_id, signature FROM near_dups WHERE signature IS NOT NULL")
        return {d: np.frombuffer(blob, dtype=np.uint32) for d, blob in rows}

    def signature_langs(self) -> dict[str, str]:
        """doc_id → language of every document that has a signature."""
        return dict(self.db.execute("SELECT doc_id, lang FROM near_dups WHERE signature IS NOT NULL"))

    def set_groups(self, groups: dict[str, str]) -> None:
        """Set the group id of each doc_id."""
        self.db.executemany("UPDATE near_dups SET group_id=? WHERE doc_id=?", [(g, d) for d, g in groups.items()])

    def groups_of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """doc_id → group id for each document that has been grouped."""
        return dict(self._select_in("SELECT doc_id, group_id FROM near_dups WHERE doc_id IN", doc_ids))

    def group_members(self, group_ids: Iterable[str]) -> dict[str, list[str]]:
        """group id → its documents, sorted."""
        out: dict[str, list[str]] = {}
        for d, g in self._select_in("SELECT doc_id, group_id FROM near_dups WHERE group_id IN", group_ids):
            out.setdefault(g, []).append(d)
        return {g: sorted(ds) for g, ds in out.items()}

    def duplicate_groups(self) -> dict[str, list[str]]:
        """Every group of two or more documents: group id → its documents, sorted."""
        rows = self.db.execute(
            "SELECT doc_id, group_id FROM near_dups WHERE group_id IN"
            " (SELECT group_id FROM near_dups GROUP BY group_id HAVING COUNT(*) > 1) ORDER BY group_id, doc_id"
        )
        out: dict[str, list[str]] = {}
        for d, g in rows:
            out.setdefault(g, []).append(d)
        return out

    def counts(self) -> dict:
        one = lambda q: self.db.execute(q).fetchone()[0]  # noqa: E731
        by_lang = dict(self.db.execute("SELECT lang, COUNT(*) FROM documents WHERE status='ok' GROUP BY lang"))
        return {
            "documents": one("SELECT COUNT(*) FROM documents WHERE status='ok'"),
            "pending": one("SELECT COUNT(*) FROM documents WHERE status!='ok'"),
            "chunks": one("SELECT COUNT(*) FROM chunks"),
            "sources": one("SELECT COUNT(*) FROM sources WHERE status='ok'"),
            "failed": one("SELECT COUNT(*) FROM sources WHERE status='failed'"),
            "near_duplicate_groups": one(
                "SELECT COUNT(*) FROM (SELECT group_id FROM near_dups GROUP BY group_id HAVING COUNT(*) > 1)"
            ),
            "near_duplicate_documents": one(
                "SELECT COUNT(*) FROM near_dups WHERE group_id IN"
                " (SELECT group_id FROM near_dups GROUP BY group_id HAVING COUNT(*) > 1)"
            ),
            "by_lang": by_lang,
        }

    def documents_with_text(self, doc_ids: Iterable[str]) -> Iterator[Document]:
        """The stored documents of `doc_ids`, in that order, skipping unknown ids."""
        for d in doc_ids:
            doc = self.get_document(d)
            if doc is not None:
                yield doc

    def transaction(self):
        return _Tx(self.db)

    def close(self) -> None:
        self.db.close()


class _Tx:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
