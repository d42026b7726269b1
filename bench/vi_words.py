"""Vietnamese word segmentation: underthesea's `word_tokenize` against `pipeline.lang.vi.word_segmenter`.

    .venv/bin/python bench/vi_words.py [--docs 300] [--rounds 3]

Both run the same CRF model on the sentences of the first `--docs` records of ../shared/corpora/vi-gov;
the segmenter builds the features in Python instead of round-tripping them through underthesea's
featurizer. Rounds alternate the two in one process (after one warm-up pass each); every sentence's
words are compared. Writes bench/results/vi-words.md.
"""
from __future__ import annotations

import argparse
import json
import time

from common import SHARED, header, write_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from pipeline.lang.vi import load_underthesea, word_segmenter

    load_underthesea()
    from underthesea import sent_tokenize, word_tokenize

    texts = []
    with open(SHARED / "corpora/vi-gov/corpus.jsonl", encoding="utf-8") as f:
        for _, line in zip(range(args.docs), f):
            texts.append(json.loads(line)["text"])
    sentences = [s for t in texts for s in sent_tokenize(t)]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    ways = {"underthesea word_tokenize": word_tokenize, "word_segmenter.words": word_segmenter.words}
    words = {name: [fn(s) for s in sentences] for name, fn in ways.items()}  # warm-up, and the words compared
    same = sum(a == b for a, b in zip(*words.values()))
    syllables = sum(len(w.split()) for ws in words["underthesea word_tokenize"] for w in ws)
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for name, fn in ways.items():
            t = time.perf_counter()
            for s in sentences:
                fn(s)
            times[name].append(time.perf_counter() - t)
    lines = [header("Vietnamese word segmentation: underthesea against word_segmenter"), "",
             f"{len(sentences):,} sentences ({syllables:,} syllables, {size:.1f} MB) of the first {args.docs} records "
             f"of vi-gov; {args.rounds} alternating rounds after a warm-up pass each. Words equal on "
             f"{same:,} of {len(sentences):,} sentences.", "",
             "| segmentation | seconds per pass (each round) | best | syllables/s (best) |", "| --- | --- | --- | --- |"]
    for name, ts in times.items():
        lines.append(f"| {name} | {', '.join(f'{t:.2f}' for t in ts)} | {min(ts):.2f} | {syllables / min(ts):,.0f} |")
    base, new = (min(ts) for ts in times.values())
    lines += ["", f"word_segmenter takes {new / base:.2f}x the time of underthesea's word_tokenize."]
    print("\n".join(lines))
    write_report("vi-words", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
