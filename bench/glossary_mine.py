"""Grow the bilingual glossary from the corpora: cross-lingual neighbours of frequent terms.

A general method, with no entry written by hand:

1. **Candidates.** Chinese: jieba words (with the governance dictionary) of 2-6 Han characters in at
   least `--min-df` documents of zh-gov. Vietnamese: runs of 2-4 syllables in at least `--min-df`
   documents of vi-gov that neither start nor end with a function word. The `--top` most frequent of
   each side.
2. **Vectors.** Each term embedded by multilingual-e5-small as a query ("query: 业主"), then centred
   by the language means (pipeline/crosslingual.py), which removes most of the "this is Chinese"
   direction.
3. **Pairs.** Cross-domain similarity local scaling (CSLS, Conneau et al. 2018: the cosine minus each
   side's mean cosine to its 10 nearest neighbours on the other side, which stops hub terms from
   pairing with everything), kept when the two terms are each other's nearest neighbour and the
   CSLS margin over the runner-up is at least `--margin`.
4. **Not a cognate lookup.** A pair whose Vietnamese term is the Chinese term's Sino-Vietnamese
   reading is marked `hanviet`; those are what the lexical `crosslingual` view already matches, and
   false friends (自治 → "tự trị", where Vietnamese governance says "tự quản") live among them.

The output (`pipeline/data/glossary_mined.tsv`) holds terms and scores, never corpus text. Its
precision is judged on a sample (bench/results/glossary-mined.md).

    .venv/bin/python bench/glossary_mine.py --out pipeline/data/glossary_mined.tsv
"""
from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from common import ROOT, SHARED

VI_FUNCTION = set("""của và các những được cho với trong là có này đã đang sẽ thì mà để khi từ tại theo về
đến như nhưng hay hoặc cũng vì do nên một hai ba không chưa rất nhiều ít bị ra vào lên xuống trên dưới
sau trước ông bà anh chị em tôi chúng ta họ nó đó đây kia ấy nào gì ai đâu sao bao vẫn còn lại đều mọi
mỗi từng cùng việc nhằm qua bằng hơn nhất năm ngày tháng số người""".split())
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
_VI_RUN = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)*")


def _texts(path: Path, limit_docs: int, chars: int):
    """The first `chars` characters of each of the first `limit_docs` records of a corpus."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= limit_docs:
                break
            yield json.loads(line)["text"][:chars]


def _frequent(df: Counter, min_df: int) -> Counter:
    return Counter({w: c for w, c in df.items() if c >= min_df})


def zh_candidates(path: Path, min_df: int, limit_docs: int, chars: int) -> Counter:
    from pipeline.segment import words

    df: Counter = Counter()
    for text in _texts(path, limit_docs, chars):
        df.update({w for w in words(text, "zh") if _HAN.match(w)})
    return _frequent(df, min_df)


def _vi_grams(text: str) -> set[str]:
    """Runs of 2-4 syllables that neither start nor end with a function word."""
    grams = set()
    for run in _VI_RUN.findall(text):
        syl = run.split()
        for size in (2, 3, 4):
            for i in range(len(syl) - size + 1):
                g = syl[i : i + size]
                if g[0] not in VI_FUNCTION and g[-1] not in VI_FUNCTION:
                    grams.add(" ".join(g))
    return grams


def vi_candidates(path: Path, min_df: int, limit_docs: int, chars: int) -> Counter:
    from pipeline.normalize import normalize_text

    df: Counter = Counter()
    for text in _texts(path, limit_docs, chars):
        df.update(_vi_grams(normalize_text(text).lower()))
    return _frequent(df, min_df)


def embed_queries(terms: list[str]) -> np.ndarray:
    """e5 query vectors of short terms through the passage model (the "query: " prefix), batched."""
    import torch

    from pipeline.e5_graphs import mean_pooled
    from pipeline.embed import E5Embedder

    emb = E5Embedder(batch_size=64, workers=1)
    emb.warm_up()
    forward = emb._traced or emb._eager
    out = np.zeros((len(terms), emb.dim), np.float32)
    with torch.inference_mode():
        for idx, batch in emb._batches(["query: " + t for t in terms]):
            pooled = mean_pooled(forward(batch["input_ids"], batch["attention_mask"]), batch["attention_mask"])
            out[idx] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    return out


def mutual_pairs(zh: np.ndarray, vi: np.ndarray, k: int = 10):
    """(i, j, csls, margin) for mutual CSLS nearest neighbours zh[i] <-> vi[j]."""
    sim = zh @ vi.T
    r_zh = np.sort(sim, axis=1)[:, -k:].mean(1)
    r_vi = np.sort(sim, axis=0)[-k:, :].mean(0)
    csls = 2 * sim - r_zh[:, None] - r_vi[None, :]
    best_vi = csls.argmax(1)
    best_zh = csls.argmax(0)
    pairs = []
    for i, j in enumerate(best_vi):
        if best_zh[j] != i:
            continue
        row = np.sort(csls[i])[-2:]
        col = np.sort(csls[:, j])[-2:]
        margin = float(min(row[1] - row[0], col[1] - col[0]))
        pairs.append((i, int(j), float(csls[i, j]), margin, float(sim[i, j])))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-df", type=int, default=15)
    ap.add_argument("--top", type=int, default=6000, help="most frequent candidates kept per side")
    ap.add_argument("--docs", type=int, default=100_000, help="documents read per corpus")
    ap.add_argument("--chars", type=int, default=4000, help="characters read per document")
    ap.add_argument("--out", default=str(ROOT / "pipeline/data/glossary_mined.tsv"))
    args = ap.parse_args()
    from pipeline.crosslingual import default_centering, hanviet
    from pipeline.glossary import load_glossary
    from pipeline.lang.vi import strip_diacritics

    t0 = time.time()
    zh_df = zh_candidates(SHARED / "corpora/zh-gov/corpus.jsonl", args.min_df, args.docs, args.chars)
    vi_df = vi_candidates(SHARED / "corpora/vi-gov/corpus.jsonl", args.min_df, args.docs, args.chars)
    zh_terms = [w for w, _ in zh_df.most_common(args.top)]
    vi_terms = [w for w, _ in vi_df.most_common(args.top)]
    print(f"candidates zh {len(zh_df)} vi {len(vi_df)}; kept {len(zh_terms)} + {len(vi_terms)} ({time.time() - t0:.0f} s)")
    centre = default_centering()
    zh = centre._center(embed_queries(zh_terms), "query", ["zh"] * len(zh_terms))
    vi = centre._center(embed_queries(vi_terms), "query", ["vi"] * len(vi_terms))
    print(f"embedded ({time.time() - t0:.0f} s)")
    hand = load_glossary()
    known_zh = {f for e in hand for f in e.zh}
    known_vi = {f.lower() for e in hand for f in e.vi}
    rows = []
    for i, j, csls, margin, cos in mutual_pairs(zh, vi):
        z, v = zh_terms[i], vi_terms[j]
        reading = " ".join(hanviet(z).split())
        kind = "hanviet" if strip_diacritics(reading) == strip_diacritics(v) else "neighbour"
        rows.append((csls, margin, cos, z, v, kind, zh_df[z], vi_df[v], z in known_zh or v in known_vi))
    rows.sort(reverse=True)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("zh\tvi\tcsls\tmargin\tcosine\tkind\tdf_zh\tdf_vi\tin_hand_glossary\n")
        for csls, margin, cos, z, v, kind, dz, dv, known in rows:
            out.write(f"{z}\t{v}\t{csls:.4f}\t{margin:.4f}\t{cos:.4f}\t{kind}\t{dz}\t{dv}\t{int(known)}\n")
    print(f"{len(rows)} mutual pairs -> {args.out} ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
