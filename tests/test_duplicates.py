"""Near-duplicate detection: shingles, MinHash signatures, LSH groups kept in the manifest."""
import itertools
from pathlib import Path

import numpy as np
import pytest

from pipeline.duplicates import (
    THRESHOLD,
    THRESHOLDS,
    DuplicateGroups,
    NearDuplicates,
    estimated_jaccard,
    indexable_text,
    jaccard,
    shingles,
    signature,
)
from pipeline.index import Manifest
from pipeline.types import Document

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def text(name: str) -> str:
    return (CORPORA / name).read_text(encoding="utf-8")


def repost(body: str, header: str, edits: dict[str, str] = {}) -> str:  # noqa: B006 (read only)
    """`body` as another site would repost it: its own header line, a few words changed."""
    for old, new in edits.items():
        body = body.replace(old, new)
    return f"{header}\n\n{body}"


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("居民自治工作", "zh", {"居 民 自 治 工", "民 自 治 工 作"}),  # character 5-grams
        ("Ban quản trị nhà chung cư", "vi", {"ban quản trị nhà", "quản trị nhà chung", "trị nhà chung cư"}),
        ("居民", "zh", {"居 民"}),  # shorter than one shingle: one shingle of what there is
        ("", "vi", set()),
    ],
)
def test_shingles(text, lang, expected):
    assert shingles(text, lang) == expected


@pytest.mark.parametrize(
    "a, b, lang",
    [
        ("Ban Quản Trị, nhà chung cư họp.", "ban quản trị nhà   chung cư họp", "vi"),  # case, punctuation, spacing
        ("業主委員會應當召開區分所有權人會議", "业主委员会应当召开区分所有权人会议", "zh"),  # traditional = simplified
        ("第一条　为了规范物业管理活动", "第一条 为了规范物业管理活动。", "zh"),  # full-width space, full stop
    ],
)
def test_shingles_ignore_what_does_not_change_the_content(a, b, lang):
    assert shingles(a, lang) == shingles(b, lang)


def test_short_texts_get_no_signature():
    assert signature("Thông báo", "vi") is None
    assert signature("关于召开会议的通知", "zh") is None
    assert signature(text("zh_erqi_old-neighbourhoods.txt"), "zh").dtype == np.uint32


@pytest.mark.parametrize(
    "name, lang, header, edits",
    [
        ("zh_erqi_old-neighbourhoods.txt", "zh", "来源：郑州日报 2023-05-06 转载", {"二七区": "二七新区"}),
        ("vi_thanh-xuan_chung-cu-cu_2022.txt", "vi", "Nguồn: Báo Kinh tế & Đô thị", {"năm 2022": "năm 2023"}),
    ],
)
def test_a_repost_is_a_near_duplicate_and_other_documents_are_not(name, lang, header, edits):
    original = text(name)
    copy = repost(original, header, edits)
    a, b = signature(original, lang), signature(copy, lang)
    exact = jaccard(shingles(original, lang), shingles(copy, lang))
    assert exact > 0.9 and abs(estimated_jaccard(a, b) - exact) < 0.1
    groups = NearDuplicates({"original": a, "repost": b}).groups()
    assert groups["original"] == groups["repost"] == "original"
    for other in sorted(CORPORA.glob("*.txt")):
        if other.name != name:
            sig = signature(other.read_text(encoding="utf-8"), other.name[:2])
            assert estimated_jaccard(a, sig) < 0.1, other.name


def test_a_quarter_of_a_document_is_not_a_near_duplicate_of_it():
    full = text("zh_erqi_old-neighbourhoods.txt")
    paragraphs = full.split("\n\n")
    part = "\n\n".join(paragraphs[: len(paragraphs) // 4])
    nd = NearDuplicates({"full": signature(full, "zh"), "part": signature(part, "zh")})
    assert estimated_jaccard(nd.signatures["full"], nd.signatures["part"]) < THRESHOLD
    assert nd.groups() == {"full": "full", "part": "part"}


def _chain() -> dict[str, np.ndarray]:
    """Three versions of one report, each a few paragraphs on from the last: a~b and b~c, but not a~c."""
    paragraphs = [p for p in text("zh_erqi_old-neighbourhoods.txt").split("\n\n") if len(p) > 20]
    n = len(paragraphs)
    a = "\n\n".join(paragraphs[: n * 70 // 100])  # a~b and b~c: Jaccard about 0.65; a~c: 0.4
    b = "\n\n".join(paragraphs[n * 15 // 100 : n * 85 // 100])
    c = "\n\n".join(paragraphs[n * 30 // 100 :])
    return {"a": signature(a, "zh"), "b": signature(b, "zh"), "c": signature(c, "zh")}


def test_groups_are_connected_components_whatever_the_insertion_order():
    sigs = _chain()
    nd = NearDuplicates(sigs, threshold=0.5)
    assert nd.linked("a", "b") and nd.linked("b", "c") and not nd.linked("a", "c")
    expected = {"a": "a", "b": "a", "c": "a"}
    for order in itertools.permutations(sigs):
        groups = DuplicateGroups(Manifest(":memory:"), threshold=0.5)
        for doc_id in order:
            groups.add(doc_id, sigs[doc_id])
        assert groups.manifest.groups_of(sigs) == expected, order


def test_removing_the_link_splits_the_group():
    sigs = _chain()
    groups = DuplicateGroups(Manifest(":memory:"), threshold=0.5)
    for doc_id, sig in sigs.items():
        groups.add(doc_id, sig)
    groups.remove(["b"])
    assert groups.manifest.groups_of(["a", "c"]) == {"a": "a", "c": "c"}
    groups.add("b", sigs["b"])
    assert set(groups.manifest.groups_of(sigs).values()) == {"a"}
    groups.remove(["a"])  # the group is named by its smallest member: it is renamed
    assert groups.manifest.groups_of(["b", "c"]) == {"b": "b", "c": "b"}
    assert groups.manifest.duplicate_groups() == {"b": ["b", "c"]}


def test_groups_and_signatures_persist_and_adding_again_changes_nothing(tmp_path):
    sigs = _chain()
    m = Manifest(tmp_path / "m.sqlite")
    groups = DuplicateGroups(m, threshold=0.5)
    groups.add("a", sigs["a"])
    groups.add("b", sigs["b"])
    groups.add("short", None)  # too short to compare: alone, but recorded
    m.close()
    m = Manifest(tmp_path / "m.sqlite")
    reopened = DuplicateGroups(m, threshold=0.5)  # the LSH is rebuilt from the stored signatures
    assert reopened.add("c", sigs["c"]) == "a"
    before = m.groups_of(["a", "b", "c", "short"])
    assert before == {"a": "a", "b": "a", "c": "a", "short": "short"}
    assert reopened.add("b", sigs["b"]) == "a"
    assert m.groups_of(["a", "b", "c", "short"]) == before
    assert m.counts()["near_duplicate_groups"] == 1 and m.counts()["near_duplicate_documents"] == 3


def test_a_new_threshold_regroups_the_stored_signatures(tmp_path):
    sigs = _chain()
    m = Manifest(tmp_path / "m.sqlite")
    groups = DuplicateGroups(m, threshold=0.5)
    for doc_id, sig in sigs.items():
        groups.add(doc_id, sig)
    strict = DuplicateGroups(m, threshold=0.95)
    strict.index  # noqa: B018 (opening compares the stored threshold)
    assert m.groups_of(sigs) == {"a": "a", "b": "b", "c": "c"}
    assert m.get_info("near_dup_threshold") == "0.95"


def test_each_language_has_its_threshold_and_a_mixed_pair_needs_the_stricter():
    sigs = _chain()  # a~b and b~c about 0.65, a~c about 0.4
    est = estimated_jaccard(sigs["a"], sigs["c"])
    assert 0.3 <= est < 0.5
    thresholds = {"zh": 0.3, "vi": 0.5}
    same = NearDuplicates(sigs, thresholds, {"a": "zh", "b": "zh", "c": "zh"})
    assert same.linked("a", "c") and same.threshold_for("a", "c") == 0.3
    mixed = NearDuplicates(sigs, thresholds, {"a": "zh", "b": "zh", "c": "vi"})
    assert not mixed.linked("a", "c") and mixed.threshold_for("a", "c") == 0.5
    assert NearDuplicates(sigs, thresholds).threshold_for("a", "c") == THRESHOLD  # language unknown
    assert THRESHOLDS["zh"] < THRESHOLDS["vi"]


def test_languages_are_stored_with_the_signatures(tmp_path):
    sigs = _chain()
    m = Manifest(tmp_path / "m.sqlite")
    groups = DuplicateGroups(m, {"zh": 0.3})
    groups.add("a", sigs["a"], "zh")
    groups.add("c", sigs["c"], "zh")
    assert m.groups_of(["a", "c"]) == {"a": "a", "c": "a"}  # linked at 0.3 only
    assert m.signature_langs() == {"a": "zh", "c": "zh"}
    m.close()
    m = Manifest(tmp_path / "m.sqlite")
    strict = DuplicateGroups(m, {"zh": 0.5})  # another setting: regrouped from what is stored
    strict.index  # noqa: B018
    assert m.groups_of(["a", "c"]) == {"a": "a", "c": "c"}
    assert m.get_info("near_dup_threshold") == "zh=0.5"


def test_deleting_a_document_from_the_manifest_forgets_its_signature(tmp_path):
    m = Manifest(tmp_path / "m.sqlite")
    m.put_document(Document("d1", "x"), "sha", "ok")
    m.put_signature("d1", _chain()["a"])
    m.delete_document("d1")
    assert m.signatures() == {} and m.groups_of(["d1"]) == {}


def test_indexable_text_leaves_out_skipped_spans():
    assert indexable_text("title\ncaption\nbody\ncaption", [(6, 13), (19, 26)]) == "title\n\n\nbody\n\n"
    assert indexable_text("abc") == "abc"


def test_real_reposts_and_versions_from_the_shared_corpora(shared_dir):
    """Pairs labelled by hand in bench/data/near-dup-pairs.jsonl: a petition posted twice, two versions of a law."""
    import json

    wanted = {
        "tipdm-附件3-190077", "tipdm-附件3-274826",  # the same petition, posted twice
        "lawref-宪法相关法_全国人民代表大会和地方各级人民代表大会代表法_2015-08-29_",
        "lawref-宪法相关法_全国人民代表大会和地方各级人民代表大会代表法_2025-03-11_",
    }
    docs = {}
    with open(shared_dir / "corpora" / "zh-gov" / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["id"] in wanted:
                docs[record["id"]] = signature(record["text"], "zh")
    assert set(docs) == wanted
    groups = NearDuplicates(docs).groups()
    assert groups["tipdm-附件3-190077"] == groups["tipdm-附件3-274826"]
    laws = sorted(d for d in docs if d.startswith("lawref"))
    assert groups[laws[0]] == groups[laws[1]] != groups["tipdm-附件3-190077"]
