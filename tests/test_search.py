"""Fusion, grouping helpers and highlighting of the search stage."""
import pytest

from pipeline.search import Ranking, fuse, highlight_spans, highlight_terms


def test_fuse_rewards_agreement():
    dense = Ranking("dense", (("a", 0.9), ("b", 0.8), ("c", 0.7)))
    lexical = Ranking("lexical", (("c", 12.0), ("b", 5.0), ("d", 1.0)))
    fused = fuse([dense, lexical])
    assert {cid for cid, _ in fused[:2]} == {"b", "c"}  # in both lists beats first in one
    assert [cid for cid, _ in fused[2:]] == ["a", "d"]
    assert dict(fused)["b"] == pytest.approx(1 / 62 + 1 / 62)


def test_fuse_weights():
    dense = Ranking("dense", (("a", 0.9),))
    lexical = Ranking("lexical", (("b", 3.0),))
    assert fuse([dense, lexical], {"dense": 2.0})[0][0] == "a"
    assert fuse([dense, lexical], {"lexical": 2.0})[0][0] == "b"


@pytest.mark.parametrize(
    "words, expected",
    [
        (["ban_quản_trị", "nhà_chung_cư", "a"], ["ban quản trị", "nhà chung cư"]),
        (["一征三议两公开", "在"], ["一征三议两公开"]),  # no 在 marked all over the passage
        (["居民委员会", "的", "职责", "是", "什么"], ["居民委员会", "职责", "什么"]),
        (["房"], ["房"]),  # a one-character query still marks its character
        (["Đảng", "ủy", "的"], ["Đảng", "ủy"]),
    ],
)
def test_highlight_terms(words, expected):
    assert highlight_terms(words) == expected


@pytest.mark.parametrize(
    "text, terms, expected",
    [
        ("推行一征三议两公开工作法", ["一征三议两公开"], ["一征三议两公开"]),
        ("Ban Quản Trị nhà chung cư", ["ban quản trị"], ["Ban Quản Trị"]),
        ("quản trị và quản lý", ["quản"], ["quản", "quản"]),
        ("chung cư cũ", ["cư"], ["cư"]),  # whole syllables only: not the "cư" inside another word
        ("老旧小区改造和小区", ["老旧小区改造", "小区"], ["老旧小区改造", "小区"]),  # longest first, no overlap
        ("ＡＢＣ规定", ["abc"], ["ＡＢＣ"]),
        # the other Chinese script: the original characters are marked
        ("公寓大廈應成立管理委員會。", ["管理委员会"], ["管理委員會"]),
        ("业主委员会执行决定", ["業主委員會"], ["业主委员会"]),
        # a query without tone marks marks the syllables with them
        ("Ban Quản Trị nhà chung cư", ["ban quan tri", "chung cu"], ["Ban Quản Trị", "chung cư"]),
        # but a query with tone marks keeps to them: "quan" is not "quận"
        ("Quận ủy và ban quản trị", ["quản trị", "quan"], ["quản trị"]),
    ],
)
def test_highlight_spans(text, terms, expected):
    offset = 100
    spans = highlight_spans(text, offset, terms)
    assert [text[s - offset : e - offset] for s, e in spans] == expected


def test_fusion_keeps_lexical_matches_in_the_query_language_only():
    from pipeline.search import same_language_lexical

    from pipeline.index.manifest import ChunkRow

    rows = {"vi1": ChunkRow("vi1", "d1", 0, "vi", 0, 5, None, ()), "zh1": ChunkRow("zh1", "d2", 0, "zh", 0, 5, None, ())}
    lexical = Ranking("lexical", (("vi1", 3.0), ("zh1", 2.0)))
    assert [c for c, _ in same_language_lexical(lexical, "zh", rows).items] == ["zh1"]
    assert [c for c, _ in same_language_lexical(lexical, "vi", rows).items] == ["vi1"]
    assert same_language_lexical(lexical, "other", rows) == lexical  # no language: keep all
    dense = Ranking("dense", (("vi1", 0.9),))
    assert same_language_lexical(dense, "zh", rows) == dense


def test_fuse_scores_normalises_each_ranking():
    from pipeline.search import fuse_scores

    dense = Ranking("dense", (("a", 0.90), ("b", 0.89), ("c", 0.80)))
    lexical = Ranking("lexical", (("c", 30.0), ("b", 29.0), ("d", 1.0)))
    fused = dict(fuse_scores([dense, lexical]))
    assert fused["a"] == pytest.approx(0.5)  # top of dense, absent from lexical
    assert fused["b"] == pytest.approx(0.5 * 0.9 + 0.5 * 28 / 29)
    assert fused["c"] == pytest.approx(0.5)
    assert fused["d"] == pytest.approx(0.0)
    assert max(fused, key=fused.get) == "b"  # close second in both beats first in one
    assert fuse_scores([Ranking("dense", (("x", 0.7),))]) == [("x", 0.5)]
    assert fuse_scores([Ranking("lexical", ())]) == []


def test_hybrid_reaches_the_other_language_through_sino_vietnamese(demo_library):
    lib, _ = demo_library
    searcher = lib.searcher
    rankings = {r.mode: r for r in searcher.rankings("tự quản của cư dân", "hybrid", 50)}
    assert set(rankings) == {"dense", "lexical", "crosslingual"}
    rows = lib.manifest.chunk_rows(c for c, _ in rankings["crosslingual"].items)
    assert rankings["crosslingual"].items and {r.lang for r in rows.values()} == {"zh"}
    # a Chinese query reaches Vietnamese chunks the same way
    across = {r.mode: r for r in searcher.rankings("居民自治", "hybrid", 50)}["crosslingual"]
    rows = lib.manifest.chunk_rows(c for c, _ in across.items)
    assert across.items and {r.lang for r in rows.values()} == {"vi"}
    # filtering to the query's own language leaves nothing for the bridge to do
    assert "crosslingual" not in {r.mode for r in searcher.rankings("居民自治", "hybrid", 50, lang="zh")}
    assert "crosslingual" not in {r.mode for r in searcher.rankings("居民自治", "dense", 50)}


def test_dense_query_is_centred_like_the_stored_passages(demo_library):
    import numpy as np

    lib, _ = demo_library
    query = "cải tạo chung cư cũ"
    raw = lib.embedder.embed_query(query)
    centred = lib.centering.query(raw, "vi")
    assert abs(float(np.linalg.norm(centred)) - 1.0) < 1e-5
    assert float(raw @ centred) < 0.999  # the centring moved it
    top_chunk, score = lib.searcher.rankings(query, "dense", 1)[0].items[0]
    stored = lib.vectors.vectors_of([top_chunk])[top_chunk]
    assert abs(float(np.asarray(stored) @ centred) - score) < 1e-3


def test_collapse_groups_keeps_the_best_ranked_member_of_each_group():
    from pipeline.search import collapse_groups

    ranked = [("b", [("b1", 0.9)]), ("x", [("x1", 0.8)]), ("a", [("a1", 0.7), ("a2", 0.1)]), ("c", [("c1", 0.5)])]
    groups = {"a": "a", "b": "a", "c": "a", "x": "x"}  # a, b, c: one group named by its smallest id
    kept, members = collapse_groups(ranked, groups)
    assert [d for d, _ in kept] == ["b", "x"]  # b stands for its group, where it ranked first
    assert members == {"a": [("b", 0.9), ("a", 0.7), ("c", 0.5)], "x": [("x", 0.8)]}
    assert collapse_groups(ranked, {})[0] == ranked  # ungrouped documents are groups of their own


def test_hit_lists_its_similar_documents():
    from pipeline.types import Hit, Passage, Similar

    passage = Passage("c1", "text", 0, 4, 0.9)
    hit = Hit("d1", "Title", "a.txt", "zh", 0.9, (passage,), 1,
              (Similar("d2", "Repost", "b.txt", "zh", 0.5), Similar("d3", "Old version", "c.txt", "zh")))
    assert hit.similar_label == "2 similar documents"
    record = hit.to_dict()
    assert record["similar_count"] == 2
    assert record["similar"][1] == {"doc_id": "d3", "title": "Old version", "source": "c.txt", "lang": "zh", "score": None}
    assert "2 similar documents" in hit._repr_html_() and "Old version" in hit._repr_html_()
    single = Hit("d1", "T", "a", "zh", 0.9, (passage,), 1, (Similar("d2", "R", "b"),))
    assert single.similar_label == "1 similar document"
    alone = Hit("d1", "T", "a", "zh", 0.9, (passage,), 1)
    assert alone.similar_label == "" and "similar" not in alone._repr_html_() and alone.to_dict()["similar"] == []


def test_hits_carry_a_calibrated_relevance_and_weak_ones_are_marked(demo_library):
    from pipeline.calibration import relevance, weak_below

    lib, _ = demo_library
    hits = lib.search("一征三议两公开", k=5)
    assert all(0.0 <= h.relevance <= 1.0 for h in hits)
    # an exact practice name found by every retriever is a strong match; its estimate does not depend on
    # the other hits (min-max scores do)
    assert "二七区" in hits[0].title and not hits[0].weak
    assert relevance(hits[0].evidence) == hits[0].relevance
    # a query on nothing the index holds: every hit is shown as weak
    off = lib.search("bóng đá World Cup", k=3)
    assert off and all(h.weak for h in off)
    across = lib.search("一征三议两公开", k=3, lang="vi")
    assert all(h.evidence["cross"] == 1.0 and h.evidence["query_zh"] == 1.0 for h in across)
    assert 0 < weak_below("zh>vi") < 1 and 0 < weak_below("same") < 1
    assert {"relevance", "weak"} <= set(off[0].to_dict())


# ---------------------------------------------------------------- document scores and feedback terms


@pytest.mark.parametrize("scores, share, expected", [
    ([0.9, 0.5, 0.4, 0.3], 0.1, 0.99),  # the best plus a tenth of the next two; the fourth does not count
    ([0.9, 0.5, 0.4, 0.3], 0.0, 0.9),
    ([0.7], 0.1, 0.7),
])
def test_document_score_adds_a_share_of_the_next_two_passages(scores, share, expected):
    from pipeline.search import document_score

    assert document_score(scores, share) == pytest.approx(expected)


def test_a_document_with_supporting_passages_overtakes_a_single_stray_passage():
    from pipeline.search import document_score

    stray, supported = [0.80], [0.78, 0.6, 0.5]
    assert document_score(stray) > document_score(supported)
    assert document_score(supported, 0.1) > document_score(stray, 0.1)


def test_feedback_terms_counts_documents_not_occurrences_and_translates_through_the_glossary():
    from pipeline.glossary import load_glossary
    from pipeline.search import feedback_terms

    texts = [
        "业主委员会由业主大会选举产生，业主委员会委员任期五年。",
        "业主大会决定共用部位的维修。",
        "业主大会会议可以采用集体讨论的形式。",
    ]
    terms = feedback_terms(load_glossary(), texts, "zh", "vi", n=2)
    # 业主大会 is in all three texts, 业主委员会 in one (twice): the owners' assembly comes first
    assert terms == ["Hội nghị nhà chung cư", "Ban quản trị nhà chung cư"]
    assert feedback_terms(load_glossary(), ["天气很好。"], "zh", "vi") == []


@pytest.mark.parametrize("features, group", [
    ({"cross": 1.0, "query_zh": 1.0}, "zh>vi"),
    ({"cross": 1.0, "query_zh": 0.0}, "vi>zh"),
    ({"cross": 0.0, "query_zh": 1.0}, "zh>zh"),
    ({"cross": 0.0, "query_zh": 0.0}, "vi>vi"),
])
def test_each_search_direction_has_its_own_weak_line(features, group):
    from pipeline.calibration import line_group

    assert line_group(features) == group


def test_a_model_without_a_same_language_line_of_its_own_uses_its_same_line(monkeypatch):
    import pipeline.calibration as cal

    monkeypatch.setattr(cal, "_model", lambda: {"weak_below": {"zh>vi": 0.8, "same": 0.6, "zh>zh": 0.7}})
    assert (cal.weak_below("zh>zh"), cal.weak_below("vi>vi"), cal.weak_below("zh>vi")) == (0.7, 0.6, 0.8)
    assert cal.weak_below("vi>zh") == cal.WEAK_BELOW
