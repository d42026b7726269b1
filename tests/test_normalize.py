"""Normalisation: text cleanup tables per language, page remapping, skip spans, fold and strip_diacritics."""
from __future__ import annotations

import unicodedata

import pytest

from pipeline.lang.vi import strip_diacritics
from pipeline.normalize import fold, normalize, normalize_text
from pipeline.readers import read_file
from pipeline.types import Document, Page


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def paged(*pages: str) -> Document:
    """A Document whose pages are the given texts joined with "\\n\\n", as the PDF reader does."""
    spans, offset = [], 0
    pieces = [p + "\n\n" for p in pages[:-1]] + [pages[-1]]
    for number, piece in enumerate(pieces, start=1):
        spans.append(Page(number, offset, offset + len(piece)))
        offset += len(piece)
    return Document(id="", text="".join(pieces), pages=tuple(spans))


def assert_tiles(doc: Document) -> None:
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in zip(doc.pages, doc.pages[1:]))


# ---------------------------------------------------------------- Vietnamese tone placement

# (new-style or misplaced, normal form): the tone goes on the first vowel of a final oa/oe/uy.
TO_FIRST_VOWEL = [
    ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("HOÀ", "HÒA"), ("hoá", "hóa"), ("toà nhà", "tòa nhà"),
    ("thoả thuận", "thỏa thuận"), ("hoạ", "họa"), ("xoã", "xõa"), ("khoẻ", "khỏe"), ("xoè", "xòe"),
    ("Hoè", "Hòe"), ("thuỷ", "thủy"), ("huỷ", "hủy"), ("tuỳ", "tùy"), ("luỹ", "lũy"), ("Thuỵ", "Thụy"),
    ("Uỷ ban", "Ủy ban"), ("ĐẢNG UỶ PHƯỜNG GIANG BIÊN", "ĐẢNG ỦY PHƯỜNG GIANG BIÊN"),
    ("Quận uỷ,", "Quận ủy,"), ("hài hoà.", "hài hòa."), ("tịchUỷ", "tịchỦy"),
    ("sức khoẻ yếu...; hoà giải", "sức khỏe yếu...; hòa giải"),
    # after q the u belongs to the consonant: the tone sits on the vowel after it
    ("qùy", "quỳ"), ("qúy", "quý"), ("Qúy", "Quý"), ("QÙY", "QUỲ"), ("qùa", "quà"), ("qúa", "quá"),
]
UNTOUCHED = [
    "hòa", "khỏe", "thủy", "hủy", "Ủy ban", "ĐẢNG ỦY", "quý", "quỳ", "Quý", "quỷ", "quà",
    "hoàng", "Hoàng", "hoạch", "khoảng", "toán", "hoặc", "ngoài", "hoài", "thuyền", "quyết",
    "huyện", "chuyển", "khuỷu", "thuế", "thuở", "Thủ", "oa oe uy", "Samoa", "hoa", "tuy", "Koala",
    "tóm", "hủ tiếu", "khuya", "quyền",
]


@pytest.mark.parametrize("raw, normal", TO_FIRST_VOWEL)
def test_tone_moves_to_the_first_vowel_of_final_oa_oe_uy(raw, normal):
    assert normalize_text(raw) == normal
    assert normalize_text(nfd(raw)) == normal
    assert normalize_text(normal) == normal


@pytest.mark.parametrize("word", UNTOUCHED)
def test_other_syllables_keep_their_tone(word):
    assert normalize_text(word) == word


@pytest.mark.parametrize(
    "raw", ["hoà", "Hoà", "HOÀ", "hoá", "toà", "thoả", "hoạ", "khoẻ", "xoè", "thuỷ", "huỷ", "tuỳ", "luỹ",
            "Thuỵ", "Uỷ", "UỶ", "qùy", "qúy", "hòa", "thủy", "quý", "hoàng", "thuyền"],
)
def test_tone_placement_is_what_underthesea_keeps(raw):
    underthesea = pytest.importorskip("underthesea")
    assert underthesea.text_normalize(raw) == normalize_text(raw)
    assert underthesea.text_normalize(normalize_text(raw)) == normalize_text(raw)


# ---------------------------------------------------------------- cleanup tables per language

CLEANUP_VI = [
    ("Uỷ ban\r\nnhân dân\rphường", "Ủy ban\nnhân dân\nphường"),
    ("Đảng\u200b uỷ\u200c\u200d\ufeff phường", "Đảng ủy phường"),
    ("chung\u00adcư", "chungcư"),
    ("Nghị\x00 quyết\x07\x1b", "Nghị quyết"),
    ("tổ  dân \t phố", "tổ dân phố"),
    ("Hồng Thái   \n   Chia sẻ Zalo", "Hồng Thái\nChia sẻ Zalo"),
    ("NGHỊ QUYẾT\n\n\n\n\nLãnh đạo", "NGHỊ QUYẾT\n\nLãnh đạo"),
    ("\n \t\n  Quận Thanh Xuân \n\n  ", "Quận Thanh Xuân"),
    ("a\u00a0b\u2009c", "a b c"),
    ("trang một\ftrang hai\u2028dòng", "trang một\ntrang hai\ndòng"),
    (nfd("Ổn định tình hình"), "Ổn định tình hình"),
    ("tie\u0302\u0301ng Vie\u0323\u0302t", "tiếng Việt"),
    ("\tthụt lề", "thụt lề"),
]
CLEANUP_ZH = [
    ("第一条\u3000国家", "第一条 国家"),
    ("\u3000\u3000中国是世界上历史最悠久的国家之一。", "中国是世界上历史最悠久的国家之一。"),
    ("党建引领  长宁\r\n\r\n\r\n\r\n小区", "党建引领 长宁\n\n小区"),
    ("居民\u200b自治", "居民自治"),
    ("一征三议两公开\ufffe", "一征三议两公开"),
    ("ＡＢＣ１２３ 全角", "ＡＢＣ１２３ 全角"),
    ("カ\u3099", "ガ"),
    ("序 言", "序言"),  # letter-spaced headings close up
    ("第一章 总 纲", "第一章 总纲"),
    ("第 一 章 總則", "第一章 總則"),
    ("目\u3000\u3000录", "目录"),
    ("主持人：王  伟", "主持人：王伟"),
    ("中 华人民共和国", "中 华人民共和国"),  # a word-sized run is not letter spacing
    ("党建引领 长宁这个小区", "党建引领 长宁这个小区"),
    ("第 1 條", "第 1 條"),
    ("共12页 第1页", "共12页 第1页"),
]


@pytest.mark.parametrize("raw, expected", CLEANUP_VI)
def test_cleanup_vi(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw, expected", CLEANUP_ZH)
def test_cleanup_zh(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_keeps_other_fields_and_cleans_title(vi_text):
    doc = Document(id="x1", text=vi_text.replace("ủy", "uỷ"), source="vi.txt",
                   title="  Quận  uỷ \n Thanh Xuân ", meta={"format": "txt"})
    out = normalize(doc)
    assert (out.id, out.source, out.meta) == ("x1", "vi.txt", {"format": "txt"})
    assert out.title == "Quận ủy Thanh Xuân"
    assert "Đảng ủy phường Giang Biên" in out.text and "hài hòa" in out.text
    assert "Đảng uỷ" in doc.text  # the input is left alone


# ---------------------------------------------------------------- invariants

NAUGHTY = [
    "", "   ", "\u200b", "a", "😀 emoji 👨‍👩‍👧 family", "e\u0301\u0301", "\u0301 leading mark",
    "İstanbul ß ẞ ΣΊΣΥΦΟΣ", "ＡＢＣ\u3000ｘｙｚ", "\r\n\r\n\r", "\t\t", "한국어 \u1100\u1161",
    "hòa\u200b\n\n\n\nthủy\r\n \u3000", "Ủy ban\u00ad nhân dân", "ǅ ﬁ ǰ", "\ud7ff\ue000\U0010fffd",
]


@pytest.mark.parametrize("text", NAUGHTY + [t * 3 + "x" for t in NAUGHTY])
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


def test_normalize_documents_is_idempotent(data_dir):
    for path in sorted(data_dir.glob("*.txt")):
        (doc,) = read_file(path)
        once = normalize(doc)
        assert normalize(once) == once


PAGED = [
    ("vi", ["Ủy ban nhân dân\r\nphường", "  \u200bTrang hai  ", "Trang ba"]),
    ("zh", ["\u3000\u3000党建引领", "", "长宁\n\n\n\n小区", "居民自治\n"]),
    ("blank pages", ["", " \t ", "\u200b", "chỉ trang bốn"]),
    ("NFD and zero-width at page starts", [nfd("hòa bình"), "\u200b" + nfd("Ổn định"), "\ufeffend"]),
    ("control chars", ["a\x00\x01", "\x02b", "c\r"]),
]


@pytest.mark.parametrize("label, pages", PAGED, ids=[p[0] for p in PAGED])
def test_pages_still_tile_and_hold_their_own_text(label, pages):
    doc = normalize(paged(*pages))
    assert_tiles(doc)
    assert [p.number for p in doc.pages] == list(range(1, len(pages) + 1))
    assert [doc.text[p.start : p.end].strip() for p in doc.pages] == [normalize_text(p) for p in pages]
    assert normalize(doc) == doc


def test_pdf_pages_tile_after_normalize(make_pdf):
    (doc,) = read_file(make_pdf([["Uỷ ban   nhân dân", "hoà bình"], ["党建引领"], []] * 2))
    out = normalize(doc)
    assert_tiles(out)
    assert out.text[out.pages[1].start : out.pages[1].end] == "党建引领\n\n"
    assert out.page_at(out.text.index("hòa")) == 1


# ---------------------------------------------------------------- lines to skip


def test_repeated_caption_is_skipped_after_its_first_occurrence(zh_text):
    caption = "党建引领 长宁这个小区发挥居民自治效能"
    doc = normalize(Document(id="", text=zh_text))
    occurrences = [i for i in range(len(doc.text)) if doc.text.startswith(caption, i)]
    assert len(occurrences) == 3
    assert doc.skip == tuple((i, i + len(caption)) for i in occurrences[1:])
    assert all(doc.text[s:e] == caption for s, e in doc.skip)


SKIP_CASES = [
    ("title repeated", "Tiêu đề\n\nmột\n\nTiêu đề\n\nhai\n\nTiêu đề", ["Tiêu đề", "Tiêu đề"]),
    ("web chrome", "Tin liên quan\nbài\nTin liên quan\nbài\nTin liên quan\nbài", ["Tin liên quan", "bài"] * 2),
    ("only twice", "Tin liên quan\na\nTin liên quan", []),
    ("sentences are content", "委员若干人。\n甲\n委员若干人。\n乙\n委员若干人。", []),
    ("long lines are content", "\n".join(["Đ" * 130] * 3), []),
    ("spacing differences normalised first", "Tin  mới \nx\n Tin mới\ny\nTin mới", ["Tin mới"] * 2),
]


@pytest.mark.parametrize("label, text, skipped", SKIP_CASES, ids=[c[0] for c in SKIP_CASES])
def test_skip_spans_point_at_repeated_lines(label, text, skipped):
    doc = normalize(Document(id="", text=text))
    assert [doc.text[s:e] for s, e in doc.skip] == skipped
    assert list(doc.skip) == sorted(doc.skip)


def test_running_headers_and_page_numbers_are_skipped():
    clause = "hoặc cơ quan ký hợp đồng BT (trong trường"
    pages = [
        f"CÔNG BÁO Số 49/2026\nĐiều {n + 3}. Nội dung\n{clause}\nhết Điều {n + 3}\nTrang {n}"
        for n in range(1, 6)
    ]
    doc = normalize(paged(*pages))
    skipped = [(doc.page_at(s), doc.text[s:e]) for s, e in doc.skip]
    # The header's first occurrence stays indexable; a page number never is.
    assert skipped == [(1, "Trang 1")] + [
        item for n in range(2, 6) for item in ((n, "CÔNG BÁO Số 49/2026"), (n, f"Trang {n}"))
    ]


PAGE_NUMBERS = [
    ("bare", "{n}"), ("dashes", "- {n} -"), ("em dashes", "— {n} —"), ("of total", "{n}/12"),
    ("Trang", "Trang {n}"), ("Trang of", "Trang {n}/12"), ("Page of", "Page {n} of 12"),
    ("第 页", "第 {n} 页"), ("第頁共頁", "第{n}頁 共12頁"), ("共页第页", "共12页 第{n}页"),
]


@pytest.mark.parametrize("label, form", PAGE_NUMBERS, ids=[p[0] for p in PAGE_NUMBERS])
@pytest.mark.parametrize("at", ["top", "bottom"])
def test_page_numbers_at_page_edges_are_skipped_on_every_page(label, form, at):
    bodies = ["中国是世界上历史最悠久的国家之一。", "Ủy ban nhân dân phường Giang Biên", "居民自治"]
    pages = [
        f"{form.format(n=n)}\n{body}" if at == "top" else f"{body}\n{form.format(n=n)}"
        for n, body in enumerate(bodies, start=1)
    ]
    doc = normalize(paged(*pages))
    assert [doc.text[s:e] for s, e in doc.skip] == [form.format(n=n) for n in (1, 2, 3)]


@pytest.mark.parametrize(
    "label, pages",
    [
        ("a year is not a page number", ["Hà Nội\n2026", "Đà Nẵng\n2025", "Huế\n2024"]),
        ("a number inside the page", ["a\nb\n7\nc\nd", "e\nf\n8\ng\nh", "i\nk\n9\nl\nm"]),
        ("words around a number", ["Điều 3 sửa đổi", "Điều 4 bổ sung", "Điều 5 bãi bỏ"]),
    ],
)
def test_lines_that_are_not_page_numbers_stay(label, pages):
    assert normalize(paged(*pages)).skip == ()


def test_running_headers_need_most_pages():
    doc = normalize(paged("Mục lục\na", "b\nc", "Mục lục\nd", "e\nf", "g\nh", "i\nk"))
    assert doc.skip == ()


# ---------------------------------------------------------------- fold and strip_diacritics

FOLD = [
    ("ÜBER Straße", "über straße"),
    ("ＡＢＣ１２３！～", "abc123!~"),
    ("\u3000党建\u3000", " 党建 "),
    ("İstanbul", "İstanbul"),
    ("ẞ", "ß"),
    ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),
    ("ỦY BAN NHÂN DÂN", "ủy ban nhân dân"),
    ("Ａ", "a"),
    ("😀 EMOJI", "😀 emoji"),
    ("E\u0301", "e\u0301"),
    ("CT19A", "ct19a"),
    # traditional Chinese folds to simplified, character by character
    ("業主委員會", "业主委员会"),
    ("區分所有權人會議", "区分所有权人会议"),
    ("公寓大廈管理條例", "公寓大厦管理条例"),
    ("业主委员会", "业主委员会"),  # simplified stays
    ("「管理委員會」", "「管理委员会」"),  # corner brackets are not converted
    ("著作權", "著作权"),  # 著 stays 著, as in simplified 著作
]


@pytest.mark.parametrize("text, folded", FOLD)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("text", NAUGHTY + [f for f, _ in FOLD])
def test_fold_preserves_length_and_slices(text):
    folded = fold(text)
    assert len(folded) == len(text)
    for i in range(len(text)):
        assert fold(text[i : i + 3]) == folded[i : i + 3]


STRIP = [
    ("Ủy ban nhân dân", "Uy ban nhan dan"),
    ("ĐẢNG ỦY PHƯỜNG GIANG BIÊN", "DANG UY PHUONG GIANG BIEN"),
    ("đường phố", "duong pho"),
    ("Ổn định, hoà bình", "On dinh, hoa binh"),
    ("café naïve", "cafe naive"),
    ("党建引领", "党建引领"),
    ("한국어", "한국어"),
    ("Ωμέγα й", "Ωμέγα й"),
    ("e\u0301", "e\u0301"),
]


@pytest.mark.parametrize("text, stripped", STRIP)
def test_strip_diacritics(text, stripped):
    assert strip_diacritics(text) == stripped


@pytest.mark.parametrize("text", NAUGHTY + [t for t, _ in STRIP])
def test_strip_diacritics_preserves_length(text):
    assert len(strip_diacritics(text)) == len(text)


# ---------------------------------------------------------------- boilerplate and joined lines

BOILERPLATE_CASES = [
    ("share button with byline", "Tiêu đề bài báo\n\nHồng Thái\nChia sẻ Zalo\n\nNội dung bài báo.",
     ["Hồng Thái\nChia sẻ Zalo"]),
    ("Chinese share line", "正文内容。\n\n分享到：微信 微博 QQ空间\n\n下一段。", ["分享到：微信 微博 QQ空间"]),
    ("prose that starts like a button", "Chia sẻ kinh nghiệm quản lý nhà chung cư với các phường bạn trong quận.", []),
    ("distribution list and signature",
     "Nghị quyết này được phổ biến đến chi bộ./.\n\nNơi nhận:\n\n- TT Quận ủy,\n- Lưu VPDU.\n\nT/M ĐẢNG ỦY\nBÍ THƯ\n\n"
     "Đinh Xuân Hùng", ["Nơi nhận:\n\n- TT Quận ủy,\n- Lưu VPDU.\n\nT/M ĐẢNG ỦY\nBÍ THƯ\n\nĐinh Xuân Hùng"]),
    ("distribution list ends before an annex",
     "Điều 3. Thi hành.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nPHỤ LỤC I\n\nDanh mục các xã.",
     ["Nơi nhận:\n- Như Điều 3;\n- Lưu: VT."]),
    ("Markdown grid table of list and signature",
     "Điều 2. Thi hành.\n\n+------+------+\n| | **TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\\ |\n| ***Nơi nhận:\\*** | CHỦ TỊCH |\n"
     "| - Chính phủ; | Trần Thanh Mẫn |\n+------+------+\n\nPhụ lục",
     ["+------+------+\n| | **TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\\ |\n| ***Nơi nhận:\\*** | CHỦ TỊCH |\n"
      "| - Chính phủ; | Trần Thanh Mẫn |\n+------+------+"]),
    ("抄送 and printing line",
     "请于月底前报送。\n\n抄送：区委办公室，区人大常委会办公室。\n\n区住房和城乡建设局办公室 2023年5月8日印发",
     ["抄送：区委办公室，区人大常委会办公室。\n\n区住房和城乡建设局办公室 2023年5月8日印发"]),
    ("抄送 inside a sentence is content", "承办单位应当将答复抄送市人民政府办公厅。", []),
    ("signature mark early in a document is content", "KT. CHỦ TỊCH\n\n" + "Nội dung dài của văn bản. " * 20, []),
]


@pytest.mark.parametrize("label, text, expected", BOILERPLATE_CASES, ids=[c[0] for c in BOILERPLATE_CASES])
def test_boilerplate_spans(label, text, expected):
    from pipeline.normalize import boilerplate_spans

    assert [text[s:e] for s, e in boilerplate_spans(text)] == expected
    doc = normalize(Document(id="", text=text))
    assert all(any(s <= b and c <= e for s, e in doc.skip) for b, c in boilerplate_spans(doc.text))  # skipped


JOIN_CASES = [
    ("Chinese word broken over a blank line",
     "在老旧小区整治提升过程中，坚持以群众需求为导向，全程做好群众的宣传、发动和组织工作，项目实施前，要广\n\n泛征求群众意见。",
     "在老旧小区整治提升过程中，坚持以群众需求为导向，全程做好群众的宣传、发动和组织工作，项目实施前，要广泛征求群众意见。"),
    ("Vietnamese sentence wrapped at 72 columns",
     "Nghị quyết này được Ủy ban Thường vụ Quốc hội nước Cộng hòa xã hội chủ\nnghĩa Việt Nam thông qua.",
     "Nghị quyết này được Ủy ban Thường vụ Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam thông qua."),
    ("a heading stays on its line", "依托居民公约意识,促进社区共治\n\n此次整治提升,将结合工作实际。",
     "依托居民公约意识,促进社区共治\n\n此次整治提升,将结合工作实际。"),
    ("an article after a missing full stop stays apart",
     "建设单位或者个人在取得规划条件后，应当按照规划条件的要求进行设计，规划条件意见书失效\n\n第二十七条 建设单位应当申请。",
     "建设单位或者个人在取得规划条件后，应当按照规划条件的要求进行设计，规划条件意见书失效\n\n第二十七条 建设单位应当申请。"),
    ("a sentence end keeps its break", "Nâng cao năng lực tham mưu của cán bộ, công chức được giao nhiệm vụ.\nhàng quý",
     "Nâng cao năng lực tham mưu của cán bộ, công chức được giao nhiệm vụ.\nhàng quý"),
    ("a capital letter starts a new paragraph",
     "Quận Thanh Xuân sẽ tiếp tục triển khai kế hoạch quản lý nhà chung cư trên địa bàn\n\nQuận Thanh Xuân",
     "Quận Thanh Xuân sẽ tiếp tục triển khai kế hoạch quản lý nhà chung cư trên địa bàn\n\nQuận Thanh Xuân"),
]


@pytest.mark.parametrize("label, text, expected", JOIN_CASES, ids=[c[0] for c in JOIN_CASES])
def test_joined_lines(label, text, expected):
    from pipeline.normalize import joined_lines

    joined, _ = joined_lines(text)
    assert joined == expected


def test_joined_lines_moves_spans_and_looks_at_the_whole_document():
    from pipeline.normalize import joined_lines

    text = "项目立项前，要广泛宣传，增加群众知晓率；项目实施前，要广泛征求群众意见和建议，还要广\n\n泛征求群众意见，保证群众参与率。"
    start = text.index("还要")
    mark = text.index("泛征求", start)
    joined, spans = joined_lines(text, start, len(text), ((mark, mark + 3),))
    assert joined == "还要广泛征求群众意见，保证群众参与率。"  # joined although the passage's own first line is short
    assert joined[spans[0][0] : spans[0][1]] == "泛征求"
