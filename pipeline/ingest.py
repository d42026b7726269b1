"""The ingest engine: read files, prepare documents, embed, and commit them to the three stores.

One writer per index (`pipeline.index.lock`): the lock is held for a whole ingest, repair or
removal, so whatever is half-done when a writer starts was left by one that died, and is rolled
back before anything else (`resume`). A document is `pending` in the manifest while its chunks go
to chroma and tantivy and turns `ok` in one SQLite transaction once both hold them; search shows
only `ok` documents, so no reader ever sees part of one. Removal runs the other way round
(`deleting`, then the stores, then the manifest rows).

Documents are prepared (`pipeline.prepare`) in worker processes or in the writer, and taken back
in input order. `GOVTEXT_FAULT=point[:n]` (`pipeline.faults`) kills the process at one of
`FAULT_POINTS`: the tests crash a writer between every pair of store writes this way.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import time
from collections import OrderedDict, defaultdict, deque
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .chunk import chunk_context
from .errors import GovtextError, IdConflict, InputTooLarge
from .faults import FAULT_POINTS, fault_point  # noqa: F401 - the crash tests name the points from here
from .index.lock import WriterLock
from .index.manifest import DELETING, OK
from .prepare import Ready, prepare_document, prepare_in_worker, prepare_raw, worker_start
from .sources import READ_ATTEMPTS as _READ_ATTEMPTS, file_state as _file_state  # the names the run and its tests use
from .sources import DEFAULT_MAX_SIZE, scoped_id, source_key
from .types import Chunk, Document, IngestProgress, IngestReport
from .workload import Batch as _Batch, timed_iter as _timed_iter  # the names the run uses
from .workload import Outcome, auto_workers, peak_rss_mb  # noqa: F401 - Library.ingest takes auto_workers from here

if TYPE_CHECKING:
    from .stores import IndexStores

# Chunks embedded and written per batch. 1,024 rather than 256: the embedder sorts a batch by length, so a
# larger one pads less, and the stores take a quarter of the commits (whole corpora 745 -> 713 s; a 5 MB slice,
# alternating, 83 -> 79 s; peak RSS unchanged: bench/results/ingest-whole-corpora.md). A crash redoes at most
# one batch.
FLUSH_CHUNKS = 1024
EMBEDDED_KEPT = 20_000  # passage vectors an ingest remembers to skip repeated passages (about 30 MB)
POOL_AFTER = 16  # documents a run prepares in its own process before starting its worker processes


class Ingestor:
    """Runs one ingest (or repair, or removal) against a Library's stores, under its writer lock.

    Args:
        library: the index.
        wait: queue behind another writer instead of failing with `IndexBusy`.
        on_wait: told who holds the lock before waiting.
        remote: a `pipeline.distributed.ActorPool`: documents are prepared and embedded by its Ray
            actors instead of worker processes and the library's embedder; this process still commits.
    """

    def __init__(self, library: "IndexStores", wait: bool = False, on_wait: Callable | None = None, remote=None):
        self.lib = library
        self.remote = remote
        self.lock = WriterLock(library.path, wait=wait, on_wait=on_wait)
        self.stage_seconds: dict[str, float] = defaultdict(float)
        self.stage = "preparing"  # the stage running now, for progress reports
        self.on_stage: Callable[[], None] | None = None  # told whenever a stage starts
        self.resumed: list[str] = []  # documents a dead writer left, rolled back when the lock was taken
        self.vectors_rebuilt: tuple[str, int] | None = None  # (why, vectors read back) when repair rebuilt them
        self.embedded: OrderedDict = OrderedDict()  # passage text hash -> its vector, the last EMBEDDED_KEPT
        self.reused = 0  # passages whose vector came from `embedded`

    @property
    def embedder(self):
        """The passage embedder: the Ray actors when ingesting on a cluster, else the library's."""
        return self.remote if self.remote is not None else self.lib.embedder

    @contextmanager
    def timed(self, stage: str):
        t0, outer, self.stage = time.perf_counter(), self.stage, stage
        if self.on_stage:
            self.on_stage()
        try:
            yield
        finally:
            self.stage_seconds[stage] += time.perf_counter() - t0
            self.stage = outer

    @contextmanager
    def writing(self, prepare: Callable[[], None] | None = None):
        """Hold the writer lock, roll back a dead writer's leftovers, and close the lexical writer after.

        `prepare` runs under the lock before the rollback: repair rebuilds the vector index there,
        when it is damaged (opening it would raise `VectorIndexDamaged`) or of the older layout.
        """
        with self.lock:
            try:
                if prepare is not None:
                    prepare()
                self.resume()
                yield
            finally:
                self.lib.lexical.close()

    # -- ingest
    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Callable[[IngestProgress], None] | None = None,
        practices: bool = True,
        sync: bool = False,
        global_ids: bool = False,
        max_size: int | None = None,
        workers: int = 1,
    ) -> IngestReport:
        """See `Library.ingest`."""
        from .readers import iter_inputs

        paths = [Path(p) for p in paths]
        max_size = DEFAULT_MAX_SIZE if max_size is None else max_size
        t0 = time.perf_counter()
        run = _Run(self, progress, sync, global_ids, workers=max(1, workers))
        with self.writing(), run.workers_closed():
            for item in iter_inputs(paths):
                if item.problem:
                    run.skip(str(item.path), item.problem)
                elif max_size and item.size > max_size:
                    run.fail_file(item.path, InputTooLarge(
                        f"{item.size / 1e6:.1f} MB is over the {max_size / 1e6:.0f} MB limit: "
                        "raise it with --max-size (bytes, 0 for none)"))
                else:
                    run.read(item.path)
            run.flush()
            if sync:
                run.sync(paths)
        if practices and self.lib.manifest.counts().get("documents"):
            with self.timed("practices"):
                run.notify(stage="practices")
                self.lib.catalogue()
        return run.report(time.perf_counter() - t0)

    # -- the writer's building blocks
    def resume(self) -> list[str]:
        """Roll back whatever a writer that died left pending or half-deleted; returns those ids."""
        pending = self.lib.manifest.pending_documents()
        if pending:
            self.delete_documents(pending)
        self.resumed = pending
        return pending

    def delete_documents(self, doc_ids: Sequence[str]) -> None:
        """Remove documents from every store: marked `deleting` first, so no search shows them half-gone."""
        if not doc_ids:
            return
        m = self.lib.manifest
        with m.transaction():
            m.set_status(doc_ids, DELETING)
        fault_point("deleting")
        self.lib.vectors.delete_documents(doc_ids)
        fault_point("deleted_vectors")
        self.lib.lexical.delete_documents(doc_ids)
        self.lib.lexical.commit()
        fault_point("deleted_lexical")
        with self._groups_follow_manifest(), m.transaction():
            self.lib.groups.remove(doc_ids)
            for d in doc_ids:
                m.delete_document(d)

    @contextmanager
    def _groups_follow_manifest(self):
        """Around a manifest transaction that changes near-duplicate groups: if it rolls back, the
        in-memory groups are dropped, to be rebuilt from the manifest as it was."""
        try:
            yield
        except BaseException:
            self.lib._groups = None
            raise

    def remove_sources(self, sources: Sequence[str]) -> list[str]:
        """Forget these sources; delete each document no other source points to. Returns the deleted ids."""
        m = self.lib.manifest
        doomed = []
        for source in sources:
            row = m.source_row(source)
            m.delete_source(source)
            if row and row.doc_id and not m.sources_of(row.doc_id):
                doomed.append(row.doc_id)
        doomed = sorted(set(doomed))
        self.delete_documents(doomed)
        return doomed

    def embed(self, chunks: Sequence[Chunk], titles: dict[str, str]):
        """The centred passage vectors of `chunks`, each embedded with its title and heading context.

        A passage whose text (context included) was embedded earlier in this run, or earlier in the
        batch, is not embedded again: templated pages and reposts repeat whole chunks.
        """
        import numpy as np

        contexts = [chunk_context(titles.get(c.doc_id, ""), c) for c in chunks]
        texts = [f"{ctx}\n{c.text}" if ctx else c.text for ctx, c in zip(contexts, chunks)]
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        new: dict[bytes, str] = {}  # first occurrences, in order
        for key, text in zip(keys, texts):
            if key not in self.embedded:
                new.setdefault(key, text)
        if new:
            for key, vector in zip(new, self.embedder.embed_documents(list(new.values()))):
                self.embedded[key] = vector
                if len(self.embedded) > EMBEDDED_KEPT:
                    self.embedded.popitem(last=False)
        self.reused += len(keys) - len(new)
        vectors = np.stack([self.embedded[k] for k in keys]) if keys else np.zeros((0, self.embedder.dim), np.float32)
        if self.lib.centering is not None:
            vectors = self.lib.centering.passages(vectors, [c.lang for c in chunks])
        return vectors

    def commit(self, batch: _Batch) -> int:
        """Embed and store one batch; its documents turn `ok` only once both stores hold them."""
        if not batch.docs:
            return 0
        lib, m = self.lib, self.lib.manifest
        chunks = [c for p in batch.docs for c in p.chunks]
        with m.transaction():
            for p in batch.docs:
                m.put_document(p.doc, p.sha)
                m.put_chunks(p.doc.id, p.chunks)
                m.put_mentions(p.doc.id, p.segments, p.mentions)
        fault_point("pending")
        sources = {p.doc.id: p.doc.source for p in batch.docs}
        titles = {p.doc.id: p.doc.title for p in batch.docs}
        with self.timed("embed"):
            vectors = self.embed(chunks, titles)
        with self.timed("store_vectors"):
            lib.vectors.add(chunks, vectors, sources, titles)
        fault_point("vectors")
        with self.timed("store_lexical"):
            lib.lexical.add(chunks, [list(w) for p in batch.docs for w in p.words], sources)
            lib.lexical.commit()
        fault_point("lexical")
        with self._groups_follow_manifest(), m.transaction():
            m.mark_ok(p.doc.id for p in batch.docs)
            for p in batch.docs:
                m.record_source(p.key, p.doc.id, OK)
            for key, doc_id in batch.aliases:
                m.record_source(key, doc_id, OK)
            with self.timed("near_duplicates"):
                for p in batch.docs:
                    lib.groups.add(p.doc.id, p.signature, p.doc.lang)
        fault_point("ok")
        return len(chunks)


class _Run:
    """The state of one ingest run: the open batch, counts, and what was skipped or failed."""

    def __init__(self, ingestor: Ingestor, progress, sync: bool, global_ids: bool, workers: int = 1):
        self.ing, self.lib, self.m = ingestor, ingestor.lib, ingestor.lib.manifest
        self.progress, self.sync_on, self.global_ids = progress, sync, global_ids
        self.batch = _Batch()
        self.counts = {o: 0 for o in Outcome}
        self.chunks = 0
        self.failed: list[tuple[str, str]] = []
        self.skipped: list[tuple[str, str]] = []
        self.kept: list[tuple[str, str]] = []
        self.repaired: list[tuple[str, str]] = []
        self.removed: list[str] = []
        self.seen = 0
        self.resolved = 0  # inputs seen by the last commit: all committed, unchanged, skipped or failed
        self.tokens = 0
        self.t0 = time.perf_counter()
        ingestor.on_stage = self.notify if progress else None
        self.ids_this_run: dict[str, tuple[str, str]] = {}  # doc_id -> (sha, source key) of this run
        self.keys_read: set[str] = set()
        self.files_failed: set[str] = set()
        self.workers = workers  # processes preparing documents; 1: all in this one
        self.window = 8 * workers  # documents in flight at most: memory is bounded by it, not by the input
        self.pool = None
        self.workers_used = 1  # the most processes that prepared documents at once
        self.taken = 0  # raw documents taken so far
        self.inflight: deque = deque()  # (future or None, step), finished in input order
        self._finishing = False

    # -- outcomes
    def skip(self, source: str, reason: str) -> None:
        def record() -> None:
            self.skipped.append((source, reason))
            row = self.m.source_row(source)
            if row is None or row.doc_id is None:
                self.m.record_source(source, None, "skipped", reason)

        self.in_order(record)

    def fail_record(self, key: str, reason: str) -> None:
        """A JSONL line or record that cannot be indexed: recorded under its own key, never overwritten."""

        def record() -> None:
            self.failed.append((key, reason))
            self.m.record_source(key, None, "failed", reason)

        self.in_order(record)

    def fail_file(self, path: Path, exc: Exception) -> None:
        """A file that cannot be read: its last good version stays (and is said to), unless syncing."""
        self.settle()
        source = str(path)
        reason = str(exc) if isinstance(exc, GovtextError) else f"{type(exc).__name__}: {exc}"
        if source not in self.files_failed:
            self.seen += 1  # an input resolved, though nothing of it is taken
        self.files_failed.add(source)
        earlier = self.m.file_rows(source)
        indexed = [r for r in earlier if r.doc_id and self.m.doc_status(r.doc_id) == OK]
        if indexed and not self.sync_on:
            note = f"{reason}; its last good version stays indexed (ingest --sync or remove drops it)"
            self.failed.append((source, note))
            self.kept.extend((r.source, note) for r in indexed)
            for r in indexed:
                self.m.record_source(r.source, r.doc_id, "failed", note)
            return
        if indexed:  # --sync: an unreadable or empty file is gone
            self.remove_sources([r.source for r in indexed])
        self.failed.append((source, reason))
        self.m.record_source(source, None, "failed", reason)

    # -- reading
    def read(self, path: Path) -> None:
        from .readers import read_file

        source = str(path)
        self.in_order(lambda: self.m.clear_failures(source))
        for attempt in range(1, _READ_ATTEMPTS + 1):
            before = _file_state(path)
            try:
                if path.suffix.lower() == ".jsonl":  # streamed record by record, never whole
                    self._take_all(path, read_file(path, on_error=self.fail_record, settings=self.lib.settings))
                    changed = _file_state(path) != before
                    if changed:
                        self.fail_record(f"{source}:changed", "the file changed while it was read: some records may "
                                         "be from its old version; run ingest again")
                    break
                with self.ing.timed("read"):
                    reading = read_file(path, settings=self.lib.settings)
                    docs = [d for d in (next(reading, None), next(reading, None)) if d is not None]
                if len(docs) > 1:  # a file read in parts: each is committed as it comes, so memory stays one part's
                    self._take_all(path, itertools.chain(docs, reading))
                    if _file_state(path) != before:
                        self.fail_record(f"{source}:changed", "the file changed while it was read: some parts may "
                                         "be from its old version; run ingest again")
                    break
                if _file_state(path) != before:
                    if attempt == _READ_ATTEMPTS:
                        raise GovtextError(f"the file changed while it was read, {attempt} times: try again later")
                    continue
                self._take_all(path, docs)
                break
            except GovtextError as exc:
                self.fail_file(path, exc)
                break
            except (OSError, ValueError, RuntimeError) as exc:  # a reader hit something it did not expect
                self.fail_file(path, exc)
                break
        self._retire_missing_records(path)

    def _take_all(self, path: Path, documents) -> None:
        for raw in _timed_iter(documents, self.ing.timed, "read"):
            self.take(path, raw)

    def take(self, path: Path, raw: Document) -> None:
        """Queue one raw document: prepared in a worker process when there are workers, finished in order."""
        if raw.id and raw.meta.get("format") == "jsonl":
            record_id = raw.id
            raw = replace(raw, id=record_id if self.global_ids else scoped_id(path, record_id),
                          meta={**raw.meta, "record_id": record_id})
        key = source_key(path, raw)
        self.keys_read.add(key)
        self.taken += 1
        pool = self._worker_pool()
        if pool is None:
            self.finish(path, raw, key, None)
            return
        future = pool.submit(prepare_in_worker, raw, key, self.lib.settings.max_tokens)
        self.inflight.append((future, lambda: self.finish(path, raw, key, future)))
        while len(self.inflight) > self.window or (self.inflight and self._head_done()):
            self._finish_next()

    def _head_done(self) -> bool:
        future = self.inflight[0][0]
        return future is None or future.done()

    def finish(self, path: Path, raw: Document, key: str, future) -> None:
        """Decide what one document is to the index and queue it for embedding: in input order."""
        if raw.meta.get("unread_pages"):  # scanned pages OCR could not read
            pages = ", ".join(map(str, raw.meta["unread_pages"]))
            self.skipped.append((f"{key} pages {pages}", raw.meta["unread_reason"]))
        if raw.meta.get("replaced_bytes"):
            self.repaired.append((key, f"{raw.meta['replaced_bytes']} invalid bytes or NULs replaced"))
        failure_key = f"{path}:{raw.meta['line']}" if raw.meta.get("line") else key
        try:
            ready = self._ready(raw, key, future)
            outcome = self.prepare(raw, key, ready, given_id=bool(raw.id))
        except GovtextError as exc:
            self.fail_record(failure_key, str(exc))
            outcome = None
        except (OSError, ValueError, RuntimeError, TypeError, KeyError, IndexError) as exc:
            # a stage hit something it did not expect: this record, or this file, fails with the reason
            # here, where it was read (in a worker, it surfaces here, maybe while another file is read)
            if raw.meta.get("format") != "jsonl":
                self.fail_file(path, exc)  # counts the file as resolved
                return
            self.fail_record(failure_key, f"{type(exc).__name__}: {exc}")
            outcome = None
        if outcome is Outcome.EMPTY:
            self.skipped.append((key, "no indexable text"))
            self.m.record_source(key, None, "skipped", "no indexable text")
        elif outcome is not None:
            self.counts[outcome] += 1
        if raw.meta.get("part", 1) == 1:  # a file read in parts is one input
            self.seen += 1
        self.notify(source=key)
        if self.batch.n_chunks >= FLUSH_CHUNKS:
            self.flush()

    def _ready(self, raw: Document, key: str, future) -> Ready:
        """The prepared form of `raw`: from its worker, else (no workers, or a worker died) made here."""
        if future is not None:
            try:
                with self.ing.timed("waiting_for_workers"):
                    return future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): go on without workers
                self.close_workers()
        m, ing, outer = self.m, self.ing, self.ing.stage
        try:
            return prepare_raw(raw, key, self.lib.settings.max_tokens,
                               lambda doc_id: m.doc_sha(doc_id) if m.doc_status(doc_id) == OK else None,
                               on_stage=self._announce)
        finally:
            ing.stage = outer

    def _announce(self, stage: str) -> None:
        """A preparing stage starts in this process: the progress report names it."""
        self.ing.stage = stage
        if self.ing.on_stage:
            self.ing.on_stage()

    def _finish_next(self) -> None:
        """Run the oldest queued step; anything it calls that would settle the queue runs in its turn."""
        _, step = self.inflight.popleft()
        self._finishing = True
        try:
            step()
        finally:
            self._finishing = False

    def in_order(self, step: Callable[[], None]) -> None:
        """Run `step` now, or after the documents queued before it when some are in flight."""
        if self.inflight and not self._finishing:
            self.inflight.append((None, step))
        else:
            step()

    def settle(self) -> None:
        """Finish every queued document (before anything that must see them in the manifest)."""
        if self._finishing:
            return
        while self.inflight:
            self._finish_next()

    def _worker_pool(self):
        """The pool of preparing processes; None while ingest runs in one process.

        It starts once the run has taken `POOL_AFTER` documents: starting workers costs a few seconds
        (each imports underthesea and jieba), more than a small ingest takes to prepare.
        """
        if self.ing.remote is not None:  # actors on a Ray cluster (`pipeline.distributed`)
            self.workers_used = self.workers
            return self.ing.remote
        if self.workers <= 1 or (self.pool is None and self.taken < POOL_AFTER):
            return None
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # forkserver: forking a process that runs torch threads can deadlock. Its default preload is
            # the caller's __main__ (a notebook's or script's imports); the workers need only this module.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["pipeline.prepare"])
            self.workers_used = self.workers
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=context,
                initializer=worker_start, initargs=(str(self.lib.path / "manifest.sqlite"), os.getpid()),
            )
        return self.pool

    def close_workers(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None
        self.workers = 1

    @contextmanager
    def workers_closed(self):
        """Stop the preparing processes when the run ends, however it ends."""
        try:
            yield
        finally:
            self.close_workers()

    def flush(self) -> None:
        self.settle()
        embedder = self.ing.embedder
        before = getattr(embedder, "tokens", 0)
        self.chunks += self.ing.commit(self.batch)
        self.tokens += getattr(embedder, "tokens", 0) - before
        self.batch = _Batch()
        self.resolved = self.seen
        self.notify()

    def notify(self, source: str = "", stage: str | None = None) -> None:
        if self.progress:
            self.progress(IngestProgress(
                inputs_done=self.resolved if self.batch.docs else self.seen, documents=self.counts[Outcome.ADDED] + self.counts[Outcome.REPLACED]
                - len(self.batch.docs), chunks=self.chunks, tokens=self.tokens,
                seconds=time.perf_counter() - self.t0, stage=stage or self.ing.stage, source=source))

    def prepare(self, raw: Document, key: str, ready: Ready, given_id: bool = False) -> Outcome:
        """Decide what one prepared document is to the index, and queue it if it is new."""
        m = self.m
        for stage, seconds in ready.seconds.items():
            self.ing.stage_seconds[stage] += seconds
        doc, sha = ready.doc, ready.sha
        earlier = self.ids_this_run.get(doc.id)
        if earlier and earlier[0] != sha:
            raise IdConflict(f"id {doc.id!r} is already used by {earlier[1]} with a different text")
        previous = m.source_row(key)
        stored_sha = m.doc_sha(doc.id) if m.doc_status(doc.id) == OK else None
        if given_id and stored_sha is not None and stored_sha != sha and (previous is None or previous.doc_id != doc.id):
            # an id given by the input (a JSONL record) stored with another text, not from this record
            owners = [s for s in m.sources_of(doc.id) if s != key]
            if owners:
                raise IdConflict(f"id {doc.id!r} already belongs to {owners[0]}, with a different text: "
                                 "give the record another id, or remove that document first")
        self.ids_this_run[doc.id] = (sha, key)
        if stored_sha == sha:
            if previous is None or previous.doc_id != doc.id or previous.status != OK:
                self._retire(key, previous)
                m.record_source(key, doc.id, OK)
            return Outcome.UNCHANGED
        outcome = Outcome.ADDED
        if previous and previous.doc_id and previous.doc_id != doc.id:
            outcome = Outcome.REPLACED
            self._retire(key, previous)
        if stored_sha is not None:  # same id, new content: a JSONL record that was edited
            outcome = Outcome.REPLACED
            self.ing.delete_documents([doc.id])
        if self.batch.queued(doc.id) is not None:
            self.batch.aliases.append((key, doc.id))  # same content twice in one batch: index it once
            return Outcome.UNCHANGED
        prepared = ready.prepared
        if prepared is None:  # the index held this text when it was prepared, and no longer does
            prepared = prepare_document(doc, sha, key, self.lib.settings.max_tokens, self.ing.stage_seconds,
                                        self._announce)
        if not prepared.chunks:
            return Outcome.EMPTY
        self.batch.docs.append(prepared)
        return outcome

    def _retire(self, key: str, previous) -> None:
        """Detach `key` from the document it used to point to, deleting that one if now orphaned."""
        if not previous or not previous.doc_id:
            return
        old = previous.doc_id
        if [s for s in self.m.sources_of(old) if s != key]:
            return
        self.ing.delete_documents([old])

    def _retire_missing_records(self, path: Path) -> None:
        """Keys of `path` indexed before but not read now: parts a long text no longer has are dropped;
        records no longer in a JSONL file are dropped with --sync, else kept and reported."""
        source = str(path)
        if source in self.files_failed:
            return
        earlier = self.m.file_rows(source)
        gone = [r for r in earlier if r.doc_id and r.source not in self.keys_read]
        if not gone:
            return
        records = path.suffix.lower() == ".jsonl"
        if records and not self.sync_on:
            self.kept.extend((r.source, "no longer in the file; kept (ingest --sync drops it)") for r in gone)
            return
        self.flush()  # a queued document may be the new home of a gone key's text
        self.remove_sources([r.source for r in gone])

    def remove_sources(self, sources: Sequence[str]) -> None:
        self.removed.extend(self.ing.remove_sources(sources))

    def sync(self, roots: Sequence[Path]) -> None:
        """Remove the documents of sources under `roots` whose files are gone (unreadable and empty
        files were handled as they were read)."""
        gone = []
        for root in roots:
            prefix = str(root)
            for row in self.m.source_rows(prefix):
                path = row.source.split("#", 1)[0]
                if not row.doc_id or (path != prefix and not path.startswith(prefix.rstrip("/") + "/")):
                    continue
                if not os.path.lexists(path):
                    gone.append(row.source)
        self.remove_sources(sorted(set(gone)))

    def report(self, seconds: float) -> IngestReport:
        return IngestReport(
            documents=self.counts[Outcome.ADDED] + self.counts[Outcome.REPLACED],
            chunks=self.chunks,
            unchanged=self.counts[Outcome.UNCHANGED],
            replaced=self.counts[Outcome.REPLACED],
            skipped=tuple(self.skipped),
            failed=tuple(self.failed),
            seconds=seconds,
            stage_seconds=dict(self.ing.stage_seconds),
            kept=tuple(self.kept),
            repaired=tuple(self.repaired),
            removed=tuple(self.removed),
            tokens=self.tokens,
            peak_rss_mb=peak_rss_mb(),
            reused=self.ing.reused,
            workers=self.workers_used,
        )


