"""The web page over a real index: pages, JSON twins, downloads and errors, through real HTTP."""
import json
import threading
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(demo_library):
    from pipeline.web import make_server

    lib, _ = demo_library
    server = make_server(lib, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urlopen(url, timeout=60) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read()


def test_search_page_and_json(site):
    status, kind, body = get(f"{site}/search?q={quote('一征三议两公开')}")
    page = body.decode("utf-8")
    assert status == 200 and kind.startswith("text/html")
    assert "<mark>一征三议两公开</mark>" in page and "二七区" in page
    status, kind, body = get(f"{site}/api/search?q={quote('Ban quản trị nhà chung cư')}&k=2")
    hits = json.loads(body)
    assert status == 200 and kind.startswith("application/json") and len(hits) == 2
    assert "giang-bien" in hits[0]["source"]


def test_compare_practices_and_card(site):
    page = get(f"{site}/compare?q={quote('居民自治')}")[2].decode("utf-8")
    assert "Tiếng Việt" in page and "中文" in page and "Giang Biên" in page
    listing = get(f"{site}/practices?lang=zh")[2].decode("utf-8")
    assert f"/practice?name={quote('一征三议两公开')}" in listing
    card = get(f"{site}/practice?name={quote('一征三议两公开')}")[2].decode("utf-8")
    assert "知晓率" in card and "智能门禁" in card and "download a cited brief" in card
    data = json.loads(get(f"{site}/api/practice?name={quote('三类组织')}")[2])
    assert data["canonical"] == "三类组织" and data["uses"]


def test_brief_download_is_a_docx(site):
    import io

    import docx

    status, kind, body = get(f"{site}/export?practice={quote('一征三议两公开')}&format=docx")
    assert status == 200 and "wordprocessingml" in kind
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    assert "“一征三议两公开”工作法" in text


@pytest.mark.parametrize("path, status, message", [
    ("/nowhere", 404, "no page /nowhere"),
    ("/api/practice?name=" + quote("không có"), 400, "no practice named"),
    ("/api/search?q=x&mode=fast", 400, "unknown mode"),
    ("/export?q=x&format=pdf", 400, "unknown format"),
])
def test_errors_are_clear(site, path, status, message):
    got, _kind, body = get(site + path)
    assert got == status and message in body.decode("utf-8")


@pytest.mark.parametrize("k", ["abc", "0", "1001", "1000000000000", "2.5"])
def test_bad_k_is_a_400_json_error_and_the_server_stays_up(site, k):
    status, kind, body = get(f"{site}/api/search?q={quote('居民自治')}&k={k}")
    assert status == 400 and kind.startswith("application/json") and "k must be" in json.loads(body)["error"]
    assert get(f"{site}/api/search?q={quote('居民自治')}&k=2")[0] == 200


def test_raw_utf8_in_the_url_is_read_as_utf8(site):
    import socket

    host, port = site.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as s:
        s.sendall("GET /api/search?q=一征三议两公开&k=1 HTTP/1.0\r\n\r\n".encode("utf-8"))
        data = b"".join(iter(lambda: s.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") and "二七区" in json.loads(body)[0]["title"]


def test_a_pasted_page_is_cut_with_a_notice(demo_library):
    lib, _ = demo_library
    hits = lib.search("居民自治，" * 20000, k=3)
    assert hits and "cut from 100000" in hits.notice
