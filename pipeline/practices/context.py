"""A document as the rules see it: sentences, passages and headings as spans, and tagged words.

Chinese words come from jieba's POS tagger over its own dictionary (without govtext's terms, so no
known answers), Vietnamese ones from underthesea's tagger with segment's governance terms kept whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Sequence

from ..lang.vi import load_underthesea
from ..lang.zh import plain_pos_tokenizer
from ..normalize import fold
from ..segment import align_pieces
from ..types import Document, Segment


# ---------------------------------------------------------------- document context


@dataclass
class Context:
    """A document with its sentences, passages, paragraphs and headings as sorted spans."""

    doc: Document
    segments: list[Segment]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    passages: list[tuple[int, int]] = field(default_factory=list)
    headings: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, level

    def __post_init__(self):
        self.sentences = [(s.start, s.end) for s in self.segments]
        self.headings = [(s.start, s.end, s.level) for s in self.segments if s.kind == "heading"]
        self.passages = _passages(self.doc.text, self.segments)
        self._starts = [s for s, _ in self.sentences]
        self._pstarts = [s for s, _ in self.passages]
        self._folded: str | None = None

    @property
    def folded(self) -> str:
        """`fold(text)`, computed once: it has the same length, so offsets carry over."""
        if self._folded is None:
            self._folded = fold(self.doc.text)
        return self._folded

    @property
    def text(self) -> str:
        return self.doc.text

    def lang_at(self, pos: int) -> str:
        lang = self.doc.lang_at(pos)
        return "zh" if lang.startswith("zh") else lang

    def spans_with(self, spans: list[tuple[int, int]], lang: str, pattern: re.Pattern | str) -> Iterator[tuple[int, str]]:
        """(start, text) of each of `spans` (sentences or passages) written in `lang` where `pattern` matches:
        where each language's rules look for names."""
        for start, end in spans:
            if self.lang_at(start) != lang:
                continue
            piece = self.text[start:end]
            if re.search(pattern, piece):
                yield start, piece

    def sentence_at(self, pos: int) -> tuple[int, int]:
        return _span_at(self.sentences, self._starts, pos)

    def passage_at(self, pos: int) -> tuple[int, int]:
        return _span_at(self.passages, self._pstarts, pos)

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        """The paragraph holding `pos`, joined across line breaks that split a sentence."""
        start, end = self.passage_at(pos)
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        return line_start, len(text) if line_end < 0 else line_end

    def section_at(self, pos: int) -> str:
        """The heading (with a heading directly above it) that the position falls under."""
        found = [h for h in self.headings if h[0] <= pos]
        if not found:
            return ""
        last = found[-1]
        if pos < last[1]:  # the mention is in the heading itself
            return self.text[last[0]: last[1]]
        titles = [self.text[last[0]: last[1]]]
        if len(found) > 1:
            prev = found[-2]
            between = [s for s in self.sentences if prev[1] <= s[0] < last[0]]
            if not between:
                titles.insert(0, self.text[prev[0]: prev[1]])
        return " / ".join(titles)


def _span_at(spans: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    import bisect

    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and spans[i][0] <= pos < max(spans[i][1], spans[i][0] + 1):
        return spans[i]
    # between segments (a skipped line): the line itself
    return pos, pos


_PASSAGE_END = re.compile(r"[。！？!?…]|(?<![\d.])\.(?!\d)")
_MAX_PASSAGE = 600


def _passages(text: str, segments: Sequence[Segment]) -> list[tuple[int, int]]:
    """Sentence spans joined into grammatical sentences: semicolons and broken lines don't end one.

    The Erqi report breaks lines inside words ("要广" / "泛征求群众意见"); a passage runs on until a
    sentence-final mark, a heading or `_MAX_PASSAGE` characters.
    """
    out: list[tuple[int, int]] = []
    open_span: tuple[int, int] | None = None
    for s in segments:
        if s.kind == "heading":
            if open_span:
                out.append(open_span)
                open_span = None
            out.append((s.start, s.end))
            continue
        if open_span is None:
            open_span = (s.start, s.end)
        elif s.end - open_span[0] <= _MAX_PASSAGE:
            open_span = (open_span[0], s.end)
        else:
            out.append(open_span)
            open_span = (s.start, s.end)
        tail = text[open_span[0]: open_span[1]].rstrip("”’」』\"')）] ")
        if _PASSAGE_END.search(tail[-1:] if tail else ""):
            out.append(open_span)
            open_span = None
    if open_span:
        out.append(open_span)
    return out


@lru_cache(maxsize=4096)
def zh_tokens(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, word, flag) of jieba's words in `text`."""
    out, pos = [], 0
    for pair in plain_pos_tokenizer().cut(text, HMM=True):
        word, flag = pair.word, pair.flag
        out.append((pos, pos + len(word), word, flag))
        pos += len(word)
    return tuple(out)


def zh_freq(word: str) -> int:
    """jieba's corpus frequency of `word` (0 when its dictionary lacks it)."""
    tok = plain_pos_tokenizer().tokenizer
    return tok.FREQ.get(word, 0) or 0


# ---------------------------------------------------------------- underthesea (Vietnamese)


@lru_cache(maxsize=4096)
def vi_tokens(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, word, tag) of underthesea's tagged words in one sentence."""
    from ..segment import merge_governance_terms

    tagged = load_underthesea().pos_tag(sentence)
    spans = align_pieces([w for w, _ in tagged], sentence)
    tokens = [(s, e, sentence[s:e], t) for (s, e), (_, t) in zip(spans, tagged)]
    # governance terms of segment's dictionary stay one noun: "nhà ở xã hội", not "nhà" + "ở" + ...
    merged = merge_governance_terms([t[2] for t in tokens])
    if len(merged) == len(tokens):
        return tuple(tokens)
    out, i = [], 0
    for word in merged:
        group, syllables = [], 0
        while i < len(tokens) and syllables < len(word.split()):
            group.append(tokens[i])
            syllables += len(tokens[i][2].split())
            i += 1
        tag = group[0][3] if len(group) == 1 else "N"
        out.append((group[0][0], group[-1][1], sentence[group[0][0]: group[-1][1]], tag))
    return tuple(out)


# ---------------------------------------------------------------- candidate records


@dataclass
class Candidate:
    """A span a rule proposes as a mention, before overlaps are resolved."""

    start: int
    end: int
    name_start: int  # span of the name proper (inside quotes, without a head noun)
    name_end: int
    kind: str
    strength: float
    cue: str = ""
    expansion: tuple[int, int] | None = None
    quoted: bool = False
