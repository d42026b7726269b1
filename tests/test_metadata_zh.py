"""Chinese metadata (`pipeline.metadata.zh`): type, number, dates and their roles, issuer, places.

The snippets are written for these tests, modelled on the layout of real Chinese documents (notices,
opinions, statute headers, news and citizen messages), and on pages as Tesseract reads them.
"""
from __future__ import annotations

import pytest

from pipeline.metadata import DocMeta, extract_metadata
from pipeline.normalize import normalize_text

ZH_NOTICE = """上海市人民政府办公厅文件
沪府办规〔2021〕5号
上海市人民政府办公厅关于印发《长宁区老旧小区综合治理实施办法》的通知
各区人民政府，市政府各委、办、局：
根据《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》（国办发〔2020〕23号），现将实施办法印发给你们，请认真按照执行。
上海市人民政府办公厅
2021年10月28日"""

ZH_OPINION = """中共长宁区委员会关于加强居民区党建引领居民自治的意见
各街道党工委、新泾镇党委：
为进一步发挥居民区党组织作用，现提出如下意见。
中共长宁区委员会
二〇二一年十月二十八日"""

ZH_STATUTE = """1997年1月15日 上海市第十届人民代表大会常务委员会第三十三次会议通过

2016年9月14日 上海市第十四届人民代表大会常务委员会第三十二次会议修订

第一条 为了加强街道办事处建设，根据有关法律，结合本市实际，制定本条例。

第二十六条 本条例自2016年11月1日起施行。"""

ZH_ORDER = """2005年1月5日 国务院第76次常务会议通过

2005年1月10日 中华人民共和国国务院令第431号公布

2005年5月1日 施行

第一条 为了保持各级人民政府同人民群众的密切联系，制定本条例。"""

ZH_NEWS = """本报讯 5月28日下午，大学路街道祥和社区市场南街2号院门口排了一条长长的队，小区居民呼朋唤友前来。
记者 张改华 通讯员 张丹"""

ZH_MESSAGE = """尊敬的领导：您好！我是A市A3区莱茵城的业主，我们小区的停车费问题希望得到解决。"""


def meta(text: str, lang: str, title: str = "") -> DocMeta:
    return extract_metadata(normalize_text(text), lang, title)


# ---------------------------------------------------------------- whole documents


@pytest.mark.parametrize(
    "text, title, expected",
    [
        (ZH_NOTICE, "", {
            "doc_type": "tongzhi", "number": "沪府办规〔2021〕5号", "issue_date": "2021-10-28", "year": 2021,
            "issuer": "上海市人民政府办公厅"}),
        (ZH_OPINION, "", {"doc_type": "yijian", "issue_date": "2021-10-28", "issuer": "中共长宁区委员会"}),
        (ZH_STATUTE, "上海市街道办事处条例", {
            "doc_type": "tiaoli", "issue_date": "2016-09-14", "issuer": "上海市人民代表大会常务委员会"}),
        (ZH_ORDER, "信访条例", {
            "doc_type": "tiaoli", "number": "国务院令第431号", "issue_date": "2005-01-10", "issuer": "国务院"}),
        (ZH_NEWS, "", {"doc_type": "news", "issue_date": "", "issuer": ""}),
        (ZH_MESSAGE, "", {"doc_type": "", "issuer": "", "number": ""}),
    ],
)
def test_document_fields(text, title, expected):
    got = meta(text, "zh", title)
    assert {field: getattr(got, field) for field in expected} == expected


def test_statute_header_events_and_effective_date():
    got = meta(ZH_STATUTE, "zh", "上海市街道办事处条例")
    roles = [(d.date, d.role) for d in got.dates]
    assert roles == [("1997-01-15", "adopted"), ("2016-09-14", "amended"), ("2016-11-01", "effective")]


def test_chinese_notice_keeps_the_cited_number_as_a_reference():
    got = meta(ZH_NOTICE, "zh")
    assert got.references == ("国办发〔2020〕23号",)


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2021年10月28日", "2021-10-28"),
        ("二〇二一年十月二十八日", "2021-10-28"),
        ("二〇二〇年一月三十一日", "2020-01-31"),
        ("1982年\n12月4日", "1982-12-04"),
        ("修正日期：民國 111 年 05 月 11 日", "2022-05-11"),
    ],
)
def test_chinese_dates_become_iso(text, iso):
    assert [d.date for d in meta(text, "zh").dates] == [iso]


@pytest.mark.parametrize(
    "line, number",
    [
        ("国办发〔2020〕23号", "国办发〔2020〕23号"),
        ("沪府规〔2021〕5号", "沪府规〔2021〕5号"),
        ("（第12号）", "第12号"),
    ],
)
def test_chinese_document_numbers(line, number):
    got = meta(f"上海市人民政府公告\n{line}\n现将有关事项公告如下。", "zh")
    assert got.number == number
    assert got.doc_type == "gonggao"


# ---------------------------------------------------------------- places


@pytest.mark.parametrize(
    "text, place, level",
    [
        ("据介绍，上海市。", "上海市", "city"),
        ("据介绍，河南省。", "河南省", "province"),
        ("据介绍，长宁区。", "长宁区", "district"),
        ("据介绍，大学路街道。", "大学路街道", "ward"),
        ("据介绍，北虹小区。", "北虹小区", "community"),
    ],
)
def test_place_levels(text, place, level):
    assert [(p.name, p.level) for p in meta(text, "zh").places] == [(place, level)]


@pytest.mark.parametrize(
    "text, places",
    [
        ("据长宁区介绍,明辉西郊苑是新泾镇北虹小区管辖的一个高档商品房小区。", ["长宁区", "新泾镇", "北虹小区"]),
        ("大学路街道祥和社区市场南街2号院门口排了一条长长的队。", ["大学路街道", "祥和社区"]),
        ("老旧小区整治是提升城市品质的有效途径,社区居委会积极参与。", []),
        ("由省、自治区、直辖市和不设区的市、市辖区的人民政府规定。", []),
        ("取得营业执照,经营餐饮,店名“胡厨渔村”。", []),
        ("小区毗邻闵行区七宝镇、青浦区徐泾镇。", ["闵行区", "七宝镇", "青浦区", "徐泾镇"]),
        ("E市E5县高滋村在十月有人到兴东村进行宣传。", ["E市", "E5县", "高滋村", "兴东村"]),
        ("街道办事处应当合理配置街道工作力量,委托社区办理。", []),
        ("本條例所稱區分所有,指數人區分一建築物。", []),
    ],
)
def test_chinese_places(text, places):
    assert sorted(p.name for p in meta(text, "zh").places) == sorted(places)


PLACE_CASES = [
    ("抄送 line", "长宁区人民政府关于加强老旧小区管理的通知\n\n各街道办事处：\n\n请认真贯彻执行。\n\n抄送：浦东新区人民政府，闵行区人民政府。",
     ["长宁区"]),
]


@pytest.mark.parametrize("label, text, places", PLACE_CASES, ids=[c[0] for c in PLACE_CASES])
def test_places_never_come_from_distribution_lists_or_person_names(label, text, places):
    assert [p.name for p in extract_metadata(normalize_text(text), "zh").places] == places


# ---------------------------------------------------------------- labelled dates and pages read by OCR


def test_a_month_without_its_day_gives_the_year_only():
    text = "新竹市垃圾強制分類表\n製表日期：113年5月一、「資源物」分類表：\n類別 項目\n"
    meta = extract_metadata(normalize_text(text), "zh", "新竹市垃圾強制分類表")
    assert (meta.issue_date, meta.year) == ("", 2024)


def test_an_ocr_read_statute_page_is_named_by_its_labelled_line_not_the_banner():
    from pipeline.readers._common import first_line

    # page 1 of the Taiwanese condominium act as Tesseract reads it: the database banner misread on top
    text = ("生全國法規資料庫\nLamws & Regulations Database cf The Ruepublic of China\n法規名稱:公寓大廈管理條例\n"
            "修正日期:民國111年05月11日\n\n第一章總則\n第1條\n為加強公寓大廈之管理維護,提昇居住品質,特制定本條例。\n")
    assert first_line(text) == "公寓大廈管理條例"
    for title in (first_line(text), "生全國法規資料庫"):
        meta = extract_metadata(normalize_text(text), "zh", title)
        assert (meta.doc_type, meta.issue_date) == ("tiaoli", "2022-05-11")
