"""Ingest throughput: documents/s, chunks/s and seconds per stage on a slice of a corpus.

    .venv/bin/python bench/ingest.py --corpus ../shared/corpora/zh-gov/corpus.jsonl --n 1000
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import SHARED, header, slice_jsonl, write_report

from pipeline import Library


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default=str(SHARED / "corpora/zh-gov/corpus.jsonl"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--skip", type=int, default=0, help="start after this many documents (to grow an index)")
    ap.add_argument("--name", default=None, help="report name under bench/results/")
    ap.add_argument("--index", default=None, help="build the index here and keep it (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        part = slice_jsonl(Path(args.corpus), args.n, Path(tmp) / f"slice-{args.skip}.jsonl", args.skip)
        size = part.stat().st_size
        lib = Library(Path(args.index) if args.index else Path(tmp) / "index", create=True)
        t0 = time.perf_counter()
        lib.embedder.warm_up()
        load = time.perf_counter() - t0
        report = lib.ingest([part])
        stats = lib.stats()
    total = report.seconds
    lines = [
        header(f"Ingest: documents {args.skip + 1}-{args.skip + args.n} of {Path(args.corpus).parent.name}"),
        f"| documents | chunks | failed | input MB | model load s | ingest s | docs/s | chunks/s | KB/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {report.documents} | {report.chunks} | {len(report.failed)} | {size / 1e6:.1f} | {load:.1f} | {total:.1f} "
        f"| {report.documents / total:.1f} | {report.chunks / total:.1f} | {size / 1e3 / total:.0f} |",
        "",
        "Seconds per stage:",
        "",
        "| stage | seconds | share |",
        "| --- | --- | --- |",
    ]
    for stage, sec in sorted(report.stage_seconds.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {stage} | {sec:.1f} | {sec / total:.0%} |")
    lines.append(f"\nIndex after ingest: {stats['documents']} documents, {stats['chunks']} chunks, by language {stats['by_lang']}.\n")
    write_report(args.name or f"ingest-{Path(args.corpus).parent.name}-{args.n}", "\n".join(lines))


if __name__ == "__main__":
    main()
