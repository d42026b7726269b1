"""PDF reader: pdfplumber page by page, pypdfium2 for pages pdfplumber loses, Tesseract OCR for
scanned pages; one Document per file.

Each page's visual lines are joined into paragraphs (see `_layout`): a line wrap inside a
paragraph becomes a space between Vietnamese words and nothing between Chinese characters, and
each paragraph gets a line of its own. A page number standing alone as a page's first or last
line is left out. Pages are joined with PAGE_SEPARATOR ("\\n\\n", a paragraph break), or, where a
paragraph runs on from one page to the next, like two lines of it. Each Page span covers its
page's text plus the separator after it, so the spans tile the text with no gaps.

A page is scanned when it has (almost) no text layer and an image covers much of it: it is
rendered at 300 dpi and read by Tesseract in the language `_ocr.choose_lang` picks (the setting,
else the PDF's other pages, else the file name, else Vietnamese + simplified Chinese).
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Callable, Iterator

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..config import Settings, load_settings
from ..errors import EmptyDocument, ExtractionFailed, OcrUnavailable
from ..types import Document, Page
from ._common import first_line, is_blank, meaningful_title
from .txt import PART_CHARS
from ..normalize import PAGE_NUMBER
from ._layout import Line, joiner, page_text, runs_on, split_cells
from ._ocr import DPI, MAX_PIXELS, Tesseract, choose_lang

EXTENSIONS = (".pdf",)
PAGE_SEPARATOR = "\n\n"
# pdfplumber's text is preferred (better reading order), but with some embedded CJK CID fonts
# it silently drops whole lines; a page where it has fewer than this share of pypdfium2's
# non-space characters counts as lost.
MIN_SHARE = 0.8
# A page with fewer non-space characters of text than this, on which images cover at least
# MIN_IMAGE_SHARE of the area, is a scan (a signed scan may carry a line of signature text).
MIN_TEXT_CHARS = 20
MIN_IMAGE_SHARE = 0.5

_CID = re.compile(r"\(cid:\d+\)")
_SPACE = re.compile(r"\s+")


def read(
    path: Path, on_error: Callable[[str, str], None] | None = None, settings: Settings | None = None
) -> Iterator[Document]:
    """Read a PDF as one Document with a Page span per page, OCR-ing scanned pages.

    Args:
        path: the file.
        on_error: unused; a PDF is one document, so any failure raises.
        settings: `ocr_lang` and `tesseract_cmd` (default: `load_settings()`).
    Returns:
        An iterator over one Document with `pages` and `meta` {"format": "pdf", "extractor": one
        of "pdfplumber"/"pypdfium2"/"tesseract" per page}; with scanned pages also "ocr": True,
        "ocr_pages" (1-based numbers), "ocr_lang" and "ocr_lang_from" (setting, text layer, file
        name or default); pages left unread (OCR unavailable or failing) are listed in
        "unread_pages" with the reason in "unread_reason".
    Raises:
        ExtractionFailed: the PDF is corrupt, truncated or encrypted.
        OcrUnavailable: every page with content is scanned and Tesseract (or its language data)
            is missing.
        EmptyDocument: no page yields any text.
    """
    settings = settings or load_settings()
    pdf = _open(path)
    try:
        fallback_texts = _pdfium_texts(pdf)
        if not fallback_texts:
            raise EmptyDocument("the PDF has no pages")
        meta_title = pdf.get_metadata_dict().get("Title", "")
        primary_lines = _read_pdfplumber(path, len(fallback_texts))
        pages: list[_PageText] = []
        for index, (lines, fallback) in enumerate(zip(primary_lines, fallback_texts)):
            raw, extractor = pick_page_text("\n".join(line.text for line in lines), fallback)
            page = pdf[index]
            if extractor == "pypdfium2":
                lines = _pdfium_lines(page)
            pages.append(_PageText(extractor, raw, lines, page.get_width()))
        scanned = [
            i for i, page in enumerate(pages)
            if len(_SPACE.sub("", page.text)) < MIN_TEXT_CHARS and _image_share(pdf[i]) >= MIN_IMAGE_SHARE
        ]
        meta, ocr_error = {"format": "pdf"}, None
        if scanned:
            ocr_meta, ocr_error = _ocr_pages(pdf, path, scanned, pages, settings)
            meta.update(ocr_meta)
    finally:
        pdf.close()
    if all(is_blank(page.text) for page in pages):
        if ocr_error is not None:
            raise ocr_error
        if scanned:
            raise EmptyDocument(f"none of its {len(pages)} page(s) has text, even after OCR ({meta['ocr_lang']})")
        raise EmptyDocument(f"none of its {len(pages)} page(s) has a text layer or a scanned image")
    text, spans = _join_pages(pages)
    title = meaningful_title(meta_title) or first_line(text)
    meta = {**meta, "extractor": tuple(page.extractor for page in pages)}
    parts = _page_parts(spans, PART_CHARS)
    for number, (first, last) in enumerate(parts, start=1):
        start, end = spans[first].start, spans[last].end if last + 1 == len(spans) else spans[last + 1].start
        if len(parts) == 1:
            start, end = 0, len(text)
        part_pages = tuple(Page(p.number, p.start - start, p.end - start) for p in spans[first : last + 1])
        yield Document(
            id="",
            text=text[start:end],
            source=str(path),
            title=title if len(parts) == 1 else f"{title} (pages {spans[first].number}-{spans[last].number})",
            pages=part_pages,
            meta=meta if len(parts) == 1 else {**meta, "part": number, "parts": len(parts)},
        )


def _page_parts(spans, size: int) -> list[tuple[int, int]]:
    """(first, last) page indexes of consecutive runs of pages of about `size` characters each: a long
    PDF (a whole code of law) is ingested as parts, so memory stays that of one part."""
    parts, first, length = [], 0, 0
    for i, page in enumerate(spans):
        length += page.end - page.start
        if length >= size and i + 1 < len(spans):
            parts.append((first, i))
            first, length = i + 1, 0
    parts.append((first, len(spans) - 1))
    return parts


class _PageText:
    """One page while it is read: the extractor, and its text from its lines (page numbers that
    stand alone as the first or last line left out) or, without lines, as extracted."""

    def __init__(self, extractor: str, raw: str, lines: list[Line], width: float, extra: str = ""):
        self.extractor, self.width, self.extra = extractor, width, extra
        self.lines = _without_page_numbers(lines)
        self.text = (page_text(self.lines, width) if lines else raw) + extra


def _without_page_numbers(lines: list[Line]) -> list[Line]:
    lines = [line for line in lines if line.text.strip()]
    if lines and PAGE_NUMBER.fullmatch(lines[-1].text):
        lines = lines[:-1]
    if lines and PAGE_NUMBER.fullmatch(lines[0].text):
        lines = lines[1:]
    return lines


def _join_pages(pages: list[_PageText]) -> tuple[str, tuple[Page, ...]]:
    """The document text and its Page spans: pages joined with PAGE_SEPARATOR, or like two lines
    of a paragraph where the last paragraph of a page runs on at the top of the next."""
    pieces, spans, offset = [], [], 0
    for number, (page, following) in enumerate(zip(pages, pages[1:] + [None]), start=1):
        if following is None:
            separator = ""
        elif page.lines and following.lines and not page.extra and runs_on(
            page.lines, page.width, following.lines, following.width
        ):
            separator = joiner(page.text, following.text)
        else:
            separator = PAGE_SEPARATOR
        piece = page.text + separator
        pieces.append(piece)
        spans.append(Page(number=number, start=offset, end=offset + len(piece)))
        offset += len(piece)
    return "".join(pieces), tuple(spans)


def pick_page_text(primary: str, fallback: str) -> tuple[str, str]:
    """Choose one page's text: pdfplumber's unless it is empty, much shorter, or CID garbage.

    Args:
        primary: the page's text from pdfplumber ("" if it failed).
        fallback: the same page's text from pypdfium2.
    Returns:
        (text, extractor name): "pdfplumber" or "pypdfium2".
    """
    fallback_chars = len(_SPACE.sub("", fallback))
    if fallback_chars and (
        _CID.search(primary) or len(_SPACE.sub("", primary)) < MIN_SHARE * fallback_chars
    ):
        return fallback, "pypdfium2"
    # With no fallback text either, "(cid:N)" placeholders are all that is left: they carry no text.
    return _CID.sub("", primary), "pdfplumber"


def _ocr_pages(
    pdf: pdfium.PdfDocument, path: Path, scanned: list[int], pages: list[_PageText], settings: Settings
) -> tuple[dict, ExtractionFailed | None]:
    """OCR the scanned pages, replacing them in `pages`.

    Returns:
        What to add to the Document's meta, and the error that left pages unread (or None).
    """
    text_layer = "\n".join(page.text for i, page in enumerate(pages) if i not in scanned)
    lang, source = choose_lang(settings.ocr_lang, text_layer, path)
    meta: dict = {"ocr_lang": lang, "ocr_lang_from": source}
    engine = Tesseract(command=settings.tesseract_cmd, lang=lang)
    done: list[int] = []
    unread: list[int] = []
    error: ExtractionFailed | None = None
    try:
        engine.check()
    except OcrUnavailable as err:
        unread, error = list(scanned), err
    for index in scanned if error is None else ():
        try:
            image, dpi = _render(pdf[index])
            lines = engine.read(image, dpi)
        except ExtractionFailed as err:  # one bad page (a timeout, a crash) spares the others
            unread.append(index)
            error = err
            continue
        if page_text(lines).strip():
            # A scan's own short text layer (a signature line) is kept after the OCR text.
            own = pages[index].text.strip()
            pages[index] = _PageText("tesseract", "", lines, image.width, extra="\n" + own if own else "")
        done.append(index)
    if done:
        meta.update(ocr=True, ocr_pages=[i + 1 for i in done])
    if unread:
        meta.update(unread_pages=[i + 1 for i in sorted(unread)], unread_reason=str(error))
    return meta, error


def _open(path: Path) -> pdfium.PdfDocument:
    """Open the PDF with pypdfium2, which also vets it: corrupt, truncated, encrypted."""
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise ExtractionFailed("the PDF is encrypted and needs a password") from err
        raise ExtractionFailed(f"corrupt or truncated PDF ({err})") from err


def _pdfium_texts(pdf: pdfium.PdfDocument) -> list[str]:
    """Every page's text via pypdfium2."""
    texts = []
    for page in pdf:
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
        textpage.close()
        page.close()
    return texts


def _pdfium_lines(page: pdfium.PdfPage) -> list[Line]:
    """A page's lines from pypdfium2's characters and their loose boxes (font ascent to descent: a
    tight box is empty for some CID fonts), or [] if characters and text do not line up."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if len(text) != textpage.count_chars():
            return []  # characters outside the BMP: indices and string positions differ
        height = page.get_height()
        lines, row = [], []
        for index, char in enumerate(text + "\n"):
            if char in "\r\n":
                lines.extend(_row_lines(row, height))
                row = []
            elif char.isspace():
                if row:
                    row.append((char, None))
            else:
                row.append((char, textpage.get_charbox(index, loose=True)))
        return lines
    finally:
        textpage.close()


def _row_lines(row: list[tuple[str, tuple | None]], height: float) -> list[Line]:
    boxed = [(c, b) for c, b in row if b is not None]
    if not boxed:
        return []
    em = sorted(b[3] - b[1] for _, b in boxed)[len(boxed) // 2] or 1.0
    positioned, last = [], boxed[0][1]
    for char, box in row:  # spaces take the position of the character before them
        last = box or (last[2], last[1], last[2], last[3])
        positioned.append((char, last))
    cells = split_cells(positioned, lambda item: (item[1][0], item[1][2]), em)
    return [
        Line(
            text="".join(c for c, _ in cell).strip(),
            x0=min(b[0] for _, b in cell),
            x1=max(b[2] for _, b in cell),
            top=height - max(b[3] for _, b in cell),
            bottom=height - min(b[1] for _, b in cell),
            cell=len(cells) > 1,
        )
        for cell in cells
    ]


def _read_pdfplumber(path: Path, page_count: int) -> list[list[Line]]:
    """Every page's lines via pdfplumber; [] for a page (or the whole file) it cannot handle."""
    pages: list[list[Line]] = [[] for _ in range(page_count)]
    # pdfminer raises assorted exception types on malformed content; pypdfium2 already
    # opened the file, so any page pdfplumber fails on simply falls back to it.
    try:
        with pdfplumber.open(path) as pdf:
            for i, page in enumerate(pdf.pages[:page_count]):
                try:
                    pages[i] = [line for row in page.extract_text_lines() for line in _plumber_row(row)]
                except Exception:
                    pass
                page.close()
    except Exception:
        pass
    return pages


def _plumber_row(row: dict) -> list[Line]:
    """One pdfplumber text line as a Line, or as one Line per cell when wide gaps cut it."""
    chars = [c for c in row["chars"] if c["text"].strip()]
    if not chars:
        return []
    em = sorted(c["bottom"] - c["top"] for c in chars)[len(chars) // 2] or 1.0
    cells = split_cells(chars, lambda c: (c["x0"], c["x1"]), em)
    starts = _char_offsets(row["text"], chars)
    if len(cells) == 1 or starts is None:
        return [Line(row["text"], row["x0"], row["x1"], row["top"], row["bottom"])]
    lines, first = [], 0
    for cell in cells:
        end = first + len(cell)
        # The cell's part of pdfplumber's line text, so spacing stays as pdfplumber set it.
        text = row["text"][starts[first] : starts[end] if end < len(chars) else len(row["text"])]
        lines.append(
            Line(
                text=text.strip(),
                x0=min(c["x0"] for c in cell),
                x1=max(c["x1"] for c in cell),
                top=min(c["top"] for c in cell),
                bottom=max(c["bottom"] for c in cell),
                cell=True,
            )
        )
        first = end
    return lines


def _char_offsets(text: str, chars: list[dict]) -> list[int] | None:
    """Where each character of `chars` sits in the line `text` (None if they cannot be found)."""
    offsets, pos = [], 0
    for char in chars:
        found = text.find(char["text"], pos)
        if found < 0:
            return None
        offsets.append(found)
        pos = found + len(char["text"])
    return offsets


def _image_share(page: pdfium.PdfPage) -> float:
    """The share of the page's area that its images cover (overlaps counted twice, capped at 1)."""
    width, height = page.get_size()
    covered = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=5):
        left, bottom, right, top = obj.get_bounds()
        covered += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
    return min(1.0, covered / (width * height)) if width * height else 0.0


def _render(page: pdfium.PdfPage):
    """The page as a grayscale image at DPI (less for very large pages), and its resolution.

    The grayscale is the red channel: red seals and stamps, which Tesseract's layout analysis
    otherwise takes for a picture together with the title under them, turn pale, while black
    and blue ink stay dark.
    """
    width, height = page.get_size()
    scale = DPI / 72
    pixels = width * height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= math.sqrt(MAX_PIXELS / pixels)
    image = page.render(scale=scale).to_pil()
    return (image.getchannel("R") if image.mode in ("RGB", "RGBA", "RGBX") else image), scale * 72
