"""Segmentation: sentence and heading offsets, heading levels, lexical words and words as written."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.headings import ARTICLE, CHAPTER, CLAUSE, PART, POINT, SECTION, SUBCLAUSE, SUBSECTION, SUBSUBCLAUSE
from pipeline.segment import segment, word_spans, words
from pipeline.types import Document, Segment
from conftest import skip_mask

DATA = Path(__file__).resolve().parents[1] / "pipeline" / "data"

VI_BEFORE = "Ủy ban nhân dân phường đã tổ chức hội nghị lấy ý kiến cư dân."
VI_AFTER = "Ban quản trị nhà chung cư phối hợp với tổ dân phố thực hiện nhiệm vụ."
ZH_BEFORE = "老旧小区整治是提升城市品质的有效途径。"
ZH_AFTER = "二七区充分依托区委社治委建立工作,为全面完成整治提升工作提供强大组织保障。"


def _segment_at(make_doc, line: str, lang: str) -> Segment:
    """The segment that starts `line`, set as its own paragraph between two sentences."""
    before, after = (VI_BEFORE, VI_AFTER) if lang == "vi" else (ZH_BEFORE, ZH_AFTER)
    doc = make_doc(f"{before}\n\n{line}\n\n{after}")
    start = doc.text.index(line)
    return next(s for s in segment(doc) if s.start == start)


@pytest.mark.parametrize(
    "line, lang, kind, level",
    [
        ("Chương I", "vi", "heading", CHAPTER),
        ("CHƯƠNG II", "vi", "heading", CHAPTER),
        ("Chương 3. QUY ĐỊNH CHUNG", "vi", "heading", CHAPTER),
        ("PHẦN THỨ NHẤT", "vi", "heading", PART),
        ("Phần thứ hai", "vi", "heading", PART),
        ("Mục 1. ĐĂNG KÝ THƯỜNG TRÚ", "vi", "heading", SECTION),
        ("Tiểu mục 2", "vi", "heading", SUBSECTION),
        ("Điều 5. Quyền của công dân về cư trú", "vi", "heading", ARTICLE),
        ("**Điều 1. Sắp xếp các đơn vị hành chính cấp xã của tỉnh An Giang**", "vi", "heading", ARTICLE),
        ("I. TÌNH HÌNH CHUNG", "vi", "heading", SECTION),
        ("II - KẾT QUẢ THỰC HIỆN", "vi", "heading", SECTION),
        ("1. Mục tiêu", "vi", "heading", CLAUSE),
        ("1.1. Về công tác tuyên truyền", "vi", "heading", SUBCLAUSE),
        ("1.1.1. Kết quả đạt được", "vi", "heading", SUBSUBCLAUSE),
        ("a) Đối với ban quản trị", "vi", "heading", POINT),
        ("NGHỊ QUYẾT", "vi", "heading", SECTION),
        ("Quận Thanh Xuân: Triển khai kế hoạch cải tạo, xây dựng lại chung cư cũ", "vi", "heading", SECTION),
        ("第一编 总则", "zh", "heading", PART),
        ("第一章 总则", "zh", "heading", CHAPTER),
        ("## 第二章  组织机构", "zh", "heading", CHAPTER),
        ("第三节 业主委员会", "zh", "heading", SECTION),
        ("一、对准症结找问题,科学研判作分析", "zh", "heading", SECTION),
        ("（一）加强组织领导", "zh", "heading", SUBSECTION),
        ("第十二条 业主大会", "zh", "heading", ARTICLE),
        ("1.成立自治委员会,提升社区治理能力", "zh", "heading", CLAUSE),
        ("（1）楼院党组织", "zh", "heading", POINT),
        ("依托“组织力量”,保障治理目标", "zh", "heading", SECTION),
        # a numbered label on a long line or before final punctuation opens a section
        ("1. Chỗ ở hợp pháp là nơi được sử dụng để sinh sống.", "vi", "sentence", CLAUSE),
        ("a) Tờ khai thay đổi thông tin cư trú;", "vi", "sentence", POINT),
        ("第一条 为了加强和完善专门委员会工作，制定本条例。", "zh", "sentence", ARTICLE),
        ("1.成立自治委员会,提升社区治理能力。本着“让居民担当社区治理主角”的原则,多次研讨。", "zh", "sentence", CLAUSE),
        # no label
        ("Mục tiêu của kế hoạch là nâng cao chất lượng hoạt động.", "vi", "sentence", 0),
        ("Chương trình công tác năm 2022 đã được triển khai đồng bộ.", "vi", "sentence", 0),
        ("1.500 hộ dân đã đồng ý với phương án cải tạo.", "vi", "sentence", 0),
        ("C. Mác nói rằng lao động là nguồn gốc của mọi của cải.", "vi", "sentence", 0),
        ("X-quang được trang bị cho trạm y tế phường.", "vi", "sentence", 0),
        ("Nơi nhận:", "vi", "sentence", 0),
        ("一是通过居民自治,形成出租公约。", "zh", "sentence", 0),
        ("小区共有473户,其中469户都有出租房屋。", "zh", "sentence", 0),
    ],
)
def test_heading_detection(make_doc, line, lang, kind, level):
    seg = _segment_at(make_doc, line, lang)
    assert (seg.kind, seg.level) == (kind, level)
    if kind == "heading":
        assert seg.text == line  # a heading is always a whole line


def test_title_line_must_stand_alone_and_lead_something(make_doc):
    text = "Hồng Thái\nChia sẻ Zalo\n\n" + VI_BEFORE + "\n\nĐinh Xuân Hùng"
    segs = segment(make_doc(text))
    assert [s.kind for s in segs] == ["sentence"] * 4  # two-line paragraph; last paragraph


def test_title_after_a_bare_label_takes_its_level(vi_law_doc):
    heads = [(s.text, s.level) for s in segment(vi_law_doc) if s.kind == "heading"]
    assert ("Chương IV", CHAPTER) in heads
    assert ("ĐĂNG KÝ THƯỜNG TRÚ, TẠM TRÚ", CHAPTER) in heads
    assert ("Mục 1", SECTION) in heads and ("ĐĂNG KÝ THƯỜNG TRÚ", SECTION) in heads


def test_chinese_item_inside_an_article_is_a_clause(make_doc):
    text = (
        "第六条 市住房和城乡建设主管部门履行下列职责：\n\n（一）制定本市物业管理相关政策并组织实施；\n\n"
        "（二）指导和监督区住房和城乡建设或者房屋主管部门开展物业管理的监督管理工作；\n\n"
        "## 第二章  业主、业主大会及业主委员会\n\n（一）加强组织领导\n\n" + ZH_AFTER
    )
    levels = [(s.text[:4], s.kind, s.level) for s in segment(make_doc(text))]
    assert levels == [
        ("第六条 ", "sentence", ARTICLE),
        ("（一）制", "sentence", CLAUSE),
        ("（二）指", "sentence", CLAUSE),
        ("## 第", "heading", CHAPTER),
        ("（一）加", "heading", SUBSECTION),
        ("二七区充", "sentence", 0),
    ]


def test_long_labelled_line_opens_a_section_with_its_first_sentence_only(vi_law_doc):
    segs = segment(vi_law_doc)
    first = next(i for i, s in enumerate(segs) if s.text.startswith("1. Hồ sơ đăng ký thường trú"))
    assert (segs[first].kind, segs[first].level) == ("sentence", CLAUSE)
    point = segs[first + 1]
    assert point.text == "a) Tờ khai thay đổi thông tin cư trú;" and point.level == POINT


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("他说：“好的。”然后离开。", ["他说：“好的。”", "然后离开。"]),
        ("事情很多……后来呢", ["事情很多……", "后来呢"]),
        ("1.成立自治委员会,提升能力。本着原则。", ["1.成立自治委员会,提升能力。", "本着原则。"]),
        ("增长2.5%以上;完成任务", ["增长2.5%以上;", "完成任务"]),
        ("（一）加强领导；（二）完善制度。", ["（一）加强领导；", "（二）完善制度。"]),
        ("群租问题得到解决(见附件)。 下一步继续整治!", ["群租问题得到解决(见附件)。", "下一步继续整治!"]),
    ],
)
def test_chinese_sentences(make_doc, text, expected):
    doc = make_doc(text)
    assert doc.lang == "zh"
    assert [s.text for s in segment(doc)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('Ông nói: "Tốt lắm!" Rồi ông đi về nhà.', ['Ông nói: "Tốt lắm!"', "Rồi ông đi về nhà."]),
        (
            "Theo Nghị định của Chính phủ. TP. Hồ Chí Minh đã triển khai ngay.",
            ["Theo Nghị định của Chính phủ.", "TP. Hồ Chí Minh đã triển khai ngay."],
        ),
        ("1. Chỗ ở hợp pháp là nơi ở. Nó được bảo vệ.", ["1. Chỗ ở hợp pháp là nơi ở.", "Nó được bảo vệ."]),
        (
            "Tổng cộng 1.500.000 đồng. Tiếp theo là phần khác",
            ["Tổng cộng 1.500.000 đồng.", "Tiếp theo là phần khác"],
        ),
        (
            "**Đẩy mạnh công tác kiểm tra. Tăng cường giám sát cư dân.**",
            ["**Đẩy mạnh công tác kiểm tra.", "Tăng cường giám sát cư dân.**"],
        ),
        ("Nghị quyết này được phổ biến đến chi bộ./.", ["Nghị quyết này được phổ biến đến chi bộ./."]),
    ],
)
def test_vietnamese_sentences(make_doc, text, expected):
    doc = make_doc(text)
    assert doc.lang == "vi"
    assert [s.text for s in segment(doc)] == expected


def test_segments_skip_skip_spans_and_never_cross_lines(make_doc):
    doc = make_doc(f"{ZH_BEFORE}\n\n党建引领 长宁这个小区发挥居民自治效能\n\n{ZH_AFTER}\n{ZH_BEFORE}")
    caption = doc.text.index("党建引领")
    skip = ((caption, caption + len("党建引领 长宁这个小区发挥居民自治效能")),)
    doc = Document(id=doc.id, text=doc.text, lang=doc.lang, lang_spans=doc.lang_spans, skip=skip)
    texts = [s.text for s in segment(doc)]
    assert texts == [ZH_BEFORE, ZH_AFTER, ZH_BEFORE]


def test_segment_detects_languages_when_the_document_has_none():
    doc = Document(id="x", text="居民自治组织广泛动员了楼院中的老党员。\n\nBan quản trị nhà chung cư họp định kỳ hằng quý.")
    assert [s.lang for s in segment(doc)] == ["zh", "vi"]


def _check_segments(doc: Document, segs: list[Segment]) -> None:
    text = doc.text
    skipped = skip_mask(doc)
    covered = bytearray(len(text))
    last_end = 0
    for seg in segs:
        assert text[seg.start : seg.end] == seg.text
        assert seg.text == seg.text.strip() and seg.text
        assert "\n\n" not in seg.text
        assert seg.start >= last_end
        last_end = seg.end
        assert not any(skipped[seg.start : seg.end])
        assert seg.lang == doc.lang_at(seg.start)
        assert (seg.kind == "heading") <= (seg.level > 0)
        covered[seg.start : seg.end] = b"\x01" * (seg.end - seg.start)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i] and not skipped[i]]
    assert not lost, repr(text[lost[0] - 20 : lost[0] + 20])


@pytest.mark.parametrize(
    "name",
    [
        "vi_nghi-quyet_giang-bien_2021.txt",
        "vi_thanh-xuan_chung-cu-cu_2022.txt",
        "zh_changning_minghui-xijiao-yuan.txt",
        "zh_erqi_old-neighbourhoods.txt",
        "zh_jiuliting_duxiang.txt",
    ],
)
def test_segments_are_exact_and_lose_nothing(corpus_docs, name):
    doc = corpus_docs[name]
    _check_segments(doc, segment(doc))


def test_law_segments_are_exact(vi_law_doc, zh_law_doc):
    for doc in (vi_law_doc, zh_law_doc):
        _check_segments(doc, segment(doc))


def test_a_line_of_underscores_does_not_hang(make_doc):
    doc = make_doc(VI_BEFORE + "\n\n" + "_" * 80 + "\n\n" + VI_AFTER)
    assert len(segment(doc)) == 3


# ---------------------------------------------------------------- words


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Ban quản trị nhà chung cư họp.", "vi", ["ban_quản_trị", "nhà_chung_cư", "họp"]),
        ("BAN QUẢN TRỊ NHÀ CHUNG CƯ", "vi", ["ban_quản_trị", "nhà_chung_cư"]),
        ("Uỷ ban nhân dân phường", "vi", ["ủy_ban_nhân_dân", "phường"]),
        ("Tổ dân phố, chi bộ và Mặt trận Tổ quốc!", "vi", ["tổ_dân_phố", "chi_bộ", "và", "mặt_trận_tổ_quốc"]),
        ("“一征三议两公开”工作法", "zh", ["一征三议两公开", "工作", "法"]),
        ("业主委员会、居民自治、三类组织", "zh", ["业主委员会", "居民自治", "三类组织"]),
        ("ＡＢＣ１２３，Covid-19", "zh", ["abc123", "covid", "19"]),
        ("The Management Board, 2021-22!", "other", ["the", "management", "board", "2021", "22"]),
    ],
)
def test_words(text, lang, expected):
    assert words(text, lang) == expected


def test_words_keep_terms_whole_in_running_text():
    zh = words("二七区充分依托“三类组织”(楼院党组织、居民自治组织和志愿服务组织),全程贯彻“一征三议两公开”工作法。", "zh")
    assert {"三类组织", "楼院党组织", "居民自治组织", "志愿服务组织", "一征三议两公开"} <= set(zh)
    vi = words("Trưởng ban quản trị nhà chung cư CT19A báo cáo với tổ dân phố. Dân cư đồng tình.", "vi")
    assert {"ban_quản_trị", "nhà_chung_cư", "tổ_dân_phố", "ct19a"} <= set(vi)
    assert all(any(ch.isalnum() for ch in w) for w in vi + zh)  # punctuation dropped


@pytest.mark.parametrize("lang, name", [("zh", "govdict_zh.txt"), ("vi", "govdict_vi.txt")])
def test_every_dictionary_term_is_one_word(lang, name):
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    terms = [line.rsplit(" ", 2)[0] if lang == "zh" else line for line in lines if line.strip()]
    assert 40 <= len(terms) <= 110
    for term in terms:
        expected = term if lang == "zh" else "_".join(term.split())
        assert words(term, lang) == [expected], term


def test_vietnamese_words_do_not_load_torch():
    # underthesea's optional model pipelines (translate, classify ...) pull in torch and transformers
    code = (
        "import sys\n"
        "from pipeline.segment import words, segment\n"
        "assert words('Ban quản trị nhà chung cư họp.', 'vi') == ['ban_quản_trị', 'nhà_chung_cư', 'họp']\n"
        "heavy = {'torch', 'transformers'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "import underthesea.pipeline.translate\n"  # still importable when asked for
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_heavy_libraries_are_imported_lazily():
    code = (
        "import sys, pipeline.segment, pipeline.chunk, pipeline.language, pipeline.annotate\n"
        "heavy = {'underthesea', 'spacy', 'jieba', 'transformers', 'torch'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- words as written (the spaCy Doc's tokens)


def _written(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in word_spans(text, lang)]


def test_word_spans_keep_chinese_governance_terms_whole():
    text = "老旧小区整治提升工作全程贯彻“一征三议两公开”工作法。业主委员会积极参与。"
    tokens = _written(text, "zh")
    assert "一征三议两公开" in tokens and "业主委员会" in tokens
    assert "".join(tokens) == text


def test_word_spans_keep_vietnamese_words_as_typed():
    text = "Ban quản trị  nhà chung cư\nhọp định kỳ. Uỷ ban nhân dân phường đồng ý!"
    tokens = _written(text, "vi")
    assert "Ban quản trị" in tokens and "nhà chung cư" in tokens and "Uỷ ban nhân dân" in tokens  # "Uỷ" not folded
    assert tokens[-2:] == ["đồng ý", "!"]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Ban quản trị  nhà chung cư\n\n\thọp định kỳ.\u00a0Uỷ ban nhân dân phường đồng ý! ", "vi"),
        ("Điều 5.\tQuyền của cư dân\r\n1. Cư dân có quyền\u2003tham gia.\n", "vi"),
        ("  业主委员会\u3000积极参与。\n\n第一章 总则\n“一征三议两公开” 工作法 ", "zh"),
        ("居民 自治 ABC-123 和 1+N 模式。", "zh"),
        ("Resident self-governance, 1+N  (mixed)\tlines.\n", "other"),
        ("", "vi"),
        (" \n\t ", "zh"),
    ],
)
def test_word_spans_cover_every_character_but_whitespace_once(text, lang):
    spans = word_spans(text, lang)
    assert spans == sorted(spans) and all(s < e for s, e in spans)
    assert all(e <= s2 for (_, e), (s2, _) in zip(spans, spans[1:]))  # in order, never overlapping
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    covered = {i for s, e in spans for i in range(s, e)}
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered


def test_practice_names_found_in_collections_are_one_word():
    """`data/practices_zh.txt` (grown by scripts/grow_dictionary.py) keeps found names whole."""
    lines = [line for line in (DATA / "practices_zh.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 100
    for line in lines:
        term, freq, tag = line.rsplit(" ", 2)
        assert freq.isdigit() and tag == "nz" and len(term) <= 8
        assert words(term, "zh") == [term], term
    assert "门前三包" in words("各单位落实门前三包责任制度。", "zh")
