"""The work of one ingest run: how many processes prepare documents (`auto_workers`), what became of
each document (`Outcome`), the prepared documents waiting for the embedder (`Batch`), and what the run
measures of itself (`timed_iter`: seconds per stage; `peak_rss_mb`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum

from .prepare import PreparedDocument


def auto_workers(cores: int | None = None) -> int:
    """Preparing processes when none are asked for: one per core beyond the two the embedder keeps busy.

    On two cores they gain little and can cost: with two workers, 80 vi-gov documents took 0.93x and 80
    zh-gov documents 1.06x the one-process wall time on a quiet machine (bench/results/ingest-workers.md),
    and 1.3-1.7x on a busy one, where they take CPU from the embedding threads. So there the writer
    prepares documents itself.
    """
    return max(1, (cores or os.cpu_count() or 1) - 2)


class Outcome(Enum):
    """What ingest did with one document."""

    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    EMPTY = "empty"


@dataclass
class Batch:
    """Prepared documents waiting to be embedded; `aliases` are further sources of queued documents."""

    docs: list[PreparedDocument] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (source key, doc_id)

    @property
    def n_chunks(self) -> int:
        return sum(len(p.chunks) for p in self.docs)

    def queued(self, doc_id: str) -> PreparedDocument | None:
        return next((p for p in self.docs if p.doc.id == doc_id), None)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (0 where the platform does not say)."""
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except (ImportError, OSError):
        return 0.0


def timed_iter(items, timed, stage: str):
    """Yield from `items`, adding the time spent producing each item to `stage`."""
    it = iter(items)
    while True:
        with timed(stage):
            try:
                item = next(it)
            except StopIteration:
                return
        yield item
