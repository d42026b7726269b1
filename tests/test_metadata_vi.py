"""Vietnamese metadata (`pipeline.metadata.vi`): type, number, dates and their roles, issuer, signer, places.

The snippets are written for these tests, modelled on the layout of real Vietnamese documents (headers,
signature blocks, laws, news), and on pages as Tesseract reads them.
"""
from __future__ import annotations

import pytest

from pipeline.metadata import DocMeta, extract_metadata
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


def meta(text: str, lang: str, title: str = "") -> DocMeta:
    return extract_metadata(normalize_text(text), lang, title)


# ---------------------------------------------------------------- whole documents


@pytest.mark.parametrize(
    "text, title, expected",
    [
        (VI_DECISION, "", {
            "doc_type": "quyet_dinh", "number": "123/QĐ-UBND", "issue_date": "2024-03-05", "year": 2024,
            "issuer": "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN", "signer": "Nguyễn Văn An", "signer_title": "PHÓ CHỦ TỊCH"}),
        (VI_PARTY_PLAN, "", {
            "doc_type": "ke_hoach", "number": "79-KH/ĐU", "issue_date": "2022-03-31", "year": 2022,
            "issuer": "ĐẢNG ỦY PHƯỜNG GIANG BIÊN", "signer": "Đinh Xuân Hùng", "signer_title": "BÍ THƯ"}),
        (VI_RESOLUTION_NO_HEADER, "", {
            "doc_type": "nghi_quyet", "number": "", "issue_date": "2021-10-28", "year": 2021,
            "issuer": "ĐẢNG ỦY PHƯỜNG GIANG BIÊN", "signer": "Đinh Xuân Hùng"}),
        (VI_LAW, "Luật Cư trú", {
            "doc_type": "luat", "issue_date": "2020-11-13", "issuer": "Quốc hội", "signer": "Nguyễn Thị Kim Ngân"}),
        (VI_ANNEX, "", {
            "doc_type": "cong_van", "number": "1027/CTK-CSCL", "issue_date": "2025-06-25", "issuer": "Cục Thống kê"}),
        (VI_NEWS, "", {"doc_type": "news", "number": "", "issue_date": "", "year": None, "issuer": ""}),
        (VI_EXPLAINER, "", {"doc_type": "", "issue_date": "", "issuer": ""}),
    ],
)
def test_document_fields(text, title, expected):
    got = meta(text, "vi", title)
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


def test_a_blank_number_still_gives_the_year():
    text = "CHÍNH PHỦ\nSố: /2026/NĐ-CP Hà Nội, ngày tháng năm\nNGHỊ ĐỊNH\nQuy định chi tiết"
    got = meta(text, "vi")
    assert (got.doc_type, got.number, got.issue_date, got.year, got.issuer) == ("nghi_dinh", "", "", 2026, "CHÍNH PHỦ")


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
    "text, place, level",
    [
        ("thành phố Hà Nội", "thành phố Hà Nội", "province"),
        ("thành phố Thủ Đức", "thành phố Thủ Đức", "district"),
        ("tỉnh An Giang", "tỉnh An Giang", "province"),
        ("huyện Bình Chánh", "huyện Bình Chánh", "district"),
        ("thị trấn Lim", "thị trấn Lim", "ward"),
    ],
)
def test_place_levels(text, place, level):
    assert [(p.name, p.level) for p in meta(text, "vi").places] == [(place, level)]


PLACE_CASES = [
    ("a person after an elided city",
     "Tại hội nghị tháng 1-2017, Chủ tịch UBND thành phố Nguyễn Đức Chung đã chỉ rõ các hạn chế của quận Hoàn Kiếm.",
     ["quận Hoàn Kiếm"]),
    ("a chairman after his district's elided name",
     "Quận ủy, UBND quận Đống Đa tổ chức lễ phát động. Chủ tịch UBND quận Nguyễn Song Hào phát động Tết trồng cây.",
     ["quận Đống Đa"]),
    ("a chairwoman after an office of a district body",
     "Tại huyện Ba Vì, Chủ tịch Hội Nông dân huyện Phan Thị Hải Yến cho hay: Hội tích cực tham gia.",
     ["huyện Ba Vì"]),
    ("a ward named after a person, written only after its chairman",
     "Chủ tịch UBND phường Nguyễn Cư Trinh cho biết phường đã hoàn thành kế hoạch.",
     ["phường Nguyễn Cư Trinh"]),
    ("a commune named after a person, also written without an office",
     "Xã Phạm Văn Cội đạt chuẩn nông thôn mới. Chủ tịch UBND xã Phạm Văn Cội cho biết thêm.",
     ["xã Phạm Văn Cội"]),
    ("the city of Hồ Chí Minh is a city", "Ủy ban nhân dân thành phố Hồ Chí Minh ban hành kế hoạch.",
     ["thành phố Hồ Chí Minh"]),
    ("Vietnamese distribution list",
     "NGHỊ QUYẾT\nVề quản lý nhà chung cư trên địa bàn phường Giang Biên\n\nĐiều 1. Giao Ủy ban nhân dân phường thực hiện.\n\n"
     "Nơi nhận:\n- UBND tỉnh Tuyên Quang;\n- UBND quận Long Biên;\n- Lưu VT.\n\nT/M ĐẢNG ỦY\nBÍ THƯ\n\nĐinh Xuân Hùng",
     ["phường Giang Biên"]),
    ("distribution list in a Markdown table beside the signature",
     "Điều 1. Thành lập phường Hoàng Mai.\n\n+------+------+\n| ***Nơi nhận:\\*** | **TM. ỦY BAN NHÂN DÂN |\n"
     "| - UBND tỉnh Tuyên Quang; | CHỦ TỊCH |\n+------+------+",
     ["phường Hoàng Mai"]),
]


@pytest.mark.parametrize("label, text, places", PLACE_CASES, ids=[c[0] for c in PLACE_CASES])
def test_places_never_come_from_distribution_lists_or_person_names(label, text, places):
    assert [p.name for p in extract_metadata(normalize_text(text), "vi").places] == places


def test_tx_abbreviates_thi_xa():
    text = "(Baonghean) - Tại đền Cờn (phường Quỳnh Phương, TX. Hoàng Mai) giá giữ xe tăng cao, PV ghi nhận."
    places = extract_metadata(normalize_text(text), "vi").places
    assert ("thị xã Hoàng Mai", "district") in [(p.name, p.level) for p in places]


# ---------------------------------------------------------------- pages read by OCR


def test_an_ocr_read_decree_keeps_its_type_number_and_date():
    from pipeline.metadata import extract_metadata

    # as Tesseract read the scanned decree: tone marks lost in the type line, a stray space in the number
    text = ("77270\nCHINH PHU\nCỘNG HOA XA HỘI CHU NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 199 /2026/NĐ-CP\nHà Nội, ngày 15 tháng 6 năm 2026\nNGHI ĐINH\n"
            "Quy định chi tiết về quản lý nhà chung cư\nCăn cứ Luật Nhà ở;\nĐiều 1. Phạm vi điều chỉnh\n")
    meta = extract_metadata(text, "vi", "", "")
    assert (meta.doc_type, meta.doc_type_name, meta.number, meta.issue_date) == (
        "nghi_dinh", "Nghị định", "199/2026/NĐ-CP", "2026-06-15")


def test_an_ocr_read_header_date_with_a_letter_for_a_digit():
    # as Tesseract read the first page of decree 49/2026/NĐ-CP: "3l" for 31
    text = ("CHÍNH PHỦ\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 49/2026/NĐ-CP\n"
            "Hà Nội, ngày 3l tháng 01 năm 2026\n\nNGHỊ ĐỊNH\nQuy định chỉ tiết một số điều\nCăn cứ Luật Đắt đai số 31⁄2024/OHI5;\n")
    meta = extract_metadata(normalize_text(text), "vi")
    assert (meta.issue_date, meta.year, meta.number, meta.issuer) == ("2026-01-31", 2026, "49/2026/NĐ-CP", "CHÍNH PHỦ")


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
