"""Metadata extraction: document type, number, dates and their roles, issuer, signer, places.

The snippets are written for these tests, modelled on the layout of real Vietnamese and Chinese
documents (headers, signature blocks, statute headers, news and citizen messages).
"""
from __future__ import annotations

import json

import pytest

from pipeline.metadata import DOC_TYPES, DocMeta, extract_metadata
from pipeline.normalize import normalize_text

VI_DECISION = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
QUẬN LONG BIÊN Độc lập - Tự do - Hạnh phúc
Số: 123/QĐ-UBND Long Biên, ngày 5 tháng 3 năm 2024
QUYẾT ĐỊNH
Về việc thành lập Tổ công tác quản lý nhà chung cư trên địa bàn phường Giang Biên
ỦY BAN NHÂN DÂN QUẬN LONG BIÊN
Căn cứ Nghị quyết số 12/NQ-HĐND ngày 10/12/2023 của Hội đồng nhân dân quận;
Xét đề nghị của Trưởng phòng Quản lý đô thị,
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác quản lý nhà chung cư trên địa bàn phường Giang Biên.
Điều 2. Quyết định này có hiệu lực kể từ ngày 15/3/2024./.
Nơi nhận: TM. ỦY BAN NHÂN DÂN
- Như Điều 2; KT. CHỦ TỊCH
- Lưu: VT.
PHÓ CHỦ TỊCH
Nguyễn Văn An"""

VI_PARTY_PLAN = """ĐẢNG BỘ QUẬN LONG BIÊN ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG ỦY PHƯỜNG GIANG BIÊN
*
Số 79-KH/ĐU Giang Biên, ngày 31/3/2022
KẾ HOẠCH
Tổ chức đại hội chi bộ trực thuộc nhiệm kỳ 2022-2025
Thực hiện Chương trình số 01-CTr/QU ngày 15/10/2020 của Ban Chấp hành Đảng bộ quận Long Biên, Đảng ủy phường xây dựng kế hoạch như sau.
T/M ĐẢNG ỦY
BÍ THƯ
Đinh Xuân Hùng"""

VI_RESOLUTION_NO_HEADER = """NGHỊ QUYẾT
Lãnh đạo nâng cao chất lượng hoạt động ở tổ dân phố có khu chung cư trên địa bàn phường Giang Biên
Thực hiện Chương trình 01-CTr/QU ngày 15/10/2020 của Ban Chấp hành Đảng bộ quận Long Biên, khóa IV.
Để nâng cao chất lượng hoạt động, ngày 28/10/2021, Đảng ủy phường Giang Biên đã họp và thống nhất ban hành Nghị quyết với một số nội dung sau.
Nghị quyết này được phổ biến đến chi bộ./.
Nơi nhận:
- TT Quận ủy,
- Lưu VPDU.
T/M ĐẢNG ỦY
BÍ THƯ
ĐẢNG ỦY
PHƯỜNG
GIANG BIÊN
Đinh Xuân Hùng"""

VI_LAW = """Điều 1. Phạm vi điều chỉnh
Luật này quy định về việc thực hiện quyền tự do cư trú của công dân.
Điều 40. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2021.
Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIV, kỳ họp thứ 10 thông qua ngày 13 tháng 11 năm 2020.
CHỦ TỊCH QUỐC HỘI
(Đã ký)
Nguyễn Thị Kim Ngân"""

VI_ANNEX = """Phụ lục I DANH MỤC CÁC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ
(Ban hành kèm theo Công văn số 1027/CTK-CSCL ngày 25 tháng 6 năm 2025 của Cục Thống kê)
| 1 | 00070 | Phường Hoàn Kiếm | Thành phố Hà Nội |"""

VI_NEWS = """Trưa 6/2, trong cuộc họp của UBND TP.Hà Nội, ông Nguyễn Đức Chung yêu cầu báo cáo vụ việc tại trường mầm non ở phường Minh Khai, quận Hai Bà Trưng.
Giám đốc Sở GD-ĐT Hà Nội cho biết trường đã bị đình chỉ. Ảnh: Trí Kiên
Trí Kiên"""

VI_EXPLAINER = """**Đất chưa đăng ký lần đầu thì bị phạt bao nhiêu?**
Căn cứ theo Điều 16 Nghị định 123/2024/NĐ-CP quy định như sau:
Như vậy, Chủ tịch Ủy ban nhân dân cấp xã có thẩm quyền xử phạt.
Quý khách cần hỏi thêm thông tin về có thể đặt câu hỏi tại đây."""

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
    "text, lang, title, expected",
    [
        (VI_DECISION, "vi", "", {
            "doc_type": "quyet_dinh", "number": "123/QĐ-UBND", "issue_date": "2024-03-05", "year": 2024,
            "issuer": "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN", "signer": "Nguyễn Văn An", "signer_title": "PHÓ CHỦ TỊCH"}),
        (VI_PARTY_PLAN, "vi", "", {
            "doc_type": "ke_hoach", "number": "79-KH/ĐU", "issue_date": "2022-03-31", "year": 2022,
            "issuer": "ĐẢNG ỦY PHƯỜNG GIANG BIÊN", "signer": "Đinh Xuân Hùng", "signer_title": "BÍ THƯ"}),
        (VI_RESOLUTION_NO_HEADER, "vi", "", {
            "doc_type": "nghi_quyet", "number": "", "issue_date": "2021-10-28", "year": 2021,
            "issuer": "ĐẢNG ỦY PHƯỜNG GIANG BIÊN", "signer": "Đinh Xuân Hùng"}),
        (VI_LAW, "vi", "Luật Cư trú", {
            "doc_type": "luat", "issue_date": "2020-11-13", "issuer": "Quốc hội", "signer": "Nguyễn Thị Kim Ngân"}),
        (VI_ANNEX, "vi", "", {
            "doc_type": "cong_van", "number": "1027/CTK-CSCL", "issue_date": "2025-06-25", "issuer": "Cục Thống kê"}),
        (VI_NEWS, "vi", "", {"doc_type": "news", "number": "", "issue_date": "", "year": None, "issuer": ""}),
        (VI_EXPLAINER, "vi", "", {"doc_type": "", "issue_date": "", "issuer": ""}),
        (ZH_NOTICE, "zh", "", {
            "doc_type": "tongzhi", "number": "沪府办规〔2021〕5号", "issue_date": "2021-10-28", "year": 2021,
            "issuer": "上海市人民政府办公厅"}),
        (ZH_OPINION, "zh", "", {"doc_type": "yijian", "issue_date": "2021-10-28", "issuer": "中共长宁区委员会"}),
        (ZH_STATUTE, "zh", "上海市街道办事处条例", {
            "doc_type": "tiaoli", "issue_date": "2016-09-14", "issuer": "上海市人民代表大会常务委员会"}),
        (ZH_ORDER, "zh", "信访条例", {
            "doc_type": "tiaoli", "number": "国务院令第431号", "issue_date": "2005-01-10", "issuer": "国务院"}),
        (ZH_NEWS, "zh", "", {"doc_type": "news", "issue_date": "", "issuer": ""}),
        (ZH_MESSAGE, "zh", "", {"doc_type": "", "issuer": "", "number": ""}),
    ],
)
def test_document_fields(text, lang, title, expected):
    got = meta(text, lang, title)
    assert {field: getattr(got, field) for field in expected} == expected


def test_cited_dates_are_told_apart_from_the_issue_date():
    got = meta(VI_DECISION, "vi")
    roles = {d.date: d.role for d in got.dates}
    assert roles == {"2024-03-05": "issued", "2023-12-10": "cited", "2024-03-15": "effective"}
    assert "12/NQ-HĐND" in got.references and "123/QĐ-UBND" not in got.references


def test_a_programme_cited_in_the_body_is_not_the_documents_own_number():
    got = meta(VI_PARTY_PLAN, "vi")
    assert got.number == "79-KH/ĐU"
    assert "01-CTr/QU" in got.references
    assert [d.role for d in got.dates if d.date == "2020-10-15"] == ["cited"]


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
        ("Hà Nội, ngày 5 tháng 3 năm 2024", "2024-03-05"),
        ("ngày 28/10/2021", "2021-10-28"),
        ("ngày 25 tháng 6 năm 2025", "2025-06-25"),
        ("ngày 31-3-2022", "2022-03-31"),
    ],
)
def test_vietnamese_dates_become_iso(text, iso):
    assert [d.date for d in meta(text, "vi").dates] == [iso]


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


def test_a_blank_number_still_gives_the_year():
    text = "CHÍNH PHỦ\nSố: /2026/NĐ-CP Hà Nội, ngày tháng năm\nNGHỊ ĐỊNH\nQuy định chi tiết"
    got = meta(text, "vi")
    assert (got.doc_type, got.number, got.issue_date, got.year, got.issuer) == ("nghi_dinh", "", "", 2026, "CHÍNH PHỦ")


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
    "text, places",
    [
        ("trên địa bàn phường Giang Biên, quận Long Biên", ["phường Giang Biên", "quận Long Biên"]),
        ("ĐẢNG ỦY PHƯỜNG GIANG BIÊN", ["phường Giang Biên"]),
        ("bảo đảm trật tự an toàn xã hội, xã hội hóa", []),
        ("UBND TP.HCM vừa giao nhiệm vụ", ["thành phố Hồ Chí Minh"]),
        ("các tỉnh Nghệ An, Hà Tĩnh và Quảng Nam", ["tỉnh Nghệ An", "tỉnh Hà Tĩnh", "tỉnh Quảng Nam"]),
        ("07 tổ dân phố thuộc 2 cụm dân cư quán tỉnh, Tỉnh Quang", []),
        ("Chủ tịch UBND tỉnh Lê Trí Thanh cho biết", []),
        ("Thường trực Đảng ủy 11 phường 6 tháng đầu năm 2022", []),
        ("phối hợp với UBND quận 8 giải phóng mặt bằng", ["quận 8"]),
        ("hãng tin đưa bài về loa phường Việt Nam", []),
        ("tại TP. Thủ Đức (quận 9 cũ)", ["thành phố Thủ Đức", "quận 9"]),
        ("nước TP. Bên cạnh đó", []),
        ("tỉnh Thừa Thiên – Huế", ["tỉnh Thừa Thiên - Huế"]),
        ("hợp nhất tỉnh Tuyên\nQuang và tỉnh Hà Giang", ["tỉnh Tuyên Quang", "tỉnh Hà Giang"]),
    ],
)
def test_vietnamese_places(text, places):
    assert sorted(p.name for p in meta(text, "vi").places) == sorted(places)


@pytest.mark.parametrize(
    "text, lang, place, level",
    [
        ("thành phố Hà Nội", "vi", "thành phố Hà Nội", "province"),
        ("thành phố Thủ Đức", "vi", "thành phố Thủ Đức", "district"),
        ("tỉnh An Giang", "vi", "tỉnh An Giang", "province"),
        ("huyện Bình Chánh", "vi", "huyện Bình Chánh", "district"),
        ("thị trấn Lim", "vi", "thị trấn Lim", "ward"),
        ("据介绍，上海市。", "zh", "上海市", "city"),
        ("据介绍，河南省。", "zh", "河南省", "province"),
        ("据介绍，长宁区。", "zh", "长宁区", "district"),
        ("据介绍，大学路街道。", "zh", "大学路街道", "ward"),
        ("据介绍，北虹小区。", "zh", "北虹小区", "community"),
    ],
)
def test_place_levels(text, lang, place, level):
    assert [(p.name, p.level) for p in meta(text, lang).places] == [(place, level)]


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


def test_header_places_rank_before_frequent_body_places():
    text = VI_DECISION + "\nphường Việt Hưng, phường Việt Hưng, phường Việt Hưng"
    names = [p.name for p in meta(text, "vi").places]
    assert names[0] == "quận Long Biên"
    assert names[1] == "phường Việt Hưng"


# ---------------------------------------------------------------- API


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


def test_an_ocr_read_decree_keeps_its_type_number_and_date():
    from pipeline.metadata import extract_metadata

    # as Tesseract read the scanned decree: tone marks lost in the type line, a stray space in the number
    text = ("77270\nCHINH PHU\nCỘNG HOA XA HỘI CHU NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 199 /2026/NĐ-CP\nHà Nội, ngày 15 tháng 6 năm 2026\nNGHI ĐINH\n"
            "Quy định chi tiết về quản lý nhà chung cư\nCăn cứ Luật Nhà ở;\nĐiều 1. Phạm vi điều chỉnh\n")
    meta = extract_metadata(text, "vi", "", "")
    assert (meta.doc_type, meta.doc_type_name, meta.number, meta.issue_date) == (
        "nghi_dinh", "Nghị định", "199/2026/NĐ-CP", "2026-06-15")


# ---------------------------------------------------------------- publication dates of news and web pages

PUBLISHED = [
    # a web page's posting line after the quoted source and its link
    ("vi", "Thông qua Nghị quyết về miễn thuế\n\nChiều 26/6, Quốc hội đã thông qua Nghị quyết, đại biểu cho biết.\n\n"
     "Theo Cổng Thông tin điện tử Chính phủ\n\nLink bài viết gốc: https://xaydungchinhsach.chinhphu.vn/a.htm\n\n"
     "Ngày đăng: 26/06/2025 15:42", "2025-06-26"),
    # the time before the date, in markdown emphasis
    ("vi", "Hội nghị kiểm tra\n\nChủ nhiệm Ủy ban chủ trì hội nghị.\n\n*Ngày đăng bài viết gốc: 14:30 | 17/03/2025*", "2025-03-17"),
    # a dateline with its year
    ("vi", "Tân Phó Bí thư nhận nhiệm vụ\nNgày 8/2/2017, tại Yên Bái, ông Nguyễn Văn An cho biết tỉnh sẽ tập trung cải cách. "
     "Ảnh: PV\nÔng An cho biết thêm về kế hoạch.\nHải Đăng", "2017-02-08"),
    # a dateline without a year, which a photo caption gives for the same day
    ("vi", "Kỳ họp thứ ba đã khai mạc tại Nhà Quốc hội vào sáng 22/5.\nSáng 22/5/2017, Lễ khai mạc được tổ chức. "
     "Ảnh: Nguyễn Dân -TTXVN Đại biểu cho biết nhiều nội dung.", "2017-05-22"),
    # the dateline after a caption's photo credit; the year given to the same day further on
    ("vi", "Có 32 luật cần sửa đổi.\nBộ trưởng phát biểu. Ảnh: An Đăng -TTXVN Sáng 26/5, các đại biểu thảo luận, "
     "ông Vũ Hồng Thanh cho biết. Phiên họp sáng 26/5/2017 kết thúc lúc 11 giờ.", "2017-05-26"),
    # "(Source) - Ngày 6/2," opening the report; the year from a quoted notice
    ("vi", "(VnMedia) - Ngày 6/2, các tiểu thương đánh trống phản đối, phóng viên ghi nhận.\n"
     "Thông báo ghi: “từ ngày 6/2/2017, chợ tạm dừng hoạt động”. Hải Đăng", "2017-02-06"),
    # no year for the dateline anywhere in the text: undated
    ("vi", "Sáng 19/5, tại nghĩa trang liệt sỹ đã diễn ra lễ truy điệu, lãnh đạo tỉnh cho biết.\nẢnh: PV", ""),
    # a cited decision's date in the opening sentence is not a dateline
    ("vi", "UBND tỉnh vừa có Quyết định số 28/2017/QĐ-UBND ngày 25/1/2017 về bãi bỏ bảng giá, ông An cho biết.\n"
     "Ảnh: PV", ""),
    # an event inside the story, ten years back, is not a dateline
    ("vi", "(Baonghean) - Tục trộm dâu đã bị biến tướng, người dân cho biết.\nCách đây 10 năm, báo chí từng phản ánh. "
     "Đêm 12/1/2007, một tốp thanh niên bàn chuyện cướp dâu.\nSầm Văn Bình", ""),
    # a deadline is not a dateline
    ("vi", "Từ ngày 15/2/2017, Thông tư về phân hạng nhà chung cư có hiệu lực, PV cho biết.\nẢnh: PV", ""),
    # an explainer's "Ngày ..., UBND ... ra Kế hoạch" dates the plan, not the page
    ("vi", "**Môn thi tuyển sinh lớp 10 được quy định ra sao?**\n\nNgày 24/1/2025, Ủy ban nhân dân tỉnh ra Kế hoạch "
     "tuyển sinh.\n\nCăn cứ theo Điều 5 quy định như sau:\n\nQuý khách cần hỏi thêm thông tin về có thể đặt câu hỏi tại đây.", ""),
    ("zh", "长宁区召开业主委员会工作会议\n会议部署了下一阶段工作。\n发布时间：2023-05-06 10:20\n来源：长宁区人民政府", "2023-05-06"),
    ("zh", "本报讯（记者 王明）5月6日上午，长宁区召开业主委员会工作会议。\n据介绍，该区自2023年5月6日起推行新的议事规则。",
     "2023-05-06"),
    ("zh", "新华社北京2023年5月6日电 记者从民政部获悉，全国社区治理工作会议召开。", "2023-05-06"),
    ("zh", "本报讯（记者 王明）5月6日上午，长宁区召开业主委员会工作会议。\n据介绍，会议持续了两个小时。", ""),
]


PUBLISHED_IDS = ["posting-line", "posting-line-time-first", "dateline-year", "dateline-caption-year",
                 "dateline-after-credit", "source-prefix", "no-year", "cited-date", "story-event", "deadline",
                 "explainer", "zh-posting-line", "zh-dateline", "zh-dispatch", "zh-no-year"]


@pytest.mark.parametrize("lang, text, date", PUBLISHED, ids=PUBLISHED_IDS)
def test_news_and_web_pages_are_dated_by_their_publication_date(lang, text, date):
    meta = extract_metadata(normalize_text(text), lang)
    assert (meta.issue_date, meta.year) == (date, int(date[:4]) if date else None)
    published = [d for d in meta.dates if d.role == "published"]
    assert [d.date for d in published] == ([date] if date else [])


def test_a_publication_date_points_at_its_dateline():
    text = normalize_text(PUBLISHED[2][1])
    (published,) = [d for d in extract_metadata(text, "vi").dates if d.role == "published"]
    assert text[published.start : published.end] == "Ngày 8/2/2017"


def test_an_ocr_read_header_date_with_a_letter_for_a_digit():
    # as Tesseract read the first page of decree 49/2026/NĐ-CP: "3l" for 31
    text = ("CHÍNH PHỦ\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 49/2026/NĐ-CP\n"
            "Hà Nội, ngày 3l tháng 01 năm 2026\n\nNGHỊ ĐỊNH\nQuy định chỉ tiết một số điều\nCăn cứ Luật Đắt đai số 31⁄2024/OHI5;\n")
    meta = extract_metadata(normalize_text(text), "vi")
    assert (meta.issue_date, meta.year, meta.number, meta.issuer) == ("2026-01-31", 2026, "49/2026/NĐ-CP", "CHÍNH PHỦ")


def test_tx_abbreviates_thi_xa():
    text = "(Baonghean) - Tại đền Cờn (phường Quỳnh Phương, TX. Hoàng Mai) giá giữ xe tăng cao, PV ghi nhận."
    places = extract_metadata(normalize_text(text), "vi").places
    assert ("thị xã Hoàng Mai", "district") in [(p.name, p.level) for p in places]


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


@pytest.mark.slow
def test_real_decree_page_read_by_ocr_is_dated_and_titled(shared_pdfs, tesseract):
    import pypdfium2 as pdfium

    from pipeline.readers._common import first_line
    from pipeline.readers._layout import page_text
    from pipeline.readers._ocr import Tesseract
    from pipeline.readers.pdf import _render

    path = shared_pdfs / "vi" / "vi_49-2026-ND-CP.pdf"
    if not path.exists():
        pytest.skip(f"{path} missing")
    pdf = pdfium.PdfDocument(str(path))
    try:
        image, dpi = _render(pdf[0])
    finally:
        pdf.close()
    text = normalize_text(page_text(Tesseract(lang="vie").read(image, dpi), image.width))
    meta = extract_metadata(text, "vi", first_line(text))
    assert (meta.doc_type, meta.number, meta.issue_date, meta.issuer) == (
        "nghi_dinh", "49/2026/NĐ-CP", "2026-01-31", "CHÍNH PHỦ")
    # the whole name, wrapped over three lines, up to the first "Căn cứ"
    title = first_line(text)
    assert title.startswith("NGHỊ ĐỊNH: Quy định") and title.rstrip().endswith("Luật Đắt đai") and "Căn cứ" not in title


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


PLACE_CASES = [
    ("a person after an elided city",
     "Tại hội nghị tháng 1-2017, Chủ tịch UBND thành phố Nguyễn Đức Chung đã chỉ rõ các hạn chế của quận Hoàn Kiếm.",
     "vi", ["quận Hoàn Kiếm"]),
    ("the city of Hồ Chí Minh is a city", "Ủy ban nhân dân thành phố Hồ Chí Minh ban hành kế hoạch.", "vi",
     ["thành phố Hồ Chí Minh"]),
    ("Vietnamese distribution list",
     "NGHỊ QUYẾT\nVề quản lý nhà chung cư trên địa bàn phường Giang Biên\n\nĐiều 1. Giao Ủy ban nhân dân phường thực hiện.\n\n"
     "Nơi nhận:\n- UBND tỉnh Tuyên Quang;\n- UBND quận Long Biên;\n- Lưu VT.\n\nT/M ĐẢNG ỦY\nBÍ THƯ\n\nĐinh Xuân Hùng",
     "vi", ["phường Giang Biên"]),
    ("distribution list in a Markdown table beside the signature",
     "Điều 1. Thành lập phường Hoàng Mai.\n\n+------+------+\n| ***Nơi nhận:\\*** | **TM. ỦY BAN NHÂN DÂN |\n"
     "| - UBND tỉnh Tuyên Quang; | CHỦ TỊCH |\n+------+------+",
     "vi", ["phường Hoàng Mai"]),
    ("抄送 line", "长宁区人民政府关于加强老旧小区管理的通知\n\n各街道办事处：\n\n请认真贯彻执行。\n\n抄送：浦东新区人民政府，闵行区人民政府。",
     "zh", ["长宁区"]),
]


@pytest.mark.parametrize("label, text, lang, places", PLACE_CASES, ids=[c[0] for c in PLACE_CASES])
def test_places_never_come_from_distribution_lists_or_person_names(label, text, lang, places):
    assert [p.name for p in extract_metadata(normalize_text(text), lang).places] == places
