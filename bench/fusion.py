"""Fusion sweep on the same-language development sets: reciprocal-rank fusion (k, lexical weight)
against min-max score fusion (lexical share a), on the same chunk rankings, per set.

The committed bench/results/fusion.md also sweeps the boost of a BM25 field holding the title and
heading path (context boost); that field was measured there, found to hurt, and removed from the
index (the sweep is in this file as of commit 34fac8e).

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
    ("vi-alqac vi→vi", "vi-alqac", "vi-alqac/queries.jsonl", "vi"),
    ("xquad vi→vi", "xquad-vi", "xling-xquad/queries_vi.jsonl", "vi"),
    ("xquad zh→zh", "xquad-zh", "xling-xquad/queries_zh.jsonl", "zh"),
    ("zh-stard zh→zh", "zh-stard", "zh-stard/queries.jsonl", "zh"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", default="/tmp/govtext-eval")
    ap.add_argument("--candidates", type=int, default=300)
    args = ap.parse_args()
    boosts = [0.0]  # the removed title/heading field's boost, kept as a column for comparison
    configs = [("minmax", None, a) for a in (0.3, 0.4, 0.5, 0.6)]
    configs += [("rrf", k, w) for k in (10, 60) for w in (1.0, 2.0)]
    table = {}
    for label, corpus, queries_path, lang in SETS:
        if not (Path(args.work) / corpus / "manifest.sqlite").exists():
            continue
        lib = Library(Path(args.work) / corpus, create=True)
        searcher, queries = lib.searcher, load_queries(SHARED / "eval" / queries_path)
        for boost in boosts:
            rankings = {q.id: searcher.rankings(q.text, "hybrid", args.candidates, query_lang=lang) for q in queries}
            rows = lib.manifest.chunk_rows(c for rk in rankings.values() for r in rk for c, _ in r.items)

            def doc_run(fused):
                return list(dict.fromkeys(rows[cid].doc_id for cid, _ in fused if cid in rows))[:100]

            lex_only = {q.id: doc_run(rankings[q.id][1].items) for q in queries}
            table[(label, "lexical alone", None, None, boost)] = score_run(lex_only, queries).ndcg10
            for kind, k, w in configs:
                run = {}
                for q in queries:
                    rk = [same_language_lexical(r, lang, rows) for r in rankings[q.id] if r.mode != "crosslingual"]
                    fused = fuse(rk, {"lexical": w}, k=k) if kind == "rrf" else fuse_scores(rk, {"lexical": w, "dense": 1 - w})
                    run[q.id] = doc_run(fused)
                table[(label, kind, k, w, boost)] = score_run(run, queries).ndcg10
    labels = list(dict.fromkeys(key[0] for key in table))
    lines = [header("Fusion of dense and lexical rankings, and the weight of title/heading matches (nDCG@10)"),
             "| fusion | context boost | " + " | ".join(labels) + " |", "| --- | --- |" + " --- |" * len(labels)]
    for boost in boosts:
        for kind, k, w in [("lexical alone", None, None)] + configs:
            if kind == "lexical alone":
                name = "lexical alone"
            elif kind == "rrf":
                name = f"rrf k={k}, lexical weight {w}"
            else:
                name = f"min-max, lexical share {w}"
            cells = [f"{table[(lab, kind, k, w, boost)]:.4f}" for lab in labels]
            lines.append(f"| {name} | {boost} | " + " | ".join(cells) + " |")
    write_report("fusion", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
