"""The FastAPI application: HTML pages and the JSON API under /api, each route parsing, calling
`pipeline.api.Library` and rendering."""
from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated, Any, Literal, Sequence
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..annotate import render_spans
from ..api import check_k
from ..practices import summary_dict
from ..citations import Citation
from ..errors import BadRequest, DocumentNotFound, GovtextError, PracticeNotFound
from ..types import Download
from . import models as m

HERE = Path(__file__).parent
KEY_HEADER = "X-API-Key"
KEY_COOKIE = "govtext_key"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")  # Swagger UI sets inline styles
_NOT_FOUND = (DocumentNotFound, PracticeNotFound)
_ERROR_RESPONSES = {400: {"model": m.ErrorModel, "description": "a bad parameter"},
                    404: {"model": m.ErrorModel, "description": "no such document or practice"}}


def _swagger_assets() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _download(d: Download) -> Response:
    return Response(d.data, media_type=d.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{d.filename}"'})


def _pieces(text: str, skip, passage) -> list[tuple[str, bool, bool, bool]]:
    """`text` cut at the skip spans and the passage: (piece, in a skip span, in the passage, first of the passage)."""
    cuts = sorted({0, len(text), *(x for s, e in skip for x in (s, e)), *(passage or ())})
    out, first = [], True
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        skipped = any(s <= a and b <= e for s, e in skip)
        marked = bool(passage) and passage[0] <= a and b <= passage[1]
        out.append((text[a:b], skipped, marked, marked and first))
        first = first and not marked
    return out


def _segments(text: str, base: int, spans) -> list[tuple[str, bool]]:
    """`text` (starting at document offset `base`) cut into (piece, highlighted) at the highlight spans."""
    out, pos = [], 0
    for s, e in sorted((max(0, s - base), min(len(text), e - base)) for s, e in spans):
        if s < pos or s >= e:
            continue
        out += [(text[pos:s], False), (text[s:e], True)]
        pos = e
    out.append((text[pos:], False))
    return [(t, marked) for t, marked in out if t]


class _HeadAsGet:
    """Answer HEAD like GET without the body (FastAPI routes declare GET only)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_headers_only(message):
            if message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": False}
                if getattr(send_headers_only, "done", False):
                    return
                send_headers_only.done = True
            await send(message)

        await self.app(dict(scope, method="GET"), receive, send_headers_only)


def create_app(library, api_key: str | None = None, cors_origins: Sequence[str] = ()) -> FastAPI:
    """The web app over `library`.

    Args:
        library: an open `pipeline.api.Library`.
        api_key: when given, every request must carry it (header X-API-Key, `Authorization: Bearer`,
            the cookie set by opening any page with ?key=..., or ?key= itself).
        cors_origins: origins allowed to call the API from other sites' pages (default: none).
    """
    app = FastAPI(
        title="govtext", version="1", docs_url=None, redoc_url=None,
        description="Search Vietnamese and Chinese governance documents: hybrid search with facets, "
                    "documents, the practice catalogue and cited briefs.",
    )
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    templates = Jinja2Templates(env=env)
    templates.env.globals["urlencode"] = lambda params: urlencode({k: v for k, v in params.items() if v not in (None, "")})
    templates.env.filters["segments"] = _segments
    templates.env.filters["pathpart"] = lambda value: quote(str(value), safe="")  # ids may hold "/", "#", "?"
    templates.env.globals["citation"] = lambda hit, i=0: Citation.from_hit(hit, i).text()
    templates.env.globals["summary"] = summary_dict
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    swagger = _swagger_assets()
    if swagger is not None:
        app.mount("/swagger-ui", StaticFiles(directory=str(swagger)), name="swagger")

    def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    # -- errors: JSON under /api, a page elsewhere; never a dropped connection
    def error(request: Request, status: int, message: str):
        if _is_api(request) or request.url.path.startswith("/export"):
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "error.html", status, message=message, title="error")

    @app.exception_handler(GovtextError)
    async def _govtext_error(request: Request, exc: GovtextError):
        return error(request, 404 if isinstance(exc, _NOT_FOUND) else 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _bad_parameter(request: Request, exc: RequestValidationError):
        problems = []
        for e in exc.errors():
            name = str(e["loc"][-1]) if e.get("loc") else "parameter"
            raw = request.query_params.get(name)
            if name in ("k", "per_page"):
                try:
                    check_k(raw)
                except BadRequest as bad:
                    problems.append(str(bad).replace("k must", f"{name} must", 1))
                    continue
            if raw is None or not raw.strip():
                problems.append(f"{name} is required: give ?{name}=...")
                continue
            problems.append(f"{name}: {e['msg']}, got {raw!r}")
        return error(request, 400, "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        message = f"no page {request.url.path}" if exc.status_code == 404 else str(exc.detail)
        return error(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        # answered outside the middleware stack, so the security headers are added here
        return _secure(error(request, 500, f"internal error: {type(exc).__name__}"), request)

    # -- every request: the key (when set) and the security headers
    @app.middleware("http")
    async def _guard(request: Request, call_next):
        set_cookie = False
        if api_key:
            given = (request.headers.get(KEY_HEADER) or request.headers.get("authorization", "").removeprefix("Bearer ")
                     or request.cookies.get(KEY_COOKIE) or request.query_params.get("key") or "")
            if not hmac.compare_digest(given.encode(), api_key.encode()):
                response = error(request, 401, f"an API key is needed: send the header {KEY_HEADER}, "
                                               "or open any page once with ?key=...")
                response.headers["WWW-Authenticate"] = "Bearer"
                return _secure(response, request)
            set_cookie = request.query_params.get("key") == api_key
        response = await call_next(request)
        if set_cookie:
            response.set_cookie(KEY_COOKIE, api_key, httponly=True, samesite="strict")
        return _secure(response, request)

    def _secure(response: Response, request: Request) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/docs" else CSP
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "HEAD"],
                           allow_headers=[KEY_HEADER, "Authorization"])

    # ---------------------------------------------------------------- JSON API
    @app.get("/api/search", response_model=m.SearchPageModel, responses=_ERROR_RESPONSES, tags=["search"])
    def api_search(p: Annotated[m.SearchParams, Query()]) -> Any:
        """Documents matching a query, one page of them, with facet counts (type, year, place, issuer, language)."""
        return library.search_page(p.q, page=p.page, per_page=p.k, **p.library_filters()).to_dict()

    @app.get("/api/compare", response_model=m.ComparisonModel, responses=_ERROR_RESPONSES, tags=["search"])
    def api_compare(p: Annotated[m.CompareParams, Query()]) -> Any:
        """Vietnamese and Chinese results for a query, side by side."""
        return library.compare(p.q, k=p.k, mode=p.mode).to_dict()

    @app.get("/api/practices", response_model=m.CatalogueModel, responses=_ERROR_RESPONSES, tags=["practices"])
    def api_practices(p: Annotated[m.PracticesParams, Query()]) -> Any:
        """The practice catalogue, most used first, filtered and paginated."""
        cat = _catalogue(p)
        return {"total": cat.total, "page": p.page, "per_page": p.per_page, "pages": cat.pages(p.per_page),
                "documents": cat.documents, "unlisted": cat.unlisted,
                "practices": cat.page(p.page, p.per_page).to_dicts()}

    def _catalogue(p: m.PracticesParams):
        return library.practices(lang=p.lang, place=p.place, min_mentions=p.min_mentions, kind=p.kind,
                                 year=p.year, contains=p.q, include_unlisted=p.all)

    @app.get("/api/practice", response_model=m.PracticeCardModel, responses=_ERROR_RESPONSES, tags=["practices"])
    def api_practice(p: Annotated[m.PracticeParams, Query()]) -> Any:
        """A practice card: definition, actors, outcomes, cited uses, nearest practices of the other language."""
        return library.practice(p.name, nearest=p.nearest).to_dict()

    @app.get("/api/document/{doc_id:path}", response_model=m.DocumentModel, responses=_ERROR_RESPONSES, tags=["documents"])
    def api_document(doc_id: str) -> Any:
        """A document (id or unique prefix): text, pages, metadata, outline, near-duplicates, practices named."""
        return library.document_page(doc_id).to_dict()

    @app.get("/api/stats", response_model=m.StatsModel, tags=["index"])
    def api_stats() -> Any:
        """Counts of documents, chunks, sources and failures."""
        return library.stats()

    @app.get("/api/check", response_model=m.CheckModel, tags=["index"])
    def api_check() -> Any:
        """Compare the manifest, chroma and tantivy (ok is false on any mismatch)."""
        return library.check().to_dict()

    download = {200: {"description": "the file", "content": {"application/octet-stream": {}}}, **_ERROR_RESPONSES}

    @app.get("/api/export/search", response_class=Response, responses=download, tags=["downloads"])
    @app.get("/export/search", response_class=Response, include_in_schema=False)
    def export_search(p: Annotated[m.ExportSearchParams, Query()]):
        """A search's result list as CSV, RIS or CSL-JSON."""
        filters = p.library_filters()
        return _download(library.export_results(p.q, p.format, k=p.k, **filters))

    @app.get("/api/export/brief", response_class=Response, responses=download, tags=["downloads"])
    @app.get("/export/brief", response_class=Response, include_in_schema=False)
    def export_brief(p: Annotated[m.BriefParams, Query()]):
        """A drafting brief (DOCX or Markdown) of cited passages for a query or a practice."""
        return _download(library.brief_bytes(query=p.q, practice=p.practice, format=p.format, k=p.k))

    # ---------------------------------------------------------------- pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        return page(request, "search.html", title="search", params=m.SearchParams(), result=None)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, p: Annotated[m.SearchParams, Query()]):
        result = library.search_page(p.q, page=p.page, per_page=p.k, **p.library_filters()) if p.q.strip() else None
        return page(request, "search.html", title=p.q or "search", params=p, result=result)

    @app.get("/doc/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def document(request: Request, doc_id: str, start: int | None = None, end: int | None = None,
                 tab: Literal["text", "spans"] = "text"):
        view = library.document_page(doc_id)
        text = view.document.text
        span = (start, end) if start is not None and end is not None and 0 <= start < end <= len(text) else None
        shown_page = view.document.page_at(span[0]) if span else (1 if view.document.pages else None)
        read = library.view(view.document.id, *(span or (None, None))).to_dict()  # lines joined, skip spans
        spans = render_spans(library.doc(view.document.id), classes=True) if tab == "spans" else None
        return page(request, "doc.html", title=view.document.title or view.document.id, view=view, span=span,
                    shown_page=shown_page, url=read["url"], pieces=_pieces(read["text"], read["skip"], read["passage"]),
                    spans=spans)

    @app.get("/page-image", include_in_schema=False)
    def page_image(doc: str, page: int):
        return FileResponse(library.page_image(doc, page), media_type="image/png")

    @app.get("/practices", response_class=HTMLResponse, include_in_schema=False)
    def practices(request: Request, p: Annotated[m.PracticesParams, Query()]):
        cat = _catalogue(p)
        return page(request, "practices.html", title="practices", params=p, catalogue=cat,
                    shown=cat.page(p.page, p.per_page), pages=cat.pages(p.per_page), kinds=library.practices().kinds())

    @app.get("/practice", response_class=HTMLResponse, include_in_schema=False)
    def practice(request: Request, p: Annotated[m.PracticeParams, Query()]):
        card = library.practice(p.name, nearest=p.nearest)
        return page(request, "practice.html", title=card.name, card=card, card_html=card._repr_html_())

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare(request: Request, p: Annotated[m.CompareParams, Query()]):
        cmp = library.compare(p.q, k=p.k, mode=p.mode)
        return page(request, "compare.html", title=p.q, params=p, cmp=cmp)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        return page(request, "docs.html", title="API", offline=swagger is not None)

    app.add_middleware(_HeadAsGet)
    app.state.library = library
    return app

