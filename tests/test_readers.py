"""Readers: file discovery, encoding detection, txt / pdf / jsonl extraction and their errors."""
from __future__ import annotations

import codecs
import itertools
import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from pipeline.errors import EmptyDocument, EncodingError, ExtractionFailed, UnsupportedFormat
from pipeline.readers import iter_files, read_file, supported_extensions
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


def test_pdf_without_text_layer_says_it_needs_ocr(make_pdf):
    with pytest.raises(EmptyDocument, match="looks scanned and needs OCR"):
        list(read_file(make_pdf([[], []])))


def test_encrypted_pdf(make_pdf):
    with pytest.raises(ExtractionFailed, match="encrypted"):
        list(read_file(make_pdf([["bí mật"]], encrypt="pw")))


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


def test_real_scanned_pdf_needs_ocr(shared_pdfs):
    path = shared_pdfs / "zh" / "zh-TW_27屆區權會開會公告.pdf"
    if not path.exists():
        pytest.skip(f"{path} missing")
    with pytest.raises(EmptyDocument, match="OCR"):
        list(read_file(path))


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
