"""The document page (`pipeline.documents`) as the web app serves it: the reading view with the passage marked,
the spans tab, headings and page images of a PDF, joined lines and greyed boilerplate."""
from urllib.parse import quote, urlencode

import pytest

from test_web import FORMULA, _serve, erqi_id, get, get_json, site  # noqa: F401 - fixtures shared with test_web

pytestmark = pytest.mark.slow


def test_document_view_highlights_the_passage_and_lists_its_context(site, erqi_id, demo_library):
    lib, _ = demo_library
    text = lib.show(erqi_id).text
    start = text.index(FORMULA)
    status, _, body = get(f"{site}/doc/{erqi_id}?start={start}&end={start + 7}")
    page = body.decode("utf-8")
    assert status == 200 and f'<mark id="passage">{FORMULA}</mark>' in page
    assert f"/practice?name={quote(FORMULA)}" in page  # practices mentioned link to their cards
    assert '<script src="/static/app.js"' in page  # which scrolls the passage into view
    data = get_json(f"{site}/api/document/{erqi_id[:6]}")[1]  # a unique prefix
    assert data["doc_id"] == erqi_id and data["text"] == text
    assert any(p["name"] == FORMULA for p in data["practices"]) and data["has_page_images"] is False
    short = get_json(f"{site}/api/document/{quote(erqi_id[:8] + '…')}")  # a prefix shortened with an ellipsis
    assert short[0] == 200 and short[1]["doc_id"] == erqi_id


def test_document_spans_tab_shows_displacy_markup_without_inline_styles(site, erqi_id):
    status, headers, body = get(f"{site}/doc/{erqi_id}?tab=spans")
    page = body.decode("utf-8")
    assert status == 200 and "style-src 'self';" in headers["Content-Security-Policy"]
    markup = page[page.index('<div class="displacy">'):page.index("</article>")]
    assert '<div class="spans">' in markup and "dx-token" in markup and "style=" not in markup
    assert "一征三议两公开" in markup and "formula" in markup and "二七区" in markup and "district" in markup
    assert '<mark id="passage">' not in page  # the tab replaces the plain text
    plain = get(f"{site}/doc/{erqi_id}")[2].decode("utf-8")
    assert f'href="/doc/{erqi_id}?tab=spans"' in plain and 'class="displacy"' not in plain
    assert get(f"{site}/doc/{erqi_id}?tab=nonsense")[0] == 400


def test_document_headings_and_page_image_of_a_pdf(make_pdf, embedder, tmp_path):
    from pipeline import Library

    pdf = make_pdf([["Chương I. QUY ĐỊNH CHUNG", "Điều 1. Ban quản trị nhà chung cư do hội nghị bầu ra."],
                    ["Điều 2. Nhiệm vụ của Ban quản trị nhà chung cư."]], name="rule.pdf")
    lib = Library(tmp_path / "idx", embedder=embedder, create=True)
    lib.ingest([pdf], practices=False)
    doc_id = lib.documents()[0]["doc_id"]
    server = _serve(lib)
    try:
        data = get_json(f"{server.url}/api/document/{doc_id}")[1]
        assert data["has_page_images"] and len(data["pages"]) == 2
        start = data["text"].index("Điều 2")
        page = get(f"{server.url}/doc/{doc_id}?start={start}&end={start + 6}")[2].decode("utf-8")
        assert f'src="/page-image?{urlencode({"doc": doc_id, "page": 2})}"'.replace("&", "&amp;") in page
        status, headers, png = get(f"{server.url}/page-image?{urlencode({'doc': doc_id, 'page': 2})}")
        assert status == 200 and headers["Content-Type"] == "image/png" and png.startswith(b"\x89PNG")
        assert (lib.path / "page-images" / f"{doc_id}-2.png").read_bytes() == png  # cached under the index
        assert get(f"{server.url}/page-image?{urlencode({'doc': doc_id, 'page': 9})}")[0] == 400
    finally:
        server.stop()


def test_document_page_joins_lines_and_greys_the_distribution_list(embedder, tmp_path):
    from pipeline import Library

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "nq.txt").write_text(
        "NGHỊ QUYẾT\nVề việc quản lý nhà chung cư\n\nĐiều 1. Ban quản trị nhà chung cư có trách nhiệm tổ chức hội "
        "nghị nhà chung cư\nthường niên theo quy định.\n\nNơi nhận:\n- Như Điều 1;\n- Lưu: VT.\n", encoding="utf-8")
    lib = Library(tmp_path / "idx", embedder=embedder, create=True)
    lib.ingest([tmp_path / "src"], practices=False)
    doc = lib.show(lib.documents()[0]["doc_id"])
    server = _serve(lib)
    try:
        start = doc.text.index("Ban quản trị")
        page = get(f"{server.url}/doc/{doc.id}?start={start}&end={start + 12}")[2].decode("utf-8")
        assert '<mark id="passage">Ban quản trị</mark> nhà chung cư có trách nhiệm tổ chức hội nghị nhà chung cư ' \
               "thường niên" in page  # the line break inside the sentence is joined
        assert '<span class="skip">Nơi nhận:' in page
    finally:
        server.stop()
