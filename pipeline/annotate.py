"""A document as a spaCy `Doc`: govtext's own words and sentences, with its practices, places, actors and headings.

`Library.doc(doc_id)` builds it from what the index holds; `render_spans` draws its spans with displaCy:

    >>> doc = lib.doc("3f2a")                               # an id or a unique prefix of one
    >>> [(s.text, s.label_) for s in doc.spans["practices"]][:2]
    >>> spacy.displacy.render(doc, style="span", options={"spans_key": "practices", "colors": SPAN_COLORS})

The tokens are the segmentation stage's words (`segment.word_spans`: underthesea for Vietnamese, jieba with
the governance dictionary for Chinese), so `doc.text` is the document text, character for character.
Sentences are the stage's sentences and headings; lines left out of segmentation (distribution lists,
repeated running headers) are sentences of their own. Span groups:

    practices   each practice mention (`practices.find_mentions`), labelled with its kind ("formula",
                "named", "quoted", ...), `span.id_` its canonical name
    places      each occurrence of a place of the document's metadata, labelled with its level
                ("province", "city", "district", "ward", "community")
    actors      each name of the practice layer's actor lexicon (业主委员会, Ban quản trị, ...), labelled
                with its actor type
    headings    each heading line, labelled with its level ("PART", "CHAPTER", ..., "POINT")

Practice, place and heading spans are widened to whole tokens where a name starts or ends inside a word; an
actor name that starts or ends inside a word is not that actor (居民 in 居民自治) and gets no span.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from .headings import ARTICLE, CHAPTER, CLAUSE, PART, POINT, SECTION, SUBCLAUSE, SUBSECTION, SUBSUBCLAUSE
from .segment import word_spans
from .types import PLACE_LEVELS, DocMeta, Document, Segment

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .practices import PracticeMention

SPAN_KEYS = ("practices", "places", "actors", "headings")
HEADING_LABELS = {PART: "PART", CHAPTER: "CHAPTER", SECTION: "SECTION", SUBSECTION: "SUBSECTION",
                  ARTICLE: "ARTICLE", CLAUSE: "CLAUSE", SUBCLAUSE: "SUBCLAUSE", SUBSUBCLAUSE: "SUBSUBCLAUSE",
                  POINT: "POINT"}
PRACTICE_KINDS = ("formula", "named", "quoted", "title", "cue", "slogan", "alias", "recurrence")
# displaCy colours per span group: practices warm, places cool
KEY_COLORS = {"practices": "#f4a261", "places": "#8ecae6", "actors": "#b5e48c", "headings": "#d9d9d9"}
# the same by label, for displacy.render(doc, style="span", options={"spans_key": ..., "colors": SPAN_COLORS})
SPAN_COLORS = {**{kind: KEY_COLORS["practices"] for kind in PRACTICE_KINDS},
               **{level: KEY_COLORS["places"] for level in PLACE_LEVELS}}
# displaCy's span markup with classes instead of inline styles (a page whose CSP forbids inline styles);
# with the offsets below, {top_offset} is the span's row (1, 2, ...) and {total_height} the rows at a token.
# No line breaks of its own, so a page can keep the text's line breaks (white-space: pre-line).
_CLASS_TEMPLATES = {
    "span": '<span class="dx-token dx-stack{total_height}">{text}{span_slices}{span_starts}</span> ',
    "slice": '<span class="dx-slice dx-row{top_offset} dx-{bg}"></span>',
    "start": ('<span class="dx-start dx-row{top_offset} dx-{bg}">'
              '<span class="dx-label dx-{bg}">{label}{kb_link}</span></span>'),
}
_CLASS_OPTIONS = {"template": _CLASS_TEMPLATES, "top_offset": 1, "span_label_offset": 0, "top_offset_step": 1}
_SPANS_STYLE = ' style="line-height: 2.5; direction: ltr"'  # the one inline style displaCy writes itself


def _base_lang(lang: str) -> str:
    return "zh" if lang.startswith("zh") else lang


@lru_cache(maxsize=4)
def _vocab(lang: str):
    """The vocabulary of a blank spaCy pipeline of the language (no model, no word segmenter loaded)."""
    import spacy

    if lang == "vi":
        return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}).vocab
    if lang == "zh":
        return spacy.blank("zh").vocab  # characters: the words come from govtext's jieba, not spaCy's
    return spacy.blank("xx").vocab


def _lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """The non-blank lines of text[start:end] as spans."""
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            yield pos, pos + len(line)
        pos += len(line) + 1


def _tokens(doc: Document, segments: Sequence[Segment]) -> tuple[list[tuple[int, int]], set[int]]:
    """(word spans over the whole text, the offsets where a sentence starts)."""
    text, spans, starts, pos = doc.text, [], set(), 0

    def add(start: int, end: int, lang: str) -> None:
        found = [(start + s, start + e) for s, e in word_spans(text[start:end], _base_lang(lang))]
        if found:
            starts.add(found[0][0])
            spans.extend(found)

    for seg in sorted(segments, key=lambda s: s.start):
        for s, e in _lines(text, pos, seg.start):  # a line left out of segmentation
            add(s, e, doc.lang_at(s))
        add(seg.start, seg.end, seg.lang)
        pos = seg.end
    for s, e in _lines(text, pos, len(text)):
        add(s, e, doc.lang_at(s))
    return spans, starts


def _actor_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, actor type) of each surface of the practice layer's actor lexicons (Chinese, Vietnamese)."""
    from .practices.lexicon import actor_regex

    found = []
    for lang, group in (("zh", 2), ("vi", 1)):  # the Chinese pattern's first group is a name before the actor
        pattern, to_type = actor_regex(lang)
        found += [(m.start(group), m.end(group), to_type[m.group(group) if lang == "zh" else m.group(group).lower()])
                  for m in pattern.finditer(text)]
    return found


def annotated_doc(
    doc: Document,
    segments: Sequence[Segment],
    mentions: Sequence["PracticeMention"],
    meta: DocMeta,
) -> "Doc":
    """The document as a spaCy `Doc` with sentences, span groups and metadata (see the module docstring).

    Args:
        doc: a stored, normalised document.
        segments: its `segment(doc)` (sentences and headings).
        mentions: its practice mentions (`practices.find_mentions(doc, segments)`).
        meta: its metadata (`Document.metadata`, found by `extract_metadata`).
    Returns:
        A `spacy.tokens.Doc` whose text is `doc.text`, with `doc.sents`, `doc.spans[key]` for each of
        SPAN_KEYS and `user_data` {"id", "doc_title", "source", "lang", "meta": meta.to_dict()} (the title
        is not under "title": displaCy prints that key as raw HTML).
    """
    from spacy.tokens import Doc, SpanGroup
    from spacy.util import get_words_and_spaces

    text = doc.text
    spans, starts = _tokens(doc, segments)
    words, spaces = get_words_and_spaces([text[s:e] for s, e in spans], text)
    sent_starts, offset, words_before = [], 0, False
    for word, space in zip(words, spaces):  # whitespace words belong to the sentence before them
        sent_starts.append(not sent_starts or (offset in starts and words_before))
        words_before = words_before or not word.isspace()
        offset += len(word) + space
    sdoc = Doc(_vocab(_base_lang(doc.lang)), words=words, spaces=spaces, sent_starts=sent_starts)
    if sdoc.text != text:
        raise ValueError(f"document {doc.id}: the words do not spell its text")

    def group(name: str, found: Iterable[tuple[int, int, str]], ids: Iterable[str] = (), mode: str = "expand") -> None:
        out, seen = [], set()
        for (start, end, label), id_ in zip(found, _ids(ids)):
            span = sdoc.char_span(start, end, label=label, alignment_mode=mode)
            if span is None or (span.start, span.end, label) in seen:
                continue
            seen.add((span.start, span.end, label))
            if id_:
                span.id_ = id_
            out.append(span)
        sdoc.spans[name] = SpanGroup(sdoc, name=name, spans=sorted(out, key=lambda s: (s.start, s.end)))

    group("practices", [(m.start, m.end, m.kind) for m in mentions], [m.canonical for m in mentions])
    group("places", [(m.start(), m.end(), place.level) for place in meta.places if place.name
                     for m in re.finditer(re.escape(place.name), text)])
    group("actors", _actor_spans(text), mode="strict")  # 居民 inside 居民自治 is another word
    group("headings", [(s.start, s.end, HEADING_LABELS.get(s.level, "HEADING")) for s in segments
                       if s.kind == "heading"])
    sdoc.user_data.update({"id": doc.id, "doc_title": doc.title, "source": doc.source, "lang": doc.lang,
                           "meta": meta.to_dict()})
    return sdoc


def _ids(ids: Iterable[str]) -> Iterable[str]:
    yield from ids
    while True:
        yield ""


def render_spans(sdoc: "Doc", keys: Sequence[str] = ("practices", "places"), classes: bool = False) -> str:
    """displaCy's span markup of the doc's span groups `keys`, drawn together.

    Args:
        sdoc: an `annotated_doc`.
        keys: the span groups to draw.
        classes: write classes (dx-token, dx-row2, dx-practices, ...) instead of inline styles, for a page
            whose Content-Security-Policy forbids inline styles; its stylesheet gives them their look.
    Returns:
        HTML: the text escaped, each span underlined with its label.
    """
    from spacy import displacy

    spans, colors = [], {}
    for key in keys:
        for span in sdoc.spans.get(key, []):
            label = html.escape(span.label_)  # displaCy writes labels as they are
            spans.append({"start_token": span.start, "end_token": span.end, "label": label})
            # displaCy colours by label; with classes the "colour" is the group's class name (dx-practices)
            colors[label] = key if classes else KEY_COLORS.get(key, "#ddd")
    parsed = {"text": sdoc.text, "tokens": [t.text for t in sdoc], "spans": spans, "title": None,
              "settings": {"lang": sdoc.lang_, "direction": "ltr"}}
    options = {**_CLASS_OPTIONS, "colors": colors} if classes else {"colors": colors}
    markup = displacy.render(parsed, style="span", manual=True, jupyter=False, options=options)
    return markup.replace(_SPANS_STYLE, "", 1) if classes else markup
