"""Query analysis: a search query read once into the record that ranking, expansion and highlighting share.

The query is normalised as indexed text is, its language detected, and its lexical terms made
for each BM25 view of the index (`pipeline.index.lexical`): vocabulary-segmented words, n-grams,
tone-stripped n-grams, and the terms that reach the other language through Sino-Vietnamese
readings. The glossary (`pipeline.glossary`) translates its governance terms into the other
language, and that translation is analysed too, as a query of its own language.
"""
from __future__ import annotations

from dataclasses import dataclass

from .glossary import Expansion, Glossary, load_glossary
from .index.lexical import LexicalIndex, hanviet_terms
from .lang import other_language
from .language import detect_language
from .normalize import normalize_text

@dataclass(frozen=True)
class AnalysedQuery:
    """A query as every retriever and the highlighter need it.

    Attributes:
        text: the query, normalised as indexed text is (NFC, one tone placement, trimmed).
        lang: its detected language, "vi", "zh" or "other".
        words: words segmented against the index's vocabulary (the BM25 `words` field), deduplicated.
        grams: character and syllable n-grams (the `grams` field), deduplicated.
        toneless: Latin letters without one diacritic (Vietnamese typed without tone marks).
        plain: the n-grams without diacritics (the `plain` field), deduplicated.
        marks: the words to highlight: `words`, or for a toneless query the words segmented against
            the vocabulary stripped of diacritics ("ban quan tri" → ban_quan_tri).
        across: terms for BM25 into the other language through Sino-Vietnamese readings
            (a Vietnamese query's n-grams, a Chinese query's readings); empty for other languages.
        expansion: the glossary translations of the query's terms into the other language.
        translation: the expansion's text analysed as a query of that language, when it has any.
    """

    text: str
    lang: str
    words: tuple[str, ...] = ()
    grams: tuple[str, ...] = ()
    toneless: bool = False
    plain: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    across: tuple[str, ...] = ()
    expansion: Expansion | None = None
    translation: AnalysedQuery | None = None

    @property
    def other_lang(self) -> str | None:
        """The language the bridges lead to: "zh" for a Vietnamese query, "vi" for a Chinese one, else None."""
        return other_language(self.lang)


def analyse_query(
    text: str, lexical: LexicalIndex, lang: str | None = None, glossary: Glossary | None = None
) -> AnalysedQuery:
    """Normalise, detect, segment and translate a query once.

    Args:
        text: the query as typed.
        lexical: the index whose vocabulary segments the query.
        lang: the query's language when known; None detects it.
        glossary: the glossary translating its terms; None means the shipped one.
    Returns:
        The AnalysedQuery.

    >>> q = analyse_query("chi bộ và đảng viên", Library("index").lexical)
    >>> q.lang, q.expansion.terms
    ('vi', ('党支部', '党员'))
    """
    text = normalize_text(text).strip()
    lang = lang or detect_language(text)
    expansion = translation = None
    other = other_language(lang)
    if other and text:
        expansion = (glossary or load_glossary()).expand(text, source_lang=lang, target_lang=other)
        if expansion.text:
            # the glossary holds its forms normalised already (tests/test_glossary.py checks the file)
            translation = _analyse(expansion.text, other, lexical)
    return _analyse(text, lang, lexical, expansion, translation)


def _analyse(text: str, lang: str, lexical: LexicalIndex, expansion=None, translation=None) -> AnalysedQuery:
    terms = lexical.query_terms(text)
    if lang == "vi":
        across = terms.grams
    elif lang == "zh":
        across = tuple(dict.fromkeys(hanviet_terms(text)))
    else:
        across = ()
    return AnalysedQuery(
        text=text,
        lang=lang,
        words=terms.words,
        grams=terms.grams,
        toneless=terms.toneless,
        plain=terms.plain,
        marks=tuple(lexical.query_words(text, toneless=True)) if terms.toneless else terms.words,
        across=across,
        expansion=expansion,
        translation=translation,
    )
