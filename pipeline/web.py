"""The web page: search, compare, the practice catalogue and cards, and brief downloads in a browser.

A thin shell over `pipeline.api.Library`, served by the standard library's threaded HTTP server
(`govtext serve`). Pages reuse the Jupyter renderings (`_repr_html_`); every page has a JSON twin
under `/api/...` for scripts.
"""
from __future__ import annotations

import html
import json
import re
import tempfile
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

from .api import check_k
from .errors import BadRequest, GovtextError

_STYLE = """
body{font-family:"Noto Sans","Noto Sans CJK SC",sans-serif;max-width:1200px;margin:1em auto;padding:0 1em}
mark{background:#ffe27a} blockquote{border-left:3px solid #ccc;padding-left:8px;color:#222}
nav a{margin-right:1em} td{vertical-align:top} input[type=text]{width:28em}
"""


def _page(title: str, body: str, query: str = "") -> bytes:
    q = html.escape(query, quote=True)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} · govtext</title><style>{_STYLE}</style></head><body>"
        "<nav><a href='/'>search</a><a href='/practices'>practices</a></nav>"
        "<form action='/search'><input type='text' name='q' value='" + q + "' autofocus> "
        "<select name='lang'><option value=''>both languages</option><option value='vi'>Tiếng Việt</option>"
        "<option value='zh'>中文</option></select> <button>search</button> "
        "<button formaction='/compare'>compare vi | zh</button></form>"
        f"{body}</body></html>"
    ).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    library = None  # set by `make_server`

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # quiet: a CLI server prints its address once, not every request

    def parse_request(self) -> bool:
        # A script may send raw UTF-8 in the URL; http.server reads the line as Latin-1 and splits it on
        # any Unicode space (\x85 is one), so escape those bytes first: parse_qs decodes them as UTF-8.
        self.raw_requestline = re.sub(rb"[\x80-\xff]", lambda m: b"%%%02X" % m.group()[0], self.raw_requestline)
        return super().parse_request()

    def do_GET(self):  # noqa: N802 - http.server's naming
        url = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        route = url.path.rstrip("/") or "/"
        as_json = route.startswith("/api/")
        name = route[4:] if as_json else route
        try:
            if name == "/":
                self._send(_page("search", "<p>Search Vietnamese and Chinese governance documents.</p>"))
            elif name == "/search":
                self._search(params, as_json)
            elif name == "/compare":
                self._compare(params, as_json)
            elif name == "/practices":
                self._practices(params, as_json)
            elif name == "/practice":
                self._practice(params, as_json)
            elif name == "/export":
                self._export(params)
            else:
                self._error(HTTPStatus.NOT_FOUND, f"no page {url.path}", as_json)
        except GovtextError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc), as_json)
        except Exception as exc:  # noqa: BLE001 - one request's failure must not touch the others
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(exc).__name__}", as_json)

    # -- pages
    def _search(self, p, as_json):
        q = p.get("q", "").strip()
        hits = self.library.search(q, k=check_k(p.get("k", 10)), mode=p.get("mode") or None,
                                   lang=p.get("lang") or None)
        if as_json:
            return self._json(hits.to_dicts())
        self._send(_page(q or "search", hits._repr_html_() if q else "", q))

    def _compare(self, p, as_json):
        q = p.get("q", "").strip()
        if not q:
            raise GovtextError("give a query: /compare?q=...")
        cmp = self.library.compare(q, k=check_k(p.get("k", 5)))
        if as_json:
            return self._json(cmp.to_dict())
        self._send(_page(q, cmp._repr_html_(), q))

    def _practices(self, p, as_json):
        cat = self.library.practices(lang=p.get("lang") or None, place=p.get("place") or None,
                                     min_mentions=_whole(p.get("min_mentions", 1), "min_mentions"))
        if as_json:
            return self._json(cat.to_dicts())
        rows = "".join(
            f"<tr><td><a href='/practice?name={quote(x.name)}'>{html.escape(x.name)}</a></td><td>{x.lang}</td>"
            f"<td>{x.doc_count}</td><td>{x.mention_count}</td></tr>"
            for x in cat
        )
        body = (f"<h2>{len(cat)} practices in {cat.documents} documents</h2><table><tr><th>practice</th>"
                f"<th>lang</th><th>documents</th><th>mentions</th></tr>{rows}</table>")
        self._send(_page("practices", body))

    def _practice(self, p, as_json):
        card = self.library.practice(p.get("name", ""))
        if as_json:
            return self._json(card.to_dict())
        link = f"/export?practice={quote(card.name)}&format=docx"
        body = card._repr_html_() + f"<p><a href='{link}'>download a cited brief (DOCX)</a></p>"
        self._send(_page(card.name, body))

    def _export(self, p):
        fmt = p.get("format", "docx")
        if fmt not in ("md", "docx"):
            raise GovtextError(f"unknown format {fmt!r}: use md or docx")
        with tempfile.TemporaryDirectory() as tmp:
            out = self.library.export(Path(tmp) / f"brief.{fmt}", query=p.get("q") or None,
                                      practice=p.get("practice") or None)
            data = out.read_bytes()
        kind = ("text/markdown; charset=utf-8" if fmt == "md" else
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self._send(data, kind, {"Content-Disposition": f"attachment; filename=brief.{fmt}"})

    # -- responses
    def _send(self, data: bytes, kind: str = "text/html; charset=utf-8", headers: dict | None = None,
              status: HTTPStatus = HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, payload, status: HTTPStatus = HTTPStatus.OK):
        self._send(json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                   status=status)

    def _error(self, status: HTTPStatus, message: str, as_json: bool):
        if as_json:
            return self._json({"error": message}, status)
        self._send(_page("error", f"<p><b>{html.escape(message)}</b></p>"), status=status)


def _whole(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a whole number, got {value!r}") from None


def make_server(library, host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    """A threaded HTTP server for `library` (call `serve_forever()`; port 0 picks a free one)."""
    handler = type("Handler", (_Handler,), {"library": library})
    return ThreadingHTTPServer((host, port), handler)
