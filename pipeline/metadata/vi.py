"""Vietnamese metadata: document type, number, dates, issuer, signer and places.

The layout these rules read is the one state and party documents share: a header of two columns
(the issuing body left, the national or party motto right), "Số: 49/2026/NĐ-CP" and "Hà Nội, ngày
31 tháng 01 năm 2026" under them, the type in capitals ("NGHỊ ĐỊNH"), and a signature block at the
end ("TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG / name"). Laws without a header close with
"Luật này được Quốc hội ... thông qua ngày ...". Header lines as OCR reads them are repaired first
(a type without its tone marks, a number with stray spaces, a letter for a digit in the date).
"""
from __future__ import annotations

import re
import unicodedata

from ..lang.vi import strip_diacritics
from ..normalize import distribution_spans
from .dates import PublicationRules, iso_date
from .places import rank_places
from .record import document_meta
from .text import NEWS_SOURCE, blank_markup, inside_any, nonblank_lines, sentence_after, sentence_before
from .types import DISTRICT, DOC_TYPES, PROVINCE, WARD, DatedMention, DocMeta, Place

# Latin capitals and small letters as used by Vietnamese, for character classes.
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper() and unicodedata.name(c).startswith("LATIN"))
_LOWER = "".join(c for c in map(chr, range(0x61, 0x1EFA)) if c.isalpha() and c.islower() and unicodedata.name(c).startswith("LATIN"))
_CAP_WORD = rf"[{_UPPER}][^\W\d_]*"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+"

# slug, header names (upper case), symbol codes
_TYPES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
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
_CODE_TYPE = {code: slug for slug, _, codes in _TYPES for code in codes}
_NAME_TYPE = {name: slug for slug, names, _ in _TYPES for name in names}
_TYPE_WORDS = "|".join(sorted((n for n in _NAME_TYPE), key=len, reverse=True))
# A title line: the type in capitals, alone or followed by what the document is about.
_TITLE_LINE = re.compile(rf"^(?:{_TYPE_WORDS})(?=$|\s|:)")
_TYPE_ANYCASE = re.compile(rf"(?:{_TYPE_WORDS})", re.I)

# 01-CTr/QU, 60-NQ/TW (party); 49/2026/NĐ-CP, 123/QĐ-UBND, 72/2025/QH15 (state).
_SYMBOL = re.compile(
    r"(?<![\w/.-])\d{1,5}[a-z]?(?:-[A-ZĐ][A-Za-zĐđ]*(?:/[A-ZĐ][A-Za-zĐđ0-9]*)+"
    r"|(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9.]*)*)(?![\w/])"
)
_NUMBER_LINE = re.compile(rf"\bSố\s*:?\s*({_SYMBOL.pattern})")
_BLANK_NUMBER = re.compile(r"\bSố\s*:?\s*[.…]*\s*/(\d{4})/[A-ZĐ]")
_DATE = re.compile(
    r"(?<![\d/.])(\d{1,2})\s*(?:tháng\s*(\d{1,2})\s*,?\s*năm\s*(\d{4})|/\s*(\d{1,2})\s*/\s*(\d{4})"
    r"|-(\d{1,2})-(\d{4})|\.(\d{1,2})\.(\d{4}))(?![\d/])",
    re.I,
)
# "Hà Nội, ngày 16 tháng 6 năm 2025": a place and date line of a header.
_PLACE_DATE = re.compile(rf"(?:{_CAP_WORD}\s*){{1,4}},\s*ngày\s*$")
_MOTTO = re.compile(
    r"C[ỘO]NG\s+H(?:ÒA|OÀ)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM",
    re.I,
)
_SIGN_MARK = re.compile(r"(?:^|\s)(T/M|TM\.?|KT\.?|Q\.|TL\.|TUQ\.|TM/)\s*([" + _UPPER + r"][" + _UPPER + r" ]+)")
# A signer's position in capitals, at a line's start or end or before the name.
_SIGN_TITLE = re.compile(
    r"(?:^|\s)((?:NỮ\s+|PHÓ\s+|TỔNG\s+)*(?:CHỦ\s+TỊCH|BÍ\s+THƯ|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|GIÁM\s+ĐỐC"
    r"|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+BAN|TRƯỞNG\s+PHÒNG|CHỦ\s+NHIỆM|CHAIRMAN)"
    r"(?:\s+[" + _UPPER + r"]+)*)(?=\s*$|\s+" + _NAME_WORD + r")"
)
_SURNAMES = set(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Tô Vương Trịnh Đoàn "
    "Lương Lâm Mai Hà Cao Chu Tạ Thái Trương Đào Kiều Quách Tăng Lại Lưu Nông Mạc La Triệu Tôn Khổng "
    "Thân Phùng Hứa Châu Từ Giang Cù Âu Đàm Kim Chế Bạch Nghiêm Doãn Hầu Lò Văn Diệp Mẫn Ông Tống Khúc "
    "Nguyen Tran Le Pham Hoang Huynh Vu Vo Dang Bui Do Ho Ngo Duong Ly Dinh".split()
)
# A personal name: 2-5 capitalised syllables at the end of a line (not followed by ; , .).
_NAME_AT_END = re.compile(rf"(?:^|[\s;,:(-])((?:{_NAME_WORD}\s+){{1,4}}{_NAME_WORD})\s*$")
_ORG_HEAD = re.compile(
    r"^(?:ĐẢNG ỦY|ĐẢNG UỶ|ĐẢNG BỘ|CHI BỘ|ỦY BAN|UỶ BAN|UBND|HĐND|HỘI ĐỒNG|BAN |SỞ |PHÒNG |VĂN PHÒNG|CỤC |"
    r"TỔNG CỤC|VỤ |BỘ |QUẬN ỦY|THÀNH ỦY|TỈNH ỦY|HUYỆN ỦY|THỊ ỦY|CHÍNH PHỦ|TRƯỜNG |TRUNG TÂM|CÔNG AN|MẶT TRẬN)"
)
_ORG_START = re.compile(
    r"(?:Đảng (?:ủy|bộ)|Chi bộ|Ủy ban|UBND|HĐND|Hội đồng|Ban|Sở|Phòng|Văn phòng|Cục|Tổng cục|Bộ|"
    r"(?:Quận|Thành|Tỉnh|Huyện|Thị) ủy|Chính phủ|Quốc hội|Thủ tướng)\b"
)
_CITED_LEAD = re.compile(r"(?:Căn cứ|Thực hiện|Theo|theo|căn cứ|thực hiện|tại|kèm theo)\b")
_EFFECTIVE = re.compile(r"(?:hiệu lực(?: thi hành)?|áp dụng)\s*(?:kể\s*)?(?:từ|từ ngày|kể từ)?\s*(?:ngày)?\s*$", re.I)

# Place words; TP is the usual abbreviation of thành phố, TX. of thị xã.
_LEVEL = re.compile(
    r"(?<![^\W\d_])(thành phố|thị xã|thị trấn|tỉnh|quận|huyện|phường|xã|TP\.?|Tp\.?|TX\.)(?:[ \t]+|(?<=\.)|(?=HCM\b))(?=\S)",
    re.I,
)
_CENTRAL_CITIES = {"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"}
_ABBREVIATED = {"hcm": "Hồ Chí Minh", "hn": "Hà Nội"}
_COUNTRIES = {"Việt Nam", "Trung Quốc", "Lào", "Campuchia", "Thái Lan", "Nhật Bản", "Hàn Quốc", "Mỹ", "Pháp", "Nga"}
_NOT_NAME_START = {"ủy", "uỷ", "đội", "đoàn", "hội", "viên"}
_LEVEL_OF = {"tỉnh": PROVINCE, "quận": DISTRICT, "huyện": DISTRICT, "thị xã": DISTRICT,
             "phường": WARD, "xã": WARD, "thị trấn": WARD}
_NEWS_SIGNS = re.compile(
    r"\bẢnh\s*:|\(Ảnh|\bẢnh [A-ZĐ]|\bNguồn\b|\bcho biết\b|\bcho hay\b|\bphóng viên\b|\bPV\b|\bhọp báo\b|"
    r"\b(?:[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Đđ]êm|[Nn]gày|[Hh]ôm) (?:nay|qua|\d{1,2}/\d{1,2}(?!/))|"
    r"^\s*[A-Z][a-zA-Z]+\s+-\s+|\bTheo tin\b|\bChia sẻ\b|\(TTXVN\)|\bvừa (?:ký|ban hành|tổ chức|có|giao)",
    re.M,
)
_EXPLAINER_SIGNS = re.compile(
    r"\bCăn cứ (?:theo|tại)\b|\bQuý khách\b|\bNhư vậy,|\bquy định như sau\b|\bDưới đây là\b|\?\*\*|^#+ ",
    re.M,
)
_BYLINE = re.compile(rf"(?:^|[.!?”\"]\s+)((?:{_CAP_WORD}|[{_UPPER}]+)(?:\s+(?:{_CAP_WORD}|[{_UPPER}]+|-)){{1,5}})\s*$")

def _toneless_types() -> dict[str, str]:
    return {strip_diacritics(name): name for name in _NAME_TYPE}


_SPACED_SYMBOL = re.compile(r"(\d)\s+/\s*|\s*/\s+(?=[\dA-ZĐ])")
# A header date as OCR reads it: "ngày 3l tháng 01 năm 2026" (l, I or | for 1, O for 0 beside digits).
_OCR_DATE_PART = re.compile(r"(?<=\bngày )[\dlI|O]{1,2}(?= tháng)|(?<= tháng )[\dlI|O]{1,2}(?= năm)|(?<= năm )[\dlI|O]{4}\b")
_OCR_DIGITS = str.maketrans("lI|O", "1110")


def _repaired_head(lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The first lines of a Vietnamese document with what OCR typically breaks put back: a document type
    that lost its tone marks ("NGHI ĐINH" -> "NGHỊ ĐỊNH") and a number with stray spaces
    ("Số: 199 /2026/NĐ-CP" -> "Số: 199/2026/NĐ-CP"). Offsets are kept (the type names have the same
    length with or without marks, a number line only loses spaces)."""
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


# -- publication dates of news items and web pages

# A web page's posting line: "Ngày đăng: 26/06/2025 15:42", "Ngày đăng bài viết gốc: 14:30 | 17/03/2025".
_POSTED = re.compile(
    r"(?:Ngày đăng(?: bài(?: viết)?(?: gốc)?)?|Ngày cập nhật|Cập nhật lúc|Đăng lúc|Thời gian đăng)\s*:?\s*"
    r"(?:[Nn]gày\s+)?(?:\d{1,2}:\d{2}(?::\d{2})?\s*[|,-]?\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])"
)
# A news report's dateline: a time of day anywhere in the opening sentence ("vào sáng 22/5", "Chiều
# 26/6,"), or "Ngày 8/2/2017," opening the sentence (after a source or place prefix: "(VnMedia) -",
# "HÀ NỘI -"); "ngày" later in a sentence mostly dates a cited document. "từ/đến/trước ngày" are spans
# and deadlines.
_DAY_MONTH = r"(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?(?![\d/-])"
_DATELINE = re.compile(
    r"(?<![^\W\d_])(?<!từ )(?<!đến )(?<!trước )(?<!sau )(?:[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Đđ]êm|[Hh]ôm nay|[Hh]ôm qua)"
    r"\s+(?:ngày\s+)?" + _DAY_MONTH
    + r"|^\W*(?:\([^()]{2,30}\)\s*[-–]\s*|[^\W\d_]+(?:\s+[^\W\d_]+){0,3}\s+[-–]\s+)?(?:[Vv]ào\s+)?[Nn]gày\s+" + _DAY_MONTH
)
# A photo credit (capitalised names and an agency) that ends a caption run into the report
# ("... Ảnh: An Đăng -TTXVN Sáng 26/5, ...").
_CREDIT = re.compile(
    rf"\bẢnh\s*:\s*(?:[{_UPPER}\-/][^\s.,:;]*\s+){{1,5}}?(?=(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Hh]ôm)\s+\d)"
)


def _dateline_parts(m: re.Match[str]) -> tuple[int, int, str | None]:
    """A dateline's day, month and year (None when it gives none)."""
    day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    return int(day), int(month), year


def _same_day(day: int, month: int) -> str:
    """Day `day` of month `month` with its year: "22/5/2017", "ngày 22 tháng 5 năm 2017"."""
    return (rf"(?<![\d/.-])0?{day}\s*[/.-]\s*0?{month}\s*[/.-]\s*((?:19|20)\d{{2}})(?!\d)"
            rf"|(?<!\d)0?{day}\s+tháng\s+0?{month}\s*,?\s+năm\s+((?:19|20)\d{{2}})")


_PUBLICATION = PublicationRules(_POSTED, (1, 2, 3), _DATELINE, _dateline_parts, _same_day, _CREDIT)


def extract(text: str, title: str = "", source: str = "") -> DocMeta:
    """The metadata of a Vietnamese document (see `pipeline.metadata.extract_metadata`)."""
    return _Vietnamese(text, title, source).meta()


class _Vietnamese:
    def __init__(self, text: str, title: str, source: str):
        self.text = text
        self.plain = _repaired_dates(_MOTTO.sub(lambda m: " " * len(m.group()), blank_markup(text)))
        self.title = title
        self.source = source
        self.lines = _repaired_head(nonblank_lines(self.plain))
        self.head_lines, self.title_index = self._header()
        self.head_end = self.lines[self.title_index][0] if self.title_index is not None else (
            self.head_lines[-1][1] if self.head_lines else 0)

    # -- structure

    def _header(self) -> tuple[list[tuple[int, int, str]], int | None]:
        """The header lines (before the type line) and the index of the type line in `lines`."""
        for i, (start, _, line) in enumerate(self.lines[:16]):
            if start > 1500:
                break
            if _TITLE_LINE.match(line) and line.split(":")[0].isupper():
                return self.lines[:i], i
        head = []
        for line in self.lines[:6]:
            if _NUMBER_LINE.search(line[2]) or _BLANK_NUMBER.search(line[2]) or (
                    len(line[2]) < 120 and re.search(rf"(?:^|\s){_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}},\s*ngày\s+\d", line[2])):
                head = self.lines[: self.lines.index(line) + 1]
        return head, None

    def meta(self) -> DocMeta:
        number, symbol_year = self._number()
        doc_type = self._doc_type(number)
        dates = self._dates(doc_type)
        issue = next((d.date for d in dates if d.role == "issued"), "") or next(
            (d.date for d in dates if d.role == "adopted"), "")
        signer, signer_title, _ = self._signature()
        return document_meta(self.plain, self.lines, _PUBLICATION, _SYMBOL, doc_type, number, dates, issue,
                             lambda: symbol_year, self._issuer(doc_type), signer, signer_title, self._places())

    # -- number and type

    def _number(self) -> tuple[str, int | None]:
        for _, _, line in self.lines[:12]:
            m = _NUMBER_LINE.search(line)
            if m:
                return m.group(1), _symbol_year(m.group(1))
            m = _BLANK_NUMBER.search(line)
            if m:
                return "", int(m.group(1))
        m = _ANNEX.search(self.plain[:1500])
        if m and m.group("number"):
            return m.group("number"), _symbol_year(m.group("number"))
        if _SYMBOL.fullmatch(self.title.strip()):
            return self.title.strip(), _symbol_year(self.title.strip())
        return "", None

    def _doc_type(self, number: str) -> str:
        if self.title_index is not None:
            line = self.lines[self.title_index][2]
            name = _TITLE_LINE.match(line).group()
            return _NAME_TYPE[name]
        m = _ANNEX.search(self.plain[:1500])
        if m:
            return _NAME_TYPE.get(m.group("type").upper(), "")
        if number:
            return _symbol_type(number) or "cong_van"
        for candidate in (self.title.strip(), self.lines[0][2] if self.lines else ""):
            m = _TYPE_ANYCASE.match(candidate)
            if m and _ARTICLES.search(self.plain):
                return _NAME_TYPE[m.group().upper()]
        m = _ADOPTED.search(self.plain[-3000:])
        if m:
            return _NAME_TYPE.get(m.group("type").upper(), "")
        return "news" if self._is_news() else ""

    def _is_news(self) -> bool:
        body = self.plain[:6000]
        news = len(_NEWS_SIGNS.findall(body))
        if _BYLINE.search(self.plain.rstrip()[-60:]) and not self.plain.rstrip().endswith((".", "?", "!", ":")):
            news += 1
        news += bool(NEWS_SOURCE.search(self.source))
        explainer = len(_EXPLAINER_SIGNS.findall(body))
        return news >= 2 and news > explainer

    # -- dates

    def _dates(self, doc_type: str) -> list[DatedMention]:
        out = []
        own_name = DOC_TYPES[doc_type][1].lower() if doc_type and doc_type != "news" else None
        for m in _DATE.finditer(self.plain):
            g = m.groups()
            day = int(g[0])
            month, year = next((int(g[i]), int(g[i + 1])) for i in (1, 3, 5, 7) if g[i])
            iso = iso_date(year, month, day)
            if iso:
                out.append(DatedMention(iso, self._date_role(m.start(), m.end(), own_name), m.start(), m.end()))
        return out

    def _date_role(self, start: int, end: int, own_name: str | None) -> str:
        before = sentence_before(self.plain, start)
        line_start = self.plain.rfind("\n", 0, start) + 1
        on_line = self.plain[line_start:start]
        if start < self.head_end + 5 and _PLACE_DATE.search(on_line):
            return "issued"
        if _EFFECTIVE.search(before[-60:]):
            return "effective"
        near = before[-80:]
        annex = _ANNEX.search(self.plain[:1500])
        if annex and annex.group("date") and annex.start("date") <= start < annex.end("date"):
            return "issued"
        names = "Bộ luật|Luật|Hiến pháp|Pháp lệnh|Nghị quyết" + (f"|{own_name}" if own_name else "")
        if re.search(rf"(?:{names}) này (?:đã )?được .{{0,160}}thông qua\s*ngày\s*$", before, re.I | re.S):
            return "adopted"
        if _SYMBOL.search(near) or re.search(r"\bsố\b", near, re.I) or _CITED_LEAD.match(before.strip()):
            return "cited"
        if own_name:
            after = sentence_after(self.plain, end, 250)
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
            if organs and not _ORG_HEAD.match(words):
                organs[-1] = f"{organs[-1]} {words}"
            else:
                organs.append(words)
        if organs:
            return organs[-1]
        m = _ANNEX.search(self.plain[:1500])
        if m and m.group("org"):
            return _clean_org(m.group("org"))
        m = _ADOPTED.search(self.plain[-3000:])
        if m:
            return _clean_org(m.group("org"))
        _, _, seal = self._signature()
        if seal:
            return seal
        own_name = DOC_TYPES[doc_type][1] if doc_type and doc_type != "news" else None
        if own_name:
            m = re.search(
                rf"((?:{_ORG_START.pattern})[^.;:,\n]{{0,60}}?)\s+(?:đã\s+)?(?:họp\s+(?:và\s+)?)?(?:thống nhất\s+)?ban hành\s+{own_name}\b",
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
            m = _SIGN_MARK.search(line)
            if m or re.match(_SIGN_TITLE.pattern.replace("(?:^|\\s)", "^", 1), line):
                mark_at = i
                if m and m.group(1).upper().startswith("T"):
                    organ = m.group(2).strip()
                if i > 0 and not organ:
                    m = _SIGN_MARK.search(self.lines[i - 1][2])
                    if m:
                        mark_at, organ = i - 1, m.group(2).strip() if m.group(1).upper().startswith("T") else ""
                break
        if mark_at is None:
            return "", "", ""
        title, name, seal_parts = "", "", []
        for _, _, line in self.lines[mark_at : mark_at + 30]:
            t = _SIGN_TITLE.search(line)
            if t and not name:
                title = " ".join(t.group(1).split())
            n = _NAME_AT_END.search(line)
            if n and not name:
                words = n.group(1).split()
                if words[0] in _SURNAMES and not line.rstrip().endswith((";", ",", ".")):
                    name = " ".join(words)
            if not name and line.isupper() and not t and not _SIGN_MARK.search(line) and len(line) < 40:
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
        for m in _LEVEL.finditer(self.plain):
            if inside_any(lists, m.start()):
                continue  # "Nơi nhận: - UBND tỉnh X": whom a copy goes to is not where the text applies
            for place, pos in _places_at(self.plain, m):
                found.append((place, pos, pos < head_end))
        for m in _LEVEL.finditer(self.title):
            for place, _ in _places_at(self.title, m):
                found.append((place, -1, True))
        persons = _office_holders(self.plain, found)
        return rank_places([f for f in found if f[0].name not in persons])


_ARTICLES = re.compile(r"(?m)^\W*Điều 1\b")
_ANNEX = re.compile(
    r"\((?:Ban hành )?[Kk]èm theo (?P<type>Công văn|Nghị quyết|Nghị định|Quyết định|Kế hoạch|Thông tư|Chỉ thị|"
    r"Chương trình|Hướng dẫn|Thông báo|Quy định|Quy chế|Báo cáo|Tờ trình|Kết luận|Đề án)"
    r"(?:\s+số)?\s*(?P<number>" + _SYMBOL.pattern + r")?,?\s*(?:ngày\s*(?P<date>[^()]{6,24}?\d{4}))?"
    r"(?:\s+của\s+(?P<org>[^()]+?))?\s*\)",
)
_ADOPTED = re.compile(
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
        return _CODE_TYPE.get(m.group(1), "")
    m = re.match(r"\d+[a-z]?(?:/\d{4})?/([A-Za-zĐđ]+)-", symbol)
    if m:
        return _CODE_TYPE.get(m.group(1), "")
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


# An office held in a local body, just before the level word: "Chủ tịch UBND quận", "Bí thư Đảng ủy xã".
_OFFICE_BEFORE = re.compile(r"(?:Chủ tịch|Bí thư|Trưởng|Phó|Giám đốc|Chánh)\s+(?:[^\W\d_]+\s+){0,4}$")
# Not wards: city wards named after people ("phường Nguyễn Cư Trinh", "phường Phạm Đình Hổ") are
# often written only after their chairman's office, while the corpora showed no ward-level person.
_LOCAL_LEVELS = ("quận", "huyện", "thị xã", "xã", "thị trấn")


def _office_holders(text: str, found: list[tuple[Place, int, bool]]) -> set[str]:
    """Places that are a person named after an office whose body's own name the writer left out.

    "Chủ tịch UBND quận Nguyễn Song Hào phát động": the news names the district elsewhere and the
    chairman here. A name of three or more words led by a surname, at district or commune level, that
    the text only ever writes after such an office, is taken for a person (on vi-gov: 8 names, all
    people). One the text also writes without an office before it is kept.
    """
    titled: dict[str, bool] = {}
    for place, pos, _ in found:
        level_word = next((w for w in _LOCAL_LEVELS if place.name.startswith(w + " ")), None)
        words = place.name[len(level_word or "") :].split()
        if level_word is None or len(words) < 3 or words[0] not in _SURNAMES:
            continue
        after_office = pos >= 0 and bool(_OFFICE_BEFORE.search(text[max(0, pos - 60) : pos]))
        titled[place.name] = titled.get(place.name, True) and after_office
    return {name for name, only_after_office in titled.items() if only_after_office}


def _places_at(text: str, m: re.Match) -> list[tuple[Place, int]]:
    """The place(s) named after the level word of match `m` ("các xã A, B và C" gives three)."""
    level_word = m.group(1).lower().rstrip(".")
    level_word = {"tp": "thành phố", "tx": "thị xã"}.get(level_word, level_word)
    upper_context = m.group(1).isupper() and level_word not in ("thành phố", "thị xã") or m.group(1).isupper() and len(m.group(1)) > 3
    pos = m.end()
    out = []
    while True:
        name, end = _place_name(text, pos, level_word, upper_context)
        if not name:
            break
        if level_word == "thành phố":
            level = PROVINCE if name.lower() in _CENTRAL_CITIES else DISTRICT
        else:
            level = _LEVEL_OF[level_word]
        out.append((Place(f"{level_word} {name}", level), m.start()))
        plural = text[max(0, m.start() - 4) : m.start()].lower().endswith("các ")
        nxt = re.match(r"\s*(?:,|và)\s*", text[end:])
        if not (plural and nxt):
            break
        pos = end + nxt.end()
    return out


def _place_name(text: str, pos: int, level_word: str, upper_context: bool) -> tuple[str, int]:
    """The proper name that starts at `pos`, proper-cased, and where it ends ("" if none)."""
    m = re.match(r"(HCM|HN)\b", text[pos:])
    if m and level_word == "thành phố":
        return _ABBREVIATED[m.group(1).lower()], pos + m.end()
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
        if not words and word.lower() in _NOT_NAME_START:
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
            and "-" not in " ".join(words) and " ".join(words).lower() not in _CENTRAL_CITIES:
        # "UBND tỉnh Lê Trí Thanh", "Chủ tịch UBND thành phố Nguyễn Đức Chung": a person named after
        # an elided province or city (no province or city has a three-word name led by a surname)
        return "", pos
    return " ".join(words), end
