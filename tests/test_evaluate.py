"""Evaluation metrics against hand-computed values, and `govtext eval` end to end."""
import json
import math

import pytest

from pipeline.evaluate import Query, load_queries, mrr_at, ndcg_at, recall_at, score_run
from pipeline.errors import GovtextError

# ranked: d3 d1 d7 d2 ; relevant: d1, d2, d9
RANKED = ["d3", "d1", "d7", "d2"]
RELEVANT = {"d1", "d2", "d9"}


def test_ndcg_hand_computed():
    dcg = 1 / math.log2(3) + 1 / math.log2(5)  # hits at ranks 2 and 4
    idcg = 1 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)  # three relevant documents
    assert ndcg_at(RANKED, RELEVANT, 10) == pytest.approx(dcg / idcg)
    assert ndcg_at(RANKED, RELEVANT, 10) == pytest.approx(0.4982, abs=1e-4)
    assert ndcg_at(["d1", "d2", "d9"], RELEVANT) == pytest.approx(1.0)
    assert ndcg_at(RANKED, RELEVANT, 1) == 0.0


@pytest.mark.parametrize(
    "k, expected", [(1, 0.0), (2, 1 / 3), (4, 2 / 3), (100, 2 / 3)],
)
def test_recall(k, expected):
    assert recall_at(RANKED, RELEVANT, k) == pytest.approx(expected)


@pytest.mark.parametrize("ranked, expected", [(RANKED, 0.5), (["d2"], 1.0), (["x"] * 10 + ["d1"], 0.0)])
def test_mrr(ranked, expected):
    assert mrr_at(ranked, RELEVANT, 10) == pytest.approx(expected)


def test_score_run_means_and_skips_unjudged():
    queries = [Query("q1", "a", frozenset(RELEVANT)), Query("q2", "b", frozenset({"d5"})), Query("q3", "c", frozenset())]
    res = score_run({"q1": RANKED, "q2": ["d5"]}, queries, "lexical")
    assert res.queries == 2
    assert res.mrr10 == pytest.approx((0.5 + 1.0) / 2)
    assert res.recall10 == pytest.approx((2 / 3 + 1.0) / 2)
    assert res.ndcg10 == pytest.approx((0.4982 + 1.0) / 2, abs=1e-4)


def test_load_queries_errors(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": 1, "text": "x", "relevant": [2]}\n{"id": 2}\n')
    with pytest.raises(GovtextError, match="q.jsonl:2"):
        load_queries(bad)
    bad.write_text('{"id": 1, "text": "x", "relevant": [2]}\n')
    assert load_queries(bad) == [Query("1", "x", frozenset({"2"}))]


@pytest.mark.slow
def test_eval_command_and_run_file(demo_library, tmp_path):
    from test_cli import govtext

    lib, _ = demo_library
    docs = {d["source"].rsplit("/", 1)[-1]: d["doc_id"] for d in lib.documents()}
    queries = tmp_path / "queries.jsonl"
    rows = [
        {"id": "q1", "text": "一征三议两公开", "relevant": [docs["zh_erqi_old-neighbourhoods.txt"]]},
        {"id": "q2", "text": "Ban quản trị nhà chung cư", "relevant": [docs["vi_nghi-quyet_giang-bien_2021.txt"]]},
    ]
    queries.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    run = tmp_path / "run.jsonl"
    out = govtext("eval", "--queries", str(queries), "--mode", "all", "--run", str(run), "--json", index=lib.path)
    assert out.returncode == 0, out.stderr
    results = {r["mode"]: r for r in json.loads(out.stdout)}
    assert set(results) == {"hybrid", "dense", "lexical"}
    assert results["hybrid"]["mrr@10"] == 1.0 and results["hybrid"]["ndcg@10"] == 1.0
    lines = [json.loads(line) for line in run.read_text().splitlines()]
    assert len(lines) == 6 and {line["mode"] for line in lines} == {"hybrid", "dense", "lexical"}
    for line in lines:
        assert set(line) == {"query_id", "mode", "doc_ids"}
        assert len(line["doc_ids"]) == len(set(line["doc_ids"])) <= 5  # unique
        if line["mode"] == "dense":
            assert len(line["doc_ids"]) == 5  # every document has a vector
    # the run file rescored independently gives the reported numbers
    from pipeline.evaluate import load_queries

    qs = load_queries(queries)
    for mode, res in results.items():
        mine = score_run({l["query_id"]: l["doc_ids"] for l in lines if l["mode"] == mode}, qs)
        assert round(mine.ndcg10, 4) == res["ndcg@10"] and round(mine.mrr10, 4) == res["mrr@10"]


def test_graded_relevance_is_read_and_weighs_ndcg(tmp_path):
    from pipeline.evaluate import load_queries, ndcg_at, score_run

    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "q1", "text": "业主委员会", "relevant": {"a": 2, "b": 1, "c": 0}}\n', encoding="utf-8")
    (q,) = load_queries(path)
    assert q.relevant == {"a", "b"} and q.grades == {"a": 2, "b": 1, "c": 0}
    # gains 3 and 1: the answering document first is ideal, the on-topic one first is not
    assert ndcg_at(["a", "b"], q.relevant, 10, q.grades) == 1.0
    worse = ndcg_at(["b", "a"], q.relevant, 10, q.grades)
    assert abs(worse - (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))) < 1e-9
    assert score_run({"q1": ["b", "a"]}, [q]).ndcg10 == worse
