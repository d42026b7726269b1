#!/usr/bin/env python
"""Grow the shipped jieba dictionary with the Chinese practice names found in a collection.

    .venv/bin/python scripts/grow_dictionary.py corpora/ ../shared/corpora/zh-gov/corpus.jsonl --limit 1500

Reads the files (any format govtext ingests), builds the practice catalogue
(`pipeline.practices.build_catalogue`, rules and statistics, no list of known names) and merges the
names of practices that are well evidenced (score, and recurring in two documents unless they are
formulas or titles) into `pipeline/data/practices_zh.txt`, which segmentation loads after
`govdict_zh.txt`, so lexical search keeps these names whole. Names already there are kept.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.language import detect_document  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402
from pipeline.practices import build_catalogue, jieba_entries  # noqa: E402
from pipeline.readers import iter_files, read_file  # noqa: E402

OUT = ROOT / "pipeline" / "data" / "practices_zh.txt"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--limit", type=int, default=0, help="read at most N documents per JSONL file")
    ap.add_argument("--min-score", type=float, default=3.0)
    # a long descriptive name (生活垃圾管理工作综合协调机制) is better left to jieba's parts, so that
    # a search for a part of it (综合协调机制) still matches a word
    ap.add_argument("--max-length", type=int, default=8, help="longest name kept, in characters")
    args = ap.parse_args()
    docs = []
    for path in iter_files(args.paths):
        for n, raw in enumerate(read_file(path, on_error=lambda s, r: print(f"skip {s}: {r}", file=sys.stderr))):
            if args.limit and n >= args.limit:
                break
            doc = detect_document(normalize(raw))
            if doc.lang.startswith("zh") and doc.text.strip():
                docs.append(doc)
    catalogue = build_catalogue(docs, metadata=False)
    kept = [p for p in catalogue if p.lang == "zh" and p.score >= args.min_score
            and (p.doc_count >= 2 or p.kind in ("formula", "title")) and len(p.name) <= args.max_length]
    old = OUT.read_text(encoding="utf-8").splitlines() if OUT.exists() else []
    merged = dict.fromkeys(line for line in old if line.strip())
    before = len(merged)
    for line in jieba_entries(kept):
        if not any(o.split()[0] == line.split()[0] for o in merged):
            merged[line] = None
    OUT.write_text("\n".join(sorted(merged)) + "\n", encoding="utf-8")
    print(f"{len(docs)} Chinese documents, {len(catalogue)} practices, {len(kept)} well evidenced: "
          f"{OUT.relative_to(ROOT)} {before} -> {len(merged)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
