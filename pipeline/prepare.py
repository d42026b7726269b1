"""Preparing one document for the index: everything between reading it and embedding it.

`prepare_raw` normalises a raw document, finds its language and id, and (unless the index already
holds that exact text) runs `prepare_document`: metadata, segments, chunks, lexical words, the
near-duplicate signature and practice mentions. Both are pure but for one manifest look-up, so
ingest runs them in worker processes (`prepare_in_worker`, started by `pipeline.ingest`) or in
the writer itself with the same result.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Callable

from .errors import EmptyDocument
from .faults import fault_point
from .index.manifest import OK
from .types import Chunk, Document, Segment, content_hash


@dataclass(frozen=True)
class PreparedDocument:
    """A normalised document with everything the stores need, ready to embed and commit."""

    doc: Document
    sha: str
    key: str  # the source key: a path, path#id for a JSONL record, path#partN for a part of a long text
    chunks: tuple[Chunk, ...] = ()
    words: tuple[tuple[str, ...], ...] = ()
    signature: object = None  # MinHash signature, None when too short
    segments: tuple[Segment, ...] = ()
    mentions: tuple = ()


@dataclass(frozen=True)
class Ready:
    """One raw document as a preparing process leaves it: normalised, its language found and its id set.

    `prepared` is None when the index already holds this exact text under this id (nothing to redo).
    `seconds` are the stage times spent on it, wherever it ran.
    """

    doc: Document
    sha: str
    prepared: PreparedDocument | None
    seconds: dict[str, float]


class _Stages:
    """Seconds per stage of one document, and whom to tell when a stage starts (the writer's progress)."""

    def __init__(self, seconds: dict[str, float] | None = None, on_stage: Callable[[str], None] | None = None):
        self.seconds = seconds if seconds is not None else defaultdict(float)
        self.on_stage = on_stage

    @contextmanager
    def timed(self, stage: str):
        if self.on_stage:
            self.on_stage(stage)
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t0


def prepare_raw(raw: Document, key: str, max_tokens: int, stored_sha: Callable[[str], str | None],
                on_stage: Callable[[str], None] | None = None) -> Ready:
    """Normalise, detect the language of, and (unless `stored_sha` of its id equals its own) prepare `raw`.

    Pure but for `stored_sha`, a look-up in the manifest: it runs in ingest's worker processes as in
    the writer, so both give the same documents. `on_stage` is told the name of each stage as it starts.

    Raises:
        EmptyDocument: nothing is left after normalisation.
    """
    from .language import detect_document
    from .normalize import normalize

    stages = _Stages(on_stage=on_stage)
    with stages.timed("normalize"):
        doc = normalize(raw)
    if not doc.text.strip():
        raise EmptyDocument("no text after normalisation")
    sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    with stages.timed("language"):
        doc = detect_document(replace(doc, id=doc.id or content_hash(doc.text)))
    if stored_sha(doc.id) == sha:
        return Ready(doc, sha, None, dict(stages.seconds))
    prepared = prepare_document(doc, sha, key, max_tokens, stages.seconds, on_stage)
    return Ready(doc, sha, prepared, dict(stages.seconds))


def prepare_document(doc: Document, sha: str, key: str, max_tokens: int,
                     seconds: dict[str, float] | None = None,
                     on_stage: Callable[[str], None] | None = None) -> PreparedDocument:
    """Metadata, segments, chunks, words, near-duplicate signature and practice mentions of one
    normalised document; each stage's seconds are added to `seconds`, and `on_stage` told of it."""
    from .chunk import chunk
    from .duplicates import indexable_text, signature
    from .index.lexical import word_terms
    from .metadata import extract_metadata
    from .practices import find_mentions
    from .segment import segment

    timed = _Stages(seconds, on_stage).timed
    with timed("metadata"):
        doc = replace(doc, metadata=extract_metadata(doc.text, doc.lang, doc.title, doc.source))
    with timed("segment"):
        segments = segment(doc)
    with timed("chunk"):
        chunks = chunk(doc, segments, max_tokens=max_tokens)
    if not chunks:
        return PreparedDocument(doc, sha, key)
    with timed("near_duplicates"):
        sig = signature(indexable_text(doc.text, doc.skip), doc.lang)
    with timed("words"):
        words = tuple(tuple(word_terms(c.text, c.lang)) for c in chunks)
    with timed("practice_mentions"):
        mentions = tuple(find_mentions(doc, segments))
    return PreparedDocument(doc, sha, key, tuple(chunks), words, sig, tuple(segments), mentions)


# -- worker processes: each opens the manifest read-only to skip documents the index already holds
_worker_manifest = None


def worker_start(manifest_path: str, writer_pid: int) -> None:
    import threading

    if not os.environ.get("GOVTEXT_FAULT", "").startswith("worker"):
        os.environ.pop("GOVTEXT_FAULT", None)  # the other fault points are the writer's
    _use_manifest(manifest_path)
    threading.Thread(target=_exit_with_writer, args=(writer_pid,), daemon=True).start()


def _use_manifest(manifest_path: str) -> None:
    """Open the index's manifest read-only for `_worker_stored_sha`, when this machine can see it."""
    global _worker_manifest
    from .index.manifest import Manifest

    _worker_manifest = Manifest(manifest_path, readonly=True) if os.path.exists(manifest_path) else None


def _exit_with_writer(writer_pid: int) -> None:
    """End this worker when the writer is gone (killed with -9, it cannot stop its pool)."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(writer_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # the pid now belongs to another user's process: the writer is gone
            os._exit(0)


def _worker_stored_sha(doc_id: str) -> str | None:
    m = _worker_manifest
    if m is None:
        return None
    try:
        return m.doc_sha(doc_id) if m.doc_status(doc_id) == OK else None
    except Exception:  # a manifest the worker cannot read: prepare the document anyway
        return None


def prepare_in_worker(raw: Document, key: str, max_tokens: int) -> Ready:
    fault_point("worker")
    return prepare_raw(raw, key, max_tokens, _worker_stored_sha)
