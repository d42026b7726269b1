"""Shared test fixtures: sample texts, tiny PDFs generated offline, the shared real-PDF folder."""
from __future__ import annotations

import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
# Reference material beside the checkout (see ../shared/README.md); tests using it skip without it.
SHARED = Path(__file__).resolve().parents[2] / "shared"


# ---------------------------------------------------------------- readers and normalize


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def vi_text() -> str:
    """A few lines of the Giang Biên ward resolution (old-style tones: "Đảng ủy", "hài hòa")."""
    return (DATA / "vi_resolution.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def zh_text() -> str:
    """The start of the Changning report, whose caption line repeats between paragraphs."""
    return (DATA / "zh_report.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared reference material not available at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def shared_pdfs(shared_dir) -> Path:
    folder = shared_dir / "pdfs"
    if not folder.is_dir():
        pytest.skip(f"real PDFs not available at {folder}")
    return folder


def _find_dejavu() -> Path | None:
    candidates = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "DejaVu Sans:style=Book"], capture_output=True, text=True
        ).stdout
        candidates.append(Path(found))
    return next((p for p in candidates if p.name == "DejaVuSans.ttf" and p.is_file()), None)


@pytest.fixture(scope="session")
def pdf_fonts() -> dict[str, str]:
    """Register reportlab fonts: DejaVuSans for Vietnamese, the built-in CID font STSong-Light for Chinese."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    dejavu = _find_dejavu()
    if dejavu is None:
        pytest.skip("DejaVuSans.ttf not found (apt-get install fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(dejavu)))
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return {"vi": "DejaVuSans", "zh": "STSong-Light"}


@pytest.fixture
def make_pdf(tmp_path, pdf_fonts):
    """Build a small PDF in tmp_path: make_pdf([[page 1 lines], [page 2 lines]], title=..., encrypt=...).

    Lines holding CJK characters are set in STSong-Light, others in DejaVuSans; an empty page
    gets a drawn rectangle only (no text layer, like a scan).
    """
    from reportlab.pdfgen import canvas

    def build(pages: list[list[str]], name: str = "doc.pdf", title: str | None = None,
              encrypt: str | None = None) -> Path:
        path = tmp_path / name
        pdf = canvas.Canvas(str(path), encrypt=encrypt)
        if title is not None:
            pdf.setTitle(title)
        for lines in pages:
            if not lines:
                pdf.rect(100, 100, 200, 300, fill=1)
            for i, line in enumerate(lines):
                cjk = any(ord(c) >= 0x2E80 for c in line)
                pdf.setFont(pdf_fonts["zh" if cjk else "vi"], 12)
                pdf.drawString(72, 760 - 18 * i, line)
            pdf.showPage()
        pdf.save()
        return path

    return build


def wrap_words(text: str, width: float, measure, indent: float = 0.0) -> list[str]:
    """Break `text` into lines no wider than `width` (the first `indent` narrower): at spaces, or
    between any two characters of a text without spaces (Chinese)."""
    units = text.split(" ") if " " in text else list(text)
    sep = " " if " " in text else ""
    lines, current = [], ""
    for unit in units:
        candidate = current + sep + unit if current else unit
        if current and measure(candidate) > width - (indent if not lines else 0):
            lines.append(current)
            current = unit
        else:
            current = candidate
    return lines + [current]


@pytest.fixture
def make_paragraph_pdf(tmp_path, pdf_fonts):
    """A one-page PDF of paragraphs set like a Word document: make_paragraph_pdf([text, ...]).

    12 pt type, lines wrapped at a 450 pt measure (left margin 72 pt), 15 pt line pitch, the
    first line of each paragraph indented 24 pt. Returns (path, the lines drawn).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    def build(paragraphs: list[str], name: str = "paragraphs.pdf"):
        path = tmp_path / name
        pdf = canvas.Canvas(str(path))
        y, drawn = 760, []
        for paragraph in paragraphs:
            font = pdf_fonts["zh" if any(ord(c) >= 0x2E80 for c in paragraph) else "vi"]
            pdf.setFont(font, 12)
            lines = wrap_words(paragraph, 450, lambda t: stringWidth(t, font, 12), indent=24)
            for i, line in enumerate(lines):
                pdf.drawString(72 + (24 if i == 0 else 0), y, line)
                drawn.append(line)
                y -= 15
        pdf.save()
        return path, drawn

    return build


@pytest.fixture
def make_scan(tmp_path, pdf_fonts):
    """A PDF of scanned pages, optionally mixed with text pages:
    make_scan([[paragraph, ...] per page], name="vi_scan.pdf", text_pages={0: [lines]}).

    A scanned page is an A4 image at 300 dpi with the paragraphs typeset in DejaVuSans (about
    11 pt), wrapped at the measure with the first line indented, and nothing else: no text layer.
    `text_pages` maps page indices to lines drawn as ordinary text instead.
    """
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = ImageFont.truetype(_find_dejavu(), 46)

    def page_image(paragraphs: list[str]) -> Image.Image:
        image = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(image)
        y = 300
        for paragraph in paragraphs:
            lines = wrap_words(paragraph, 1900, lambda t: draw.textlength(t, font=font), indent=120)
            for i, line in enumerate(lines):
                draw.text((290 + (120 if i == 0 else 0), y), line, font=font, fill=0)
                y += 70
            y += 20
        return image

    def build(pages: list[list[str]], name: str = "scan.pdf", text_pages: dict | None = None) -> Path:
        path = tmp_path / name
        pdf = canvas.Canvas(str(path), pagesize=A4)
        for index, paragraphs in enumerate(pages):
            if text_pages and index in text_pages:
                pdf.setFont(pdf_fonts["vi"], 12)
                for i, line in enumerate(text_pages[index]):
                    pdf.drawString(72, 760 - 18 * i, line)
            else:
                pdf.drawImage(ImageReader(page_image(paragraphs)), 0, 0, width=A4[0], height=A4[1])
            pdf.showPage()
        pdf.save()
        return path

    return build


@pytest.fixture(scope="session")
def tesseract():
    """Skip unless Tesseract and its Vietnamese and Chinese data are installed (scripts/setup.sh)."""
    exe = shutil.which("tesseract")
    if exe is None:
        pytest.skip("tesseract not installed: apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-chi-sim tesseract-ocr-chi-tra")
    listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout.splitlines()[1:]
    langs = {line.strip() for line in listed}
    missing = {"vie", "chi_sim", "chi_tra"} - langs
    if missing:
        pytest.skip(f"tesseract lacks {sorted(missing)} data (scripts/setup.sh installs it)")
    return exe


# ---------------------------------------------------------------- language, segment and chunk

CORPORA = Path(__file__).resolve().parents[1] / "corpora"


def _document(text: str, source: str = ""):
    """A Document of NFC text with `\\r\\n` made `\\n`, its id the content hash, languages detected."""
    import unicodedata

    from pipeline.language import detect_document
    from pipeline.types import Document, content_hash

    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return detect_document(Document(id=content_hash(text), text=text, source=source))


@pytest.fixture(scope="session")
def make_doc():
    """make_doc(text, source="") -> a Document with languages detected, text kept as given (NFC)."""
    return _document


@pytest.fixture(scope="session")
def corpus_docs() -> dict:
    """The five demo documents of corpora/, normalised and language-detected, by file name."""
    from pipeline.language import detect_document
    from pipeline.normalize import normalize

    docs = {}
    for path in sorted(CORPORA.glob("*.txt")):
        raw = _document(path.read_text(encoding="utf-8"), source=path.name)
        docs[path.name] = detect_document(normalize(raw))
    return docs


@pytest.fixture(scope="session")
def vi_law_doc():
    """Luật Cư trú 2020, chapters I and IV excerpted: Chương, Mục, Điều, khoản "1.", điểm "a)"."""
    return _document((DATA / "vi_law.txt").read_text(encoding="utf-8"), source="vi_law.txt")


@pytest.fixture(scope="session")
def zh_law_doc():
    """The first two chapters of a Shanghai regulation: "## 第一章" headings, 第X条 articles."""
    return _document((DATA / "zh_law.txt").read_text(encoding="utf-8"), source="zh_law.txt")


def whole_name(found: set[str], name: str) -> bool:
    """`name` is among the practice names found, and no form of it cut short or run on is."""
    return name in found and not any(c != name and (name in c or c in name) for c in found)


def skip_mask(doc) -> bytearray:
    """One byte per character of `doc.text`: 1 inside a skip span, else 0."""
    mask = bytearray(len(doc.text))
    for s, e in doc.skip:
        mask[s:e] = b"\x01" * (e - s)
    return mask


# ---------------------------------------------------------------- the real model and a demo index


@pytest.fixture(scope="session")
def embedder():
    """The real multilingual-e5-small, loaded once per test session."""
    from pipeline.embed import E5Embedder

    model = E5Embedder()
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def demo_library(embedder, tmp_path_factory):
    """The demo corpus (corpora/) ingested once into a fresh index: (Library, IngestReport)."""
    from pipeline import Library

    lib = Library(tmp_path_factory.mktemp("demo") / "index", embedder=embedder, create=True)
    report = lib.ingest([Path(__file__).resolve().parent.parent / "corpora"])
    return lib, report


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t.json").convert(text)


@pytest.fixture(scope="session")
def versions_library(embedder, tmp_path_factory):
    """The Erqi report three times (as published, reposted with a header and an edit, in traditional
    characters), beside two other demo documents: (Library, {name: doc_id})."""
    src = tmp_path_factory.mktemp("versions")
    erqi = (CORPORA / "zh_erqi_old-neighbourhoods.txt").read_text(encoding="utf-8")
    (src / "erqi.txt").write_text(erqi, encoding="utf-8")
    (src / "erqi-repost.txt").write_text("来源：郑州日报 转载\n\n" + erqi.replace("二七区", "二七新区"), encoding="utf-8")
    (src / "erqi-traditional.txt").write_text(_traditional(erqi), encoding="utf-8")
    for name in ("vi_thanh-xuan_chung-cu-cu_2022.txt", "zh_jiuliting_duxiang.txt"):
        shutil.copy(CORPORA / name, src / name)
    from pipeline import Library

    lib = Library(tmp_path_factory.mktemp("versions-index") / "index", embedder=embedder, create=True)
    report = lib.ingest([src])
    assert report.documents == 5 and not report.failed
    ids = {Path(d["source"]).name: d["doc_id"] for d in lib.documents()}
    return lib, ids


@contextmanager
def chroma_run(folder: Path):
    """A real `chroma run` server on a free local port, storing in `folder`: yields (host, port)."""
    import socket
    import sys
    import time

    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if exe is None:
        pytest.fail("the chroma command is missing: pip install chromadb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [exe, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start within 30 s")
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` server on a free local port: (host, port)."""
    with chroma_run(tmp_path / "server") as address:
        yield address


# ---------------------------------------------------------------- DOCX built with python-docx


class DocxBuilder:
    """A python-docx Document plus real Word list definitions (numbering.xml abstractNum/num).

    >>> b = DocxBuilder(path); num = b.numbering([("upperRoman", "%1."), ("decimal", "%2.")])
    >>> b.item("Mục tiêu", num, level=1); b.save()
    """

    def __init__(self, path: Path):
        import docx

        self.path = path
        self.doc = docx.Document()
        self._numbering = self.doc.part.numbering_part.element
        self._next_abstract = 100
        self._next_num = 100

    def numbering(self, levels, start_at: dict[int, int] | None = None, same_list_as: int | None = None,
                  continuous: tuple[int, ...] = ()) -> int:
        """Add a list definition; returns its numId.

        Args:
            levels: per level (numFmt, lvlText) or (numFmt, lvlText, start).
            start_at: {level: startOverride} to restart a list.
            same_list_as: a numId whose definition (and running counters) the new numId shares.
            continuous: levels that never restart (w:lvlRestart 0), like articles across chapters.
        """
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        if same_list_as is None:
            abstract_id = self._next_abstract
            self._next_abstract += 1
            restart = '<w:lvlRestart w:val="0"/>'
            lvls = "".join(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="{lvl[2] if len(lvl) > 2 else 1}"/>'
                f'<w:numFmt w:val="{lvl[0]}"/>{restart if i in continuous else ""}'
                f'<w:lvlText w:val="{lvl[1]}"/></w:lvl>'
                for i, lvl in enumerate(levels)
            )
            abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
            # abstractNum elements must come before the num elements
            first_num = self._numbering.find(self._w("num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self._numbering.append(abstract)
        else:
            abstract_id = self._abstract_of(same_list_as)
        num_id = self._next_num
        self._next_num += 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for level, start in (start_at or {}).items()
        )
        self._numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
        ))
        return num_id

    def number_style(self, style: str, num_id: int, level: int) -> None:
        """Link a paragraph style to a list level, as Word's multilevel heading lists do."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self.doc.styles[style].element.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        ))

    def item(self, text: str, num_id: int, level: int = 0, style: str | None = None):
        """A paragraph numbered by Word (numPr), its text without the number."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        paragraph = self.doc.add_paragraph(text, style=style)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        ))
        return paragraph

    def save(self, name: str = "doc.docx") -> Path:
        path = self.path / name
        self.doc.save(str(path))
        return path

    def _abstract_of(self, num_id: int) -> str:
        for num in self._numbering.findall(self._w("num")):
            if num.get(self._w("numId")) == str(num_id):
                return num.find(self._w("abstractNumId")).get(self._w("val"))
        raise KeyError(num_id)

    @staticmethod
    def _w(tag: str) -> str:
        return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


@pytest.fixture
def docx_builder(tmp_path) -> DocxBuilder:
    """A fresh DocxBuilder saving into tmp_path."""
    return DocxBuilder(tmp_path)


def _as_format_5(path) -> None:
    import json
    import sqlite3

    from pipeline.index import Manifest
    from pipeline.types import DocMeta

    m = Manifest(path)
    metas = m.document_meta(r[0] for r in m.db.execute("SELECT doc_id FROM documents"))
    m.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute("CREATE TABLE doc_meta (doc_id TEXT PRIMARY KEY, doc_type TEXT NOT NULL DEFAULT '',"
               " year INTEGER NOT NULL DEFAULT 0, issue_date TEXT NOT NULL DEFAULT '',"
               " issuer TEXT NOT NULL DEFAULT '', places TEXT NOT NULL DEFAULT '')")
    for doc_id, meta in list(db.execute("SELECT doc_id, meta FROM documents")):
        flat = (metas.get(doc_id) or DocMeta()).to_dict()
        db.execute("UPDATE documents SET meta=? WHERE doc_id=?",
                   (json.dumps({**json.loads(meta), "metadata": flat}, ensure_ascii=False), doc_id))
        db.execute("INSERT INTO doc_meta VALUES (?,?,?,?,?,?)", (doc_id, flat["doc_type"], flat["year"],
                   flat["issue_date"], flat["issuer"], "\n".join(flat["places"])))
    db.execute("DROP TABLE document_meta")
    db.execute("UPDATE info SET value='5' WHERE key='format'")
    db.execute("COMMIT")
    db.close()


@pytest.fixture(scope="session")
def as_format_5():
    """A function rewriting a manifest the way index format 5 kept metadata: flat JSON in
    `documents.meta` and the filter columns in a `doc_meta` table."""
    return _as_format_5
