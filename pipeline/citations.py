"""Citations and result lists: the one citation formatter, and search results as CSV, RIS and CSL-JSON.

Every face cites a passage through `Citation.text()`: the CLI, the web page, the JSON API, practice
cards and drafting briefs. A list of search hits is written for reference managers and spreadsheets
by `format_results`.

    >>> Citation(doc_id="1a2b3c4d5e6f", title="Kế hoạch", lang="vi", start=0, end=8).text()
    '"Kế hoạch" [doc 1a2b3c4d5e6f, chars 0–8]'
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Protocol, Sequence

from .errors import BadRequest
from .headings import article_reference

__all__ = ["Citation", "RESULT_FORMATS", "document_parts", "format_results", "quoted_title"]


class CitedHit(Protocol):
    """What citations and result lists read of a search hit. `pipeline.types.Hit` is one; it cites
    itself through `Citation`, so this module names its shape rather than importing it."""

    rank: int
    doc_id: str
    title: str
    lang: str
    source: str
    score: float
    meta: Any  # a `pipeline.types.DocMeta`
    passages: Sequence[Any]  # `pipeline.types.Passage`s, the best first

    @property
    def best(self) -> Any: ...

    @property
    def citation(self) -> str: ...


def quoted_title(title: str, lang: str) -> str:
    if not title:
        return ""
    if lang.startswith("zh"):
        return title if title.startswith("《") else f"《{title}》"
    return f'"{title}"'


def document_parts(doc_type: str, number: str, title: str, lang: str, issuer: str, date: str) -> list[str]:
    """The parts naming a document: "Nghị quyết 01-NQ/ĐU", its title, issuer and date (empty ones left out)."""
    kind = " ".join(p for p in (doc_type, number) if p)
    return [p for p in (kind, quoted_title(title, lang), issuer, date) if p]


@dataclass(frozen=True)
class Citation:
    """Where a passage is: its document (type, number, title, issuer, date), section, page and offsets."""

    doc_id: str = ""
    title: str = ""
    lang: str = ""
    source: str = ""
    doc_type: str = ""  # the type's display name ("Nghị quyết", "通知")
    number: str = ""
    issuer: str = ""
    date: str = ""
    section: str = ""
    article: str = ""
    page: int | None = None
    start: int = 0
    end: int = 0
    url: str = ""  # the web address the document was taken from, when known

    def text(self) -> str:
        """The citation built from the parts that are present.

        Returns:
            e.g. 'Nghị quyết 01-NQ/ĐU, "Về việc ...", Đảng ủy phường Giang Biên, 2021-10-28,
            II. NHIỆM VỤ > 1., Điều 5, p. 3, https://... [doc 1a2b3c4d5e6f7a8b, chars 120–480]': the
            full doc id, which `govtext show` takes.
        """
        parts = document_parts(self.doc_type, self.number, self.title, self.lang, self.issuer, self.date)
        if not self.title and self.source:
            parts.append(Path(self.source.split("#", 1)[0]).name)
        if self.section and self.section.strip() not in (self.title.strip(), quoted_title(self.title, self.lang)):
            parts.append(self.section)
        if self.article and self.article not in self.section:
            parts.append(self.article)
        if self.page is not None:
            parts.append(f"p. {self.page}")
        if self.url:
            parts.append(self.url)
        where = []
        if self.doc_id:
            where.append(f"doc {self.doc_id}")
        if self.end > self.start:
            where.append(f"chars {self.start}–{self.end}")
        text = ", ".join(parts)
        if where:
            text = f"{text} [{', '.join(where)}]" if text else f"[{', '.join(where)}]"
        return text

    @classmethod
    def from_hit(cls, hit: CitedHit, passage: int = 0) -> Citation:
        """The citation of one passage of a search hit (0 = its best)."""
        p = hit.passages[passage]
        meta = hit.meta
        return cls(
            doc_id=hit.doc_id, title=hit.title, lang=hit.lang, source=hit.source,
            doc_type=meta.doc_type_name, number=meta.number, issuer=meta.issuer, date=meta.issue_date,
            section=" > ".join(p.headings), article=article_reference(p.headings, p.text), page=p.page,
            start=p.start, end=p.end,
        )


# ---------------------------------------------------------------- result lists

RESULT_FORMATS = {  # format -> (media type, file suffix)
    "csv": ("text/csv; charset=utf-8", "csv"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csljson": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}
CSV_COLUMNS = ("rank", "doc_id", "title", "lang", "doc_type", "number", "issue_date", "issuer", "places",
               "source", "page", "start", "end", "citation", "passage", "score")


def _row(hit: CitedHit) -> dict:
    p = hit.best
    return {
        "rank": hit.rank, "doc_id": hit.doc_id, "title": hit.title, "lang": hit.lang,
        "doc_type": hit.meta.doc_type_name, "number": hit.meta.number, "issue_date": hit.meta.issue_date,
        "issuer": hit.meta.issuer, "places": "; ".join(hit.meta.place_names), "source": hit.source,
        "page": "" if p.page is None else p.page, "start": p.start, "end": p.end,
        "citation": hit.citation, "passage": " ".join(p.text.split()), "score": round(hit.score, 6),
    }


def results_csv(hits: Iterable[CitedHit]) -> str:
    """One row per document: its metadata, best passage (lines joined) and citation."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for hit in hits:
        writer.writerow(_row(hit))
    return out.getvalue()


def _ris_line(tag: str, value) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def results_ris(hits: Iterable[CitedHit]) -> str:
    """RIS records (type GOVDOC) for reference managers (Zotero, EndNote)."""
    lines = []
    for hit in hits:
        r = _row(hit)
        lines.append(_ris_line("TY", "GOVDOC"))
        lines.append(_ris_line("TI", hit.title or Path(hit.source).name or hit.doc_id))
        if r["issuer"]:
            lines.append(_ris_line("AU", r["issuer"]))
        if r["issue_date"]:
            lines.append(_ris_line("PY", str(r["issue_date"])[:4]))
            lines.append(_ris_line("DA", str(r["issue_date"]).replace("-", "/")))
        for tag, key in (("M3", "doc_type"), ("M1", "number"), ("CY", "places"), ("LA", "lang")):
            if r[key]:
                lines.append(_ris_line(tag, r[key]))
        if r["page"] != "":
            lines.append(_ris_line("SP", r["page"]))
        lines.append(_ris_line("ID", hit.doc_id))
        if hit.source.startswith(("http://", "https://")):
            lines.append(_ris_line("UR", hit.source))
        elif hit.source:
            lines.append(_ris_line("L1", hit.source))
        lines.append(_ris_line("N1", r["citation"]))
        lines.append(_ris_line("AB", r["passage"]))
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


def _csl(hit: CitedHit) -> dict:
    r = _row(hit)
    item = {"id": hit.doc_id, "type": "document", "title": hit.title or Path(hit.source).name or hit.doc_id,
            "language": hit.lang, "note": r["citation"], "abstract": r["passage"], "source": hit.source}
    if r["issuer"]:
        item["author"] = [{"literal": r["issuer"]}]
    parts = [int(x) for x in str(r["issue_date"]).split("-") if x.isdigit()]
    if parts:
        item["issued"] = {"date-parts": [parts[:3]]}
    if r["doc_type"]:
        item["genre"] = r["doc_type"]
    if r["number"]:
        item["number"] = r["number"]
    if r["places"]:
        item["publisher-place"] = r["places"]
    if r["page"] != "":
        item["page"] = str(r["page"])
    if hit.source.startswith(("http://", "https://")):
        item["URL"] = hit.source
    return item


def results_csljson(hits: Iterable[CitedHit]) -> str:
    """CSL-JSON items (the format citeproc, Zotero and pandoc read)."""
    return json.dumps([_csl(h) for h in hits], ensure_ascii=False, indent=2)


def format_results(hits: Iterable[CitedHit], format: str) -> str:
    """A result list as "csv", "ris" or "csljson" text.

    Raises:
        BadRequest: an unknown format.
    """
    writers = {"csv": results_csv, "ris": results_ris, "csljson": results_csljson}
    if format not in writers:
        raise BadRequest(f"unknown format {format!r}: use one of {', '.join(writers)}")
    return writers[format](hits)
