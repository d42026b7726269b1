"""Metadata extraction against the hand-labelled gold set: per-field accuracy per language.

    .venv/bin/python bench/metadata.py            # writes bench/results/metadata.md
    .venv/bin/python bench/metadata.py --details  # also prints every mismatch

Reads each gold document from ../shared (a seed or PDF file, or a record of a corpus .jsonl) through
the project's readers and `normalize`, runs `extract_metadata` and compares field by field: exact
match after normalisation (case, spaces, punctuation, tone placement; "" = not found) for
doc_type, number, issue_date, year, issuer and signer; precision and recall for places (precision
only over documents whose places are labelled in full). No model, no embedding: a few seconds.

Rows with "split": "dev" are the documents the rules were developed against; "heldout" rows were
labelled afterwards and are reported apart. Hand-written notes below NOTES_MARK in the results
file are kept when the report is regenerated.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

from common import ROOT, SHARED, header, write_report

from pipeline.metadata import extract_metadata
from pipeline.normalize import normalize, normalize_text
from pipeline.readers import read_file
from pipeline.types import Document

GOLD = ROOT / "bench" / "data" / "metadata-gold.jsonl"
FIELDS = ["doc_type", "number", "issue_date", "year", "issuer", "signer"]
NOTES_MARK = "<!-- notes: kept by bench/metadata.py -->"
GROUPS = [("vi", "dev vi"), ("zh", "dev zh"), ("dev", "dev all"), ("heldout", "held-out all")]


def load_document(row: dict) -> Document:
    """The gold row's document, read and normalised as ingest does."""
    path = SHARED / row["source"]
    if row["record"] is None:
        doc = next(iter(read_file(path)))
    else:
        with open(path, encoding="utf-8") as f:
            rec = next(json.loads(line) for line in f if f'"{row["record"]}"' in line and json.loads(line)["id"] == row["record"])
        doc = Document(id=rec["id"], text=rec["text"], title=rec.get("title", ""), source=rec.get("source", ""))
    return normalize(doc)


def canon(value) -> str:
    """Comparison form: NFC, one tone placement, case-folded, without spaces and punctuation."""
    if value is None:
        return ""
    text = normalize_text(unicodedata.normalize("NFC", str(value))).casefold()
    return re.sub(r"[\s\W_]+", "", text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--details", action="store_true", help="print every mismatch")
    args = ap.parse_args()
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats: dict[str, dict] = {}
    misses: list[str] = []
    seconds = 0.0
    for row in rows:
        doc = load_document(row)
        t = time.perf_counter()
        meta = extract_metadata(doc.text, row["lang"], doc.title, doc.source)
        seconds += time.perf_counter() - t
        split = row.get("split", "dev")
        for lang in ((row["lang"], "dev", "all") if split == "dev" else ("heldout", "all")):
            s = stats.setdefault(lang, {"docs": 0, **{f: 0 for f in FIELDS}, "tp": 0, "fn": 0, "tp_full": 0, "fp": 0})
            s["docs"] += 1
            for f in FIELDS:
                got, want = getattr(meta, f), row[f]
                if f == "year":
                    ok = (got or None) == (want or None)
                else:
                    ok = canon(got) == canon(want)
                s[f] += ok
                if not ok and lang == "all":
                    misses.append(f"{row['id']} {f}: got {got!r}, want {want!r}")
            if row["places"] is not None:
                got_places = {canon(p.name) for p in meta.places}
                want_places = {canon(p) for p in row["places"]}
                s["tp"] += len(got_places & want_places)
                s["fn"] += len(want_places - got_places)
                if row["places_complete"]:
                    s["tp_full"] += len(got_places & want_places)
                    s["fp"] += len(got_places - want_places)
                if lang == "all" and (want_places - got_places or row["places_complete"] and got_places - want_places):
                    misses.append(
                        f"{row['id']} places: missed {sorted(want_places - got_places)}, "
                        f"extra {sorted(got_places - want_places) if row['places_complete'] else '(not scored)'}"
                    )
    lines = [header("Metadata extraction (hand-labelled gold set)"), ""]
    lines.append(f"{len(rows)} documents from `bench/data/metadata-gold.jsonl`: {stats['dev']['docs']} development "
                 f"({stats['vi']['docs']} Vietnamese, {stats['zh']['docs']} Chinese) and {stats['heldout']['docs']} "
                 f"held-out; extraction took {seconds:.2f} s in all (the first Chinese document loads jieba's "
                 "dictionaries).\n")
    lines.append("| field | " + " | ".join(label for _, label in GROUPS) + " |")
    lines.append("| --- |" + " --- |" * len(GROUPS))
    for f in FIELDS:
        cells = [f"{stats[k][f]}/{stats[k]['docs']} ({stats[k][f] / stats[k]['docs']:.0%})" for k, _ in GROUPS]
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    for name, num, den in (("places precision", "tp_full", "fp"), ("places recall", "tp", "fn")):
        cells = []
        for k, _ in GROUPS:
            s = stats[k]
            value = s[num] / (s[num] + s[den]) if s[num] + s[den] else 0.0
            cells.append(f"{value:.2f} ({s[num]}/{s[num] + s[den]})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Mismatches:", ""] + [f"- {m}" for m in misses] if misses else ["", "Mismatches: none."]
    out = ROOT / "bench" / "results" / "metadata.md"
    notes = out.read_text(encoding="utf-8").split(NOTES_MARK, 1)[1] if out.exists() and NOTES_MARK in out.read_text(encoding="utf-8") else "\n"
    report = "\n".join(lines) + "\n\n" + NOTES_MARK + notes
    if args.details:
        print("\n".join(misses), file=sys.stderr)
    write_report("metadata", report)


if __name__ == "__main__":
    main()
