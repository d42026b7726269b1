"""The one citation formatter and the result-list formats (CSV, RIS, CSL-JSON)."""
import csv
import html
import io
import json

import pytest

from pipeline.citations import Citation, format_results
from pipeline.errors import BadRequest
from pipeline.types import DocMeta, Hit, Passage, Place

TEXT = "a) Tổ chức tiếp nhận, giải quyết phản ánh, kiến nghị của người dân về quản lý nhà chung cư;"
META = DocMeta(doc_type="nghi_dinh", doc_type_name="Nghị định", number="49/2026/NĐ-CP", issue_date="2026-01-31",
               issuer="Chính phủ", places=(Place("Hà Nội", "province"),))


def hit(rank=1, doc_id="9f8e7d6c5b4a3210", source="corpora/vi/nd-49-2026.docx", meta=META):
    passage = Passage("c1", TEXT, 4460, 4460 + len(TEXT), 0.8, page=2,
                      headings=("Chương II", "Điều 5. Trách nhiệm của Ủy ban nhân dân cấp xã"))
    return Hit(doc_id, "Quy định về quản lý, sử dụng nhà chung cư", source, "vi", 0.8, (passage,), rank=rank, meta=meta)


@pytest.mark.parametrize("citation, expected", [
    (Citation("1a2b3c4d5e6f", "Kế hoạch", "vi", start=0, end=8), '"Kế hoạch" [doc 1a2b3c4d5e6f, chars 0–8]'),
    (Citation("1a2b", "Kế hoạch", "vi", url="https://x.vn/kh"), '"Kế hoạch", https://x.vn/kh [doc 1a2b]'),
    (Citation("", "通知", "zh", issuer="街道办事处", date="2021-05-28"), "《通知》, 街道办事处, 2021-05-28"),
    (Citation("abc", "", "vi", source="data/news.jsonl#rec-7", page=1), "news.jsonl, p. 1 [doc abc]"),
    # the full id, a content hash or a record's, is what `govtext show` takes
    (Citation("zh-gov-short:lawref-12", "规定", "zh", start=1, end=5), "《规定》 [doc zh-gov-short:lawref-12, chars 1–5]"),
    # a section that only repeats the title is left out
    (Citation("abc", "Về nhà chung cư", "vi", section="Về nhà chung cư", start=3, end=9),
     '"Về nhà chung cư" [doc abc, chars 3–9]'),
])
def test_citation_names_what_is_present(citation, expected):
    assert citation.text() == expected


def test_every_face_cites_a_hit_the_same_way():
    from pipeline.export import Quote

    h = hit()
    expected = ('Nghị định 49/2026/NĐ-CP, "Quy định về quản lý, sử dụng nhà chung cư", Chính phủ, 2026-01-31, '
                "Chương II > Điều 5. Trách nhiệm của Ủy ban nhân dân cấp xã, Điều 5, điểm a, p. 2 "
                f"[doc 9f8e7d6c5b4a3210, chars 4460–{4460 + len(TEXT)}]")
    assert h.citation == expected  # the CLI and the JSON API
    assert h.to_dict()["citation"] == expected
    assert Quote.from_hit(h).citation() == expected  # briefs
    assert html.escape(expected) in h._repr_html_()  # notebooks and HTML
    assert list(csv.DictReader(io.StringIO(format_results([h], "csv"))))[0]["citation"] == expected


def test_csv_has_one_row_per_document_with_lines_joined():
    rows = list(csv.DictReader(io.StringIO(format_results([hit(1), hit(2, "other", meta=DocMeta())], "csv"))))
    assert [r["rank"] for r in rows] == ["1", "2"] and rows[0]["places"] == "Hà Nội"
    assert rows[0]["doc_type"] == "Nghị định" and rows[1]["doc_type"] == "" and "\n" not in rows[0]["passage"]


def test_ris_records():
    ris = format_results([hit(source="https://chinhphu.vn/nd-49")], "ris")
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - GOVDOC" and "AU  - Chính phủ" in lines and "PY  - 2026" in lines
    assert "DA  - 2026/01/31" in lines and "UR  - https://chinhphu.vn/nd-49" in lines and "ER  - " in lines


def test_csl_json_items():
    item = json.loads(format_results([hit()], "csljson"))[0]
    assert item["id"] == "9f8e7d6c5b4a3210" and item["type"] == "document"
    assert item["issued"] == {"date-parts": [[2026, 1, 31]]} and item["author"] == [{"literal": "Chính phủ"}]
    assert item["number"] == "49/2026/NĐ-CP" and item["genre"] == "Nghị định"


def test_an_unknown_format_is_refused():
    with pytest.raises(BadRequest, match="unknown format"):
        format_results([hit()], "bibtex")


def test_a_document_renders_itself_as_text_dict_and_escaped_html():
    from pipeline.types import Document, Page

    doc = Document("d1", "Điều 1. <b>Phạm vi</b>", source="a.txt", title="Quy chế & <i>", lang="vi",
                   pages=(Page(1, 0, 22),))
    assert doc.to_dict()["pages"] == [[1, 0, 22]] and doc.to_dict()["doc_id"] == "d1"
    assert doc.to_text().endswith("\n\nĐiều 1. <b>Phạm vi</b>") and "id d1" in doc.to_text()
    shown = doc._repr_html_()
    assert "&lt;b&gt;Phạm vi&lt;/b&gt;" in shown and "Quy chế &amp; &lt;i&gt;" in shown and "<b>Phạm" not in shown
