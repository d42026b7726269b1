"""Vector store: a chromadb collection of chunk embeddings with their filterable metadata."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import GovtextError, VectorIndexDamaged
from ..types import Chunk
from . import hnsw_files

COLLECTION = "chunks"
_BATCH = 250  # chroma's recommended insert batch size


def _where(lang: str | None, sources: Sequence[str] | None, doc_ids: Sequence[str] | None = None) -> dict | None:
    clauses = []
    if doc_ids is not None:
        clauses.append({"doc_id": {"$in": list(doc_ids)}})
    if lang:
        clauses.append({"lang": lang})
    if sources:
        clauses.append({"source": {"$in": list(sources)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class VectorStore:
    """Chunk vectors in chromadb: embedded `PersistentClient` by default, or a `chroma run` server.

    Args:
        path: folder of the embedded database (ignored in server mode).
        host, port: a chroma server to use instead of the embedded database.
    """

    def __init__(self, path: str | Path, host: str = "", port: int = 8000):
        self.path, self.host, self.port = Path(path), host, port
        self._collection = None

    @property
    def collection(self):
        if self._collection is None:
            os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            opts = ChromaSettings(anonymized_telemetry=False)
            try:
                if self.host:
                    client = chromadb.HttpClient(host=self.host, port=self.port, settings=opts)
                else:
                    damaged = self.damage()
                    if damaged:  # chroma would answer wrongly, crash, or grow a file without end
                        raise VectorIndexDamaged(
                            f"the vector index at {self.path} is damaged ({'; '.join(damaged[:3])}): run "
                            "`govtext repair` to rebuild it from the vectors still whole (the rest is re-embedded)")
                    self._forget_system()  # another Library of this process may hold a stale view
                    client = chromadb.PersistentClient(path=str(self.path), settings=opts)
            except VectorIndexDamaged:
                raise
            except Exception as exc:  # chromadb raises plain exceptions for connection problems
                where = f"{self.host}:{self.port}" if self.host else str(self.path)
                raise GovtextError(f"cannot open the chroma database at {where}: {exc}") from exc
            self._collection = client.get_or_create_collection(
                COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        return self._collection

    def damage(self) -> tuple[str, ...]:
        """How the embedded database's HNSW files disagree with each other (`hnsw_files.damage`); a
        chroma server checks its own."""
        return () if self.host else hnsw_files.damage(self.path)

    def set_aside(self) -> tuple[dict[str, np.ndarray], Path]:
        """Move a damaged embedded database out of the way: (every vector still whole in it, by chunk
        id; where it went). The next use creates an empty database in its place."""
        salvaged = hnsw_files.salvage(self.path)
        aside = self.path.with_name(f"{self.path.name}.damaged")
        if aside.exists():
            import shutil

            shutil.rmtree(aside)
        self._collection = None
        self._forget_system()
        if self.path.exists():
            self.path.rename(aside)
        return salvaged, aside

    def reopen(self) -> None:
        """Forget the open collection so the next use reads the database again.

        chromadb keeps one in-memory HNSW index per folder and process, loaded when first opened:
        vectors another process adds later are counted but never found. A reader reopens when
        the manifest's generation says a writer committed.
        """
        self._collection = None

    def _forget_system(self) -> None:
        """Drop chromadb's per-process cache of this folder's database, so it is loaded from disk again."""
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(self.path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(self.path), None)

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray, sources: dict[str, str], titles: dict[str, str]) -> None:
        """Upsert chunks with their vectors; `sources`/`titles` map doc_id to the document's."""
        for i in range(0, len(chunks), _BATCH):
            part = chunks[i : i + _BATCH]
            self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[i : i + _BATCH].astype(np.float32),
                documents=[c.text for c in part],
                metadatas=[
                    {
                        "doc_id": c.doc_id,
                        "lang": c.lang,
                        "source": sources.get(c.doc_id, ""),
                        "title": titles.get(c.doc_id, "")[:500],
                        "start": c.start,
                        "end": c.end,
                        "page": c.page if c.page is not None else -1,
                        "ordinal": c.ordinal,
                    }
                    for c in part
                ],
            )

    def delete_documents(self, doc_ids: Sequence[str]) -> None:
        if doc_ids:
            self.collection.delete(where={"doc_id": {"$in": list(doc_ids)}})

    def delete_ids(self, chunk_ids: Sequence[str]) -> None:
        for i in range(0, len(chunk_ids), _BATCH):
            self.collection.delete(ids=list(chunk_ids[i : i + _BATCH]))

    def all_ids(self, page: int = 10_000) -> list[str]:
        """Every chunk id in the collection (read in pages)."""
        out: list[str] = []
        while True:
            got = self.collection.get(include=[], limit=page, offset=len(out))
            out.extend(got["ids"])
            if len(got["ids"]) < page:
                return out

    def query(
        self,
        vector: np.ndarray,
        n: int,
        lang: str | None = None,
        sources: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the `n` nearest chunks, best first."""
        res = self.collection.query(  # chroma caps n_results at the collection size itself
            query_embeddings=[np.asarray(vector, np.float32)],
            n_results=n,
            where=_where(lang, sources, doc_ids),
            include=["distances"],
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]

    def vectors_of(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vector of each chunk id that exists."""
        out: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(chunk_ids))
        for i in range(0, len(ids), _BATCH):
            got = self.collection.get(ids=ids[i : i + _BATCH], include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"]):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def count(self) -> int:
        return self.collection.count()
