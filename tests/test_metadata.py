"""Metadata extraction as the rest of the code sees it (`pipeline.metadata`): the entry point, the records
and their vocabulary, place ranking and news cues shared by both languages, and a year filter in search.

The language rules have their own tests: tests/test_metadata_vi.py, test_metadata_zh.py and
test_metadata_dates.py.
"""
from __future__ import annotations

import json

import pytest
from test_metadata_vi import VI_DECISION, VI_NEWS, VI_PARTY_PLAN
from test_metadata_zh import ZH_NOTICE, ZH_OPINION, ZH_STATUTE

from pipeline.metadata import DOC_TYPES, DocMeta, extract_metadata
from pipeline.normalize import normalize_text


def meta(text: str, lang: str, title: str = "") -> DocMeta:
    return extract_metadata(normalize_text(text), lang, title)


def test_header_places_rank_before_frequent_body_places():
    text = VI_DECISION + "\nphường Việt Hưng, phường Việt Hưng, phường Việt Hưng"
    names = [p.name for p in meta(text, "vi").places]
    assert names[0] == "quận Long Biên"
    assert names[1] == "phường Việt Hưng"


def test_to_dict_is_flat_and_json_ready():
    got = meta(VI_DECISION, "vi").to_dict()
    json.dumps(got)
    assert all(isinstance(v, (str, int)) or isinstance(v, list) and all(isinstance(x, str) for x in v)
               for v in got.values())
    assert got["year"] == 2024 and got["districts"] == ["quận Long Biên"]
    assert "2024-03-05 issued" in got["dates"]
    assert DocMeta().to_dict()["year"] == 0


def test_every_extracted_type_is_in_the_vocabulary():
    texts = [(VI_DECISION, "vi"), (VI_PARTY_PLAN, "vi"), (VI_NEWS, "vi"), (ZH_NOTICE, "zh"), (ZH_OPINION, "zh")]
    for text, lang in texts:
        got = meta(text, lang)
        assert got.doc_type in DOC_TYPES
        assert got.doc_type_name == DOC_TYPES[got.doc_type][1]


def test_date_spans_point_into_the_text():
    for text, lang in [(VI_DECISION, "vi"), (ZH_STATUTE, "zh"), (ZH_OPINION, "zh")]:
        normalised = normalize_text(text)
        for d in extract_metadata(normalised, lang).dates:
            span = normalised[d.start : d.end]
            assert d.date[:4] in span or "〇" in span


def test_a_news_site_source_counts_as_a_news_cue():
    text = "UBND huyện Bá Thước cho biết sẽ xử lý nghiêm các sai phạm tại khu du lịch."
    assert extract_metadata(text, "vi").doc_type == ""
    assert extract_metadata(text, "vi", source="https://baomoi.com/tin-tuc/123.epi").doc_type == "news"


def test_other_languages_and_empty_text_give_empty_metadata():
    assert extract_metadata("The council met on 5 March 2024.", "en") == DocMeta()
    assert extract_metadata("", "vi") == DocMeta()
    assert extract_metadata("", "zh") == DocMeta()


@pytest.mark.slow
def test_a_year_filter_keeps_a_dated_news_item(embedder, tmp_path):
    from pipeline import Library

    src = tmp_path / "src"
    src.mkdir()
    (src / "tin.txt").write_text(
        "Hà Nội đẩy nhanh cải tạo chung cư cũ\n\nNgày 8/2/2017, tại Hà Nội, Sở Xây dựng cho biết thành phố sẽ đẩy "
        "nhanh cải tạo các khu chung cư cũ trên địa bàn quận Thanh Xuân. Ảnh: PV\n\nÔng Nguyễn Văn An cho biết thêm "
        "về tiến độ.\n\nHải Đăng", encoding="utf-8")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    assert [h.source for h in lib.search("cải tạo chung cư cũ", k=5, year="2017")] == [str(src / "tin.txt")]
    assert not lib.search("cải tạo chung cư cũ", k=5, year="2018")
