"""Query analysis: one AnalysedQuery per search, shared by ranking, the bridges and highlighting."""
from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from pipeline.glossary import Expansion
from pipeline.index import LexicalIndex, gram_terms
from pipeline.index.lexical import hanviet_terms, plain_terms
from pipeline.query import AnalysedQuery, analyse_query
from pipeline.types import Chunk, content_hash


def _chunk(doc_id: str, text: str, lang: str) -> Chunk:
    return Chunk(content_hash(doc_id, text), doc_id, lang, 0, len(text), text, 0)


@pytest.fixture(scope="module")
def lexical(tmp_path_factory):
    """A real tantivy index whose vocabulary holds a few multi-syllable words of each language."""
    lex = LexicalIndex(tmp_path_factory.mktemp("query") / "lex")
    chunks = [
        _chunk("vi", "Ban quản trị nhà chung cư họp định kỳ.", "vi"),
        _chunk("zh", "业主委员会召开会议，推进居民自治。", "zh"),
    ]
    words = [["ban_quản_trị", "nhà_chung_cư", "họp", "định_kỳ"], ["业主委员会", "召开", "会议", "推进", "居民", "自治"]]
    lex.add(chunks, words, {"vi": "vi", "zh": "zh"})
    lex.commit()
    return lex


@pytest.mark.parametrize(
    "text, lang, words, marks, toneless",
    [
        ("ban quản trị họp", "vi", ("ban_quản_trị", "họp"), ("ban_quản_trị", "họp"), False),
        # typed without tone marks: BM25 words from the vocabulary as written, marks from the stripped one
        ("Ban quan tri nha chung cu hop", "vi", ("ban", "quan", "tri", "nha", "chung", "cu", "hop"),
         ("ban_quan_tri", "nha_chung_cu", "hop"), True),
        ("业主委员会召开会议", "zh", ("业主委员会", "召开", "会议"), ("业主委员会", "召开", "会议"), False),
        ("業主委員會", "zh", ("业主委员会",), ("业主委员会",), False),  # traditional reads as simplified
    ],
)
def test_words_grams_and_marks(lexical, text, lang, words, marks, toneless):
    q = analyse_query(text, lexical)
    assert (q.lang, q.words, q.marks, q.toneless) == (lang, words, marks, toneless)
    assert q.grams == tuple(dict.fromkeys(gram_terms(text)))
    assert q.plain == tuple(dict.fromkeys(plain_terms(text)))


def test_the_query_is_normalised_as_indexed_text(lexical):
    q = analyse_query(unicodedata.normalize("NFD", "  Uỷ ban nhân dân  "), lexical)
    assert q.text == "Ủy ban nhân dân" and unicodedata.is_normalized("NFC", q.text)


def test_terms_across_languages(lexical):
    vi = analyse_query("tự quản của cư dân", lexical)
    assert vi.other_lang == "zh" and vi.across == vi.grams  # matched against Chinese chunks' readings
    zh = analyse_query("居民自治", lexical)
    assert zh.other_lang == "vi" and zh.across == tuple(dict.fromkeys(hanviet_terms("居民自治")))
    assert {"cư_dân", "tự_trị"} <= set(zh.across)


def test_glossary_translation_is_analysed_as_a_query_of_the_other_language(lexical):
    q = analyse_query("業主委員會", lexical)
    assert isinstance(q.expansion, Expansion)
    assert (q.expansion.source_lang, q.expansion.target_lang) == ("zh", "vi")
    assert q.expansion.terms == ("Ban quản trị nhà chung cư",) and q.expansion.coverage == 1.0
    t = q.translation
    assert (t.text, t.lang, t.expansion, t.translation) == ("Ban quản trị nhà chung cư", "vi", None, None)
    assert t.words == ("ban_quản_trị", "nhà_chung_cư")


@pytest.mark.parametrize("text", ["Josh Norman intercepted two passes", "", "2021"])
def test_other_languages_have_no_bridges(lexical, text):
    q = analyse_query(text, lexical)
    assert q.other_lang is None and q.across == () and q.expansion is None and q.translation is None


def test_a_query_without_glossary_terms_has_an_empty_expansion_and_no_translation(lexical):
    q = analyse_query("họp định kỳ", lexical)
    assert q.expansion is not None and q.expansion.text == "" and q.translation is None


def test_a_given_language_is_not_detected_again(lexical):
    assert analyse_query("2021", lexical, lang="zh").lang == "zh"


def test_analysed_query_is_a_frozen_value(lexical):
    q = analyse_query("ban quản trị", lexical)
    assert isinstance(q, AnalysedQuery) and q == analyse_query("ban quản trị", lexical)
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.text = "x"  # type: ignore[misc]


def test_a_search_analyses_its_query_once(demo_library, monkeypatch):
    """Language detected and query segmented once per search: ranking, the glossary bridge and the
    highlights all read the same AnalysedQuery."""
    import pipeline.query

    lib, _ = demo_library
    detected, segmented = [], []
    detect, query_words = pipeline.query.detect_language, LexicalIndex.query_words
    monkeypatch.setattr(pipeline.query, "detect_language", lambda text: detected.append(text) or detect(text))
    monkeypatch.setattr(LexicalIndex, "query_words",
                        lambda self, text, toneless=False: segmented.append(text) or query_words(self, text, toneless))
    results = lib.search("業主委員會", k=3, lang="vi")
    assert detected == ["業主委員會"]
    assert segmented == ["Ban quản trị nhà chung cư", "業主委員會"]  # the translation, then the query
    assert results.analysed.expansion.terms == ("Ban quản trị nhà chung cư",)
    marked = {p.text[s - p.start : e - p.start].lower() for h in results for p in h.passages for s, e in p.highlights}
    assert "ban quản trị nhà chung cư" in marked  # the translation's term is highlighted


def test_compare_lists_the_glossary_terms_of_the_analysed_query(demo_library):
    lib, _ = demo_library
    comparison = lib.compare("業主委員會", k=2)
    assert comparison.query_lang == "zh"
    assert comparison.glossary == tuple(comparison.results["vi"].analysed.expansion.explain())
    assert comparison.glossary and comparison.glossary[0].startswith("業主委員會 → Ban quản trị nhà chung cư")
