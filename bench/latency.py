"""Search latency: warm p50/p95 per mode in one process, and cold `govtext search` wall time
against a bare `python -c "import chromadb"` measured in the same run.

    .venv/bin/python bench/latency.py --index /tmp/zh-gov-index --queries ../shared/eval/zh-stard/queries.jsonl
The index must exist (build it with `govtext ingest`).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, header, write_report

from pipeline import Library


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def wall(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--n", type=int, default=100, help="queries per mode")
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--name", default="latency")
    args = ap.parse_args()
    queries = [json.loads(line)["text"] for line in open(args.queries, encoding="utf-8")][: args.n]
    lib = Library(args.index)
    stats = lib.stats()
    lib.search(queries[0], k=10)  # warm: model, stores, vocabulary
    rows = []
    for mode in ("dense", "lexical", "hybrid"):
        times = []
        for q in queries:
            t0 = time.perf_counter()
            lib.search(q, k=10, mode=mode)
            times.append((time.perf_counter() - t0) * 1000)
        rows.append((mode, statistics.median(times), percentile(times, 0.95)))
    py = sys.executable
    gov = [py, "-m", "pipeline.cli", "search", queries[0], "--index", args.index, "--k", "10"]
    wall(gov, 1)  # disk cache
    cold = wall(gov, args.cold_runs)
    base = wall([py, "-c", "import chromadb"], args.cold_runs)
    lines = [
        header("Search latency"),
        f"Index: {stats['documents']} documents, {stats['chunks']} chunks; {len(queries)} queries from `{args.queries}`.\n",
        "| mode | warm p50 ms | warm p95 ms |",
        "| --- | --- | --- |",
        *[f"| {m} | {p50:.1f} | {p95:.1f} |" for m, p50, p95 in rows],
        "",
        f"Cold `govtext search` (new process, warm disk cache), median of {args.cold_runs}: "
        f"**{statistics.median(cold):.2f} s**; bare `python -c \"import chromadb\"`: "
        f"**{statistics.median(base):.2f} s** (ratio {statistics.median(cold) / statistics.median(base):.2f}).\n",
    ]
    write_report(args.name, "\n".join(lines))


if __name__ == "__main__":
    main()
