"""Retrieval evaluation: nDCG@10, Recall@10, Recall@100 and MRR@10 over labelled queries.

A document's rank is that of its best chunk. Queries use the BEIR-like format of ../shared/eval,
`{"id", "text", "relevant": [doc ids]}` (binary), or graded relevance `{"relevant": {doc id: grade}}`
(grades 0, 1, 2 as in bench/data/govjudge: nDCG uses gains 2^grade - 1; recall and MRR count grade >= 1).
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import GovtextError


@dataclass(frozen=True)
class Query:
    """A labelled query: its id, text and the ids of the relevant documents."""

    id: str
    text: str
    relevant: frozenset[str]
    grades: Mapping[str, int] = field(default_factory=dict)  # graded relevance, when the file gives it


@dataclass(frozen=True)
class EvalResult:
    """Mean metrics of one mode over a query set, with its run and timing."""

    mode: str
    queries: int
    ndcg10: float
    recall10: float
    recall100: float
    mrr10: float
    seconds: float
    run: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {
            "mode": self.mode, "queries": self.queries, "ndcg@10": round(self.ndcg10, 4),
            "recall@10": round(self.recall10, 4), "recall@100": round(self.recall100, 4),
            "mrr@10": round(self.mrr10, 4), "ms_per_query": round(1000 * self.seconds / max(self.queries, 1), 1),
        }


def load_queries(path: str | Path) -> list[Query]:
    """Read a queries.jsonl file.

    Raises:
        GovtextError: a line is not JSON or lacks `id`, `text` or `relevant`.
    """
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                rel = row["relevant"]
                if isinstance(rel, dict):
                    grades = {str(d): int(g) for d, g in rel.items()}
                    out.append(Query(str(row["id"]), row["text"], frozenset(d for d, g in grades.items() if g > 0), grades))
                else:
                    out.append(Query(str(row["id"]), row["text"], frozenset(str(r) for r in rel)))
            except (ValueError, KeyError, TypeError) as exc:
                raise GovtextError(f"{path}:{lineno}: not a query line ({exc}); expected id, text, relevant") from exc
    return out


def ndcg_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 10, grades: Mapping[str, int] | None = None) -> float:
    """nDCG@k: binary over `relevant`, or graded (gain 2^grade - 1) when `grades` is given."""
    if grades:
        gains = {d: 2 ** g - 1 for d, g in grades.items() if g > 0}
        dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
        ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains.values(), reverse=True)[:k]))
        return dcg / ideal if ideal else 0.0
    rel = set(relevant)
    if not rel:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in rel)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(rel), k)))
    return dcg / ideal


def recall_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant documents found in the top k."""
    rel = set(relevant)
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


def mrr_at(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """Reciprocal rank of the first relevant document within the top k, else 0."""
    rel = set(relevant)
    for i, d in enumerate(ranked[:k]):
        if d in rel:
            return 1.0 / (i + 1)
    return 0.0


def score_run(run: dict[str, list[str]], queries: Sequence[Query], mode: str = "", seconds: float = 0.0) -> EvalResult:
    """Mean metrics of a run (query id -> ranked doc ids) over the queries that have relevant documents."""
    judged = [q for q in queries if q.relevant]
    n = len(judged) or 1
    mean = lambda f: sum(f(run.get(q.id, []), q.relevant) for q in judged) / n  # noqa: E731
    return EvalResult(
        mode=mode,
        queries=len(judged),
        ndcg10=sum(ndcg_at(run.get(q.id, []), q.relevant, 10, q.grades) for q in judged) / n,
        recall10=mean(lambda r, rel: recall_at(r, rel, 10)),
        recall100=mean(lambda r, rel: recall_at(r, rel, 100)),
        mrr10=mean(lambda r, rel: mrr_at(r, rel, 10)),
        seconds=seconds,
        run=run,
    )


def evaluate(library, queries: Sequence[Query], modes: Sequence[str], k: int = 100, lang: str | None = None) -> list[EvalResult]:
    """Run every query through each mode of `library` and score the document rankings.

    Documents read from JSONL records are scored under their records' ids, whether the index scoped
    them by file ("corpus:law-1") or kept them global ("law-1").
    """
    record = library.record_ids()
    results = []
    for mode in modes:
        run: dict[str, list[str]] = {}
        t0 = time.perf_counter()
        for q in queries:
            run[q.id] = [record.get(d, d) for d, _ in library.rank_documents(q.text, k=k, mode=mode, lang=lang)]
        results.append(score_run(run, queries, mode, time.perf_counter() - t0))
    return results


def write_run(path: str | Path, results: Sequence[EvalResult]) -> None:
    """One JSON line per query and mode: {"query_id", "mode", "doc_ids"}."""
    with open(path, "w", encoding="utf-8") as f:
        for res in results:
            for qid, docs in res.run.items():
                f.write(json.dumps({"query_id": qid, "mode": res.mode, "doc_ids": docs}, ensure_ascii=False) + "\n")


def evaluate_library(library, queries, modes: Sequence[str], k: int = 100, lang: str | None = None) -> list[EvalResult]:
    """`Library.evaluate`: `queries` (a queries.jsonl path or a list of `Query`) checked and scored in each mode."""
    from .search import MODES

    if isinstance(queries, (str, Path)):
        queries = load_queries(queries)
    for mode in modes:
        if mode not in MODES:
            raise GovtextError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    return evaluate(library, queries, modes, k=k, lang=lang)
