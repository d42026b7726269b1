"""Readers: turn files into Documents with raw text, one module per input format.

Every public module in this package is a reader: it declares `EXTENSIONS` (lower-case, with
the dot) and `read(path, on_error) -> Iterator[Document]`; a reader that needs settings (the PDF
reader's OCR language) also takes a `settings` keyword. Modules are found at import, so a
new format is a new file here and nothing else changes. Readers leave `Document.id` empty
(for files; .jsonl keeps its records' ids) and do not normalise text: see `pipeline.normalize`.
"""
from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..config import Settings
from ..errors import ExtractionFailed, UnsupportedFormat
from ..types import Document

OnError = Callable[[str, str], None]
Reader = Callable[[Path, OnError | None], Iterator[Document]]

__all__ = ["READERS", "OnError", "Reader", "count_inputs", "iter_files", "read_file", "supported_extensions"]


def _discover() -> dict[str, Reader]:
    registry: dict[str, Reader] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for extension in module.EXTENSIONS:
            registry[extension] = module.read
    return registry


READERS: dict[str, Reader] = _discover()
# Readers whose `read` takes a `settings` keyword.
_TAKES_SETTINGS = {reader for reader in READERS.values() if "settings" in inspect.signature(reader).parameters}


def supported_extensions() -> list[str]:
    """The file extensions that have a reader, sorted (e.g. [".jsonl", ".md", ".pdf", ".txt"])."""
    return sorted(READERS)


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Expand files and folders into the files to read, in a deterministic order.

    Folders are walked recursively in sorted order, skipping hidden files and folders (names
    starting with "."), and yield only files with a supported extension. A path named
    explicitly is yielded whatever its extension, so that reading it reports UnsupportedFormat
    (or a missing file) instead of dropping it silently. Each file is yielded once.

    Args:
        paths: files and folders.
    Returns:
        An iterator of Paths.
    """
    seen: set[Path] = set()
    for root in map(Path, paths):
        found = _walk(root) if root.is_dir() else [root]
        for path in found:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield path


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        # Sorting in place also fixes the order os.walk descends in.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in READERS:
                yield Path(dirpath) / name


def read_file(
    path: str | os.PathLike, on_error: OnError | None = None, settings: Settings | None = None
) -> Iterator[Document]:
    """Read one file with the reader for its extension.

    Args:
        path: the file.
        on_error: for multi-record formats (.jsonl), called as on_error(where, reason) for
            each bad record, which is then skipped.
        settings: for readers that use them (PDF OCR: `ocr_lang`, `tesseract_cmd`); default
            `load_settings()`.
    Returns:
        An iterator of Documents with raw text (one per file, or one per .jsonl line).
    Raises:
        UnsupportedFormat: no reader for the extension (raised at once, not on iteration).
        ExtractionFailed: the file cannot be read (missing, unreadable, corrupt, binary, encrypted);
            OcrUnavailable, a subclass, when a scanned PDF needs Tesseract and it is missing.
        EmptyDocument: the file holds no text.
        EncodingError: a text file in no supported encoding.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnsupportedFormat(
            f"no reader for {path.suffix or 'files without an extension'}: "
            f"supported are {', '.join(supported_extensions())}"
        )
    return _reading(reader, path, on_error, settings)


def _reading(reader: Reader, path: Path, on_error: OnError | None, settings: Settings | None) -> Iterator[Document]:
    try:
        if reader in _TAKES_SETTINGS:
            yield from reader(path, on_error, settings=settings)
        else:
            yield from reader(path, on_error)
    except FileNotFoundError as err:
        raise ExtractionFailed("no such file") from err
    except OSError as err:
        raise ExtractionFailed(f"cannot read the file ({err.strerror or err})") from err


def count_inputs(paths: Iterable[str | os.PathLike]) -> int:
    """How many documents `paths` will yield, for a progress bar: one per file, one per .jsonl line."""
    total = 0
    for path in iter_files(paths):
        if path.suffix.lower() == ".jsonl" and path.is_file():
            with open(path, "rb") as f:
                total += sum(1 for line in f if line.strip())
        else:
            total += 1
    return total
