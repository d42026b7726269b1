"""The web app and JSON API over a real index, served by uvicorn and called over real HTTP: pages, facets,
paging, the document view, downloads, errors, security headers, the API key and /openapi.json."""
import csv
import io
import json
import socket
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

import pytest

pytestmark = pytest.mark.slow

FORMULA = "一征三议两公开"


def _serve(lib, **kwargs):
    from pipeline.web import WebServer

    server = WebServer(lib, port=0, **kwargs)
    server.start()
    return server


@pytest.fixture(scope="module")
def site(demo_library):
    lib, _ = demo_library
    server = _serve(lib)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def erqi_id(demo_library) -> str:
    lib, _ = demo_library
    return next(d["doc_id"] for d in lib.documents() if "erqi" in d["source"])


def get(url: str, method: str = "GET", headers: dict | None = None):
    """(status, headers, body) of one request; errors are answers too."""
    try:
        with urlopen(Request(url, method=method, headers=headers or {}), timeout=120) as r:
            return r.status, r.headers, r.read()
    except HTTPError as e:
        return e.code, e.headers, e.read()


def get_json(url: str):
    status, headers, body = get(url)
    assert headers["Content-Type"].startswith("application/json"), (status, body[:200])
    return status, json.loads(body)


def raw(site: str, request_line: bytes) -> tuple[bytes, bytes]:
    """Send one request line as bytes (no client normalising the path): (status line and headers, body)."""
    host, port = site.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=120) as s:
        s.sendall(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b"".join(iter(lambda: s.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


# ---------------------------------------------------------------- search: page, JSON, facets, paging

def test_search_page_groups_highlights_cites_and_links_each_hit(site, erqi_id):
    status, headers, body = get(f"{site}/search?q={quote(FORMULA)}")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f"<mark>{FORMULA}</mark>" in page and "二七区" in page
    first = page.index("<article")
    assert f'href="/doc/{erqi_id}?start=' in page[first : first + 600]  # the Erqi report comes first, linked
    assert f"doc {erqi_id}, chars " in page  # citations by the one formatter, with the full id
    assert 'value="一征三议两公开"' in page  # the query box keeps the query


def test_empty_form_fields_mean_no_filter(site):
    status, data = get_json(f"{site}/api/search?q={quote(FORMULA)}&mode=&lang=&type=&year=&place=&issuer=")
    assert status == 200 and data["filters"] == {} and data["mode"] == "hybrid"


# ---------------------------------------------------------------- the document view


def test_any_record_id_links_to_its_document(embedder, tmp_path):
    from pipeline import Library

    record_id = "quy-chế/2021 #1?x=1&y"
    src = tmp_path / "records.jsonl"
    src.write_text(json.dumps({"id": record_id, "title": "Quy chế Ban quản trị",
                               "text": "Quy chế hoạt động của Ban quản trị nhà chung cư phường Giang Biên."},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    lib = Library(tmp_path / "idx", embedder=embedder, create=True)
    lib.ingest([src], practices=False, global_ids=True)
    server = _serve(lib)
    try:
        page = get(f"{server.url}/search?q={quote('Ban quản trị')}")[2].decode("utf-8")
        link = page.split('<h2>1. <a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        assert link.startswith(f"/doc/{quote(record_id, safe='')}?start=")
        status, _, body = get(server.url + link)
        assert status == 200 and "<mark id=\"passage\">" in body.decode("utf-8")
        assert get_json(f"{server.url}/api/document/{quote(record_id, safe='')}")[1]["doc_id"] == record_id
    finally:
        server.stop()


# ---------------------------------------------------------------- compare, catalogue, card

def test_compare_practices_and_card(site):
    page = get(f"{site}/compare?q={quote('居民自治')}")[2].decode("utf-8")
    assert "Tiếng Việt" in page and "中文" in page and "Giang Biên" in page
    assert "/export/brief?q=" in page and "format=docx" in page
    listing = get(f"{site}/practices?lang=zh")[2].decode("utf-8")
    assert f"/practice?name={quote(FORMULA)}" in listing
    card = get(f"{site}/practice?name={quote(FORMULA)}")[2].decode("utf-8")
    assert "知晓率" in card and "智能门禁" in card and f"/export/brief?practice={quote(FORMULA)}" in card
    data = get_json(f"{site}/api/practice?name={quote('三类组织')}")[1]
    assert data["canonical"] == "三类组织" and data["uses"]


def test_catalogue_is_searchable_filterable_and_paginated(site):
    everything = get_json(f"{site}/api/practices?per_page=1000&all=true")[1]
    assert everything["total"] == len(everything["practices"]) > 5 and everything["unlisted"] == 0
    first = get_json(f"{site}/api/practices?per_page=3&all=true")[1]
    second = get_json(f"{site}/api/practices?per_page=3&page=2&all=true")[1]
    assert first["pages"] == -(-everything["total"] // 3)
    assert [p["name"] for p in first["practices"] + second["practices"]] == [
        p["name"] for p in everything["practices"][:6]]
    found = get_json(f"{site}/api/practices?q={quote('三议')}&all=true")[1]
    assert FORMULA in [p["name"] for p in found["practices"]] and found["total"] < everything["total"]
    zh = get_json(f"{site}/api/practices?lang=zh&per_page=1000&all=true")[1]
    assert zh["practices"] and all(p["lang"] == "zh" for p in zh["practices"])
    kind = everything["practices"][0]["kind"]
    kinds = get_json(f"{site}/api/practices?kind={quote(kind)}&per_page=1000&all=true")[1]
    assert kinds["total"] and all(p["kind"] == kind for p in kinds["practices"])
    dated = get_json(f"{site}/api/practices?year=2021&per_page=1000&all=true")[1]
    assert 0 < dated["total"] < everything["total"] and all("2021" in p["years"] for p in dated["practices"])


def test_catalogue_lists_what_the_listing_model_trusts(site):
    listed = get_json(f"{site}/api/practices?per_page=1000")[1]
    everything = get_json(f"{site}/api/practices?per_page=1000&all=true")[1]
    assert listed["practices"] and all(p["listed"] for p in listed["practices"])
    assert listed["total"] + listed["unlisted"] == everything["total"] and listed["unlisted"] > 0
    candidates = [p for p in everything["practices"] if not p["listed"]]
    assert len(candidates) == listed["unlisted"]
    assert max(p["confidence"] for p in candidates) < min(p["confidence"] for p in listed["practices"])
    page = get(f"{site}/practices")[2].decode("utf-8")
    assert f"{listed['unlisted']} candidate entries are not listed" in page and "all=True" in page
    shown = get(f"{site}/practices?all=true&per_page=200")[2].decode("utf-8")
    assert shown.count('class="candidate"') == len(candidates)
    card = get(f"{site}/practice?name={quote(candidates[0]['name'])}")[2].decode("utf-8")
    assert "A candidate, not listed in the catalogue" in card


# ---------------------------------------------------------------- downloads

def test_result_list_downloads_csv_ris_csljson(site, erqi_id):
    status, headers, body = get(f"{site}/export/search?q={quote(FORMULA)}&format=csv&k=3")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert 'filename="govtext-search.csv"' in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == 3 and rows[0]["doc_id"] == erqi_id and FORMULA in rows[0]["passage"]
    ris = get(f"{site}/api/export/search?q={quote(FORMULA)}&format=ris&k=3")[2].decode("utf-8")
    assert ris.count("TY  - GOVDOC") == ris.count("ER  - ") == 3 and f"ID  - {erqi_id}" in ris
    items = json.loads(get(f"{site}/api/export/search?q={quote(FORMULA)}&format=csljson&k=3")[2])
    assert [i["id"] for i in items][0] == erqi_id and all(i["title"] and i["note"] for i in items)


@pytest.mark.parametrize("params, kind, needle", [
    ({"practice": FORMULA, "format": "docx"}, "wordprocessingml", "“一征三议两公开”工作法"),
    ({"q": "居民自治", "format": "docx"}, "wordprocessingml", "Brief: 居民自治"),
    ({"q": "居民自治", "format": "md"}, "text/markdown", "# Brief: 居民自治"),
])
def test_brief_downloads(site, params, kind, needle):
    import docx

    status, headers, body = get(f"{site}/export/brief?{urlencode(params)}")
    assert status == 200 and kind in headers["Content-Type"] and "attachment" in headers["Content-Disposition"]
    text = ("\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs) if params["format"] == "docx"
            else body.decode("utf-8"))
    assert needle in text


# ---------------------------------------------------------------- errors, bounds, HEAD, escaping, traversal

@pytest.mark.parametrize("path, status, message", [
    ("/nowhere", 404, "no page /nowhere"),
    ("/api/nowhere", 404, "no page /api/nowhere"),
    ("/api/practice?name=" + quote("không có"), 404, "no practice named"),
    ("/api/document/ffffffffffff", 404, "no document or source"),
    ("/api/search?q=x&mode=fast", 400, "unknown mode"),
    ("/api/search?q=x&lang=fr", 400, "unknown language"),
    ("/api/search?q=x&type=sonnet", 400, "unknown document type"),
    ("/api/search?q=x&year=soon", 400, "bad year"),
    ("/api/search?q=x&page=0", 400, "page"),
    ("/api/search?q=x&page=5000", 400, "page must be"),
    ("/export/search?q=x&format=pdf", 400, "unknown format"),
    ("/export/brief?q=x&format=pdf", 400, "unknown format"),
    ("/export/brief?format=md", 400, "give a query or a practice"),
    ("/api/compare?q=", 400, "q is required"),
    ("/api/practice", 400, "name is required"),
    ("/api/practices?min_mentions=x", 400, "min_mentions: Input should be a valid integer"),
])
def test_errors_are_clear(site, path, status, message):
    got, headers, body = get(site + path)
    assert got == status and message in body.decode("utf-8")
    if path.startswith(("/api/", "/export")):
        assert headers["Content-Type"].startswith("application/json") and json.loads(body)["error"]


@pytest.mark.parametrize("k", ["abc", "0", "1001", "1000000000000", "2.5", ""])
def test_bad_k_is_a_400_json_error_and_the_server_stays_up(site, k):
    status, data = get_json(f"{site}/api/search?q={quote('居民自治')}&k={k}")
    assert status == 400 and "k must be" in data["error"]
    assert get(f"{site}/api/search?q={quote('居民自治')}&k=2")[0] == 200


def test_a_pasted_page_is_cut_with_a_notice(site):
    status, data = get_json(f"{site}/api/search?{urlencode({'q': '居民自治，' * 400, 'k': 2})}")
    assert status == 200 and "cut from 2000" in data["notice"]


@pytest.mark.parametrize("path", ["/", f"/search?q={quote(FORMULA)}", "/api/stats", "/openapi.json"])
def test_head_answers_like_get_without_a_body(site, path):
    status, headers, body = get(site + path, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


@pytest.mark.parametrize("path", ["/", "/nowhere", "/api/search?q=x&k=abc", "/static/style.css", "/openapi.json"])
def test_security_headers_on_every_answer(site, path):
    _, headers, _ = get(site + path)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers.get("Access-Control-Allow-Origin") is None  # CORS is off


def test_markup_in_a_query_is_escaped(site):
    evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
    for path in (f"/search?q={quote(evil)}", f"/compare?q={quote(evil)}", f"/practices?q={quote(evil)}"):
        page = get(site + path)[2].decode("utf-8")
        assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("path", [b"/static/../../api.py", b"/static/%2e%2e/%2e%2e/api.py", b"/static/..%2f..%2fapi.py",
                                  b"/doc/..%2F..%2Fmanifest.sqlite", b"/swagger-ui/../../../../etc/passwd"])
def test_no_path_traversal(site, path):
    head, body = raw(site, b"GET " + path + b" HTTP/1.1")
    assert head.split(b" ")[1] in (b"400", b"404") and b"Library" not in body and b"root:" not in body


def test_raw_utf8_in_the_url_is_read_as_utf8(site):
    head, body = raw(site, f"GET /api/search?q={FORMULA}&k=1 HTTP/1.1".encode("utf-8"))
    assert head.startswith(b"HTTP/1.1 200") and "二七区" in json.loads(body)["hits"][0]["title"]


# ---------------------------------------------------------------- the API description

def test_openapi_lists_every_endpoint_with_its_models(site):
    spec = get_json(f"{site}/openapi.json")[1]
    paths = spec["paths"]
    assert set(paths) == {"/api/search", "/api/compare", "/api/practices", "/api/practice", "/api/document/{doc_id}",
                          "/api/stats", "/api/check", "/api/export/search", "/api/export/brief"}
    schemas = spec["components"]["schemas"]
    for path, model in [("/api/search", "SearchPageModel"), ("/api/compare", "ComparisonModel"),
                        ("/api/practices", "CatalogueModel"), ("/api/practice", "PracticeCardModel"),
                        ("/api/document/{doc_id}", "DocumentModel"), ("/api/stats", "StatsModel"),
                        ("/api/check", "CheckModel")]:
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["$ref"].endswith(model) and model in schemas
    params = {p["name"]: p for p in paths["/api/search"]["get"]["parameters"]}
    assert {"q", "mode", "lang", "type", "year", "place", "issuer", "k", "page"} <= set(params)
    assert params["k"]["schema"]["maximum"] == 1000 and params["k"]["schema"]["minimum"] == 1
    assert "ErrorModel" in schemas


def test_docs_page_works_offline(site):
    page = get(f"{site}/docs")[2].decode("utf-8")
    assert '<script src="/swagger-ui/swagger-ui-bundle.js">' in page and "cdn" not in page.lower()
    status, headers, body = get(f"{site}/swagger-ui/swagger-ui-bundle.js")
    assert status == 200 and len(body) > 100_000


# ---------------------------------------------------------------- on a network: the key, CORS

def test_an_api_key_is_checked_on_every_request(demo_library):
    lib, _ = demo_library
    server = _serve(lib, api_key="s3cret-key")
    try:
        for path in ("/", "/api/stats", "/static/style.css", "/openapi.json", "/nowhere"):
            status, headers, _ = get(server.url + path)
            assert status == 401 and headers["X-Content-Type-Options"] == "nosniff"
        assert get(server.url + "/api/stats", headers={"X-API-Key": "wrong"})[0] == 401
        assert get(server.url + "/api/stats", headers={"X-API-Key": "s3cret-key"})[0] == 200
        assert get(server.url + "/api/stats", headers={"Authorization": "Bearer s3cret-key"})[0] == 200
        status, headers, _ = get(server.url + "/?key=s3cret-key")
        cookie = headers["Set-Cookie"].split(";")[0]
        assert status == 200 and "HttpOnly" in headers["Set-Cookie"]
        assert get(server.url + "/practices", headers={"Cookie": cookie})[0] == 200  # a browser keeps the key
    finally:
        server.stop()


def test_any_other_bind_needs_a_key(demo_library):
    from pipeline.errors import GovtextError
    from pipeline.web import WebServer, is_loopback

    lib, _ = demo_library
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    with pytest.raises(GovtextError, match="API key"):
        WebServer(lib, host="0.0.0.0", port=0)
    server = WebServer(lib, host="0.0.0.0", port=0, api_key="k")  # with a key it binds
    server.socket.close()


def test_cors_only_for_configured_origins(demo_library):
    lib, _ = demo_library
    server = _serve(lib, cors_origins=["https://lab.example"])
    try:
        _, headers, _ = get(server.url + "/api/stats", headers={"Origin": "https://lab.example"})
        assert headers["Access-Control-Allow-Origin"] == "https://lab.example"
        _, headers, _ = get(server.url + "/api/stats", headers={"Origin": "https://other.example"})
        assert headers.get("Access-Control-Allow-Origin") is None
    finally:
        server.stop()


def test_an_unexpected_failure_is_a_500_answer_not_a_dropped_connection(demo_library, embedder):
    from pipeline import Library

    lib, _ = demo_library
    broken = Library(lib.path, embedder=embedder, readonly=True)
    broken.manifest.db.close()  # every read of the manifest now fails inside sqlite3
    server = _serve(broken)
    try:
        for path in ("/api/stats", "/practices"):
            status, headers, body = get(server.url + path)
            assert status == 500 and "internal error: ProgrammingError" in body.decode("utf-8")
            assert headers["X-Content-Type-Options"] == "nosniff" and headers["Content-Security-Policy"]
    finally:
        server.stop()
