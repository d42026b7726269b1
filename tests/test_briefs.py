"""Briefs (`pipeline.briefs`): `Library.brief` for a query or a practice quotes the documents as they read,
without boilerplate, with full ids and addresses, and `Library.brief_bytes` gives the bytes `export` writes."""
import re
import shutil

import pytest

from pipeline.export import brief_markdown
from test_web import FORMULA


ZH_NOTICE = """关于开展老旧小区改造意见征集工作的通知

各街道办事处：

为做好老旧小区改造工作，现将有关事项通知如下。项目立项前，要广泛宣传，增加群众知晓率；项目实施前，要广
泛征求群众意见，保证群众参与率；项目建成后，要做好民意收集和意见反馈工作，提高群众满意率。

请各街道于每月底前报送老旧小区改造进展情况。

抄送：区委办公室，区人大常委会办公室，区政协办公室。

区住房和城乡建设局办公室 2023年5月8日印发

原文链接：https://www.example.gov.cn/zwgk/2023/0508.html
"""


@pytest.fixture(scope="module")
def brief_library(embedder, tmp_path_factory):
    """The Giang Biên resolution, the Thanh Xuân news item and a Chinese notice ingested into a fresh index."""
    from pathlib import Path

    from pipeline import Library

    src = tmp_path_factory.mktemp("brief-src")
    corpora = Path(__file__).resolve().parents[1] / "corpora"
    for name in ("vi_nghi-quyet_giang-bien_2021.txt", "vi_thanh-xuan_chung-cu-cu_2022.txt"):
        shutil.copy(corpora / name, src / name)
    (src / "zh_notice.txt").write_text(ZH_NOTICE, encoding="utf-8")
    lib = Library(tmp_path_factory.mktemp("brief-index") / "index", embedder=embedder, create=True)
    assert lib.ingest([src]).documents == 3
    return lib


BOILERPLATE = ("Nơi nhận", "Lưu VPDU", "BÍ THƯ", "Đinh Xuân Hùng", "Chia sẻ", "Hồng Thái", "抄送", "印发")


@pytest.mark.slow
@pytest.mark.parametrize("query", [
    "Nghị quyết này được phổ biến đến chi bộ",  # the last sentence before "Nơi nhận" and the signature
    "Quận Thanh Xuân triển khai kế hoạch cải tạo, xây dựng lại chung cư cũ",  # the headline above the share button
    "报送老旧小区改造进展情况",  # the last paragraph before 抄送 and the printing line
])
def test_brief_quotes_no_boilerplate(brief_library, query):
    brief = brief_library.brief(query=query, k=3)
    quotes = list(brief.quotes())
    assert quotes
    for q in quotes:
        assert not [b for b in BOILERPLATE if b in q.text], q.text


@pytest.mark.slow
def test_brief_joins_lines_cites_full_ids_and_gives_the_address(brief_library):
    brief = brief_library.brief(query="广泛征求群众意见 保证群众参与率", k=3)
    zh = [q for q in brief.quotes() if q.lang == "zh"]
    assert any("要广泛征求群众意见" in q.text for q in zh)
    md = brief_markdown(brief)
    assert "要广\n" not in md
    assert "https://www.example.gov.cn/zwgk/2023/0508.html" in md
    for q in brief.quotes():
        assert f"[doc {q.doc_id}," in q.citation()
        assert brief_library.show(q.doc_id).id == q.doc_id


@pytest.mark.slow
def test_practice_brief_quotes_the_erqi_passage_as_the_document_reads(demo_library):
    lib, _ = demo_library
    md = brief_markdown(lib.brief(practice="一征三议两公开"))
    assert "项目实施前,要广泛征求群众意见" in md
    assert "…" not in md.split("## Sources")[0].split("Generated:")[1]  # no truncated ids
    cited = set(re.findall(r"\[doc ([0-9a-f]+)", md))
    assert cited and all(lib.show(doc_id).id == doc_id for doc_id in cited)



@pytest.mark.slow
def test_brief_bytes_equal_the_written_brief(demo_library, tmp_path):
    lib, _ = demo_library
    made = lib.brief_bytes(practice=FORMULA, format="md")
    written = lib.export(tmp_path / "b.md", practice=FORMULA)
    assert made.data == written.read_bytes() and made.filename.endswith(".md")
    assert made.media_type.startswith("text/markdown")
