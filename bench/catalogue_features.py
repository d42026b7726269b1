"""Can how an entry is used, and how specific its name is, choose the catalogue entries to list at the
precision of 0.9 a researcher's catalogue needs? An experiment, not shipped.

    .venv/bin/python bench/catalogue_features.py [--cache DIR]   # writes bench/results/catalogue-features.md

bench/results/practice-confidence.md fitted a model to the names alone (out-of-fold AUC 0.79);
bench/results/catalogue-context.md tried one rule on the uses (a Chinese name right after 建立, 健全 ...).
This puts the signals together in one logistic regression over features of a catalogue entry
(`pipeline.practices.Practice`), all computed from the index's own documents:

- what the entry is: language and kind, the head noun of a Chinese name (制度, 机制, 模式, 公约 ...),
  the name's length, its counts of documents and mentions, the catalogue's score, whether a text
  defines it, names its actors or outcomes, or breaks its formula down;
- how it is used: the share of its uses right after a verb that sets a system up (建立, 健全, 完善,
  实行 ...; a wider list with 探索, 推广, 开展 ... apart), right after another Chinese character (a
  name cut from a longer word), in a sentence naming a Vietnamese commune, ward, body or committee,
  and in a document whose type is a statute (条例, 规定, Nghị định, Luật ...);
- how specific the name is: the inverse document frequency, in the index's documents, of the words of
  its modifier (the name without its head noun, cut by jieba; Vietnamese syllable pairs after
  "mô hình"): the most and the least specific word and the mean, and how many words there are;
- optionally ("uses + name" rows) the e5 passage vector of the name, as practice_confidence.py uses it.

Rows: the judged entries of bench/data/catalogue-precision-*.jsonl and practice-confidence-train.jsonl
(development, random samples of the catalogue of the first 1,000 records of zh-gov and of vi-gov; the
`news` sample among them drawn from its entries used outside statutes only),
matched by language and name to that catalogue rebuilt by this checkout (entries the rules of this
checkout no longer produce are left out); practice-confidence-heldout.jsonl (held out: a random sample
of the catalogue of the seeds and the first 2,000 records of each corpus, judged before any model),
matched to the catalogue of the first 2,000 records of each (without the five seeds); and the
catalogue of the hand-labelled gold set's documents (bench/data/practices-gold.jsonl), an entry
correct when it is a gold practice, split by the gold set's own dev and held-out parts; the same entries
are also graded by the catalogue rules (bench/data/catalogue-gold-documents.jsonl: two judges who did not
see each other's grades, 174 of 186 agreed, kappa 0.86, the 12 others settled by a third reading). The
gold rows are added to training only in the rows that say so, with either label; the gold set's held-out
part is never trained on.

The C of each model is chosen by out-of-fold AUC on the development rows (5 x 10-fold), the listing
threshold as the lowest whose out-of-fold precision on the random development rows is at least
TARGET. Nothing here was chosen on the held-out rows.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np

from catalogue_context import DEV, ESTABLISH, HELDOUT, _judged
from catalogue_precision import STATUTES, _wilson, cached_corpus_catalogue
from common import header, write_report
from practice_confidence import _auc, _fit, _oof, _rows, gold_catalogue
from practices import GOLD

from pipeline.practices.listing import ESTABLISH_WIDE, VI_ADOPTER, entry_shape, modifier_words

TARGET = 0.92
RULE_GRADED = Path(__file__).parent / "data" / "catalogue-gold-documents.jsonl"
CS = (1.0, 3.0, 10.0)
CURVE = (0.6, 0.7, 0.8, 0.85, 0.9)


class Features:
    """Feature rows of catalogue entries over one set of documents (`docs`: id -> Document)."""

    def __init__(self, docs: dict):
        self.docs = docs
        self._df: dict[str, int] = {}

    def df(self, word: str) -> int:
        if word not in self._df:
            self._df[word] = sum(1 for d in self.docs.values() if word in d.text)
        return self._df[word]

    @staticmethod
    def modifier(p) -> list[str]:
        return modifier_words(p)

    def row(self, p) -> dict[str, float]:
        f = entry_shape(p)
        counts = dict.fromkeys(("after a set-up verb", "after a wider verb", "after a character", "adopter named",
                                "in a statute"), 0)
        for u in p.uses:
            doc = self.docs.get(u.doc_id)
            text = doc.text if doc else ""
            before = text[max(0, u.start - 4):u.start]
            counts["after a set-up verb"] += bool(ESTABLISH.search(before))
            counts["after a wider verb"] += bool(ESTABLISH_WIDE.search(before))
            counts["after a character"] += bool(before) and "\u4e00" <= before[-1] <= "\u9fff"
            counts["adopter named"] += bool(VI_ADOPTER.search(text[u.sentence_start:u.sentence_end]))
            counts["in a statute"] += bool(doc and doc.metadata and doc.metadata.doc_type in STATUTES)
        f |= {k: v / max(len(p.uses), 1) for k, v in counts.items()}
        words = self.modifier(p)
        n = max(len(self.docs), 1)
        idf = [math.log(n / (1 + self.df(w))) / 8 for w in words] or [0.0]
        f |= {"idf max": max(idf), "idf min": min(idf), "idf mean": sum(idf) / len(idf),
              "modifier words": math.log1p(len(words))}
        return f

    def matrix(self, practices) -> np.ndarray:
        return np.array([list(self.row(p).values()) for p in practices])


def _matched(paths: list[Path], practices) -> tuple[list, np.ndarray, int]:
    """(entries, grades, judged rows) of the judged rows at `paths` found in `practices`."""
    judged = {(r["lang"], r["name"]): r["grade"] for r in _judged(paths)}
    by_key = {(p.lang, p.name): p for p in practices}
    keys = [k for k in judged if k in by_key]
    return [by_key[k] for k in keys], np.array([judged[k] for k in keys]), len(judged)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, help="keep the rebuilt catalogues here between runs")
    args = ap.parse_args(argv)
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    dev_cat, dev_docs = cached_corpus_catalogue(1000, args.cache)
    held_cat, held_docs = cached_corpus_catalogue(2000, args.cache)
    dev_p, y_dev, dev_judged = _matched(DEV, dev_cat)
    held_p, y_held, held_judged = _matched([HELDOUT], held_cat)
    gold_docs, gold_cat, gold_correct = gold_catalogue()
    split = {r["id"]: r.get("split") or "dev" for r in _rows(GOLD)}
    correct = {id(p) for p in gold_correct}
    y_gold = np.array([int(id(p) in correct) for p in gold_cat])
    gold_held = np.array([split[p.uses[0].doc_id] != "dev" for p in gold_cat])
    graded = {(r["lang"], r["name"]): r["grade"] for r in _rows(RULE_GRADED)}
    y_rules = np.array([graded[(p.lang, p.name)] for p in gold_cat])  # the same entries, by the catalogue rules

    blocks = {"uses": (Features(dev_docs).matrix(dev_p), Features(held_docs).matrix(held_p),
                       Features(gold_docs).matrix(gold_cat))}
    from pipeline.embed import E5Embedder

    embed = E5Embedder().embed_documents
    names = [np.asarray(embed([p.name for p in ps])) for ps in (dev_p, held_p, gold_cat)]
    blocks["uses + name"] = tuple(np.hstack([a, b]) for a, b in zip(blocks["uses"], names))

    lines = [header("Catalogue entries listed by a model of their uses and the specificity of their names (not shipped)"),
             "See the docstring of bench/catalogue_features.py for the features, the rows and the protocol.", "",
             f"Rows: development {len(y_dev)} of {dev_judged} judged entries found in the rebuilt catalogue "
             f"({y_dev.mean():.2f} correct); held out {len(y_held)} of {held_judged} ({y_held.mean():.2f} correct); "
             f"gold-set catalogue {len(y_gold)} entries, {int((~gold_held).sum())} in its dev part, "
             f"{int(gold_held.sum())} held out ({int(y_gold[gold_held].sum())} of them gold practices).", "",
             f"Listing threshold: the lowest whose out-of-fold precision on the random development rows is at least {TARGET}.", "",
             "| features | training rows | C | dev AUC (out of fold) | threshold | dev precision / listed | "
             "held-out AUC | held-out precision (95 % interval) | listed | correct kept | gold held-out practices listed | "
             "gold held-out by the rules: precision / correct kept |",
             "| --- | --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | --- |"]
    curves = []
    for label, (X_dev, X_held, X_gold) in blocks.items():
        for with_gold, y_extra in ((None, None), ("gold labels", y_gold), ("graded by the rules", y_rules)):
            X = np.vstack([X_dev, X_gold[~gold_held]]) if with_gold else X_dev
            y = np.concatenate([y_dev, y_extra[~gold_held]]) if with_gold else y_dev
            random_rows = np.arange(len(y)) < len(y_dev)
            oofs = {C: _oof(X, y, C) for C in CS}
            C = max(CS, key=lambda c: _auc(y[random_rows], oofs[c][random_rows]))
            p = oofs[C][random_rows]
            listed = next((t for t in np.arange(0.4, 0.96, 0.025) if (p >= t).any() and y_dev[p >= t].mean() >= TARGET), 0.95)
            model = _fit(X, y, C)
            p_held = model.predict_proba(X_held)[:, 1]
            p_gold = model.predict_proba(X_gold[gold_held])[:, 1]
            keep, good = p_held >= listed, int(y_held[p_held >= listed].sum())
            lo, hi = _wilson(good, int(keep.sum()))
            gold_hits = p_gold[y_gold[gold_held] == 1]
            rows = f"+ gold dev part, {with_gold}" if with_gold else "random samples"
            g_keep, g_good = p_gold >= listed, y_rules[gold_held]
            lines.append(
                f"| {label} | {rows} | {C:g} | {_auc(y_dev, p):.3f} | {listed:.3f} | {y_dev[p >= listed].mean():.2f} / "
                f"{(p >= listed).mean():.2f} | {_auc(y_held, p_held):.3f} | {good}/{int(keep.sum())} = "
                f"{good / max(int(keep.sum()), 1):.2f} ({lo:.2f}-{hi:.2f}) | {keep.mean():.2f} | "
                f"{good / y_held.sum():.2f} | {(gold_hits >= listed).sum()}/{len(gold_hits)} | "
                f"{int(g_good[g_keep].sum())}/{int(g_keep.sum())} / {int(g_good[g_keep].sum())}/{int(g_good.sum())} |")
            curves.append((f"{label}, {rows}", p_held, p_gold, gold_hits))
    lines += ["", "Held-out precision, share listed, correct kept, and gold held-out practices listed, at fixed thresholds:", "",
              "| model | " + " | ".join(f"at {t}" for t in CURVE) + " |", "| --- |" + " --- |" * len(CURVE)]
    for label, p_held, _, gold_hits in curves:
        cells = []
        for t in CURVE:
            keep = p_held >= t
            cells.append(f"{y_held[keep].mean() if keep.any() else 0:.2f} / {keep.mean():.2f} / "
                         f"{y_held[keep].sum() / y_held.sum():.2f} / {(gold_hits >= t).mean():.2f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Conclusion", "",
              "Uses, specificity and the name together lift the out-of-fold AUC from 0.79 (names alone, "
              "practice-confidence.md) to 0.84 (0.86 held out). At the threshold chosen on the development rows that "
              "model lists about a third of the held-out entries at 0.94 precision, keeping 0.58 of the correct ones "
              "(the name model kept 0.24, the use rule of catalogue-context.md 0.76 at 0.75 precision). It is still "
              "not shipped: it lists none of the held-out gold set's practices. The random samples teach it what a "
              "well-specified statute provision looks like (statute documents, a set-up verb before the name, rare "
              "modifier words), and the practices of news and reports carry none of those marks. It is not only "
              "that the two labelled sets define a practice differently: graded by the catalogue rules "
              "(bench/data/catalogue-gold-documents.jsonl, two judges, disagreements settled), the gold documents' "
              "entries agree with the gold labels on 156 of 186, and with those grades in training the model still "
              "lists 1 of the 16 correct held-out entries at its threshold. The judged `news` sample (entries used "
              "outside statutes only: 0.41 correct) is among the development rows and does not change this either. "
              "What is missing is a signal for practices as news reports them."]
    report = "\n".join(lines) + "\n"
    print(report)
    write_report("catalogue-features", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
