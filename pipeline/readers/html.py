"""HTML reader: a saved web page's main content, without the site's menus, share buttons and footers.

trafilatura finds the main content and drops the chrome around it. Its structure is kept as
text: headings, paragraphs, quotes and list items are paragraphs of their own (separated by
blank lines, as in the project's text files), a line break stays a line break, ordered-list
items get their visible number ("1. ") and bullets a "- ", and a table is one paragraph with a
line per row, cells joined by " | ". The page title (og:title, <title> or the h1) leads the text
when the content does not already hold it. A page on which trafilatura finds nothing, but whose body
has text, is read with trafilatura's baseline extractor (all the body's text) instead.

The bytes are decoded with the charset the page declares (a BOM first, then <meta charset> or
<meta http-equiv>; bytes that are valid UTF-8 are UTF-8 whatever the page says, as a browser's
"save page" re-encodes without fixing the declaration), else detected as for text files. A page declared as Windows-1252 but set in
a legacy Vietnamese font (TCVN3, VNI) or written in VIQR is converted to Unicode.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Callable, Iterator

from ..errors import EmptyDocument
from ..types import Document
from ._common import first_line, is_blank, meaningful_title
from ._encoding import decode_bytes
from ._vietnamese_legacy import convert, fix_legacy_text

EXTENSIONS = (".html", ".htm")
PARAGRAPH_SEPARATOR = "\n\n"
# Where a page declares its charset: browsers look no further than the first 1024 bytes; saved
# pages often carry long comments first, so a little more is searched.
CHARSET_SCAN_BYTES = 4096

_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# WHATWG decodes these labels as their supersets; Python's codecs would reject bytes browsers show.
_SUPERSETS = {
    "latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254",
    "gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "euc_kr": "cp949", "shift_jis": "cp932",
}
_SPACES = re.compile(r"[^\S\n]+")


def read(path: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Document]:
    """Read a saved .html/.htm page as one Document of its main content.

    Args:
        path: the file.
        on_error: unused; a page is one document, so any failure raises.
    Returns:
        An iterator over one Document. `meta` holds "format": "html", "encoding" (the charset
        used, or "tcvn3"/"vni"/"viqr" for converted legacy text), "extractor" ("trafilatura"
        or "baseline"), "headings" ([level, text] for h1-h6 in the content), and when the page
        has them "date" (YYYY-MM-DD), "sitename", "author" and "url".
    Raises:
        EmptyDocument: the file is empty, or the page has no text in its body.
        ExtractionFailed: the file is binary, not HTML.
        EncodingError: no supported encoding decodes it.
    """
    import trafilatura

    data = path.read_bytes()
    if not data.strip():
        raise EmptyDocument("the file is empty")
    html, encoding = _decode(data)
    extracted = _extract(html)
    blocks, headings, extractor = [], [], "trafilatura"
    if extracted is not None and extracted.body is not None:
        blocks, headings = _blocks(extracted.body)
    if not any(not is_blank(block) for block in blocks):
        extractor = "baseline"
        _, baseline_text, _ = trafilatura.baseline(html)
        blocks = [_clean_lines(baseline_text)]
    text = PARAGRAPH_SEPARATOR.join(block for block in blocks if not is_blank(block))
    if is_blank(text):
        raise EmptyDocument("the page has no text in its body (only markup, scripts or a title)")
    title = (extracted.title if extracted is not None else "") or ""
    text, legacy = fix_legacy_text(text)
    if legacy:
        encoding = legacy
        title = convert(title, legacy)
        headings = [[level, convert(heading, legacy)] for level, heading in headings]
    title = meaningful_title(title)
    if title and title not in text:
        # trafilatura leaves the headline out of the body when it is the page title; only the
        # text is indexed, so it goes back in front, as a headline.
        text = title + PARAGRAPH_SEPARATOR + text
    meta = {"format": "html", "encoding": encoding, "extractor": extractor, "headings": headings}
    if extracted is not None:
        for key in ("date", "sitename", "author", "url"):
            value = getattr(extracted, key, None)
            if value:
                meta[key] = value
    yield Document(
        id="",
        text=text,
        source=str(path),
        title=title or first_line(text),
        meta=meta,
    )


def _decode(data: bytes) -> tuple[str, str]:
    """The page as text and the encoding used: a BOM, else the declared charset, else detection."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data, viqr=False)
    declared = _declared_charset(data[:CHARSET_SCAN_BYTES])
    if declared is not None and declared != "utf-8" and not data.isascii():
        # Browsers re-encode saved pages as UTF-8 and keep the old <meta charset>: bytes that
        # are valid UTF-8 are UTF-8 (legacy text is almost never valid UTF-8 by chance).
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if declared is not None:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # a wrong declaration: detect instead
    return decode_bytes(data, viqr=False)


def _declared_charset(head: bytes) -> str | None:
    """The codec for the page's <meta charset>, or None if it declares none Python knows."""
    match = _CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    name = name.replace("-", "_")
    if name in ("utf_16", "utf_16_le", "utf_16_be", "utf_32"):
        # a page that says UTF-16 in ASCII bytes is not UTF-16 (WHATWG reads it as UTF-8)
        return "utf-8"
    return _SUPERSETS.get(name, name.replace("_", "-"))


def _extract(html: str):
    """trafilatura's main content and metadata, or None when it finds no content."""
    import logging

    import trafilatura

    # trafilatura logs "discarding data" at WARNING for every page without content; the reader
    # reports that itself (EmptyDocument or the baseline fallback)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    # Parsers reject a str that still declares an encoding ("<?xml ... encoding=...?>").
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return trafilatura.bare_extraction(
            html,
            output_format="python",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            # short notices otherwise come back with the site's menu (trafilatura keeps all
            # the body's text when the main content looks too short)
            favor_precision=True,
        )
    except (ValueError, TypeError, AttributeError):
        # assorted failures on malformed markup: the baseline extractor takes over
        return None


def _blocks(body) -> tuple[list[str], list[list]]:
    """The extracted content as paragraphs, and its headings as [level, text]."""
    blocks: list[str] = []
    headings: list[list] = []
    for element in body:
        tag = element.tag
        if tag == "head":
            text = _inline_text(element)
            level = element.get("rend", "h2")[1:]
            headings.append([int(level) if level.isdigit() else 2, " ".join(text.split())])
            blocks.append(text)
        elif tag == "list":
            blocks.extend(_list_items(element))
        elif tag == "table":
            blocks.append(_table(element))
        else:
            blocks.append(_inline_text(element))
    return blocks, headings


def _list_items(element, depth: int = 0) -> list[str]:
    items = []
    ordered = element.get("rend", "").lower() == "ol"
    number = 0
    for item in element:
        if item.tag != "item":
            continue
        number += 1
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)
        text = _inline_text(item)
        if not is_blank(text):
            items.append(("  " * depth) + (f"{number}. " if ordered else "- ") + text)
        for child in nested:
            items.extend(_list_items(child, depth + 1))
    return items


def _table(element) -> str:
    rows = []
    for row in element.iter("row"):
        cells = [" ".join(_inline_text(cell).split()) for cell in row if cell.tag == "cell"]
        line = " | ".join(cell for cell in cells if cell)
        if line:
            rows.append(line)
    return "\n".join(rows)


def _inline_text(element) -> str:
    """An element's text with <lb/> as a line break and HTML's runs of whitespace as one space."""
    parts: list[str] = []

    def walk(node) -> None:
        parts.append(node.text or "")
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            else:
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return _clean_lines("".join(parts))


def _clean_lines(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
