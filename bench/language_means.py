"""Compute the per-language e5 mean vectors that search subtracts (pipeline/data/e5_language_means.npz).

Samples documents from ../shared/corpora/{vi,zh}-gov (seeded, so the file is reproducible):
passage means from the first 600 characters of each document, encoded exactly as ingest does;
query means from one question-sized sentence (15-150 characters) of each document, encoded as
search does. Nothing from the evaluation sets is used.

    .venv/bin/python bench/language_means.py [--n 1000]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys

import numpy as np
from common import ROOT, SHARED

from pipeline.crosslingual import MEANS_FILE
from pipeline.embed import E5Embedder
from pipeline.normalize import normalize_text

SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n")


def sample(lang: str, n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in open(SHARED / "corpora" / f"{lang}-gov" / "corpus.jsonl", encoding="utf-8")]
    passages, sentences = [], []
    for row in rng.sample(rows, n):
        text = normalize_text(row["text"])
        passages.append(text[:600])
        candidates = [s.strip() for s in SENTENCE_END.split(text) if 15 <= len(s.strip()) <= 150]
        if candidates:
            sentences.append(rng.choice(candidates))
    return passages, sentences


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="documents sampled per language")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    embedder = E5Embedder()
    means = {}
    for lang in ("vi", "zh"):
        passages, sentences = sample(lang, args.n, rng)
        means[f"passage_{lang}"] = embedder.embed_documents(passages).mean(axis=0)
        means[f"query_{lang}"] = np.vstack([embedder.embed_query(s) for s in sentences]).mean(axis=0)
        print(f"{lang}: {len(passages)} passages, {len(sentences)} sentences", file=sys.stderr)
    np.savez(MEANS_FILE, **{k: v.astype(np.float32) for k, v in means.items()})
    print(f"wrote {MEANS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
