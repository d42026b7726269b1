"""OCR of scanned PDF pages with Tesseract: the language to read in, and page images to Lines.

Tesseract runs as a subprocess (`tesseract stdin stdout -l LANG --psm 3 --dpi 300 tsv`): the page
image goes in on stdin as PNG and word boxes come back as TSV, which `_layout` turns into
paragraphs like a PDF text layer. pytesseract wraps the same command but writes temporary files
and keeps the command path in module state; calling it directly keeps one Tesseract per reader,
with its own command, language and time limit.
"""
from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import tesseract_lang
from ..errors import ExtractionFailed, OcrUnavailable
from ..lang.zh import HAN_BMP_RE
from ..language import detect_language
from ._layout import Line, joiner, split_cells

if TYPE_CHECKING:
    from PIL import Image

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-chi-sim tesseract-ocr-chi-tra"
DEFAULT_LANG = "vie+chi_sim"
DPI = 300
# Fully automatic page segmentation: finds the columns of a decree's header and the blocks of a
# notice; a single uniform block (--psm 6) runs the two header columns together.
PSM = 3
# Pages larger than this (in pixels at DPI) are rendered smaller: an A3 scan stays under it.
MAX_PIXELS = 40_000_000
TIMEOUT_SECONDS = 300
# A block in which Tesseract finds no words, at least this many inches wide and high, is read
# again as text (a seal or signature over the signer's name makes it take the block for a picture).
PICTURE_MIN_INCHES = 0.5
# A line whose words Tesseract is on average less sure of than this is specks, a stamp or the
# strokes of a seal, not text; words of surer lines are all kept.
MIN_LINE_CONFIDENCE = 50

# A language tag at the start of a file name: "zh-TW_公告.pdf", "vi_199-2026-ND-CP.pdf".
_NAME_TAG = re.compile(r"^(zh|vi)(?:[-_](tw|hk|mo|hant|cn|sg|hans))?(?=[-_. ]|$)", re.IGNORECASE)
_WORD_CHAR = re.compile(r"[^\W_]")


def chinese_script(text: str) -> str:
    """Tesseract's Chinese model for `text`: chi_tra when it has more traditional-only than
    simplified-only characters, else chi_sim.

    A character that Big5 encodes but GB2312 does not (區, 會, 條) counts as traditional; one that
    GB2312 encodes but Big5 does not (区, 会, 条) as simplified.
    """
    traditional = simplified = 0
    for char in set(HAN_BMP_RE.findall(text)):
        in_big5, in_gb = _encodes(char, "big5"), _encodes(char, "gb2312")
        traditional += in_big5 and not in_gb
        simplified += in_gb and not in_big5
    return "chi_tra" if traditional > simplified else "chi_sim"


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def choose_lang(setting: str, text_layer: str, path: Path) -> tuple[str, str]:
    """The OCR language for a PDF's scanned pages, and where it came from.

    In order: the setting (`Settings.ocr_lang`, `$GOVTEXT_OCR_LANG`, `--ocr-lang`); the language of
    the text on the PDF's other pages; a language tag or the script of the file name
    ("zh-TW_公告.pdf", "vi_199-ND-CP.pdf", "宪法.pdf"); else DEFAULT_LANG.

    Args:
        setting: the configured language ("" for automatic).
        text_layer: the text of the PDF's pages that have a text layer.
        path: the PDF.
    Returns:
        (Tesseract language string, one of "setting", "text layer", "file name", "default").
    """
    if setting:
        return tesseract_lang(setting), "setting"
    found = _lang_of_text(text_layer)
    if found:
        return found, "text layer"
    tag = _NAME_TAG.match(path.name)
    if tag:
        lang, region = tag.group(1).lower(), (tag.group(2) or "").lower()
        if lang == "vi":
            return "vie", "file name"
        return ("chi_tra" if region in ("tw", "hk", "mo", "hant") else "chi_sim"), "file name"
    found = _lang_of_text(re.sub(r"[-_.]+", " ", path.stem))
    if found:
        return found, "file name"
    return DEFAULT_LANG, "default"


def _lang_of_text(text: str) -> str:
    lang = detect_language(text) if text.strip() else "other"
    if lang == "vi":
        return "vie"
    if lang == "zh":
        return chinese_script(text)
    return ""


@dataclass
class Tesseract:
    """The Tesseract command, set to one language: `read(image)` gives the page's Lines."""

    command: str = "tesseract"
    lang: str = DEFAULT_LANG
    psm: int = PSM
    timeout: float = TIMEOUT_SECONDS

    def check(self) -> None:
        """Raise OcrUnavailable unless the command runs and has every language's data."""
        missing = [code for code in self.lang.split("+") if code not in _languages(self.command)]
        if missing:
            packages = " ".join("tesseract-ocr-" + code.replace("_", "-") for code in missing)
            raise OcrUnavailable(f"tesseract has no {'+'.join(missing)} language data: apt-get install {packages}")

    def read(self, image: "Image.Image", dpi: float = DPI) -> list[Line]:
        """OCR one page image.

        Blocks that Tesseract's layout analysis takes for pictures (it finds no words in them) are
        read again on their own as one block of text (`--psm 6`): a seal or a signature over the
        signer's title and name otherwise hides them.

        Args:
            image: the page image.
            dpi: its resolution.
        Returns:
            The page's Lines in Tesseract's reading order (block by block), rows cut at wide gaps.
        Raises:
            OcrUnavailable: the command is missing.
            ExtractionFailed: Tesseract failed or timed out on the page.
        """
        lines = []
        min_side = PICTURE_MIN_INCHES * dpi
        for box, found in tsv_blocks(self._run(image, dpi, self.psm)):
            left, top, width, height = box
            if not found and width >= min_side and height >= min_side:
                crop = image.crop((left, top, left + width, top + height))
                found = [
                    replace(line, x0=line.x0 + left, x1=line.x1 + left, top=line.top + top, bottom=line.bottom + top)
                    for line in tsv_lines(self._run(crop, dpi, 6))
                ]
            lines.extend(found)
        return lines

    def _run(self, image: "Image.Image", dpi: float, psm: int) -> str:
        """Tesseract's TSV for one image."""
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        args = [self.command, "stdin", "stdout", "-l", self.lang, "--psm", str(psm), "--dpi", str(round(dpi)), "tsv"]
        try:
            done = subprocess.run(args, input=buffer.getvalue(), capture_output=True, timeout=self.timeout)
        except FileNotFoundError as err:
            raise OcrUnavailable(f"tesseract not found: {INSTALL_HINT}") from err
        except subprocess.TimeoutExpired as err:
            raise ExtractionFailed(f"tesseract took more than {self.timeout:.0f} s on a page") from err
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ExtractionFailed(f"tesseract failed: {message[-1] if message else f'exit status {done.returncode}'}")
        return done.stdout.decode("utf-8", "replace")


@lru_cache(maxsize=8)
def _languages(command: str) -> frozenset[str]:
    try:
        done = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=60)
    except (FileNotFoundError, PermissionError) as err:
        raise OcrUnavailable(f"tesseract not found: {INSTALL_HINT}") from err
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract does not run ({done.stderr.strip() or done.returncode}): {INSTALL_HINT}")
    # The first line names the data folder; the others are language codes.
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def tsv_lines(tsv: str) -> list[Line]:
    """Lines from Tesseract's TSV: the words of each of its lines, joined with spaces except
    between Chinese characters, and cut into cells at wide gaps.

    Args:
        tsv: `tesseract ... tsv` output (a header row, then one row per page, block, paragraph,
            line and word).
    Returns:
        Lines in Tesseract's order. Lines below MIN_LINE_CONFIDENCE on average are left out, and
        so are specks read as a character or two ("ị", "` -"): a line needs a Han character or
        three letters or digits.
    """
    return [line for _, lines in tsv_blocks(tsv) for line in lines]


def tsv_blocks(tsv: str) -> list[tuple[tuple[float, float, float, float], list[Line]]]:
    """Tesseract's blocks in its order: each block's box (left, top, width, height) and Lines."""
    boxes: dict[str, tuple[float, float, float, float]] = {}
    rows: dict[tuple[str, str, str], list[tuple[str, float, float, float, float, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        box = tuple(float(row[k]) for k in ("left", "top", "width", "height"))
        if row.get("level") == "2":
            boxes[row["block_num"]] = box
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top, width, height = box
        key = (row["block_num"], row["par_num"], row["line_num"])
        rows.setdefault(key, []).append((text, left, left + width, top, top + height, float(row["conf"])))
    blocks: dict[str, list[Line]] = {number: [] for number in boxes}
    for (block, _, _), words in rows.items():
        if sum(w[5] for w in words) >= MIN_LINE_CONFIDENCE * len(words):
            blocks.setdefault(block, []).extend(line for line in _row_lines(words) if _has_text(line.text))
    return [(boxes.get(number, (0.0, 0.0, 0.0, 0.0)), lines) for number, lines in blocks.items()]


def _has_text(text: str) -> bool:
    """Whether an OCR line holds text rather than specks: a Han character, or three letters or digits."""
    return bool(HAN_BMP_RE.search(text)) or len(_WORD_CHAR.findall(text)) >= 3


def _row_lines(words: list[tuple[str, float, float, float, float, float]]) -> list[Line]:
    """One Tesseract line's words as Lines: one, or one per cell when wide gaps cut the row."""
    em = sorted(w[4] - w[3] for w in words)[len(words) // 2]
    cells = split_cells(words, lambda w: (w[1], w[2]), em)
    lines = []
    for cell in cells:
        text = cell[0][0]
        for word in cell[1:]:
            text += joiner(text, word[0]) + word[0]
        lines.append(
            Line(
                text=text,
                x0=min(w[1] for w in cell),
                x1=max(w[2] for w in cell),
                top=min(w[3] for w in cell),
                bottom=max(w[4] for w in cell),
                cell=len(cells) > 1,
            )
        )
    return lines
