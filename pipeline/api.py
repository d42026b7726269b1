"""The one core API: the CLI, notebooks and the web page all call `Library`.

    >>> from pipeline import Library
    >>> lib = Library("indexes/default")
    >>> lib.ingest(["corpora/"])
    >>> lib.search("一征三议两公开", k=5)
"""
from __future__ import annotations

import hashlib
import html
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .chunk import chunk_context
from .metadata import extract_metadata
from .config import Settings, load_settings
from .errors import DocumentNotFound, EmptyDocument, GovtextError, IndexMismatch
from .index import LexicalIndex, Manifest, VectorStore
from .search import MODES, Searcher
from .types import Chunk, Document, Hit, IngestReport, content_hash

_FLUSH_CHUNKS = 256  # chunks embedded and written per batch
# 2: language-centred vectors and the Sino-Vietnamese lexical view; 3: title context in the vectors,
# no title/heading BM25 field; 4: near-duplicate groups, traditional Chinese folded to simplified and
# tone-stripped Vietnamese in the lexical index
INDEX_FORMAT = 5  # 5: document metadata (type, year, issuer, places) stored for search filters
_FORMAT_CHANGES = "near-duplicate groups, traditional/simplified and tone-insensitive lexical search"


def _timed_iter(items, timed, stage: str):
    """Yield from `items`, adding the time spent producing each item to `stage`."""
    it = iter(items)
    while True:
        with timed(stage):
            try:
                item = next(it)
            except StopIteration:
                return
        yield item


class SearchResults(list):
    """A list of Hit that renders as highlighted, cited passages in Jupyter."""

    def __init__(self, hits: Iterable[Hit], query: str = "", mode: str = ""):
        super().__init__(hits)
        self.query, self.mode = query, mode

    def to_dicts(self) -> list[dict]:
        return [h.to_dict() for h in self]

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.query)}</b> · {self.mode} · {len(self)} documents</p>"
        return head + "".join(h._repr_html_() for h in self)


@dataclass
class _Batch:
    docs: list[tuple[Document, str, str]] = field(default_factory=list)  # (doc, sha, source key)
    chunks: list[Chunk] = field(default_factory=list)
    words: list[list[str]] = field(default_factory=list)
    signatures: dict = field(default_factory=dict)  # doc_id -> MinHash signature (or None)


def _year_range(year) -> tuple[int, int] | None:
    """(first, last) issue year from 2021, "2021", "2019-2021" or (2019, 2021)."""
    if not year:
        return None
    if isinstance(year, tuple):
        return int(year[0]), int(year[1])
    text = str(year).strip()
    try:
        if "-" in text:
            first, last = text.split("-", 1)
            return int(first), int(last)
        return int(text), int(text)
    except ValueError:
        raise GovtextError(f"bad year {year!r}: use 2021 or a range such as 2019-2021") from None


class Library:
    """An index folder of governance documents: ingest files, search them, show them.

    Args:
        index: index folder (default from settings: `indexes/default` or `$GOVTEXT_INDEX`).
        settings: full Settings; `index` overrides its `index`.
        embedder: an `Embedder` (default: multilingual-e5-small, built on first use).
    """

    def __init__(self, index: str | Path | None = None, settings: Settings | None = None, embedder=None):
        self.settings = settings or load_settings()
        if index is not None:
            self.settings = replace(self.settings, index=str(index))
        self.path = Path(self.settings.index)
        self._embedder = embedder
        self._manifest: Manifest | None = None
        self._groups = None
        self.vectors = VectorStore(self.path / "chroma", self.settings.chroma_host, self.settings.chroma_port)
        self.lexical = LexicalIndex(self.path / "lexical")
        self._stage_seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def _timed(self, stage: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self._stage_seconds[stage] += time.perf_counter() - t0

    # -- components, opened lazily so that constructing a Library costs nothing
    @property
    def embedder(self):
        if self._embedder is None:
            from .embed import E5Embedder

            self._embedder = E5Embedder(batch_size=self.settings.embed_batch_size)
        return self._embedder

    @property
    def manifest(self) -> Manifest:
        if self._manifest is None:
            self._manifest = Manifest(self.path / "manifest.sqlite")
            self._check_model()
        return self._manifest

    def _check_model(self) -> None:
        name, fmt = self._manifest.get_info("model"), self._manifest.get_info("format")
        want = getattr(self._embedder, "name", None) or "multilingual-e5-small"
        if name is None:
            self._manifest.set_info("model", want)
            self._manifest.set_info("dim", str(getattr(self._embedder, "dim", 384)))
            self._manifest.set_info("format", str(INDEX_FORMAT))
        elif name != want:
            raise IndexMismatch(f"index {self.path} was built with {name}, not {want}: use another --index")
        elif fmt != str(INDEX_FORMAT):
            raise IndexMismatch(
                f"index {self.path} has format {fmt or 1}, this govtext writes format {INDEX_FORMAT} "
                f"({_FORMAT_CHANGES}): ingest again into a new --index"
            )

    @property
    def groups(self):
        """The index's near-duplicate groups (`pipeline.duplicates.DuplicateGroups`)."""
        if self._groups is None:
            from .duplicates import DuplicateGroups

            self._groups = DuplicateGroups(self.manifest)
        return self._groups

    @property
    def centering(self):
        """The language centring applied to e5 vectors (None for any other embedder)."""
        from .crosslingual import default_centering
        from .embed import MODEL_NAME

        if (getattr(self._embedder, "name", None) or MODEL_NAME) != MODEL_NAME:
            return None
        return default_centering()

    @property
    def searcher(self) -> Searcher:
        return Searcher(self.manifest, self.vectors, self.lexical, self.embedder, self.centering)

    def exists(self) -> bool:
        return (self.path / "manifest.sqlite").exists()

    # -- ingest
    def ingest(self, paths: Iterable[str | Path], progress: Callable[[str, int], None] | None = None) -> IngestReport:
        """Read, normalise, segment, chunk, embed and index every supported file under `paths`.

        Ingesting the same content twice changes nothing; a changed file replaces its old chunks;
        an interrupted ingest resumes when run again. Bad files are reported and skipped.

        Args:
            paths: files and folders (walked recursively).
            progress: called with (source, documents done so far) after each document.
        Returns:
            counts of documents and chunks added, unchanged and replaced, and every failure.
        """
        from .readers import iter_files, read_file

        t0 = time.perf_counter()
        stats = {"documents": 0, "chunks": 0, "unchanged": 0, "replaced": 0}
        failed: list[tuple[str, str]] = []
        skipped: list[tuple[str, str]] = []
        self._stage_seconds.clear()
        self._resume()
        batch = _Batch()
        seen = 0

        def bad_record(source: str, reason: str) -> None:
            failed.append((source, reason))
            self.manifest.record_source(source, None, "failed", reason)

        try:
            for path in iter_files(paths):
                try:
                    reading = read_file(path, on_error=bad_record, settings=self.settings)
                    for raw in _timed_iter(reading, self._timed, "read"):
                        key = f"{path}#{raw.id}" if raw.id else str(path)
                        if raw.meta.get("unread_pages"):  # scanned pages OCR could not read
                            pages = ", ".join(map(str, raw.meta["unread_pages"]))
                            skipped.append((f"{key} pages {pages}", raw.meta["unread_reason"]))
                        try:
                            outcome = self._prepare(raw, key, batch)
                        except GovtextError as exc:
                            bad_record(key, str(exc))
                            outcome = "failed"
                        if outcome == "empty":
                            skipped.append((key, "no indexable text"))
                            self.manifest.record_source(key, None, "skipped", "no indexable text")
                        elif outcome in stats:
                            stats[outcome] += 1
                        seen += 1
                        if progress:
                            progress(key, seen)
                        if len(batch.chunks) >= _FLUSH_CHUNKS:
                            stats["chunks"] += self._flush(batch)
                            batch = _Batch()
                except GovtextError as exc:
                    bad_record(str(path), str(exc))
                except (OSError, ValueError, RuntimeError) as exc:  # a reader hit something it did not expect
                    bad_record(str(path), f"{type(exc).__name__}: {exc}")
            stats["chunks"] += self._flush(batch)
        finally:
            self.lexical.close()
        return IngestReport(
            documents=stats["documents"] + stats["replaced"],
            chunks=stats["chunks"],
            unchanged=stats["unchanged"],
            replaced=stats["replaced"],
            skipped=tuple(skipped),
            failed=tuple(failed),
            seconds=time.perf_counter() - t0,
            stage_seconds=dict(self._stage_seconds),
        )

    def _resume(self) -> None:
        """Drop whatever an interrupted ingest left half-written, so it is redone cleanly."""
        pending = self.manifest.pending_documents()
        if pending:
            self._delete_docs(pending)

    def _prepare(self, raw: Document, key: str, batch: _Batch) -> str:
        """Normalise one document and queue its chunks; return what happened to it."""
        from .chunk import chunk
        from .index.lexical import word_terms
        from .language import detect_document
        from .normalize import normalize
        from .segment import segment

        with self._timed("normalize"):
            doc = normalize(raw)
        if not doc.text.strip():
            raise EmptyDocument("no text after normalisation")
        sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        with self._timed("language"):
            doc = detect_document(replace(doc, id=doc.id or content_hash(doc.text)))
        m = self.manifest
        previous = m.source_doc(key)
        status = m.doc_status(doc.id)
        if status == "ok" and self._same_sha(doc.id, sha):
            if previous is None or previous[0] != doc.id:
                self._retire(key, previous)
                m.record_source(key, doc.id, "ok")
            return "unchanged"
        outcome = "documents"
        if previous and previous[0] and previous[0] != doc.id:
            outcome = "replaced"
            self._retire(key, previous)
        if status == "ok":  # same id, new content: a JSONL record that was edited
            outcome = "replaced"
            self._delete_docs([doc.id])
        queued = next((queued_sha for d, queued_sha, _ in batch.docs if d.id == doc.id), None)
        if queued == sha:
            batch.docs.append((doc, sha, key))  # same content twice in one batch: index it once
            return "unchanged"
        if queued is not None:
            raise GovtextError(f"id {doc.id!r} is already used by another record with different text")
        with self._timed("metadata"):
            found = extract_metadata(doc.text, doc.lang, doc.title, doc.source).to_dict()
            doc = replace(doc, meta={**doc.meta, "metadata": found})
        with self._timed("segment"):
            segments = segment(doc)
        with self._timed("chunk"):
            chunks = chunk(doc, segments, max_tokens=self.settings.max_tokens)
        if not chunks:
            return "empty"
        batch.docs.append((doc, sha, key))
        batch.chunks.extend(chunks)
        with self._timed("near_duplicates"):
            from .duplicates import indexable_text, signature

            batch.signatures[doc.id] = signature(indexable_text(doc.text, doc.skip), doc.lang)
        with self._timed("words"):
            batch.words.extend(word_terms(c.text, c.lang) for c in chunks)
        return outcome

    def _same_sha(self, doc_id: str, sha: str) -> bool:
        row = self.manifest.db.execute("SELECT sha FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return bool(row) and row[0] == sha

    def _retire(self, key: str, previous: tuple[str | None, str] | None) -> None:
        """Detach `key` from the document it used to point to, deleting that one if now orphaned."""
        if not previous or not previous[0]:
            return
        old = previous[0]
        if [s for s in self.manifest.sources_of(old) if s != key]:
            return
        self._delete_docs([old])

    def _delete_docs(self, doc_ids: Sequence[str]) -> None:
        """Remove documents and their chunks from every store."""
        self.vectors.delete_documents(doc_ids)
        self.lexical.delete_documents(doc_ids)
        self.lexical.commit()
        try:
            with self.manifest.transaction():
                self.groups.remove(doc_ids)
                for d in doc_ids:
                    self.manifest.delete_document(d)
        except BaseException:
            self._groups = None  # rebuilt from the manifest as it was
            raise

    def _flush(self, batch: _Batch) -> int:
        """Embed and store one batch; documents become `ok` only once both stores hold them."""
        if not batch.docs:
            return 0
        m = self.manifest
        first = {}
        for doc, sha, key in batch.docs:
            first.setdefault(doc.id, (doc, sha))
        by_doc: dict[str, list[Chunk]] = {}
        for c in batch.chunks:
            by_doc.setdefault(c.doc_id, []).append(c)
        with m.transaction():
            for doc_id, (doc, sha) in first.items():
                m.put_document(doc, sha, status="pending")
                m.put_chunks(doc_id, by_doc.get(doc_id, []))
        sources = {d: doc.source for d, (doc, _) in first.items()}
        titles = {d: doc.title for d, (doc, _) in first.items()}
        with self._timed("embed"):
            contexts = [chunk_context(titles.get(c.doc_id, ""), c) for c in batch.chunks]
            vectors = self.embedder.embed_documents(
                [f"{ctx}\n{c.text}" if ctx else c.text for ctx, c in zip(contexts, batch.chunks)]
            )
            if self.centering is not None:
                vectors = self.centering.passages(vectors, [c.lang for c in batch.chunks])
        with self._timed("store_vectors"):
            self.vectors.add(batch.chunks, vectors, sources, titles)
        with self._timed("store_lexical"):
            self.lexical.add(batch.chunks, batch.words, sources)
            self.lexical.commit()
        try:
            with m.transaction():
                m.mark_ok(first)
                for doc, _sha, key in batch.docs:
                    m.record_source(key, doc.id, "ok")
                with self._timed("near_duplicates"):
                    for doc_id, (doc, _sha) in first.items():
                        self.groups.add(doc_id, batch.signatures.get(doc_id), doc.lang)
        except BaseException:
            self._groups = None  # rebuilt from the manifest as it was
            raise
        return len(batch.chunks)

    # -- search and reading
    def search(
        self,
        query: str,
        k: int | None = None,
        mode: str | None = None,
        lang: str | None = None,
        source: str | Sequence[str] | None = None,
        collapse: bool = True,
        doc_type: str | None = None,
        year: int | str | tuple[int, int] | None = None,
        place: str | None = None,
        issuer: str | None = None,
    ) -> SearchResults:
        """Documents best matching `query`, each with its best passages, highlights and citation.

        Args:
            mode: "hybrid" (default), "dense" or "lexical".
            lang: only passages in this language ("vi", "zh").
            source: only documents from this source path (or any of several).
            doc_type: only documents of this type: a label such as "nghi_quyet", "tongzhi", "news"
                or its name ("Nghị quyết", "通知"); see `pipeline.metadata.DOC_TYPES`.
            year: only documents issued in this year, or range ("2020-2023", (2020, 2023)).
            place: only documents naming this place ("Long Biên", "长宁区"), case-insensitive.
            issuer: only documents whose issuing body contains this ("Đảng ủy", "人民政府").
            collapse: show each near-duplicate group once, as its best-ranked document, the
                others listed in `Hit.similar`; False shows every document as a hit of its own.
        Raises:
            GovtextError: unknown mode or language.
        """
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise GovtextError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        if lang not in (None, "vi", "zh", "other"):
            raise GovtextError(f"unknown language {lang!r}: use vi or zh")
        sources = [source] if isinstance(source, str) else list(source) if source else None
        doc_ids = None
        if doc_type or year or place or issuer:
            doc_ids = self.manifest.filter_documents(doc_type, _year_range(year), place, issuer)
        hits = self.searcher.search(
            query, k=k or self.settings.k, mode=mode, lang=lang, sources=sources,
            passages_per_hit=self.settings.passages_per_hit, collapse=collapse, doc_ids=doc_ids,
        )
        return SearchResults(hits, query, mode)

    def rank_documents(
        self, query: str, k: int = 100, mode: str | None = None, lang: str | None = None
    ) -> list[tuple[str, float]]:
        """(doc_id, score) of the `k` best documents, without building passages: for evaluation."""
        ranked = self.searcher.rank_documents(query, k=k, mode=mode or self.settings.mode, lang=lang)
        return [(doc_id, chunks[0][1]) for doc_id, chunks in ranked]

    def evaluate(self, queries, modes=("hybrid",), k: int = 100, lang: str | None = None):
        """Score this index on labelled queries (a queries.jsonl path or a list of `Query`)."""
        from .evaluate import evaluate, load_queries

        if isinstance(queries, (str, Path)):
            queries = load_queries(queries)
        for mode in modes:
            if mode not in MODES:
                raise GovtextError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        return evaluate(self, queries, modes, k=k, lang=lang)

    def show(self, doc_id: str) -> Document:
        """The stored document (display text, pages, language spans) for an id.

        Raises:
            DocumentNotFound: no such document in this index.
        """
        doc = self.manifest.get_document(doc_id)
        if doc is None:
            raise DocumentNotFound(f"no document {doc_id!r} in {self.path}: see `govtext stats --documents`")
        return doc

    def chunks(self, doc_id: str) -> list[Chunk]:
        """The chunks of one document, in order, rebuilt from the manifest."""
        doc = self.show(doc_id)
        rows = self.manifest.chunk_rows(self.manifest.chunk_ids_of(doc_id))
        return [
            Chunk(cid, d, lang, s, e, doc.text[s:e], o, page, heads)
            for cid, (d, o, lang, s, e, page, heads) in sorted(rows.items(), key=lambda kv: kv[1][1])
        ]

    def stats(self) -> dict:
        """Counts of documents (by language), chunks, sources and failures in both stores."""
        counts = self.manifest.counts()
        counts["index"] = str(self.path)
        counts["vector_chunks"] = self.vectors.count()
        counts["lexical_chunks"] = self.lexical.count()
        counts["model"] = self.manifest.get_info("model")
        return counts

    def documents(self) -> list[dict]:
        return [
            dict(zip(("doc_id", "title", "source", "lang", "chunks", "status"), row))
            for row in self.manifest.iter_documents()
        ]

    def duplicates(self) -> list[dict]:
        """Every near-duplicate group of two or more documents, largest first.

        Returns:
            [{"group": id, "size": n, "documents": [{"doc_id", "title", "source", "lang"}, ...]}, ...]
        """
        groups = self.manifest.duplicate_groups()
        docs = self.manifest.document_rows(d for members in groups.values() for d in members)
        out = [
            {
                "group": gid,
                "size": len(members),
                "documents": [dict(zip(("doc_id", "title", "source", "lang"), (d, *docs.get(d, ("", "", ""))))) for d in members],
            }
            for gid, members in groups.items()
        ]
        return sorted(out, key=lambda g: (-g["size"], g["group"]))

    def failures(self) -> list[dict]:
        return [dict(zip(("source", "status", "reason"), row)) for row in self.manifest.failures()]

    def close(self) -> None:
        self.lexical.close()
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None
