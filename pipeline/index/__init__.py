"""Index stage: the manifest (SQLite), the vector store (chromadb) and the lexical index (tantivy)."""
from .lexical import LexicalIndex, QuerySegmenter, gram_terms
from .manifest import Manifest
from .vectors import VectorStore

__all__ = ["LexicalIndex", "Manifest", "QuerySegmenter", "VectorStore", "gram_terms"]
