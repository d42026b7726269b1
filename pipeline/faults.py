"""Fault injection for the crash tests: `GOVTEXT_FAULT=point[:n]` kills the process (SIGKILL) the
n-th time (default the first) it reaches the named point, as `kill -9` would. Unset, nothing happens."""
from __future__ import annotations

import os
import signal
from collections import defaultdict

FAULT_POINTS = (
    "pending",  # manifest rows written as pending, nothing in the stores yet
    "vectors",  # chunk vectors in chroma, tantivy not yet committed
    "lexical",  # both stores hold the batch, the manifest still says pending
    "ok",  # batch committed everywhere
    "deleting",  # documents marked for removal, stores untouched
    "deleted_vectors",  # removed from chroma, still in tantivy and the manifest
    "deleted_lexical",  # removed from both stores, manifest rows still there
    "worker",  # a worker process preparing a document (the writer goes on without workers)
)
_fault_counts: dict[str, int] = defaultdict(int)


def fault_point(name: str) -> None:
    """Die here, as by `kill -9`, when `$GOVTEXT_FAULT` names this point (tests only)."""
    want = os.environ.get("GOVTEXT_FAULT")
    if not want:
        return
    point, _, nth = want.partition(":")
    if point != name:
        return
    _fault_counts[name] += 1
    if _fault_counts[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
