"""Near-duplicate detection against hand-labelled document pairs from ../shared/corpora.

    .venv/bin/python bench/near_dups.py               # writes bench/results/near-dups.md
    .venv/bin/python bench/near_dups.py --candidates  # prints the pairs sampled for labelling

Signatures are made as ingest makes them (`normalize`, skipped spans left out, `signature` with
the corpus's language). `--candidates` samples the pairs that were labelled by hand in
bench/data/near-dup-pairs.jsonl: pairs the detector links at a low threshold (0.3), a few per
similarity band, and pairs found by other means (the same title; the same law under another date
or place), so that recall is measured on duplicates the detector might miss.

Labels: `duplicate` (the same document: a repost, a petition posted again, another version or
edition of the same regulation), `template` (the same boilerplate about a different subject: the
same Q&A page for another ward, the same implementing rules of another province), `different`.
Strict scores count only `duplicate` as positive; lenient scores count `template` too.
"est. corpus" columns weight each similarity band's labelled share by the number of pairs the
corpus has in that band (the sample over-represents the rare high bands); recall there is over
the pairs of similarity 0.3 or more, while the plain recall column also counts the duplicates
found by title. Hand-written notes below NOTES_MARK in the results file are kept when it is regenerated.
No model, no embedding: about three minutes, most of it hashing and linking.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from common import ROOT, SHARED, header, write_report

from pipeline.duplicates import (
    MIN_UNITS,
    NUM_PERM,
    SHINGLE_UNITS,
    THRESHOLDS,
    NearDuplicates,
    estimated_jaccard,
    indexable_text,
    jaccard,
    shingles,
    signature,
)
from pipeline.normalize import normalize
from pipeline.types import Document

PAIRS = ROOT / "bench" / "data" / "near-dup-pairs.jsonl"
RESULTS = ROOT / "bench" / "results" / "near-dups.md"
NOTES_MARK = "<!-- notes: kept by bench/near_dups.py -->"
CORPORA = {"vi-gov": "vi", "zh-gov": "zh"}
SWEEP = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
BANDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
PER_BAND = 6
SAME_TITLE = 12


def load(corpus: str) -> dict[str, dict]:
    """Records of one corpus with the text ingest would compare: id -> {title, text, source}."""
    out = {}
    with open(SHARED / "corpora" / corpus / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            doc = normalize(Document(id=rec["id"], text=rec["text"], title=rec.get("title", "")))
            out[rec["id"]] = {"title": doc.title, "text": indexable_text(doc.text, doc.skip), "source": rec.get("source", "")}
    return out


def signatures(docs: dict[str, dict], lang: str) -> dict:
    sigs = {}
    for doc_id, d in docs.items():
        sig = signature(d["text"], lang)
        if sig is not None:
            sigs[doc_id] = sig
    return sigs


def linked_pairs(sigs: dict, threshold, lang: str = "") -> set[tuple[str, str]]:
    nd = NearDuplicates(sigs, threshold, {d: lang for d in sigs})
    return {(a, b) for a in sorted(sigs) for b in nd.neighbours(a) if a < b}


def group_sizes(ids, pairs) -> list[int]:
    """Sizes of the connected components of `pairs` with two or more members, largest first."""
    parent = {d: d for d in ids}

    def root(d):
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, b in pairs:
        parent[root(a)] = root(b)
    sizes = Counter(root(d) for d in ids)
    return sorted((n for n in sizes.values() if n > 1), reverse=True)


def _law_name(title: str) -> str:
    return title.split("(")[0].split("（")[0].strip()


def candidates(corpus: str, docs: dict, sigs: dict, rng: random.Random) -> list[dict]:
    """Pairs to label: detector pairs per similarity band, then same-title pairs it may have missed."""
    low = sorted(linked_pairs(sigs, 0.3))
    by_band = defaultdict(list)
    for a, b in low:
        j = estimated_jaccard(sigs[a], sigs[b])
        band = max(x for x in BANDS if x <= j)
        by_band[band].append((a, b))
    out = []
    for band in BANDS[:-1]:
        for a, b in rng.sample(by_band[band], min(PER_BAND, len(by_band[band]))):
            out.append({"corpus": corpus, "a": a, "b": b, "found_by": f"minhash>={band}"})
    titles = defaultdict(list)
    for doc_id, d in docs.items():
        if len(d["title"]) >= 6:
            titles[_law_name(d["title"])].append(doc_id)
    same = [tuple(sorted(ids))[:2] for ids in titles.values() if len(ids) >= 2]
    taken = {(p["a"], p["b"]) for p in out}
    same = [p for p in sorted(same) if p not in taken]
    for a, b in rng.sample(same, min(SAME_TITLE, len(same))):
        out.append({"corpus": corpus, "a": a, "b": b, "found_by": "same title"})
    return out


def show(pair: dict, docs: dict) -> str:
    """A pair as read for labelling: titles, lengths, and the lines each has that the other lacks."""
    a, b = docs[pair["a"]], docs[pair["b"]]
    la = [x.strip() for x in a["text"].splitlines() if x.strip()]
    lb = [x.strip() for x in b["text"].splitlines() if x.strip()]
    only_a = [x for x in la if x not in set(lb)]
    only_b = [x for x in lb if x not in set(la)]
    cut = lambda xs: " | ".join(x[:80] for x in xs[:3])  # noqa: E731
    return (
        f"{pair['a']} ({len(a['text'])}) / {pair['b']} ({len(b['text'])}) [{pair['found_by']}]\n"
        f"  A: {a['title'][:100]}\n  B: {b['title'][:100]}\n"
        f"  shared lines {len(la) - len(only_a)}/{len(la)} vs {len(lb) - len(only_b)}/{len(lb)}\n"
        f"  only A: {cut(only_a)}\n  only B: {cut(only_b)}\n"
    )


def scores(rows: list[dict], threshold: float, positive: set[str]) -> dict:
    tp = sum(1 for r in rows if r["linked"][threshold] and r["label"] in positive)
    fp = sum(1 for r in rows if r["linked"][threshold] and r["label"] not in positive)
    fn = sum(1 for r in rows if not r["linked"][threshold] and r["label"] in positive)
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * p * r / (p + r) if tp else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--candidates", action="store_true", help="print the sampled pairs for labelling")
    args = ap.parse_args()

    t0 = time.perf_counter()
    docs, sigs = {}, {}
    for corpus, lang in CORPORA.items():
        docs[corpus] = load(corpus)
        sigs[corpus] = signatures(docs[corpus], lang)
    hashing = time.perf_counter() - t0
    if args.candidates:
        rng = random.Random(4)
        for corpus in CORPORA:
            for pair in candidates(corpus, docs[corpus], sigs[corpus], rng):
                print(json.dumps(pair, ensure_ascii=False))
                print(show(pair, docs[corpus]), file=sys.stderr)
        return

    labelled = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    linked = {}
    pair_counts = {}
    t1 = time.perf_counter()
    for corpus, lang in CORPORA.items():
        for t in SWEEP:
            linked[corpus, t] = linked_pairs(sigs[corpus], t)
        linked[corpus, "shipped"] = linked_pairs(sigs[corpus], THRESHOLDS, lang)
        for t in [*SWEEP, "shipped"]:
            pair_counts[corpus, t] = len(linked[corpus, t])
    sweep_seconds = time.perf_counter() - t1
    shipped = ", ".join(f"{lang} {THRESHOLDS[lang]}" for lang in CORPORA.values())
    rows = []
    for pair in labelled:
        corpus, a, b = pair["corpus"], pair["a"], pair["b"]
        lang = CORPORA[corpus]
        sa, sb = sigs[corpus].get(a), sigs[corpus].get(b)
        key = tuple(sorted((a, b)))
        rows.append({
            **pair,
            "exact": jaccard(shingles(docs[corpus][a]["text"], lang), shingles(docs[corpus][b]["text"], lang)),
            "estimate": estimated_jaccard(sa, sb) if sa is not None and sb is not None else 0.0,
            "linked": {t: key in linked[corpus, t] for t in [*SWEEP, "shipped"]},
        })

    # The detector pairs were sampled a few per similarity band, so the labelled pairs over-represent
    # the rare high bands: weight each band's labelled precision by how many pairs the corpus has there.
    band_sizes = Counter()
    for corpus in CORPORA:
        for a, b in linked[corpus, SWEEP[0]]:
            j = estimated_jaccard(sigs[corpus][a], sigs[corpus][b])
            band_sizes[corpus, max(x for x in BANDS if x <= j)] += 1

    def corpus_precision(corpus: str, t: float, positive: set[str]) -> float:
        """Share of the corpus's linked pairs at threshold t that are positive, band-weighted."""
        hits = total = 0.0
        for band in BANDS[:-1]:
            if band < t:
                continue
            sample = [r for r in rows if r["corpus"] == corpus and r["found_by"] == f"minhash>={band}"]
            if sample:
                share = sum(r["label"] in positive for r in sample) / len(sample)
                hits += band_sizes[corpus, band] * share
                total += band_sizes[corpus, band]
        return hits / total if total else float("nan")

    def corpus_recall(corpus: str, t: float, positive: set[str]) -> float:
        """Share of the corpus's positive pairs with similarity >= 0.3 that are linked at t, band-weighted."""
        found = total = 0.0
        for band in BANDS[:-1]:
            sample = [r for r in rows if r["corpus"] == corpus and r["found_by"] == f"minhash>={band}"]
            if sample:
                positives = band_sizes[corpus, band] * sum(r["label"] in positive for r in sample) / len(sample)
                total += positives
                found += positives if band >= t else 0.0
        return found / total if total else float("nan")

    labels = Counter((r["corpus"], r["label"]) for r in rows)
    found = Counter((r["corpus"], r["found_by"].split(">=")[0]) for r in rows)
    out = [header("Near-duplicate detection: hand-labelled pairs from shared/corpora")]
    out.append(
        f"\nMinHash ({NUM_PERM} permutations, datasketch) over shingles of folded text: character "
        f"{SHINGLE_UNITS['zh']}-grams (zh), syllable {SHINGLE_UNITS['vi']}-grams (vi); texts under {MIN_UNITS} "
        f"units are never grouped. Two documents are linked when they share an LSH band and their estimated "
        f"Jaccard similarity reaches the threshold of their language. Shipped thresholds: **{shipped}** "
        f"(the `shipped` rows; its LSH bands suit the lower one).\n"
    )
    out.append(f"- documents: " + ", ".join(f"{c} {len(docs[c])} ({len(sigs[c])} with a signature)" for c in CORPORA))
    out.append(
        f"- signatures of both corpora: {hashing:.1f} s; LSH linking at {len(SWEEP) + 1} settings: {sweep_seconds:.1f} s"
    )
    out.append(f"- labelled pairs: {len(rows)} (" + ", ".join(f"{c}: " + ", ".join(
        f"{labels[c, lab]} {lab}" for lab in ("duplicate", "template", "different")) for c in CORPORA) + ")")
    out.append("- found by: " + ", ".join(f"{c} {k} {v}" for (c, k), v in sorted(found.items())))
    for name, positive in (("strict: only `duplicate` is positive", {"duplicate"}),
                           ("lenient: `duplicate` and `template` are positive", {"duplicate", "template"})):
        out.append(f"\n## Threshold sweep, {name}\n")
        out.append(
            "| threshold | corpus | linked pairs in corpus | TP | FP | FN | precision | recall | F1 "
            "| est. corpus precision | est. corpus recall |"
        )
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for t in [*SWEEP, "shipped"]:
            for corpus in [*CORPORA, "both"]:
                sel = [r for r in rows if corpus == "both" or r["corpus"] == corpus]
                s = scores(sel, t, positive)
                n = sum(pair_counts[c, t] for c in CORPORA) if corpus == "both" else pair_counts[corpus, t]
                at = THRESHOLDS[CORPORA[corpus]] if t == "shipped" and corpus != "both" else t
                est = corpus_precision(corpus, at, positive) if corpus != "both" else float("nan")
                rec = corpus_recall(corpus, at, positive) if corpus != "both" else float("nan")
                name = f"**shipped ({shipped})**" if t == "shipped" else t
                out.append(
                    f"| {name} | {corpus} | {n} | {s['tp']} | {s['fp']} | {s['fn']} | "
                    f"{s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} | "
                    f"{'' if est != est else f'{est:.2f}'} | {'' if rec != rec else f'{rec:.2f}'} |"
                )
    out.append("\n## Groups formed in each corpus\n")
    out.append("Groups are connected components of the links, so templates can chain documents together.\n")
    out.append("| threshold | corpus | groups (2+) | documents in groups | largest groups |")
    out.append("| --- | --- | ---: | ---: | --- |")
    for t in [*SWEEP, "shipped"]:
        for corpus in CORPORA:
            grouped = group_sizes(sigs[corpus], linked[corpus, t])
            name = f"**shipped ({shipped})**" if t == "shipped" else t
            out.append(
                f"| {name} | {corpus} | {len(grouped)} | {sum(grouped)} | {', '.join(map(str, grouped[:5]))} |"
            )
    out.append("\n## Estimated against exact Jaccard on the labelled pairs\n")
    errors = [abs(r["estimate"] - r["exact"]) for r in rows]
    out.append(f"mean |estimate - exact| {sum(errors) / len(errors):.3f}, max {max(errors):.3f}\n")
    out.append("\n## Every labelled pair\n")
    out.append("| corpus | label | exact J | est. J | linked at shipped | found by | note |")
    out.append("| --- | --- | ---: | ---: | --- | --- | --- |")
    for r in sorted(rows, key=lambda r: (r["corpus"], -r["exact"])):
        out.append(
            f"| {r['corpus']} | {r['label']} | {r['exact']:.2f} | {r['estimate']:.2f} | "
            f"{'yes' if r['linked']['shipped'] else 'no'} | {r['found_by']} | {r['note']} |"
        )
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    notes = old.split(NOTES_MARK, 1)[1] if NOTES_MARK in old else "\n"
    write_report("near-dups", "\n".join(out) + "\n\n" + NOTES_MARK + notes)


if __name__ == "__main__":
    main()
