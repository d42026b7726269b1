"""govtext: ingest, segment, index and search Vietnamese and Chinese governance documents."""
from .api import Library, SearchResults
from .config import Settings, load_settings
from .errors import (
    DocumentNotFound,
    EmptyDocument,
    EncodingError,
    ExtractionFailed,
    GovtextError,
    IndexMismatch,
    IndexNotFound,
    ModelNotFound,
    OcrUnavailable,
    UnsupportedFormat,
)
from .types import Chunk, Document, Hit, IngestReport, Page, Passage, Segment, Similar

__all__ = [
    "Chunk", "Document", "DocumentNotFound", "EmptyDocument", "EncodingError", "ExtractionFailed",
    "GovtextError", "Hit", "IndexMismatch", "IndexNotFound", "IngestReport", "Library", "ModelNotFound",
    "OcrUnavailable", "Page", "Passage", "SearchResults", "Segment", "Settings", "Similar", "UnsupportedFormat",
    "load_settings",
]
