"""The web app in a real headless Chromium (Debian's, driven by Playwright), over real HTTP on the demo index:
search, the document view, a facet, a practice card and two downloads. Screenshots go in tmp_path."""
import csv
import io
import shutil
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FORMULA = "一征三议两公开"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (no `playwright install`)")
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium not installed: apt-get install chromium (scripts/setup.sh does, as root)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(demo_library):
    from pipeline.web import WebServer

    lib, _ = demo_library
    server = WebServer(lib, port=0)
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


def test_a_researcher_searches_reads_filters_and_downloads(page, site, tmp_path):
    import docx

    # 1. type the formula: the Erqi report comes first
    page.goto(site + "/")
    page.fill("input[name=q]", FORMULA)
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.hit")
    first = page.locator("article.hit h2 a").first
    assert "二七区" in first.inner_text()
    assert page.locator("article.hit mark").first.inner_text() == FORMULA
    page.screenshot(path=str(tmp_path / "1-search.png"), full_page=True)

    # 2. open it: the passage is highlighted and scrolled into view
    first.click()
    page.wait_for_url("**/doc/**")
    passage = page.locator("mark#passage")
    assert FORMULA in passage.inner_text()
    top = page.evaluate("document.getElementById('passage').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] and page.evaluate("window.scrollY") > 0
    page.screenshot(path=str(tmp_path / "2-document.png"))

    # 3. back to the results: a facet changes the count
    page.go_back()
    page.wait_for_selector("#total")
    total = int(page.inner_text("#total"))
    facet = page.locator("section.facet[data-facet=type] li").last
    count = int(facet.locator(".count").inner_text())
    assert count < total
    facet.locator("a").click()
    page.wait_for_url("**type=**")
    assert page.inner_text("#total") == str(count)
    assert len(page.locator("article.hit").all()) == count
    page.screenshot(path=str(tmp_path / "3-facet.png"), full_page=True)

    # 4. the CSV of the result list
    page.goto(f"{site}/search?q={quote(FORMULA)}")
    with page.expect_download() as got:
        page.click("text=CSV")
    rows = list(csv.DictReader(io.StringIO(got.value.path().read_text(encoding="utf-8"))))
    assert "二七区" in rows[0]["title"] and rows[0]["citation"]
    got.value.save_as(tmp_path / got.value.suggested_filename)

    # 5. a practice card from the catalogue, and its brief
    page.goto(site + "/practices")
    page.click(f"table.catalogue a:text-is('{FORMULA}')")
    page.wait_for_url("**/practice?name=*")
    assert FORMULA in page.inner_text("h3") and "知晓率" in page.inner_text("body")
    page.screenshot(path=str(tmp_path / "4-card.png"), full_page=True)
    with page.expect_download() as got:
        page.click("p.downloads >> text=DOCX")
    brief = tmp_path / got.value.suggested_filename
    got.value.save_as(brief)
    assert brief.suffix == ".docx"
    assert "“一征三议两公开”工作法" in "\n".join(p.text for p in docx.Document(str(brief)).paragraphs)
    assert {p.name for p in tmp_path.glob("*.png")} == {"1-search.png", "2-document.png", "3-facet.png", "4-card.png"}


def test_the_api_docs_render_offline_under_the_content_security_policy(page, site, tmp_path):
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("request", lambda req: blocked.append(req.url) if not req.url.startswith(site) else None)
    page.goto(site + "/docs")
    page.locator(".opblock-summary-path").nth(8).wait_for()
    assert page.locator(".opblock-summary-path").count() == 9
    paths = {t.replace("\u200b", "") for t in page.locator(".opblock-summary-path").all_inner_texts()}
    assert {"/api/search", "/api/document/{doc_id}", "/api/export/brief"} <= paths
    page.screenshot(path=str(tmp_path / "docs.png"))
    assert blocked == []  # nothing refused by the CSP, nothing fetched from elsewhere


def test_the_document_spans_tab_draws_practices_and_places_under_the_content_security_policy(page, site, tmp_path,
                                                                                           demo_library):
    lib, _ = demo_library
    erqi = next(d["doc_id"] for d in lib.documents() if "erqi" in d["source"])
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{site}/doc/{erqi}")
    page.click("nav.tabs >> text=practices and places")
    page.wait_for_selector(".displacy .dx-token")
    labels = page.locator(".displacy .dx-label").all_inner_texts()
    assert "formula" in labels and "district" in labels
    practice = page.locator(".displacy .dx-slice.dx-practices").first
    assert practice.evaluate("e => getComputedStyle(e).position") == "absolute"  # the stylesheet, not inline styles
    assert practice.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(244, 162, 97)"
    page.screenshot(path=str(tmp_path / "spans.png"), full_page=True)
    assert blocked == []
