"""govtext: ingest, segment, index and search Vietnamese and Chinese governance documents."""
from .api import Library, SearchResults
from .cards import Catalogue, Comparison, PracticeCard
from .config import Settings, load_settings
from .errors import (
    DocumentNotFound,
    EmptyDocument,
    EncodingError,
    ExportError,
    ExtractionFailed,
    GlossaryError,
    GovtextError,
    IndexMismatch,
    IndexNotFound,
    ModelNotFound,
    OcrUnavailable,
    PracticeNotFound,
    UnsupportedFormat,
)
from .export import Brief, BriefSection, Quote
from .glossary import Glossary, load_glossary
from .practices import Practice
from .types import Chunk, Document, Hit, IngestReport, Page, Passage, Segment, Similar

__all__ = [
    "Brief", "BriefSection", "Catalogue", "Chunk", "Comparison", "Document", "DocumentNotFound", "EmptyDocument",
    "EncodingError", "ExportError", "ExtractionFailed", "GlossaryError", "Glossary", "GovtextError", "Hit",
    "IndexMismatch", "IndexNotFound", "IngestReport", "Library", "ModelNotFound", "OcrUnavailable", "Page",
    "Passage", "Practice", "PracticeCard", "PracticeNotFound", "Quote", "SearchResults", "Segment", "Settings",
    "Similar", "UnsupportedFormat", "load_glossary", "load_settings",
]
