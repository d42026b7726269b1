"""Language detection: per text, per paragraph span, per document."""
from __future__ import annotations


import pytest

from pipeline.language import detect_document, detect_language
from pipeline.types import Document


@pytest.mark.parametrize(
    "text, expected",
    [
        # Vietnamese with diacritics
        ("Ban quản trị nhà chung cư họp định kỳ hằng quý.", "vi"),
        ("Đảng ủy phường Giang Biên đã họp và thống nhất ban hành Nghị quyết.", "vi"),
        ("NGHỊ QUYẾT", "vi"),
        ("ĐẢNG ỦY PHƯỜNG GIANG BIÊN", "vi"),
        ("Covid-19 đã ảnh hưởng đến đời sống nhân dân", "vi"),
        ("Link bài viết gốc: http://csgt-congan.hochiminhcity.gov.vn/wps/portal/Home/trang-chu", "vi"),
        # Vietnamese typed without diacritics
        ("Ban quan tri nha chung cu phoi hop voi to dan pho de giai quyet tranh chap", "vi"),
        ("De nghi UBND phuong xem xet giai quyet viec xay dung trai phep tai khu dan cu", "vi"),
        # Chinese, simplified and traditional
        ("居民自治组织广泛动员了楼院中的老党员、退休干部。", "zh"),
        ("居民自治組織廣泛動員了樓院中的老黨員、退休幹部。", "zh"),
        ("第一章 总则", "zh"),
        ("现https://baidu.com/平方以上指标的拆迁户认购，开始通知截止报名日期", "zh"),
        ("据统计,平均每户年租金收入可达13万元左右,CT19A楼也不例外。", "zh"),
        # everything else
        ("The management board of the apartment building meets every quarter.", "other"),
        ("In addition, the CT19A building is managed by UBND.", "other"),
        ("Le conseil municipal a adopté la résolution à l’unanimité.", "other"),
        ("Это решение городского совета о капитальном ремонте.", "other"),
        ("これは日本語の文章です。東京都の住民自治について。", "other"),
        # too short or ambiguous to tell
        ("Điều 5.", "other"),
        ("Hello", "other"),
        ("12345", "other"),
        ("", "other"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def _doc(text: str) -> Document:
    return Document(id="d", text=text)


def _check_tiling(doc: Document) -> None:
    spans = doc.lang_spans
    assert spans[0].start == 0 and spans[-1].end == len(doc.text)
    for left, right in zip(spans, spans[1:]):
        assert left.end == right.start
        assert left.lang != right.lang  # consecutive same-language spans are merged


def test_single_language_document_is_one_span(zh_text):
    doc = detect_document(_doc(zh_text))
    assert doc.lang == "zh"
    assert [(s.start, s.end, s.lang) for s in doc.lang_spans] == [(0, len(zh_text), "zh")]


def test_mixed_document_gets_both_languages():
    zh = "二七区充分依托区委社治委“三类组织”建立工作,为全面完成老旧小区整治提升工作提供强大组织保障。"
    vi = "Ban quản trị nhà chung cư phối hợp với tổ dân phố và chi bộ để giải quyết các vấn đề dân sinh."
    text = f"{zh}\n\n{zh}\n\n{vi}\n\n{zh}"
    doc = detect_document(_doc(text))
    _check_tiling(doc)
    assert [s.lang for s in doc.lang_spans] == ["zh", "vi", "zh"]
    vi_span = doc.lang_spans[1]
    assert text[vi_span.start : vi_span.end].strip() == vi
    assert doc.lang_at(text.index("Ban quản trị")) == "vi"
    assert doc.lang_at(0) == "zh"
    # Vietnamese has more characters here than any one Chinese paragraph, but fewer in total
    assert doc.lang == "zh"


def test_document_language_is_the_one_with_most_characters():
    vi = "Ủy ban nhân dân phường tổ chức hội nghị lấy ý kiến cư dân về phương án cải tạo chung cư cũ."
    zh = "老旧小区整治提升。"
    doc = detect_document(_doc(f"{zh}\n\n{vi}\n\n{vi}"))
    assert doc.lang == "vi"
    assert {s.lang for s in doc.lang_spans} == {"vi", "zh"}


def test_short_paragraphs_take_the_language_of_their_neighbours():
    text = (
        "Điều 5.\n\nBan quản trị nhà chung cư được bầu tại hội nghị nhà chung cư.\n\n1\n\n"
        "Hồng Thái\n\nTổ dân phố phối hợp với chi bộ và mặt trận tổ quốc."
    )
    doc = detect_document(_doc(text))
    assert [(s.start, s.end, s.lang) for s in doc.lang_spans] == [(0, len(text), "vi")]


def test_english_paragraph_in_a_vietnamese_document_stays_other():
    vi = "Ban quản trị nhà chung cư phối hợp với tổ dân phố và chi bộ để giải quyết các vấn đề dân sinh."
    en = "The management board of the apartment building cooperates with the residential group."
    doc = detect_document(_doc(f"{vi}\n\n{en}\n\n{vi}"))
    _check_tiling(doc)
    assert [s.lang for s in doc.lang_spans] == ["vi", "other", "vi"]
    assert doc.lang == "vi"


def test_empty_document():
    doc = detect_document(_doc(""))
    assert doc.lang == "other" and doc.lang_spans == ()


def test_spans_tile_every_demo_document(corpus_docs):
    for doc in corpus_docs.values():
        _check_tiling(doc)
        expected = "vi" if doc.source.startswith("vi_") else "zh"
        assert doc.lang == expected, doc.source


def test_detection_of_a_megabyte_of_mixed_paragraphs(corpus_docs):
    """It runs on every paragraph of thousands of documents: 1 MB of mixed paragraphs gets both
    languages, in spans that cover the text in order."""
    text = "\n\n".join(doc.text for doc in corpus_docs.values())
    big = detect_document(_doc("\n\n".join([text] * 28)))  # about 1 MB
    spans = big.lang_spans
    assert {span.lang for span in spans} >= {"vi", "zh"}
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
