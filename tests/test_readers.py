"""Readers: file discovery, encoding detection, txt / pdf / jsonl extraction and their errors."""
from __future__ import annotations

import codecs
import itertools
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from pipeline.config import Settings, load_settings, tesseract_lang
from pipeline.errors import (
    EmptyDocument, EncodingError, ExtractionFailed, GovtextError, OcrUnavailable, UnsupportedFormat,
)
from pipeline.readers import iter_files, read_file, supported_extensions
from pipeline.readers._layout import Line, joiner, page_text
from pipeline.readers._ocr import INSTALL_HINT, chinese_script, choose_lang, tsv_lines
from pipeline.readers.pdf import pick_page_text

# Taiwan's Condominium Management Act, articles 1 and 3 (traditional characters, Big5-encodable).
TW_LAW = "第 1 條\n為加強公寓大廈之管理維護，提昇居住品質，特制定本條例。\n第 3 條\n本條例用辭定義如下：\n一、公寓大廈"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: base letters it has precomposed, then a combining tone byte."""
    out = bytearray()
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.S):
        tone = "".join(c for c in cluster if c in "\u0300\u0301\u0303\u0309\u0323")
        base = nfc("".join(c for c in cluster if c not in tone))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def read_one(path):
    docs = list(read_file(path))
    assert len(docs) == 1
    return docs[0]


# ---------------------------------------------------------------- discovery and dispatch


def test_supported_extensions():
    assert supported_extensions() == [".docx", ".htm", ".html", ".jsonl", ".md", ".pdf", ".txt"]


def test_iter_files_walks_sorted_skips_hidden_and_keeps_named_files(tmp_path):
    for name in ["b/z.txt", "b/a.PDF", "a.md", "c.jsonl", "notes.odt", "page.HTM", ".hidden.txt",
                 ".git/config.txt", "b/.cache/x.txt", "b/sub/deep.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    named = tmp_path / "notes.odt"
    found = list(iter_files([tmp_path, named, tmp_path / "a.md"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.md", "c.jsonl", "page.HTM", "b/a.PDF", "b/z.txt", "b/sub/deep.txt", "notes.odt",
    ]
    assert found == list(iter_files([str(tmp_path), str(named)]))


def test_unsupported_extension_lists_supported_ones(tmp_path):
    path = tmp_path / "report.odt"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedFormat, match=r"\.odt.*\.docx, \.htm, \.html, \.jsonl, \.md, \.pdf, \.txt"):
        read_file(path)


@pytest.mark.parametrize("name", ["missing.txt", "missing.pdf", "missing.jsonl"])
def test_missing_file_is_extraction_failed(tmp_path, name):
    with pytest.raises(ExtractionFailed, match="no such file"):
        list(read_file(tmp_path / name))


def test_folder_named_like_a_file_is_extraction_failed(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ExtractionFailed, match="cannot read"):
        list(read_file(tmp_path / "folder.txt"))


# ---------------------------------------------------------------- txt: encodings


ENCODED = [
    ("utf-8 vi", "vi", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 zh", "zh", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", "vi", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("utf-16 BOM vi", "vi", lambda t: t.encode("utf-16"), "utf-16"),
    ("utf-16-be BOM zh", "zh", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    ("utf-16-le no BOM", "vi", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be no BOM", "zh", lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("gb18030", "zh", lambda t: t.encode("gb18030"), "gb18030"),
    ("big5", "tw", lambda t: t.encode("big5"), "cp950"),
    ("cp1258", "vi", cp1258, "cp1258"),
]


@pytest.mark.parametrize("label, lang, encode, encoding", ENCODED, ids=[e[0] for e in ENCODED])
def test_txt_encoding_round_trip(tmp_path, vi_text, zh_text, label, lang, encode, encoding):
    text = {"vi": vi_text, "zh": zh_text, "tw": TW_LAW}[lang]
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(text))
    doc = read_one(path)
    assert doc.meta["encoding"] == encoding
    assert nfc(doc.text) == nfc(text)


SHORT = [
    ("vi", "ĐẢNG ỦY PHƯỜNG GIANG BIÊN", cp1258, "cp1258"),
    ("vi", "Ổn định", cp1258, "cp1258"),
    ("vi", "Hàng quý Báo cáo Đảng ủy phường về kết quả thực hiện.", cp1258, "cp1258"),
    ("vi", "Ủy ban nhân dân", cp1258, "cp1258"),
    ("vi", "Quận ủy", lambda t: t.encode("utf-8"), "utf-8"),
    ("zh", "党建引领", lambda t: t.encode("gb18030"), "gb18030"),
    ("zh", "居民自治", lambda t: t.encode("gb18030"), "gb18030"),
    ("zh", "一征三议两公开", lambda t: t.encode("gb18030"), "gb18030"),
    ("zh", "党建引领 长宁这个小区发挥居民自治效能", lambda t: t.encode("gb18030"), "gb18030"),
    ("zh-TW", "公寓大廈管理條例", lambda t: t.encode("big5"), "cp950"),
    ("zh-TW", "區分所有權人會議", lambda t: t.encode("big5"), "cp950"),
    ("zh-TW", "社區規約", lambda t: t.encode("big5"), "cp950"),
]


@pytest.mark.parametrize("lang, text, encode, encoding", SHORT, ids=[s[1] for s in SHORT])
def test_txt_short_texts_decode_right(tmp_path, lang, text, encode, encoding):
    path = tmp_path / "short.txt"
    path.write_bytes(encode(text))
    doc = read_one(path)
    assert (nfc(doc.text), doc.meta["encoding"]) == (text, encoding)


BAD_TXT = [
    ("empty", b"", EmptyDocument, "empty"),
    ("whitespace only", b" \n\t\r\n  ", EmptyDocument, "whitespace"),
    ("utf-16 whitespace", "  \n ".encode("utf-16"), EmptyDocument, "whitespace"),
    ("PNG named .txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", ExtractionFailed,
     "binary file, not text.*PNG"),
    ("NUL bytes", b"abc\x00\x00\x01\x00def\x00", ExtractionFailed, "binary file, not text"),
    ("control characters", bytes(range(1, 9)) * 20 + b"text", ExtractionFailed, "binary file, not text"),
    ("undecodable", b"abc \x80\x81\xff", EncodingError, "tried utf-8, utf-16, gb18030, cp950, cp1258"),
    ("bad utf-8 after BOM", codecs.BOM_UTF8 + b"ok \xff\xfe", EncodingError, "marked as utf-8-sig"),
]


@pytest.mark.parametrize("label, data, error, message", BAD_TXT, ids=[b[0] for b in BAD_TXT])
def test_txt_bad_input_raises_named_error(tmp_path, label, data, error, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(error, match=message):
        list(read_file(path))


def test_txt_document_fields(tmp_path, data_dir):
    path = data_dir / "vi_resolution.txt"
    doc = read_one(path)
    assert (doc.id, doc.source, doc.title, doc.pages) == ("", str(path), "NGHỊ QUYẾT: Lãnh đạo nâng cao chất lượng hoạt động của hệ thống chính trị ở tổ dân phố có khu chung cư trên địa bàn phường Giang Biên", ())
    assert doc.meta == {"format": "txt", "encoding": "utf-8"}
    assert doc.text == path.read_text(encoding="utf-8")


TITLES = [
    ("doc.txt", "\n\n   Quận Thanh Xuân  \nbody", "Quận Thanh Xuân"),
    ("doc.md", "# 党建引领居民自治\n\n正文", "党建引领居民自治"),
    ("doc.txt", "Đ" * 300, "Đ" * 200),
]


@pytest.mark.parametrize("name, text, title", TITLES)
def test_txt_title_is_first_non_empty_line(tmp_path, name, text, title):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert read_one(path).title == title


# ---------------------------------------------------------------- pdf


def test_pdf_pages_tile_the_text_with_page_numbers(make_pdf):
    path = make_pdf(
        [["ĐẢNG ỦY PHƯỜNG GIANG BIÊN", "Ổn định tình hình"], ["党建引领 长宁这个小区发挥居民自治效能"],
         ["Trang ba: Ủy ban nhân dân"]],
        title="Nghị quyết về chung cư",
    )
    doc = read_one(path)
    assert doc.title == "Nghị quyết về chung cư"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in zip(doc.pages, doc.pages[1:]))
    page_texts = [doc.text[p.start : p.end] for p in doc.pages]
    assert page_texts[0] == "ĐẢNG ỦY PHƯỜNG GIANG BIÊN\nỔn định tình hình\n\n"
    assert page_texts[1] == "党建引领 长宁这个小区发挥居民自治效能\n\n"
    assert page_texts[2] == "Trang ba: Ủy ban nhân dân"
    assert doc.page_at(doc.text.index("长宁")) == 2
    assert doc.meta == {"format": "pdf", "extractor": ("pdfplumber",) * 3}
    assert (doc.id, doc.source) == ("", str(path))


@pytest.mark.parametrize(
    "meta_title, title",
    [
        (None, "中华人民共和国宪法"),
        ("", "中华人民共和国宪法"),
        ("Microsoft Word - 宪法.doc", "中华人民共和国宪法"),
        ("2026-06-10 (1)", "中华人民共和国宪法"),
        ("<4D6963726F736F6674>", "中华人民共和国宪法"),
        ("untitled", "中华人民共和国宪法"),
        ("新竹市垃圾強制分類表", "新竹市垃圾強制分類表"),
    ],
)
def test_pdf_title_from_metadata_only_when_meaningful(make_pdf, meta_title, title):
    path = make_pdf([["", "中华人民共和国宪法", "序言"]], title=meta_title)
    assert read_one(path).title == title


def test_pdf_empty_pages_keep_their_numbers(make_pdf):
    doc = read_one(make_pdf([["Trang một"], [], ["Trang ba"]]))
    assert [doc.text[p.start : p.end] for p in doc.pages] == ["Trang một\n\n", "\n\n", "Trang ba"]


def test_pdf_with_neither_text_nor_images_is_empty(make_pdf):
    # Drawn rectangles only: nothing to read and nothing to OCR, so Tesseract is never asked.
    with pytest.raises(EmptyDocument, match=r"none of its 2 page\(s\) has a text layer or a scanned image"):
        list(read_file(make_pdf([[], []]), settings=Settings(tesseract_cmd="/nonexistent/tesseract")))


@pytest.mark.parametrize("strength", [40, 128])
def test_password_protected_pdf_is_extraction_failed(tmp_path, pdf_fonts, strength):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "secret.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("user-pw", ownerPassword="owner", strength=strength))
    pdf.setFont(pdf_fonts["vi"], 12)
    pdf.drawString(72, 720, "Biên bản họp Ban quản trị (mật)")
    pdf.save()
    with pytest.raises(ExtractionFailed) as caught:
        list(read_file(path))
    assert str(caught.value) == "the PDF is encrypted and needs a password"


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "restricted.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    pdf.drawString(72, 720, "restricted but readable")
    pdf.save()
    assert read_one(path).text == "restricted but readable"


def test_corrupt_pdf_random_bytes(tmp_path):
    path = tmp_path / "random.pdf"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ExtractionFailed, match="corrupt or truncated PDF"):
        list(read_file(path))


@pytest.mark.parametrize("share", [0.3, 0.9, 0.99])
def test_truncated_pdf(make_pdf, share):
    path = make_pdf([["Ủy ban nhân dân"], ["党建引领"]])
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    with pytest.raises(ExtractionFailed, match="corrupt or truncated PDF"):
        list(read_file(path))


PICKS = [
    ("pdfplumber empty", "", "党建引领 长宁", ("党建引领 长宁", "pypdfium2")),
    ("pdfplumber lost lines", "第一章\n", "第一章\r\n党建引领居民自治\r\n长宁这个小区", None),
    ("CID garbage", "(cid:12)(cid:34)", "党建", ("党建", "pypdfium2")),
    ("same text, other spacing", "Ủy ban nhân dân\n", "Ủy ban  nhân dân \r\n",
     ("Ủy ban nhân dân\n", "pdfplumber")),
    ("pdfplumber has more", "1\nĐiều 1. Phạm vi", "Điều 1. Phạm vi", ("1\nĐiều 1. Phạm vi", "pdfplumber")),
    ("both empty", "", "", ("", "pdfplumber")),
    ("only CID, no fallback", "(cid:3)(cid:4)\n", "", ("\n", "pdfplumber")),
]


@pytest.mark.parametrize("label, plumber, pdfium, expected", PICKS, ids=[p[0] for p in PICKS])
def test_pick_page_text_falls_back_to_pypdfium2(label, plumber, pdfium, expected):
    if expected is None:
        expected = (pdfium, "pypdfium2")
    assert pick_page_text(plumber, pdfium) == expected


def test_real_cjk_pdf_extracts_chinese(shared_pdfs):
    path = shared_pdfs / "zh" / "zh-TW_公寓大廈管理條例111-05-11.pdf"
    if not path.exists():
        pytest.skip(f"{path} missing")
    doc = read_one(path)
    assert len(doc.pages) == 12 and doc.pages[-1].end == len(doc.text)
    assert "公寓大廈管理條例" in doc.title
    assert "為加強公寓大廈之管理維護" in doc.text
    assert sum("\u4e00" <= c <= "\u9fff" for c in doc.text) > 5000
    assert doc.page_at(doc.text.index("為加強公寓大廈之管理維護")) == 1


# ---------------------------------------------------------------- pdf: lines joined into paragraphs


def line(text, x0, x1, top, cell=False):
    return Line(text, x0, x1, top, top + 12, cell)


LAYOUTS = [
    ("Chinese wrap joins without a space; indented lines start paragraphs", [
        line("中国是世界上历史最悠久的国家之一。中国各族人民共同创造了光辉灿烂的", 96, 522, 100),
        line("文化，具有光荣的革命传统。", 72, 228, 115),
        line("一八四○年以后，封建的中国逐渐变成半殖民地、半封建的国家。中国人民", 96, 522, 130),
        line("为国家独立进行了英勇奋斗。", 72, 228, 145),
    ], "中国是世界上历史最悠久的国家之一。中国各族人民共同创造了光辉灿烂的文化，具有光荣的革命传统。\n"
       "一八四○年以后，封建的中国逐渐变成半殖民地、半封建的国家。中国人民为国家独立进行了英勇奋斗。"),
    ("a full line ending a sentence runs on where first lines are indented", [
        line("一九一一年孙中山先生领导的辛亥革命，废除了封建帝制，创立了中华民国。", 96, 522, 100),
        line("但是，中国人民反对帝国主义和封建主义的历史任务还没有完成。", 72, 400, 115),
        line("一九四九年，以毛泽东主席为领袖的中国共产党领导中国各族人民，在经历", 96, 522, 130),
        line("了长期的艰难曲折的武装斗争。", 72, 240, 145),
    ], "一九一一年孙中山先生领导的辛亥革命，废除了封建帝制，创立了中华民国。但是，中国人民反对帝国主义"
       "和封建主义的历史任务还没有完成。\n一九四九年，以毛泽东主席为领袖的中国共产党领导中国各族人民，在经历"
       "了长期的艰难曲折的武装斗争。"),
    ("Vietnamese wrap joins with one space; a short line ends its paragraph", [
        line("Điều 1. Phạm vi điều chỉnh", 96, 250, 100),
        line("1. Nghị định này quy định về chính sách hỗ trợ phục vụ đối với các chức", 96, 522, 115),
        line("danh, chức vụ lãnh đạo thuộc diện Bộ Chính trị.", 72, 330, 130),
    ], "Điều 1. Phạm vi điều chỉnh\n1. Nghị định này quy định về chính sách hỗ trợ phục vụ đối với các chức "
       "danh, chức vụ lãnh đạo thuộc diện Bộ Chính trị."),
    ("a hyphen at the wrap is kept and joins without a space", [
        line("a) Các chức danh thuộc diện Bộ Chính trị quản lý theo Quy định số 368-", 96, 522, 100),
        line("QĐ/TW ngày 08 tháng 9 năm 2025;", 72, 280, 115),
        line("b) Các chức danh thuộc diện Ban Bí thư quản lý.", 96, 380, 130),
    ], "a) Các chức danh thuộc diện Bộ Chính trị quản lý theo Quy định số 368-QĐ/TW ngày 08 tháng 9 năm 2025;\n"
       "b) Các chức danh thuộc diện Ban Bí thư quản lý."),
    ("without first-line indents, a sentence end or a numbered label starts a paragraph", [
        line("Ban quản trị họp định kỳ hằng quý theo quy chế đã được hội nghị thông qua.", 72, 520, 100),
        line("Biên bản họp được gửi tới các hộ dân trong tòa nhà và niêm yết tại sảnh theo", 72, 521, 115),
        line("1. Quy chế hoạt động của Ban quản trị;", 72, 300, 130),
    ], "Ban quản trị họp định kỳ hằng quý theo quy chế đã được hội nghị thông qua.\n"
       "Biên bản họp được gửi tới các hộ dân trong tòa nhà và niêm yết tại sảnh theo\n"
       "1. Quy chế hoạt động của Ban quản trị;"),
    ("centred title lines stay apart", [
        line("NGHỊ ĐỊNH", 260, 335, 100),
        line("Quy định chi tiết và hướng dẫn một số điều của Nghị quyết số 254/2025/QH15", 80, 515, 115),
        line("về tháo gỡ khó khăn trong thi hành Luật Đất đai", 160, 435, 130),
    ], "NGHỊ ĐỊNH\nQuy định chi tiết và hướng dẫn một số điều của Nghị quyết số 254/2025/QH15\n"
       "về tháo gỡ khó khăn trong thi hành Luật Đất đai"),
    ("cells of a row cut at a wide gap never join", [
        line("CHÍNH PHỦ", 100, 180, 100, cell=True),
        line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 522, 100, cell=True),
        line("Số: 49/2026/NĐ-CP", 90, 200, 115, cell=True),
        line("Hà Nội, ngày 31 tháng 01 năm 2026", 330, 522, 115, cell=True),
    ], "CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 49/2026/NĐ-CP\nHà Nội, ngày 31 tháng 01 năm 2026"),
    ("a larger vertical gap than usual is a blank line", [
        line("Chương I", 270, 320, 100),
        line("QUY ĐỊNH CHUNG", 250, 345, 115),
        line("Điều 1. Phạm vi điều chỉnh", 96, 250, 160),
    ], "Chương I\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh"),
    ("a Chinese hanging indent runs on; a label does not", [
        line("主旨:113年度第27屆第二次區分所有權人大", 60, 522, 100),
        line("會會議通知", 160, 260, 115),
        line("說明:", 60, 96, 130),
        line("四、會議通知單、委託書將於10/7下午", 100, 522, 145),
        line("6點前投入住戶端信箱中。", 160, 400, 160),
        line("五、敬請住戶踴躍出席會議。", 100, 400, 175),
    ], "主旨:113年度第27屆第二次區分所有權人大會會議通知\n說明:\n四、會議通知單、委託書將於10/7下午6點前投入住戶端信箱中。\n"
       "五、敬請住戶踴躍出席會議。"),
    ("a character that moves down with its comma still ends a full line", [
        line("民事主体从事民事活动，应当遵循自愿原则，按照自己的意思设立、变更、终止民事法", 96, 522, 100),
        line("律关系。不能辨认或者不能完全辨认自己行为的成年", 72, 505, 115),
        line("人，其利害关系人可以向人民法院申请。", 72, 290, 130),
    ], "民事主体从事民事活动，应当遵循自愿原则，按照自己的意思设立、变更、终止民事法律关系。不能辨认或者不能"
       "完全辨认自己行为的成年人，其利害关系人可以向人民法院申请。"),
    ("where first lines are indented, a sentence end then a label still starts a paragraph", [
        line("(3) 请参赛队于 2020 年 5 月 8 日 16:00:00 之前在竞赛官网提交论文", 96, 522, 100),
        line("及附件（包含论文正文、过程数据、程序、热点问题表的压缩包，大小不超过 200M）。", 72, 522, 115),
        line("3、公布测试数据，提交测试结果", 72, 250, 130),
        line("2020 年 5 月 9 日 9:00:00 准时公布测试数据。", 96, 400, 145),
    ], "(3) 请参赛队于 2020 年 5 月 8 日 16:00:00 之前在竞赛官网提交论文及附件（包含论文正文、过程数据、程序、热点问题表的"
       "压缩包，大小不超过 200M）。\n3、公布测试数据，提交测试结果\n2020 年 5 月 9 日 9:00:00 准时公布测试数据。"),
    ("a Chinese title centred over two lines is one; a bare chapter label keeps its line", [
        line("第一章", 279, 315, 80),
        line("总则", 285, 309, 95),
        line("第五节 地方各级人民代表大会和", 219, 400, 140),
        line("地方各级人民政府", 261, 358, 155),
        line("第九十五条 省、直辖市、县、市、市辖区、乡、民族乡、镇设立人民代表大会和人民政", 96, 522, 200),
        line("府。", 72, 96, 215),
    ], "第一章\n总则\n\n第五节 地方各级人民代表大会和地方各级人民政府\n\n"
       "第九十五条 省、直辖市、县、市、市辖区、乡、民族乡、镇设立人民代表大会和人民政府。"),
    ("the longest of a few short lines is not taken for a full one", [
        line("ĐẢNG ỦY PHƯỜNG GIANG BIÊN", 72, 250, 100),
        line("Ổn định tình hình", 72, 180, 115),
    ], "ĐẢNG ỦY PHƯỜNG GIANG BIÊN\nỔn định tình hình"),
]


@pytest.mark.parametrize("label, lines, expected", LAYOUTS, ids=[c[0] for c in LAYOUTS])
def test_page_text_joins_wrapped_lines(label, lines, expected):
    assert page_text(lines, width=595) == expected


@pytest.mark.parametrize(
    "before, after, expected",
    [("灿烂的", "文化", ""), ("chức", "danh", " "), ("số 368-", "QĐ/TW", ""), ("2004年3", "月14日", ""),
     ("tại khoản", "1 Điều 5", " "), ("Hà Nội,", "ngày", " "), ("infor\u00ad", "mation", ""), ("- Nơi nhận", "-", " ")],
)
def test_joiner(before, after, expected):
    assert joiner(before, after) == expected


def test_pdf_wrapped_paragraphs_become_one_line_each(make_paragraph_pdf):
    vi = ("Ban quản trị nhà chung cư họp định kỳ hằng quý để báo cáo tình hình quản lý, vận hành nhà chung cư "
          "với Ủy ban nhân dân phường và các hộ dân đang sinh sống trong tòa nhà; biên bản họp được niêm yết "
          "công khai tại sảnh của tòa nhà.")
    zh = ("中华人民共和国成立以后，我国社会逐步实现了由新民主主义到社会主义的过渡。生产资料私有制的社会主义改造"
          "已经完成，人剥削人的制度已经消灭，社会主义制度已经确立。")
    paragraphs = ["Điều 1. Phạm vi điều chỉnh", vi, zh, "第二条 中华人民共和国的一切权力属于人民。"]
    path, drawn = make_paragraph_pdf(paragraphs)
    assert len(drawn) >= 7  # the two long paragraphs really wrap
    assert nfc(read_one(path).text) == "\n".join(paragraphs)


def test_pypdfium2_lines_give_the_same_paragraphs(make_paragraph_pdf):
    import pypdfium2 as pdfium

    from pipeline.readers.pdf import _pdfium_lines

    paragraphs = ["Điều 2. Đối tượng áp dụng",
                  "Nghị định này áp dụng đối với cơ quan nhà nước, người sử dụng đất, tổ chức, cá nhân có liên quan "
                  "đến thực hiện quy định tại Điều 1 Nghị định này và các hộ dân trong khu chung cư.",
                  "居民委员会、村民委员会、民政部门或者人民法院应当尊重被监护人的真实意愿，按照最有利于被监护人的原则"
                  "在依法具有监护资格的人中指定监护人。"]
    path, drawn = make_paragraph_pdf(paragraphs)
    assert len(drawn) >= 5
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[0]
        lines = _pdfium_lines(page)
        assert nfc(page_text(lines, page.get_width())) == "\n".join(paragraphs)
        assert all(0 < l.top < l.bottom < page.get_height() for l in lines)  # y grows downwards
    finally:
        pdf.close()


# ---------------------------------------------------------------- pdf: OCR of scanned pages

TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


def tsv(*words):
    """Tesseract TSV rows for words given as (block, line, left, top, width, height, conf, text)."""
    rows = ["1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for block, line_num, left, top, width, height, conf, text in words:
        rows.append(f"5\t1\t{block}\t1\t{line_num}\t1\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}")
    return TSV_HEADER + "\n".join(rows) + "\n"


def test_tsv_lines_join_words_drop_seal_strokes_and_specks_and_cut_wide_gaps():
    lines = tsv_lines(tsv(
        (1, 1, 2048, 314, 52, 42, 0.0, "纖"), (1, 1, 2152, 312, 32, 3, 6.2, "下"),  # seal strokes
        (2, 1, 100, 400, 40, 40, 95.0, "主"), (2, 1, 145, 400, 40, 40, 96.0, "旨"),
        (2, 1, 190, 400, 20, 40, 46.0, ":113"), (2, 1, 215, 400, 40, 40, 93.0, "年"), (2, 1, 260, 400, 40, 40, 90.0, "度"),
        (3, 1, 100, 500, 60, 40, 91.0, "Số:"), (3, 1, 170, 500, 60, 40, 92.0, "199"),
        (3, 1, 1500, 500, 40, 40, 93.0, "Hà"), (3, 1, 1550, 500, 60, 40, 90.0, "Nội,"),
        (4, 1, 1600, 700, 20, 40, 95.0, "ị"), (4, 2, 1600, 800, 20, 40, 91.0, "`"), (4, 2, 1630, 800, 20, 40, 80.0, "-"),
    ))
    assert [(l.text, l.cell) for l in lines] == [("主旨:113年度", False), ("Số: 199", True), ("Hà Nội,", True)]
    assert (lines[0].x0, lines[0].x1, lines[0].top, lines[0].bottom) == (100, 300, 400, 440)


CHOICES = [
    ("zh-TW", "", "scan.pdf", ("chi_tra", "setting")),
    ("vie+chi_tra", "Ủy ban nhân dân phường", "zh_scan.pdf", ("vie+chi_tra", "setting")),
    ("", "Ủy ban nhân dân phường Giang Biên tổ chức hội nghị", "zh_scan.pdf", ("vie", "text layer")),
    ("", "区分所有权人会议由全体区分所有权人组成", "vi_scan.pdf", ("chi_sim", "text layer")),
    ("", "區分所有權人會議由全體區分所有權人組成", "scan.pdf", ("chi_tra", "text layer")),
    ("", "", "zh-TW_27屆區權會開會公告.pdf", ("chi_tra", "file name")),
    ("", "", "zh_中华人民共和国宪法.pdf", ("chi_sim", "file name")),
    ("", "", "vi_199-2026-ND-CP.signed.pdf", ("vie", "file name")),
    ("", "", "社區規約及管理辦法.pdf", ("chi_tra", "file name")),
    ("", "", "Nghị quyết số 12 về nhà chung cư.pdf", ("vie", "file name")),
    ("", "Page 1 of 2", "scan_0001.pdf", ("vie+chi_sim", "default")),
]


@pytest.mark.parametrize("setting, text_layer, name, expected", CHOICES, ids=[c[2] + "|" + c[0] for c in CHOICES])
def test_ocr_language_choice(setting, text_layer, name, expected):
    assert choose_lang(setting, text_layer, Path(name)) == expected


@pytest.mark.parametrize("text, script", [("居民自治组织广泛动员了楼院", "chi_sim"), ("區分所有權人會議", "chi_tra"),
                                          ("中华人民共和国", "chi_sim"), ("中華民國", "chi_tra")])
def test_chinese_script(text, script):
    assert chinese_script(text) == script


def test_ocr_settings_aliases_env_and_validation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no govtext.toml
    assert [tesseract_lang(v) for v in ("vi", "zh", "zh-TW", "ZH-Hant+vi", "chi_sim")] == [
        "vie", "chi_sim", "chi_tra", "chi_tra+vie", "chi_sim"]
    monkeypatch.setenv("GOVTEXT_OCR_LANG", "zh-TW")
    monkeypatch.setenv("GOVTEXT_TESSERACT", "/opt/tesseract/bin/tesseract")
    settings = load_settings()
    assert (settings.ocr_lang, settings.tesseract_cmd) == ("zh-TW", "/opt/tesseract/bin/tesseract")
    assert load_settings(ocr_lang="vi").ocr_lang == "vi"  # a CLI flag beats the environment
    with pytest.raises(GovtextError, match="unknown OCR language 'klingon!'"):
        load_settings(ocr_lang="klingon!")


VI_SCAN = [
    "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN",
    "Điều 1. Ban quản trị nhà chung cư họp định kỳ hằng quý để báo cáo tình hình quản lý, vận hành nhà "
    "chung cư với Ủy ban nhân dân phường và các hộ dân đang sinh sống trong tòa nhà.",
]


def test_scanned_pdf_is_read_with_ocr(make_scan, tesseract):
    doc = read_one(make_scan([VI_SCAN], name="vi_bien-ban.pdf"))
    assert nfc(doc.text).splitlines() == VI_SCAN  # the wrapped paragraph comes back as one line
    assert doc.meta == {"format": "pdf", "ocr_lang": "vie", "ocr_lang_from": "file name", "ocr": True,
                        "ocr_pages": [1], "extractor": ("tesseract",)}
    assert doc.title == VI_SCAN[0]


def test_mixed_pdf_ocrs_only_its_scanned_page_in_the_language_of_the_others(make_scan, tesseract):
    text_page = ["Nghị quyết của Đảng ủy phường Giang Biên", "về công tác quản lý nhà chung cư"]
    doc = read_one(make_scan([[], VI_SCAN], name="scan.pdf", text_pages={0: text_page}))
    assert doc.meta["extractor"] == ("pdfplumber", "tesseract")
    assert (doc.meta["ocr_pages"], doc.meta["ocr_lang"], doc.meta["ocr_lang_from"]) == ([2], "vie", "text layer")
    assert nfc(doc.text[doc.pages[0].start : doc.pages[0].end]) == "\n".join(text_page) + "\n\n"
    assert doc.page_at(nfc(doc.text).index("Ban quản trị nhà chung cư")) == 2


def test_scanned_pdf_without_tesseract_fails_with_the_install_command(make_scan, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVTEXT_TESSERACT", str(tmp_path / "no-such-tesseract"))
    with pytest.raises(OcrUnavailable) as caught:
        list(read_file(make_scan([VI_SCAN], name="vi_scan.pdf")))
    assert str(caught.value) == f"tesseract not found: {INSTALL_HINT}"
    assert str(caught.value) == (
        "tesseract not found: apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-chi-sim tesseract-ocr-chi-tra"
    )
    assert isinstance(caught.value, ExtractionFailed)  # so ingest records the file as failed and goes on


def test_mixed_pdf_without_tesseract_keeps_its_text_pages_and_lists_the_others(make_scan, tmp_path):
    path = make_scan([[], VI_SCAN, []], name="scan.pdf", text_pages={0: ["Trang một"], 2: ["Trang ba"]})
    doc = read_one_with(path, Settings(tesseract_cmd=str(tmp_path / "missing")))
    assert [doc.text[p.start : p.end] for p in doc.pages] == ["Trang một\n\n", "\n\n", "Trang ba"]
    assert doc.meta["unread_pages"] == [2]
    assert doc.meta["unread_reason"] == f"tesseract not found: {INSTALL_HINT}"
    assert "ocr" not in doc.meta and doc.meta["extractor"] == ("pdfplumber",) * 3


def read_one_with(path, settings):
    docs = list(read_file(path, settings=settings))
    assert len(docs) == 1
    return docs[0]


@pytest.mark.parametrize(
    "settings, message",
    [(Settings(ocr_lang="xyz"), "tesseract has no xyz language data: apt-get install tesseract-ocr-xyz"),
     (Settings(ocr_lang="vie+chi_xx"), "tesseract has no chi_xx language data: apt-get install tesseract-ocr-chi-xx")],
)
def test_missing_ocr_language_data_says_which_package(make_scan, tesseract, settings, message):
    with pytest.raises(OcrUnavailable) as caught:
        list(read_file(make_scan([VI_SCAN]), settings=settings))
    assert str(caught.value) == message


def test_tesseract_that_does_not_run(make_scan):
    false = shutil.which("false")
    with pytest.raises(OcrUnavailable, match=r"^tesseract does not run .*apt-get install tesseract-ocr "):
        list(read_file(make_scan([VI_SCAN]), settings=Settings(tesseract_cmd=false)))


@pytest.fixture(scope="module")
def real_scans(shared_pdfs, tesseract):
    """The two shared scans, OCR'd once: {"vi": Document, "zh": Document} (text NFC)."""
    found = {}
    for lang, name in [("vi", "vi/vi_199-2026-ND-CP.signed.pdf"), ("zh", "zh/zh-TW_27屆區權會開會公告.pdf")]:
        path = shared_pdfs / name
        if not path.exists():
            pytest.skip(f"{path} missing")
        doc = read_one_with(path, Settings())
        found[lang] = (doc, nfc(doc.text))
    return found


VI_SCAN_SEEN = [  # (page, what a reader sees there)
    (1, "CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 199 /2026/NĐ-CP\n"
        "Hà Nội, ngày 05 tháng 6 năm 2026"),
    (1, "Quy định chính sách hỗ trợ phục vụ"),
    (1, "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15 và Luật sửa đổi"),
    (1, "\nĐiều 1. Phạm vi điều chỉnh\n"),
    (1, "Quyết định số 36/2015/QĐ-TTg ngày 27 tháng 8 năm 2015 của Thủ tướng Chính phủ"),
    (1, "c) Sĩ quan có cấp bậc hàm Thiếu tướng và các chức danh, chức vụ có cấp bậc hàm cao nhất là Thiếu tướng."),
    (2, "\nĐiều 3. Mức hỗ trợ phục vụ\n1. Mức 2.700.000 đồng/tháng"),
    (2, "Điều 7. Hiệu lực thi hành"),
    (3, "\nĐiều 8. Trách nhiệm thi hành\n"),
    (3, "- Văn phòng Quốc hội;"),
    (3, "THỦ TƯỚNG"),  # the signature block, under the seal: read again as text
    (3, "Văn Thắng"),
]


@pytest.mark.slow
@pytest.mark.parametrize("page, seen", VI_SCAN_SEEN, ids=[s[1][:40] for s in VI_SCAN_SEEN])
def test_real_vietnamese_scan_reads_what_a_reader_sees(real_scans, page, seen):
    doc, text = real_scans["vi"]
    assert seen in text
    assert doc.page_at(text.index(seen) + 1) == page


@pytest.mark.slow
def test_real_vietnamese_scan_meta(real_scans):
    doc, _ = real_scans["vi"]
    assert (doc.meta["ocr"], doc.meta["ocr_pages"], doc.meta["ocr_lang"]) == (True, [1, 2, 3], "vie")
    assert doc.meta["extractor"] == ("tesseract",) * 3 and len(doc.pages) == 3


ZH_SCAN_SEEN = [
    "椰城社區管理委員會",  # under the red seal
    "發文字號:椰字第1131004002號",
    "\n公告\n",
    "113年度第27屆第二次區分所有權人大會會議通知",  # a wrapped line joined without a space
    "113年10月17日(星期四)",
    "下午20:30",
    "社區一樓閱覽室",
    "四、會議通知單、委託書將於10/7下午6點前投入住戶端信箱中。",
    "住戶踴躍出席會議。",
]


@pytest.mark.slow
@pytest.mark.parametrize("seen", ZH_SCAN_SEEN)
def test_real_chinese_scan_reads_what_a_reader_sees(real_scans, seen):
    assert seen in real_scans["zh"][1]


@pytest.mark.slow
def test_real_chinese_scan_has_no_spaces_between_han_and_says_how_it_was_read(real_scans):
    doc, text = real_scans["zh"]
    assert not re.search(r"[\u4e00-\u9fff][^\S\n]+[\u4e00-\u9fff]", text)
    assert (doc.meta["ocr_lang"], doc.meta["ocr_lang_from"], doc.meta["ocr_pages"]) == ("chi_tra", "file name", [1])


# ---------------------------------------------------------------- jsonl


def write_lines(path, lines):
    path.write_bytes(b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines))
    return path


def test_jsonl_records_become_documents(tmp_path):
    path = write_lines(tmp_path / "corpus.jsonl", [
        json.dumps({"id": "zs-1", "title": "中华人民共和国民法典 第一条", "text": "为了保护民事主体的合法权益"},
                   ensure_ascii=False),
        "",
        json.dumps({"id": 7, "text": "\n  Điều 1. Phạm vi điều chỉnh\nLuật này quy định", "source": "alqac"}),
    ])
    first, second = read_file(path)
    assert (first.id, first.title, first.text, first.source) == (
        "zs-1", "中华人民共和国民法典 第一条", "为了保护民事主体的合法权益", str(path))
    assert first.meta == {"format": "jsonl", "line": 1}
    assert (second.id, second.title) == ("7", "Điều 1. Phạm vi điều chỉnh")
    assert second.meta == {"format": "jsonl", "line": 3, "extra": {"source": "alqac"}}


def test_jsonl_bad_lines_are_reported_and_skipped(tmp_path):
    path = write_lines(tmp_path / "mixed.jsonl", [
        b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "một"}).encode(),
        '{"id": "b", "text": ',
        '["not", "an", "object"]',
        '{"id": "c", "title": "no text"}',
        '{"id": "d", "text": "   "}',
        b'{"id": "e", "text": "\xff"}',
        json.dumps({"id": "f", "text": "hai"}),
    ])
    errors = []
    docs = list(read_file(path, on_error=lambda where, reason: errors.append((where, reason))))
    assert [d.id for d in docs] == ["a", "f"]
    assert [where for where, _ in errors] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    reasons = [reason for _, reason in errors]
    assert "invalid JSON" in reasons[0] and "not an object" in reasons[1]
    assert 'no "text"' in reasons[2] and "empty" in reasons[3] and "invalid UTF-8" in reasons[4]
    assert list(read_file(path)) == docs  # without on_error, bad lines are skipped silently


def test_jsonl_streams_before_reaching_bad_lines(tmp_path):
    path = write_lines(tmp_path / "stream.jsonl", ['{"id": 1, "text": "đầu tiên"}', "{broken"])
    errors = []
    docs = read_file(path, on_error=lambda *e: errors.append(e))
    assert next(docs).text == "đầu tiên" and errors == []
    assert list(docs) == [] and len(errors) == 1


def test_jsonl_all_lines_bad(tmp_path):
    path = write_lines(tmp_path / "bad.jsonl", ["{", '{"title": "x"}'])
    with pytest.raises(ExtractionFailed, match="none of its 2 line.*line 1: invalid JSON"):
        list(read_file(path))


def test_jsonl_without_records_is_empty(tmp_path):
    path = write_lines(tmp_path / "empty.jsonl", ["", "  "])
    with pytest.raises(EmptyDocument):
        list(read_file(path))


def test_real_jsonl_corpus_streams(shared_dir):
    path = shared_dir / "eval" / "zh-stard" / "corpus.jsonl"
    if not path.exists():
        pytest.skip(f"{path} missing")
    docs = list(itertools.islice(read_file(path), 3))
    assert [d.meta["line"] for d in docs] == [1, 2, 3]
    assert all(d.id.startswith("zs-") and d.title and d.text for d in docs)


@pytest.mark.parametrize(
    "text, title",
    [
        ("NGHỊ QUYẾT\n\nVề công tác dân vận\n\nNội dung.", "NGHỊ QUYẾT: Về công tác dân vận"),
        ("KẾ HOẠCH\nTriển khai cải tạo chung cư cũ", "KẾ HOẠCH: Triển khai cải tạo chung cư cũ"),
        ("Quận Thanh Xuân: Triển khai kế hoạch\n\nNội dung.", "Quận Thanh Xuân: Triển khai kế hoạch"),
        ("关于加强业主委员会建设的通知\n\n各区：", "关于加强业主委员会建设的通知"),
        ("NGHỊ QUYẾT", "NGHỊ QUYẾT"),
        # a decree's letterhead: issuer, national motto, number and date come before its name line
        ("CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 199 /2026/NĐ-CP\n"
         "Hà Nội, ngày 1 tháng 7 năm 2026\nNGHỊ ĐỊNH\nQuy định về quản lý nhà chung cư\nCăn cứ Luật",
         "NGHỊ ĐỊNH: Quy định về quản lý nhà chung cư"),
        # the same read by OCR, tone marks lost, under a stamp number
        ("77270\nCHINH PHU\nCỘNG HOA XA HỘI CHU NGHĨA VIỆT NAM\nNGHI ĐINH\nQuy định về tổ dân phố",
         "NGHI ĐINH: Quy định về tổ dân phố"),
        # a decree's name wrapped over three lines, up to the body
        ("NGHỊ ĐỊNH\nQuy định chi tiết một số điều của Nghị quyết\nsố 254/2025/QH15 của Quốc hội quy định một số cơ chế\n"
         "trong tổ chức thi hành Luật Đất đai\nCăn cứ Luật Tổ chức Chính phủ;",
         "NGHỊ ĐỊNH: Quy định chi tiết một số điều của Nghị quyết số 254/2025/QH15 của Quốc hội quy định một số cơ chế "
         "trong tổ chức thi hành Luật Đất đai"),
        # ... but not across a blank line, nor into a heading in capitals
        ("NGHỊ QUYẾT\nVề công tác dân vận\n\nĐể nâng cao chất lượng", "NGHỊ QUYẾT: Về công tác dân vận"),
        ("KẾ HOẠCH\nTriển khai cải tạo chung cư cũ\nI. MỤC ĐÍCH, YÊU CẦU", "KẾ HOẠCH: Triển khai cải tạo chung cư cũ"),
        # a heading that ends in a dash runs on to the next line
        ("第八届“泰迪杯”数据挖掘挑战赛——\n\nC 题：“智慧政务”中的文本挖掘应用\n一、问题背景",
         "第八届“泰迪杯”数据挖掘挑战赛——C 题：“智慧政务”中的文本挖掘应用"),
        # a statute database page: the labelled name line, not the banner above it
        ("全國法規資料庫\n法規名稱：公寓大廈管理條例\n修正日期：民國 111 年 05 月 11 日", "公寓大廈管理條例"),
        # a web page's reading-time note, its headline repeated as a caption between paragraphs
        ("本篇文章2154字,读完约5分钟\n\n正文第一段。\n\n小区发挥居民自治效能\n\n第二段。\n\n小区发挥居民自治效能\n\n"
         "第三段。\n\n小区发挥居民自治效能", "小区发挥居民自治效能"),
    ],
)
def test_title_joins_a_bare_document_type_with_its_subject(text, title):
    from pipeline.readers._common import first_line

    assert first_line(text) == title


# ---------------------------------------------------------------- legacy Vietnamese encodings

# Encoders written from the standards, independent of the decoders under test.
_TONE_MARKS = {"\u0300": "`", "\u0301": "'", "\u0309": "?", "\u0303": "~", "\u0323": "."}
_VIQR_SHAPES = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}
_VNI_MARKS = {  # (shape, tone) -> the lower-case VNI mark byte
    ("\u0302", ""): 0xE2, ("\u0302", "\u0301"): 0xE1, ("\u0302", "\u0300"): 0xE0, ("\u0302", "\u0309"): 0xE5,
    ("\u0302", "\u0303"): 0xE3, ("\u0302", "\u0323"): 0xE4, ("\u0306", ""): 0xEA, ("\u0306", "\u0301"): 0xE9,
    ("\u0306", "\u0300"): 0xE8, ("\u0306", "\u0309"): 0xFA, ("\u0306", "\u0303"): 0xFC, ("\u0306", "\u0323"): 0xEB,
    ("", "\u0301"): 0xF9, ("", "\u0300"): 0xF8, ("", "\u0309"): 0xFB, ("", "\u0303"): 0xF5, ("", "\u0323"): 0xEF,
}
_VNI_LETTERS = {"ơ": 0xF4, "ư": 0xF6, "đ": 0xF1, "í": 0xED, "ì": 0xEC, "ỉ": 0xE6, "ĩ": 0xF3, "ị": 0xF2, "ỵ": 0xEE}


def _clusters(text: str) -> list[str]:
    return re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.S)


def viqr(text: str) -> str:
    """VIQR (RFC 1456): marks after the vowel, "dd" for đ, a literal mark character escaped with "\\"."""
    out: list[str] = []
    for cluster in _clusters(text):
        base, marks = cluster[0], cluster[1:]
        if base in "đĐ":
            out.append("dd" if base == "đ" else "DD")
            continue
        if base in ".?'`~^(+" and out and out[-1][-1:].lower() in "aeiouy.?'`~^(+":
            base = "\\" + base
        out.append(base + "".join(_VIQR_SHAPES.get(m, "") for m in marks)
                   + "".join(_TONE_MARKS.get(m, "") for m in marks))
    return "".join(out)


def vni(text: str) -> bytes:
    """VNI-Windows: a base letter and a mark byte; ơ ư đ and the toned i, ỵ as one byte."""
    out = bytearray()
    for cluster in _clusters(text):
        letter = nfc(cluster)
        upper = letter.isupper()
        if letter.lower() in _VNI_LETTERS:
            out.append(_VNI_LETTERS[letter.lower()] - 0x20 * upper)
            continue
        base, marks = cluster[0], cluster[1:]
        tone = "".join(m for m in marks if m in _TONE_MARKS)
        shape = "".join(m for m in marks if m not in _TONE_MARKS)
        if shape == "\u031b":
            out.append(_VNI_LETTERS[nfc(base.lower() + shape)] - 0x20 * upper)
            shape = ""
        else:
            out += base.encode("cp1252")
        if shape or tone:
            out.append(_VNI_MARKS[(shape, tone)] - 0x20 * upper)
    return bytes(out)


def tcvn3(text: str) -> bytes:
    """TCVN3 (VN3) through glibc's TCVN5712-1: capitals with tones, absent from VN3, in lower case."""
    if shutil.which("iconv") is None:
        pytest.skip("iconv (glibc) not found")
    text = "".join(c.lower() if c.isupper() and not c.isascii() and c not in "ĂÂÊÔƠƯĐ" else c for c in nfc(text))
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(),
                          capture_output=True, check=True).stdout


def test_tcvn3_table_agrees_with_glibc():
    from pipeline.readers._vietnamese_legacy import cp1252_view, tcvn3_to_unicode

    if shutil.which("iconv") is None:
        pytest.skip("iconv (glibc) not found")
    for byte in range(0xA0, 0x100):
        expected = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"x" + bytes([byte]),
                                  capture_output=True, check=True).stdout.decode()
        # "x" before the byte keeps the sentence-start capital rule away from lower-case letters
        assert tcvn3_to_unicode(cp1252_view(b"x" + bytes([byte]))) == nfc(expected), hex(byte)


# Bytes written by hand from the published tables, and the examples people quote.
KNOWN_LEGACY = [
    ("tcvn3", b"NGH\xde QUY\xd5T", "NGHỊ QUYẾT"),
    ("tcvn3", b"\xa7\xb6NG \xf1Y PH\xa6\xeaNG GIANG BI\xa3N", "ĐẢNG ỦY PHƯỜNG GIANG BIÊN"),
    ("tcvn3", b"\xf1y ban nh\xa9n d\xa9n ph\xad\xeang", "Ủy ban nhân dân phường"),
    ("tcvn3", b"Ngh\xde quy\xd5t c\xf1a \xa7\xb6ng \xf1y", "Nghị quyết của Đảng ủy"),
    ("vni", "Nghò quyeát cuûa Ñaûng uûy".encode("cp1252"), "Nghị quyết của Đảng ủy"),
    ("vni", "Xin chaøo caùc baïn".encode("cp1252"), "Xin chào các bạn"),
    ("vni", "NGHÒ QUYEÁT".encode("cp1252"), "NGHỊ QUYẾT"),
    ("vni", "UÛy ban nhaân daân".encode("cp1252"), "Ủy ban nhân dân"),
    ("viqr", b"Nghi. quye^'t cu?a DDa?ng u?y", "Nghị quyết của Đảng ủy"),
    ("viqr", b"Ha` No^.i, nga`y 28 tha'ng 10", "Hà Nội, ngày 28 tháng 10"),
]


@pytest.mark.parametrize("encoding, data, text", KNOWN_LEGACY, ids=[k[2] for k in KNOWN_LEGACY])
def test_legacy_vietnamese_known_bytes(tmp_path, encoding, data, text):
    path = tmp_path / "legacy.txt"
    path.write_bytes(data)
    doc = read_one(path)
    assert (doc.text, doc.meta["encoding"]) == (text, encoding)


LEGACY_TEXTS = [
    "NGHỊ QUYẾT\nVề công tác dân vận",
    "Ủy ban nhân dân phường có trách nhiệm tổ chức thực hiện.",
    "ĐẢNG ỦY PHƯỜNG GIANG BIÊN\nỔn định tình hình. Ủy ban nhân dân phường báo cáo.",
    "HÀ NỘI, ngày 28 tháng 10 năm 2021\nThành phố Hà Nội",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    "Điều 5. Ủy ban nhân dân cấp xã\n1. Ổn định dân cư; ưu tiên người yếu thế.",
    "ỦY BAN NHÂN DÂN QUẬN THANH XUÂN\nSố: 123/KH-UBND",
]
ENCODERS = {"tcvn3": tcvn3, "vni": vni, "viqr": lambda t: viqr(t).encode("ascii")}


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
@pytest.mark.parametrize("text", LEGACY_TEXTS, ids=[t.split("\n")[0][:24] for t in LEGACY_TEXTS])
def test_legacy_vietnamese_round_trip(tmp_path, encoding, text):
    path = tmp_path / "legacy.txt"
    path.write_bytes(ENCODERS[encoding](text))
    doc = read_one(path)
    assert doc.meta["encoding"] == encoding
    assert doc.text == nfc(text)


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
@pytest.mark.parametrize("name", ["vi_resolution.txt", "vi_law.txt"])
def test_legacy_vietnamese_whole_documents(tmp_path, data_dir, encoding, name):
    text = (data_dir / name).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(ENCODERS[encoding](text))
    doc = read_one(path)
    assert doc.meta["encoding"] == encoding
    if encoding == "tcvn3":
        # VN3 cannot write "Ủy" with a capital; mid-sentence it comes back in lower case
        assert doc.text == nfc(text).replace("Giao Ủy ban", "Giao ủy ban")
    else:
        assert doc.text == nfc(text)


def test_tcvn3_lower_case_lines_stay_lower_case_in_hard_wrapped_text(tmp_path):
    # Most lines start in lower case, so a line starting with "ủy" is not capitalised.
    text = "Nghị quyết này\nđược ban hành và\nủy ban nhân dân\nphường tổ chức\nthực hiện ngay."
    path = tmp_path / "wrapped.txt"
    path.write_bytes(tcvn3(text))
    doc = read_one(path)
    assert (doc.text, doc.meta["encoding"]) == (text, "tcvn3")


@pytest.mark.parametrize("encode, encoding", [(lambda t: t.encode("utf-8"), "utf-8"),
                                              (lambda t: t.encode("utf-16"), "utf-16")])
@pytest.mark.parametrize("legacy, text", [
    ("tcvn3", "NghÞ quyÕt cña §¶ng ñy ph\xadêng Giang Biªn"),
    ("vni", "Nghò quyeát cuûa Ñaûng uûy phöôøng Giang Bieân"),
    ("viqr", "Nghi. quye^'t cu?a DDa?ng u?y phu+o+`ng Giang Bie^n"),
])
def test_legacy_vietnamese_inside_unicode_files(tmp_path, encode, encoding, legacy, text):
    # A legacy-font document saved as Unicode text keeps the font's characters.
    path = tmp_path / "saved.txt"
    path.write_bytes(encode(text))
    doc = read_one(path)
    assert (doc.text, doc.meta["encoding"]) == ("Nghị quyết của Đảng ủy phường Giang Biên", legacy)


NOT_LEGACY = [
    ("English with apostrophes", "Don't worry, it's fine. I'd say you'll see e.g. the U.S. plan?", "utf-8"),
    ("questions and quotes", "What? Is it a.m. or p.m.? He said 'go'.", "utf-8"),
    ("Latin-1 Vietnamese", "Tôi là Hà, tôi có cà phê", "utf-8"),
    ("Vietnamese without marks", "Nghi quyet cua Dang uy phuong", "utf-8"),
    ("French", "Café crème, naïve façade, señor año", "utf-8"),
]


@pytest.mark.parametrize("label, text, encoding", NOT_LEGACY, ids=[n[0] for n in NOT_LEGACY])
def test_legacy_detection_leaves_other_text_alone(tmp_path, label, text, encoding):
    path = tmp_path / "plain.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_one(path)
    assert (doc.text, doc.meta["encoding"]) == (text, encoding)


def test_western_cp1252_is_not_taken_for_tcvn3_or_vni(tmp_path):
    path = tmp_path / "western.txt"
    path.write_bytes("Café crème brûlée, naïve façade, señor año, Müller".encode("cp1252"))
    assert read_one(path).meta["encoding"] not in ("tcvn3", "vni")


@pytest.mark.parametrize("word, valid", [
    ("Quyết", True), ("nghiêng", True), ("khuỷu", True), ("Quỳnh", True), ("gì", True), ("NGƯỜI", True),
    ("caùc", False), ("ễền", False), ("hát", True), ("hàt", False), ("cafộ", False),
])
def test_is_syllable(word, valid):
    from pipeline.readers._vietnamese_legacy import is_syllable

    assert is_syllable(word) is valid


# ---------------------------------------------------------------- docx


def test_docx_word_numbering_becomes_labels_the_segmenter_sees(docx_builder):
    from pipeline.headings import section_label

    b = docx_builder
    b.doc.add_paragraph("NGHỊ QUYẾT", style="Title")
    b.doc.add_paragraph("Về lãnh đạo nâng cao chất lượng hoạt động của hệ thống chính trị")
    plan = b.numbering([("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")])
    b.item("MỤC TIÊU", plan, 0)
    b.item("Mục tiêu chung", plan, 1)
    b.item("Nâng cao năng lực lãnh đạo.", plan, 2)
    b.item("Phát huy vai trò của nhân dân.", plan, 2)
    b.item("Mục tiêu cụ thể", plan, 1)
    b.doc.add_paragraph("Phấn đấu đến năm 2025:")  # an unnumbered paragraph does not break the list
    b.item("Chỉ tiêu hàng năm", plan, 1)
    b.item("NHIỆM VỤ VÀ GIẢI PHÁP", plan, 0)
    b.item("Tăng cường lãnh đạo", plan, 1)  # a deeper level restarts under a new section
    b.doc.add_paragraph("Công tác tuyên truyền", style="List Bullet")
    articles = b.numbering([("decimal", "Điều %1.")])
    b.item("Hiệu lực thi hành", articles, 0, style="Heading 2")
    doc = read_one(b.save())
    assert doc.text == "\n\n".join([
        "NGHỊ QUYẾT", "Về lãnh đạo nâng cao chất lượng hoạt động của hệ thống chính trị",
        "I. MỤC TIÊU", "1. Mục tiêu chung", "a) Nâng cao năng lực lãnh đạo.", "b) Phát huy vai trò của nhân dân.",
        "2. Mục tiêu cụ thể", "Phấn đấu đến năm 2025:", "3. Chỉ tiêu hàng năm",
        "II. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Tăng cường lãnh đạo", "• Công tác tuyên truyền",
        "Điều 1. Hiệu lực thi hành",
    ])
    labels = [section_label(line) for line in doc.text.split("\n\n")]
    assert labels == ["", "", "I.", "1.", "a)", "b)", "2.", "", "3.", "II.", "1.", "", "Điều 1."]
    assert doc.title == "NGHỊ QUYẾT: Về lãnh đạo nâng cao chất lượng hoạt động của hệ thống chính trị"
    assert doc.meta["headings"] == [[0, "NGHỊ QUYẾT"], [2, "Điều 1. Hiệu lực thi hành"]]
    assert (doc.meta["format"], doc.meta["tables"], doc.id, doc.pages) == ("docx", 0, "", ())


def test_docx_chinese_counting_numbering(docx_builder):
    from pipeline.headings import section_label

    b = docx_builder
    outline = b.numbering([("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    b.item("总体要求", outline, 0)
    b.item("指导思想", outline, 1)
    b.item("基本原则", outline, 1)
    b.item("主要任务", outline, 0)
    b.item("加强党建引领", outline, 1)
    articles = b.numbering([("chineseCounting", "第%1条", 12)])
    b.item("本条例自公布之日起施行。", articles)
    b.item("本条例由市人民政府负责解释。", articles)
    doc = read_one(b.save())
    lines = doc.text.split("\n\n")
    assert lines == ["一、总体要求", "（一）指导思想", "（二）基本原则", "二、主要任务", "（一）加强党建引领",
                     "第十二条 本条例自公布之日起施行。", "第十三条 本条例由市人民政府负责解释。"]
    assert [section_label(line) for line in lines] == ["一、", "（一）", "（二）", "二、", "（一）", "第十二条", "第十三条"]


def test_docx_lists_continue_across_instances_unless_restarted(docx_builder):
    b = docx_builder
    first = b.numbering([("decimal", "%1."), ("decimal", "%1.%2.")])
    b.item("Một", first)
    b.item("Một chấm một", first, 1)
    b.item("Hai", first)
    continued = b.numbering([], same_list_as=first)
    b.item("Ba", continued)
    restarted = b.numbering([], same_list_as=first, start_at={0: 1})
    b.item("Lại một", restarted)
    b.item("", restarted)  # an empty numbered paragraph still takes a number, as in Word
    b.item("Ba nữa", restarted)
    doc = read_one(b.save())
    assert doc.text.split("\n\n") == ["1. Một", "1.1. Một chấm một", "2. Hai", "3. Ba", "1. Lại một", "3. Ba nữa"]


@pytest.mark.parametrize("continuous, articles", [((), (1, 2, 1)), ((1,), (1, 2, 3))])
def test_docx_heading_styles_linked_to_a_list(docx_builder, continuous, articles):
    b = docx_builder
    law = b.numbering([("upperRoman", "Chương %1"), ("decimal", "Điều %2.")], continuous=continuous)
    b.number_style("Heading 1", law, 0)
    b.number_style("Heading 2", law, 1)
    b.doc.add_heading("NHỮNG QUY ĐỊNH CHUNG", 1)
    b.doc.add_heading("Phạm vi điều chỉnh", 2)
    b.doc.add_paragraph("Luật này quy định về cư trú.")
    b.doc.add_heading("Đối tượng áp dụng", 2)
    b.doc.add_heading("ĐĂNG KÝ THƯỜNG TRÚ", 1)
    b.doc.add_heading("Nơi cư trú", 2)
    doc = read_one(b.save())
    first, second, third = articles
    assert doc.meta["headings"] == [
        [1, "Chương I NHỮNG QUY ĐỊNH CHUNG"], [2, f"Điều {first}. Phạm vi điều chỉnh"],
        [2, f"Điều {second}. Đối tượng áp dụng"], [1, "Chương II ĐĂNG KÝ THƯỜNG TRÚ"], [2, f"Điều {third}. Nơi cư trú"],
    ]
    assert "Điều 1. Phạm vi điều chỉnh\n\nLuật này quy định về cư trú." in doc.text


FORMATS = [
    (4, "upperRoman", "IV"), (14, "lowerRoman", "xiv"), (3, "upperLetter", "C"), (28, "lowerLetter", "bb"),
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
    (20, "chineseCounting", "二十"), (105, "chineseCountingThousand", "一百零五"), (3, "decimalEnclosedCircle", "③"),
    (7, "decimalZero", "07"), (12, "decimalFullWidth", "１２"), (2, "ideographTraditional", "乙"),
    (13, "chineseLegalSimplified", "壹拾叁"), (5, "vietnameseCounting", "năm"), (5, "ordinal", "5"),
]


@pytest.mark.parametrize("value, fmt, expected", FORMATS, ids=[f"{f[1]}-{f[0]}" for f in FORMATS])
def test_docx_number_formats(value, fmt, expected):
    from pipeline.readers.docx import format_number

    assert format_number(value, fmt) == expected


def test_docx_tables_in_document_order(docx_builder):
    b = docx_builder
    header = b.doc.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ĐẢNG ỦY PHƯỜNG GIANG BIÊN"
    header.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    header.cell(1, 0).text = "Số: 12-NQ/ĐU"
    header.cell(1, 1).text = "Giang Biên, ngày 28 tháng 10 năm 2021"
    b.doc.add_paragraph("Nội dung nghị quyết.")
    data = b.doc.add_table(rows=3, cols=3)
    data.cell(0, 0).merge(data.cell(0, 2)).text = "Kết quả năm 2021"  # one cell spanning the row
    for row, values in enumerate([("Tổ", "Số hộ", "Đạt"), ("Tổ 1", "120", "98%")], start=1):
        for col, value in enumerate(values):
            data.cell(row, col).text = value
    wrapper = b.doc.add_table(rows=1, cols=1)  # a layout table holding whole paragraphs
    cell = wrapper.cell(0, 0)
    cell.paragraphs[0].text = "Nơi nhận:"
    cell.add_paragraph("- Quận ủy Long Biên;")
    cell.add_paragraph("- Lưu Văn phòng.")
    b.doc.add_paragraph("TM. ĐẢNG ỦY")
    doc = read_one(b.save())
    assert doc.text == (
        "ĐẢNG ỦY PHƯỜNG GIANG BIÊN | ĐẢNG CỘNG SẢN VIỆT NAM\nSố: 12-NQ/ĐU | Giang Biên, ngày 28 tháng 10 năm 2021"
        "\n\nNội dung nghị quyết."
        "\n\nKết quả năm 2021\nTổ | Số hộ | Đạt\nTổ 1 | 120 | 98%"
        "\n\nNơi nhận:\n\n- Quận ủy Long Biên;\n\n- Lưu Văn phòng."
        "\n\nTM. ĐẢNG ỦY"
    )
    assert doc.meta["tables"] == 3


@pytest.mark.parametrize("core_title, title", [
    ("Nghị quyết về chung cư", "Nghị quyết về chung cư"),
    ("Microsoft Word - nq12.docx", "KẾ HOẠCH: Cải tạo chung cư cũ"),
    ("", "KẾ HOẠCH: Cải tạo chung cư cũ"),
])
def test_docx_title_and_core_properties(docx_builder, core_title, title):
    b = docx_builder
    b.doc.core_properties.title = core_title
    b.doc.core_properties.author = "Văn phòng Đảng ủy"
    b.doc.add_paragraph("Số: 12/KH-UBND")
    b.doc.add_heading("KẾ HOẠCH", 1)
    b.doc.add_paragraph("Cải tạo chung cư cũ")
    doc = read_one(b.save())
    assert doc.title == title
    assert doc.meta["author"] == "Văn phòng Đảng ủy"
    assert doc.meta["created"].startswith("20")
    assert doc.meta.get("title") == (core_title or None)


def test_docx_legacy_font_runs_are_converted(docx_builder):
    b = docx_builder
    paragraph = b.doc.add_paragraph()
    paragraph.add_run("§¶ng ñy ph\xadêng").font.name = ".VnTimeH"  # the upper-case ABC font
    heading = b.doc.add_paragraph()
    heading.add_run("NghÞ quyÕt vÒ chung c\xad").font.name = ".VnTime"
    vni = b.doc.add_paragraph()
    for piece in ("Nghò quye", "át cuûa Ño", "aøn"):  # Word splits runs anywhere, even inside a letter
        vni.add_run(piece).font.name = "VNI-Times"
    b.doc.add_paragraph("Unicode text stays: Ủy ban")
    doc = read_one(b.save())
    assert doc.text.split("\n\n") == ["ĐẢNG ỦY PHƯỜNG", "Nghị quyết về chung cư", "Nghị quyết của Đoàn",
                                      "Unicode text stays: Ủy ban"]
    assert doc.meta["encoding"] == "tcvn3+vni"


def _docx_bytes(docx_builder) -> bytes:
    b = docx_builder
    b.doc.add_heading("Ủy ban nhân dân phường", 1)
    for i in range(40):
        b.doc.add_paragraph(f"Đoạn văn số {i} của văn bản, đủ dài để chiếm nhiều byte trong tệp nén.")
    return b.save("source.docx").read_bytes()


@pytest.mark.parametrize("share", [0.3, 0.6, 0.95])
def test_truncated_docx(tmp_path, docx_builder, share):
    data = _docx_bytes(docx_builder)
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: int(len(data) * share)])
    with pytest.raises(ExtractionFailed, match="corrupt or truncated DOCX"):
        list(read_file(path))


BAD_DOCX = [
    ("random bytes", bytes(range(256)) * 8, ExtractionFailed, "corrupt or truncated DOCX"),
    ("old .doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ExtractionFailed, r"old Word \.doc"),
    ("empty file", b"", ExtractionFailed, "corrupt or truncated DOCX"),
]


@pytest.mark.parametrize("label, data, error, message", BAD_DOCX, ids=[b[0] for b in BAD_DOCX])
def test_bad_docx_raises_named_error(tmp_path, label, data, error, message):
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(error, match=message):
        list(read_file(path))


def test_docx_zip_without_document_part(tmp_path):
    import zipfile

    path = tmp_path / "parts.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
        z.writestr("word/other.xml", "<x/>")
    with pytest.raises(ExtractionFailed, match="corrupt or truncated DOCX"):
        list(read_file(path))


def test_empty_docx_is_empty_document(docx_builder):
    b = docx_builder
    b.doc.add_paragraph("   ")
    b.doc.add_table(rows=2, cols=2)
    with pytest.raises(EmptyDocument, match="no text"):
        list(read_file(b.save()))


# ---------------------------------------------------------------- html

NEWS_CHROME = ["Trang chủ", "Thời sự", "Thể thao", "Chia sẻ Zalo", "In bài viết", "cookie", "Tin liên quan",
               "Giá nhà chung cư tiếp tục tăng", "Đăng ký nhận bản tin", "Bình luận", "Giấy phép", "Bản quyền",
               "dataLayer", "Từ khóa", "Liên hệ"]


def test_html_news_page_keeps_the_article_and_drops_the_chrome(data_dir):
    doc = read_one(data_dir / "vi_news.html")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Quận Thanh Xuân: Triển khai kế hoạch cải tạo, xây dựng lại chung cư cũ"
    assert paragraphs[1].startswith("Kinhtedothi - Quận Thanh Xuân sẽ tiếp tục triển khai")
    assert "Bám sát sự lãnh đạo, chỉ đạo của Quận ủy" in paragraphs  # a heading is a paragraph of its own
    assert ("Quận Thanh Xuân sẽ tập trung triển khai kế hoạch thực hiện Đề án cải tạo, xây dựng lại chung cư cũ "
            "trên địa bàn quận; rà soát, kiểm định chất lượng các nhà chung cư cũ.\n"
            "Các phường báo cáo kết quả về Ủy ban nhân dân quận trước ngày 30 hằng tháng.") in paragraphs
    assert "1. Kiện toàn Ban quản trị nhà chung cư theo đúng quy định." in paragraphs
    assert "3. Kiểm tra công tác phòng cháy, chữa cháy tại các tòa nhà." in paragraphs
    assert "Phường | Số nhà chung cư | Đã có Ban quản trị\nNhân Chính | 42 | 38\nThanh Xuân Trung | 17 | 15" in paragraphs
    assert paragraphs[-1].startswith("Quận ủy Thanh Xuân yêu cầu các phường")
    assert [chrome for chrome in NEWS_CHROME if chrome in doc.text] == []
    assert doc.title == "Quận Thanh Xuân: Triển khai kế hoạch cải tạo, xây dựng lại chung cư cũ"
    assert doc.meta["date"] == "2022-07-15"
    assert doc.meta["sitename"] == "Kinh tế & Đô thị"
    assert doc.meta["author"] == "Hồng Thái"
    assert (doc.meta["format"], doc.meta["encoding"], doc.meta["extractor"]) == ("html", "utf-8", "trafilatura")
    assert doc.meta["headings"] == [[2, "Bám sát sự lãnh đạo, chỉ đạo của Quận ủy"],
                                    [2, "Nâng cao hiệu quả quản lý vận hành nhà chung cư"]]


def test_html_declared_legacy_charset(tmp_path, data_dir):
    page = (data_dir / "vi_news.html").read_text(encoding="utf-8")
    path = tmp_path / "page.htm"
    path.write_bytes(cp1258(page.replace('charset="utf-8"', 'charset="windows-1258"')))
    doc = read_one(path)
    assert doc.meta["encoding"] == "cp1258"
    assert nfc(doc.text) == nfc(read_one(data_dir / "vi_news.html").text)


CHINESE_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于加强住宅小区治理的通知_上海市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/bsfw">办事服务</a></div>
<div class="content"><h1>关于加强住宅小区治理的通知</h1>
<p>各区人民政府，市政府各委、办、局：为进一步加强本市住宅小区综合治理，提升居民生活品质，现就有关事项通知如下。</p>
<p>一、坚持党建引领，健全居民区党组织领导下的居委会、业委会和物业服务企业协调运行机制。</p>
<p>二、完善业主大会和业主委员会制度，推动业主依法参与小区公共事务管理。</p></div>
<div class="footer">主办：上海市人民政府办公厅　版权所有</div></body></html>"""


# The same page in traditional characters, for Big5.
TW_PAGE = (CHINESE_PAGE.replace("主办：上海市人民政府办公厅　版权所有", "主辦：臺北市政府　版權所有")
           .replace("关于加强住宅小区治理的通知", "關於加強住宅社區管理的通知").replace("上海市人民政府", "臺北市政府")
           .replace("首页", "首頁").replace("政务公开", "政務公開").replace("办事服务", "辦事服務")
           .replace("各区人民政府，市政府各委、办、局：为进一步加强本市住宅小区综合治理，提升居民生活品质，现就有关事项通知如下。",
                    "各區公所：為加強本市公寓大廈之管理維護，提昇居住品質，特通知如下。")
           .replace("一、坚持党建引领，健全居民区党组织领导下的居委会、业委会和物业服务企业协调运行机制。",
                    "一、堅持社區自治：健全管理委員會與區分所有權人會議之運作。")
           .replace("二、完善业主大会和业主委员会制度，推动业主依法参与小区公共事务管理。",
                    "二、完善住戶規約：推動住戶依法參與社區公共事務。"))


CN, TW = ("坚持党建引领", "完善业主大会", "政务公开", "版权所有"), ("堅持社區自治", "完善住戶規約", "政務公開", "版權所有")


@pytest.mark.parametrize("page, charset, codec, encoding, words", [
    (CHINESE_PAGE, "gb2312", "gb18030", "gb18030", CN),
    (CHINESE_PAGE, "utf-8", "utf-8", "utf-8", CN),
    (TW_PAGE, "big5", "big5", "cp950", TW),
], ids=["gb2312", "utf-8", "big5"])
def test_html_chinese_page_charsets(tmp_path, page, charset, codec, encoding, words):
    path = tmp_path / "notice.html"
    path.write_bytes(page.format(charset=charset).encode(codec))
    doc = read_one(path)
    kept_1, kept_2, menu, footer = words
    assert doc.meta["encoding"] == encoding
    assert kept_1 in doc.text and kept_2 in doc.text
    assert menu not in doc.text and footer not in doc.text
    assert doc.title.startswith(("关于加强住宅小区治理的通知", "關於加強住宅社區管理的通知"))


def test_html_tcvn3_page_declared_as_windows_1252(tmp_path):
    body = "".join(f"<p>{tcvn3(p).decode('cp1252')}</p>" for p in [
        "Ủy ban nhân dân phường Giang Biên thông báo lịch họp tổ dân phố số 5 vào ngày thứ bảy.",
        "Đề nghị các hộ gia đình cử đại diện tham dự đầy đủ và đúng giờ quy định của phường.",
    ])
    title = tcvn3("Thông báo lịch họp").decode("cp1252")
    page = f'<html><head><meta charset="windows-1252"><title>{title}</title></head><body><article>{body}</article></body></html>'
    path = tmp_path / "old.htm"
    path.write_bytes(page.encode("cp1252"))
    doc = read_one(path)
    assert doc.meta["encoding"] == "tcvn3"
    assert doc.title == "Thông báo lịch họp"
    assert "Ủy ban nhân dân phường Giang Biên thông báo lịch họp tổ dân phố số 5" in doc.text
    assert "Đề nghị các hộ gia đình cử đại diện" in doc.text


def test_html_without_extractable_content_falls_back_to_the_body_text(tmp_path, monkeypatch):
    from pipeline.readers import html as html_reader

    path = tmp_path / "notice.html"
    path.write_text("<html><body><div>THÔNG BÁO<br>Lịch tiếp công dân tháng 11</div></body></html>", encoding="utf-8")
    monkeypatch.setattr(html_reader, "_extract", lambda html: None)
    doc = read_one(path)
    assert doc.text == "THÔNG BÁO\nLịch tiếp công dân tháng 11"
    assert (doc.meta["extractor"], doc.title) == ("baseline", "THÔNG BÁO: Lịch tiếp công dân tháng 11")


BAD_HTML = [
    ("no body", "<html><head><title>Chỉ có tiêu đề</title></head></html>"),
    ("only scripts", "<html><head><title>Trang</title></head><body><script>var a = 'chữ';</script>  </body></html>"),
    ("empty body", "<!DOCTYPE html><html><body>\n  \n</body></html>"),
    ("whitespace", "  \n "),
    ("empty", ""),
]


@pytest.mark.parametrize("label, page", BAD_HTML, ids=[b[0] for b in BAD_HTML])
def test_html_without_body_text_is_empty_document(tmp_path, label, page):
    path = tmp_path / "empty.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(EmptyDocument, match="empty|no text in its body"):
        list(read_file(path))


def test_binary_file_named_html(tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    with pytest.raises(ExtractionFailed, match="binary"):
        list(read_file(path))


def test_xhtml_with_an_xml_declaration(tmp_path):
    path = tmp_path / "notice.htm"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
                    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Thông báo</title></head>'
                    "<body><p>Ủy ban nhân dân phường thông báo lịch tiếp công dân.</p></body></html>", encoding="utf-8")
    doc = read_one(path)
    assert doc.text == "Thông báo\n\nỦy ban nhân dân phường thông báo lịch tiếp công dân."
    assert doc.title == "Thông báo"


def test_the_changning_seed_is_titled_by_its_headline_not_its_reading_time(data_dir):
    from pipeline.readers import read_file

    root = Path(__file__).resolve().parent.parent
    (doc,) = read_file(root / "corpora" / "zh_changning_minghui-xijiao-yuan.txt")
    assert doc.title == "党建引领 长宁这个小区发挥居民自治效能"


def test_a_long_pdf_is_read_as_parts_of_whole_pages(make_pdf, monkeypatch):
    import pipeline.readers.pdf as pdf_reader
    from pipeline.readers import read_file

    pages = [[f"Trang {n}: Ban quản trị nhà chung cư họp định kỳ.", "Nội dung tiếp theo của trang."] for n in range(1, 7)]
    path = make_pdf(pages, name="long.pdf")
    (whole,) = read_file(path)
    monkeypatch.setattr(pdf_reader, "PART_CHARS", 150)
    parts = list(read_file(path))
    assert len(parts) > 1 and [d.meta["part"] for d in parts] == list(range(1, len(parts) + 1))
    assert [p.number for d in parts for p in d.pages] == [p.number for p in whole.pages]  # every page once, in order
    for d in parts:
        assert d.pages[0].start == 0 and all(d.text[p.start:p.end].strip() for p in d.pages)
        assert f"pages {d.pages[0].number}-{d.pages[-1].number}" in d.title
    assert "".join(d.text for d in parts) == whole.text


@pytest.mark.slow
def test_real_vietnamese_scan_is_titled_and_typed_from_its_ocr_text(real_scans):
    from pipeline.metadata import extract_metadata

    doc, text = real_scans["vi"]
    # not the stamp number "77270" above the letterhead, not the national motto
    assert doc.title == "NGHI ĐINH: Quy định chính sách hỗ trợ phục vụ"
    meta = extract_metadata(text, "vi", doc.title, doc.source)
    assert (meta.doc_type, meta.number, meta.issue_date) == ("nghi_dinh", "199/2026/NĐ-CP", "2026-06-05")
