"""OCR accuracy on the scanned PDFs of ../shared against hand transcriptions, and OCR time per page.

    .venv/bin/python bench/ocr.py      # writes bench/results/ocr.md

`bench/data/ocr/<pdf name>.p<N>.txt` is a transcription, made by hand from the rendered page
image, of page N of that PDF: the printed text in reading order, one paragraph per line, seals,
stamps and handwriting left out. Each scanned PDF is read through the PDF reader (which renders
its pages at 300 dpi and runs Tesseract) twice: with the OCR language the reader chooses on its
own, and with the combined default `vie+chi_sim`. Character accuracy is 1 - CER: the Levenshtein
distance between the page's text and the transcription, both NFKC with all whitespace removed
(so half- and full-width punctuation count as the same), over the transcription's length.
Seconds per page cover rendering, Tesseract and layout for the whole file.

Hand-written notes below NOTES_MARK in the results file are kept when the report is regenerated.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import time
import unicodedata
from pathlib import Path

from common import ROOT, SHARED, header, write_report
from rapidfuzz.distance import Levenshtein

from pipeline.config import Settings
from pipeline.normalize import normalize, normalize_text
from pipeline.readers import read_file
from pipeline.readers._ocr import DEFAULT_LANG

DATA = ROOT / "bench" / "data" / "ocr"
NOTES_MARK = "<!-- notes: kept by bench/ocr.py -->"
_TRANSCRIPTION = re.compile(r"^(?P<stem>.+)\.p(?P<page>\d+)$")
_WHITESPACE = re.compile(r"\s+")


def comparable(text: str) -> str:
    """`text` as compared: normalised like a document, NFKC, whitespace removed."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", normalize_text(text)))


def char_accuracy(ocr: str, truth: str) -> tuple[float, int, int]:
    """(1 - CER, edit distance, reference characters) of `ocr` against `truth`."""
    a, b = comparable(ocr), comparable(truth)
    distance = Levenshtein.distance(a, b)
    return 1 - distance / len(b), distance, len(b)


def transcriptions() -> dict[Path, dict[int, str]]:
    """Transcribed pages by PDF: {pdf path: {page number: text}}."""
    found: dict[Path, dict[int, str]] = {}
    for path in sorted(DATA.glob("*.txt")):
        m = _TRANSCRIPTION.match(path.stem)
        if not m:
            raise SystemExit(f"{path.name}: name it <pdf name>.p<page>.txt")
        pdfs = list((SHARED / "pdfs").glob(f"*/{m['stem']}.pdf"))
        if not pdfs:
            raise SystemExit(f"{path.name}: no {m['stem']}.pdf under {SHARED / 'pdfs'}")
        found.setdefault(pdfs[0], {})[int(m["page"])] = path.read_text(encoding="utf-8")
    return found


def run(pdf: Path, pages: dict[int, str], lang: str) -> dict:
    t0 = time.perf_counter()
    doc = normalize(next(iter(read_file(pdf, settings=Settings(ocr_lang=lang)))))
    seconds = time.perf_counter() - t0
    scores = {}
    for number, truth in sorted(pages.items()):
        page = doc.pages[number - 1]
        scores[number] = char_accuracy(doc.text[page.start : page.end], truth)
    return {
        "file": pdf.name,
        "lang": f"{doc.meta['ocr_lang']} ({doc.meta['ocr_lang_from']})",
        "pages": len(doc.pages),
        "seconds_per_page": seconds / len(doc.pages),
        "scores": scores,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    found = transcriptions()
    results = []
    for pdf, pages in found.items():
        for lang in ("", DEFAULT_LANG):
            results.append(run(pdf, pages, lang))
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    lines = [header("OCR accuracy on scanned PDFs"), ""]
    lines.append(
        f"{tesseract}, Debian language data (tessdata_fast models), 300 dpi, `--psm 3`. Character "
        "accuracy = 1 - CER against a hand transcription of the page (NFKC, whitespace ignored)."
    )
    lines.append("")
    lines.append("| file | OCR language (chosen by) | page | characters | edit distance | char accuracy | s/page |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        for number, (accuracy, distance, chars) in r["scores"].items():
            lines.append(
                f"| {r['file']} | {r['lang']} | {number} of {r['pages']} | {chars} | {distance} "
                f"| {accuracy:.4f} | {r['seconds_per_page']:.1f} |"
            )
    out = ROOT / "bench" / "results" / "ocr.md"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    notes = old.split(NOTES_MARK, 1)[1] if NOTES_MARK in old else "\n"
    write_report("ocr", "\n".join(lines) + "\n\n" + NOTES_MARK + notes)


if __name__ == "__main__":
    main()
