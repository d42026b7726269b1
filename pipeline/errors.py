"""Named errors. The CLI turns each into one line that says what to do next."""


class GovtextError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class UnsupportedFormat(GovtextError):
    """The file's extension has no reader."""


class EmptyDocument(GovtextError):
    """The file holds no text after extraction and normalisation."""


class EncodingError(GovtextError):
    """No supported text encoding decodes the file cleanly."""


class ExtractionFailed(GovtextError):
    """A reader could not extract text (corrupt, encrypted or binary file)."""


class OcrUnavailable(ExtractionFailed):
    """A scanned page needs OCR but Tesseract or its language data is missing; says what to install."""


class ModelNotFound(GovtextError):
    """The embedding model folder is missing or corrupt; run `govtext setup-model`."""


class IndexMismatch(GovtextError):
    """The index was built with another model or schema than the one in use."""


class IndexNotFound(GovtextError):
    """No index exists at the given location; run `govtext ingest` first."""


class DocumentNotFound(GovtextError):
    """No document with the given id is in the index."""


class PracticeNotFound(GovtextError):
    """No practice of the catalogue has that name."""


class ExportError(GovtextError):
    """A brief cannot be written: unknown output format (use .md or .docx)."""


class GlossaryError(GovtextError):
    """The glossary file is malformed: a bad header, a row without both languages, an empty form,
    or a form listed in two rows."""


class IndexBusy(GovtextError):
    """Another process is writing to the index (it holds the writer lock); names the holder."""


class IdConflict(GovtextError):
    """A record's id is already used by a different text from another source or line."""


class InputTooLarge(GovtextError):
    """A file is over the size limit (`--max-size`); says how to raise it."""


class FileChanged(ExtractionFailed):
    """The file changed while it was being read, again on retry."""


class BadRequest(GovtextError):
    """A search or API parameter is out of range (k, query length, unknown filter value)."""


class VectorIndexDamaged(GovtextError):
    """chroma's HNSW files on disk disagree with each other (a writer died while persisting them):
    the store is not opened; `govtext repair` rebuilds it from what is whole, re-embedding the rest."""
