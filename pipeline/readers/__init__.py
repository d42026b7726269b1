"""Readers: turn files into Documents with raw text, one module per input format.

Every public module in this package is a reader: it declares `EXTENSIONS` (lower-case, with
the dot) and `read(path, on_error) -> Iterator[Document]`; a reader that needs settings (the PDF
reader's OCR language) also takes a `settings` keyword. Modules are found at import, so a
new format is a new file here and nothing else changes. Readers leave `Document.id` empty
(for files; .jsonl keeps its records' ids) and do not normalise text: see `pipeline.normalize`.
"""
from __future__ import annotations

import errno
import importlib
import inspect
import os
import pkgutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..config import Settings
from ..errors import ExtractionFailed, UnsupportedFormat
from ..types import Document

OnError = Callable[[str, str], None]
Reader = Callable[[Path, OnError | None], Iterator[Document]]

__all__ = [
    "READERS", "InputFile", "OnError", "Reader", "count_inputs", "iter_files", "iter_inputs", "read_file",
    "supported_extensions",
]


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


@dataclass(frozen=True)
class InputFile:
    """A file to read, or, with `problem`, one that must not be opened (a FIFO, a symlink loop...)."""

    path: Path
    problem: str = ""
    size: int = 0


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def iter_inputs(paths: Iterable[str | os.PathLike]) -> Iterator[InputFile]:
    """Expand files and folders into the files to read, in a deterministic order, never opening one.

    Folders are walked recursively in sorted order (symlinked folders are not followed), skipping
    hidden files and folders (names starting with "."), and yield only files with a supported
    extension. A path named explicitly is yielded whatever its extension, so that reading it
    reports UnsupportedFormat (or a missing file) instead of dropping it silently. Each file is
    yielded once. Anything that is not a regular file (FIFOs, sockets, devices) or cannot be
    resolved (symlink loops, dangling links) comes with a `problem` and must be skipped: opening a
    FIFO would block for ever.
    """
    seen: set[tuple[int, int]] = set()
    for root in map(Path, paths):
        found = _walk(root) if _is_real_dir(root) else [root]
        for path in found:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                yield InputFile(path, "dangling symbolic link" if os.path.islink(path) else "")
                continue
            except OSError as err:
                reason = "symbolic link loop" if err.errno == errno.ELOOP else f"cannot stat ({err.strerror})"
                yield InputFile(path, reason)
                continue
            kind = next((name for test, name in _SPECIAL if test(st.st_mode)), None)
            if kind is not None:
                yield InputFile(path, f"not a regular file ({kind}): not read")
                continue
            key = (st.st_dev, st.st_ino)
            if key not in seen:
                seen.add(key)
                yield InputFile(path, size=st.st_size)


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The readable files of `iter_inputs` (those without a problem), in the same order."""
    for item in iter_inputs(paths):
        if not item.problem:
            yield item.path


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
        if path.suffix.lower() == ".jsonl" and path.exists():
            with open(path, "rb") as f:
                total += sum(1 for line in f if line.strip())
        else:
            total += 1
    return total
