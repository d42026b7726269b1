"""What a search may be asked and what it hands back: request bounds (`check_k`, `bounded_query`,
`year_range`) and `SearchResults`, the hits of one search that render as cited passages.
`search_library`, `export_results` and `compare_languages` run `Library.search`, `.export_results`
and `.compare`.

    >>> check_k("10")
    10
    >>> year_range("2019-2021")
    (2019, 2021)
"""
from __future__ import annotations

import html
from typing import Callable, Iterable

from .errors import BadRequest, GovtextError
from .query import AnalysedQuery
from .search import MODES
from .types import Download, Hit


class SearchResults(list):
    """A list of Hit that renders as highlighted, cited passages in Jupyter."""

    def __init__(self, hits: Iterable[Hit], query: str = "", mode: str = "", notice: str = "", lang: str | None = None,
                 ranked: tuple[str, ...] | None = None, analysed: AnalysedQuery | None = None):
        super().__init__(hits)
        self.query, self.mode, self.notice, self.lang = query, mode, notice, lang
        self.ranked = tuple(h.doc_id for h in self) if ranked is None else ranked  # every document ranked
        self.analysed = analysed  # the query as the search read it: language, terms, glossary translation

    def to_dicts(self) -> list[dict]:
        return [h.to_dict() for h in self]

    def to_text(self, marks: tuple[str, str] = ("【", "】"), passages: int = 2, width: int = 400) -> str:
        """The results as the CLI prints them: each document, its metadata, its best `passages` (lines
        joined, highlights between `marks`, cut at `width` characters) each with its citation."""
        from .citations import Citation

        if not self:
            return "no results"
        lines = []
        if all(h.weak for h in self):
            wanted = {"vi": "Vietnamese", "zh": "Chinese"}.get(self.lang or "", "")
            lines.append(f"no strong match{' in ' + wanted if wanted else ''}: the closest documents follow\n")
        for hit in self:
            judged = "" if hit.relevance is None else f"  relevance {hit.relevance:.2f}{' (weak)' if hit.weak else ''}"
            lines.append(f"{hit.rank}. {hit.title or hit.doc_id}  [{hit.lang}]{judged}  id {hit.doc_id}")
            about = [hit.meta.doc_type_name, hit.meta.number, hit.meta.issue_date, hit.meta.issuer]
            if any(about):
                lines.append("   " + " · ".join(a for a in about if a))
            for i, p in enumerate(hit.passages[:passages]):
                text = " ".join(p.marked(*marks).split())
                lines.append(f"   {text[:width]}{'…' if len(text) > width else ''}")
                lines.append(f"   — {Citation.from_hit(hit, i).text()}")
            if hit.similar:
                names = "; ".join(s.title or s.doc_id for s in hit.similar[:3])
                lines.append(f"   + {hit.similar_label}: {names}{'; …' if len(hit.similar) > 3 else ''}")
            lines.append("")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.query)}</b> · {self.mode} · {len(self)} documents</p>"
        if self.notice:
            head += f"<p><i>{html.escape(self.notice)}</i></p>"
        return head + "".join(h._repr_html_() for h in self)


MAX_K = 1000  # documents one search may return
MAX_QUERY_CHARS = 1000  # longer queries (a pasted page) are cut here: e5 reads 512 tokens at most anyway


def check_k(k) -> int:
    """`k` as an int within 1..MAX_K.

    Raises:
        BadRequest: not a whole number, or out of range.
    """
    try:
        value = int(k)
    except (TypeError, ValueError):
        raise BadRequest(f"k must be a whole number from 1 to {MAX_K}, got {k!r}") from None
    if not 1 <= value <= MAX_K or isinstance(k, float) and k != value:
        raise BadRequest(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return value


def bounded_query(query: str) -> tuple[str, str]:
    """(the query cut to MAX_QUERY_CHARS at a word or sentence boundary, a notice if it was cut)."""
    if query is None or not isinstance(query, str):
        raise BadRequest("the query must be text")
    if len(query) <= MAX_QUERY_CHARS:
        return query, ""
    cut = query[:MAX_QUERY_CHARS]
    space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("。"))
    if space > MAX_QUERY_CHARS // 2:
        cut = cut[: space + 1]
    return cut, f"the query was cut from {len(query)} to its first {len(cut)} characters"


SEARCH_POOL = 100  # documents a search page ranks, so that its facets and page count cover them


def whole_number(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a whole number, got {value!r}") from None


def year_range(year) -> tuple[int, int] | None:
    """(first, last) issue year from 2021, "2021", "2019-2021" or (2019, 2021)."""
    if not year:
        return None
    if isinstance(year, tuple):
        return int(year[0]), int(year[1])
    text = str(year).strip()
    try:
        if "-" in text:
            first, last = text.split("-", 1)
            return int(first), int(last)
        return int(text), int(text)
    except ValueError:
        raise GovtextError(f"bad year {year!r}: use 2021 or a range such as 2019-2021") from None


def search_library(lib, query: str, k: int | None, mode: str | None, lang: str | None, source, collapse: bool,
                   doc_type: str | None, year, place: str | None, issuer: str | None,
                   window: tuple[int, int] | None, pool: int = 0) -> SearchResults:
    """`Library.search` (its arguments and errors): check the request, filter by the manifest's
    metadata, and rank with the library's `Searcher`."""
    mode = mode or lib.settings.mode
    if mode not in MODES:
        raise BadRequest(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    if lang not in (None, "vi", "zh", "other"):
        raise BadRequest(f"unknown language {lang!r}: use vi or zh")
    k = check_k(lib.settings.k if k is None else k)
    query, notice = bounded_query(query)
    sources = [source] if isinstance(source, str) else list(source) if source else None
    doc_ids = None
    notices = [notice] if notice else []
    if doc_type or year or place or issuer:
        found = lib.manifest.filter_documents(doc_type, year_range(year), place, issuer)
        doc_ids = found.doc_ids
        if found.undated_left_out:
            notices.append(f"{found.undated_left_out} documents without an issue date were left out by the "
                           "year filter")
    searcher = lib.searcher
    analysed = searcher.analyse(query)
    # the glossary translation is searched beside the query when only its other language is wanted
    hits = searcher.search(
        analysed, k=k, mode=mode, lang=lang, sources=sources, passages_per_hit=lib.settings.passages_per_hit,
        collapse=collapse, doc_ids=doc_ids, bridge=True, window=window, pool=min(MAX_K, max(0, pool)),
    )
    return SearchResults(hits, query, mode, "; ".join(notices), lang, tuple(searcher.ranked), analysed)


def export_results(search: Callable[..., SearchResults], query: str, format: str, k: int | None,
                   **filters) -> Download:
    """`Library.export_results`: the hits of `search(query, k=k, **filters)` as a CSV, RIS or CSL-JSON file."""
    from .citations import RESULT_FORMATS, format_results

    if format not in RESULT_FORMATS:
        raise BadRequest(f"unknown format {format!r}: use one of {', '.join(RESULT_FORMATS)}")
    hits = search(query, k=k, **filters)
    media_type, suffix = RESULT_FORMATS[format]
    return Download(format_results(hits, format).encode("utf-8"), media_type, f"govtext-search.{suffix}")


def compare_languages(search: Callable[..., SearchResults], query: str, k: int, mode: str | None):
    """`Library.compare`: `search` in the query's language and in the other one (`pipeline.practices.Comparison`)."""
    from .lang import other_language
    from .practices import Comparison
    from .language import detect_language

    k = check_k(k)
    query, _notice = bounded_query(query)
    query_lang = "zh" if detect_language(query) == "zh" else "vi"
    other = other_language(query_lang)
    results = {lang: search(query, k=k, mode=mode, lang=lang) for lang in (query_lang, other)}
    expansion = results[other].analysed.expansion
    return Comparison(query, query_lang, results, tuple(expansion.explain()) if expansion else ())
