"""Invariants of `find_mentions` over the demo corpus (`pipeline.practices.mentions`)."""
from __future__ import annotations

from pipeline.practices import find_mentions


# ---------------------------------------------------------------- invariants over the demo corpus


def test_mentions_have_exact_offsets(corpus_docs):
    total = 0
    for doc in corpus_docs.values():
        for m in find_mentions(doc):
            total += 1
            assert doc.text[m.start: m.end] == m.name
            assert m.sentence_start <= m.start and m.end <= m.sentence_end, m
            assert m.passage_start <= m.sentence_start and m.sentence_end <= m.passage_end, m
            assert m.doc_id == doc.id and m.lang in ("zh", "vi") and m.canonical
    assert total >= 30


def test_mentions_do_not_overlap(corpus_docs):
    for doc in corpus_docs.values():
        spans = [(m.start, m.end) for m in find_mentions(doc)]
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
