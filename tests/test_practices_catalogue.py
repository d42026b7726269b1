"""The catalogue of the demo corpus, jieba entries and names with two meanings (`pipeline.practices.catalogue`)."""
from __future__ import annotations

import json

import pytest

from pipeline.practices import Practice, build_catalogue, canonical_name, jieba_entries


# ---------------------------------------------------------------- the demo catalogue


@pytest.fixture(scope="module")
def demo_catalogue(corpus_docs) -> list[Practice]:
    return build_catalogue(corpus_docs.values())


def practice(catalogue, name: str) -> Practice:
    found = [p for p in catalogue if p.canonical == canonical_name(name, p.lang)]
    assert found, [p.name for p in catalogue]
    return found[0]


def test_top_chinese_entries(demo_catalogue):
    top = [p.canonical for p in demo_catalogue if p.lang == "zh"][:3]
    assert "一征三议两公开" in top and "三类组织" in top, top


def test_yizheng_definition_and_target(demo_catalogue):
    p = practice(demo_catalogue, "一征三议两公开")
    assert p.kind == "formula" and p.mention_count == 6
    definition = " ".join(d.text for d in p.definitions)
    for part in ("征求群众意见", "三议", "两公开", "知晓率", "参与率", "满意率", "90%以上"):
        assert part in definition, part
    assert any("90%" in o.figure for o in p.outcomes)


def test_yizheng_both_uses_in_erqi(demo_catalogue):
    p = practice(demo_catalogue, "一征三议两公开")
    erqi = [u for u in p.uses if u.source == "zh_erqi_old-neighbourhoods.txt"]
    assert len(erqi) == 6
    assert any("老旧小区整治" in u.passage for u in erqi)               # the renovation
    assert any("智能门禁" in u.passage and "智能" in u.section for u in erqi)  # the access control
    assert {"党组织", "志愿者"} <= {a.type for a in p.actors}
    assert "郑州市" in erqi[0].places


def test_sanlei_zuzhi_defined_by_its_three_organisations(demo_catalogue):
    p = practice(demo_catalogue, "三类组织")
    assert p.mention_count == 3
    assert any("楼院党组织、居民自治组织和志愿服务组织" in d.text for d in p.definitions)


def test_jiuliting_rules_and_outcomes(demo_catalogue):
    names = {p.canonical for p in demo_catalogue}
    assert {"小区停车管理办法", "自治管理委员会制度", "红黑榜考评机制", "联席会议制度"} <= names
    rental = practice(demo_catalogue, "出租公约")
    assert any(o.figure == "100余起" for o in rental.outcomes)
    assert "三合一" not in names  # a problem category, not a practice


def test_vietnamese_entries_from_both_seeds(demo_catalogue):
    vi = {p.canonical: p for p in demo_catalogue if p.lang == "vi"}
    giang_bien = [p for p in vi.values() if any(u.source.startswith("vi_nghi-quyet") for u in p.uses)]
    thanh_xuan = [p for p in vi.values() if any(u.source.startswith("vi_thanh-xuan") for u in p.uses)]
    assert "quy chế phối hợp" in {p.canonical for p in giang_bien}
    assert practice(demo_catalogue, "quy chế phối hợp").mention_count == 2
    assert {"phong trào thi đua yêu nước",
            "đề án cải tạo, xây dựng lại chung cư cũ trên địa bàn tp hà nội"} <= {p.canonical for p in thanh_xuan}


def test_actors_by_type_with_specific_names(demo_catalogue):
    vi = practice(demo_catalogue, "quy chế phối hợp")
    assert {"chi bộ / đảng ủy", "Ban quản trị"} <= {a.type for a in vi.actors}
    zh = practice(demo_catalogue, "红黑榜考评机制")
    party = next(a for a in zh.actors if a.type == "党组织")
    assert "杜巷居民区党支部" in party.names


def test_uses_cite_exact_text(demo_catalogue, corpus_docs):
    by_id = {doc.id: doc for doc in corpus_docs.values()}
    for p in demo_catalogue:
        for u in p.uses:
            text = by_id[u.doc_id].text
            assert text[u.start: u.end] == u.name
            assert text[u.passage_start: u.passage_end] == u.passage
        for d in p.definitions:
            assert by_id[d.doc_id].text[d.start: d.end] == d.text
        for o in p.outcomes:
            assert by_id[o.doc_id].text[o.start: o.end] == o.text and o.figure in o.text


def test_catalogue_is_json_ready(demo_catalogue):
    data = json.loads(json.dumps([p.to_dict() for p in demo_catalogue], ensure_ascii=False))
    assert data[0]["uses"][0]["passage_text"]
    assert all(p["score"] >= 1.5 for p in data)


def test_noise_threshold_drops_weak_names(corpus_docs):
    strict = {p.canonical for p in build_catalogue(corpus_docs.values(), min_score=3.5, metadata=False)}
    assert "一征三议两公开" in strict and "出租公约" not in strict


# ---------------------------------------------------------------- names coordinated under one head

# (sentence, the catalogue's names there): names widened over the conjuncts that share their head,
# and not over laws, norms, facilities or verb phrases listed before them
COORDINATED = [
    ("街道建立投诉、举报处理机制，及时调解纠纷。", {"投诉、举报处理机制"}),
    ("社区建立社区老年人和志愿者登记制度。", {"社区老年人和志愿者登记制度"}),
    ("建立和完善物业服务企业及其从业人员自律制度。", {"物业服务企业及其从业人员自律制度"}),
    ("完善政策发布、解读公开机制。", {"政策发布、解读公开机制"}),
    ("建立综合协调和目标责任机制。", {"综合协调和目标责任机制"}),
    ("建立线索通报、案件移送、查处配合、快速办理工作协调机制。", {"线索通报、案件移送、查处配合、快速办理工作协调机制"}),
    ("建立居（村）民委员会、业主委员会、物业服务人协调运行机制。",
     {"居(村)民委员会、业主委员会、物业服务人协调运行机制"}),
    ("业主应当遵守法律、法规、规章及临时管理规约。", {"临时管理规约"}),
    ("村民会议依照法律、法规和村民自治章程开展工作。", {"村民自治章程"}),
    ("业主应当按照法律法规以及临时管理规约使用物业。", {"临时管理规约"}),
    ("教育居民遵守公序良俗、居民自治章程和居民公约。", {"居民自治章程", "居民公约"}),
    ("完善大数据共享交换平台和信息共享机制。", {"信息共享机制"}),
    ("坚持好、完善好、运行好人民代表大会制度。", set()),
]


@pytest.mark.parametrize("text, names", COORDINATED)
def test_coordinated_names(make_doc, text, names):
    from pipeline.normalize import normalize

    found = {p.canonical for p in build_catalogue([normalize(make_doc(text))], metadata=False, min_score=0)}
    assert found == names


# ---------------------------------------------------------------- jieba entries


def test_jieba_entries_keep_names_whole(demo_catalogue):
    import jieba

    entries = jieba_entries(demo_catalogue)
    assert "一征三议两公开 1000 nz" in entries
    assert all(len(line.split()) == 3 for line in entries)
    plain = jieba.Tokenizer()
    assert "一征三议两公开" not in plain.lcut("全程贯彻一征三议两公开工作法")
    for line in entries:
        word, freq, tag = line.split()
        plain.add_word(word, int(freq), tag)
    assert "一征三议两公开" in plain.lcut("全程贯彻一征三议两公开工作法")


def test_one_name_with_two_meanings_is_two_entries(make_doc):
    from pipeline.normalize import normalize
    from pipeline.practices import build_catalogue

    deputies = [
        "第十条 代表提出建议、批评和意见，应当“一事一议”，内容明确具体，注重反映实际情况和问题。",
        "第九条 代表建议、批评和意见应当“一事一议”，事由清楚，意见具体，通过书面形式提交。",
        "第八条 代表书面提出建议、批评和意见应当“一事一议”，使用统一印制的专用纸，并亲笔签名。",
    ]
    village = "第六条 村民委员会可以通过“一事一议”方式筹集资金，用于本村农村生活垃圾的清扫、收集。"
    docs = [normalize(make_doc(t, source=f"{i}.txt")) for i, t in enumerate([*deputies, village])]
    found = [p for p in build_catalogue(docs, metadata=False) if p.canonical.startswith("一事一议")]
    assert len(found) == 2
    main, other = sorted(found, key=lambda p: -p.doc_count)
    assert main.canonical == "一事一议" and main.doc_count == 3  # the usual meaning keeps the plain name
    assert other.doc_count == 1 and other.uses[0].doc_id == docs[3].id
    assert main.name.startswith("一事一议（") and other.name != main.name
    assert any(w in other.name for w in ("村民委员会", "筹集", "资金", "生活垃圾", "清扫"))

    # the same name in related contexts stays one entry
    same = [normalize(make_doc(t, source=f"s{i}.txt")) for i, t in enumerate(deputies)]
    assert [p.name for p in build_catalogue(same, metadata=False) if p.canonical.startswith("一事一议")] == ["一事一议"]
