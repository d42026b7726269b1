"""Bounded inputs: seconds per MB and peak RSS of one large text file against small ones, and a
2,000-page PDF, each ingested by `govtext ingest` in a process of its own (real model and stores).

The text files are built from ../shared/corpora (vi-gov and zh-gov records, alternately, so every
size has the same mixture of languages); runs of the small size are taken before and after the
large one, so a drift of this shared machine's speed shows.

    .venv/bin/python bench/store_limits.py --sizes 1 50 --pdf-pages 2000
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

from common import ROOT, SHARED, header, write_report


def build_text(mb: float, dest: Path) -> int:
    """A text of about `mb` MB of alternating Vietnamese and Chinese corpus records; returns its size."""
    want = int(mb * 1e6)
    size = 0
    with open(SHARED / "corpora/vi-gov/corpus.jsonl", encoding="utf-8") as vi, \
            open(SHARED / "corpora/zh-gov/corpus.jsonl", encoding="utf-8") as zh, \
            open(dest, "w", encoding="utf-8") as out:
        for pair in zip_longest(vi, zh):
            for line in pair:
                if line is None:
                    continue
                rec = json.loads(line)
                piece = f"{rec.get('title', '')}\n\n{rec['text']}\n\n"
                out.write(piece)
                size += len(piece.encode("utf-8"))
                if size >= want:
                    return size
    return size


def build_pdf(pages: int, dest: Path) -> None:
    """A `pages`-page PDF of Vietnamese text set in DejaVuSans (reportlab), about 40 lines a page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    lines = []
    with open(SHARED / "corpora/vi-gov/corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            for para in json.loads(line)["text"].split("\n"):
                words = para.split()
                while words:
                    lines.append(" ".join(words[:14]))
                    words = words[14:]
            if len(lines) > pages * 40:
                break
    pdf = canvas.Canvas(str(dest))
    for p in range(pages):
        pdf.setFont("DejaVuSans", 10)
        for i, text in enumerate(lines[p * 40 : (p + 1) * 40]):
            pdf.drawString(50, 800 - 19 * i, text)
        pdf.drawString(290, 30, str(p + 1))
        pdf.showPage()
    pdf.save()


# Runs the command given as arguments, then prints its peak RSS in KB: one fresh parent per run, so
# RUSAGE_CHILDREN holds that run's peak only.
_WRAP = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)")


def ingest(path: Path, index: Path) -> dict:
    """Run `govtext ingest` in a child process: wall seconds, its peak RSS in MB, its JSON report."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _WRAP, sys.executable, "-m", "pipeline.cli", "ingest", str(path), "--index", str(index),
         "--json", "--no-practices", "--max-size", "0"],
        capture_output=True, text=True, cwd=ROOT,
    )
    seconds = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    peak_kb = int(out.stderr.strip().splitlines()[-1])
    return {"seconds": seconds, "peak_mb": peak_kb / 1024, "report": json.loads(out.stdout)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 50], help="MB; the first is the reference")
    ap.add_argument("--pdf-pages", type=int, default=2000)
    ap.add_argument("--name", default="store-limits")
    args = ap.parse_args()
    ref, *others = args.sizes
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plan = [ref] + [x for size in others for x in (size, ref)]
        for n, mb in enumerate(plan):
            text = tmp / f"text-{n}.txt"
            size = build_text(mb, text)
            got = ingest(text, tmp / f"index-{n}")
            rows.append((f"text {mb:g} MB", size, got))
            print(rows[-1][0], f"{got['seconds']:.1f} s", flush=True)
        if args.pdf_pages:
            pdf = tmp / "long.pdf"
            build_pdf(args.pdf_pages, pdf)
            got = ingest(pdf, tmp / "index-pdf")
            rows.append((f"PDF {args.pdf_pages} pages", pdf.stat().st_size, got))
    ref_rate = [r[2]["seconds"] / (r[1] / 1e6) for r in rows if r[0] == f"text {ref:g} MB"]
    lines = [
        header("Bounded inputs: large text and long PDF"),
        "Each row is one `govtext ingest FILE --no-practices --max-size 0` into a fresh index, in its own "
        "process; peak RSS is that process's (ru_maxrss). The reference size was run before and after "
        "each large one.",
        "",
        "| input | MB | documents | chunks | seconds | s per MB | x reference s/MB | peak RSS MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    mean_ref = sum(ref_rate) / len(ref_rate)
    for label, size, got in rows:
        rep = got["report"]
        rate = got["seconds"] / (size / 1e6)
        peak = f"{got['peak_mb']:.0f}"
        lines.append(f"| {label} | {size / 1e6:.1f} | {rep['documents']} | {rep['chunks']} | {got['seconds']:.0f} "
                     f"| {rate:.1f} | {rate / mean_ref:.2f} | {peak} |")
    lines.append(f"\nReference seconds per MB: {', '.join(f'{r:.1f}' for r in ref_rate)} (mean {mean_ref:.1f}).\n")
    write_report(args.name, "\n".join(lines))


if __name__ == "__main__":
    main()
