"""The records metadata extraction hands out (`DocMeta`, `Place`, `DatedMention`, defined in
`pipeline.types` with the other records that cross the pipeline) and their vocabularies: document
types (`DOC_TYPES`) and place levels."""
from __future__ import annotations

from ..types import PLACE_LEVELS, DatedMention, DocMeta, Place

__all__ = ["CITY", "COMMUNITY", "DISTRICT", "DOC_TYPES", "PROVINCE", "WARD", "DatedMention", "DocMeta", "Place"]

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
PROVINCE, CITY, DISTRICT, WARD, COMMUNITY = PLACE_LEVELS
