"""The records metadata extraction hands out (`DocMeta`, `Place`, `DatedMention`) and their vocabularies:
document types (`DOC_TYPES`) and place levels."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# slug -> (language, display name)
DOC_TYPES: dict[str, tuple[str, str]] = {
    "nghi_quyet": ("vi", "Nghị quyết"),
    "nghi_dinh": ("vi", "Nghị định"),
    "quyet_dinh": ("vi", "Quyết định"),
    "ke_hoach": ("vi", "Kế hoạch"),
    "chuong_trinh": ("vi", "Chương trình"),
    "bao_cao": ("vi", "Báo cáo"),
    "thong_bao": ("vi", "Thông báo"),
    "cong_van": ("vi", "Công văn"),
    "thong_tu": ("vi", "Thông tư"),
    "chi_thi": ("vi", "Chỉ thị"),
    "to_trinh": ("vi", "Tờ trình"),
    "quy_che": ("vi", "Quy chế"),
    "quy_dinh": ("vi", "Quy định"),
    "huong_dan": ("vi", "Hướng dẫn"),
    "ket_luan": ("vi", "Kết luận"),
    "de_an": ("vi", "Đề án"),
    "luat": ("vi", "Luật"),
    "tongzhi": ("zh", "通知"),
    "jueding": ("zh", "决定"),
    "jueyi": ("zh", "决议"),
    "yijian": ("zh", "意见"),
    "banfa": ("zh", "办法"),
    "tiaoli": ("zh", "条例"),
    "guiding": ("zh", "规定"),
    "guize": ("zh", "规则"),
    "xize": ("zh", "细则"),
    "jieshi": ("zh", "解释"),
    "baogao": ("zh", "报告"),
    "dafu": ("zh", "答复"),
    "fangan": ("zh", "方案"),
    "gonggao": ("zh", "公告"),
    "tonggao": ("zh", "通告"),
    "pifu": ("zh", "批复"),
    "han": ("zh", "函"),
    "fa": ("zh", "法"),
    "news": ("", "news"),
}

# Place levels, shared by both languages: Vietnamese tỉnh / quận, huyện / phường, xã; Chinese
# 省 / 市 / 区, 县 / 街道, 镇, 乡 / 社区, 小区, 村.
PROVINCE, CITY, DISTRICT, WARD, COMMUNITY = "province", "city", "district", "ward", "community"


@dataclass(frozen=True)
class Place:
    """A named administrative place and its level ("province", "city", "district", "ward", "community")."""

    name: str
    level: str


@dataclass(frozen=True)
class DatedMention:
    """A full date found in the text, in ISO form, with its role and character span.

    Roles: "issued" (header date, signature date, promulgation), "adopted", "amended",
    "approved", "effective", "published" (a news item's or web page's publication date: a
    posting line or the report's dateline), "cited" (a date of another document) and "other".
    """

    date: str
    role: str
    start: int
    end: int


@dataclass(frozen=True)
class DocMeta:
    """What `extract_metadata` found; empty strings, None and () mean "not found"."""

    doc_type: str = ""
    doc_type_name: str = ""
    number: str = ""
    issue_date: str = ""
    year: int | None = None
    issuer: str = ""
    signer: str = ""
    signer_title: str = ""
    places: tuple[Place, ...] = ()
    dates: tuple[DatedMention, ...] = ()
    references: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON-ready values (strings, ints, lists of strings), e.g. for vector-store metadata.

        `year` is 0 when unknown (stores such as chroma take no None); `dates` entries read
        "2021-10-28 issued"; places are listed all together and per level.
        """
        by_level = {level: [p.name for p in self.places if p.level == level]
                    for level in (PROVINCE, CITY, DISTRICT, WARD, COMMUNITY)}
        return {
            "doc_type": self.doc_type,
            "doc_type_name": self.doc_type_name,
            "number": self.number,
            "issue_date": self.issue_date,
            "year": self.year or 0,
            "issuer": self.issuer,
            "signer": self.signer,
            "signer_title": self.signer_title,
            "places": [p.name for p in self.places],
            "provinces": by_level[PROVINCE],
            "cities": by_level[CITY],
            "districts": by_level[DISTRICT],
            "wards": by_level[WARD],
            "communities": by_level[COMMUNITY],
            "dates": [f"{d.date} {d.role}" for d in self.dates],
            "references": list(self.references),
        }
