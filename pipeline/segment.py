"""Segmentation stage: sentences and heading lines with exact offsets, and words for the lexical index.

Heading levels and the numbered labels that give them are defined in `pipeline.headings`
(PART > CHAPTER > SECTION > SUBSECTION > ARTICLE > CLAUSE > SUBCLAUSE > SUBSUBCLAUSE > POINT).
An article stays open until a label above ARTICLE level appears.

A labelled line is a heading (`kind="heading"`) when it is short (50 characters in Chinese,
160 otherwise) and does not end in sentence or clause punctuation ("Điều 5. Quyền của công
dân", "第一章 总则", "1. Mục tiêu"). A labelled line that is long or ends in punctuation is
content that opens a numbered section ("1. Chỗ ở hợp pháp là ...", "第一条 为了...。"): its
first sentence is `kind="sentence"` with `level` set to the label's level, and every other
sentence has level 0. An unlabelled line is a heading only when it stands alone as a
paragraph, is short (40 / 100 characters), has no final punctuation, has two letters and
more text follows it ("NGHỊ QUYẾT", "依托“组织力量”,保障治理目标"); its level is SECTION, or,
right after a heading that is a bare label ("Chương IV" then "ĐĂNG KÝ THƯỜNG TRÚ"), the
label's level: it is that heading's title, and the chunker joins the two in heading paths.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .headings import ARTICLE, CLAUSE, SECTION, SUBSECTION, TRAILING_MARKUP, ZH_ITEM, heading_label
from .lang.vi import load_underthesea, word_segmenter
from .lang.zh import jieba_tokenizer
from .language import detect_document
from .normalize import merged_spans
from .types import Document, Segment

_DATA = Path(__file__).parent / "data"

# Closing quotes and brackets are looked through when asking how a line ends.
_CLOSERS = "”’』」）)》】\"'»]"
_FINAL_PUNCT = set(".;:!?,。；：！？，、…")
_MAX_HEADING = {"zh": 50}
_MAX_TITLE = {"zh": 40}
_MAX_HEADING_DEFAULT = 160
_MAX_TITLE_DEFAULT = 100


def _ends_open(text: str) -> bool:
    """True when the text does not end in sentence or clause punctuation."""
    core = text.rstrip(TRAILING_MARKUP).rstrip(_CLOSERS).rstrip(TRAILING_MARKUP)
    return bool(core) and core[-1] not in _FINAL_PUNCT


def _has_letters(text: str, at_least: int = 1) -> bool:
    return sum(1 for ch in text if ch.isalpha()) >= at_least


# ---------------------------------------------------------------- sentence splitting

_ZH_END = re.compile(
    r"(?:[。！？!?；;]+|…+|\.{2,}|(?<![0-9A-Za-z.])\.(?![0-9A-Za-z.]))[”’』」）)》】\"']*"
)
_OTHER_END = re.compile(r"[.!?…]+[”’\"')\]»]*(?=\s)")
_LEADING_CLOSERS = re.compile(r"[”’»)\]}]+|[\"'](?=\s|$)")


def _regex_sentences(text: str, ends: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in ends.finditer(text):
        if text[start : m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [strip_span(text, s, e) for s, e in spans]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span narrowed to exclude whitespace at both ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def align_pieces(pieces: Iterable[str], text: str) -> list[tuple[int, int]]:
    """Offsets in `text` of consecutive pieces a tool returned, whatever it did to whitespace.

    Pieces are matched by their count of non-whitespace characters, so a tool that joins,
    drops or changes whitespace still maps back exactly; characters the tool dropped are
    given to the last piece, so nothing is lost.
    """
    spans, pos, n = [], 0, len(text)
    for piece in pieces:
        need = sum(1 for ch in piece if not ch.isspace())
        if need == 0:
            continue
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            break
        start = pos
        while pos < n and need:
            if not text[pos].isspace():
                need -= 1
            pos += 1
        spans.append((start, pos))
    rest = text[pos:].rstrip()
    if rest.strip():
        if spans:
            spans[-1] = (spans[-1][0], pos + len(rest))
        else:
            spans.append(strip_span(text, pos, pos + len(rest)))
    return spans


def _vi_sentences(text: str) -> list[tuple[int, int]]:
    load_underthesea()
    from underthesea import sent_tokenize

    spans = align_pieces(sent_tokenize(text), text)
    fixed: list[tuple[int, int]] = []
    for start, end in spans:
        # sent_tokenize leaves a closing quote at the start of the next sentence: 'lắm!' '" Rồi'
        m = _LEADING_CLOSERS.match(text, start)
        if fixed and m:
            fixed[-1] = (fixed[-1][0], m.end())
            start = m.end()
            while start < end and text[start].isspace():
                start += 1
            if start >= end:
                continue
        fixed.append((start, end))
    return fixed


def _sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of one line.

    A bare numbered label ("1.", "Điều 5.") is joined to the sentence after it, and a
    fragment without letters or digits ("**", "/.") to the sentence before it.
    """
    if lang == "vi":
        spans = _vi_sentences(text)
    elif lang == "zh":
        spans = _regex_sentences(text, _ZH_END)
    else:
        spans = _regex_sentences(text, _OTHER_END)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (_is_bare_label(text[slice(*merged[-1])]) or not _has_alnum(text[start:end])):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and not _has_alnum(text[slice(*merged[0])]):
        merged[:2] = [(merged[0][0], merged[1][1])]
    return merged


def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _is_bare_label(text: str) -> bool:
    found = heading_label(text)
    return found is not None and not found[2]


# ---------------------------------------------------------------- segment()


def _lines(text: str, skip: Sequence[tuple[int, int]]) -> list[tuple[int, int, bool, bool]]:
    """Units to segment: (start, end, whole_line, alone_in_paragraph), skip spans cut out."""
    lines: list[tuple[int, int, int]] = []  # (start, end, paragraph number) of non-blank lines
    paragraph, pos = 0, 0
    for raw in text.split("\n"):
        start, end = strip_span(text, pos, pos + len(raw))
        pos += len(raw) + 1
        if start == end:
            paragraph += 1
        else:
            lines.append((start, end, paragraph))
    per_paragraph: dict[int, int] = {}
    for _, _, number in lines:
        per_paragraph[number] = per_paragraph.get(number, 0) + 1
    skip = merged_spans(skip)
    skip_starts = [s for s, _ in skip]
    units = []
    for start, end, number in lines:
        pieces = _cut(start, end, skip, skip_starts, text)
        whole = pieces == [(start, end)]
        units.extend((s, e, whole, whole and per_paragraph[number] == 1) for s, e in pieces)
    return units


def _cut(start, end, skip, skip_starts, text) -> list[tuple[int, int]]:
    """The parts of [start, end) outside every skip span, stripped of whitespace."""
    if not skip:
        return [(start, end)]
    i = max(bisect.bisect_right(skip_starts, start) - 1, 0)
    pieces, pos = [], start
    for s, e in skip[i:]:
        if s >= end:
            break
        if e <= pos:
            continue
        if s > pos:
            pieces.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        pieces.append((pos, end))
    return [p for p in (strip_span(text, s, e) for s, e in pieces) if p[0] < p[1]]


def segment(doc: Document) -> list[Segment]:
    """Split a document into sentences and heading lines with exact offsets.

    Segments never cross a line break (so never a paragraph break), are stripped of
    surrounding whitespace and leave out `doc.skip` spans. See the module docstring for
    heading levels and the heading/section-opener rule.

    Args:
        doc: a normalised document; without language spans its languages are detected here.
    Returns:
        Segments in document order, `doc.text[s.start:s.end] == s.text` for each.
    """
    if not doc.lang_spans and not doc.lang:
        doc = detect_document(doc)
    text = doc.text
    segments: list[Segment] = []
    previous: Segment | None = None
    in_article = False
    units = _lines(text, doc.skip)
    for index, (start, end, whole, alone) in enumerate(units):
        line = text[start:end]
        lang = doc.lang_at(start)
        labelled = heading_label(line) if whole else None
        level = 0
        if labelled:
            level, label, rest = labelled
            if level == SUBSECTION and ZH_ITEM.fullmatch(label) and in_article:
                level = CLAUSE
            if level <= ARTICLE:
                in_article = level == ARTICLE
            if len(line) <= _MAX_HEADING.get(lang, _MAX_HEADING_DEFAULT) and (not rest or _ends_open(rest)):
                previous = _heading(doc, start, end, lang, level)
                segments.append(previous)
                continue
        elif whole and alone and index + 1 < len(units) and _is_title(line, lang):
            title_level = SECTION
            if previous is not None and previous.kind == "heading" and _is_bare_label(previous.text):
                title_level = previous.level
            previous = _heading(doc, start, end, lang, title_level)
            segments.append(previous)
            continue
        for s, e in _sentences(line, lang):
            s, e = start + s, start + e
            previous = Segment(doc.id, doc.lang_at(s), s, e, text[s:e], "sentence", level)
            segments.append(previous)
            level = 0
    return segments


def _heading(doc: Document, start: int, end: int, lang: str, level: int) -> Segment:
    return Segment(doc.id, lang, start, end, doc.text[start:end], "heading", level)


def _is_title(line: str, lang: str) -> bool:
    return (
        len(line) <= _MAX_TITLE.get(lang, _MAX_TITLE_DEFAULT)
        and _ends_open(line)
        and _has_letters(line, 2)
        and line[0] not in "-+•*>|"
    )


# ---------------------------------------------------------------- words for the lexical index

# Full-width ASCII (！ to ～) folds to half-width, the ideographic space to a space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WORD_RUN = re.compile(r"\w+")
_OTHER_WORD = re.compile(r"\w+|[^\w\s]")


@lru_cache(maxsize=1)
def _vi_fixed_words() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Governance terms by first syllable, longest first, syllables normalised as tokens are."""
    load_underthesea()
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize

    terms: dict[str, list[tuple[str, ...]]] = {}
    for line in (_DATA / "govdict_vi.txt").read_text(encoding="utf-8").splitlines():
        syllables = tuple(token_normalize(s).lower() for s in line.split())
        if len(syllables) > 1:
            terms.setdefault(syllables[0], []).append(syllables)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in terms.items()}


@lru_cache(maxsize=65536)
def _syllable_key(syllable: str) -> str:
    """A syllable as the governance terms are keyed: underthesea's tone placement, lowercased (cached:
    syllables repeat, and this ran once for every syllable of every sentence)."""
    load_underthesea()
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize

    return token_normalize(syllable).lower()


def merge_governance_terms(tokens: list[str]) -> list[str]:
    """Join consecutive underthesea words that together spell a governance term.

    Unlike underthesea's own `fixed_words` this never splits a word the tagger found, matches
    any capitalisation and leaves underthesea's module-level regex untouched.
    """
    fixed = _vi_fixed_words()
    keys = [tuple(_syllable_key(s) for s in t.split()) for t in tokens]
    out, i = [], 0
    while i < len(tokens):
        for term in fixed.get(keys[i][0] if keys[i] else "", ()):
            j, syllables = i, ()
            while j < len(tokens) and len(syllables) < len(term):
                syllables += keys[j]
                j += 1
            if syllables == term:
                out.append(" ".join(tokens[i:j]))
                i = j
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=16384)
def _vi_words(sentence: str, exact: bool = False) -> tuple[str, ...]:
    """underthesea words of one sentence, syllables separated by spaces, terms joined.

    Cached: templated pages and reposts repeat whole sentences, and the CRF is the costliest step
    of preparing Vietnamese text.
    """
    return tuple(merge_governance_terms(word_segmenter.words(sentence, use_token_normalize=not exact)))


def words(text: str, lang: str) -> list[str]:
    """Tokens of `text` for the lexical index.

    Vietnamese: underthesea words (sentence by sentence), syllables joined by "_",
    governance terms from `data/govdict_vi.txt` kept whole. Chinese: jieba with the
    governance dictionary `data/govdict_zh.txt`. Other: runs of word characters. Full-width
    ASCII is folded to half-width, everything is lowercased and punctuation is dropped.

    Args:
        text: NFC text.
        lang: "vi", "zh" or anything else.
    Returns:
        The tokens in order.

    >>> words("Ban quản trị nhà chung cư họp.", "vi")
    ['ban_quản_trị', 'nhà_chung_cư', 'họp']
    """
    text = text.translate(_FULLWIDTH)
    if lang == "vi":
        load_underthesea()
        from underthesea import sent_tokenize

        return [
            "_".join(w.split()).lower()
            for sentence in sent_tokenize(text)
            for w in _vi_words(sentence)
            if _has_alnum(w)
        ]
    if lang == "zh":
        return [w.strip().lower() for w in jieba_tokenizer().cut(text) if _has_alnum(w)]
    return _WORD_RUN.findall(text.lower())


def word_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """The words of `text` as written: offsets of each word, whitespace left out.

    The same segmentation as `words` without its folding: Vietnamese underthesea words
    (sentence by sentence, governance terms kept whole, syllables as typed), Chinese jieba
    with the governance dictionary, other text runs of word characters and single marks.

    Args:
        text: NFC text.
        lang: "vi", "zh" or anything else.
    Returns:
        (start, end) of each word in order; `text[start:end]` never starts or ends with whitespace.

    >>> [("Ban quản trị  họp."[s:e]) for s, e in word_spans("Ban quản trị  họp.", "vi")]
    ['Ban quản trị', 'họp', '.']
    """
    if lang == "vi":
        load_underthesea()
        from underthesea import sent_tokenize

        spans = []
        for start, end in align_pieces(sent_tokenize(text), text):
            sentence = text[start:end]
            spans += [(start + s, start + e) for s, e in align_pieces(_vi_words(sentence, exact=True), sentence)]
        return spans
    if lang == "zh":
        return align_pieces(jieba_tokenizer().cut(text), text)
    return [m.span() for m in _OTHER_WORD.finditer(text)]
