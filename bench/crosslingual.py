"""Cross-lingual ablation on xling-xquad: what language centring and the Sino-Vietnamese lexical
view each add, alone and fused, on all four pairings (nDCG@10, document level).

Rankings are chunk-level, as govtext searches: dense = exact cosine over every chunk of the index
(raw e5 vectors, or language-centred ones), hanviet = tantivy BM25 through `search_across`, fused
by min-max normalised scores (the dense weight 0.5, the cross-language weight swept).

    .venv/bin/python bench/crosslingual.py [--work /tmp/govtext-eval]
Uses (or builds) the xquad-vi and xquad-zh indexes in --work that bench/eval_all.py uses; raw
chunk and query vectors are cached there.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import SHARED, header, write_report

from pipeline import Library
from pipeline.crosslingual import default_centering
from pipeline.evaluate import load_queries, score_run
from pipeline.search import Ranking, fuse_scores

PAIRS = [("vi", "vi"), ("zh", "zh"), ("vi", "zh"), ("zh", "vi")]
WEIGHTS = (0.05, 0.1, 0.125, 0.15, 0.2, 0.3)
N = 300


def chunk_table(lib: Library, work: Path, name: str):
    rows = list(lib.manifest.iter_chunk_rows())
    ids = [r.chunk_id for r in rows]
    docs = [r.doc_id for r in rows]
    langs = [r.lang for r in rows]
    cache = work / f"{name}.chunks.raw.npy"
    if cache.exists():
        vecs = np.load(cache)
    else:
        texts = lib.manifest.span_texts((r.doc_id, r.start, r.end) for r in rows)
        vecs = lib.embedder.embed_documents(texts)
        np.save(cache, vecs)
    return ids, docs, langs, vecs


def query_vecs(lib: Library, queries, work: Path, lang: str) -> np.ndarray:
    cache = work / f"xquad-queries-{lang}.raw.npy"
    if cache.exists():
        return np.load(cache)
    vecs = np.vstack([lib.embedder.embed_query(q.text) for q in queries])
    np.save(cache, vecs)
    return vecs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default="/tmp/govtext-eval")
    args = ap.parse_args()
    work = Path(args.work)
    centering = default_centering()
    from eval_all import without_titles

    libs = {}
    for lang in ("vi", "zh"):
        libs[lang] = Library(work / f"xquad-{lang}", create=True)
        libs[lang].ingest([without_titles(SHARED / "eval" / "xling-xquad" / f"corpus_{lang}.jsonl", work)])
    tables = {lang: chunk_table(libs[lang], work, f"xquad-{lang}") for lang in libs}
    results: dict[tuple[str, str], float] = {}
    for ql, dl in PAIRS:
        queries = load_queries(SHARED / "eval" / "xling-xquad" / f"queries_{ql}.jsonl")
        ids, docs, langs, raw = tables[dl]
        doc_of = dict(zip(ids, docs))
        Q = query_vecs(libs[dl], queries, work, ql)
        variants = {
            "raw": (Q, raw),
            "centred": (np.vstack([centering.query(q, ql) for q in Q]), centering.passages(raw, langs)),
        }
        dense = {}
        for name, (qv, cv) in variants.items():
            scores = qv @ cv.T
            top = np.argsort(-scores, axis=1)[:, :N]
            dense[name] = [Ranking("dense", tuple((ids[j], float(scores[i, j])) for j in top[i])) for i in range(len(Q))]
        hv = [Ranking("crosslingual", tuple(libs[dl].lexical.search_across(q.text, ql, N))) for q in queries]

        def score(rankings_per_query, label):
            run = {}
            for q, rk in zip(queries, rankings_per_query):
                fused = rk[0].items if len(rk) == 1 else fuse_scores(rk, weights)
                out = list(dict.fromkeys(doc_of[c] for c, _ in fused))
                run[q.id] = out[:100]
            results[(f"{ql}→{dl}", label)] = score_run(run, queries).ndcg10

        weights = {"dense": 0.5}
        for name in variants:
            score([[r] for r in dense[name]], f"dense {name}")
        if ql != dl:
            score([[r] for r in hv], "hanviet BM25 alone")
            for w in WEIGHTS:
                weights = {"dense": 0.5, "crosslingual": w}
                for name in variants:
                    score([[d, h] for d, h in zip(dense[name], hv)], f"dense {name} + hanviet {w}")
    pairs = [f"{a}→{b}" for a, b in PAIRS]
    labels = list(dict.fromkeys(label for _p, label in results))
    lines = [header("Cross-lingual ablation on xling-xquad (nDCG@10)"),
             "| method | " + " | ".join(pairs) + " |", "| --- |" + " --- |" * len(pairs)]
    for label in labels:
        cells = [f"{results[(p, label)]:.4f}" if (p, label) in results else "" for p in pairs]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    same = {lang: results[(f"{lang}→{lang}", "dense raw")] for lang in ("vi", "zh")}
    lines.append("")
    for p in ("vi→zh", "zh→vi"):
        q = p.split("→")[0]
        best = max((v, lab) for (pp, lab), v in results.items() if pp == p)
        lines.append(f"- {p}: best {best[1]} {best[0]:.4f} = {best[0] / same[q]:.1%} of dense {q}→{q} "
                     f"({same[q]:.4f}); the shipped weight 0.125: "
                     f"{results[(p, 'dense centred + hanviet 0.125')] / same[q]:.1%}")
    write_report("crosslingual", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
