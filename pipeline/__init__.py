"""govtext: ingest, segment, index and search Vietnamese and Chinese governance documents.

The public names below are imported on first use (PEP 562), so `import pipeline` and the
command line start fast and load only the stages they need.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "Library": "api", "SearchResults": "api",
    "Catalogue": "practices", "Comparison": "practices", "PracticeCard": "practices",
    "Settings": "config", "load_settings": "config",
    "DocumentNotFound": "errors", "EmptyDocument": "errors", "EncodingError": "errors", "ExportError": "errors",
    "ExtractionFailed": "errors", "GlossaryError": "errors", "GovtextError": "errors", "IndexMismatch": "errors",
    "IndexNotFound": "errors", "ModelNotFound": "errors", "OcrUnavailable": "errors", "PracticeNotFound": "errors",
    "UnsupportedFormat": "errors",
    "Brief": "export", "BriefSection": "export", "Quote": "export",
    "Expansion": "glossary", "Glossary": "glossary", "load_glossary": "glossary",
    "Practice": "practices",
    "AnalysedQuery": "query",
    "Chunk": "types", "DocMeta": "types", "Document": "types", "Hit": "types", "IngestProgress": "types", "IngestReport": "types", "Page": "types",
    "Passage": "types", "Segment": "types", "Similar": "types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
