"""Drafting briefs: passages quoted as their documents read, each with its citation, as Markdown or DOCX.

A `Brief` holds sections of `Quote`s. `quoted_passage` cuts a stored passage for quoting (no
share buttons, distribution lists or signature blocks; line breaks inside a sentence joined),
and a citation names the full document id and the web address the document came from.
`brief_markdown` renders a brief as Markdown whose blockquotes give back each quote exactly; `write_docx` writes a Word document that names a Latin and an
East Asian font, so Vietnamese tone marks and Chinese both render in Word and LibreOffice.

    brief = Brief("Quản lý chung cư", (BriefSection("Nghị quyết", (Quote(text, doc_id, title, "vi"),)),))
    write_brief(brief, "brief.docx")
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterator

from .citations import Citation, document_parts
from .errors import ExportError

if TYPE_CHECKING:
    from .types import Document, Hit

__all__ = [
    "Brief",
    "BriefSection",
    "CITATION_STYLE",
    "FORMATS",
    "Quote",
    "Source",
    "brief_markdown",
    "quoted_passage",
    "render_brief",
    "source_url",
    "write_brief",
    "write_docx",
]

FORMATS = ("md", "docx")
_SUFFIXES = {".md": "md", ".markdown": "md", ".docx": "docx"}
_ALIASES = {"md": "md", "markdown": "md", "docx": "docx"}

LATIN_FONT = "Times New Roman"  # the font Vietnamese state documents are set in; LibreOffice substitutes
EAST_ASIAN_FONT = "Noto Sans CJK SC"  # free and cross-platform; Word falls back to its own CJK font without it

@dataclass(frozen=True)
class Quote:
    """One passage quoted exactly, with what is needed to cite it.

    `start`/`end` are offsets of `text` in its document's text; `highlights` are offsets into
    `text` itself and are rendered bold.
    """

    text: str
    doc_id: str
    title: str
    lang: str
    source: str = ""
    issuer: str = ""
    date: str = ""
    doc_type: str = ""
    number: str = ""
    section: str = ""
    article: str = ""
    page: int | None = None
    start: int = 0
    end: int = 0
    highlights: tuple[tuple[int, int], ...] = ()
    note: str = ""
    url: str = ""

    def citation(self) -> str:
        """The passage's citation (`pipeline.citations.Citation.text`), with the full doc id `govtext show` takes."""
        return Citation(self.doc_id, self.title, self.lang, self.source, self.doc_type, self.number, self.issuer,
                        self.date, self.section, self.article, self.page, self.start, self.end, self.url).text()

    def spans(self) -> list[tuple[int, int]]:
        """The highlights clipped to `text`, sorted, with overlapping and touching spans merged."""
        merged: list[list[int]] = []
        for s, e in sorted((max(0, s), min(len(self.text), e)) for s, e in self.highlights):
            if s >= e:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return [(s, e) for s, e in merged]

    @classmethod
    def from_hit(cls, hit: Hit, passage: int = 0, note: str = "") -> Quote:
        """Quote one passage of a search hit, with the hit's metadata for the citation.

        Args:
            hit: a `pipeline.types.Hit` from a search.
            passage: which of its passages (0 = the best).
            note: a remark to print under the quote.
        Returns:
            a Quote whose highlights are the passage's, made relative to its text.
        """
        from dataclasses import asdict

        p = hit.passages[passage]
        return cls(text=p.text, highlights=tuple((s - p.start, e - p.start) for s, e in p.highlights), note=note,
                   **asdict(Citation.from_hit(hit, passage)))


# ---------------------------------------------------------------- what a passage quotes

# A line naming the page a text was taken from: "地址:http://...", "原文链接：https://...", "Nguồn: https://...".
_URL_LINE = re.compile(
    r"^[*_\s]*(?:地址|网址|網址|原文链接|原文地址|原文網址|链接|來源|来源|出处|URL|Link|Nguồn|Đường dẫn|Link bài viết)"
    r"[*_\s]*[:：]\s*<?(https?://[^\s<>\"'）)]+)",
    re.MULTILINE | re.IGNORECASE,
)
_URL_KEYS = ("url", "source_url", "link", "href")


def source_url(doc: Document) -> str:
    """The web address a document was taken from, or "" when it has none.

    In order: the reader's `meta["url"]` (saved web pages), a url field of a JSONL record
    (`meta["extra"]`), a source that is itself an address, and a source line in the text
    ("地址:http://...", "Nguồn: https://...").
    """
    meta = doc.meta or {}
    for found in (meta, meta.get("extra") or {}):
        for key in _URL_KEYS:
            value = found.get(key) if isinstance(found, dict) else None
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                return value
    if doc.source.startswith(("http://", "https://")):
        return doc.source
    m = _URL_LINE.search(doc.text)
    return m.group(1).rstrip(".,;") if m else ""


def quoted_passage(
    doc: Document, start: int, end: int, marks: tuple[tuple[int, int], ...] = (), skip: list | None = None
) -> tuple[str, int, int, tuple[tuple[int, int], ...]] | None:
    """What a brief quotes of `doc.text[start:end]`: the passage as the document view shows it.

    Skip spans (the document's own and its boilerplate: share buttons, distribution lists,
    signature blocks, see `pipeline.normalize.boilerplate_spans`) are never quoted: the passage
    is cut at them and the part holding the first mark (else the longest part) is kept. Line
    breaks inside a sentence are joined (`pipeline.normalize.joined_lines`).

    Args:
        doc: the stored document.
        start, end: the passage, as offsets into `doc.text`.
        marks: highlight spans as offsets into `doc.text`.
        skip: `pipeline.normalize.unquotable_spans(doc)`, when the caller has it already.
    Returns:
        (text, start, end, highlights relative to text), or None when nothing but skipped text is left.
    """
    from .normalize import joined_lines, unquotable_spans
    from .segment import strip_span

    if skip is None:
        skip = unquotable_spans(doc)
    pieces, pos = [], start
    for s, e in skip:
        if e <= pos or s >= end:
            continue
        if s > pos:
            pieces.append(strip_span(doc.text, pos, s))
        pos = max(pos, e)
    if pos < end:
        pieces.append(strip_span(doc.text, pos, end))
    pieces = [(s, e) for s, e in pieces if s < e]
    if not pieces:
        return None
    marked = [p for p in pieces if marks and any(p[0] <= ms < p[1] for ms, _ in marks[:1])]
    s, e = marked[0] if marked else max(pieces, key=lambda p: p[1] - p[0])
    inside = tuple((max(ms, s), min(me, e)) for ms, me in marks if ms < e and me > s)
    text, spans = joined_lines(doc.text, s, e, inside)
    return text, s, e, spans


@dataclass(frozen=True)
class Source:
    """A document cited in a brief, as listed under "Sources"."""

    doc_id: str
    title: str
    lang: str = ""
    source: str = ""
    issuer: str = ""
    date: str = ""
    doc_type: str = ""
    number: str = ""
    url: str = ""

    def reference(self) -> str:
        """The full reference: type and number, title, issuer, date, file, web address and full doc id."""
        parts = document_parts(self.doc_type, self.number, self.title, self.lang, self.issuer, self.date)
        if self.source:
            parts.append(self.source)
        if self.url and self.url != self.source:
            parts.append(self.url)
        text = ", ".join(parts)
        return f"{text} [doc {self.doc_id}]" if self.doc_id else text


@dataclass(frozen=True)
class BriefSection:
    """A heading, an optional introduction and the quotes under it."""

    heading: str
    quotes: tuple[Quote, ...]
    intro: str = ""


@dataclass(frozen=True)
class Brief:
    """A drafting brief: a title, summary lines (query, index, date ...) and sections of quotes."""

    title: str
    sections: tuple[BriefSection, ...]
    summary: tuple[str, ...] = ()
    generated: str = ""

    def quotes(self) -> Iterator[Quote]:
        """Every quote, in order."""
        for section in self.sections:
            yield from section.quotes

    def sources(self) -> list[Source]:
        """The documents cited, each once, in the order they are first quoted."""
        seen: dict[str, Source] = {}
        for q in self.quotes():
            key = q.doc_id or q.source or q.title
            if key not in seen:
                seen[key] = Source(q.doc_id, q.title, q.lang, q.source, q.issuer, q.date, q.doc_type, q.number, q.url)
        return list(seen.values())


# ---------------------------------------------------------------- Markdown

# What CommonMark reads as block structure at the start of a line (after up to 3 spaces): a
# backslash before the marked character turns it back into text.
_LINE_START = re.compile(
    r"^ {0,3}(?:"
    r"(?P<hash>#)#{0,5}(?:[ \t]|$)"  # ATX heading
    r"|(?P<quote>>)"  # nested blockquote
    r"|(?P<bullet>[-+*])(?:[ \t]|$)"  # bullet list item
    r"|(?P<rule>[-*_])(?:[ \t]*(?P=rule)){2,}[ \t]*$"  # thematic break
    r"|(?P<setext>[=-])(?P=setext)*[ \t]*$"  # setext heading underline
    r"|(?P<fence>`{3}|~{3})"  # code fence
    r"|(?P<html><)[A-Za-z/!?]"  # HTML block
    r"|\d{1,9}(?P<ordered>[.)])(?:[ \t]|$)"  # ordered list item
    r")"
)
_MARKERS = ("hash", "quote", "bullet", "rule", "setext", "fence", "html", "ordered")


def _escape_at(line: str) -> int | None:
    """Where a backslash must go so that Markdown reads `line` as plain text, or None."""
    m = _LINE_START.match(line)
    if not m:
        return None
    group = next(g for g in _MARKERS if m.group(g))
    return m.start(group)


def _markdown_line(line: str, spans: list[tuple[int, int]]) -> str:
    """One line of text, escaped at its start and with `spans` (offsets into the line) in **bold**."""
    escape = _escape_at(line)
    marks: dict[int, list[str]] = {}
    for s, e in spans:
        # CommonMark only opens and closes ** next to non-space characters
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if s < e:
            marks.setdefault(s, []).append("**")
            marks.setdefault(e, []).insert(0, "**")
    out = []
    for i, ch in enumerate(line):
        out.extend(marks.get(i, ()))
        if i == escape:
            out.append("\\")
        out.append(ch)
    out.extend(marks.get(len(line), ()))
    return "".join(out)


def _blockquote(quote: Quote) -> list[str]:
    """The quote as blockquote lines: every line prefixed with "> ", highlights bold, nothing else changed."""
    spans = quote.spans()
    lines, pos = [], 0
    for line in quote.text.split("\n"):
        end = pos + len(line)
        local = [(max(s, pos) - pos, min(e, end) - pos) for s, e in spans if s < end and e > pos]
        lines.append("> " + _markdown_line(line, local))
        pos = end + 1
    return lines


def _prose(text: str) -> list[str]:
    """A paragraph of prose (a summary line, an intro) with each line start escaped."""
    return [_markdown_line(line, []) for line in text.split("\n")] + [""]


def brief_markdown(brief: Brief) -> str:
    """Render a brief as Markdown.

    Each quote is a blockquote whose text is exact: strip the "> " prefixes, the ** around
    highlights and the backslash put before a line-start Markdown marker ("1\\.", "\\-", "\\#")
    and the passage comes back unchanged. Its citation follows on a line of its own.

    Args:
        brief: the brief to render.
    Returns:
        the Markdown text, ending with a newline.
    """
    out = [f"# {brief.title}", ""]
    for line in brief.summary:
        out += _prose(line)
    if brief.generated:
        out += [f"Generated: {brief.generated}", ""]
    for section in brief.sections:
        out += [f"## {section.heading}", ""]
        if section.intro:
            out += _prose(section.intro)
        for quote in section.quotes:
            out += _blockquote(quote) + ["", f"— {quote.citation()}", ""]
            if quote.note:
                out += [f"Note: {quote.note}", ""]
    sources = brief.sources()
    if sources:
        out += ["## Sources", ""]
        out += [f"{i}. {source.reference()}" for i, source in enumerate(sources, 1)]
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- DOCX

# XML 1.0 has no place for most control characters; Word's vertical tab and a form feed are line breaks.
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_AS_BREAK = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
CITATION_STYLE = "Quote Citation"


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("", text.translate(_AS_BREAK))


def _name_fonts(fonts, latin: str, east_asian: str) -> None:
    """Name the Latin and East Asian fonts on a w:rFonts element, dropping theme fonts (they take precedence)."""
    from docx.oxml.ns import qn

    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, font in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asian)):
        fonts.set(qn(attr), font)


def _set_fonts(rpr_parent, latin: str, east_asian: str) -> None:
    """Name the fonts on a style or run."""
    _name_fonts(rpr_parent.get_or_add_rPr().get_or_add_rFonts(), latin, east_asian)


def _set_lang(rpr_parent, lang: str) -> None:
    """Tag text with its language (spelling, line breaking, and which font Word picks for shared characters)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = rpr_parent.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.insert_element_before(el, "w:eastAsianLayout", "w:specVanish", "w:oMath")  # Word wants schema order
    if lang.startswith("zh"):
        tw = lang.lower() in ("zh-tw", "zh-hk", "zh-hant")
        el.set(qn("w:eastAsia"), "zh-TW" if tw else "zh-CN")
    elif lang.startswith("vi"):
        el.set(qn("w:val"), "vi-VN")


def _left_rule(ppr) -> None:
    """A grey rule down the left of a paragraph, as a blockquote has on a web page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(
            borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
            "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
            "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
            "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
            "w:rPr", "w:sectPr", "w:pPrChange",
        )
    left = OxmlElement("w:left")
    for attr, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "A6A6A6")):
        left.set(qn(attr), value)
    for old in borders.findall(qn("w:left")):
        borders.remove(old)
    borders.insert(0, left)


def _prepare_styles(doc, latin: str, east_asian: str) -> None:
    """Fonts and languages on the styles a brief uses, a small italic citation style, upright quotes."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    default_fonts = doc.styles.element.find(
        "/".join(qn(t) for t in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:rFonts"))
    )
    if default_fonts is not None:
        _name_fonts(default_fonts, latin, east_asian)
    if CITATION_STYLE not in [s.name for s in doc.styles]:
        style = doc.styles.add_style(CITATION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(9)
        style.font.italic = True
        style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        style.paragraph_format.left_indent = Cm(1)
        style.paragraph_format.space_after = Pt(12)
    names = [s.name for s in doc.styles]
    for name in ("Normal", "Title", "Heading 1", "Quote", "List Number", CITATION_STYLE):
        if name in names:
            _set_fonts(doc.styles[name].element, latin, east_asian)
    if "Quote" in names:
        quote = doc.styles["Quote"]
        quote.font.italic = False  # slanted CJK is a synthetic oblique, and hard to read
        quote.paragraph_format.left_indent = Cm(1)
        quote.paragraph_format.right_indent = Cm(0.5)
        quote.paragraph_format.space_after = Pt(4)
        _left_rule(quote.element.get_or_add_pPr())
    _set_lang(doc.styles["Normal"].element, "vi")
    _set_lang(doc.styles["Normal"].element, "zh")


def _add_quote(doc, quote: Quote, latin: str, east_asian: str) -> None:
    from docx.shared import Cm

    if "Quote" in [s.name for s in doc.styles]:
        para = doc.add_paragraph(style="Quote")
    else:
        para = doc.add_paragraph()
        para.paragraph_format.left_indent = Cm(1)
        para.paragraph_format.right_indent = Cm(1)
    bounds = [0]
    for s, e in quote.spans():
        bounds += [s, e]
    bounds.append(len(quote.text))
    for i in range(len(bounds) - 1):
        piece = quote.text[bounds[i] : bounds[i + 1]]
        if not piece:
            continue
        run = para.add_run(_xml_text(piece))  # python-docx makes "\n" a line break and "\t" a tab
        run.bold = True if i % 2 == 1 else None
        _set_fonts(run._r, latin, east_asian)
        _set_lang(run._r, quote.lang)
    doc.add_paragraph(_xml_text(quote.citation()), style=CITATION_STYLE)
    if quote.note:
        doc.add_paragraph(_xml_text(f"Note: {quote.note}"))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def write_docx(
    brief: Brief, path: str | Path | BinaryIO, *, latin_font: str = LATIN_FONT, east_asian_font: str = EAST_ASIAN_FONT
) -> Path:
    """Write a brief as a Word document.

    The title is in the Title style, sections in Heading 1, each quote a "Quote" paragraph
    (highlights bold, its line breaks kept) followed by its citation in small italics, and a
    numbered "Sources" list at the end. Fonts name both a Latin and an East Asian face so
    Vietnamese and Chinese render; the page is A4.

    Args:
        brief: the brief to write.
        path: where to write the .docx file (its folder is created), or a binary stream.
        latin_font: the font for Latin script, Vietnamese included.
        east_asian_font: the font for Chinese.
    Returns:
        the path written.
    """
    import docx
    from docx.shared import Mm

    doc = docx.Document()
    _prepare_styles(doc, latin_font, east_asian_font)
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(20)

    sources = brief.sources()
    quotes = sum(len(s.quotes) for s in brief.sections)
    props = doc.core_properties
    props.title = brief.title
    props.subject = f"Drafting brief: {_count(quotes, 'passage')} from {_count(len(sources), 'document')}"
    props.author = props.last_modified_by = "govtext"
    props.comments = "\n".join(brief.summary)
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1

    doc.add_heading(_xml_text(brief.title), level=0)
    for line in brief.summary:
        doc.add_paragraph(_xml_text(line))
    if brief.generated:
        doc.add_paragraph(_xml_text(f"Generated: {brief.generated}"))
    for section in brief.sections:
        doc.add_heading(_xml_text(section.heading), level=1)
        if section.intro:
            doc.add_paragraph(_xml_text(section.intro))
        for quote in section.quotes:
            _add_quote(doc, quote, latin_font, east_asian_font)
    if sources:
        doc.add_heading("Sources", level=1)
        for source in sources:
            doc.add_paragraph(_xml_text(source.reference()), style="List Number")

    if hasattr(path, "write"):  # a binary stream (`render_brief`)
        doc.save(path)
        return path
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


# ---------------------------------------------------------------- either


def _brief_kind(format: str) -> str:
    kind = _ALIASES.get(format.lower().lstrip("."))
    if kind is None:
        raise ExportError(f"unknown brief format {format!r}: use one of {', '.join(FORMATS)}")
    return kind


def render_brief(brief: Brief, format: str) -> bytes:
    """A brief as the bytes of a Markdown (UTF-8) or DOCX file, written nowhere.

    Raises:
        ExportError: the format is not supported.
    """
    import io

    if _brief_kind(format) == "md":
        return brief_markdown(brief).encode("utf-8")
    out = io.BytesIO()
    write_docx(brief, out)
    return out.getvalue()


def write_brief(brief: Brief, path: str | Path, format: str | None = None) -> Path:
    """Write a brief as Markdown or DOCX.

    Args:
        brief: the brief to write.
        path: the output file (its folder is created).
        format: "md" (or "markdown") or "docx"; None infers it from the suffix of `path`.
    Returns:
        the path written.
    Raises:
        ExportError: the format is neither given nor inferable, or is not supported.
    """
    out = Path(path)
    if format is None:
        kind = _SUFFIXES.get(out.suffix.lower())
        if kind is None:
            raise ExportError(
                f"cannot tell the brief format from {out.name!r}: name it .md or .docx, or pass format='md' or 'docx'"
            )
    else:
        kind = _brief_kind(format)
    if kind == "docx":
        return write_docx(brief, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(brief_markdown(brief), encoding="utf-8", newline="\n")
    return out
