"""Chunking speed: token counts taken in one tokenizer call per document against one call per span.

    .venv/bin/python bench/chunk_speed.py [--docs 200] [--rounds 2]

The first `--docs` records of ../shared/corpora/zh-gov and of vi-gov are normalised, their language
detected and segmented once; then `chunk(doc, segments, max_tokens=480)` runs with the default counter
(`embed.count_tokens_many`, one call for a document's segments and one for its drafted chunks) and with
`count_tokens=embed.count_tokens` passed (a call per span), alternating. The chunks must be equal.
Writes bench/results/chunk-speed.md.
"""
from __future__ import annotations

import argparse
import itertools
import time

from common import SHARED, header, write_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    from pipeline.chunk import chunk
    from pipeline.embed import count_tokens
    from pipeline.language import detect_document
    from pipeline.normalize import normalize
    from pipeline.readers.jsonl import read
    from pipeline.segment import segment

    docs = []
    for name in ("zh-gov", "vi-gov"):
        for raw in itertools.islice(read(SHARED / "corpora" / name / "corpus.jsonl"), args.docs):
            doc = detect_document(normalize(raw))
            docs.append((doc, segment(doc)))
    count_tokens("")  # loads the tokenizer
    rows, same = [], True
    for r in range(args.rounds):
        t = time.perf_counter()
        batched = [chunk(d, s, max_tokens=480) for d, s in docs]
        t1 = time.perf_counter()
        single = [chunk(d, s, max_tokens=480, count_tokens=count_tokens) for d, s in docs]
        t2 = time.perf_counter()
        same &= batched == single
        rows.append((r + 1, t1 - t, t2 - t1))
    chunks = sum(map(len, batched))
    lines = [header("Chunking: one token-count call per document against one per span"), "",
             f"{len(docs)} documents (the first {args.docs} of zh-gov and of vi-gov), {chunks:,} chunks of at most "
             f"480 tokens; chunks equal: {'yes' if same else 'NO'}.", "",
             "| round | one call per document (s) | one call per span (s) | ratio |", "| --- | --- | --- | --- |"]
    lines += [f"| {r} | {a:.2f} | {b:.2f} | {a / b:.2f} |" for r, a, b in rows]
    print("\n".join(lines))
    write_report("chunk-speed", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
