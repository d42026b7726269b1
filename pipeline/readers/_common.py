"""Helpers shared by the format readers: titles and blank-text checks."""
from __future__ import annotations

import re
from collections import Counter

TITLE_MAX_CHARS = 200

# Titles that PDF and Office producers fill in on their own rather than a real title.
_GENERATED_TITLE = re.compile(
    r"^(microsoft (word|excel|powerpoint) - |untitled|document\d*$|无标题|未命名|<[0-9a-f]+>$)"
    r"|\.(docx?|pdf|xlsx?|pptx?|wps|rtf|odt|tmp)$",
    re.IGNORECASE,
)
# Characters that are invisible in a document but not str.isspace(): zero-width ones and the BOM.
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]+")


# Lines at the top of a document that are never its title: reading-time notes of web pages, the
# Vietnamese national motto, reference numbers and dates of an official letterhead, stamp numbers.
_NOT_A_TITLE = re.compile(
    r"^(本(篇)?文(章)?共?\s*\d+\s*字|.{0,12}阅读(时间|需要|约)|.{0,20}读完约|"
    r"cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc|"
    r"so\s*:|.{0,40},\s*ngay\s+\d+\s+thang\s+\d+\s+nam\s+\d+$)",
    re.IGNORECASE,
)
# A document type standing alone on a line names the document together with the next line.
_DOC_TYPES = ("nghi quyet", "nghi dinh", "quyet dinh", "ke hoach", "thong tu", "chi thi", "bao cao", "thong bao",
              "to trinh", "cong van", "luat", "quy che", "quy dinh", "huong dan", "chuong trinh", "de an", "ket luan")
_HEAD_LINES = 15  # how far into a document the title is looked for
# Lines that open a document's body, so never continue its name: "Căn cứ ..." (OCR'd "Căm cứ"),
# "Theo đề nghị ...", articles, chapters, numbered items.
_BODY_OPENER = re.compile(r"^(?:ca\S? cu\b|theo\b|xet\b|thuc hien\b|tren co so\b|dieu \d|chuong\b|phan\b|muc\b"
                          r"|[ivx]+\.|\d+\.|[a-z]\))")
_NAME_LINES = 4  # at most this many further lines continue a document's name
# A statute database page names the statute on a labelled line below its banner.
_NAME_LABEL = re.compile(r"^法[規规]名[稱称]\s*[:：]\s*(\S.*)$")
# A heading that ends with a dash runs on to the next line, even across a blank line (so does one
# that ends with a colon, when no blank line follows it).
_DASHES = ("——", "—", "–", " -")


def _plain(line: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", line.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if not unicodedata.combining(c)).lower().strip()


def first_line(text: str) -> str:
    """The title line of `text`, stripped and cut to TITLE_MAX_CHARS ("" if none).

    The first line that can be a title: not a reading-time note, the national motto, a
    reference number, a letterhead date or a line without two letters. A document type standing
    alone ("NGHỊ ĐỊNH", also OCR'd as "NGHI ĐINH") is joined with the name under it, with the lines
    that name wraps onto; so is a bare upper-case line of up to four words ("KẾ HOẠCH"). A heading
    that ends in a dash or colon runs on to the next line. A statute database page's labelled name
    line ("法規名稱：公寓大廈管理條例") wins over the banner above it. A short
    line repeated three or more times through the text is a web page's headline (repeated as a
    caption) and wins over a first line that is not a title.
    """
    raw = [line.strip() for line in text.splitlines()]
    lines = [line for line in raw if line]
    if not lines:
        return ""
    # after_blank[i]: a blank line separates line i from the line before it
    after_blank = [bool(i) and not raw[k - 1] for i, k in enumerate(k for k, line in enumerate(raw) if line)]
    head = lines[:_HEAD_LINES]
    for line in head:
        m = _NAME_LABEL.match(line)
        if m:
            return m.group(1).strip()[:TITLE_MAX_CHARS]
    usable = [i for i, line in enumerate(head) if sum(c.isalpha() for c in line) >= 2 and not _NOT_A_TITLE.match(_plain(line))]
    for i in usable:
        if _plain(head[i]).rstrip(":") in _DOC_TYPES and i + 1 < len(head):
            return f"{head[i]}: {_name(lines, after_blank, i + 1)}"[:TITLE_MAX_CHARS]
    if usable and usable[0] > 0:  # the document opens with lines that are no title
        counts = Counter(line for line in lines if len(line) <= 80 and sum(c.isalpha() for c in line) >= 4)
        repeated = [line for line, n in counts.most_common(1) if n >= 3]
        if repeated:
            return repeated[0][:TITLE_MAX_CHARS]
    if not usable:
        return lines[0][:TITLE_MAX_CHARS]
    i = usable[0]
    title = head[i]
    if i + 1 < len(head) and len(title.split()) <= 4 and title.isupper():
        title = f"{title}: {_name(lines, after_blank, i + 1)}"
    elif i + 1 < len(head) and (title.endswith(_DASHES) or title.endswith((":", "：")) and not after_blank[i + 1]):
        title = f"{title}{head[i + 1]}" if title.endswith(("——", "：")) else f"{title} {head[i + 1]}"
    return title[:TITLE_MAX_CHARS]


def _name(lines: list[str], after_blank: list[bool], i: int) -> str:
    """A document's name starting at line i, with the lines it wraps onto: those that follow with no
    blank line between, until the body opens ("Căn cứ ...", "Điều 1."), a line ends a sentence or a
    heading in capitals starts."""
    name = lines[i]
    for k in range(i + 1, min(len(lines), i + 1 + _NAME_LINES)):
        line = lines[k]
        if (after_blank[k] or name.endswith((".", ";", ":", "!", "?")) or _BODY_OPENER.match(_plain(line))
                or line.isupper() or len(name) + 1 + len(line) > TITLE_MAX_CHARS):
            break
        name = f"{name} {line}"
    return name


def is_blank(text: str) -> bool:
    """True when `text` holds nothing but whitespace and invisible characters."""
    return not _INVISIBLE.sub("", text)


def meaningful_title(title: str) -> str:
    """A metadata title, or "" when it is empty, a file name, hex, mojibake or has no letters."""
    title = " ".join(title.split())
    if (
        sum(c.isalpha() for c in title) < 2
        or "\ufffd" in title
        or _GENERATED_TITLE.search(title)
    ):
        return ""
    return title[:TITLE_MAX_CHARS]
