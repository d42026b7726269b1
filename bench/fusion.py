"""Fusion sweep: reciprocal-rank fusion (k, lexical weight) against min-max score fusion
(lexical share a), on the same dense and lexical chunk rankings, per development set.

    .venv/bin/python bench/fusion.py --work /tmp/govtext-eval
Needs the indexes that bench/eval_all.py builds in --work.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from common import SHARED, header, write_report

from pipeline import Library
from pipeline.evaluate import load_queries, score_run
from pipeline.search import fuse, fuse_scores, same_language_lexical

SETS = [
    ("vi-alqac vi→vi", "vi-alqac", "vi-alqac/queries.jsonl"),
    ("xquad vi→vi", "xquad-vi", "xling-xquad/queries_vi.jsonl"),
    ("xquad zh→zh", "xquad-zh", "xling-xquad/queries_zh.jsonl"),
    ("zh-stard zh→zh", "zh-stard", "zh-stard/queries.jsonl"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", default="/tmp/govtext-eval")
    ap.add_argument("--candidates", type=int, default=300)
    args = ap.parse_args()
    configs = [("rrf", k, w) for k in (10, 60) for w in (1.0, 1.5, 2.0, 3.0)] + [("minmax", None, a) for a in (0.3, 0.5, 0.7)]
    table = {}
    for label, corpus, queries_path in SETS:
        if not (Path(args.work) / corpus / "manifest.sqlite").exists():
            continue
        lib = Library(Path(args.work) / corpus)
        searcher, queries = lib.searcher, load_queries(SHARED / "eval" / queries_path)
        rankings = {q.id: searcher.rankings(q.text, "hybrid", args.candidates) for q in queries}
        rows = lib.manifest.chunk_rows(c for rk in rankings.values() for r in rk for c, _ in r.items)

        def doc_run(fused):
            out, seen = [], set()
            for cid, _ in fused:
                if rows[cid][0] not in seen:
                    seen.add(rows[cid][0])
                    out.append(rows[cid][0])
            return out[:100]

        for kind, k, w in configs:
            run = {}
            for q in queries:
                rk = [same_language_lexical(r, q.text, rows) for r in rankings[q.id]]
                fused = fuse(rk, {"lexical": w}, k=k) if kind == "rrf" else fuse_scores(rk, {"lexical": w, "dense": 1 - w})
                run[q.id] = doc_run(fused)
            table[(label, kind, k, w)] = score_run(run, queries).ndcg10
    labels = list(dict.fromkeys(key[0] for key in table))
    lines = [header("Fusion of dense and lexical rankings (nDCG@10)"),
             "| fusion | " + " | ".join(labels) + " |", "| --- |" + " --- |" * len(labels)]
    for kind, k, w in configs:
        name = f"rrf k={k}, lexical weight {w}" if kind == "rrf" else f"min-max, lexical share {w}"
        lines.append(f"| {name} | " + " | ".join(f"{table[(lab, kind, k, w)]:.4f}" for lab in labels) + " |")
    write_report("fusion", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
