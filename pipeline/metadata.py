"""Metadata stage: a governance document's type, number, issue date, issuer, signer and places.

Rules and regular expressions over normalised text (see `pipeline.normalize`), no model. The layout
they read is the one state and party documents share:

- Vietnamese: a header of two columns (the issuing body left, the national or party motto right),
  "Số: 49/2026/NĐ-CP" and "Hà Nội, ngày 31 tháng 01 năm 2026" under them, the type in capitals
  ("NGHỊ ĐỊNH"), and a signature block at the end ("TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG /
  name"). Laws without a header close with "Luật này được Quốc hội ... thông qua ngày ...".
- Chinese: a title "X关于Y的通知", a document number "国办发〔2020〕23号" and the sender and date at the
  end; statutes open with dated lines "2019年11月27日 北京市第十五届人民代表大会常务委员会第十六次会议通过".

`doc_type` is a label from the fixed vocabulary `DOC_TYPES`: ASCII slugs of the native name
(Vietnamese without tones, Chinese in pinyin) so that a `--type` filter is easy to type, plus
"news" for reported, dated stories; "" when unknown. `doc_type_name` is the display name.

For a statute with a history (adopted, amended, revised), the issue date is the date of the
version in hand: the latest adoption, amendment, approval or promulgation in its header, never
the date it takes effect. News items and web pages, which carry no issue date, are dated by
their publication date: a posting line ("Ngày đăng: 26/06/2025 15:42", "发布时间：2023-05-06") or,
for news, the dateline that opens the report ("Ngày 8/2/2017, ...", "5月6日，..."); a dateline
without a year takes the year the text gives the same day elsewhere ("Sáng 22/5, ..." and a caption
"Sáng 22/5/2017"), and stays undated when the text never gives it. Every date found is kept in
`dates` with its role.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from typing import Iterable

from .normalize import distribution_spans
from .types import DatedMention, DocMeta, Place

__all__ = ["DOC_TYPES", "DatedMention", "DocMeta", "Place", "extract_metadata"]

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
MAX_PLACES = 10


def extract_metadata(text: str, lang: str, title: str = "", source: str = "") -> DocMeta:
    """Document metadata by rules over normalised text.

    Args:
        text: the document's normalised text (`normalize(doc).text`: NFC, one tone placement).
        lang: "vi" or "zh" (other languages give an empty DocMeta).
        title: the document's title if known (a file's first line, a record's title field).
        source: where the document comes from (a path or URL); only used to recognise news sites.
    Returns:
        A DocMeta; fields that were not found are empty.

    Example:
        >>> extract_metadata("Số: 123/QĐ-UBND\\nQUYẾT ĐỊNH\\nVề việc ...", "vi").doc_type
        'quyet_dinh'
    """
    if lang == "vi":
        return _Vietnamese(text, title, source).meta()
    if lang.startswith("zh"):
        return _Chinese(text, title, source).meta()
    return DocMeta()


# ---------------------------------------------------------------- shared helpers

# Markdown and table markup that converted documents carry; blanked with spaces so offsets hold.
_MARKUP = re.compile(r"[*\\|]|(?<![\w/])_+|_+(?![\w/])|<br\s*/?>|^#+(?= )", re.M)
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.;!?。；！？\n]")


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def _plain(text: str) -> str:
    """`text` with markup characters replaced by spaces: same length, so offsets carry over."""
    return _MARKUP.sub(lambda m: " " * len(m.group()), text)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-blank lines as (start, end, stripped text)."""
    out = []
    for m in _LINE.finditer(text):
        stripped = m.group().strip()
        if stripped:
            out.append((m.start(), m.end(), stripped))
    return out


def _toneless_types() -> dict[str, str]:
    from .normalize import strip_diacritics

    return {strip_diacritics(name): name for name in _VI_NAME_TYPE}


_SPACED_SYMBOL = re.compile(r"(\d)\s+/\s*|\s*/\s+(?=[\dA-ZĐ])")
# A header date as OCR reads it: "ngày 3l tháng 01 năm 2026" (l, I or | for 1, O for 0 beside digits).
_OCR_DATE_PART = re.compile(r"(?<=\bngày )[\dlI|O]{1,2}(?= tháng)|(?<= tháng )[\dlI|O]{1,2}(?= năm)|(?<= năm )[\dlI|O]{4}\b")
_OCR_DIGITS = str.maketrans("lI|O", "1110")


def _repaired_head(lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The first lines of a Vietnamese document with what OCR typically breaks put back: a document type
    that lost its tone marks ("NGHI ĐINH" -> "NGHỊ ĐỊNH") and a number with stray spaces
    ("Số: 199 /2026/NĐ-CP" -> "Số: 199/2026/NĐ-CP"). Offsets are kept (the type names have the same
    length with or without marks, a number line only loses spaces)."""
    from .normalize import strip_diacritics

    types = _toneless_types()
    out = []
    for i, (start, end, line) in enumerate(lines):
        if i < 16:
            head, sep, rest = line.partition(":")
            name = types.get(strip_diacritics(head.strip()))
            if name and head.strip().isupper() and head.strip() != name:
                line = name + sep + rest
            elif strip_diacritics(line[:2]).lower() == "so" and "/" in line:
                line = _SPACED_SYMBOL.sub(lambda m: (m.group(1) or "") + "/", line)
        out.append((start, end, line))
    return out


def _repaired_dates(text: str, limit: int = 3000) -> str:
    """`text` with header dates that OCR read with a letter for a digit put back ("ngày 3l tháng 01" ->
    "ngày 31 tháng 01") in its first `limit` characters; the same length, so offsets hold."""
    head = _OCR_DATE_PART.sub(
        lambda m: m.group().translate(_OCR_DIGITS) if any(c.isdigit() for c in m.group()) else m.group(), text[:limit])
    return head + text[limit:]


def _iso(year: int, month: int, day: int) -> str:
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1000 <= year <= 2999):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _sentence_before(text: str, pos: int, limit: int = 200) -> str:
    """The part of the sentence that ends at `pos` (at most `limit` characters)."""
    start = max(0, pos - limit)
    found = None
    for found in _SENTENCE_END.finditer(text, start, pos):
        pass
    return text[found.end() if found else start : pos]


def _sentence_after(text: str, pos: int, limit: int = 200) -> str:
    m = _SENTENCE_END.search(text, pos, min(len(text), pos + limit))
    return text[pos : m.start() if m else min(len(text), pos + limit)]


def _rank_places(found: Iterable[tuple[Place, int, bool]]) -> tuple[Place, ...]:
    """Places in the header or title first (in order), then by frequency, then by first position."""
    count: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    prominent: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}
    for place, pos, in_header in found:
        key = (place.name.casefold(), place.level)
        count[key] += 1
        first.setdefault(key, pos)
        names.setdefault(key, place.name)
        if in_header:
            prominent.setdefault(key, pos)
    order = sorted(count, key=lambda k: (0, prominent[k], 0) if k in prominent else (1, -count[k], first[k]))
    return tuple(Place(names[k], k[1]) for k in order[:MAX_PLACES])


# ---------------------------------------------------------------- Vietnamese

# Latin capitals and small letters as used by Vietnamese, for character classes.
_VI_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper() and unicodedata.name(c).startswith("LATIN"))
_VI_LOWER = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.isalpha() and c.islower() and unicodedata.name(c).startswith("LATIN"))
_CAP_WORD = rf"[{_VI_UPPER}][^\W\d_]*"
_NAME_WORD = rf"[{_VI_UPPER}][{_VI_LOWER}]+"

# slug, header names (upper case), symbol codes
_VI_TYPES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("nghi_quyet", ("NGHỊ QUYẾT",), ("NQ",)),
    ("nghi_dinh", ("NGHỊ ĐỊNH",), ("NĐ",)),
    ("quyet_dinh", ("QUYẾT ĐỊNH",), ("QĐ",)),
    ("ke_hoach", ("KẾ HOẠCH",), ("KH",)),
    ("chuong_trinh", ("CHƯƠNG TRÌNH",), ("CTr",)),
    ("bao_cao", ("BÁO CÁO",), ("BC",)),
    ("thong_bao", ("THÔNG BÁO",), ("TB",)),
    ("cong_van", ("CÔNG VĂN",), ()),
    ("thong_tu", ("THÔNG TƯ",), ("TT",)),
    ("chi_thi", ("CHỈ THỊ",), ("CT",)),
    ("to_trinh", ("TỜ TRÌNH",), ("TTr",)),
    ("quy_che", ("QUY CHẾ",), ("QC",)),
    ("quy_dinh", ("QUY ĐỊNH",), ("QyĐ", "QĐi")),
    ("huong_dan", ("HƯỚNG DẪN",), ("HD",)),
    ("ket_luan", ("KẾT LUẬN",), ("KL",)),
    ("de_an", ("ĐỀ ÁN",), ("ĐA",)),
    ("luat", ("BỘ LUẬT", "LUẬT", "HIẾN PHÁP"), ()),
]
_VI_CODE_TYPE = {code: slug for slug, _, codes in _VI_TYPES for code in codes}
_VI_NAME_TYPE = {name: slug for slug, names, _ in _VI_TYPES for name in names}
_VI_TYPE_WORDS = "|".join(sorted((n for n in _VI_NAME_TYPE), key=len, reverse=True))
# A title line: the type in capitals, alone or followed by what the document is about.
_VI_TITLE_LINE = re.compile(rf"^(?:{_VI_TYPE_WORDS})(?=$|\s|:)")
_VI_TYPE_ANYCASE = re.compile(rf"(?:{_VI_TYPE_WORDS})", re.I)

# 01-CTr/QU, 60-NQ/TW (party); 49/2026/NĐ-CP, 123/QĐ-UBND, 72/2025/QH15 (state).
_VI_SYMBOL = re.compile(
    r"(?<![\w/.-])\d{1,5}[a-z]?(?:-[A-ZĐ][A-Za-zĐđ]*(?:/[A-ZĐ][A-Za-zĐđ0-9]*)+"
    r"|(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9.]*)*)(?![\w/])"
)
_VI_NUMBER_LINE = re.compile(rf"\bSố\s*:?\s*({_VI_SYMBOL.pattern})")
_VI_BLANK_NUMBER = re.compile(r"\bSố\s*:?\s*[.…]*\s*/(\d{4})/[A-ZĐ]")
_VI_DATE = re.compile(
    r"(?<![\d/.])(\d{1,2})\s*(?:tháng\s*(\d{1,2})\s*,?\s*năm\s*(\d{4})|/\s*(\d{1,2})\s*/\s*(\d{4})"
    r"|-(\d{1,2})-(\d{4})|\.(\d{1,2})\.(\d{4}))(?![\d/])",
    re.I,
)
# "Hà Nội, ngày 16 tháng 6 năm 2025": a place and date line of a header.
_VI_PLACE_DATE = re.compile(rf"(?:{_CAP_WORD}\s*){{1,4}},\s*ngày\s*$")
_VI_MOTTO = re.compile(
    r"C[ỘO]NG\s+H(?:ÒA|OÀ)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM",
    re.I,
)
_VI_SIGN_MARK = re.compile(r"(?:^|\s)(T/M|TM\.?|KT\.?|Q\.|TL\.|TUQ\.|TM/)\s*([" + _VI_UPPER + r"][" + _VI_UPPER + r" ]+)")
# A signer's position in capitals, at a line's start or end or before the name.
_VI_SIGN_TITLE = re.compile(
    r"(?:^|\s)((?:NỮ\s+|PHÓ\s+|TỔNG\s+)*(?:CHỦ\s+TỊCH|BÍ\s+THƯ|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|GIÁM\s+ĐỐC"
    r"|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+BAN|TRƯỞNG\s+PHÒNG|CHỦ\s+NHIỆM|CHAIRMAN)"
    r"(?:\s+[" + _VI_UPPER + r"]+)*)(?=\s*$|\s+" + _NAME_WORD + r")"
)
_SURNAMES = set(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Tô Vương Trịnh Đoàn "
    "Lương Lâm Mai Hà Cao Chu Tạ Thái Trương Đào Kiều Quách Tăng Lại Lưu Nông Mạc La Triệu Tôn Khổng "
    "Thân Phùng Hứa Châu Từ Giang Cù Âu Đàm Kim Chế Bạch Nghiêm Doãn Hầu Lò Văn Diệp Mẫn Ông Tống Khúc "
    "Nguyen Tran Le Pham Hoang Huynh Vu Vo Dang Bui Do Ho Ngo Duong Ly Dinh".split()
)
# A personal name: 2-5 capitalised syllables at the end of a line (not followed by ; , .).
_VI_NAME_AT_END = re.compile(rf"(?:^|[\s;,:(-])((?:{_NAME_WORD}\s+){{1,4}}{_NAME_WORD})\s*$")
_VI_ORG_HEAD = re.compile(
    r"^(?:ĐẢNG ỦY|ĐẢNG UỶ|ĐẢNG BỘ|CHI BỘ|ỦY BAN|UỶ BAN|UBND|HĐND|HỘI ĐỒNG|BAN |SỞ |PHÒNG |VĂN PHÒNG|CỤC |"
    r"TỔNG CỤC|VỤ |BỘ |QUẬN ỦY|THÀNH ỦY|TỈNH ỦY|HUYỆN ỦY|THỊ ỦY|CHÍNH PHỦ|TRƯỜNG |TRUNG TÂM|CÔNG AN|MẶT TRẬN)"
)
_VI_ORG_START = re.compile(
    r"(?:Đảng (?:ủy|bộ)|Chi bộ|Ủy ban|UBND|HĐND|Hội đồng|Ban|Sở|Phòng|Văn phòng|Cục|Tổng cục|Bộ|"
    r"(?:Quận|Thành|Tỉnh|Huyện|Thị) ủy|Chính phủ|Quốc hội|Thủ tướng)\b"
)
_VI_CITED_LEAD = re.compile(r"(?:Căn cứ|Thực hiện|Theo|theo|căn cứ|thực hiện|tại|kèm theo)\b")
_VI_EFFECTIVE = re.compile(r"(?:hiệu lực(?: thi hành)?|áp dụng)\s*(?:kể\s*)?(?:từ|từ ngày|kể từ)?\s*(?:ngày)?\s*$", re.I)

# Place words; TP is the usual abbreviation of thành phố, TX. of thị xã.
_VI_LEVEL = re.compile(
    r"(?<![^\W\d_])(thành phố|thị xã|thị trấn|tỉnh|quận|huyện|phường|xã|TP\.?|Tp\.?|TX\.)(?:[ \t]+|(?<=\.)|(?=HCM\b))(?=\S)",
    re.I,
)
_VI_CENTRAL_CITIES = {"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"}
_VI_ABBREVIATED = {"hcm": "Hồ Chí Minh", "hn": "Hà Nội"}
_COUNTRIES = {"Việt Nam", "Trung Quốc", "Lào", "Campuchia", "Thái Lan", "Nhật Bản", "Hàn Quốc", "Mỹ", "Pháp", "Nga"}
_VI_NOT_NAME_START = {"ủy", "uỷ", "đội", "đoàn", "hội", "viên"}
_VI_LEVEL_OF = {"tỉnh": PROVINCE, "quận": DISTRICT, "huyện": DISTRICT, "thị xã": DISTRICT,
                "phường": WARD, "xã": WARD, "thị trấn": WARD}
_VI_NEWS_SIGNS = re.compile(
    r"\bẢnh\s*:|\(Ảnh|\bẢnh [A-ZĐ]|\bNguồn\b|\bcho biết\b|\bcho hay\b|\bphóng viên\b|\bPV\b|\bhọp báo\b|"
    r"\b(?:[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Đđ]êm|[Nn]gày|[Hh]ôm) (?:nay|qua|\d{1,2}/\d{1,2}(?!/))|"
    r"^\s*[A-Z][a-zA-Z]+\s+-\s+|\bTheo tin\b|\bChia sẻ\b|\(TTXVN\)|\bvừa (?:ký|ban hành|tổ chức|có|giao)",
    re.M,
)
# A source path or URL from a news site counts as one news cue.
_NEWS_SOURCE = re.compile(r"news|baomoi|tin-?tuc|thoi-?su|xinwen|新闻|新聞", re.I)
_VI_EXPLAINER_SIGNS = re.compile(
    r"\bCăn cứ (?:theo|tại)\b|\bQuý khách\b|\bNhư vậy,|\bquy định như sau\b|\bDưới đây là\b|\?\*\*|^#+ ",
    re.M,
)
_BYLINE = re.compile(rf"(?:^|[.!?”\"]\s+)((?:{_CAP_WORD}|[{_VI_UPPER}]+)(?:\s+(?:{_CAP_WORD}|[{_VI_UPPER}]+|-)){{1,5}})\s*$")


# -- publication dates of news items and web pages

# A web page's posting line: "Ngày đăng: 26/06/2025 15:42", "Ngày đăng bài viết gốc: 14:30 | 17/03/2025".
_VI_POSTED = re.compile(
    r"(?:Ngày đăng(?: bài(?: viết)?(?: gốc)?)?|Ngày cập nhật|Cập nhật lúc|Đăng lúc|Thời gian đăng)\s*:?\s*"
    r"(?:[Nn]gày\s+)?(?:\d{1,2}:\d{2}(?::\d{2})?\s*[|,-]?\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])"
)
_ZH_POSTED = re.compile(
    r"(?:发布|發布|发表|發表|更新|刊登|发稿|發稿)(?:时间|時間|日期)\s*[:：]?\s*"
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
)
# A news report's dateline: a time of day anywhere in the opening sentence ("vào sáng 22/5", "Chiều
# 26/6,"), or "Ngày 8/2/2017," opening the sentence (after a source or place prefix: "(VnMedia) -",
# "HÀ NỘI -"); "ngày" later in a sentence mostly dates a cited document. "từ/đến/trước ngày" are spans
# and deadlines.
_VI_DAY_MONTH = r"(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?(?![\d/-])"
_VI_DATELINE = re.compile(
    r"(?<![^\W\d_])(?<!từ )(?<!đến )(?<!trước )(?<!sau )(?:[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Đđ]êm|[Hh]ôm nay|[Hh]ôm qua)"
    r"\s+(?:ngày\s+)?" + _VI_DAY_MONTH
    + r"|^\W*(?:\([^()]{2,30}\)\s*[-–]\s*|[^\W\d_]+(?:\s+[^\W\d_]+){0,3}\s+[-–]\s+)?(?:[Vv]ào\s+)?[Nn]gày\s+" + _VI_DAY_MONTH
)
# A Chinese dateline: "5月6日，", "2023年5月6日上午，", "新华社北京5月6日电".
_ZH_DATELINE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?=(?:上午|下午|晚上|晚间|早上|中午|凌晨|晚)?\s*[，,]|电)"
)
# The paragraphs and sentences that may hold a dateline: a headline or lead and the first paragraph.
_DATELINE_LINES = 3
# A photo credit (capitalised names and an agency) that ends a caption run into the report
# ("... Ảnh: An Đăng -TTXVN Sáng 26/5, ...").
_VI_CREDIT = re.compile(
    rf"\bẢnh\s*:\s*(?:[{_VI_UPPER}\-/][^\s.,:;]*\s+){{1,5}}?(?=(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Hh]ôm)\s+\d)"
)


def _posted(plain: str, lang: str) -> DatedMention | None:
    """The date of a web page's posting line (the last one: the page's own, after any quoted ones)."""
    found = None
    for m in (_VI_POSTED if lang == "vi" else _ZH_POSTED).finditer(plain):
        day, month, year = (m.group(1), m.group(2), m.group(3)) if lang == "vi" else (m.group(3), m.group(2), m.group(1))
        iso = _iso(int(year), int(month), int(day))
        if iso:
            found = DatedMention(iso, "published", m.start(), m.end())
    return found


def _dateline(plain: str, lines: list[tuple[int, int, str]], lang: str) -> DatedMention | None:
    """The dateline of a news report: the first day-and-month in the opening sentence of one of its
    first paragraphs (or right after a photo credit), with the year it carries or, failing that,
    the latest year the text gives the same day elsewhere; None when no year is to be had."""
    pattern = _VI_DATELINE if lang == "vi" else _ZH_DATELINE
    for start, end, _ in lines[:_DATELINE_LINES]:
        sentence_end = _SENTENCE_END.search(plain, start, end)
        spans = [(start, sentence_end.end() if sentence_end else end)]
        if lang == "vi":
            spans += [(c.end(), end) for c in _VI_CREDIT.finditer(plain, start, end)]
        for span_start, span_end in spans:
            m = pattern.search(plain[span_start:span_end])
            if not m or span_start != start and m.start() != 0:
                continue
            if lang == "vi":
                day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
                day, month = int(day), int(month)
            else:
                year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
            year = int(year) if year else _year_of_day(plain, day, month, lang)
            iso = _iso(year, month, day) if year else ""
            return DatedMention(iso, "published", span_start + m.start(), span_start + m.end()) if iso else None
    return None


def _published(plain: str, lines: list[tuple[int, int, str]], lang: str, doc_type: str) -> DatedMention | None:
    """The publication date of a web page (its posting line) or a news report (its dateline)."""
    return _posted(plain, lang) or (_dateline(plain, lines, lang) if doc_type == "news" else None)


def _with_published(dates: list[DatedMention], published: DatedMention) -> list[DatedMention]:
    """`dates` with the mention at the publication date's span marked "published" (added if none is)."""
    out = [d for d in dates if not (published.start <= d.start < published.end)]
    out.append(published)
    return sorted(out, key=lambda d: d.start)


def _year_of_day(plain: str, day: int, month: int, lang: str) -> int | None:
    """The latest year the text gives day `day` of month `month` ("22/5/2017", "ngày 22 tháng 5 năm
    2017", "2017年5月22日")."""
    if lang == "vi":
        pattern = (rf"(?<![\d/.-])0?{day}\s*[/.-]\s*0?{month}\s*[/.-]\s*((?:19|20)\d{{2}})(?!\d)"
                   rf"|(?<!\d)0?{day}\s+tháng\s+0?{month}\s*,?\s+năm\s+((?:19|20)\d{{2}})")
    else:
        pattern = rf"((?:19|20)\d{{2}})\s*年\s*0?{month}\s*月\s*0?{day}\s*[日号]"
    years = [int(y) for m in re.finditer(pattern, plain) for y in m.groups() if y]
    return max(years) if years else None


class _Vietnamese:
    def __init__(self, text: str, title: str, source: str):
        self.text = text
        self.plain = _repaired_dates(_VI_MOTTO.sub(lambda m: " " * len(m.group()), _plain(text)))
        self.title = title
        self.source = source
        self.lines = _repaired_head(_lines(self.plain))
        self.head_lines, self.title_index = self._header()
        self.head_end = self.lines[self.title_index][0] if self.title_index is not None else (
            self.head_lines[-1][1] if self.head_lines else 0)

    # -- structure

    def _header(self) -> tuple[list[tuple[int, int, str]], int | None]:
        """The header lines (before the type line) and the index of the type line in `lines`."""
        for i, (start, _, line) in enumerate(self.lines[:16]):
            if start > 1500:
                break
            if _VI_TITLE_LINE.match(line) and line.split(":")[0].isupper():
                return self.lines[:i], i
        head = []
        for line in self.lines[:6]:
            if _VI_NUMBER_LINE.search(line[2]) or _VI_BLANK_NUMBER.search(line[2]) or (
                    len(line[2]) < 120 and re.search(rf"(?:^|\s){_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}},\s*ngày\s+\d", line[2])):
                head = self.lines[: self.lines.index(line) + 1]
        return head, None

    def meta(self) -> DocMeta:
        number, symbol_year = self._number()
        doc_type = self._doc_type(number)
        dates = self._dates(doc_type)
        issue = next((d.date for d in dates if d.role == "issued"), "") or next(
            (d.date for d in dates if d.role == "adopted"), "")
        if not issue:
            published = _published(self.plain, self.lines, "vi", doc_type)
            if published:
                dates = _with_published(dates, published)
                issue = published.date
        year = int(issue[:4]) if issue else symbol_year
        issuer = self._issuer(doc_type)
        signer, signer_title, _ = self._signature()
        own = {number} if number else set()
        refs = tuple(dict.fromkeys(m.group() for m in _VI_SYMBOL.finditer(self.plain) if m.group() not in own))
        return DocMeta(
            doc_type=doc_type,
            doc_type_name=DOC_TYPES[doc_type][1] if doc_type else "",
            number=number,
            issue_date=issue,
            year=year,
            issuer=issuer,
            signer=signer,
            signer_title=signer_title,
            places=self._places(),
            dates=tuple(dates),
            references=refs[:20],
        )

    # -- number and type

    def _number(self) -> tuple[str, int | None]:
        for _, _, line in self.lines[:12]:
            m = _VI_NUMBER_LINE.search(line)
            if m:
                return m.group(1), _symbol_year(m.group(1))
            m = _VI_BLANK_NUMBER.search(line)
            if m:
                return "", int(m.group(1))
        m = _ANNEX.search(self.plain[:1500])
        if m and m.group("number"):
            return m.group("number"), _symbol_year(m.group("number"))
        if _VI_SYMBOL.fullmatch(self.title.strip()):
            return self.title.strip(), _symbol_year(self.title.strip())
        return "", None

    def _doc_type(self, number: str) -> str:
        if self.title_index is not None:
            line = self.lines[self.title_index][2]
            name = _VI_TITLE_LINE.match(line).group()
            return _VI_NAME_TYPE[name]
        m = _ANNEX.search(self.plain[:1500])
        if m:
            return _VI_NAME_TYPE.get(m.group("type").upper(), "")
        if number:
            return _symbol_type(number) or "cong_van"
        for candidate in (self.title.strip(), self.lines[0][2] if self.lines else ""):
            m = _VI_TYPE_ANYCASE.match(candidate)
            if m and _VI_ARTICLES.search(self.plain):
                return _VI_NAME_TYPE[m.group().upper()]
        m = _VI_ADOPTED.search(self.plain[-3000:])
        if m:
            return _VI_NAME_TYPE.get(m.group("type").upper(), "")
        return "news" if self._is_news() else ""

    def _is_news(self) -> bool:
        body = self.plain[:6000]
        news = len(_VI_NEWS_SIGNS.findall(body))
        if _BYLINE.search(self.plain.rstrip()[-60:]) and not self.plain.rstrip().endswith((".", "?", "!", ":")):
            news += 1
        news += bool(_NEWS_SOURCE.search(self.source))
        explainer = len(_VI_EXPLAINER_SIGNS.findall(body))
        return news >= 2 and news > explainer

    # -- dates

    def _dates(self, doc_type: str) -> list[DatedMention]:
        out = []
        own_name = DOC_TYPES[doc_type][1].lower() if doc_type and doc_type != "news" else None
        for m in _VI_DATE.finditer(self.plain):
            g = m.groups()
            day = int(g[0])
            month, year = next((int(g[i]), int(g[i + 1])) for i in (1, 3, 5, 7) if g[i])
            iso = _iso(year, month, day)
            if iso:
                out.append(DatedMention(iso, self._date_role(m.start(), m.end(), own_name), m.start(), m.end()))
        return out

    def _date_role(self, start: int, end: int, own_name: str | None) -> str:
        before = _sentence_before(self.plain, start)
        line_start = self.plain.rfind("\n", 0, start) + 1
        on_line = self.plain[line_start:start]
        if start < self.head_end + 5 and _VI_PLACE_DATE.search(on_line):
            return "issued"
        if _VI_EFFECTIVE.search(before[-60:]):
            return "effective"
        near = before[-80:]
        annex = _ANNEX.search(self.plain[:1500])
        if annex and annex.group("date") and annex.start("date") <= start < annex.end("date"):
            return "issued"
        names = "Bộ luật|Luật|Hiến pháp|Pháp lệnh|Nghị quyết" + (f"|{own_name}" if own_name else "")
        if re.search(rf"(?:{names}) này (?:đã )?được .{{0,160}}thông qua\s*ngày\s*$", before, re.I | re.S):
            return "adopted"
        if _VI_SYMBOL.search(near) or re.search(r"\bsố\b", near, re.I) or _VI_CITED_LEAD.match(before.strip()):
            return "cited"
        if own_name:
            after = _sentence_after(self.plain, end, 250)
            if re.search(rf"\bban hành\s+(?:{own_name})\b(?!\s+số)", before + after, re.I):
                return "issued"
        return "other"

    # -- issuer and signature

    def _issuer(self, doc_type: str) -> str:
        organs: list[str] = []
        for _, _, line in self.head_lines:
            words = _upper_run(line)
            if not words:
                continue
            if organs and not _VI_ORG_HEAD.match(words):
                organs[-1] = f"{organs[-1]} {words}"
            else:
                organs.append(words)
        if organs:
            return organs[-1]
        m = _ANNEX.search(self.plain[:1500])
        if m and m.group("org"):
            return _clean_org(m.group("org"))
        m = _VI_ADOPTED.search(self.plain[-3000:])
        if m:
            return _clean_org(m.group("org"))
        _, _, seal = self._signature()
        if seal:
            return seal
        own_name = DOC_TYPES[doc_type][1] if doc_type and doc_type != "news" else None
        if own_name:
            m = re.search(
                rf"((?:{_VI_ORG_START.pattern})[^.;:,\n]{{0,60}}?)\s+(?:đã\s+)?(?:họp\s+(?:và\s+)?)?(?:thống nhất\s+)?ban hành\s+{own_name}\b",
                self.plain,
                re.I,
            )
            if m:
                return _clean_org(m.group(1))
        return ""

    def _signature(self) -> tuple[str, str, str]:
        """(signer name, signer title, issuing body from the signature block and seal).

        The block starts at the last "TM./T/M/KT." mark or the last line that opens with a
        position in capitals; an appendix may follow it, so it is not simply the end.
        """
        mark_at, organ = None, ""
        for i in range(len(self.lines) - 1, max(-1, len(self.lines) - 400), -1):
            line = self.lines[i][2]
            m = _VI_SIGN_MARK.search(line)
            if m or re.match(_VI_SIGN_TITLE.pattern.replace("(?:^|\\s)", "^", 1), line):
                mark_at = i
                if m and m.group(1).upper().startswith("T"):
                    organ = m.group(2).strip()
                if i > 0 and not organ:
                    m = _VI_SIGN_MARK.search(self.lines[i - 1][2])
                    if m:
                        mark_at, organ = i - 1, m.group(2).strip() if m.group(1).upper().startswith("T") else ""
                break
        if mark_at is None:
            return "", "", ""
        title, name, seal_parts = "", "", []
        for _, _, line in self.lines[mark_at : mark_at + 30]:
            t = _VI_SIGN_TITLE.search(line)
            if t and not name:
                title = " ".join(t.group(1).split())
            n = _VI_NAME_AT_END.search(line)
            if n and not name:
                words = n.group(1).split()
                if words[0] in _SURNAMES and not line.rstrip().endswith((";", ",", ".")):
                    name = " ".join(words)
            if not name and line.isupper() and not t and not _VI_SIGN_MARK.search(line) and len(line) < 40:
                seal_parts.append(line)
        seal = " ".join(seal_parts)
        organ_key = organ.replace("UỶ", "ỦY")
        issuer = seal if seal and organ_key and seal.replace("UỶ", "ỦY").startswith(organ_key) else ""
        return name, title, issuer

    # -- places

    def _places(self) -> tuple[Place, ...]:
        found: list[tuple[Place, int, bool]] = []
        head_end = self.head_end
        lists = distribution_spans(self.text)
        for m in _VI_LEVEL.finditer(self.plain):
            if _inside(lists, m.start()):
                continue  # "Nơi nhận: - UBND tỉnh X": whom a copy goes to is not where the text applies
            for place, pos in _vi_places_at(self.plain, m):
                found.append((place, pos, pos < head_end))
        for m in _VI_LEVEL.finditer(self.title):
            for place, _ in _vi_places_at(self.title, m):
                found.append((place, -1, True))
        return _rank_places(found)


_VI_ARTICLES = re.compile(r"(?m)^\W*Điều 1\b")
_ANNEX = re.compile(
    r"\((?:Ban hành )?[Kk]èm theo (?P<type>Công văn|Nghị quyết|Nghị định|Quyết định|Kế hoạch|Thông tư|Chỉ thị|"
    r"Chương trình|Hướng dẫn|Thông báo|Quy định|Quy chế|Báo cáo|Tờ trình|Kết luận|Đề án)"
    r"(?:\s+số)?\s*(?P<number>" + _VI_SYMBOL.pattern + r")?,?\s*(?:ngày\s*(?P<date>[^()]{6,24}?\d{4}))?"
    r"(?:\s+của\s+(?P<org>[^()]+?))?\s*\)",
)
_VI_ADOPTED = re.compile(
    r"(?P<type>Bộ luật|Luật|Hiến pháp|Nghị quyết|Pháp lệnh) này (?:đã )?được (?P<org>Quốc hội|Ủy ban [Tt]hường vụ [Qq]uốc hội|"
    r"Hội đồng nhân dân[^,]{0,40})[^.]{0,160}?thông qua\s*ngày",
)


def _symbol_year(symbol: str) -> int | None:
    m = re.search(r"/((?:19|20)\d{2})/", symbol)
    return int(m.group(1)) if m else None


def _symbol_type(symbol: str) -> str:
    """The document type a symbol's code names: 60-NQ/TW -> nghi_quyet, 123/QĐ-UBND -> quyet_dinh."""
    m = re.match(r"\d+[a-z]?-([A-Za-zĐđ]+)/", symbol)
    if m:
        return _VI_CODE_TYPE.get(m.group(1), "")
    m = re.match(r"\d+[a-z]?(?:/\d{4})?/([A-Za-zĐđ]+)-", symbol)
    if m:
        return _VI_CODE_TYPE.get(m.group(1), "")
    return ""


def _upper_run(line: str) -> str:
    """The upper-case words of a header line (the issuing body), without the number or date."""
    line = re.sub(r"\bSố\b.*|(?:\S+\s+){0,4}\S+,\s*ngày\b.*", "", line)
    alpha = [w for w in line.split() if any(c.isalpha() for c in w)]
    words = [w for w in alpha if w.isupper()]
    text = " ".join(words)
    return text if len(text) >= 3 and len(words) >= 0.6 * len(alpha) else ""


def _clean_org(org: str) -> str:
    org = re.sub(r"\s+", " ", org).strip(" ,.;:")
    org = re.sub(r"\s+(?:nước Cộng hòa.*|khóa [IVXLC]+.*|khoá [IVXLC]+.*)$", "", org)
    return org


def _vi_places_at(text: str, m: re.Match) -> list[tuple[Place, int]]:
    """The place(s) named after the level word of match `m` ("các xã A, B và C" gives three)."""
    level_word = m.group(1).lower().rstrip(".")
    level_word = {"tp": "thành phố", "tx": "thị xã"}.get(level_word, level_word)
    upper_context = m.group(1).isupper() and level_word not in ("thành phố", "thị xã") or m.group(1).isupper() and len(m.group(1)) > 3
    pos = m.end()
    out = []
    while True:
        name, end = _vi_name(text, pos, level_word, upper_context)
        if not name:
            break
        if level_word == "thành phố":
            level = PROVINCE if name.lower() in _VI_CENTRAL_CITIES else DISTRICT
        else:
            level = _VI_LEVEL_OF[level_word]
        out.append((Place(f"{level_word} {name}", level), m.start()))
        plural = text[max(0, m.start() - 4) : m.start()].lower().endswith("các ")
        nxt = re.match(r"\s*(?:,|và)\s*", text[end:])
        if not (plural and nxt):
            break
        pos = end + nxt.end()
    return out


def _vi_name(text: str, pos: int, level_word: str, upper_context: bool) -> tuple[str, int]:
    """The proper name that starts at `pos`, proper-cased, and where it ends ("" if none)."""
    m = re.match(r"(HCM|HN)\b", text[pos:])
    if m and level_word == "thành phố":
        return _VI_ABBREVIATED[m.group(1).lower()], pos + m.end()
    m = re.match(r"\d{1,2}\b(?!\s*[/%.,]\d)(?!\s+(?:tháng|năm|ngày|giờ|tuổi|người|hộ|lần|km|m2|phút|đến)\b)", text[pos:])
    if m and level_word in ("quận", "phường"):
        return m.group(), pos + m.end()
    words: list[str] = []
    end = pos
    abbreviated = text[max(0, pos - 2) : pos] in (". ", ".\n")
    for w in re.finditer(r"(\s{0,2}[-–—]\s{0,2}|\s?\n?\s?)?([^\W_]+)", text[pos : pos + 80]):
        if w.start() != end - pos:
            break
        sep, word = w.group(1) or "", w.group(2)
        if words and not sep.strip(" \n") and sep == "":
            break
        if "\n\n" in sep or not word[0].isupper() or word.isdigit() and words:
            break
        if upper_context != word.isupper() and len(word) > 1:
            break
        if words and word.capitalize() in _SURNAMES and len(words) >= 2:
            break
        if len(words) >= 5:
            break
        if not words and word.lower() in _VI_NOT_NAME_START:
            return "", pos
        words.append(word if not word.isupper() or len(word) == 1 else word.capitalize())
        if re.search("[-–—]", sep):
            words[-1] = "- " + words[-1]
        end = pos + w.end()
    if words and words[-1] == "A" and len(words) == 1:
        words = []
    if not words:
        return "", pos
    if (level_word == "tỉnh" or abbreviated) and len(words) < 2 or " ".join(words) in _COUNTRIES:
        return "", pos
    if level_word in ("tỉnh", "thành phố") and len(words) >= 3 and words[0] in _SURNAMES \
            and "-" not in " ".join(words) and " ".join(words).lower() not in _VI_CENTRAL_CITIES:
        # "UBND tỉnh Lê Trí Thanh", "Chủ tịch UBND thành phố Nguyễn Đức Chung": a person named after
        # an elided province or city (no province or city has a three-word name led by a surname)
        return "", pos
        return "", pos
    return " ".join(words), end


# ---------------------------------------------------------------- Chinese

_ZH_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_ZH_NUM = "〇零○一二三四五六七八九十"
_ZH_DATE = re.compile(
    rf"(民[國国]\s*)?(\d{{4}}|\d{{3}}|[〇零○一二三四五六七八九]{{4}})\s{{0,2}}年\s{{0,2}}(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})"
    rf"\s{{0,2}}月\s{{0,2}}(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s{{0,2}}[日号]"
)
# 国办发〔2020〕23号, 沪府规〔2021〕5号; 国务院令第431号; 第12号
_ZH_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔［\[（(【]\s*(?:19|20)\d{2}\s*[〕］\]）)】]\s*第?\s*\d{1,5}\s*号")
_ZH_ORDER = re.compile(rf"(?:中华人民共和国)?([\u4e00-\u9fff、]{{0,24}}(?:令|公告))\s*[（(]?\s*第\s*([\d{_ZH_NUM}百]+)\s*号")
_ZH_BARE_NO = re.compile(rf"^[（(]?\s*第\s*([\d{_ZH_NUM}百]+)\s*号\s*[）)]?$")
_ZH_EVENT = re.compile(r"(通过|通過|修正|修订|修訂|批准|公布|公佈|发布|發布|施行|修改)")
_ZH_EVENT_ROLE = {"通过": "adopted", "通過": "adopted", "修正": "amended", "修订": "amended", "修訂": "amended",
                  "修改": "amended", "批准": "approved", "公布": "issued", "公佈": "issued", "发布": "issued",
                  "發布": "issued", "施行": "effective"}
# Longest suffix first; traditional forms map to the simplified label.
_ZH_TYPE_SUFFIXES = [
    ("实施细则", "xize"), ("细则", "xize"), ("細則", "xize"), ("规则", "guize"), ("規則", "guize"),
    ("条例", "tiaoli"), ("條例", "tiaoli"), ("办法", "banfa"), ("辦法", "banfa"), ("规定", "guiding"),
    ("規定", "guiding"), ("决定", "jueding"), ("決定", "jueding"), ("决议", "jueyi"), ("決議", "jueyi"),
    ("解释", "jieshi"), ("解釋", "jieshi"), ("通知", "tongzhi"), ("意见", "yijian"), ("意見", "yijian"),
    ("报告", "baogao"), ("報告", "baogao"), ("答复", "dafu"), ("答覆", "dafu"), ("答复意见", "dafu"),
    ("方案", "fangan"), ("公告", "gonggao"), ("通告", "tonggao"), ("批复", "pifu"), ("批覆", "pifu"),
    ("函", "han"), ("法", "fa"),
]
_ZH_NAME_LABEL = re.compile(r"^法[規规]名[稱称]\s*[:：]\s*")
_ZH_LABELLED_MONTH = re.compile(r"(?:日期|时间|時間)\s*[:：]\s*(民[國国]\s*)?(\d{3,4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_ZH_STATUTE = {"xize", "guize", "tiaoli", "banfa", "guiding", "jieshi", "fa"}
_ZH_ARTICLES = re.compile(r"(?m)^\W*第\s*[一1]\s*[条條](?!\S*例)")
_ZH_NEWS_SIGNS = re.compile(
    r"记者|記者|通讯员|本报讯|本報訊|来源[:：]|責任編輯|责任编辑|新闻网|新聞網|据.{2,12}介绍|报道|報導|本篇文章\d+字|"
    r"编辑[:：]|客户端|微信公众|讯\s"
)
_ZH_MESSAGE_SIGNS = re.compile(r"尊敬的|您好|本人|我们是|我是|请问|希望|恳请|盼复|投诉|举报")
_ZH_SUFFIX = re.compile(r"居民区|自治区|自治州|自治县|街道|社区|社區|小区|小區|[省市区區县縣镇鎮乡鄉村]")
_ZH_LEVEL = {"省": PROVINCE, "自治区": PROVINCE, "自治州": CITY, "自治县": DISTRICT, "市": CITY, "区": DISTRICT, "區": DISTRICT, "县": DISTRICT,
             "縣": DISTRICT, "街道": WARD, "镇": WARD, "鎮": WARD, "乡": WARD, "鄉": WARD, "社区": COMMUNITY,
             "社區": COMMUNITY, "小区": COMMUNITY, "小區": COMMUNITY, "居民区": COMMUNITY, "村": COMMUNITY}
_ZH_MAX_NAME = {"省": 3, "自治区": 6, "自治州": 8, "自治县": 8, "市": 4, "区": 4, "區": 4, "县": 4, "縣": 4, "镇": 3, "鎮": 3, "乡": 3, "鄉": 3,
                "街道": 4, "社区": 4, "社區": 4, "小区": 5, "小區": 5, "居民区": 4, "村": 4}
# Characters that never sit inside a place name here: function words, pronouns, common verbs.
# 和 may end a name (祥和社区) and so stops the scan only further left.
_ZH_STOP_CHARS = set("的在是和与及了对向为由据从到将把被等各全本该我你他她们其每此这那有于以就也都而或并因所经让给要会能已还又后时"
                     "至近去来说称往离如个之即共请位住原不党委会局厅部处办省市区县镇乡村同进出号若需使令较更最很再才只仅均凡亦现年月日内届发副多"
                     "為並與於對將從這個們該應經時後會讓給區縣鎮鄉且屬")
# Last characters of names built from a common word: 大学路, 人民桥; such names are kept.
_ZH_PLACE_FINALS = set("路街道巷弄里亭桥岭坡山湖河江溪泉塘池洲岛湾港门口庄屯堡寨营店集铺坊坪园苑城台村")
_ZH_VERBISH = {"v", "vn", "vd", "ad", "d", "p", "c", "r", "vi", "vq"}
_ZH_TRAD_JOINED = {"地區", "轄區", "社區", "都市", "城市", "城鎮", "鄉鎮", "農村", "山區", "市區", "郊區", "園區", "景區"}
# Generic words that make "X小区", "X社区" a description, not a name.
_ZH_GENERIC = set(
    "老旧 住宅 高档 商品房 自建房 自建 农民 动迁 安置 改造 试点 所在 整个 周边 附近 每个 这个 那个 我们 你们 他们 其他 同一 "
    "示范 文明 智慧 和谐 美丽 新建 城市 农村 城乡 保障房 保障住房 安置房 经适房 商品 住宅区 居民 业主 相关 有关 当地 "
    "辖区 该地 本地 外地 全国 各地 一些 部分 多个 两个 三个 新 老 大 小 中心 重点 涉及 开放式 封闭式 无物业 物业 "
    "市辖 设区 不设区 直辖 地级 县级 乡级 镇级 村级 省级 市级 区级 社区级 基层 城区 郊区 山区 园区 景区 片区 开发 "
    "全市 全区 全县 全省 全镇 本市 本区 本县 本省 该市 该区 该县 周围 人民 群众 宜居 民族 自治 直轄 直辖 都 街道 社区 小区 "
    "農村 城鄉 公寓大廈 公寓 大廈".split()
)
_ZH_ORG_SUFFIX = re.compile(r"(?:委员会|人民政府|政府|办公厅|办公室|局|厅|部|委|院|办事处|中心|公司|大会|党委|总队|支队)$")
_ZH_SIGN_TITLE = re.compile(r"^(?:国务院)?(主席|总理|省长|市长|区长|县长|主任|书记|局长|部长|院长|厅长|镇长|乡长)\s*([\u4e00-\u9fff]{2,3})$")


class _Chinese:
    def __init__(self, text: str, title: str, source: str):
        self.text = text
        self.plain = _plain(text)
        self.title = title.strip()
        self.source = source
        self.lines = _lines(self.plain)
        self.head = self._statute_header()

    def _statute_header(self) -> list[tuple[int, int, str]]:
        """The dated event lines that open a statute ("2019年11月27日 ...会议通过"), possibly in parentheses
        and wrapped across lines, up to the first article or chapter."""
        head: list[tuple[int, int, str]] = []
        for line in self.lines[:14]:
            text = line[2]
            if _ZH_ARTICLES.match(text) or re.match(r"^\W*第[一二1]\s*[章編编]|^目\s*录", text) or line[0] > 1200:
                break
            if _ZH_EVENT.search(text) and len(text) < 250 and (_ZH_DATE.search(text) or head):
                head.append(line)
            elif head:
                break
        return head

    def _events(self) -> list[tuple[re.Match, str, str]]:
        """The header's (date match, role, text between the date and its event word) in order."""
        if not self.head:
            return []
        start, end = self.head[0][0], self.head[-1][1]
        matches = list(_ZH_DATE.finditer(self.plain, start, end))
        out = []
        for i, m in enumerate(matches):
            stop = matches[i + 1].start() if i + 1 < len(matches) else end
            segment = self.plain[m.end() : stop]
            event = _ZH_EVENT.search(segment)
            if event:
                out.append((m, _ZH_EVENT_ROLE[event.group()], segment[: event.start()]))
                continue
            line_start = self.plain.rfind("\n", 0, m.start()) + 1
            event = _ZH_EVENT.search(self.plain, line_start, m.start())
            out.append((m, _ZH_EVENT_ROLE[event.group()] if event else "other", ""))
        return out

    def meta(self) -> DocMeta:
        doc_type = self._doc_type()
        dates = self._dates()
        number = self._number()
        issue = self._issue_date(dates)
        if not issue:
            published = _published(self.plain, self.lines, "zh", doc_type)
            if published:
                dates = _with_published(dates, published)
                issue = published.date
        year = int(issue[:4]) if issue else None
        if year is None:
            m = re.search(r"[〔［\[（(【]\s*((?:19|20)\d{2})\s*[〕］\]）)】]", number)
            year = int(m.group(1)) if m else self._labelled_year()
        signer = ""
        signer_title = ""
        for _, _, line in self.lines[-8:] + self.head:
            m = _ZH_SIGN_TITLE.match(line)
            if m:
                signer_title, signer = m.group(1), m.group(2)
        refs = tuple(dict.fromkeys(m.group() for m in _ZH_DOCNO.finditer(self.plain) if m.group() != number))
        return DocMeta(
            doc_type=doc_type,
            doc_type_name=DOC_TYPES[doc_type][1] if doc_type else "",
            number=number,
            issue_date=issue,
            year=year,
            issuer=self._issuer(),
            signer=signer,
            signer_title=signer_title,
            places=self._places(),
            dates=tuple(dates),
            references=refs[:20],
        )

    # -- type

    def _labelled_year(self) -> int | None:
        """The year of a labelled date without its day near the top ("製表日期：113年5月")."""
        for _, _, line in self.lines[:5]:
            m = _ZH_LABELLED_MONTH.search(line)
            if m:
                year = int(m.group(2))
                return year + 1911 if m.group(1) or year < 1000 else year
        return None

    def _doc_title(self) -> str:
        # a statute database page names the statute on a labelled line, whatever banner opens it
        named = [line for _, _, line in self.lines[:8] if _ZH_NAME_LABEL.match(line)]
        title = named[0] if named else self.title
        if not title and self.lines:
            # a red-header notice opens with "X文件" and its number; the title line comes next
            heads = [line for _, _, line in self.lines[:5] if re.search(r"关于|關於", line)
                     and line.endswith(tuple(suffix for suffix, _ in _ZH_TYPE_SUFFIXES))]
            title = heads[0] if heads else self.lines[0][2]
        title = _ZH_NAME_LABEL.sub("", title)
        title = re.sub(r"[（(](?:草案|试行|試行|修正|修订|修訂|\d{4}年?[^）)]*)[）)]$", "", title.strip())
        return title.strip("《》 ")

    def _doc_type(self) -> str:
        title = self._doc_title()
        statute = bool(self.head) or bool(_ZH_ARTICLES.search(self.plain[:20000]))
        for suffix, slug in _ZH_TYPE_SUFFIXES:
            if title.endswith(suffix):
                if slug in _ZH_STATUTE and not statute:
                    continue
                if slug in ("jueding", "jueyi") and not (statute or "关于" in title or "關於" in title):
                    continue
                if slug not in _ZH_STATUTE | {"jueding", "jueyi"} and not (
                    "关于" in title or "關於" in title or title == suffix or self._number()
                ):
                    continue
                return slug
        first = self.lines[0][2] if self.lines else ""
        if re.match(r"^[\u4e00-\u9fff（）()]{2,40}关于.{2,80}的(通知|决定|意见|报告|答复|方案|公告|通告|批复|函)$", first):
            return dict(_ZH_TYPE_SUFFIXES)[first[-2:] if first[-1] != "函" else "函"]
        body = self.plain[:8000]
        news = len(_ZH_NEWS_SIGNS.findall(body)) + bool(_NEWS_SOURCE.search(self.source))
        message = len(_ZH_MESSAGE_SIGNS.findall(body[:600]))
        return "news" if news >= 1 and news >= message else ""

    # -- number

    def _number(self) -> str:
        for _, _, line in self.lines[:8] + self.head:
            m = _ZH_DOCNO.search(line)
            if m and not re.search(r"[《〈]", line[: m.start()]):
                return re.sub(r"\s+", "", m.group())
            m = _ZH_ORDER.search(line)
            if m:
                return f"{m.group(1)}第{m.group(2)}号"
            m = _ZH_BARE_NO.match(line)
            if m:
                return f"第{m.group(1)}号"
        return ""

    # -- dates

    def _dates(self) -> list[DatedMention]:
        out = []
        events = {m.start(): role for m, role, _ in self._events()}
        tail_start = self.lines[-6][0] if len(self.lines) >= 6 else 0
        for m in _ZH_DATE.finditer(self.plain):
            iso = _zh_iso(m)
            if not iso:
                continue
            role = "other"
            line_end = self.plain.find("\n", m.end())
            after = self.plain[m.end() : line_end if line_end != -1 else len(self.plain)]
            before = self.plain[max(0, m.start() - 30) : m.start()]
            if m.start() in events:
                role = events[m.start()]
            elif re.match(r"\s*起?\s*(?:施行|实施|生效)", after) or before.endswith(("自", "于")) and "施行" in after[:12]:
                role = "effective"
            elif m.start() >= tail_start and not after.strip(" 。.") and len(self.plain[self.plain.rfind("\n", 0, m.start()) + 1 : m.start()].strip()) == 0:
                role = "issued"
            elif re.search(r"[《〈]|[〔［\[]\d{4}[〕］\]]", before + after[:30]):
                role = "cited"
            out.append(DatedMention(iso, role, m.start(), m.end()))
        return out

    def _issue_date(self, dates: list[DatedMention]) -> str:
        signed = [d for d in dates if d.role == "issued" and not any(s <= d.start < e for s, e, _ in self.head)]
        if signed:
            return signed[-1].date
        versions = [d.date for d in dates if d.role in ("issued", "adopted", "amended", "approved")
                    and any(s <= d.start < e for s, e, _ in self.head)]
        return max(versions) if versions else ""

    # -- issuer

    def _issuer(self) -> str:
        events = self._events()
        for wanted in ("issued", "adopted"):
            for _, role, body in events:
                org = _zh_event_body(body) if role == wanted else ""
                if org:
                    return org
        tail = self.lines[-6:]
        for i, (_, _, line) in enumerate(tail):
            if _ZH_DATE.fullmatch(line.strip()) and i > 0:
                org = tail[i - 1][2].strip()
                if _ZH_ORG_SUFFIX.search(org) and len(org) <= 40:
                    return org
        title = self._doc_title()
        m = re.match(r"^(.{2,40}?)关于", title)
        if m and _ZH_ORG_SUFFIX.search(m.group(1)):
            return m.group(1)
        first = self.lines[0][2] if self.lines else ""
        m = re.match(r"^(.{2,30}?)(?:文件|关于)", first)
        if m and _ZH_ORG_SUFFIX.search(m.group(1)):
            return m.group(1)
        return ""

    # -- places

    def _places(self) -> tuple[Place, ...]:
        found: list[tuple[Place, int, bool]] = []
        head_end = self.head[-1][1] if self.head else (self.lines[0][1] if self.lines else 0)
        lists = distribution_spans(self.text)
        for text, offset in ((self.title, -1), (self.plain, 0)):
            last_end = 0
            for m in _ZH_SUFFIX.finditer(text):
                if offset == 0 and _inside(lists, m.start()):
                    continue  # "抄送：市政府办公厅，XX区人民政府": copies, not where the text applies
                name = _zh_place_name(text, m, last_end)
                if name:
                    suffix = m.group()
                    found.append((Place(name + suffix, _ZH_LEVEL[suffix]), m.start() if offset == 0 else -1,
                                  offset == -1 or m.start() < head_end))
                    last_end = m.end()
        return _rank_places(found)


def _zh_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if all(c in _ZH_DIGITS for c in s):
        return int("".join(str(_ZH_DIGITS[c]) for c in s))
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)
    return _ZH_DIGITS.get(s, 0)


def _zh_iso(m: re.Match) -> str:
    roc, y, mo, d = m.groups()
    year = _zh_int(y)
    if roc or len(y) == 3:
        year += 1911
    return _iso(year, _zh_int(mo), _zh_int(d))


def _zh_event_body(body: str) -> str:
    """The body that acted in a statute's event: "上海市第十五届人民代表大会常务委员会第十三次会议" -> 上海市人民代表大会常务委员会."""
    org = re.sub(r"\s+", "", body).strip("（()）")
    org = re.sub(r"(?:中华人民共和国)?([\u4e00-\u9fff、]{2,24}?)(?:令|公告)第[\d" + _ZH_NUM + r"百]+号", r"\1", org)
    org = re.sub(r"第[\d" + _ZH_NUM + r"百]+届", "", org)
    org = re.sub(r"第[\d" + _ZH_NUM + r"百]+次(?:常务|全体)?会议.*$", "", org)
    org = re.sub(r"(?:公告|审议|会议|审判委员会|检察委员会|政治局会议|政治局)+$", "", org)
    if "《" in org or "〈" in org or len(org) < 2:
        return ""
    return org


_jieba_lock = threading.Lock()
_jieba_state: tuple[dict[str, int], dict[str, str]] | None = None
# A dictionary word this frequent in jieba's counts is a common word ("委托", "城市"), not a name.
_COMMON_WORD_FREQ = 500
_JOINED_WORD_FREQ = 100


def _zh_dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies and part-of-speech tags, loaded once (only Chinese documents need them)."""
    global _jieba_state
    with _jieba_lock:
        if _jieba_state is None:
            from jieba import posseg

            from .segment import _jieba

            tokenizer = _jieba()
            tokenizer.check_initialized()
            _jieba_state = (tokenizer.FREQ, posseg.POSTokenizer(tokenizer).word_tag_tab)
    return _jieba_state


def _zh_place_name(text: str, m: re.Match, last_end: int) -> str:
    """The name before place suffix match `m`, or "" when what precedes is not a place name.

    The left edge of a name is found by scanning back over name characters until a function
    word, punctuation, a previous place, or the length limit of the suffix; jieba's dictionary
    then settles known names (its "ns" words) and rejects common words ("委托社区", "城市").
    """
    suffix = m.group()
    start = m.start()
    after = text[m.end() : m.end() + 1]
    if suffix == "市" and after in ("场", "民", "值", "面", "容", "政") or suffix in ("乡", "鄉") and after in (
        "镇", "鎮", "村", "土", "亲", "下", "愁", "贤"
    ):
        return ""
    if suffix in ("区", "區") and (text[start - 1 : start] in ("社", "小") or after in ("分", "域", "隔", "別", "别")):
        return ""
    ascii_name = re.search(r"[A-Za-z0-9]+$", text[max(last_end, start - 6) : start])
    if ascii_name:  # numbered or anonymised units: K1区, A市, E5县
        name = ascii_name.group()
        return name if re.fullmatch(r"[A-Z][A-Z0-9]{0,3}|\d{1,3}", name) else ""
    freq, tags = _zh_dictionary()
    limit = _ZH_MAX_NAME[suffix]
    # A known place name (jieba tags it ns) that starts at a boundary: 和平区, 浦东新区, 郑州市.
    for k in range(min(limit + 2, start - last_end), 1, -1):
        candidate = text[start - k : start]
        if tags.get(candidate + suffix) != "ns" or not _is_name_chars(candidate) or _zh_generic(candidate, freq, tags):
            continue
        if candidate[-1] + suffix in _ZH_TRAD_JOINED or candidate[-1] + suffix in ("城镇", "乡镇", "村镇", "乡村"):
            continue  # 大中城市, 文明城市: "city", not a named one
        left = start - k
        edge = text[left - 1 : left]
        if left <= last_end or not edge or edge in _ZH_STOP_CHARS or not _is_name_chars(edge) or any(
            freq.get(text[left - j : left], 0) >= _JOINED_WORD_FREQ for j in (2, 3)
        ):
            return candidate
    name = []
    i = start - 1
    while i >= last_end and len(name) <= limit:
        c = text[i]
        if c in _ZH_STOP_CHARS and not (c == "和" and not name) or not ("\u4e00" <= c <= "\u9fff"):
            break
        name.append(c)
        i -= 1
    if len(name) > limit:
        return ""
    name = "".join(reversed(name))
    if len(name) < 2 or _zh_generic(name, freq, tags) or suffix.startswith("自治") and not name.endswith("族"):
        return ""
    if name.endswith("和") and name[-2:] not in freq:
        return ""  # 门和街道: "and", not part of a name like 祥和社区
    if len(suffix) == 1 and (freq.get(name[-1] + suffix, 0) >= _JOINED_WORD_FREQ or name[-1] + suffix in _ZH_TRAD_JOINED):
        return ""  # 城市, 农村, 辖区: a common word, not name + suffix
    words = _zh_words(name) + [name[:j] for j in range(2, len(name))]
    if len(name) > 2 and name[-1] not in _ZH_PLACE_FINALS and any(
        len(w) > 1 and freq.get(w, 0) >= _COMMON_WORD_FREQ and tags.get(w) != "ns" for w in words
    ):
        return ""  # 合理配置街道, 组织西龙村
    return name


def _zh_generic(name: str, freq: dict[str, int], tags: dict[str, str]) -> bool:
    """True for descriptions and common words: 老旧(小区), 住宅(小区), 委托(社区), 督促(区)."""
    if name in _ZH_GENERIC or any(name.startswith(g) or name.endswith(g) for g in _ZH_GENERIC if len(g) >= 2):
        return True
    if tags.get(name) == "ns":
        return False
    return freq.get(name, 0) >= _COMMON_WORD_FREQ or tags.get(name) in _ZH_VERBISH and freq.get(name, 0) >= 20


def _zh_words(name: str) -> list[str]:
    from .segment import _jieba

    return _jieba().lcut(name, HMM=False)


def _is_name_chars(s: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" or c.isascii() and c.isalnum() for c in s)
