"""The JSON API's request and response models (pydantic): what /openapi.json describes."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..api import MAX_K


class _Blank(BaseModel):
    """Query parameters where an empty value (an HTML form's unselected option) means "not given"."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value


class Filters(_Blank):
    mode: str | None = Field(None, description="hybrid (default), dense or lexical")
    lang: str | None = Field(None, description="only passages in this language: vi or zh")
    type: str | None = Field(None, description="document type label or name (nghi_quyet, 通知 ...)")
    year: str | None = Field(None, description="issue year or range: 2021, 2019-2021")
    place: str | None = Field(None, description="only documents naming this place (Long Biên, 长宁区)")
    issuer: str | None = Field(None, description="only documents whose issuer contains this")

    def library_filters(self) -> dict[str, Any]:
        return {"mode": self.mode, "lang": self.lang, "doc_type": self.type, "year": self.year,
                "place": self.place, "issuer": self.issuer}


class SearchParams(Filters):
    q: str = Field("", description="the query (cut at 1,000 characters)")
    k: int = Field(10, ge=1, le=MAX_K, description="documents per page")
    page: int = Field(1, ge=1, description="page number, from 1")


class ExportSearchParams(Filters):
    q: str = Field(..., description="the query")
    k: int = Field(100, ge=1, le=MAX_K, description="documents listed")
    format: str = Field("csv", description="csv, ris or csljson")


class BriefParams(_Blank):
    q: str | None = Field(None, description="a query (a brief of Vietnamese and Chinese passages)")
    practice: str | None = Field(None, description="or a practice of the catalogue")
    format: str = Field("docx", description="docx or md")
    k: int = Field(5, ge=1, le=MAX_K, description="documents per language for a query")


class CompareParams(_Blank):
    q: str = Field(..., description="the query")
    k: int = Field(5, ge=1, le=MAX_K, description="documents per language")
    mode: str | None = None


class PracticesParams(_Blank):
    q: str | None = Field(None, description="only practices whose name or a variant contains this")
    lang: str | None = Field(None, description="vi or zh")
    kind: str | None = None
    place: str | None = None
    year: str | None = Field(None, description="used in a document of this year or range")
    min_mentions: int = Field(1, ge=1)
    all: bool = Field(False, description="also the candidate entries the listing model does not list")
    page: int = Field(1, ge=1)
    per_page: int = Field(50, ge=1, le=MAX_K)


class PracticeParams(_Blank):
    name: str = Field(..., description="any variant or script of the practice's name")
    nearest: int = Field(5, ge=0, le=50)


# ---------------------------------------------------------------- responses

class Open(BaseModel):
    """A record whose listed fields are guaranteed; others may follow."""

    model_config = ConfigDict(extra="allow")


class PassageModel(BaseModel):
    chunk_id: str
    text: str
    start: int
    end: int
    score: float
    page: int | None
    headings: list[str]
    highlights: list[list[int]]


class SimilarModel(BaseModel):
    doc_id: str
    title: str
    source: str
    lang: str
    score: float | None


class HitModel(BaseModel):
    rank: int
    doc_id: str
    title: str
    source: str
    lang: str
    score: float
    relevance: float | None
    weak: bool
    text: str
    start: int
    end: int
    page: int | None
    headings: list[str]
    highlights: list[list[int]]
    citation: str
    article: str
    doc_type: str
    doc_type_name: str
    number: str
    issue_date: str
    issuer: str
    places: list[str]
    passages: list[PassageModel]
    similar_count: int
    similar: list[SimilarModel]


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class SearchPageModel(BaseModel):
    query: str
    mode: str
    total: int = Field(description="documents found (up to the pool searched)")
    page: int
    per_page: int
    pages: int
    filters: dict[str, str]
    notice: str
    facets: dict[str, list[FacetValue]]
    hits: list[HitModel]


class ComparisonModel(BaseModel):
    query: str
    query_lang: str
    glossary: list[str]
    vi: list[HitModel]
    zh: list[HitModel]


class PracticeSummary(BaseModel):
    name: str
    canonical: str
    lang: str
    kind: str
    score: float
    doc_count: int
    mention_count: int
    variants: list[str]
    places: list[str]
    years: list[str]
    definition: str
    listed: bool
    confidence: float | None


class CatalogueModel(BaseModel):
    total: int
    page: int
    per_page: int
    pages: int
    documents: int
    unlisted: int
    practices: list[PracticeSummary]


class PracticeCardModel(Open):
    name: str
    canonical: str
    lang: str
    kind: str
    doc_count: int
    mention_count: int
    variants: list[str]
    uses: list[dict[str, Any]]
    definitions: list[dict[str, Any]]
    actors: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    nearest: list[dict[str, Any]]
    glossary: list[str]


class HeadingModel(BaseModel):
    level: int
    text: str
    start: int


class DocumentModel(BaseModel):
    doc_id: str
    title: str
    source: str
    lang: str
    text: str
    pages: list[list[int]]
    meta: dict[str, Any] = Field(description="what ingest recorded (OCR pages, parts ...)")
    metadata: dict[str, Any] = Field(description="type, number, issue date, issuer, places")
    headings: list[HeadingModel]
    similar: list[dict[str, str]]
    practices: list[dict[str, Any]]
    has_page_images: bool


class StatsModel(Open):
    index: str
    model: str | None
    documents: int
    chunks: int
    vector_chunks: int
    lexical_chunks: int


class CheckModel(Open):
    ok: bool


class ErrorModel(BaseModel):
    error: str
