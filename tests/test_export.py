"""Drafting brief export: citations, Markdown that gives the quotes back exactly, DOCX read back
with python-docx and rendered to PDF by LibreOffice.

The quotes are modelled on the Giang Biên ward resolution, a Vietnamese decree, a State Council
General Office opinion and the Shanghai people's congress committee regulation.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import unicodedata

import pytest

from pipeline.errors import ExportError, GovtextError
from pipeline.export import CITATION_STYLE, Brief, BriefSection, Quote, Source, brief_markdown, write_brief, write_docx


def _spans(text: str, *words: str) -> tuple[tuple[int, int], ...]:
    """Highlight spans of the first occurrence of each word in `text`."""
    out = []
    for word in words:
        start = text.index(word)
        out.append((start, start + len(word)))
    return tuple(out)


VI_RESOLUTION = (
    "Giao Ủy ban nhân dân phường xây dựng kế hoạch, đề ra các giải pháp quản lý đảm bảo khả thi, "
    "phù hợp thực tiễn, giải quyết hài hòa mối quan hệ giữa các chủ thể (gồm: Ban quản trị nhà chung cư, "
    "chi bộ, tổ dân phố, Ban công tác mặt trận)."
)
# Several lines, some of which Markdown would read as a list, a heading or a rule at line start.
VI_MULTILINE = (
    "ĐẢNG ỦY PHƯỜNG GIANG BIÊN\n"
    "1. Tăng cường sự lãnh đạo của cấp ủy đối với ỦY BAN NHÂN DÂN phường.\n"
    "- Chi bộ tổ dân phố chủ trì, phối hợp với Ban quản trị nhà chung cư;\n"
    "+ Định kỳ ĐÁNH GIÁ, báo cáo Đảng ủy.\n"
    "\n"
    "# Hàng quý báo cáo kết quả thực hiện.\n"
    "---\n"
    "II. NHIỆM VỤ VÀ GIẢI PHÁP"
)
VI_DECREE = (
    "Điều 5. Trách nhiệm của Ủy ban nhân dân cấp xã\n"
    "a) Tổ chức tiếp nhận, giải quyết phản ánh, kiến nghị của người dân về quản lý nhà chung cư;"
)
ZH_OPINION = (
    "各地要认真贯彻落实《中华人民共和国城乡规划法》，将城镇老旧小区改造纳入国土空间规划，"
    "建立“共建共治共享”的工作机制，切实做好群众工作。"
)
ZH_LAW = (
    "第十二条　专门委员会在市人民代表大会闭会期间，按照市人民代表大会常务委员会的安排，"
    "开展调查研究，提出意见和建议。\n"
    "（一）审议市人民代表大会常务委员会交付的议案；\n"
    "（二）就有关问题进行调查研究，提出建议。"
)

RESOLUTION = dict(
    doc_id="1a2b3c4d5e6f7a8b",
    title="Lãnh đạo nâng cao chất lượng hoạt động của hệ thống chính trị ở tổ dân phố có khu chung cư",
    lang="vi",
    source="corpora/vi/nq-01-giang-bien.pdf",
    issuer="Đảng ủy phường Giang Biên",
    date="2021-10-28",
    doc_type="Nghị quyết",
    number="01-NQ/ĐU",
)
QUOTES = {
    "vi_resolution": Quote(
        VI_RESOLUTION, **RESOLUTION, section="II. NHIỆM VỤ > 1.", page=3, start=120, end=120 + len(VI_RESOLUTION),
        highlights=_spans(VI_RESOLUTION, "kế hoạch", "giải pháp quản lý"),
    ),
    "vi_multiline": Quote(
        VI_MULTILINE, **RESOLUTION, section="I. MỤC TIÊU", page=1, start=10, end=10 + len(VI_MULTILINE),
        highlights=_spans(VI_MULTILINE, "ĐẢNG ỦY", "Ban quản trị nhà chung cư", "ĐÁNH GIÁ"),
        note="Đoạn này liệt kê các bước; giữ nguyên số thứ tự khi trích dẫn.",
    ),
    "vi_decree": Quote(
        VI_DECREE, doc_id="9f8e7d6c5b4a3210", title="Quy định về quản lý, sử dụng nhà chung cư", lang="vi",
        source="corpora/vi/nd-49-2026.docx", issuer="Chính phủ", date="2026-01-31", doc_type="Nghị định",
        number="49/2026/NĐ-CP", section="Chương II", article="Điều 5", start=4410, end=4410 + len(VI_DECREE),
        highlights=_spans(VI_DECREE, "phản ánh, kiến nghị"),
    ),
    "zh_opinion": Quote(
        ZH_OPINION, doc_id="0c1d2e3f4a5b6c7d", title="国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见",
        lang="zh", source="corpora/zh/gbf-2020-23.html", issuer="国务院办公厅", date="2020-07-10",
        doc_type="意见", number="国办发〔2020〕23号", section="三、建立健全组织实施机制 > （一）",
        start=2051, end=2051 + len(ZH_OPINION), highlights=_spans(ZH_OPINION, "老旧小区改造", "共建共治共享"),
    ),
    "zh_law": Quote(
        ZH_LAW, doc_id="77aa88bb99cc00dd", title="上海市人民代表大会专门委员会工作条例", lang="zh",
        source="corpora/zh/sh-zmwyh.txt", issuer="上海市人民代表大会常务委员会", date="2020-09-25",
        section="第二章 职责", article="第十二条", page=4, start=1880, end=1880 + len(ZH_LAW),
        highlights=_spans(ZH_LAW, "调查研究"),
    ),
}


@pytest.fixture
def brief() -> Brief:
    return Brief(
        title="Quản lý nhà chung cư / 老旧小区改造",
        summary=(
            'Query: "quản lý nhà chung cư" (expanded with glossary: 物业管理, 老旧小区)',
            "Index: corpora/index (vi 812 documents, zh 6 000 documents)",
            "Date: 2026-03-02",
        ),
        sections=(
            BriefSection(
                "Việt Nam: Đảng ủy và Ủy ban nhân dân",
                (QUOTES["vi_resolution"], QUOTES["vi_multiline"], QUOTES["vi_decree"]),
                intro="Những đoạn giao nhiệm vụ cho chính quyền phường.",
            ),
            BriefSection("中国：老旧小区改造与人大专门委员会", (QUOTES["zh_opinion"], QUOTES["zh_law"])),
        ),
        generated="govtext 0.1.0, 2026-03-02T10:00:00",
    )


# ---------------------------------------------------------------- citation


CITATIONS = [
    (
        QUOTES["vi_resolution"],
        'Nghị quyết 01-NQ/ĐU, "Lãnh đạo nâng cao chất lượng hoạt động của hệ thống chính trị ở tổ dân phố có '
        'khu chung cư", Đảng ủy phường Giang Biên, 2021-10-28, II. NHIỆM VỤ > 1., p. 3 '
        f"[doc 1a2b3c4d5e6f7a8b, chars 120–{120 + len(VI_RESOLUTION)}]",
    ),
    (
        QUOTES["vi_decree"],
        'Nghị định 49/2026/NĐ-CP, "Quy định về quản lý, sử dụng nhà chung cư", Chính phủ, 2026-01-31, '
        f"Chương II, Điều 5 [doc 9f8e7d6c5b4a3210, chars 4410–{4410 + len(VI_DECREE)}]",
    ),
    (
        QUOTES["zh_opinion"],
        "意见 国办发〔2020〕23号, 《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》, 国务院办公厅, 2020-07-10, "
        f"三、建立健全组织实施机制 > （一） [doc 0c1d2e3f4a5b6c7d, chars 2051–{2051 + len(ZH_OPINION)}]",
    ),
    # no type or number; the article is already in the section path, so it is not repeated
    (
        Quote("第十二条　……", "77aa88bb99cc00dd", "《上海市人民代表大会专门委员会工作条例》", "zh",
              section="第二章 职责 > 第十二条", article="第十二条", page=4),
        "《上海市人民代表大会专门委员会工作条例》, 第二章 职责 > 第十二条, p. 4 [doc 77aa88bb99cc00dd]",
    ),
    # no title: the file name stands in
    (
        Quote("Điều 1. Phạm vi điều chỉnh", "abc123", "", "vi", source="corpora/vi/qd-123-ubnd.pdf", page=1),
        "qd-123-ubnd.pdf, p. 1 [doc abc123]",
    ),
    (Quote("Nội dung", "abc123", "", "vi", start=0, end=8), "[doc abc123, chars 0–8]"),
    # the web address the document was taken from, before the id and offsets
    (Quote("内容", "9c8c2597d5ed9036", "党建引领", "zh", start=5, end=7, url="http://www.shcafe.org/shzxxw/41137.html"),
     "《党建引领》, http://www.shcafe.org/shzxxw/41137.html [doc 9c8c2597d5ed9036, chars 5–7]"),
    (Quote("Nội dung", "", "Kế hoạch", "vi", issuer="UBND quận Long Biên"), '"Kế hoạch", UBND quận Long Biên'),
    (Quote("内容", "", "", "zh"), ""),
]


@pytest.mark.parametrize("quote,expected", CITATIONS)
def test_citation_names_what_is_present(quote, expected):
    assert quote.citation() == expected
    assert "None" not in quote.citation()
    assert ", ," not in quote.citation()


def test_sources_are_unique_and_in_order_of_first_quote(brief):
    sources = brief.sources()
    assert [s.doc_id for s in sources] == [
        "1a2b3c4d5e6f7a8b", "9f8e7d6c5b4a3210", "0c1d2e3f4a5b6c7d", "77aa88bb99cc00dd"
    ]
    assert sources[0] == Source(
        "1a2b3c4d5e6f7a8b", RESOLUTION["title"], "vi", RESOLUTION["source"], "Đảng ủy phường Giang Biên",
        "2021-10-28", "Nghị quyết", "01-NQ/ĐU",
    )
    assert sources[0].reference().endswith("corpora/vi/nq-01-giang-bien.pdf [doc 1a2b3c4d5e6f7a8b]")


def test_highlights_are_clipped_sorted_and_merged():
    quote = Quote("abcdefghij", "d", "t", "vi", highlights=((6, 8), (0, 2), (1, 3), (3, 4), (9, 40), (5, 5), (-3, 0)))
    assert quote.spans() == [(0, 4), (6, 8), (9, 10)]


def test_quote_from_hit_carries_metadata_and_relative_highlights():
    from pipeline.types import DocMeta, Hit, Passage

    text = "a) Tổ chức tiếp nhận, giải quyết phản ánh, kiến nghị của người dân về quản lý nhà chung cư;"
    start = 4460
    hl = text.index("phản ánh")
    passage = Passage(
        "c1", text, start, start + len(text), 0.8, page=2,
        headings=("Chương II", "Điều 5. Trách nhiệm của Ủy ban nhân dân cấp xã"),
        highlights=((start + hl, start + hl + 8),),
    )
    meta = DocMeta(doc_type_name="Nghị định", number="49/2026/NĐ-CP", issue_date="2026-01-31", issuer="Chính phủ")
    hit = Hit("9f8e7d6c5b4a3210", "Quy định về quản lý, sử dụng nhà chung cư", "corpora/vi/nd-49-2026.docx", "vi",
              0.8, (passage,), meta=meta)
    quote = Quote.from_hit(hit)
    assert quote.text == text and (quote.start, quote.end) == (start, start + len(text))
    assert [quote.text[s:e] for s, e in quote.spans()] == ["phản ánh"]
    assert quote.citation() == (
        'Nghị định 49/2026/NĐ-CP, "Quy định về quản lý, sử dụng nhà chung cư", Chính phủ, 2026-01-31, '
        "Chương II > Điều 5. Trách nhiệm của Ủy ban nhân dân cấp xã, Điều 5, điểm a, p. 2 "
        f"[doc 9f8e7d6c5b4a3210, chars {start}–{start + len(text)}]"
    )


# ---------------------------------------------------------------- Markdown

# The backslash the renderer puts before a line-start marker: "1\.", "\-", "\#" ...
_LINE_START_ESCAPE = re.compile(r"^( {0,3}\d{0,9})\\(?=[#>+*_=`~<.)-])", re.M)


def _blockquotes(markdown: str) -> list[tuple[str, str]]:
    """Each blockquote's source text (prefixes, bold markers and escapes removed) and the line after it."""
    lines = markdown.split("\n")
    out, i = [], 0
    while i < len(lines):
        if not lines[i].startswith(">"):
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].startswith("> "):
            block.append(lines[i][2:])
            i += 1
        text = _LINE_START_ESCAPE.sub(r"\1", "\n".join(block).replace("**", ""))
        after = next(line for line in lines[i:] if line)
        out.append((text, after))
    return out


def test_markdown_gives_every_quote_back_exactly(brief):
    markdown = brief_markdown(brief)
    quotes = list(brief.quotes())
    blocks = _blockquotes(markdown)
    assert [text for text, _ in blocks] == [q.text for q in quotes]
    assert [after for _, after in blocks] == [f"— {q.citation()}" for q in quotes]


def test_markdown_layout(brief):
    markdown = brief_markdown(brief)
    lines = markdown.split("\n")
    assert lines[0] == "# Quản lý nhà chung cư / 老旧小区改造"
    for line in brief.summary:
        assert line in lines
    assert [line[3:] for line in lines if line.startswith("## ")] == [s.heading for s in brief.sections] + ["Sources"]
    sources = lines[lines.index("## Sources") + 2 :]
    expected = [f"{i}. {s.reference()}" for i, s in enumerate(brief.sources(), 1)]
    assert sources[: len(expected)] == expected
    assert "> **kế hoạch**" not in markdown and "**kế hoạch**" in markdown
    assert "> **ĐẢNG ỦY** PHƯỜNG GIANG BIÊN" in lines
    assert "Note: Đoạn này liệt kê các bước; giữ nguyên số thứ tự khi trích dẫn." in lines


MARKDOWN_LINES = [
    ("1. Tăng cường sự lãnh đạo", "1\\. Tăng cường sự lãnh đạo"),
    ("12) Ban quản trị", "12\\) Ban quản trị"),
    ("- Chi bộ tổ dân phố", "\\- Chi bộ tổ dân phố"),
    ("+ Định kỳ báo cáo", "\\+ Định kỳ báo cáo"),
    ("* * *", "\\* * *"),
    ("# Hàng quý", "\\# Hàng quý"),
    ("---", "\\---"),
    ("===", "\\==="),
    ("> trích", "\\> trích"),
    ("```", "\\```"),
    ("<div>", "\\<div>"),
    ("II. NHIỆM VỤ VÀ GIẢI PHÁP", "II. NHIỆM VỤ VÀ GIẢI PHÁP"),
    ("a) Tổ chức tiếp nhận", "a) Tổ chức tiếp nhận"),
    ("2021. Năm bản lề", "2021\\. Năm bản lề"),
    ("Ngày 28/10/2021 - Đảng ủy họp", "Ngày 28/10/2021 - Đảng ủy họp"),
    ("第十二条　专门委员会", "第十二条　专门委员会"),
    ("（一）审议议案；", "（一）审议议案；"),
    ("#党建引领", "#党建引领"),
]


@pytest.mark.parametrize("line,expected", MARKDOWN_LINES)
def test_markdown_escapes_only_line_start_markers(line, expected):
    markdown = brief_markdown(Brief("t", (BriefSection("s", (Quote(line, "d", "", "vi"),)),)))
    assert f"> {expected}" in markdown.split("\n")
    assert _blockquotes(markdown)[0][0] == line


def _rendered_quotes(markdown: str) -> list[tuple[str, list[str]]]:
    """What a CommonMark renderer shows in each blockquote: its text and its bold pieces."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    out, depth, paragraphs, bold = [], 0, [], []
    for token in tokens:
        if token.type == "blockquote_open":
            depth, paragraphs, bold = depth + 1, [], []
        elif token.type == "blockquote_close":
            depth -= 1
            out.append(("\n\n".join(paragraphs), bold))
        elif depth and token.type not in ("paragraph_open", "paragraph_close", "inline"):
            paragraphs.append(f"<{token.type}>")  # a list, heading or rule: the quote was misread
        elif depth and token.type == "inline":
            text, strong = [], None
            for child in token.children:
                if child.type == "strong_open":
                    strong = []
                elif child.type == "strong_close":
                    bold.append("".join(strong))
                    strong = None
                else:
                    piece = "\n" if child.type in ("softbreak", "hardbreak") else child.content
                    text.append(piece)
                    if strong is not None:
                        strong.append(piece)
            paragraphs.append("".join(text))
    return out


def test_markdown_renders_the_quotes_as_written(brief):
    pytest.importorskip("markdown_it")
    rendered = _rendered_quotes(brief_markdown(brief))
    quotes = list(brief.quotes())
    assert [text for text, _ in rendered] == [q.text for q in quotes]
    assert [bold for _, bold in rendered] == [[q.text[s:e] for s, e in q.spans()] for q in quotes]


# ---------------------------------------------------------------- DOCX


def test_docx_reads_back_with_quotes_highlights_and_headings(brief, tmp_path):
    import docx
    from docx.oxml.ns import qn

    path = write_docx(brief, tmp_path / "out" / "brief.docx")
    assert path == tmp_path / "out" / "brief.docx" and path.is_file()
    doc = docx.Document(str(path))
    paragraphs = doc.paragraphs

    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == brief.title
    assert [p.text for p in paragraphs[1:4]] == list(brief.summary)
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in brief.sections] + ["Sources"]

    quotes = [p for p in paragraphs if p.style.name == "Quote"]
    assert [p.text for p in quotes] == [q.text for q in brief.quotes()]
    for para, quote in zip(quotes, brief.quotes()):
        assert [r.text for r in para.runs if r.bold] == [quote.text[s:e] for s, e in quote.spans()]
        assert len(para._p.xpath(".//w:br")) == quote.text.count("\n")  # line breaks, not new paragraphs
        assert all(r._r.rPr.rFonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC" for r in para.runs)
    # each quote is followed by its citation in the small italic citation style
    texts = [p.text for p in paragraphs]
    for quote in brief.quotes():
        after = paragraphs[texts.index(quote.text) + 1]
        assert after.text == quote.citation()
        assert after.style.name == CITATION_STYLE and after.style.font.italic
    assert "Note: Đoạn này liệt kê các bước; giữ nguyên số thứ tự khi trích dẫn." in texts

    numbered = [p.text for p in paragraphs if p.style.name == "List Number"]
    assert numbered == [s.reference() for s in brief.sources()]

    normal_fonts = doc.styles["Normal"].element.rPr.rFonts
    assert normal_fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert normal_fonts.get(qn("w:eastAsiaTheme")) is None
    assert doc.core_properties.title == brief.title
    assert doc.core_properties.subject == "Drafting brief: 5 passages from 4 documents"


def test_docx_drops_characters_xml_cannot_hold(tmp_path):
    import docx

    quote = Quote("Điều 1.\x0bĐiều 2.\x00", "d", "t", "vi")
    path = write_docx(Brief("t", (BriefSection("s", (quote,)),)), tmp_path / "b.docx")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Điều 1.\nĐiều 2." in texts


@pytest.mark.slow
def test_libreoffice_renders_vietnamese_and_chinese(brief, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice not on PATH: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    import pdfplumber

    path = write_brief(brief, tmp_path / "brief.docx")
    started = time.monotonic()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
        capture_output=True, text=True, timeout=120,
    )
    seconds = time.monotonic() - started
    pdf = tmp_path / "pdf" / "brief.pdf"
    assert done.returncode == 0 and pdf.is_file(), f"soffice failed after {seconds:.1f}s: {done.stdout}{done.stderr}"
    print(f"soffice --convert-to pdf: {seconds:.1f}s")

    with pdfplumber.open(pdf) as rendered:
        text = "".join(page.extract_text() or "" for page in rendered.pages)
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFC", text))
    for quote in brief.quotes():
        assert re.sub(r"\s+", "", quote.text) in flat, quote.text[:40]
    assert "ĐẢNGỦYPHƯỜNGGIANGBIÊN" in flat
    assert "《中华人民共和国城乡规划法》" in flat
    assert "1.Nghịquyết01-NQ/ĐU" in flat  # the Sources list is numbered


@pytest.mark.parametrize(
    "name,fmt", [("brief.md", None), ("brief.MARKDOWN", None), ("brief.txt", "md"), ("b", "markdown")]
)
def test_write_brief_markdown(brief, tmp_path, name, fmt):
    path = write_brief(brief, tmp_path / name, format=fmt)
    assert path.read_text(encoding="utf-8") == brief_markdown(brief)


@pytest.mark.parametrize(
    "name,fmt", [("brief.pdf", None), ("brief", None), ("brief.md", "html"), ("brief.docx", "pdf")]
)
def test_unknown_format_raises_export_error(brief, tmp_path, name, fmt):
    with pytest.raises(ExportError, match="format") as raised:
        write_brief(brief, tmp_path / name, format=fmt)
    assert isinstance(raised.value, GovtextError)
    assert not (tmp_path / name).exists()


def test_export_does_not_load_models():
    code = "import sys, pipeline.export; print([m for m in ('torch', 'jieba', 'underthesea') if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


# ---------------------------------------------------------------- quoting stored documents


def test_quoted_passage_leaves_out_a_distribution_list_and_signature(corpus_docs):
    from pipeline.export import quoted_passage

    doc = corpus_docs["vi_nghi-quyet_giang-bien_2021.txt"]
    start = doc.text.index("Nghị quyết này được phổ biến")
    text, s, e, spans = quoted_passage(doc, start, len(doc.text), ((start, start + 10),))
    assert text == "Nghị quyết này được phổ biến đến chi bộ./."
    assert (s, e) == (start, start + len(text)) and spans == ((0, 10),)


def test_quoted_passage_leaves_out_share_buttons_and_their_byline(corpus_docs):
    from pipeline.export import quoted_passage

    doc = corpus_docs["vi_thanh-xuan_chung-cu-cu_2022.txt"]
    end = doc.text.index("Kinhtedothi") + 40
    mark = doc.text.index("Kinhtedothi")
    text, _, _, spans = quoted_passage(doc, 0, end, ((mark, mark + 11),))
    assert text.startswith("Kinhtedothi") and "Chia sẻ" not in text and "Hồng Thái" not in text
    assert text[spans[0][0] : spans[0][1]] == "Kinhtedothi"


def test_quoted_passage_joins_a_chinese_line_broken_inside_a_word(corpus_docs):
    from pipeline.export import quoted_passage

    doc = corpus_docs["zh_erqi_old-neighbourhoods.txt"]
    start = doc.text.index("项目立项前")
    end = doc.text.index("保证群众参与率") + 7
    mark = doc.text.index("泛征求")
    assert "要广\n" in doc.text[start:end]
    text, _, _, spans = quoted_passage(doc, start, end, ((mark, mark + 3),))
    assert "要广泛征求群众意见" in text and "\n" not in text
    assert text[spans[0][0] : spans[0][1]] == "泛征求"


def test_source_url_from_meta_record_and_text(make_doc):
    from dataclasses import replace

    from pipeline.export import source_url

    doc = make_doc("标题:党建引领\n\n地址:http://www.shcafe.org/shzxxw/41137.html")
    assert source_url(doc) == "http://www.shcafe.org/shzxxw/41137.html"
    assert source_url(replace(doc, meta={"url": "https://a.vn/b"})) == "https://a.vn/b"
    assert source_url(replace(doc, meta={"extra": {"url": "https://c.cn/d"}})) == "https://c.cn/d"
    assert source_url(make_doc("Không có địa chỉ nào ở đây.")) == ""
