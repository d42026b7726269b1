"""Ingest with worker processes against one process, on Vietnamese and Chinese slices, interleaved.

Each run is `govtext ingest SLICE --workers W --json --no-practices` into a fresh index, in its own
process (start-up and model load included). Rounds alternate languages and worker counts, so a
drift of the machine's speed falls on every configuration alike. After the runs, the indexes built
with and without workers are compared: document and chunk ids, sources, and every vector (cosine).

    .venv/bin/python bench/ingest_workers.py --n 300 --rounds 2 --workers 1 2
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import ROOT, SHARED, header, slice_jsonl, write_report

CORPORA = {"vi": SHARED / "corpora/vi-gov/corpus.jsonl", "zh": SHARED / "corpora/zh-gov/corpus.jsonl"}


def run(part: Path, index: Path, workers: int) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "ingest", str(part), "--index", str(index), "--json",
         "--no-practices", "--workers", str(workers)],
        capture_output=True, text=True, cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr[-2000:])
    return {"wall": wall, "report": json.loads(out.stdout)}


def stores(index: Path, **settings) -> dict:
    """What two indexes of the same files must share; `settings` override the index's (a chroma server)."""
    from pipeline import Library
    from pipeline.config import load_settings

    lib = Library(index, settings=load_settings(**settings), readonly=True)
    m = lib.manifest
    ids = lib.vectors.all_ids()
    return {
        "documents": sorted((d.doc_id, d.sha) for d in m.ok_documents()),
        "chunks": dict(m.ok_chunks()),
        "sources": m.db.execute("SELECT source, doc_id, status, reason FROM sources ORDER BY source").fetchall(),
        "vectors": lib.vectors.vectors_of(ids),
    }


def same(a: dict, b: dict) -> str:
    for key in ("documents", "chunks", "sources"):
        if a[key] != b[key]:
            return f"{key} differ"
    if sorted(a["vectors"]) != sorted(b["vectors"]):
        return "vector ids differ"
    worst = min(float(np.dot(v, b["vectors"][i]) / np.linalg.norm(v) / np.linalg.norm(b["vectors"][i]))
                for i, v in a["vectors"].items())
    return f"identical (min cosine {worst:.7f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300, help="documents per language slice")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--name", default="ingest-workers")
    args = ap.parse_args()
    results: dict[tuple[str, int], list[dict]] = {}
    checks = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        parts = {lang: slice_jsonl(path, args.n, tmp / f"{lang}.jsonl") for lang, path in CORPORA.items()}
        for r in range(args.rounds):
            order = list(args.workers) if r % 2 == 0 else list(reversed(args.workers))
            for lang in ("vi", "zh"):
                for w in order:
                    index = tmp / f"{lang}-{w}-{r}"
                    got = run(parts[lang], index, w)
                    results.setdefault((lang, w), []).append(got)
                    print(lang, w, f"{got['wall']:.1f} s", flush=True)
            if r == 0:
                for lang in ("vi", "zh"):
                    base = stores(tmp / f"{lang}-{args.workers[0]}-0")
                    for w in args.workers[1:]:
                        checks.append(f"{lang}, workers {w} against {args.workers[0]}: "
                                      f"{same(base, stores(tmp / f'{lang}-{w}-0'))}")
    lines = [
        header(f"Ingest with worker processes: {args.n} documents per language, {args.rounds} rounds, interleaved"),
        "Medians over the rounds. Wall is the whole command (start-up and model load included); ingest s is "
        "the report's own time; outside embed is the share of ingest time not spent in the embedding stage.",
        "",
        "| slice | workers | documents | chunks | tokens | wall s | ingest s | tokens/s | outside embed | x 1 worker wall |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for lang in ("vi", "zh"):
        base = statistics.median(g["wall"] for g in results[(lang, args.workers[0])])
        for w in args.workers:
            runs = results[(lang, w)]
            rep = runs[0]["report"]
            wall = statistics.median(g["wall"] for g in runs)
            secs = statistics.median(g["report"]["seconds"] for g in runs)
            embed = statistics.median(g["report"]["stage_seconds"].get("embed", 0.0) for g in runs)
            tps = statistics.median(g["report"]["tokens_per_second"] for g in runs)
            lines.append(f"| {lang} | {w} | {rep['documents']} | {rep['chunks']} | {rep['tokens']:,} | {wall:.1f} "
                         f"| {secs:.1f} | {tps:,.0f} | {1 - embed / secs:.0%} | {wall / base:.2f} |")
    lines += ["", "Vietnamese against Chinese tokens/s, same workers: " + ", ".join(
        f"{w} worker(s) {statistics.median(g['report']['tokens_per_second'] for g in results[('vi', w)]) / statistics.median(g['report']['tokens_per_second'] for g in results[('zh', w)]):.2f}x"
        for w in args.workers), "", "Stores with and without workers (first round):", ""]
    lines += [f"- {c}" for c in checks]
    write_report(args.name, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
