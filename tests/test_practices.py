"""Practice extraction: mentions by rule over hand-written snippets, and the catalogue of the demo corpus.

The snippets are written for these tests in the style of real reports, statutes, news and citizen
messages; each negative is a trap a naive rule falls into (a quoted exam period, an adverb that
starts with a numeral, a party charter that ends in 章程, a quoted idiom).
"""
from __future__ import annotations

import json

import pytest

from pipeline.practices import (
    Practice,
    abbreviations,
    build_catalogue,
    canonical_name,
    find_mentions,
    jieba_entries,
)


def canonicals(make_doc, text: str) -> set[str]:
    return {m.canonical for m in find_mentions(make_doc(text))}


# ---------------------------------------------------------------- canonical names


@pytest.mark.parametrize("surface, lang, expected", [
    ("“一征三议两公开”", "zh", "一征三议两公开"),
    ("《小区停车管理办法》", "zh", "小区停车管理办法"),
    ("“ＡＢ＋Ｎ”模式的", "zh", "ab+n模式"),
    ("居民自治模式等", "zh", "居民自治模式"),
    ("Phong trào  “Dân vận khéo”", "vi", "phong trào dân vận khéo"),
    ("mô hình này", "vi", "mô hình"),
    ("“dân biết,dân bàn”", "vi", "dân biết, dân bàn"),
])
def test_canonical_name(surface, lang, expected):
    assert canonical_name(surface, lang) == expected


def test_abbreviations_expand_in_canonical_names():
    text = "phong trào xây dựng Nông thôn mới (NTM) của tỉnh; phong trào xây dựng NTM đã lan tỏa."
    aliases = abbreviations(text)
    assert aliases == {"NTM": "Nông thôn mới"}
    assert canonical_name("phong trào xây dựng NTM", "vi", aliases) == "phong trào xây dựng nông thôn mới"


# ---------------------------------------------------------------- Chinese rules

ZH_FOUND = [
    # compound numeric formulas, with or without quotes, with a head noun
    ("老旧小区整治全程贯彻“一征三议两公开”工作法。", "一征三议两公开"),
    ("社区党支部坚持三会一课制度，每月召开党员大会。", "三会一课"),
    ("村级重大事项实行四议两公开，接受群众监督。", "四议两公开"),
    # a single numeral group spelled out by an enumeration of exactly N items
    ("严把群众“知晓率、参与率和满意率”，“三率”均要在90%以上。", "三率"),
    ("依托“三类组织”(楼院党组织、居民自治组织和志愿服务组织)开展工作。", "三类组织"),
    # head nouns with their left boundary
    ("最终建立了垃圾分类跟踪检查制度和红黑榜考评机制，有效激励居民。", "红黑榜考评机制"),
    ("最终建立了垃圾分类跟踪检查制度和红黑榜考评机制，有效激励居民。", "垃圾分类跟踪检查制度"),
    ("通过出台规定，建立健全联席会议制度，保证了党员群众的参与。", "联席会议制度"),
    ("街道办事处实行主任负责制。", "主任负责制"),
    ("本人也认同政府的河长制，水得到了有效的治理。", "河长制"),
    ("村民委员会实行少数服从多数的民主决策机制。", "民主决策机制"),
    ("一是通过居民自治，形成出租公约，使房屋出租有章可循。", "出租公约"),
    ("小区业委会将住改商治理写入业主公约。", "业主公约"),
    # rule books in 《》
    ("最终制定了《小区停车管理办法》《杜巷居民区房屋出租管理办法》。", "杜巷居民区房屋出租管理办法"),
    # quoted terms: a head after them, a governing verb before them, an alias, a slogan
    ("明辉西郊苑被选为垃圾分类“定点投放”试点社区。", "定点投放"),
    ("这为开展“家庭微观治理”奠定了基础。", "家庭微观治理"),
    ("本条例所称社会治理网格化服务管理（以下简称“网格化服务管理”），是指以网格为单元的服务。", "网格化服务管理"),
    ("在大力提倡“让数据多跑路，让群众少跑腿”的今天，补办一张卡历时十个月。", "让数据多跑路,让群众少跑腿"),
    ("本市健全“一网通办”服务“好差评”制度，实行一次一评。", "好差评"),
    ("“党建引领+居民自治”，打通小区治理“微循环”", "党建引领+居民自治"),
    ("社区探索“1+N”服务模式，整合辖区资源。", "1+n"),
    # an enumeration of N items right before a quoted numeral term, whatever the items share
    ("统筹推进刑事、民事、行政、公益诉讼“四大检察”全面协调充分发展。", "四大检察"),
    # a statute's defined term whose definition is a model, mechanism or activity
    ("第二条 本条例所称居家养老服务是指以家庭为基础、以城乡社区为依托的养老服务模式。", "居家养老服务"),
    # a 先…、后… pair is one name
    ("探索实行对重大典型案件先鉴定、后付费工作机制。", "先鉴定、后付费工作机制"),
    ("代表应当熟悉代表联系选民制度。", "代表联系选民制度"),
]

ZH_NOT_FOUND = [
    ("A市生态环境局下发通知，“三考”期间禁止夜间施工。", "三考"),          # a quoted period
    ("A市近一周一直是轻度、中度或重度污染。", "一周一直"),                   # numerals in adverbs
    ("居民会议也可以由每个居民小组选举代表二至三人参加。", "二至三人"),      # quantities
    ("为什么1+1=2；就不能3-1也等于2吗？", "1+1"),                          # arithmetic
    ("提升“家园”意识，激励居民参与共建活动。", "家园"),                     # a quoted modifier
    ("基层组织按照《中国共产党章程》进行工作。", "中国共产党章程"),         # a party document
    ("根据《中华人民共和国城市居民委员会组织法》，制定本办法。", "中华人民共和国城市居民委员会组织法"),
    ("这样的管理模式更有效。", "管理模式"),                                 # generic modifier
    ("建立完善网格员管理、培训、考核、激励等工作机制。", "工作机制"),
    ("应当建立相应的保障机制。", "保障机制"),
    ("行业委员会主任说：“作为一名党员，做志愿者是我们的职责。”", "作为一名党员,做志愿者是我们的职责"),
    ("A7县作为“三楚第一县”，每年都投入大量资源。", "三楚第一县"),          # a nickname
    ("鼓励家长对“三无”产品进行投诉举报。", "三无"),
    ("乡镇人民政府负责制定和实施培训计划。", "乡镇人民政府负责制"),       # 负责 + 制定, not 负责制
    ("教育局三令五申只放假三天。", "三令五申"),                             # idioms with numerals
    ("各种收费五花八门，群众意见很大。", "五花八门"),
    ("一楼二楼的住户反映噪音问题。", "一楼二楼"),                           # floors
    ("本条例所称网格，是指在社区内划分的基本服务管理单元。", "网格"),      # a defined unit, not a practice
    ("群众可以“自由”出入小区大门。", "自由"),                               # a scare quote
    ("C市司法局依照“信访条例”作出了“信访事项处理意见书”。", "信访条例"),   # documents quoted with “”
    ("违反《工程建设项目招标范围和规模标准规定》第七条。", "工程建设项目招标范围和规模标准规定"),
    ("销售人员介绍有标准车位、子母车位、微型车位、无障碍车位四种车位。", "四种车位"),  # a prose summary
    ("两部门无法执行“没收建筑物”的行政处罚。", "没收建筑物"),               # a quoted action
]


@pytest.mark.parametrize("text, name", ZH_FOUND)
def test_zh_practice_found(make_doc, text, name):
    assert name in canonicals(make_doc, text)


@pytest.mark.parametrize("text, name", ZH_NOT_FOUND)
def test_zh_non_practice_left_out(make_doc, text, name):
    found = canonicals(make_doc, text)
    assert not any(name in c for c in found), found


def test_zh_formula_expansion_span(make_doc):
    doc = make_doc("严把群众“知晓率、参与率和满意率”：项目立项前要广泛宣传；“三率”均要在90%以上。")
    (m,) = [m for m in find_mentions(doc) if m.canonical == "三率"]
    assert m.kind == "formula"
    assert doc.text[m.expansion[0]: m.expansion[1]] == "知晓率、参与率和满意率"


# ---------------------------------------------------------------- Vietnamese rules

VI_FOUND = [
    ("Hướng dẫn quy chế phối hợp, quy chế hoạt động tại các tổ dân phố có khu chung cư.", "quy chế phối hợp"),
    ("Hướng dẫn quy chế phối hợp, quy chế hoạt động tại các tổ dân phố có khu chung cư.", "quy chế hoạt động"),
    ("Chi bộ xây dựng quy chế phối hợp với Ban quản trị nhà chung cư.", "quy chế phối hợp"),
    ("Tổ chức tuyên truyền, vận động nhân dân tham gia tích cực các phong trào thi đua yêu nước.",
     "phong trào thi đua yêu nước"),
    ("Tỉnh triển khai các phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”, “Dân vận khéo”, "
     "“Nhà sạch, vườn đẹp”.", "dân vận khéo"),
    ("Tỉnh triển khai các phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”, “Dân vận khéo”, "
     "“Nhà sạch, vườn đẹp”.", "nhà sạch, vườn đẹp"),
    ("Quận thực hiện mô hình “một cửa” liên thông tại UBND các phường.", "một cửa"),
    ("Các phường thực hiện tốt phương châm “5 biết” (biết nghe dân nói, biết nói dân hiểu, biết làm dân tin, "
     "biết xin lỗi và biết cảm ơn).", "5 biết"),
    ("Huy động nhân dân tham gia theo phương châm: “dân biết, dân bàn, dân làm, dân kiểm tra”.",
     "dân biết, dân bàn, dân làm, dân kiểm tra"),
    ("Phải tăng cường công khai để dân biết, dân bàn, dân kiểm tra, dân giám sát.",
     "dân biết, dân bàn, dân kiểm tra, dân giám sát"),
    ("Với phương châm nắm từng tiêu chí, chắc từng bước đi, phong trào đã lan tỏa tới mỗi người.",
     "nắm từng tiêu chí, chắc từng bước đi"),
    ("Bộ Nội vụ hướng dẫn thực hiện mô hình tổ chức chính quyền địa phương 02 cấp đối với Sở Nội vụ.",
     "mô hình tổ chức chính quyền địa phương 02 cấp"),
    ("Khi Thủ tướng chỉ đạo triển khai cuộc vận động mới về toàn dân đoàn kết xây dựng nông thôn mới thì Mặt trận vào cuộc.",
     "toàn dân đoàn kết xây dựng nông thôn mới"),
    ("Liên quan đến Đề án \"Thành phố 4 an\", quận đã có kiến nghị.", "thành phố 4 an"),
    ("Các đơn vị thực hiện phương châm 5 rõ “rõ người, rõ việc, rõ trách nhiệm, rõ quy trình và rõ hiệu quả”.",
     "5 rõ"),
    ("Dự án có 3 mô hình sinh kế, đó là mô hình 2 vụ lúa 1 vụ tôm càng xanh.", "mô hình 2 vụ lúa 1 vụ tôm càng xanh"),
]

VI_NOT_FOUND = [
    ("Các mô hình mới như trên đều có hiệu quả; cần nhân rộng mô hình này.", "mô hình"),
    ("Cần nghiên cứu, đề xuất thêm các cơ chế, chính sách cho Mặt trận.", "cơ chế"),
    ("Việc công nhận Ban quản trị thực hiện theo Quy chế quản lý, sử dụng nhà chung cư.", "quy chế quản lý"),
    ("Không để người dân nào “đói cơm, lạt muối, đứt bữa”.", "đói cơm, lạt muối, đứt bữa"),
    ("Phổ biến nhất là “hàng đá”, “cỏ Mỹ” và tình trạng “ngáo đá”.", "ngáo đá"),
    ("Tình trạng \"xe dù, bến cóc\" vẫn diễn biến phức tạp.", "xe dù, bến cóc"),
    ("Dự kiến mô hình sẽ được nhân rộng tại các quận 1, quận 2, quận Phú Nhuận.", "quận 1, quận 2, quận phú nhuận"),
    ("Ông cho biết: “Chúng ta đã góp phần lấy lại niềm tin của nhân dân với Đảng, Chính phủ, Mặt trận”.",
     "chúng ta đã góp phần lấy lại niềm tin"),
]


@pytest.mark.parametrize("text, name", VI_FOUND)
def test_vi_practice_found(make_doc, text, name):
    assert name in canonicals(make_doc, text)


@pytest.mark.parametrize("text, name", VI_NOT_FOUND)
def test_vi_non_practice_left_out(make_doc, text, name):
    found = canonicals(make_doc, text)
    assert not any(c.startswith(name) for c in found), found


def test_vi_formula_expansion(make_doc):
    doc = make_doc("Quận thực hiện “3 không” (không chậm trễ giải quyết hồ sơ; không sách nhiễu, phiền hà nhân dân; "
                   "không để công dân đi lại nhiều lần).")
    (m,) = [m for m in find_mentions(doc) if m.canonical == "3 không"]
    assert doc.text[m.expansion[0]: m.expansion[1]].startswith("không chậm trễ")


# ---------------------------------------------------------------- invariants over the demo corpus


def test_mentions_have_exact_offsets(corpus_docs):
    total = 0
    for doc in corpus_docs.values():
        for m in find_mentions(doc):
            total += 1
            assert doc.text[m.start: m.end] == m.name
            assert m.sentence_start <= m.start and m.end <= m.sentence_end, m
            assert m.passage_start <= m.sentence_start and m.sentence_end <= m.passage_end, m
            assert m.doc_id == doc.id and m.lang in ("zh", "vi") and m.canonical
    assert total >= 30


def test_mentions_do_not_overlap(corpus_docs):
    for doc in corpus_docs.values():
        spans = [(m.start, m.end) for m in find_mentions(doc)]
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans


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


def test_cached_hmm_decoding_changes_no_mention(corpus_docs, monkeypatch):
    """jieba.posseg's Viterbi is cached by run; extraction over the Chinese demo documents gives
    the same mentions with jieba's own decoder, and a decoder called with other tables is passed
    through."""
    import jieba.posseg

    from pipeline.practices import context as practices

    practices._pos_tokenizer()
    cached = jieba.posseg.viterbi
    assert hasattr(cached, "original")
    zh = [d for d in corpus_docs.values() if d.lang == "zh"]
    practices.zh_tokens.cache_clear()
    with_cache = [find_mentions(d) for d in zh]
    monkeypatch.setattr(jieba.posseg, "viterbi", cached.original)
    practices.zh_tokens.cache_clear()
    without = [find_mentions(d) for d in zh]
    practices.zh_tokens.cache_clear()
    assert with_cache == without and sum(map(len, with_cache)) >= 10
    states = {"一": jieba.posseg.char_state_tab_P["一"]}  # other tables: not cached, not confused
    got = cached("一", states, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
    assert got == cached.original("一", states, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)


ZH_FORMULA_DEFINED = (
    "社区推行“一征三议两公开”工作法。“一征”即征求群众意见；“三议”即党组织提议、居民代表商议、居民大会决议；"
    "“两公开”即决议结果公开、实施过程公开。\n\n"
    "在老旧小区整治中，我们坚持用好“一征三议两公开”工作法，群众满意率达到95%。"
)


def test_formula_card_breaks_the_formula_into_the_parts_the_text_defines(make_doc):
    from pipeline.practices import PracticeCard
    from pipeline.normalize import normalize
    from pipeline.practices import build_catalogue, formula_parts

    assert formula_parts("一征三议两公开") == ["一征", "三议", "两公开"]
    assert formula_parts("三会一课") == ["三会", "一课"] and formula_parts("三率") == []
    defined = normalize(make_doc(ZH_FORMULA_DEFINED, source="defined.txt"))
    undefined = normalize(make_doc("用活用好“一征三议两公开”工作法，保证群众参与率。“一征三议两公开”工作法成效明显。"))
    cat = build_catalogue([defined, undefined], metadata=False)
    p = next(p for p in cat if p.canonical == "一征三议两公开")
    assert [c.part for c in p.components] == ["一征", "三议", "两公开"]
    assert [c.text for c in p.components] == ["“一征”即征求群众意见", "“三议”即党组织提议、居民代表商议、居民大会决议",
                                              "“两公开”即决议结果公开、实施过程公开"]
    assert all(defined.text[c.start:c.end] == c.text for c in p.components)
    text = PracticeCard(p).to_text()
    assert "Parts of the formula:" in text and "  - 三议: “三议”即党组织提议" in text

    alone = build_catalogue([undefined, normalize(make_doc("推行“一征三议两公开”工作法。"))], metadata=False)
    q = next(p for p in alone if p.canonical == "一征三议两公开")
    assert [c.text for c in q.components] == ["", "", ""]
    assert "(not defined in these documents)" in PracticeCard(q).to_text()


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
