"""Shared helpers for the benchmarks: machine description, corpus slices, Markdown output."""
from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
import sys
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}"


def header(title: str) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    return (
        f"# {title}\n\n- date: {_dt.datetime.now().strftime('%Y-%m-%d %H:%M')}\n- machine: {machine()}\n"
        f"- commit: {commit.strip()}\n- command: `{' '.join([Path(sys.executable).name] + sys.argv)}`\n"
    )


def slice_jsonl(src: Path, n: int, dest: Path, skip: int = 0) -> Path:
    """Lines skip .. skip+n of a JSON Lines file, written to `dest`."""
    with open(src, encoding="utf-8") as f, open(dest, "w", encoding="utf-8") as out:
        out.writelines(islice(f, skip, skip + n))
    return dest


def write_report(name: str, text: str) -> Path:
    out = ROOT / "bench" / "results" / f"{name}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return out
