"""`Library.doc` over the documents of an index: is every Doc's text the stored text, how many sentences
and spans it carries, and how long building one takes (warm, in one process).

    .venv/bin/python bench/spacy_doc.py --index indexes/default --n 200

Documents are taken in id order; the first one is built once before timing (underthesea, jieba and
spaCy loaded). Times include reading the document, its stored segments and mentions, metadata
extraction, word segmentation and building the span groups.
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from common import header, write_report

from pipeline import Library
from pipeline.annotate import SPAN_KEYS


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", required=True)
    ap.add_argument("--n", type=int, default=200, help="documents, in id order")
    ap.add_argument("--name", default="spacy-doc")
    args = ap.parse_args()
    lib = Library(args.index)
    rows = sorted((r for r in lib.documents() if r["status"] == "ok"), key=lambda r: r["doc_id"])[: args.n]
    lib.doc(rows[0]["doc_id"])  # loads the segmenters
    by_lang: dict[str, dict] = {}
    for row in rows:
        t0 = time.perf_counter()
        doc = lib.doc(row["doc_id"])
        seconds = time.perf_counter() - t0
        text = lib.show(row["doc_id"]).text
        s = by_lang.setdefault(row["lang"], {"times": [], "chars": 0, "tokens": 0, "sents": [], "exact": 0,
                                              "spans": Counter()})
        s["times"].append(seconds)
        s["chars"] += len(text)
        s["tokens"] += len(doc)
        s["sents"].append(len(list(doc.sents)))
        s["exact"] += doc.text == text
        s["spans"].update({key: len(doc.spans[key]) for key in SPAN_KEYS})
    lines = [header("Library.doc: spaCy Docs of an index's documents"),
             f"{len(rows)} documents of `{args.index}` in id order.\n",
             "| lang | documents | text exact | characters | tokens | sentences (median) | "
             + " | ".join(SPAN_KEYS) + " | p50 ms | p95 ms | max ms | characters/s |",
             "| --- " * (10 + len(SPAN_KEYS)) + "|"]
    for lang, s in sorted(by_lang.items()):
        times = s["times"]
        lines.append(
            f"| {lang} | {len(times)} | {s['exact']} | {s['chars']:,} | {s['tokens']:,} | "
            f"{statistics.median(s['sents']):.0f} | " + " | ".join(f"{s['spans'][k]:,}" for k in SPAN_KEYS)
            + f" | {percentile(times, .5) * 1000:.0f} | {percentile(times, .95) * 1000:.0f} | "
            f"{max(times) * 1000:.0f} | {s['chars'] / sum(times):,.0f} |"
        )
    write_report(args.name, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
