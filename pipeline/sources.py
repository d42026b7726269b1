"""The inputs of an ingest as the manifest knows them: the key of a document read from a file, the
id of a JSONL record scoped by its file, the state of a file (to see it change while it is read) and
the largest file it reads.
"""
from __future__ import annotations

import os
from pathlib import Path

from .types import Document

DEFAULT_MAX_SIZE = 200 * 1024 * 1024  # bytes; files above it are refused (`--max-size`, 0 = no limit)
READ_ATTEMPTS = 3  # a file that changes while it is read is read again, this many times in all


def source_key(path: Path, raw: Document) -> str:
    """The manifest key of a document read from `path`."""
    if raw.meta.get("part"):
        return f"{path}#part{raw.meta['part']}"
    return f"{path}#{raw.id}" if raw.id else str(path)


def scoped_id(path: Path, record_id: str) -> str:
    """A JSONL record's document id, scoped by its file: "corpus:law-1" for law-1 in corpus.jsonl."""
    return f"{path.stem}:{record_id}"


def file_state(path: Path) -> tuple[int, int, int] | None:
    """(size, mtime in ns, inode): what changes when a file is written while it is read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino
