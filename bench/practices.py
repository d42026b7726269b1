"""Practice extraction against the hand-labelled gold set: precision and recall per language.

    .venv/bin/python bench/practices.py            # writes bench/results/practices.md
    .venv/bin/python bench/practices.py --details  # also prints every mention miss and false positive

Reads each gold document from ../shared (a seed file or a record of a corpus .jsonl) through the
project's readers, `normalize` and `detect_document`, builds one catalogue over all of them with
`build_catalogue` and scores it:

- practice level, per document: a gold practice is found when the catalogue attaches one of its
  names (canonical form: quotes, 《》, case and full-width folded) to that document; a predicted name
  is a false positive when it matches no gold practice of the document and no name labelled
  optional (borderline names, which count neither way); "overlap" forgives boundary errors (a
  predicted mention overlapping a gold occurrence counts);
- mention level: gold occurrences are every occurrence in the text of a labelled name or variant;
  a predicted mention is right when it overlaps an occurrence of the practice it names;
- "raw": the same for `find_mentions` alone, before the catalogue's scoring and recurrence pass.

Rows with "split": "heldout" were labelled after the rules were tuned on the others ("dev");
"heldout2" rows were labelled after the last rule change. Each split is reported apart; the
catalogue is built over all documents at once either way.

No model, no embedding. Hand-written notes below NOTES_MARK in the results file are kept.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from common import ROOT, SHARED, header, write_report

from pipeline.language import detect_document
from pipeline.normalize import fold, normalize
from pipeline.practices import abbreviations, build_catalogue, canonical_name, find_mentions
from pipeline.readers import read_file
from pipeline.segment import segment
from pipeline.types import Document

GOLD = ROOT / "bench" / "data" / "practices-gold.jsonl"
NOTES_MARK = "<!-- notes: kept by bench/practices.py -->"


def load_documents(rows: list[dict]) -> dict[str, Document]:
    """The gold rows' documents, read, normalised and language-detected as ingest does."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["record"] is not None:
            wanted[row["source"]].add(row["record"])
    records: dict[str, dict] = {}
    for source, ids in wanted.items():
        with open(SHARED / source, encoding="utf-8") as f:
            for line in f:
                if any(f'"{i}"' in line[:400] for i in ids):
                    rec = json.loads(line)
                    if rec["id"] in ids:
                        records[rec["id"]] = rec
    docs = {}
    for row in rows:
        if row["record"] is None:
            doc = next(iter(read_file(SHARED / row["source"])))
            doc = Document(id=row["id"], text=doc.text, title=doc.title, source=row["source"])
        else:
            rec = records[row["record"]]
            doc = Document(id=row["id"], text=rec["text"], title=rec.get("title", ""), source=rec.get("source", ""))
        docs[row["id"]] = detect_document(normalize(doc))
    return docs


def gold_occurrences(doc: Document, row: dict) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """(start, end, practice index) of every labelled name in the text, and spans of optional names."""
    folded = fold(doc.text)
    taken: list[tuple[int, int]] = []
    out = []
    forms = [(fold(f), i) for i, p in enumerate(row["practices"]) for f in [p["name"], *p["also"]]]
    for form, i in sorted(forms, key=lambda x: -len(x[0])):
        start = folded.find(form)
        while start >= 0:
            end = start + len(form)
            if not any(start < b and a < end for a, b in taken):
                taken.append((start, end))
                out.append((start, end, i))
            start = folded.find(form, start + 1)
    optional = []
    for form in sorted((fold(o) for o in row["optional"]), key=len, reverse=True):
        start = folded.find(form)
        while start >= 0:
            optional.append((start, start + len(form)))
            start = folded.find(form, start + 1)
    return sorted(out), optional


class Scores:
    """Counters for one language and one level."""

    def __init__(self):
        self.tp = self.fp = self.fn = self.gold = self.found = 0

    def add(self, tp=0, fp=0, fn=0):
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def cells(self) -> list[str]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return [f"{p:.2f} ({self.tp}/{self.tp + self.fp})", f"{r:.2f} ({self.tp}/{self.tp + self.fn})", f"{f:.2f}"]


def matches(keys: tuple[str, ...], forms: set[str]) -> bool:
    """A prediction (its canonical name and the canonical form of its surface) names a gold practice."""
    return any(k in forms for k in keys)


def matches_optional(keys: tuple[str, ...], optional: set[str]) -> bool:
    return any(k == o or (len(k) >= 2 and (k in o or o in k)) for k in keys for o in optional)


LEVELS = ("practice", "practice (overlap)", "mention", "raw practice", "raw mention")
SPLITS = {None: "dev", "heldout": "held-out", "heldout2": "held-out 2"}
GROUPS = tuple(f"{split} {lang}" for split in SPLITS.values() for lang in ("zh", "vi", "all"))


def evaluate(rows, docs, catalogue, raw):
    stats = {(group, level): Scores() for group in GROUPS for level in LEVELS}
    misses: list[str] = []
    false_pos: list[str] = []
    by_doc: dict[str, list] = defaultdict(list)
    for p in catalogue:
        for u in p.uses:
            by_doc[u.doc_id].append((p.canonical, u.start, u.end, u.name))
    for row in rows:
        doc = docs[row["id"]]
        lang = row["lang"]
        split = SPLITS[row.get("split")]
        targets = (f"{split} {lang}", f"{split} all")
        aliases = abbreviations(doc.text)
        forms = [{canonical_name(f, lang, a) for f in [p["name"], *p["also"]] for a in (None, aliases)}
                 for p in row["practices"]]
        optional = {canonical_name(o, lang, a) for o in row["optional"] for a in (None, aliases)}
        occurrences, optional_spans = gold_occurrences(doc, row)
        raw_mentions = [(m.canonical, m.start, m.end, m.name) for m in raw[row["id"]]]
        for level, mentions in (("", by_doc[row["id"]]), ("raw ", raw_mentions)):
            mentions = [((k, canonical_name(name, lang, aliases)), s, e, name) for k, s, e, name in mentions]
            # one prediction per practice of the document, with every surface it was found under
            grouped: dict[str, set[str]] = defaultdict(set)
            for (k, surface), *_ in mentions:
                grouped[k].update((k, surface))
            keys = {k: tuple(v) for k, v in grouped.items()}
            # practice level
            found = [any(matches(v, f) for v in keys.values()) for f in forms]
            overlap_found = [
                found[i] or any(s < oe and os < e for _, s, e, _ in mentions for os, oe, j in occurrences if j == i)
                for i in range(len(forms))
            ]
            wrong = sorted(k for k, v in keys.items()
                           if not any(matches(v, f) for f in forms) and not matches_optional(v, optional))
            for l in targets:
                stats[(l, level + "practice")].add(tp=sum(found), fn=len(found) - sum(found),
                                                    fp=len(wrong))
                if not level:
                    overlap_wrong = [k for k in wrong if not any(
                        s < oe and os < e for kk, s, e, _ in mentions if kk[0] == k for os, oe, _ in occurrences)]
                    stats[(l, "practice (overlap)")].add(tp=sum(overlap_found), fn=len(found) - sum(overlap_found),
                                                        fp=len(overlap_wrong))
            # mention level
            tp = fp = 0
            hit = set()
            for k, s, e, name in mentions:
                over = [(os, oe, i) for os, oe, i in occurrences if s < oe and os < e]
                right = [o for o in over if matches(k, forms[o[2]])]
                if right:
                    tp += 1
                    hit.update(right)
                elif matches_optional(k, optional) or any(s < oe and os < e for os, oe in optional_spans):
                    continue
                else:
                    fp += 1
            fn = len([o for o in occurrences if o not in hit])
            for l in targets:
                stats[(l, level + "mention")].add(tp=tp, fp=fp, fn=fn)
            if not level:
                tag = f" [{split}]" if split != "dev" else ""
                for i, p in enumerate(row["practices"]):
                    if not found[i]:
                        near = "overlapping prediction" if overlap_found[i] else "not found"
                        misses.append(f"{row['id']}{tag}: {p['name']} ({near})")
                for k in wrong:
                    false_pos.append(f"{row['id']}{tag}: {k}")
    return stats, misses, false_pos


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--details", action="store_true", help="print misses and false positives")
    args = ap.parse_args()
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    t0 = time.perf_counter()
    docs = load_documents(rows)
    t1 = time.perf_counter()
    segments = {doc_id: segment(doc) for doc_id, doc in docs.items()}
    t2 = time.perf_counter()
    raw = {doc_id: find_mentions(doc, segments[doc_id]) for doc_id, doc in docs.items()}
    t3 = time.perf_counter()
    catalogue = build_catalogue(docs.values(), segments=segments)
    t4 = time.perf_counter()
    stats, misses, false_pos = evaluate(rows, docs, catalogue, raw)
    def count(split, lang, what):
        sel = [r for r in rows if SPLITS[r.get("split")] == split and r["lang"] == lang]
        return len(sel) if what == "docs" else sum(len(r["practices"]) for r in sel)

    parts = [f"{count(sp, l, 'docs')} {sp} {name} ({count(sp, l, 'gold')} gold practices)"
             for sp in SPLITS.values() for l, name in (("zh", "Chinese"), ("vi", "Vietnamese"))]
    lines = [header("Practice extraction (hand-labelled gold set)"), ""]
    lines.append(
        f"{len(rows)} documents from `bench/data/practices-gold.jsonl`: " + ", ".join(parts) + ". "
        f"Reading and normalising took {t1 - t0:.1f} s, "
        f"segmentation {t2 - t1:.1f} s, `find_mentions` over all documents {t3 - t2:.1f} s (first calls load "
        f"jieba's dictionary and underthesea), `build_catalogue` {t4 - t3:.1f} s. The catalogue holds "
        f"{len(catalogue)} practices.\n")
    lines.append("| level | documents | precision | recall | F1 |")
    lines.append("| --- | --- | --- | --- | --- |")
    for level in LEVELS:
        for group in GROUPS:
            lines.append(f"| {level} | {group} | " + " | ".join(stats[(group, level)].cells()) + " |")
    lines += ["", "Top of the catalogue (score, documents, mentions):", ""]
    for lang in ("zh", "vi"):
        top = [p for p in catalogue if p.lang == lang][:15]
        lines.append(f"- {lang}: " + "; ".join(f"{p.name} ({p.score:.1f}, {p.doc_count}, {p.mention_count})" for p in top))
    lines += ["", f"Missed gold practices ({len(misses)}):", ""] + [f"- {m}" for m in misses]
    lines += ["", f"False positives ({len(false_pos)}):", ""] + [f"- {f}" for f in false_pos]
    out = ROOT / "bench" / "results" / "practices.md"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    notes = old.split(NOTES_MARK, 1)[1] if NOTES_MARK in old else "\n"
    report = "\n".join(lines) + "\n\n" + NOTES_MARK + notes
    if args.details:
        print("\n".join(misses + false_pos), file=sys.stderr)
    write_report("practices", report)


if __name__ == "__main__":
    main()
