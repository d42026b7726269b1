"""`find_mentions`: every rule over one document, overlaps resolved, quoted terms dispatched by language."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Mapping, Sequence

from ..segment import segment
from ..types import Document, Segment
from .types import PracticeMention
from .lexicon import QUOTE_PAIRS, abbreviations, canonical_name
from .context import Candidate, Context
from .formulas import formula_candidates, plus_candidates
from .zh import title_candidates, zh_defined_terms, zh_head_candidates, zh_quoted
from .vi import vi_cue_candidates, vi_parallel_candidates, vi_quoted


def find_mentions(doc: Document, segments: Sequence[Segment] | None = None) -> list[PracticeMention]:
    """Practice mentions in one document, by rules over its text and word segmentation.

    Args:
        doc: a normalised, language-detected Document (`normalize` then `detect_document`).
        segments: `segment(doc)` if already computed; computed here otherwise.
    Returns:
        Mentions in text order, non-overlapping, `doc.text[m.start:m.end] == m.name` for each.

    Example:
        >>> doc = detect_document(Document(id="d", text="全程贯彻“一征三议两公开”工作法。"))
        >>> [(m.name, m.canonical) for m in find_mentions(doc)]          # doctest: +SKIP
        [('“一征三议两公开”工作法', '一征三议两公开')]
    """
    if segments is None:
        segments = segment(doc)
    ctx = Context(doc, list(segments))
    cands: list[Candidate] = []
    cands += _quoted_candidates(ctx)
    cands += title_candidates(ctx)
    cands += formula_candidates(ctx)
    cands += plus_candidates(ctx)
    cands += zh_head_candidates(ctx)
    cands += vi_cue_candidates(ctx)
    cands += vi_parallel_candidates(ctx)
    cands += zh_defined_terms(ctx)
    aliases = abbreviations(ctx.text)
    return [_mention(ctx, c, aliases) for c in _resolve(cands)]


def _mention(ctx: Context, c: Candidate, aliases: Mapping[str, str]) -> PracticeMention:
    lang = ctx.lang_at(c.start)
    sentence = ctx.sentence_at(c.start)
    passage = ctx.passage_at(c.start)
    canonical = canonical_name(ctx.text[c.name_start: c.name_end], lang, aliases)
    return PracticeMention(
        name=ctx.text[c.start: c.end], canonical=canonical, lang=lang, doc_id=ctx.doc.id,
        start=c.start, end=c.end, sentence_start=sentence[0], sentence_end=sentence[1],
        passage_start=passage[0], passage_end=passage[1], kind=c.kind, strength=c.strength,
        cue=c.cue, section=ctx.section_at(c.start), expansion=c.expansion,
    )


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the strongest wins an overlap, then the longest."""
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-c.strength, -(c.end - c.start), c.start)):
        if c.end <= c.start:
            continue
        if any(c.start < o.end and o.start < c.end for o in chosen):
            continue
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


# ---------------------------------------------------------------- quoted terms


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of quote pairs that open and close on one line."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in QUOTE_PAIRS and (ch not in "\"'" or _opens_straight(text, i)):
            close = QUOTE_PAIRS[ch]
            j = text.find(close, i + 1)
            newline = text.find("\n", i + 1)
            if j > i + 1 and (newline < 0 or j < newline) and j - i <= 120:
                out.append((i, j))
                i = j + 1
                continue
        i += 1
    return out


def _opens_straight(text: str, i: int) -> bool:
    """A straight quote opens a quotation when it is not inside a word (don't, 5'6)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] == "'" and before.isalnum() and after.isalnum():
        return False
    return not after.isspace()


def _quoted_candidates(ctx: Context) -> list[Candidate]:
    text = ctx.text
    spans = _quote_spans(text)
    repeats = _quote_recurrence(text, spans)
    out: list[Candidate] = []
    accepted_ends: list[int] = []
    for qs, qe in spans:
        inner = text[qs + 1: qe].strip()
        if not inner:
            continue
        lang = ctx.lang_at(qs)
        if lang == "zh":
            c = zh_quoted(ctx, qs, qe, inner, repeats, accepted_ends)
        elif lang == "vi":
            c = vi_quoted(ctx, qs, qe, inner, accepted_ends)
        else:
            c = None
        if c is not None:
            out.append(c)
            accepted_ends.append(qe + 1)
    return out


def _quote_recurrence(text: str, spans: list[tuple[int, int]]) -> Counter:
    """How many distinct lines hold each quoted term (a repeated caption line counts once)."""
    lines: dict[str, set[str]] = defaultdict(set)
    for qs, qe in spans:
        ls = text.rfind("\n", 0, qs) + 1
        le = text.find("\n", qe)
        lines[text[qs + 1: qe].strip()].add(text[ls: le if le >= 0 else len(text)])
    return Counter({k: len(v) for k, v in lines.items()})
