"""Metadata extraction against the hand-labelled gold set: per-field accuracy per language.

    .venv/bin/python bench/metadata.py            # writes bench/results/metadata.md
    .venv/bin/python bench/metadata.py --details  # also prints every mismatch
    .venv/bin/python bench/metadata.py --test-mismatches  # also lists the noisy-test part's mismatches
    .venv/bin/python bench/metadata.py --corpus   # also counts dated news and web pages in vi-gov and zh-gov (~1 min)

Reads each gold document from ../shared (a seed or PDF file, or a record of a corpus .jsonl) through
the project's readers and `normalize`, runs `extract_metadata` and compares field by field: exact
match after normalisation (case, spaces, punctuation, tone placement; "" = not found) for
doc_type, number, issue_date, year, issuer and signer; precision and recall for places (precision
only over documents whose places are labelled in full). No model, no embedding: a few seconds.

Rows with "split": "dev" are the documents the rules were developed against; "heldout" rows were
labelled afterwards and are reported apart. The "noisy-dev" and "noisy-test" rows (web news, web
pages, PDFs and OCR'd pages, see bench/metadata_gold.md) form a second table; the test part's
mismatches are counted but not listed unless asked for, so that they are not read while rules
change. A row with "ocr" is read by rendering the listed pages (1-based, negative from the end) and
running the project's Tesseract wrapper on them, as the PDF reader does for scanned pages; a row
with "title" is also scored on the title the reader gives. Hand-written notes below NOTES_MARK in
the results file are kept when the report is regenerated.
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
NOISY_GROUPS = [("noisy-dev vi", "noisy-dev vi"), ("noisy-dev zh", "noisy-dev zh"), ("noisy-dev", "noisy-dev all"),
                ("noisy-test", "noisy-test all")]


def load_document(row: dict) -> Document:
    """The gold row's document, read and normalised as ingest does."""
    path = SHARED / row["source"]
    if row.get("ocr"):
        return normalize(ocr_document(path, row["ocr"]["pages"], row["ocr"]["lang"]))
    if row["record"] is None:
        doc = next(iter(read_file(path)))
    else:
        with open(path, encoding="utf-8") as f:
            rec = next(json.loads(line) for line in f if f'"{row["record"]}"' in line and json.loads(line)["id"] == row["record"])
        doc = Document(id=rec["id"], text=rec["text"], title=rec.get("title", ""), source=rec.get("source", ""))
    return normalize(doc)


def ocr_document(path: Path, pages: list[int], lang: str) -> Document:
    """Pages of a PDF rendered and read by Tesseract as the PDF reader reads scanned pages, titled as it titles."""
    import pypdfium2 as pdfium

    from pipeline.readers._common import first_line
    from pipeline.readers._layout import page_text
    from pipeline.readers._ocr import Tesseract
    from pipeline.readers.pdf import PAGE_SEPARATOR, _render

    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for number in pages:
            image, dpi = _render(pdf[number - 1 if number > 0 else len(pdf) + number])
            texts.append(page_text(Tesseract(lang=lang).read(image, dpi), image.width))
    finally:
        pdf.close()
    text = PAGE_SEPARATOR.join(t.strip("\n") for t in texts)
    return Document(id="", text=text, source=str(path), title=first_line(text))


def canon(value) -> str:
    """Comparison form: NFC, one tone placement, case-folded, without spaces and punctuation."""
    if value is None:
        return ""
    text = normalize_text(unicodedata.normalize("NFC", str(value))).casefold()
    return re.sub(r"[\s\W_]+", "", text)


def corpus_dates() -> list[str]:
    """How many news items and web pages of the shared corpora carry a date, by part and type."""
    from collections import Counter

    counts: Counter = Counter()
    for name, lang in (("vi-gov", "vi"), ("zh-gov", "zh")):
        with open(SHARED / "corpora" / name / "corpus.jsonl", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                part = rec["id"].split("-")[0]
                if part not in ("baomoi", "tvpl", "tipdm"):
                    continue
                doc = normalize(Document(id=rec["id"], text=rec["text"], title=rec.get("title", ""), source=rec.get("source", "")))
                meta = extract_metadata(doc.text, lang, doc.title, doc.source)
                kind = "news" if meta.doc_type == "news" else "other"
                published = any(d.role == "published" for d in meta.dates)
                counts[(part, kind, "docs")] += 1
                counts[(part, kind, "dated")] += bool(meta.year)
                counts[(part, kind, "published")] += published
    lines = ["", "## Dated news items and web pages in the shared corpora", "",
             "| part | typed | documents | with a year | dated by publication |", "| --- | --- | --- | --- | --- |"]
    for part in ("baomoi", "tvpl", "tipdm"):
        for kind in ("news", "other"):
            n = counts[(part, kind, "docs")]
            if n:
                lines.append(f"| {part} | {kind} | {n} | {counts[(part, kind, 'dated')]} | {counts[(part, kind, 'published')]} |")
    return lines


def _empty() -> dict:
    return {"docs": 0, "titled": 0, "title": 0, **{f: 0 for f in FIELDS}, "tp": 0, "fn": 0, "tp_full": 0, "fp": 0}


def _table(stats: dict, groups: list[tuple[str, str]], fields: list[str]) -> list[str]:
    groups = [(k, label) for k, label in groups if stats.get(k, {}).get("docs")]
    lines = ["| field | " + " | ".join(label for _, label in groups) + " |", "| --- |" + " --- |" * len(groups)]
    for f in fields:
        den = "titled" if f == "title" else "docs"
        cells = [f"{stats[k][f]}/{stats[k][den]} ({stats[k][f] / stats[k][den]:.0%})" if stats[k][den] else "-"
                 for k, _ in groups]
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    for name, num, den in (("places precision", "tp_full", "fp"), ("places recall", "tp", "fn")):
        cells = []
        for k, _ in groups:
            s = stats[k]
            value = s[num] / (s[num] + s[den]) if s[num] + s[den] else 0.0
            cells.append(f"{value:.2f} ({s[num]}/{s[num] + s[den]})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--details", action="store_true", help="print every mismatch")
    ap.add_argument("--test-mismatches", action="store_true", help="also list the noisy-test part's mismatches")
    ap.add_argument("--corpus", action="store_true", help="also count dated news items and web pages in the corpora")
    args = ap.parse_args()
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats: dict[str, dict] = {}
    misses: dict[str, list[str]] = {"old": [], "noisy-dev": [], "noisy-test": []}
    seconds = 0.0
    for row in rows:
        doc = load_document(row)
        t = time.perf_counter()
        meta = extract_metadata(doc.text, row["lang"], doc.title, doc.source)
        seconds += time.perf_counter() - t
        split = row.get("split", "dev")
        if split == "dev":
            keys, listed = (row["lang"], "dev", "all"), "old"
        elif split == "heldout":
            keys, listed = ("heldout", "all"), "old"
        else:
            keys, listed = ((f"{split} {row['lang']}", split) if split == "noisy-dev" else (split,)), split
        for n, key in enumerate(keys):
            s = stats.setdefault(key, _empty())
            report = n == len(keys) - 1
            s["docs"] += 1
            if "title" in row:
                s["titled"] += 1
                ok = canon(doc.title) == canon(row["title"])
                s["title"] += ok
                if not ok and report:
                    misses[listed].append(f"{row['id']} title: got {doc.title!r}, want {row['title']!r}")
            for f in FIELDS:
                got, want = getattr(meta, f), row[f]
                if f == "year":
                    ok = (got or None) == (want or None)
                else:
                    ok = canon(got) == canon(want)
                s[f] += ok
                if not ok and report:
                    misses[listed].append(f"{row['id']} {f}: got {got!r}, want {want!r}")
            if row["places"] is not None:
                got_places = {canon(p.name) for p in meta.places}
                want_places = {canon(p) for p in row["places"]}
                s["tp"] += len(got_places & want_places)
                s["fn"] += len(want_places - got_places)
                if row["places_complete"]:
                    s["tp_full"] += len(got_places & want_places)
                    s["fp"] += len(got_places - want_places)
                if report and (want_places - got_places or row["places_complete"] and got_places - want_places):
                    misses[listed].append(
                        f"{row['id']} places: missed {sorted(want_places - got_places)}, "
                        f"extra {sorted(got_places - want_places) if row['places_complete'] else '(not scored)'}"
                    )
    old = [r for r in rows if r.get("split", "dev") in ("dev", "heldout")]
    lines = [header("Metadata extraction (hand-labelled gold set)"), ""]
    lines.append(f"{len(rows)} documents from `bench/data/metadata-gold.jsonl` (guidelines: `bench/metadata_gold.md`); "
                 f"extraction took {seconds:.2f} s in all (the first Chinese document loads jieba's dictionaries; "
                 "reading and OCR are not counted).\n")
    lines.append(f"## Governance documents ({len(old)}: {stats['dev']['docs']} development, "
                 f"{stats['vi']['docs']} Vietnamese and {stats['zh']['docs']} Chinese, and {stats['heldout']['docs']} held-out)\n")
    lines += _table(stats, GROUPS, FIELDS)
    lines += ["", "Mismatches:", ""] + [f"- {m}" for m in misses["old"]] if misses["old"] else ["", "Mismatches: none."]
    noisy_dev, noisy_test = stats.get("noisy-dev", _empty())["docs"], stats.get("noisy-test", _empty())["docs"]
    lines += ["", f"## Web news, web pages, PDFs and OCR'd pages ({noisy_dev} noisy-dev, {noisy_test} noisy-test)", ""]
    lines += _table(stats, NOISY_GROUPS, ["title"] + FIELDS)
    lines += ["", "Mismatches (noisy-dev):", ""] + [f"- {m}" for m in misses["noisy-dev"]] if misses["noisy-dev"] else [
        "", "Mismatches (noisy-dev): none."]
    if args.test_mismatches:
        lines += ["", "Mismatches (noisy-test):", ""] + ([f"- {m}" for m in misses["noisy-test"]] or ["- none"])
    else:
        lines += ["", f"Mismatches (noisy-test): {len(misses['noisy-test'])}, not listed (`--test-mismatches` lists them)."]
    if args.corpus:
        lines += corpus_dates()
    out = ROOT / "bench" / "results" / "metadata.md"
    notes = out.read_text(encoding="utf-8").split(NOTES_MARK, 1)[1] if out.exists() and NOTES_MARK in out.read_text(encoding="utf-8") else "\n"
    report = "\n".join(lines) + "\n\n" + NOTES_MARK + notes
    if args.details:
        print("\n".join(misses["old"] + misses["noisy-dev"]), file=sys.stderr)
    write_report("metadata", report)


if __name__ == "__main__":
    main()
