"""Lexical index: BM25 in tantivy over two views of each chunk.

tantivy has no Vietnamese or Chinese analyser, so terms are made here and indexed with its
`whitespace` tokenizer:
- `words`: segmented words (underthesea for Vietnamese, jieba with the governance dictionary
  for Chinese), which keep terms such as 一征三议两公开 or ban_quản_trị whole;
- `grams`: Han character unigrams + bigrams and Latin syllable unigrams + bigrams, which match
  whatever the segmenter split differently;
- `plain`: the Latin syllable grams without diacritics ("quản trị" → quan_tri), which a query
  typed without any tone marks ("ban quan tri") matches (text written exactly as the query matches
  the exact fields too, so it ranks first); a query with diacritics keeps to the exact fields;
- `hanviet` (Chinese chunks only): syllable unigrams + bigrams of the Sino-Vietnamese reading
  (see `pipeline.crosslingual`), which Vietnamese queries match across the language boundary,
  while Chinese queries read as Sino-Vietnamese match Vietnamese chunks' `grams`.
All terms are folded (`pipeline.normalize.fold`): lower case, half-width, traditional Chinese
characters simplified, so a query in either script matches text in the other; Chinese is segmented
after folding. Queries are segmented without underthesea or jieba (both are slow to load): a greedy longest
match against the multi-unit words seen at index time, saved next to the index as `vocab.txt`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol, Sequence

from ..crosslingual import hanviet
from ..lang.vi import is_toneless, strip_diacritics
from ..lang.zh import HAN_BMP, HAN_BMP_RE
from ..types import Chunk

_UNIT = re.compile(rf"[{HAN_BMP}]+|[^\W_{HAN_BMP}]+|\S")
# Weight of the tone-stripped field for a query typed without diacritics. A document written exactly
# as the query matches the exact fields as well, so it stays first whatever this weight; on vi-alqac
# questions stripped of their diacritics nDCG@10 rises with it (0.3: 0.81, 1.0: 0.89, 2.0: 0.90,
# against 0.90 for the questions as written; bench/results/scripts-and-tones.md).
PLAIN_BOOST = 2.0
# A search kept to one language asks tantivy for this many times `n` hits without the language clause
# and keeps those of the language (see `LexicalIndex._search`), widening up to LANG_POSTFILTER_MAX times.
LANG_POSTFILTER = 2
LANG_POSTFILTER_MAX = 8
_MAX_WORD_UNITS = 8  # longest vocabulary entry tried by the query segmenter, in characters/syllables


def _fold(text: str) -> str:
    from ..normalize import fold

    return fold(text)


def _runs(folded: str) -> list[list[str]]:
    """Split folded text into runs: one run per Han stretch, one per stretch of adjacent Latin words."""
    runs: list[list[str]] = []
    latin: list[str] = []
    last_end = -1
    for m in _UNIT.finditer(folded):
        tok = m.group()
        if HAN_BMP_RE.match(tok):
            if latin:
                runs.append(latin)
                latin = []
            runs.append(list(tok))
        elif tok[0].isalnum():
            if latin and folded[last_end : m.start()].strip():
                runs.append(latin)
                latin = []
            latin.append(tok)
        elif latin:
            runs.append(latin)
            latin = []
        last_end = m.end()
    if latin:
        runs.append(latin)
    return runs


def gram_terms(text: str) -> list[str]:
    """Han character unigrams + bigrams and Latin syllable unigrams + bigrams of `text`, folded."""
    out: list[str] = []
    for run in _runs(_fold(text)):
        han = HAN_BMP_RE.match(run[0]) is not None
        out.extend(run)
        joiner = "" if han else "_"
        out.extend(a + joiner + b for a, b in zip(run, run[1:]))
    return out


def hanviet_terms(text: str) -> list[str]:
    """Syllable unigrams and bigrams of the Sino-Vietnamese reading of `text` (the `hanviet` view)."""
    return gram_terms(hanviet(text))


def plain_terms(text: str) -> list[str]:
    """Latin syllable unigrams + bigrams of `text` without diacritics (the `plain` field)."""
    out: list[str] = []
    for run in _runs(strip_diacritics(_fold(text))):
        if not HAN_BMP_RE.match(run[0]):
            out.extend(run)
            out.extend(a + "_" + b for a, b in zip(run, run[1:]))
    return out


def word_terms(text: str, lang: str) -> list[str]:
    """Segmented words of `text` for the `words` field (the slow, accurate segmenters).

    Chinese is folded first, so jieba segments traditional text as the simplified text it reads as.
    """
    from ..segment import words

    if lang == "zh":
        text = _fold(text)
    return [_fold(w) for w in words(text, lang) if w.strip()]


class QueryTerms(Protocol):
    """A query's terms for each BM25 field (`pipeline.query.AnalysedQuery` carries them)."""

    words: Sequence[str]  # vocabulary-segmented words, for the `words` field
    grams: Sequence[str]  # n-grams, for the `grams` field
    plain: Sequence[str]  # n-grams without diacritics, for the `plain` field
    toneless: bool  # typed without any diacritic: the `plain` field is searched


@dataclass(frozen=True)
class _Terms:
    words: tuple[str, ...]
    grams: tuple[str, ...]
    plain: tuple[str, ...]
    toneless: bool


class QuerySegmenter:
    """Greedy longest-match segmentation of queries against the index's word vocabulary."""

    def __init__(self, vocab: Iterable[str] = ()):
        # only read: the index's own vocabulary set is used as it is (a copy cost 1-2 ms a query at 1M chunks)
        self.vocab = vocab if isinstance(vocab, (set, frozenset)) else set(vocab)

    def segment(self, text: str) -> list[str]:
        out: list[str] = []
        for run in _runs(_fold(text)):
            joiner = "" if HAN_BMP_RE.match(run[0]) else "_"
            i = 0
            while i < len(run):
                for n in range(min(_MAX_WORD_UNITS, len(run) - i), 0, -1):
                    cand = joiner.join(run[i : i + n])
                    if n == 1 or cand in self.vocab:
                        out.append(cand)
                        i += n
                        break
        return out


def _is_vocab_word(word: str) -> bool:
    return "_" in word or (len(word) > 1 and HAN_BMP_RE.match(word) is not None)


class LexicalIndex:
    """A tantivy index of chunks with `words` and `grams` fields, plus the query vocabulary."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._index = None
        self._writer = None
        self._vocab: set[str] | None = None
        self._plain_vocab: set[str] | None = None
        self._new_vocab: set[str] = set()

    @property
    def vocab_file(self) -> Path:
        return self.path / "vocab.txt"

    @property
    def index(self):
        if self._index is None:
            import tantivy

            sb = tantivy.SchemaBuilder()
            sb.add_text_field("chunk_id", stored=True, tokenizer_name="raw")
            sb.add_text_field("doc_id", stored=False, tokenizer_name="raw")
            sb.add_text_field("lang", stored=False, tokenizer_name="raw")
            sb.add_text_field("source", stored=False, tokenizer_name="raw")
            sb.add_text_field("words", stored=False, tokenizer_name="whitespace", index_option="freq")
            sb.add_text_field("grams", stored=False, tokenizer_name="whitespace", index_option="freq")
            sb.add_text_field("hanviet", stored=False, tokenizer_name="whitespace", index_option="freq")
            sb.add_text_field("plain", stored=False, tokenizer_name="whitespace", index_option="freq")
            self.path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(sb.build(), path=str(self.path))
        return self._index

    @property
    def vocab(self) -> set[str]:
        if self._vocab is None:
            self._vocab = (
                set(self.vocab_file.read_text(encoding="utf-8").split()) if self.vocab_file.exists() else set()
            )
        return self._vocab

    @property
    def plain_vocab(self) -> set[str]:
        """The multi-syllable vocabulary without diacritics, to segment queries typed without them."""
        if self._plain_vocab is None:
                    self._plain_vocab = {strip_diacritics(w) for w in self.vocab if "_" in w}
        return self._plain_vocab

    def forget_vocab(self) -> None:
        """Read the query vocabulary again on next use (another process may have extended it)."""
        self._vocab = self._plain_vocab = None

    def _writer_(self):
        if self._writer is None:
            self._writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        return self._writer

    def add(self, chunks: Sequence[Chunk], words: Sequence[list[str]], sources: dict[str, str]) -> None:
        """Queue chunks with their segmented words; visible after `commit`."""
        import tantivy

        writer = self._writer_()
        for c, ws in zip(chunks, words):
            writer.add_document(
                tantivy.Document(
                    chunk_id=c.id,
                    doc_id=c.doc_id,
                    lang=c.lang,
                    source=sources.get(c.doc_id, ""),
                    words=" ".join(ws),
                    grams=" ".join(gram_terms(c.text)),
                    hanviet=" ".join(hanviet_terms(c.text)) if c.lang == "zh" else "",
                    plain=" ".join(plain_terms(c.text)),
                )
            )
            self._new_vocab.update(w for w in ws if _is_vocab_word(w))

    def delete_documents(self, doc_ids: Sequence[str]) -> None:
        writer = self._writer_()
        for d in doc_ids:
            writer.delete_documents_by_term("doc_id", d)

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        """Queue the removal of every entry of these chunk ids (all copies of a duplicated one)."""
        writer = self._writer_()
        for c in chunk_ids:
            writer.delete_documents_by_term("chunk_id", c)

    def all_chunk_ids(self) -> list[str]:
        """The chunk id of every live entry, duplicates included (what `check` compares)."""
        import tantivy

        if not (self.path / "meta.json").exists():
            return []
        self.index.reload()
        searcher = self.index.searcher()
        if not searcher.num_docs:
            return []
        hits = searcher.search(tantivy.Query.all_query(), searcher.num_docs).hits
        return [searcher.doc(addr)["chunk_id"][0] for _score, addr in hits]

    def commit(self) -> None:
        """Make queued additions and deletions durable, and extend the saved vocabulary."""
        if self._writer is not None:
            self._writer.commit()
        fresh = self._new_vocab - self.vocab
        if fresh:
            self.path.mkdir(parents=True, exist_ok=True)
            with open(self.vocab_file, "a", encoding="utf-8") as f:
                f.write("\n".join(sorted(fresh)) + "\n")
            self.vocab.update(fresh)
            self._plain_vocab = None
        self._new_vocab.clear()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    def query_words(self, query: str, toneless: bool = False) -> list[str]:
        """Vocabulary-segmented words of `query`, deduplicated.

        With `toneless`, the query is segmented against the vocabulary stripped of diacritics, so
        "ban quan tri" yields the phrase ban_quan_tri rather than three loose syllables.
        """
        vocab = self.plain_vocab if toneless else self.vocab
        return list(dict.fromkeys(QuerySegmenter(vocab).segment(query)))

    def highlight_words(self, query: str) -> list[str]:
        """Vocabulary-segmented words of `query` to mark in hits.

        A query typed without diacritics is segmented against the vocabulary stripped of them, so
        "ban quan tri" yields the phrase ban_quan_tri rather than three loose syllables that would
        also mark "bàn" and "quận".
        """
        return self.query_words(query, toneless=is_toneless(query))

    def query_terms(self, query: str) -> QueryTerms:
        """The terms of a query string for each BM25 field."""
        return _Terms(
            words=tuple(self.query_words(query)),
            grams=tuple(dict.fromkeys(gram_terms(query))),
            plain=tuple(dict.fromkeys(plain_terms(query))),
            toneless=is_toneless(query),
        )

    def search(
        self,
        query: str | QueryTerms,
        n: int,
        lang: str | None = None,
        sources: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
        word_boost: float = 1.0,
        gram_boost: float = 1.0,
        plain_boost: float | None = None,
        langs: Callable[[list[str]], Mapping[str, str]] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) of the best `n` chunks, best first.

        Query words match the `words` field, query n-grams the `grams` field and, without their
        diacritics, at `plain_boost` the chunk's tone-stripped syllables (default: PLAIN_BOOST for
        a query written without diacritics, see `is_toneless`, else 0).

        The document title and heading path are not a BM25 field: on zh-stard that lowered
        nDCG@10 by 0.015 at every weight tried, and on vi-alqac it changed nothing
        (bench/results/fusion.md, run with the field); they reach the chunk's e5 vector instead.

        Args:
            query: a query string, or its terms already made (a `pipeline.query.AnalysedQuery`).
            langs: chunk ids -> their languages (`Manifest.chunk_langs`): with `lang`, the language is
                kept by filtering hits instead of a tantivy clause (see `_search`).
        """
        terms = self.query_terms(query) if isinstance(query, str) else query
        plain = (PLAIN_BOOST if terms.toneless else 0.0) if plain_boost is None else plain_boost
        fields = [("words", list(terms.words), word_boost), ("grams", list(terms.grams), gram_boost)]
        if plain:
            fields.append(("plain", list(terms.plain), plain))
        return self._search(fields, n, lang, sources, doc_ids, langs)

    def search_across(
        self,
        query: str | Sequence[str],
        query_lang: str,
        n: int,
        sources: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
        langs: Callable[[list[str]], Mapping[str, str]] | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) of the best `n` chunks in the other language, through Sino-Vietnamese readings.

        A Vietnamese query's syllables are matched against Chinese chunks' `hanviet` view; a
        Chinese query is read as Sino-Vietnamese and matched against Vietnamese chunks' `grams`.
        Any other query language returns nothing.

        Args:
            query: a query string, or its terms already made (`pipeline.query.AnalysedQuery.across`).
            langs: as for `search`.
        """
        if query_lang == "vi":
            field, target, make = "hanviet", "zh", gram_terms
        elif query_lang == "zh":
            field, target, make = "grams", "vi", hanviet_terms
        else:
            return []
        terms = list(dict.fromkeys(make(query))) if isinstance(query, str) else list(query)
        return self._search([(field, terms, 1.0)], n, target, sources, doc_ids, langs)

    def _search(self, fields, n, lang, sources, doc_ids=None, langs=None) -> list[tuple[str, float]]:
        """The best `n` hits of the terms of `fields` [(field, terms, boost)], kept to `lang`, `sources`
        and `doc_ids` when given.

        With `langs` (chunk ids -> languages) and only `lang` to keep to, the language is kept by
        asking for LANG_POSTFILTER times `n` hits without it and dropping the others, widening until
        `n` are found or the hits run out (then as a tantivy clause past LANG_POSTFILTER_MAX). The
        result is the same (a clause that only filters changes no score, and ties keep their
        order), and faster: intersecting with the language's posting list, which holds every chunk
        of that language, doubled the cost of a search at 1M chunks (5 -> 11 ms), while a query's
        terms mostly occur in one language anyway. Callers pass `langs` only when the terms are of
        `lang` (a query searched in its own language, readings searched in the language they were
        made for): else most hits would be dropped.
        """
        import tantivy

        if not (self.path / "meta.json").exists() or not any(terms for _f, terms, _b in fields):
            return []
        schema = self.index.schema
        Q, Occur = tantivy.Query, tantivy.Occur
        should = [
            (Occur.Should, Q.term_query(schema, field, t) if boost == 1.0 else Q.boost_query(Q.term_query(schema, field, t), boost))
            for field, terms, boost in fields
            for t in terms
        ]
        self.index.reload()
        searcher = self.index.searcher()
        if lang and langs is not None and not sources and doc_ids is None:
            ask = n * LANG_POSTFILTER
            while ask <= n * LANG_POSTFILTER_MAX:
                hits = self._hits(searcher, Q.boolean_query(should), ask)
                of = langs([cid for cid, _ in hits])
                kept = [(cid, score) for cid, score in hits if of.get(cid) == lang]
                if len(kept) >= n or len(hits) < ask:
                    return kept[:n]
                ask *= 4
        if doc_ids is not None and not doc_ids:
            return []
        # filters match without scoring: a scored clause would add its own BM25 (the idf of a document's
        # id favoured documents of few chunks) and make a filtered ranking differ from an unfiltered one
        clauses = [(Occur.Must, Q.boolean_query(should))]
        for field, values in (("lang", [lang] if lang else []), ("doc_id", doc_ids or []), ("source", sources or [])):
            if values:
                clauses.append((Occur.Must, Q.const_score_query(Q.term_set_query(schema, field, list(values)), 0.0)))
        # a lone Should group is searched as it is: tantivy scores a flat union faster than one nested in a Must
        return self._hits(searcher, Q.boolean_query(clauses) if len(clauses) > 1 else Q.boolean_query(should), n)

    @staticmethod
    def _hits(searcher, query, n: int) -> list[tuple[str, float]]:
        hits = searcher.search(query, n).hits
        return [(searcher.doc(addr)["chunk_id"][0], float(score)) for score, addr in hits]

    def count(self) -> int:
        if not (self.path / "meta.json").exists():
            return 0
        self.index.reload()
        return self.index.searcher().num_docs
