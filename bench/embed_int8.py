"""The int8 passage encoder (pipeline/e5_int8.py): its activation maxima, its smoothing strength, its cost.

    .venv/bin/python bench/embed_int8.py [--write-maxima] [--calibration 256] [--quality-docs 600]

1. `--write-maxima`: the per-channel input maxima of every linear layer, over `--calibration`
   passages of ../shared/corpora (vi-gov and zh-gov records drawn with a fixed seed after the first
   400 of each, which the speed benchmark and step 2 use), written to pipeline/data/e5_int8_maxima.npz.
   Nothing from the evaluation sets is used.
2. Agreement with fp32 for each smoothing strength ALPHA (and without smoothing, per tensor and per
   channel) on 256 other corpus passages (the first records, as bench/embed_speed.py cuts them).
   ALPHA is chosen here, on corpus passages, not on the evaluation sets.
3. Dense nDCG@10 with fp32 vectors against int8 vectors at the shipped ALPHA on every development
   set (bench/embed_speed.py's check, the same queries through the fp32 query encoder).
Speed is measured beside the other encoders by bench/embed_speed.py.
"""
from __future__ import annotations

import argparse
import copy
import json
import random
from itertools import islice

import numpy as np
import torch
from common import SHARED, header, write_report
from embed_speed import SentenceTransformersDefault, passages, quality

from pipeline import e5_int8
from pipeline.chunk import chunk
from pipeline.e5_model import PassageModel
from pipeline.embed import E5Embedder, load_passage_model
from pipeline.language import detect_document
from pipeline.normalize import normalize
from pipeline.segment import segment
from pipeline.types import Document

SEED = 20261207
ALPHAS = (0.5, 0.6, 0.7, 0.8, 0.9)


def calibration_passages(n: int) -> list[str]:
    out = []
    for corpus in ("vi-gov", "zh-gov"):
        with open(SHARED / "corpora" / corpus / "corpus.jsonl", encoding="utf-8") as f:
            rows = [json.loads(line) for line in islice(f, 400, None)]
        got = []
        for row in random.Random(SEED).sample(rows, min(len(rows), 200)):
            doc = detect_document(normalize(Document(str(row["id"]), row["text"])))
            got.extend(c.text for c in chunk(doc, segment(doc))[:4])
            if len(got) >= n // 2:
                break
        out.extend(got[: n // 2])
    return out


def with_transformer(transformer, tokenizer) -> E5Embedder:
    emb = E5Embedder(bf16=False)
    emb._model = PassageModel(transformer, tokenizer)
    return emb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write-maxima", action="store_true")
    ap.add_argument("--calibration", type=int, default=256)
    ap.add_argument("--n", type=int, default=256, help="passages for the agreement with fp32")
    ap.add_argument("--quality-docs", type=int, default=600, help="documents per set for nDCG (0: skip)")
    args = ap.parse_args()
    fp32 = load_passage_model(bf16=False)
    reference = with_transformer(fp32.transformer, fp32.tokenizer)
    reference.warm_up()
    lines = [header("The int8 passage encoder: smoothing strength and retrieval cost")]
    if args.write_maxima:
        texts = calibration_passages(args.calibration)
        batches = [batch for _, batch in reference._batches(["passage: " + t for t in texts])]
        maxima = e5_int8.activation_maxima(reference._eager, fp32.transformer, batches)
        e5_int8.save_maxima(maxima)
        lines.append(f"Activation maxima written from {len(texts)} corpus passages ({len(maxima)} linear layers).\n")
    maxima = e5_int8.load_maxima()
    texts = passages(args.n)
    want = reference.embed_documents(texts)

    def agreement(transformer) -> tuple[float, float, float]:
        got = with_transformer(transformer, fp32.tokenizer).embed_documents(texts)
        cos = np.sum(got * want, axis=1)
        return float(cos.mean()), float(np.percentile(cos, 1)), float(cos.min())

    from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig, quantize_dynamic

    rows = []
    for label, qconfig in (("per tensor", default_dynamic_qconfig), ("per output channel", per_channel_dynamic_qconfig)):
        plain = quantize_dynamic(copy.deepcopy(fp32.transformer), {torch.nn.Linear: qconfig}, dtype=torch.qint8)
        rows.append((f"no smoothing, weights {label}", *agreement(plain)))
    for alpha in ALPHAS:
        shipped = " (shipped)" if alpha == e5_int8.ALPHA else ""
        rows.append((f"smoothed, ALPHA {alpha}{shipped}", *agreement(e5_int8.int8_transformer(fp32.transformer, maxima, alpha))))
    lines += [
        f"Agreement with fp32 on {len(texts)} corpus passages (not the calibration passages): cosine of each "
        "passage's int8 vector to its fp32 vector.\n",
        "| int8 linear layers | mean cosine | 1st percentile | min |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {n} | {m:.5f} | {p:.5f} | {lo:.5f} |" for n, m, p, lo in rows],
    ]
    if args.quality_docs:
        int8 = E5Embedder(int8=True)
        lines += [
            "",
            f"## Retrieval with int8 passage vectors (ALPHA {e5_int8.ALPHA}) against fp32 (dense alone, document level)\n",
            "| set | documents | queries | nDCG@10 fp32 | nDCG@10 int8 | difference |",
            "| --- | --- | --- | --- | --- | --- |",
            *quality(SentenceTransformersDefault(), int8, args.quality_docs),
        ]
    write_report("embed-int8", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
