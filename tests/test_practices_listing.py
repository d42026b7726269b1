"""The catalogue's listing model (`pipeline.practices.listing`): its features, its trees, the shipped file,
and what a library lists with it."""
from dataclasses import replace

import numpy as np
import pytest

from pipeline.practices import build_catalogue
from pipeline.practices.listing import FEATURES, ListingModel, entry_features, shipped_model
from pipeline.types import DocMeta

FORMULA = "一征三议两公开"


def test_the_shipped_model_fits_the_features():
    model = shipped_model()
    assert model is not None and model.embedder == "multilingual-e5-small"
    assert model.name_weights.shape == (384,) and model.trees
    assert 0.5 < model.threshold < 1
    assert all(int(t["feature"][~t["leaf"]].max()) <= len(FEATURES) for t in model.trees)  # + the name score


def _one_split(feature: int, at: float, missing_left: bool = True) -> ListingModel:
    """A model of one tree: FEATURES[feature] <= at goes left (-1), else right (+1); no name weight."""
    tree = {"feature": [feature, 0, 0], "threshold": [at, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
            "leaf": [False, True, True], "missing_left": [missing_left, False, False], "value": [0.0, -1.0, 1.0]}
    return ListingModel(ListingModel.to_json(np.zeros(384), 0.0, 0.5, [tree], 0.8))


def test_trees_route_each_row_to_its_leaf():
    model = _one_split(3, 0.25)
    X = np.zeros((3, len(FEATURES)))
    X[1, 3], X[2, 3] = 0.25, np.nan
    X[0, 3] = 0.9
    got = model.predict(X, np.zeros((3, 384)))
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    assert np.allclose(got, [sig(1.5), sig(-0.5), sig(-0.5)])
    assert np.allclose(_one_split(3, 0.25, missing_left=False).predict(X, np.zeros((3, 384)))[2], sig(1.5))


def test_a_model_of_other_features_is_refused():
    data = ListingModel.to_json(np.zeros(384), 0.0, 0.0, [], 0.8)
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="other features"):
        ListingModel(data)


def test_features_read_how_a_name_is_used(make_doc):
    statute = make_doc("第一条 街道办事处应当建立联席会议制度，每季度召开一次。\n第二条 街道办事处应当建立联席会议制度。")
    report = make_doc("二七区推广“红黑榜考评机制”，居民满意率达到95%。\n社区用好“红黑榜考评机制”，效果明显。")
    docs = {statute.id: replace(statute, metadata=DocMeta(doc_type="tiaoli")),
            report.id: replace(report, metadata=DocMeta(doc_type="news"))}
    catalogue = {p.name: p for p in build_catalogue(list(docs.values()), metadata=False)}
    rows = entry_features([catalogue["联席会议制度"], catalogue["红黑榜考评机制"]], docs)
    f = [dict(zip(FEATURES, row)) for row in rows]
    assert f[0]["after a set-up verb"] == 1 and f[0]["in a statute"] == 1 and f[0]["modal"] == 1
    assert f[0]["quoted"] == 0 and f[0]["reported document"] == 0 and f[0]["head 制度"] == 1
    assert f[1]["quoted"] == 1 and f[1]["in a statute"] == 0 and f[1]["reported document"] == 1
    assert f[1]["report verb"] > 0 and f[1]["head 机制"] == 1 and f[1]["kind zh quoted"] == 1
    assert 0 <= f[0]["idf max"] <= 1 and 0 <= f[1]["idf max"] <= 1


@pytest.mark.slow
def test_the_library_lists_confident_entries_and_keeps_the_others(demo_library):
    lib, _ = demo_library
    model = shipped_model()
    everything = lib.practices(include_unlisted=True)
    listed = lib.practices()
    assert all(p.confidence is not None for p in everything)
    assert all(p.listed == (p.confidence >= model.threshold) for p in everything)
    assert [p.name for p in listed] == [p.name for p in everything if p.listed]
    assert listed.unlisted == len(everything) - len(listed) > 0 and everything.unlisted == 0
    assert FORMULA in {p.canonical for p in listed}
    candidate = next(p for p in everything if not p.listed)
    card = lib.practice(candidate.name)  # a card opens for a candidate too, and says what it is
    assert card.practice.canonical == candidate.canonical and "A candidate, not listed" in card.to_text()
