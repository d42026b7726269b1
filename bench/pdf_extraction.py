"""PDF text extraction against reference text of the same laws: characters, line joins, Han spacing.

    .venv/bin/python bench/pdf_extraction.py      # writes bench/results/pdf-extraction.md

Each PDF of ../shared/pdfs/zh with a reference in zh/reference_text/ (LawRefBook Markdown of the
same law, whose version may differ a little) is read and normalised as ingest does, and the
text that gets indexed (`Document.skip` spans left out: running headers, page numbers) is
compared with the reference:

- character accuracy: 1 - CER, the Levenshtein distance over characters (NFKC, so "(" and "（"
  count as one; all whitespace removed), divided by the reference length (Markdown heading marks
  and comments dropped). The reference is a later version of the Constitution (2018 amendments)
  and has no table of contents, so 1.0 is out of reach;
- line joins: every line break of the extraction is looked up in the reference by the 8
  characters on each side (whitespace removed). A break where the reference runs on in the same
  paragraph splits a sentence or paragraph ("wrong breaks"); a break where the reference has a
  paragraph break is right. Reference paragraph breaks that the extraction runs on through are
  "missed breaks". Breaks whose context is not in the other text (a table of contents, an
  amendment note of another version) are not judged;
- page numbers left in the indexed text (lines that are only a number, "- 3 -" or "第 3 页");
- spaces between two Han characters that the reference writes side by side, found by the 8
  characters on each side (letter-spaced headings such as "序 言", OCR-style gaps); spaces that
  the reference has too ("第一条 为了") do not count.

Hand-written notes below NOTES_MARK in the results file are kept when the report is regenerated.
"""
from __future__ import annotations

import argparse
import re
import time
import unicodedata
from pathlib import Path

from common import ROOT, SHARED, header, write_report
from rapidfuzz.distance import Levenshtein

from pipeline.normalize import normalize
from pipeline.readers import read_file

PAIRS = [
    ("zh/zh_中华人民共和国宪法.pdf", "zh/reference_text/宪法_LawRefBook.md"),
    ("zh/zh_中华人民共和国民法典.pdf", "zh/reference_text/民法典_LawRefBook_concat.md"),
]
NOTES_MARK = "<!-- notes: kept by bench/pdf_extraction.py -->"
CONTEXT = 8
BREAK = "\x00"

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING_MARK = re.compile(r"^#+[ \t]*", re.M)
_SPACE = re.compile(r"[^\S\n]+")
_WHITESPACE = re.compile(r"\s+")
# Lines that are only a page number ("3", "- 3 -", "第 3 页"), as pipeline.normalize.PAGE_NUMBER
# (copied, so that the script also measures code from before that pattern existed).
_PAGE_NUMBER = re.compile(r"[-–—~·•\s]*(?:\d{1,3}(?:\s*/\s*\d{1,3})?|第\s*\d{1,4}\s*[页頁])[-–—~·•\s]*")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_SPACE_HAN = re.compile(f"(?<=[{_HAN}])[^\\S\\n]+(?=[{_HAN}])")


def reference_text(path: Path) -> str:
    """The reference Markdown as plain paragraphs: comments and heading marks removed."""
    text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    return _HEADING_MARK.sub("", text)


def indexed_text(doc) -> str:
    """The document text without its skip spans (what segmentation and the indexes see)."""
    pieces, pos = [], 0
    for start, end in sorted(doc.skip):
        pieces.append(doc.text[pos:start])
        pos = max(pos, end)
    pieces.append(doc.text[pos:])
    return "".join(pieces)


def stream(text: str) -> str:
    """NFKC (half- and full-width brackets alike), whitespace removed, every run of line breaks
    (a paragraph break) kept as one BREAK."""
    paragraphs = [_SPACE.sub("", line) for line in unicodedata.normalize("NFKC", text).split("\n")]
    return BREAK.join(p for p in paragraphs if p)


def break_contexts(text: str) -> list[tuple[str, str]]:
    """(left, right) CONTEXT characters around every BREAK of a stream, breaks elsewhere dropped."""
    out = []
    for m in re.finditer(BREAK, text):
        left = text[max(0, m.start() - 4 * CONTEXT) : m.start()].replace(BREAK, "")[-CONTEXT:]
        right = text[m.end() : m.end() + 4 * CONTEXT].replace(BREAK, "")[:CONTEXT]
        if len(left) == CONTEXT and len(right) == CONTEXT:
            out.append((left, right))
    return out


def judge_breaks(ours: str, theirs: str) -> tuple[int, int, int]:
    """Of the breaks in stream `ours`: (found as breaks in `theirs`, run on in `theirs`, not judged)."""
    right = wrong = unknown = 0
    for left, rest in break_contexts(ours):
        if left + BREAK + rest in theirs:
            right += 1
        elif left + rest in theirs:
            wrong += 1
        else:
            unknown += 1
    return right, wrong, unknown


def spurious_han_spaces(ours: str, theirs: str) -> int:
    """Spaces between two Han characters in `ours` where `theirs` has the two side by side."""
    chars, spaced = [], []
    for line in theirs.split("\n"):
        pending = False
        for ch in line:
            if ch.isspace():
                pending = bool(chars)
            else:
                chars.append(ch)
                spaced.append(pending)
                pending = False
    flat = "".join(chars)
    count = 0
    for m in _HAN_SPACE_HAN.finditer(ours):
        left = _WHITESPACE.sub("", ours[max(0, m.start() - 4 * CONTEXT) : m.start()])[-CONTEXT:]
        right = _WHITESPACE.sub("", ours[m.end() : m.end() + 4 * CONTEXT])[:CONTEXT]
        at = flat.find(left + right)
        if at >= 0 and flat.find(left + right, at + 1) < 0 and not spaced[at + len(left)]:
            count += 1
    return count


def measure(pdf: Path, ref: Path) -> dict:
    t0 = time.perf_counter()
    doc = normalize(next(iter(read_file(pdf))))
    seconds = time.perf_counter() - t0
    ours = indexed_text(doc)
    theirs = reference_text(ref)
    a, b = stream(ours), stream(theirs)
    a_chars, b_chars = a.replace(BREAK, ""), b.replace(BREAK, "")
    distance = Levenshtein.distance(a_chars, b_chars)
    right, wrong, unknown = judge_breaks(a, b)
    ref_kept, ref_missed, ref_unknown = judge_breaks(b, a)
    return {
        "file": pdf.name,
        "pages": len(doc.pages),
        "seconds": seconds,
        "chars": len(a_chars),
        "ref_chars": len(b_chars),
        "distance": distance,
        "accuracy": 1 - distance / len(b_chars),
        "breaks": a.count(BREAK),
        "right_breaks": right,
        "wrong_breaks": wrong,
        "unjudged_breaks": unknown,
        "ref_breaks": ref_kept + ref_missed,
        "missed_breaks": ref_missed,
        "han_spaces": len(_HAN_SPACE_HAN.findall(ours)),
        "spurious_han_spaces": spurious_han_spaces(ours, theirs),
        "skipped_lines": len(doc.skip),
        "page_number_lines": sum(bool(_PAGE_NUMBER.fullmatch(line)) for line in ours.split("\n") if line.strip()),
        "extractors": sorted(set(doc.meta.get("extractor", ()))),
    }


def table(results: list[dict]) -> list[str]:
    lines = [
        "| file | pages | read s | chars (ref) | char accuracy | breaks: right / wrong / not judged "
        "| ref breaks missed | Han␠Han spurious (all) | skipped lines | page numbers indexed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['file']} | {r['pages']} | {r['seconds']:.1f} | {r['chars']} ({r['ref_chars']}) "
            f"| {r['accuracy']:.4f} | {r['right_breaks']} / {r['wrong_breaks']} / {r['unjudged_breaks']} "
            f"| {r['missed_breaks']} of {r['ref_breaks']} | {r['spurious_han_spaces']} ({r['han_spaces']}) "
            f"| {r['skipped_lines']} | {r['page_number_lines']} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    folder = SHARED / "pdfs"
    if not folder.is_dir():
        raise SystemExit(f"reference PDFs not found at {folder}")
    results = [measure(folder / pdf, folder / ref) for pdf, ref in PAIRS]
    lines = [header("PDF extraction against reference text"), ""]
    lines.append(
        "Indexed text (skip spans left out) against LawRefBook Markdown of the same law. Character "
        "accuracy is 1 - CER over NFKC text with whitespace removed; a wrong break is a line break where the "
        "reference runs on within a paragraph, a missed break a reference paragraph break the "
        "extraction runs through (each judged by 8 characters of context on either side)."
    )
    lines.append("")
    lines.extend(table(results))
    out = ROOT / "bench" / "results" / "pdf-extraction.md"
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    notes = old.split(NOTES_MARK, 1)[1] if NOTES_MARK in old else "\n"
    write_report("pdf-extraction", "\n".join(lines) + "\n\n" + NOTES_MARK + notes)


if __name__ == "__main__":
    main()
