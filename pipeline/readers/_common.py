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


def _plain(line: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", line.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if not unicodedata.combining(c)).lower().strip()


def first_line(text: str) -> str:
    """The title line of `text`, stripped and cut to TITLE_MAX_CHARS ("" if none).

    The first line that can be a title: not a reading-time note, the national motto, a
    reference number, a letterhead date or a line without two letters. A document type standing
    alone ("NGHỊ ĐỊNH", also OCR'd as "NGHI ĐINH") is joined with the next line, which names what
    the document is about; so is a bare upper-case line of up to four words ("KẾ HOẠCH"). A short
    line repeated three or more times through the text is a web page's headline (repeated as a
    caption) and wins over a first line that is not a title.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    head = lines[:_HEAD_LINES]
    usable = [i for i, line in enumerate(head) if sum(c.isalpha() for c in line) >= 2 and not _NOT_A_TITLE.match(_plain(line))]
    for i in usable:
        if _plain(head[i]).rstrip(":") in _DOC_TYPES and i + 1 < len(head):
            return f"{head[i]}: {head[i + 1]}"[:TITLE_MAX_CHARS]
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
        title = f"{title}: {head[i + 1]}"
    return title[:TITLE_MAX_CHARS]


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
