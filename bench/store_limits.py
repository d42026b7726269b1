"""Bounded inputs: seconds per MB and peak RSS of one large text file against small ones, and a
2,000-page PDF, each ingested by `govtext ingest` in a process of its own (real model and stores).

The text files are built from ../shared/corpora (vi-gov and zh-gov records, alternately, so every
size has the same mixture of languages); runs of the small size are taken before and after the
large one, so a drift of this shared machine's speed shows.

    .venv/bin/python bench/store_limits.py --sizes 1 50 --pdf-pages 2000 --workers 1 2
"""
from __future__ import annotations

import argparse
import json
import os
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


def _tree(pid: int) -> list[int]:
    """`pid` and every living descendant (the ingest's worker processes and their forkserver)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(parents.get(p, ()))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KB, (0, 0) once it is gone."""
    rss = pss = 0
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _children_cpu() -> float:
    """User plus system CPU seconds of every child process waited for so far (with their own children)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ingest(path: Path, index: Path, workers: int) -> dict:
    """Run `govtext ingest` in a child process, sampling its process tree's memory twice a second:
    wall seconds, CPU seconds (the process and its workers), the writer's peak RSS, the whole tree's
    peak summed RSS, and the JSON report."""
    t0, cpu0, load0 = time.perf_counter(), _children_cpu(), os.getloadavg()[0]
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "ingest", str(path), "--index", str(index),
         "--json", "--no-practices", "--max-size", "0", "--workers", str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    peak_rss = peak_tree = 0
    samples: list = []

    def sample() -> None:
        nonlocal peak_rss, peak_tree
        while proc.poll() is None:
            mem = [_memory_kb(p) for p in _tree(proc.pid)]
            peak_rss = max(peak_rss, mem[0][0] if mem else 0)
            peak_tree = max(peak_tree, sum(rss for rss, _ in mem))
            time.sleep(0.5)

    import threading

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    watcher.join()
    seconds = time.perf_counter() - t0
    cpu = _children_cpu() - cpu0
    if proc.returncode not in (0, 1):
        raise SystemExit(err)
    report = json.loads(out)
    return {"seconds": seconds, "cpu": cpu, "load": (load0, os.getloadavg()[0]), "peak_mb": max(peak_rss / 1024, report.get("peak_rss_mb", 0.0)),
            "tree_mb": peak_tree / 1024, "report": report}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 50], help="MB; the first is the reference")
    ap.add_argument("--pdf-pages", type=int, default=2000)
    ap.add_argument("--name", default="store-limits")
    ap.add_argument("--workers", type=int, nargs="+", default=[1],
                    help="ingest --workers values; each size is run with each, interleaved")
    args = ap.parse_args()
    ref, *others = args.sizes
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plan = [ref] + [x for size in others for x in (size, ref)]
        for n, mb in enumerate(plan):
            text = tmp / f"text-{n}.txt"
            size = build_text(mb, text)
            for workers in args.workers:
                got = ingest(text, tmp / f"index-{n}-{workers}", workers)
                rows.append((f"text {mb:g} MB", size, got, workers))
                print(rows[-1][0], f"workers {workers}", f"{got['seconds']:.1f} s", f"cpu {got['cpu']:.1f} s",
                  f"peak {got['peak_mb']:.0f} MB", flush=True)
            text.unlink()
        if args.pdf_pages:
            pdf = tmp / "long.pdf"
            build_pdf(args.pdf_pages, pdf)
            for workers in args.workers:
                got = ingest(pdf, tmp / f"index-pdf-{workers}", workers)
                rows.append((f"PDF {args.pdf_pages} pages", pdf.stat().st_size, got, workers))
    lines = [
        header("Bounded inputs: large text and long PDF"),
        "Each row is one `govtext ingest FILE --no-practices --max-size 0 --workers N` into a fresh index, in "
        "its own process. Peak RSS is the writer process's (sampled twice a second, and its own ru_maxrss); "
        "peak tree RSS sums the resident sets of the writer, its worker processes and their forkserver, so "
        "pages they share are counted in each (an upper bound). The reference size was run before and after each large one; x reference compares "
        "runs with the same workers. CPU seconds (user plus system of the ingest process and the children it waited for; with worker processes started through a forkserver that may leave the workers out) vary far less than wall seconds "
        "when other work shares the cores; the load column is the 1-minute load average when a run started and ended.",
        "",
        "| input | workers | MB | documents | chunks | seconds | s per MB | x reference s/MB | CPU s per MB | x reference CPU s/MB | peak RSS MB | peak tree RSS MB | load before, after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for workers in args.workers:
        ref_rate = [r[2]["seconds"] / (r[1] / 1e6) for r in rows if r[0] == f"text {ref:g} MB" and r[3] == workers]
        mean_ref = sum(ref_rate) / len(ref_rate)
        ref_cpu = [r[2]["cpu"] / (r[1] / 1e6) for r in rows if r[0] == f"text {ref:g} MB" and r[3] == workers]
        mean_cpu = sum(ref_cpu) / len(ref_cpu)
        notes.append(f"Reference seconds per MB with {workers} worker(s): {', '.join(f'{r:.1f}' for r in ref_rate)} "
                     f"(mean {mean_ref:.1f}); CPU seconds per MB: {', '.join(f'{r:.1f}' for r in ref_cpu)} (mean {mean_cpu:.1f}).")
        for label, size, got, w in rows:
            if w != workers:
                continue
            rep = got["report"]
            rate = got["seconds"] / (size / 1e6)
            cpu_rate = got["cpu"] / (size / 1e6)
            lines.append(f"| {label} | {w} | {size / 1e6:.1f} | {rep['documents']} | {rep['chunks']} | {got['seconds']:.0f} "
                         f"| {rate:.1f} | {rate / mean_ref:.2f} | {cpu_rate:.1f} | {cpu_rate / mean_cpu:.2f} "
                         f"| {got['peak_mb']:.0f} | {got['tree_mb']:.0f} | {got['load'][0]:.1f}, {got['load'][1]:.1f} |")
    lines.append("\n" + "\n".join(notes) + "\n")
    write_report(args.name, "\n".join(lines))


if __name__ == "__main__":
    main()
