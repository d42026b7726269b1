"""Search stage: dense, lexical and hybrid retrieval of chunks, grouped into cited document hits."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .calibration import evidence, relevance
from .glossary import Glossary, load_glossary
from .index import LexicalIndex, Manifest, VectorStore
from .lang.zh import HAN_BMP, HAN_BMP_RE
from .query import AnalysedQuery, analyse_query
from .types import DocMeta, Hit, Passage, Similar

MODES = ("hybrid", "dense", "lexical")
RRF_K = 60
TRANSLATED_DENSE = 0.5
# weight of the glossary ranking in cross-lingual search, times the share of the query the glossary covers
# (chosen on the dev part of bench/data/govjudge: 0.5 -> 1.0 raised nDCG@10 by +0.10 zh>vi, +0.07 vi>zh)
GLOSSARY_WEIGHT = 1.0
WORD_BOOST = GRAM_BOOST = 1.0
# A dense search kept to one language asks chroma for this many times the chunks wanted, unfiltered, and
# keeps those of the language (read from the manifest): chroma's `where` reads every chunk of the language
# from its metadata store on each query, 605 ms median at 100,000 chunks against 1.7 ms unfiltered
# (bench/results/scale.md).
LANG_OVERFETCH = 4
# Past this many unfiltered neighbours the language is rare among them (a query in the other language):
# chroma's own filter then finds them.
LANG_OVERFETCH_MAX = 6_400
# Cross-lingual pseudo-relevance feedback (chosen on the dev part of bench/data/govjudge, with the document
# support below: nDCG@10 0.628 -> 0.666 zh>vi, 0.720 -> 0.753 vi>zh; bench/results/govjudge-dev-feedback.md):
# the glossary translations of the terms the best FEEDBACK_DOCS same-language documents share, the
# FEEDBACK_TERMS most frequent, searched densely in the other language at this fusion weight.
FEEDBACK_WEIGHT = 0.25
FEEDBACK_DOCS = FEEDBACK_TERMS = 10
# In a hybrid search across languages a document scores its best passage plus this share of its next two:
# a document that several passages tie to the translated query beats one stray passage.
SUPPORT_SHARE = 0.1
_MAX_CANDIDATES = 20_000  # chunks asked of each retriever when widening to reach k documents
# Min-max fusion weights by query language (bench/results/fusion.md, bench/results/crosslingual.md):
# Vietnamese dense and BM25 equally, Chinese leaning to dense (the e5 vectors carry the document
# title, which Chinese statute questions need); BM25 into the other language through
# Sino-Vietnamese readings at a quarter of the dense weight.
FUSION_WEIGHTS = {
    "vi": {"dense": 0.5, "lexical": 0.5, "crosslingual": 0.125},
    "zh": {"dense": 0.65, "lexical": 0.35, "crosslingual": 0.1625},
    "other": {"dense": 0.5, "lexical": 0.5},
}
_SYLLABLE_CHAR = f"[^\\W{HAN_BMP}]"  # a letter or digit that is not Han


@dataclass(frozen=True)
class Ranking:
    """Chunk ids with scores from one retriever, best first."""

    mode: str
    items: tuple[tuple[str, float], ...]


def fuse(rankings: Sequence[Ranking], weights: dict[str, float] | None = None, k: int = RRF_K) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion of chunk rankings.

    Args:
        weights: weight per ranking mode (default 1.0 each).
        k: the RRF constant; larger flattens the reward for top ranks.
    Returns:
        (chunk_id, fused score), best first.
    """
    weights = weights or {}
    scores: dict[str, float] = {}
    for ranking in rankings:
        w = weights.get(ranking.mode, 1.0)
        for rank, (cid, _score) in enumerate(ranking.items, start=1):
            scores[cid] = scores.get(cid, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse_scores(rankings: Sequence[Ranking], weights: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalised scores (a chunk missing from a ranking gets 0 there).

    Cosine and BM25 live on different scales; normalising each ranking over its candidates puts
    them on [0, 1]. On the development sets this beat reciprocal-rank fusion on every language
    (bench/results/fusion.md), because it keeps how far ahead the top matches are.

    Args:
        weights: weight per ranking mode (default 0.5 each).
    Returns:
        (chunk_id, fused score), best first.
    """
    weights = weights or {}
    scores: dict[str, float] = {}
    for ranking in rankings:
        if not ranking.items:
            continue
        values = [v for _, v in ranking.items]
        lo, span = min(values), max(values) - min(values)
        w = weights.get(ranking.mode, 0.5)
        for cid, v in ranking.items:  # equal scores (or a single candidate) all count as the top
            scores[cid] = scores.get(cid, 0.0) + w * ((v - lo) / span if span else 1.0)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def document_score(scores: Sequence[float], share: float = 0.0) -> float:
    """A document's score from its passages' fused scores (best first): the best plus `share` of the next two.

    >>> round(document_score([0.9, 0.5, 0.4, 0.3], share=0.1), 2)
    0.99
    """
    return scores[0] + share * sum(scores[1:3]) if share else scores[0]


def feedback_terms(glossary: Glossary, texts: Sequence[str], source_lang: str, target_lang: str,
                   n: int = FEEDBACK_TERMS) -> list[str]:
    """The `n` target-language glossary terms found in most of `texts` (ties: first found first).

    Pseudo-relevance feedback across languages: the passages a same-language search ranks best
    name the query's concepts in their own words, far more of them than a short query does, and
    the glossary carries those words into the other language.

    Args:
        texts: the best same-language passages, one per document.
    Returns:
        preferred `target_lang` forms, most frequent first.
    """
    counts: dict[str, int] = {}
    for text in texts:
        for term in glossary.expand(text, source_lang=source_lang, target_lang=target_lang).terms:
            counts[term] = counts.get(term, 0) + 1
    return sorted(counts, key=lambda t: -counts[t])[:n]


def highlight_terms(words: Sequence[str]) -> list[str]:
    """Phrases worth highlighting from segmented query words (Vietnamese `_` joins become spaces).

    A single Chinese character (的, 是, 和) is highlighted only when the query has no longer word:
    marking every 的 in a passage hides the words that matched.
    """
    out = []
    for w in words:
        phrase = w.replace("_", " ")
        if len(phrase) >= 2 or (phrase and not phrase.isascii()):
            out.append(phrase)
    if any(len(p) >= 2 for p in out):
        out = [p for p in out if len(p) >= 2 or p.isascii()]
    return out


def highlight_spans(text: str, offset: int, terms: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Non-overlapping spans (document offsets) where any term occurs in `text`, longest terms first.

    Matching is on folded text (case, width, traditional/simplified Chinese); when no term has a
    diacritic (a query typed without tone marks), on the text without its diacritics too, so
    "quan tri" marks "quản trị".
    """
    from .lang.vi import is_toneless, strip_diacritics
    from .normalize import fold

    folded = fold(text)
    target = strip_diacritics(folded) if is_toneless(" ".join(terms)) else folded
    taken: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        t = fold(term)
        if not t:
            continue
        # Han terms match anywhere; other terms only as whole syllables
        han = HAN_BMP_RE.match(t[0]) is not None
        pattern = re.escape(t) if han else rf"(?<!{_SYLLABLE_CHAR}){re.escape(t)}(?!{_SYLLABLE_CHAR})"
        for m in re.finditer(pattern, target):
            s, e = m.start(), m.end()
            if all(e <= a or s >= b for a, b in taken):
                taken.append((s, e))
    return tuple(sorted((s + offset, e + offset) for s, e in taken))


def same_language_lexical(ranking: Ranking, query_lang: str, rows: dict[str, tuple]) -> Ranking:
    """In fusion, keep only lexical matches in the query's language.

    Across languages, words match only by accident (numbers, names, Latin acronyms), and fusing
    those matches with the dense ranking measurably hurts cross-lingual retrieval; the other
    language is reached through the `crosslingual` ranking instead.
    """
    if ranking.mode != "lexical" or query_lang not in ("vi", "zh"):
        return ranking
    return Ranking(ranking.mode, tuple((c, s) for c, s in ranking.items if c in rows and rows[c].lang == query_lang))


@lru_cache(maxsize=None)
def _threads(name: str, workers: int):
    """The process's pool of `workers` threads named `name` (work that releases the GIL runs there)."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"govtext-{name}")


class Searcher:
    """Runs queries against one index's stores and turns chunk rankings into document hits."""

    def __init__(self, manifest: Manifest, vectors: VectorStore, lexical: LexicalIndex, embedder, centering=None):
        self.manifest, self.vectors, self.lexical, self.embedder = manifest, vectors, lexical, embedder
        self.centering = centering
        self.weights = {lang: dict(w) for lang, w in FUSION_WEIGHTS.items()}
        # BM25 weights of whole words (segmenters) and of character/syllable n-grams in the query's
        # own language (bench/results/govjudge-dev.md measures other shares)
        self.word_boost, self.gram_boost = WORD_BOOST, GRAM_BOOST
        self.last_rankings: tuple = ((), {}, "")  # (rankings, chunk rows, query language) of the last search
        self.ranked: list[str] = []  # every document the last search ranked, best first (beyond its window)
        # weight (times the glossary's) of a dense search with the glossary translations as the query: on the
        # govjudge dev part 0.5 lifted nDCG@10 0.563 -> 0.628 (zh>vi) and 0.678 -> 0.720 (vi>zh); 1.0 was no better
        self.translated_dense = TRANSLATED_DENSE
        # weight of the BM25 ranking of the glossary translations, times the share of the query they cover
        self.glossary_weight = GLOSSARY_WEIGHT
        self.glossary: Glossary | None = None  # None: the shipped glossary
        # cross-lingual pseudo-relevance feedback (`feedback_terms`): its fusion weight (0 turns it off) and depth
        self.feedback_weight, self.feedback_docs, self.feedback_terms = FEEDBACK_WEIGHT, FEEDBACK_DOCS, FEEDBACK_TERMS
        self.support_share = SUPPORT_SHARE  # `document_score` in hybrid searches across languages

    def analyse(self, query: str, lang: str | None = None, glossary: Glossary | None = None) -> AnalysedQuery:
        """The query analysed against this index's vocabulary (`pipeline.query.analyse_query`)."""
        return analyse_query(query, self.lexical, lang=lang, glossary=glossary or self.glossary)

    def _analysed(self, query: str | AnalysedQuery, lang: str | None = None) -> AnalysedQuery:
        return query if isinstance(query, AnalysedQuery) else self.analyse(query, lang=lang)

    def _bridged(self, q: AnalysedQuery, lang: str | None, bridge: bool) -> AnalysedQuery | None:
        """The glossary translation to search beside the query: asked for, weighted, and in the one language wanted.

        A search of both languages (`lang` None) is not bridged: at this weight the translations
        would outrank the query's own language, and no judged set measures that mix yet. Weighted
        by `glossary_weight` times the share of the query the glossary covers: on the dev part of
        the judged governance set (bench/results/govjudge.md) it lifted cross-lingual nDCG@10 from
        0.28 to 0.54 (zh>vi) and from 0.41 to 0.68 (vi>zh).
        """
        t = q.translation
        if not bridge or t is None or not self.glossary_weight or lang != t.lang:
            return None
        return t

    def rankings(
        self,
        query: str | AnalysedQuery,
        mode: str,
        n: int,
        lang: str | None = None,
        sources: Sequence[str] | None = None,
        query_lang: str | None = None,
        doc_ids: Sequence[str] | None = None,
        bridge: bool = False,
    ) -> list[Ranking]:
        """The chunk rankings a mode needs, `n` candidates each.

        `dense` compares language-centred vectors when the searcher has a centring; `hybrid` adds
        same-language BM25 and, for a Vietnamese or Chinese query, BM25 into the other language
        through Sino-Vietnamese readings (`crosslingual`), unless `lang` keeps to the query's own.
        With `bridge`, when `lang` is the query's other language, the query's glossary translation
        adds a BM25 ranking over the passages in that language (`glossary`) and, in hybrid mode, a
        dense one (`glossary_dense`) and the dense ranking of pseudo-relevance feedback (`feedback`,
        see `_feedback`); the dense and lexical modes get no feedback.

        Args:
            query: a query string (analysed here, in `query_lang` when given) or an AnalysedQuery.
        """
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        q = self._analysed(query, query_lang)
        t = self._bridged(q, lang, bridge)
        feedback = t is not None and bool(self.feedback_weight) and mode == "hybrid"
        depth = self._feedback_depth(n)
        # The query encoder, chroma and tantivy are native code that releases the GIL: every ranking
        # that does not need another's result starts at once, on the encoder's thread (queries are
        # encoded one after another) or the BM25 threads, and this thread collects them in a fixed
        # order. A nearest-chunk search that reads the manifest (`_reads_manifest`) runs on this thread.
        encoder, bm25 = _threads("query", 1), _threads("bm25", 2)
        encoding = None
        if mode in ("hybrid", "dense"):
            same_depth = depth if feedback and not self._reads_manifest(q.lang, None, None) else 0
            encoding = encoder.submit(self._dense, q, n, lang, sources, doc_ids,
                                      not self._reads_manifest(lang, sources, doc_ids), same_depth)
        across = None
        if mode == "hybrid" and q.other_lang and (not lang or lang == q.other_lang):
            # the BM25 search into the other language beside the query's own (16.7 -> 10.7 ms for the
            # two at 1M chunks, bench/results/scale.md)
            across = bm25.submit(self.lexical.search_across, q.across, q.lang, n, sources=sources,
                                 doc_ids=doc_ids, langs=self.manifest.chunk_langs)
        same_lexical = bm25.submit(self._same_lexical, q, depth) if feedback else None
        glossary = glossary_dense = None
        if t is not None and mode != "dense":
            glossary = bm25.submit(self.lexical.search, t, n, lang=t.lang, sources=sources, doc_ids=doc_ids,
                                   langs=self.manifest.chunk_langs)
            if self.translated_dense and mode == "hybrid":
                # the translations as a query of their own language: e5 compares same-language text far
                # better than a short query with passages of another language
                glossary_dense = encoder.submit(self._translated, t, n, sources, doc_ids,
                                                not self._reads_manifest(t.lang, sources, doc_ids))
        out = []
        if mode in ("hybrid", "lexical"):
            # the language is kept by dropping hits of others when the query is in it (see `LexicalIndex._search`)
            out.append(Ranking("lexical", tuple(self.lexical.search(
                q, n, lang=lang, sources=sources, doc_ids=doc_ids, word_boost=self.word_boost,
                gram_boost=self.gram_boost, langs=self.manifest.chunk_langs if lang == q.lang else None))))
        if across is not None:
            out.append(Ranking("crosslingual", tuple(across.result())))
        if glossary is not None:
            out.append(Ranking("glossary", tuple(glossary.result())))
        if glossary_dense is not None:
            tvec, found = glossary_dense.result()
            if found is None:
                found = self.nearest(tvec, n, lang=t.lang, sources=sources, doc_ids=doc_ids)
            out.append(Ranking("glossary_dense", tuple(found)))
        if encoding is not None:
            vec, found, same_dense = encoding.result()
            if found is None:
                found = self.nearest(vec, n, lang=lang, sources=sources, doc_ids=doc_ids)
            out.insert(0, Ranking("dense", tuple(found)))
            if feedback:
                out.append(self._feedback(q, vec, n, t.lang, sources, doc_ids, same_dense, same_lexical.result()))
        return out

    def _vector(self, text: str, lang: str):
        """`text` as a query vector, centred for `lang` when the searcher centres."""
        vec = self.embedder.embed_query(text)
        return self.centering.query(vec, lang) if self.centering is not None else vec

    def _reads_manifest(self, lang, sources, doc_ids) -> bool:
        """Whether `nearest` reads the manifest for these filters (a search kept to one language alone
        in the older one-collection layout): then it must run on the thread that owns the search."""
        return bool(lang) and not sources and doc_ids is None and not self.vectors.per_language

    def _dense(self, q: AnalysedQuery, n: int, lang, sources, doc_ids, search: bool, same_depth: int = 0):
        """The query's vector; with `search`, its `n` nearest chunks (else None); with `same_depth`, its
        nearest chunks of its own language, as deep (what `_feedback` reads; else None)."""
        vec = self._vector(q.text, q.lang)
        found = self.nearest(vec, n, lang=lang, sources=sources, doc_ids=doc_ids) if search else None
        return vec, found, self.nearest(vec, same_depth, lang=q.lang) if same_depth else None

    def _translated(self, t, n: int, sources, doc_ids, search: bool):
        """The glossary translation's vector in its own language and, with `search`, its `n` nearest chunks."""
        tvec = self._vector(t.text, t.lang)
        return tvec, self.nearest(tvec, n, lang=t.lang, sources=sources, doc_ids=doc_ids) if search else None

    def _same_lexical(self, q: AnalysedQuery, depth: int) -> list[tuple[str, float]]:
        """The query's BM25 ranking in its own language, `depth` deep (what `_feedback` reads)."""
        return self.lexical.search(q, depth, lang=q.lang, word_boost=self.word_boost, gram_boost=self.gram_boost,
                                   langs=self.manifest.chunk_langs)

    def _feedback_depth(self, n: int) -> int:
        """How deep the feedback's same-language search reads: as deep as a search for `feedback_docs`
        documents does (10 candidates a document), and no deeper than the `n` the target ranking wants."""
        return min(n, max(50, 10 * self.feedback_docs))

    def _feedback(self, q: AnalysedQuery, vec, n: int, target: str, sources, doc_ids, same_dense,
                  same_lexical) -> Ranking:
        """Dense ranking in `target` of the glossary terms that the query's best same-language documents share.

        The same-language search (dense and BM25, fused with the query language's weights) runs
        over all of that language, whatever the filters: it reads what the query means, and the
        filters apply to the `target` ranking. `same_lexical` is its BM25 ranking and `same_dense` its
        nearest chunks (None: searched here), `_feedback_depth(n)` deep.
        """
        if same_dense is None:
            same_dense = self.nearest(vec, self._feedback_depth(n), lang=q.lang)
        same = [Ranking("dense", tuple(same_dense)), Ranking("lexical", tuple(same_lexical))]
        rows = self.manifest.chunk_rows((cid for r in same for cid, _ in r.items), visible=True)
        best: dict[str, str] = {}  # doc_id -> its best chunk, best documents first
        for cid, _ in fuse_scores(same, self.weights.get(q.lang, self.weights["other"])):
            if cid in rows and rows[cid].doc_id not in best:
                best[rows[cid].doc_id] = cid
                if len(best) == self.feedback_docs:
                    break
        texts = self.manifest.span_texts((d, rows[c].start, rows[c].end) for d, c in best.items())
        terms = feedback_terms(self.glossary or load_glossary(), list(texts), q.lang, target, self.feedback_terms)
        if not terms:
            return Ranking("feedback", ())
        tvec = self._vector(" ".join(terms), target)
        return Ranking("feedback", tuple(self.nearest(tvec, n, lang=target, sources=sources, doc_ids=doc_ids)))

    def nearest(self, vector, n: int, lang: str | None = None, sources: Sequence[str] | None = None,
                doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the `n` nearest chunks, best first (`VectorStore.query`).

        Each language has its own collection (`VectorStore`), searched directly. In an index of
        the older layout (one collection for all), a search kept to one language alone (no
        sources or documents) keeps the language's chunks among chroma's unfiltered nearest
        neighbours, asking for more until `n` are found, the collection is exhausted or
        LANG_OVERFETCH_MAX is passed; then chroma filters, as it does for every other filter.
        """
        if self._reads_manifest(lang, sources, doc_ids):
            ask = n * LANG_OVERFETCH
            while ask <= LANG_OVERFETCH_MAX:
                found = self.vectors.query(vector, ask)
                langs = self.manifest.chunk_langs(cid for cid, _ in found)
                hits = [(cid, score) for cid, score in found if langs.get(cid) == lang]
                if len(hits) >= n or len(found) < ask:
                    return hits[:n]
                ask *= 4
        return self.vectors.query(vector, n, lang=lang, sources=sources, doc_ids=doc_ids)

    def rank_documents(
        self,
        query: str | AnalysedQuery,
        k: int = 10,
        mode: str = "hybrid",
        lang: str | None = None,
        sources: Sequence[str] | None = None,
        candidates: int | None = None,
        collapse: bool = False,
        doc_ids: Sequence[str] | None = None,
    ) -> list[tuple[str, list[tuple[str, float]]]]:
        """The `k` best documents as (doc_id, [(chunk_id, score), ...] best first); a document ranks by its best chunk.

        With `collapse`, only the best-ranked document of each near-duplicate group is kept.
        """
        return self._rank(query, k, mode, lang, sources, candidates, collapse, doc_ids)[1]

    def _rank(self, query, k, mode, lang, sources, candidates, collapse=False, doc_ids=None, bridge=False, keep=0,
              shown=None):
        """(analysed query, ranked documents, chunk rows of every candidate, ranked documents of each group).

        Reads 10 candidates a document shown (`shown`, default `k`), widening until `k` documents
        are found, and returns up to max(k, keep) of the documents those candidates reach.
        """
        q = self._analysed(query)  # normalised: the same NFC and tone placement as indexed text
        if not q.text or (doc_ids is not None and not doc_ids):
            return q, [], {}, {}
        n = candidates or max(50, 10 * (shown or k))
        query_lang = q.lang
        while True:
            rankings = self.rankings(q, mode, n, lang=lang, sources=sources, doc_ids=doc_ids, bridge=bridge)
            # only chunks of ok documents: a document a writer is still adding (or removing) is never shown
            rows = self.manifest.chunk_rows((cid for r in rankings for cid, _ in r.items), visible=True)
            # a few long documents can fill every candidate slot (filters make that likely): widen until
            # k documents are found or the retrievers have nothing more to give
            exhausted = all(len(r.items) < n for r in rankings)
            if candidates or exhausted or n >= _MAX_CANDIDATES:
                break
            found = {row.doc_id for row in rows.values()}
            if collapse and len(found) >= k:  # near-duplicates shown once count once
                groups = self.manifest.groups_of(found)
                found = {groups.get(d, d) for d in found}
            if len(found) >= k:
                break
            n *= 4
        if len(rankings) == 1:
            fused = rankings[0].items
        else:
            weights = dict(self.weights.get(query_lang, self.weights["other"]))
            if self._bridged(q, lang, bridge) is not None:
                weight = self.glossary_weight * q.expansion.coverage
                weights["glossary"] = weight
                weights["glossary_dense"] = weight * self.translated_dense
                weights["feedback"] = self.feedback_weight
            fused = tuple(fuse_scores([same_language_lexical(r, query_lang, rows) for r in rankings], weights))
        by_doc: dict[str, list[tuple[str, float]]] = {}
        for cid, score in fused:  # best first, so each document's list is best first too
            if cid in rows:
                by_doc.setdefault(rows[cid].doc_id, []).append((cid, score))
        share = self.support_share if mode == "hybrid" and self._bridged(q, lang, bridge) is not None else 0.0
        ranked = sorted(by_doc.items(), key=lambda kv: -document_score([s for _, s in kv[1]], share))
        kept = max(k, keep)
        if not collapse:
            self.last_rankings = (rankings, rows, query_lang)
            return q, ranked[:kept], rows, {}
        ranked, groups = collapse_groups(ranked, self.manifest.groups_of(by_doc))
        self.last_rankings = (rankings, rows, query_lang)
        return q, ranked[:kept], rows, groups

    def search(
        self,
        query: str | AnalysedQuery,
        k: int = 10,
        mode: str = "hybrid",
        lang: str | None = None,
        sources: Sequence[str] | None = None,
        passages_per_hit: int = 3,
        candidates: int | None = None,
        collapse: bool = True,
        doc_ids: Sequence[str] | None = None,
        bridge: bool = False,
        window: tuple[int, int] | None = None,
        pool: int = 0,
    ) -> list[Hit]:
        """The `k` best documents for `query`, each with up to `passages_per_hit` cited passages.

        With `collapse` (the default), near-duplicates of a better-ranked document are not hits of
        their own: they are listed in that hit's `similar`, those that matched the query first.
        With `bridge`, the query's glossary translation is searched too when `lang` is the query's
        other language (see `rankings`), and its terms are highlighted.
        With `window` (start, end), only the documents ranked start+1 .. end become hits (a page of
        results), ranked from as many candidates as a search for end - start documents reads (so
        every page of one size ranks the same candidates while they reach it); `ranked` keeps the
        ids of all `k`. With `pool`, `ranked` also lists, up to `pool`
        in all, the further documents that the same candidates reach, in rank order (what a
        results page counts its facets over), without changing the first `k`.
        """
        shown = max(1, window[1] - window[0]) if window is not None else k
        q, ordered, rows, ranked_groups = self._rank(query, k, mode, lang, sources, candidates, collapse, doc_ids,
                                                     bridge, keep=pool, shown=shown)
        self.ranked = [doc_id for doc_id, _ in ordered]
        first = 0
        ordered = ordered[:k]
        if window is not None:
            first = window[0]
            ordered = ordered[window[0] : window[1]]
        if not ordered:
            return []
        evidence = self._evidence(lang)
        similar = self._similar(ordered, ranked_groups) if collapse else {}
        docs = self.manifest.document_rows(
            [d for d, _ in ordered] + [s for members in similar.values() for s, _ in members]
        )
        metas = self.manifest.document_meta(d for d, _ in ordered)
        shown = [(doc_id, chunks[:passages_per_hit]) for doc_id, chunks in ordered]
        texts = iter(self.manifest.span_texts((d, rows[c].start, rows[c].end) for d, cs in shown for c, _ in cs))
        terms = highlight_terms(q.marks)
        if self._bridged(q, lang, bridge) is not None:
            terms += q.expansion.terms
        hits = []
        for rank, (doc_id, chunks) in enumerate(shown, start=first + 1):
            row = docs.get(doc_id)
            title, source, lang_ = (row.title, row.source, row.lang) if row else ("", "", "")
            passages = []
            for cid, score in chunks:
                c = rows[cid]
                text = next(texts)
                passages.append(
                    Passage(cid, text, c.start, c.end, score, c.page, c.headings, highlight_spans(text, c.start, terms))
                )
            others = tuple(
                Similar(d, docs[d].title, docs[d].source, docs[d].lang, score=score)
                for d, score in similar.get(doc_id, ()) if d in docs
            )
            found = evidence.get(doc_id)
            hits.append(Hit(doc_id, title, source, lang_, chunks[0][1], tuple(passages), rank, others,
                            metas.get(doc_id, DocMeta()), relevance(found) if found else None, found or {}))
        return hits

    def _evidence(self, lang: str | None) -> dict[str, dict[str, float]]:
        """doc_id -> the absolute evidence of the last ranking (`pipeline.calibration.evidence`)."""
        rankings, rows, query_lang = self.last_rankings
        cosine: dict[str, float] = {}
        translated: dict[str, float] = {}
        ranks: dict[str, dict[str, int]] = {}
        for ranking in rankings:
            seen: set[str] = set()
            for cid, score in ranking.items:
                row = rows.get(cid)
                if row is None:
                    continue
                if ranking.mode in ("dense", "glossary_dense"):
                    best = cosine if ranking.mode == "dense" else translated
                    best[row.doc_id] = max(best.get(row.doc_id, -1.0), score)
                if row.doc_id not in seen:
                    seen.add(row.doc_id)
                    ranks.setdefault(row.doc_id, {})[ranking.mode] = len(seen)
        cross = bool(lang) and query_lang in ("vi", "zh") and lang != query_lang
        return {d: evidence(cosine.get(d), r, cross, translated.get(d), query_lang) for d, r in ranks.items()}

    def _similar(self, ordered, ranked_groups) -> dict[str, list[tuple[str, float | None]]]:
        """For each shown document, the other members of its group: (doc_id, score if it matched)."""
        group_ids = {doc_id: gid for gid, members in ranked_groups.items() for doc_id, _ in members[:1]}
        members = self.manifest.group_members(group_ids.values())
        out = {}
        for doc_id, _chunks in ordered:
            gid = group_ids.get(doc_id)
            if gid is None or len(members.get(gid, ())) < 2:
                continue
            matched: list[tuple[str, float | None]] = list(ranked_groups[gid][1:])
            seen = {doc_id, *(d for d, _ in matched)}
            out[doc_id] = matched + [(d, None) for d in members[gid] if d not in seen]
        return out


def collapse_groups(
    ranked: Sequence[tuple[str, list[tuple[str, float]]]], groups: dict[str, str]
) -> tuple[list[tuple[str, list[tuple[str, float]]]], dict[str, list[tuple[str, float]]]]:
    """Keep the best-ranked document of each near-duplicate group.

    Args:
        ranked: (doc_id, [(chunk_id, score), ...]) best first.
        groups: doc_id → group id (a document missing here is a group of its own).
    Returns:
        (the kept documents in order, group id → [(doc_id, best score), ...] of every ranked member, best first).
    """
    kept, members = [], {}
    for doc_id, chunks in ranked:
        gid = groups.get(doc_id, doc_id)
        if gid not in members:
            kept.append((doc_id, chunks))
            members[gid] = []
        members[gid].append((doc_id, chunks[0][1]))
    return kept, members
