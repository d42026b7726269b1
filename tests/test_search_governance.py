"""Cross-lingual search on real governance text: the examples a new user tried, on a small real index.

The index holds the five seed documents plus 52 records of ../shared/corpora (ids below, read at
test time; no corpus text is kept here): for each example query, what a search of the whole
corpora ranked first, and the documents that once pulled the results off topic (commune mergers,
foreign home ownership, 景宁畲族自治县, congress supervision and tax laws). The relevant sets were
judged by reading the documents, not taken from the system's output.
"""
import json

import pytest

from pipeline.api import Library

# ---------------------------------------------------------------- the slice of ../shared/corpora

BQT = {  # Vietnamese: apartment-building boards (Ban quản trị nhà chung cư) and their buildings
    "tvpl-3e95ac45e28dae86", "tvpl-b27eff1d1f087cd0", "tvpl-680cdac4b12d6020", "tvpl-7505312527754a83",
    "tvpl-a228c2c979b24a5b", "tvpl-b98826bb006a03af", "tvpl-5ed9620237afd5c9", "tvpl-dccf36b60090ff39",
}
COMMUNE_MERGERS = {"tvpl-aade5195f098f715", "tvpl-9f6375a580e42b10", "tvpl-fcdbf74b58368f58", "tvpl-53a72dc72ad0f875"}
FOREIGN_OWNERS = {"tvpl-e47620472e66d985", "tvpl-6f464368cc4d3c77", "tvpl-2cce5d098ea713ed", "tvpl-f6030e08698e5feb"}
VI_GRASSROOTS = {"tvpl-b98310e74b2df75a", "tvpl-2334eb92451923dc"}  # village and street-group heads, neighbourhood groups
VI_OTHER = {
    "tvpl-e0d71a8fa436fc11", "tvpl-ae250073812df47c", "tvpl-03c3172b745721d6", "tvpl-aa48e687126ccd6d",
    "tvpl-3503c5205a48299c", "tvpl-4f32d30e9d7c990d", "tvpl-72ab2874a18cfeb8", "tvpl-891dc5afc99c6fcb",
    "baomoi-21478584", "baomoi-22627851", "baomoi-22685512", "baomoi-22692174",
}
_LAW = "lawref-DLC_{}地方法规_地方性法规_{}_{}"
ZH_SELF_GOVERNANCE = {  # residents' and villagers' committees, resident self-governance
    _LAW.format("上海", "上海", "上海市居民委员会工作条例_2020-05-14_"),
    _LAW.format("北京", "北京", "北京市实施_城市居民委员会组织法_办法"),
    "lawref-宪法相关法_城市居民委员会组织法_2018-12-29_",
    _LAW.format("上海", "上海", "上海市实施_村民委员会组织法_办法_2020-05-14_"),
    _LAW.format("山东", "山东", "山东省实施_村民委员会组织法_办法_2012-11-29_"),
    _LAW.format("河南", "河南", "河南省实施_村民委员会组织法_办法"),
    _LAW.format("浙江", "浙江", "浙江省实施_村民委员会组织法_办法_2020-07-31_"),
}
JINGNING = {  # 自治县: an autonomous county, a false friend of tự quản (self-management)
    _LAW.format("浙江", "浙江", "浙江省景宁畲族自治县自治条例_2021-06-15_"),
    _LAW.format("浙江", "浙江", "景宁畲族自治县城市管理条例_2015-06-08_"),
    _LAW.format("浙江", "浙江", "景宁畲族自治县水资源管理条例_2021-06-15_"),
    _LAW.format("浙江", "浙江", "景宁畲族自治县荣誉市民条例_2021-06-15_"),
}
SUPERVISION_AND_TAX = {  # congress supervision and inspection, business environment, tax collection
    "lawref-宪法相关法_各级人民代表大会常务委员会监督法_2024-11-08_",
    _LAW.format("浙江", "浙江", "浙江省各级人民代表大会常务委员会监督条例_2008-11-28_"),
    _LAW.format("河南", "河南", "河南省实施_各级人民代表大会常务委员会监督法_办法_2015-10-22_"),
    _LAW.format("北京", "北京", "北京市各级人民代表大会常务委员会检查法律法规实施情况办法"),
    _LAW.format("上海", "上海", "上海市人民代表大会常务委员会议事规则"),
    _LAW.format("山东", "山东", "青岛市优化营商环境条例_2021-01-28_"),
    _LAW.format("上海", "上海", "上海市优化营商环境条例_2024-09-27_"),
    "lawref-行政法规_优化营商环境条例_2019-10-22_",
    "lawref-经济法_税收征收管理法_2015-04-24_",
}
ZH_PROPERTY = {_LAW.format("山东", "山东", "淄博市物业管理条例_2021-10-08_"),
               _LAW.format("山东", "山东", "聊城市物业管理条例_2021-01-29_")}
SLICE = (BQT | COMMUNE_MERGERS | FOREIGN_OWNERS | VI_GRASSROOTS | VI_OTHER | ZH_SELF_GOVERNANCE | JINGNING
         | SUPERVISION_AND_TAX | ZH_PROPERTY)

# the seeds (corpora/*.txt), by their content ids
GIANG_BIEN = "2c2ec65e4ed1f711"  # a ward party committee's resolution on grassroots democracy
ZH_SEEDS = {"9c8c2597d5ed9036", "a34b46323fa26f32", "cd20278491a42e4a"}  # Changning, Jiuliting, Erqi: 居民自治


@pytest.fixture(scope="module")
def lib(embedder, shared_dir, tmp_path_factory):
    from pathlib import Path

    root = tmp_path_factory.mktemp("governance")
    records = root / "slice.jsonl"
    with open(records, "w", encoding="utf-8") as out:
        for name in ("vi-gov", "zh-gov"):
            with open(shared_dir / "corpora" / name / "corpus.jsonl", encoding="utf-8") as f:
                out.writelines(line for line in f if json.loads(line)["id"] in SLICE)
    library = Library(root / "index", embedder=embedder, create=True)
    report = library.ingest([Path(__file__).resolve().parents[1] / "corpora", records], global_ids=True)
    assert report.documents == len(SLICE) + 5 and not report.failed
    return library


def top(lib, query, lang, k=5):
    return list(lib.search(query, k=k, lang=lang))


def test_the_slice_is_all_there(lib):
    ids = {d["doc_id"] for d in lib.documents()}
    assert SLICE | ZH_SEEDS | {GIANG_BIEN} <= ids


@pytest.mark.slow
def test_owners_committee_in_chinese_finds_vietnamese_apartment_boards(lib):
    """业主委员会 --lang vi was 0 of 5 (task lists, foreign home ownership, commune mergers)."""
    hits = top(lib, "业主委员会", "vi")
    ids = [h.doc_id for h in hits]
    assert len(set(ids) & BQT) >= 4, ids
    assert not set(ids) & (COMMUNE_MERGERS | FOREIGN_OWNERS)
    strong = [h.doc_id for h in hits if not h.weak]
    assert strong and set(strong) <= BQT


@pytest.mark.slow
def test_resident_self_governance_in_chinese_shows_no_confident_commune_merger(lib):
    """居民自治 --lang vi was 0 of 5 commune-merger resolutions. The slice has no Vietnamese text on
    self-governance as such: nothing off topic may be shown as a strong match."""
    hits = top(lib, "居民自治", "vi")
    assert not {h.doc_id for h in hits} & COMMUNE_MERGERS
    assert all(h.weak or h.doc_id in VI_GRASSROOTS | {GIANG_BIEN} for h in hits), [(h.doc_id, h.relevance) for h in hits]


@pytest.mark.slow
def test_grid_management_without_a_vietnamese_counterpart_is_no_strong_match(lib):
    """网格化管理 --lang vi showed a diplomacy news item at 0.65: no document here is about grid management."""
    hits = top(lib, "网格化管理", "vi")
    assert hits and all(h.weak for h in hits), [(h.doc_id, h.relevance) for h in hits]
    assert "baomoi-22692174" not in {h.doc_id for h in hits}  # the diplomacy item


@pytest.mark.slow
def test_vietnamese_self_management_finds_chinese_self_governance_not_an_autonomous_county(lib):
    """'tự quản của cộng đồng dân cư' --lang zh ranked 景宁畲族自治县 first (a false friend on 自治)."""
    hits = top(lib, "tự quản của cộng đồng dân cư", "zh")
    ids = [h.doc_id for h in hits]
    assert len(set(ids) & (ZH_SELF_GOVERNANCE | ZH_SEEDS)) >= 4, ids
    assert not set(ids) & JINGNING
    assert all(h.doc_id in ZH_SELF_GOVERNANCE | ZH_SEEDS for h in hits if not h.weak)


@pytest.mark.slow
def test_compare_puts_chinese_self_governance_in_its_chinese_column(lib):
    """compare 'tự quản của cộng đồng dân cư' had 4 of 5 in the Chinese column: it must stay so."""
    column = lib.compare("tự quản của cộng đồng dân cư", k=5).results["zh"]
    assert len({h.doc_id for h in column} & (ZH_SELF_GOVERNANCE | ZH_SEEDS)) >= 4


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="the glossary covers only 'kiểm tra' (检查) of the slogan, and dense "
                   "similarity puts congress supervision (监督) and inspection laws first, shown as strong")
def test_the_four_people_slogan_is_not_answered_by_supervision_and_tax_laws(lib):
    """'dân biết, dân bàn, dân làm, dân kiểm tra' --lang zh showed 执法检查 everywhere."""
    hits = top(lib, "dân biết, dân bàn, dân làm, dân kiểm tra", "zh")
    assert not [h.doc_id for h in hits if not h.weak and h.doc_id in SUPERVISION_AND_TAX]


# ---------------------------------------------------------------- pseudo-relevance feedback across languages


def _rankings(lib, query, lang):
    searcher = lib.searcher
    searcher.search(searcher.analyse(query), k=5, lang=lang, bridge=True)
    rankings, rows, _ = searcher.last_rankings
    return {r.mode: [rows[c].doc_id for c, _ in r.items if c in rows] for r in rankings}


@pytest.mark.slow
def test_feedback_carries_a_chinese_query_to_vietnamese_through_its_best_chinese_documents(lib):
    """业主委员会: the best Chinese documents name owners' assemblies, property services and the like;
    their glossary translations, searched in Vietnamese, find the apartment-board documents."""
    docs = _rankings(lib, "业主委员会", "vi")["feedback"]
    first = list(dict.fromkeys(docs))[:5]
    assert len(set(first) & BQT) >= 3, first
    assert not set(first) & COMMUNE_MERGERS


@pytest.mark.slow
def test_feedback_from_vietnamese_self_management_avoids_the_autonomous_county(lib):
    docs = _rankings(lib, "tự quản của cộng đồng dân cư", "zh")["feedback"]
    first = list(dict.fromkeys(docs))[:5]
    assert len(set(first) & (ZH_SELF_GOVERNANCE | ZH_SEEDS)) >= 3, first
    assert not set(first) & JINGNING


@pytest.mark.slow
def test_feedback_only_across_languages_and_only_when_weighted(lib):
    assert "feedback" not in _rankings(lib, "业主委员会", "zh")  # the query's own language
    assert "feedback" not in _rankings(lib, "业主委员会", None)  # both languages: not bridged
    searcher = lib.searcher
    searcher.search(searcher.analyse("业主委员会"), k=5, mode="dense", lang="vi", bridge=True)
    assert [r.mode for r in searcher.last_rankings[0]] == ["dense"]  # the dense mode stays dense alone
    searcher = lib.searcher
    searcher.feedback_weight = 0.0
    searcher.search(searcher.analyse("业主委员会"), k=5, lang="vi", bridge=True)
    assert "feedback" not in {r.mode for r in searcher.last_rankings[0]}
