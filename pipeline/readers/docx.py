"""DOCX reader: body paragraphs and tables in document order, with Word's list numbers written out.

Word keeps automatic numbering out of the paragraph text ("Mục tiêu" numbered "1." by Word is
stored as "Mục tiêu" plus a reference into numbering.xml). The segmenter finds sections by the
labels at line starts ("Điều 5.", "I.", "1.", "一、"), so the visible label is rebuilt from the
numbering definitions and put back in front of the text: "1. Mục tiêu". Bullets become the
bullet character ("- ", "• ").

Layout: paragraphs are separated by blank lines, as in the project's text files (the language
of each paragraph is detected on its own, and a short unpunctuated paragraph reads as a heading).
A text-wrapping line break stays a line break. A table row whose cells hold one paragraph
each is one line, cells joined by " | ", and a table's consecutive such rows form one
paragraph; other rows give each cell's paragraphs as paragraphs (a layout table wrapping the
body reads like the body). Text boxes follow their paragraph. Headers, footers, footnotes,
comments and deleted revisions are left out.

Runs set in a legacy Vietnamese font (.VnTime and other ".Vn" fonts: TCVN3; "VNI-" fonts: VNI)
are converted to Unicode; the ".Vn...H" upper-case fonts are upper-cased as they display.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..errors import EmptyDocument, ExtractionFailed
from ..types import Document
from ._common import first_line, is_blank, meaningful_title
from ._docx_numbering import BULLETS, VAL, Numbering, format_number, w  # noqa: F401 - format_number is imported from here
from ._vietnamese_legacy import convert, fix_legacy_text

EXTENSIONS = (".docx",)
PARAGRAPH_SEPARATOR = "\n\n"

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _R, _T, _TBL, _TR, _TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
# Subtrees whose text is not part of the paragraph: the fallback copy of alternate content,
# text boxes (read separately), deleted and moved-away revisions, field codes, footnote marks.
_SKIPPED = {
    f"{{{_MC}}}Fallback", w("txbxContent"), w("del"), w("moveFrom"), w("instrText"),
    w("pPr"), w("rPr"), w("footnoteReference"), w("endnoteReference"), w("commentReference"),
}
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def read(path: Path, on_error: Callable[[str, str], None] | None = None) -> Iterator[Document]:
    """Read a .docx file as one Document.

    Args:
        path: the file.
        on_error: unused; a DOCX is one document, so any failure raises.
    Returns:
        An iterator over one Document. `meta` holds "format": "docx", "headings" (a list of
        [level, text], level 0 for the Title style), "tables" (how many), the core properties
        "title", "author", "created" (ISO 8601) when set, and "encoding" ("tcvn3", "vni") when
        legacy-font text was converted.
    Raises:
        ExtractionFailed: not a ZIP package (truncated, an old .doc, encrypted) or a corrupt one.
        EmptyDocument: the document body holds no text.
    """
    document = _open(path)
    body = _Body(document)
    try:
        body.read(document.element.body)
    except (KeyError, ValueError, AttributeError) as err:
        raise ExtractionFailed(f"corrupt DOCX ({type(err).__name__}: {err})") from err
    text = body.text()
    if is_blank(text):
        raise EmptyDocument("the DOCX holds no text")
    meta: dict = {"format": "docx"}
    encoding = sorted(body.encodings)
    if not encoding:
        text, legacy = fix_legacy_text(text)
        encoding = [legacy] if legacy else []
    meta.update(_core_properties(document))
    meta["headings"] = [[level, heading] for level, heading in body.headings]
    meta["tables"] = body.tables
    if encoding:
        meta["encoding"] = "+".join(encoding)
    title = meaningful_title(meta.get("title", "")) or _heading_title(text, body.headings)
    yield Document(id="", text=text, source=str(path), title=title, meta=meta)


def _heading_title(text: str, headings: list[tuple[int, str]]) -> str:
    """The first heading as a title (joined with the next line if it is a bare "NGHỊ QUYẾT"), else the first line."""
    start = text.find(headings[0][1]) if headings else -1
    return first_line(text[start:] if start >= 0 else text)


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionFailed(
            "not a DOCX package: an old Word .doc, or a password-protected DOCX; "
            "save it as .docx without a password"
        )
    if not zipfile.is_zipfile(path):
        raise ExtractionFailed("corrupt or truncated DOCX (not a readable ZIP package)")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, EOFError) as err:
        raise ExtractionFailed(f"corrupt or truncated DOCX ({type(err).__name__}: {err})") from err
    except zipfile.LargeZipFile as err:
        raise ExtractionFailed(f"cannot read the DOCX ({err})") from err


def _core_properties(document) -> dict:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    # python-docx makes up defaults (title "Word Document") for a package without the part
    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in document.part.package.rels.values()):
        return {}
    props = document.core_properties
    found = {}
    if props.title and props.title.strip():
        found["title"] = " ".join(props.title.split())
    if props.author and props.author.strip():
        found["author"] = props.author.strip()
    if props.created is not None:
        found["created"] = props.created.isoformat()
    return found


# ---------------------------------------------------------------- the body


@dataclass
class _Body:
    """Walks the body in document order and collects its paragraphs."""

    document: object
    blocks: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    tables: int = 0
    encodings: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.styles = _Styles(self.document)
        self.numbering = Numbering(self.document, self.styles)

    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(block for block in self.blocks if not is_blank(block))

    def read(self, element) -> None:
        """Read the block-level children of `element` (the body, a cell, a content control)."""
        for child in element:
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent"))
                self.read(content if content is not None else child)
            elif child.tag == f"{{{_MC}}}AlternateContent":
                choice = child.find(f"{{{_MC}}}Choice")
                if choice is not None:
                    self.read(choice)

    def paragraph(self, p, in_row: bool = False) -> str:
        """Add one paragraph (and its text boxes); returns its text with its label ("" if empty).

        In a table row the text is returned, not added, and line breaks become spaces.
        """
        style_id = self.styles.paragraph_style(p)
        text = self.paragraph_text(p, style_id)
        # an empty numbered paragraph still takes its number, as Word shows it
        label = self.numbering.label(p, style_id)
        line = ""
        if not is_blank(text):
            line = label + (" ".join(text.split()) if in_row else text.strip())
            if not in_row:
                level = self.styles.heading_level(p, style_id)
                if level is not None:
                    self.headings.append((level, " ".join(line.split())))
                self.blocks.append(line)
        for box in _text_boxes(p):
            self.read(box)
        return line

    def paragraph_text(self, p, style_id: str | None) -> str:
        """The paragraph's text, legacy-font runs converted."""
        pieces: list[tuple[str, tuple[str, bool] | None]] = []
        for run in _runs(p):
            text = _run_text(run)
            if text:
                pieces.append((text, self.styles.legacy_font(run, style_id)))
        out: list[str] = []
        for legacy, group in _groups(pieces):
            text = "".join(group)
            if legacy is not None:
                encoding, upper = legacy
                text = convert(text, encoding)
                text = text.upper() if upper else text
                self.encodings.add(encoding)
            out.append(text)
        return "".join(out)

    def table(self, tbl) -> None:
        self.tables += 1
        rows: list[str] = []
        for tr in tbl.iter(_TR):
            if _owner_table(tr) is not tbl:
                continue
            cells = _unique_cells(tr)
            if all(_is_simple_cell(tc) for tc in cells):
                row = " | ".join(line for line in map(self._cell_line, cells) if line)
                if row:
                    rows.append(row)
                continue
            self.blocks.append("\n".join(rows))
            rows = []
            for tc in cells:
                self.read(tc)
        self.blocks.append("\n".join(rows))

    def _cell_line(self, tc) -> str:
        lines = [self.paragraph(p, in_row=True) for p in tc.iter(_P)]
        return next((line for line in lines if line), "")


def _is_simple_cell(tc) -> bool:
    """A cell with at most one non-empty paragraph and no nested table."""
    filled = 0
    for child in tc:
        if child.tag == _TBL or child.tag == w("sdt"):
            return False
        if child.tag == _P and not is_blank("".join(t.text or "" for t in child.iter(_T))):
            filled += 1
    return filled <= 1


def _text_boxes(p) -> list:
    """The paragraph's outermost text boxes, once each (not the VML fallback copy)."""
    boxes = []
    for box in p.iter(w("txbxContent")):
        parent = box.getparent()
        while parent is not None and parent is not p and parent.tag not in (w("txbxContent"), f"{{{_MC}}}Fallback"):
            parent = parent.getparent()
        if parent is p:
            boxes.append(box)
    return boxes


def _owner_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _unique_cells(tr) -> list:
    """The row's cells once each (a vertically merged continuation cell is left out)."""
    cells = []
    for tc in tr.findall(_TC):
        merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
        if merge is not None and merge.get(VAL) in (None, "continue"):
            continue
        cells.append(tc)
    return cells


def _runs(p) -> Iterator:
    """The paragraph's runs in order, through hyperlinks, fields, smart tags and insertions."""
    stack = list(reversed(list(p)))
    while stack:
        element = stack.pop()
        if element.tag in _SKIPPED:
            continue
        if element.tag == _R:
            yield element
        elif element.tag != _P:
            stack.extend(reversed(list(element)))


def _run_text(run) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag == w("tab") or tag == w("ptab"):
            out.append("\t")
        elif tag in (w("br"), w("cr")):
            # a page or column break is not a line of text; a text-wrapping break is
            out.append("\n" if child.get(w("type")) in (None, "textWrapping") else "")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        elif tag == w("sym"):
            out.append(_symbol(child.get(w("char"), "")))
    return "".join(out)


def _symbol(code: str) -> str:
    try:
        char = chr(int(code, 16))
    except ValueError:
        return ""
    return BULLETS.get(char, "") if "\uf000" <= char <= "\uf0ff" else char


def _groups(pieces):
    """Consecutive pieces with the same legacy font, joined: VNI marks may sit in the next run."""
    group: list[str] = []
    current = None
    for text, legacy in pieces:
        if group and legacy != current:
            yield current, group
            group = []
        current = legacy
        group.append(text)
    if group:
        yield current, group


# ---------------------------------------------------------------- styles


class _Styles:
    """Paragraph and character styles: heading levels, fonts and numbering, following basedOn."""

    def __init__(self, document):
        root = document.styles.element
        self.by_id = {s.get(w("styleId")): s for s in root.findall(w("style"))}
        self.default_paragraph = next(
            (sid for sid, s in self.by_id.items() if s.get(w("type")) == "paragraph" and s.get(w("default")) == "1"),
            None,
        )
        defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self.default_font = _font_name(defaults)

    def paragraph_style(self, p) -> str | None:
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        return style.get(VAL) if style is not None else self.default_paragraph

    def chain(self, style_id: str | None) -> Iterator:
        """The style and the styles it is based on, nearest first."""
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(w("basedOn"))
            style_id = based.get(VAL) if based is not None else None

    def heading_level(self, p, style_id: str | None) -> int | None:
        """0 for Title, N for Heading N or outline level N-1; None for body text."""
        for style in [None, *self.chain(style_id)]:
            if style is not None:
                name = (style.find(w("name")).get(VAL, "") if style.find(w("name")) is not None else "")
                if name.lower() == "title":
                    return 0
                m = _HEADING_STYLE.match(name)
                if m:
                    return int(m.group(1))
            outline = (p if style is None else style).find(f"{w('pPr')}/{w('outlineLvl')}")
            if outline is not None and outline.get(VAL, "").isdigit() and int(outline.get(VAL)) < 9:
                return int(outline.get(VAL)) + 1
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, str | None]:
        """(numId, ilvl) from the paragraph style chain, each None when not set."""
        num_id = ilvl = None
        for style in self.chain(style_id):
            num_pr = style.find(f"{w('pPr')}/{w('numPr')}")
            if num_pr is None:
                continue
            if num_id is None and num_pr.find(w("numId")) is not None:
                num_id = num_pr.find(w("numId")).get(VAL)
            if ilvl is None and num_pr.find(w("ilvl")) is not None:
                ilvl = num_pr.find(w("ilvl")).get(VAL)
        return num_id, ilvl

    def _run_holders(self, run, style_id: str | None) -> Iterator:
        """Where a run property can come from: the run, its character style, the paragraph style."""
        rpr = run.find(w("rPr"))
        if rpr is not None:
            yield rpr
            rstyle = rpr.find(w("rStyle"))
            if rstyle is not None:
                for style in self.chain(rstyle.get(VAL)):
                    yield style.find(w("rPr"))
        for style in self.chain(style_id):
            yield style.find(w("rPr"))

    def legacy_font(self, run, style_id: str | None) -> tuple[str, bool] | None:
        """("tcvn3" or "vni", upper-case font) when the run is set in a legacy Vietnamese font."""
        name = None
        for holder in self._run_holders(run, style_id):
            name = _font_name(holder)
            if name:
                break
        return _legacy_encoding(name or self.default_font or "")


def _font_name(rpr) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        return None
    # Word draws characters above ASCII, where the Vietnamese letters are, in the hAnsi font
    return fonts.get(w("hAnsi")) or fonts.get(w("ascii"))


def _legacy_encoding(font: str) -> tuple[str, bool] | None:
    name = font.strip().lower()
    if name.startswith(".vn"):
        return "tcvn3", name.endswith("h")
    if name.startswith("vni-") or name.startswith("vni "):
        return "vni", False
    return None
