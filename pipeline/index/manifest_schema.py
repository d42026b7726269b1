"""The manifest's SQLite schema, and each document's metadata as a `document_meta` row.

`SCHEMA` creates the tables of sources, documents, chunks, near-duplicate signatures and stored
practice mentions; `META_TABLE` the `document_meta` table, a column per `pipeline.types.DocMeta`
field. `meta_row` and `meta_of_row` convert one document's metadata to and from its row, and
`legacy_meta` reads the flat form that manifests written before `document_meta` kept in the
documents' JSON. `index/manifest.py` (`Manifest`) creates, migrates and reads these tables.
"""
from __future__ import annotations

import json

from ..types import DatedMention, DocMeta, Place, PLACE_LEVELS

SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    lang TEXT NOT NULL,
    sha TEXT NOT NULL,
    status TEXT NOT NULL,          -- pending | ok | deleting
    n_chunks INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    pages TEXT NOT NULL DEFAULT '[]',
    skip TEXT NOT NULL DEFAULT '[]',
    lang_spans TEXT NOT NULL DEFAULT '[]',
    meta TEXT NOT NULL DEFAULT '{}',
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY,       -- a file path, or path#id for a line of a JSONL corpus
    doc_id TEXT,                   -- NULL when the source failed
    status TEXT NOT NULL,          -- ok | failed | skipped
    reason TEXT NOT NULL DEFAULT '',
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    lang TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER,
    headings TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS near_dups (
    doc_id TEXT PRIMARY KEY,       -- an `ok` document
    signature BLOB,                -- its MinHash values (uint32), NULL when too short to compare
    lang TEXT NOT NULL DEFAULT '', -- its language, which sets the similarity it needs
    group_id TEXT NOT NULL         -- the smallest doc_id of its near-duplicate group (itself if alone)
);
CREATE INDEX IF NOT EXISTS near_dups_group ON near_dups(group_id);
CREATE TABLE IF NOT EXISTS practice_mentions (  -- per document, so the catalogue is not re-extracted
    doc_id TEXT PRIMARY KEY,
    segments TEXT NOT NULL,        -- [[lang, start, end, kind, level], ...]
    mentions TEXT NOT NULL         -- [PracticeMention.to_dict(), ...]
);
"""

# pipeline.types.DocMeta of each document, a column per field; in the main database, or in the
# temporary one when a read-only reader opens a manifest written before it existed
META_TABLE = """
CREATE TABLE IF NOT EXISTS {schema}.document_meta (
    doc_id TEXT PRIMARY KEY,
    doc_type TEXT NOT NULL DEFAULT '',
    doc_type_name TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL DEFAULT '',
    issue_date TEXT NOT NULL DEFAULT '',
    year INTEGER,                  -- NULL when unknown
    issuer TEXT NOT NULL DEFAULT '',
    signer TEXT NOT NULL DEFAULT '',
    signer_title TEXT NOT NULL DEFAULT '',
    places TEXT NOT NULL DEFAULT '[]',      -- [[name, level], ...]
    dates TEXT NOT NULL DEFAULT '[]',       -- [[date, role, start, end], ...]
    refs TEXT NOT NULL DEFAULT '[]'         -- [document number, ...] ("references" is an SQL keyword)
)
"""
META_COLUMNS = ("doc_id, doc_type, doc_type_name, number, issue_date, year, issuer, signer, signer_title,"
                 " places, dates, refs")


def meta_row(doc_id: str, m: DocMeta) -> tuple:
    """The `document_meta` row of one document's metadata."""
    return (
        doc_id, m.doc_type, m.doc_type_name, m.number, m.issue_date, m.year, m.issuer, m.signer, m.signer_title,
        json.dumps([[p.name, p.level] for p in m.places], ensure_ascii=False),
        json.dumps([[d.date, d.role, d.start, d.end] for d in m.dates]),
        json.dumps(list(m.references), ensure_ascii=False),
    )


def meta_of_row(row: tuple) -> DocMeta:
    """A `document_meta` row (its columns after doc_id) as a DocMeta."""
    doc_type, doc_type_name, number, issue_date, year, issuer, signer, signer_title, places, dates, refs = row
    return DocMeta(
        doc_type=doc_type, doc_type_name=doc_type_name, number=number, issue_date=issue_date, year=year,
        issuer=issuer, signer=signer, signer_title=signer_title,
        places=tuple(Place(name, level) for name, level in json.loads(places)),
        dates=tuple(DatedMention(*d) for d in json.loads(dates)),
        references=tuple(json.loads(refs)),
    )


def legacy_meta(flat: dict) -> DocMeta:
    """The DocMeta of the flat form (`DocMeta.to_dict()`) that manifests before `document_meta` kept.

    Each place gets its level from the per-level lists; dates, kept as "2021-10-28 issued", come back
    without their character spans (0, 0).
    """
    levels: dict[str, list[str]] = {}
    for level, key in zip(PLACE_LEVELS, ("provinces", "cities", "districts", "wards", "communities")):
        for name in flat.get(key) or ():
            levels.setdefault(name, []).append(level)
    places = tuple(Place(name, (levels.get(name) or [""]).pop(0)) for name in flat.get("places") or ())
    dates = tuple(DatedMention(*entry.split(" ", 1), 0, 0) for entry in flat.get("dates") or ())
    return DocMeta(
        doc_type=flat.get("doc_type", ""), doc_type_name=flat.get("doc_type_name", ""), number=flat.get("number", ""),
        issue_date=flat.get("issue_date", ""), year=flat.get("year") or None, issuer=flat.get("issuer", ""),
        signer=flat.get("signer", ""), signer_title=flat.get("signer_title", ""), places=places, dates=dates,
        references=tuple(flat.get("references") or ()),
    )
