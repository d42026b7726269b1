"""Chunking stage: pack consecutive segments into retrieval chunks under the model's token limit.

Rules, in order of strength:
- A chunk never contains a skip span: it ends before one.
- A heading starts a new chunk, so does a sentence that opens an article or anything above
  it ("第一条 ...", "Điều 5. ..." when long): chunks never cross an article boundary. A run of
  consecutive headings stays together and leads the chunk of the content under it.
- A chunk holds at most `max_tokens` model tokens. When the next segment does not fit, the
  chunk ends; if it holds a clause opener ("2. ...", "a) ...") past its middle, it ends there
  instead, so a clause is not torn from its number.
- A segment too long on its own is cut at clause punctuation, else at whitespace, else
  between characters.
- A small last chunk of a section (under a quarter of `max_tokens`) takes sentences from the
  end of the chunk before it until it reaches a quarter. (Joining the two never fits: packing
  is greedy, so a chunk only ends when the next segment does not fit into it.)

Heading paths: every heading and section-opening sentence closes the open entries of its
level or deeper and adds itself, a heading with its whole line, an opening sentence with its
label ("第一条", "2."), a bare label heading joined with the title line after it ("Chương IV
ĐĂNG KÝ THƯỜNG TRÚ"). A chunk's `headings` is the path in force at its first sentence after
any headings it starts with.

Token counts: each segment is counted once (minus the prefix and special tokens every count
includes), chunk estimates add one token per joint as margin, and every finished chunk is
checked once with the real counter.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from .headings import ARTICLE, section_label
from .normalize import merged_spans
from .segment import strip_span
from .types import Chunk, Document, Segment, content_hash

_CLAUSE_BREAK = re.compile(r"[，、；：,;:。！？!?…]+[”’』」）)\"']*")
_SPACE_BREAK = re.compile(r"\s+")
_MARKUP = "#*_ \t"


@dataclass
class _Unit:
    """A segment, or a piece of one too long for a chunk, with its token cost."""

    start: int
    end: int
    cost: int  # tokens without the prefix and special tokens
    segment: Segment
    path: tuple[str, ...] = ()  # heading path in force at this unit

    @property
    def is_heading(self) -> bool:
        return self.segment.kind == "heading" and self.start == self.segment.start


def chunk(
    doc: Document,
    segments: Sequence[Segment],
    max_tokens: int = 256,
    count_tokens: Callable[[str], int] | None = None,
) -> list[Chunk]:
    """Pack a document's segments into chunks of at most `max_tokens` model tokens.

    Args:
        doc: the document the segments come from.
        segments: `segment(doc)`, in document order.
        max_tokens: limit per chunk as `count_tokens` counts it (e5: with the "passage: "
            prefix and special tokens).
        count_tokens: token counter; default `pipeline.embed.count_tokens`.
    Returns:
        Chunks in order with `doc.text[c.start:c.end] == c.text`, ordinals 0..n-1 and the
        heading path in force at each chunk's first sentence.
    Raises:
        ValueError: when `max_tokens` leaves no room for text after the counter's overhead.
    """
    if count_tokens is None:
        from .embed import count_tokens, count_tokens_many
    else:
        def count_tokens_many(texts: Sequence[str]) -> list[int]:
            return [count_tokens(t) for t in texts]
    overhead = count_tokens("")
    budget = max_tokens - overhead
    if budget < 8:
        raise ValueError(f"max_tokens={max_tokens} leaves no room for text (overhead {overhead} tokens)")
    known: dict[tuple[int, int], int] = {}

    def cost(start: int, end: int) -> int:
        found = known.get((start, end))
        if found is None:
            found = known[(start, end)] = max(count_tokens(doc.text[start:end]) - overhead, 1)
        return found

    def count_ahead(spans: Sequence[tuple[int, int]]) -> None:
        """Count the spans `cost` will be asked for in one call (one call per span was most of chunking's time)."""
        todo = [span for span in dict.fromkeys(spans) if span not in known]
        for span, n in zip(todo, count_tokens_many([doc.text[s:e] for s, e in todo])):
            known[span] = max(n - overhead, 1)

    count_ahead([(seg.start, seg.end) for seg in segments])
    units = _units(doc, segments, budget, cost)
    groups = [group for section in _sections(doc, units) for group in _pack(section, budget)]
    count_ahead([(group[0].start, group[-1].end) for group in groups if group])
    fitted = [part for group in groups for part in _verify(doc.text, group, budget, cost)]
    return [_make_chunk(doc, group, ordinal) for ordinal, group in enumerate(fitted)]


CONTEXT_TITLE_MAX = 120  # characters


def chunk_context(title: str, chunk: Chunk) -> str:
    """The document title and heading path a chunk sits under, minus what the chunk already starts with.

    Embedded in front of the chunk (not indexed for BM25: bench/results/fusion.md), so a passage deep
    in "Luật Đất đai, Điều 33" still says which law and article it belongs to.
    """
    head = chunk.text[:200]
    parts = []
    if len(title) > CONTEXT_TITLE_MAX:  # a paragraph standing in for a missing title says little
        title = ""
    for part in (title, *chunk.headings):
        part = part.strip()
        if part and part not in head and part not in parts:
            parts.append(part)
    return " / ".join(parts)


def _units(doc: Document, segments: Sequence[Segment], budget: int, cost) -> list[_Unit]:
    """One unit per segment (pieces for oversized ones), each with its heading path."""
    units: list[_Unit] = []
    path: list[tuple[int, str]] = []
    previous: Segment | None = None
    for seg in segments:
        if seg.level:
            # a section-opening sentence contributes its label ("第一条", "2."), a heading its line
            name = (seg.text if seg.kind == "heading" else section_label(seg.text)).strip(_MARKUP)
            if _titles(previous, seg):
                name = f"{path[-1][1]} {name}"  # "Chương IV" + its title line
            while path and path[-1][0] >= seg.level:
                path.pop()
            path.append((seg.level, name))
        previous = seg
        names = tuple(name for _, name in path)
        whole = cost(seg.start, seg.end)
        if whole <= budget:
            pieces = [(seg.start, seg.end, whole)]
        else:
            pieces = _split(doc.text, seg.start, seg.end, budget, cost)
        units.extend(_Unit(s, e, c, seg, names) for s, e, c in pieces)
    return units


def _titles(label: Segment | None, heading: Segment) -> bool:
    """True when `heading` is the title line of `label`, a heading that is only a numbered label."""
    return (
        label is not None
        and label.kind == heading.kind == "heading"
        and label.level == heading.level
        and section_label(label.text) == label.text.strip(_MARKUP)
    )


def _split(text: str, start: int, end: int, budget: int, cost) -> list[tuple[int, int, int]]:
    """Cut [start, end) into stripped pieces of at most `budget` tokens each."""
    for pattern in (_CLAUSE_BREAK, _SPACE_BREAK):
        cuts = [m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end]
        if cuts:
            parts = [strip_span(text, s, e) for s, e in zip([start] + cuts, cuts + [end])]
            return _pack_parts(text, [p for p in parts if p[0] < p[1]], budget, cost)
    return _halve(text, start, end, budget, cost)


def _halve(text: str, start: int, end: int, budget: int, cost) -> list[tuple[int, int, int]]:
    """Cut [start, end) in halves between characters until every piece fits."""
    whole = cost(start, end)
    if whole <= budget or end - start < 2:
        return [(start, end, whole)]
    middle = (start + end) // 2
    halves = [strip_span(text, start, middle), strip_span(text, middle, end)]
    return [piece for s, e in halves if s < e for piece in _halve(text, s, e, budget, cost)]


def _pack_parts(text: str, parts: list[tuple[int, int]], budget: int, cost) -> list[tuple[int, int, int]]:
    """Greedily join consecutive parts while their summed cost fits; split parts that never fit."""
    pieces: list[tuple[int, int, int]] = []
    run_start, run_end, run_cost = None, None, 0
    for s, e in parts:
        c = cost(s, e)
        if c > budget:
            if run_start is not None:
                pieces.append((run_start, run_end, run_cost))
                run_start = None
            pieces.extend(_split(text, s, e, budget, cost))
            continue
        if run_start is not None and run_cost + c + 1 <= budget:
            run_end, run_cost = e, run_cost + c + 1
        else:
            if run_start is not None:
                pieces.append((run_start, run_end, run_cost))
            run_start, run_end, run_cost = s, e, c
    if run_start is not None:
        pieces.append((run_start, run_end, run_cost))
    return pieces


def _sections(doc: Document, units: list[_Unit]) -> list[list[_Unit]]:
    """Runs of units no chunk may cross: cut at skip spans, headings and article openers.

    A heading or article opener right after headings stays with them, so a run of headings
    leads the content under it.
    """
    skip = merged_spans(doc.skip)
    skip_ends = [e for _, e in skip]
    sections: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in units:
        level = unit.segment.level
        opens = unit.is_heading or (level and level <= ARTICLE and unit.start == unit.segment.start)
        if current and (
            _skip_between(skip, skip_ends, current[-1].end, unit.start)
            or (opens and any(not u.is_heading for u in current))
        ):
            sections.append(current)
            current = []
        current.append(unit)
    if current:
        sections.append(current)
    return sections


def _pack(units: list[_Unit], budget: int) -> list[list[_Unit]]:
    """Greedily fill chunks of one section, preferring to end a full chunk at a clause opener."""
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    used = 0
    for unit in units:
        if current and used + 1 + unit.cost > budget:
            cut = _soft_cut(current, budget)
            rest = current[cut:] if cut else []
            if rest and _cost(rest) + 1 + unit.cost <= budget:
                groups.append(current[:cut])
                current = rest
            else:
                groups.append(current)
                current = []
            used = _cost(current)
        used += unit.cost + (1 if current else 0)
        current.append(unit)
    if current:
        groups.append(current)
    _fill_small_tail(groups, budget)
    return groups


def _cost(units: list[_Unit]) -> int:
    """Estimated tokens of consecutive units: their costs plus one per joint as margin."""
    return sum(u.cost for u in units) + max(len(units) - 1, 0)


def _soft_cut(units: list[_Unit], budget: int) -> int:
    """Index of the last clause opener past half the budget, or 0 when there is none."""
    used, best = 0, 0
    for i, unit in enumerate(units):
        if i and unit.segment.level > ARTICLE and unit.start == unit.segment.start and used * 2 >= budget:
            best = i
        used += unit.cost + (1 if i else 0)
    return best


def _fill_small_tail(groups: list[list[_Unit]], budget: int) -> None:
    """Move units from the second-last chunk into a last chunk under a quarter of the budget."""
    if len(groups) < 2:
        return
    before, tail = groups[-2], groups[-1]
    while (
        _cost(tail) * 4 < budget
        and len(before) > 1
        and any(not u.is_heading for u in before[:-1])
        and _cost(tail) + 1 + before[-1].cost <= budget
    ):
        tail.insert(0, before.pop())


def _skip_between(skip: list[tuple[int, int]], skip_ends: list[int], left: int, right: int) -> bool:
    """True when a skip span lies (even partly) between offsets `left` and `right`."""
    i = bisect.bisect_right(skip_ends, left)
    return i < len(skip) and skip[i][0] < right


def _verify(text: str, units: list[_Unit], budget: int, cost) -> list[list[_Unit]]:
    """Check a draft with the real counter once; split it where the estimate was too low."""
    groups = []
    while units:
        if cost(units[0].start, units[-1].end) <= budget:
            groups.append(units)
            break
        if len(units) == 1:
            unit = units[0]
            pieces = _halve(text, unit.start, unit.end, budget, cost)
            groups.extend([_Unit(s, e, c, unit.segment, unit.path)] for s, e, c in pieces)
            break
        low, high = 1, len(units) - 1  # the longest prefix that fits
        while low < high:
            mid = (low + high + 1) // 2
            if cost(units[0].start, units[mid - 1].end) <= budget:
                low = mid
            else:
                high = mid - 1
        groups.append(units[:low])
        units = units[low:]
    return groups


def _make_chunk(doc: Document, units: list[_Unit], ordinal: int) -> Chunk:
    start, end = units[0].start, units[-1].end
    text = doc.text[start:end]
    first = next((u for u in units if not u.is_heading), units[-1])
    size: dict[str, int] = {}
    for u in units:
        size[u.segment.lang] = size.get(u.segment.lang, 0) + u.end - u.start
    return Chunk(
        id=content_hash(doc.id, str(start), str(end), text),
        doc_id=doc.id,
        lang=max(size, key=size.get),
        start=start,
        end=end,
        text=text,
        ordinal=ordinal,
        page=doc.page_at(start),
        headings=first.path,
    )
