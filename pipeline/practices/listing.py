"""Which catalogue entries to list: a model of how sure the index's own documents make an entry.

Every entry the rules find stays in the catalogue, but only the ones this model is confident about
are *listed* (shown by `Library.practices`, the CLI and the web catalogue unless all entries are
asked for). The rest are candidates: generic phrases (考核评价机制, "cơ chế chính sách"), names cut
or run on, farming and business models; about half of them are practices all the same, so they stay
one flag away, and a card still opens for any of them.

The model (fitted by `bench/catalogue_listing.py` on the judged catalogue samples, shipped in
`pipeline/data/practice_listing.json`) has two parts:

- a logistic regression over the e5 passage vector of the entry's name (what the name is about:
  governance or farming, a named system or a stock phrase);
- boosted trees over that score and the entry's features (`FEATURES`), all read from the documents
  of the index: its kind and head noun, counts, definition and formula parts; how it is used (after a
  verb that sets a system up or reports one, in a statute's voice or a report's, quoted, in a sentence
  naming a commune or ward, in a statute-typed document); and how specific its name is (the inverse
  document frequency, within the index, of the words before its head noun, over its largest value, so
  that an index of 50 documents and one of 5,000 give the same scale).

`confidence` is the trees' probability that the entry is correct by the rules of
bench/catalogue_precision.md; an entry is listed when it reaches the shipped threshold, chosen so that
out-of-fold precision on the judged random samples is at least 0.92.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from ..types import Document
from .types import Practice

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "practice_listing.json"

KINDS = (("zh", "named"), ("zh", "quoted"), ("zh", "formula"), ("vi", "cue"), ("vi", "quoted"))
HEADS = ("制度", "机制", "模式", "办法", "规约", "公约", "责任制", "工作法", "章程", "负责制")
# document types of statutes (pipeline.metadata): their provisions order systems set up, in a statute's voice
STATUTES = frozenset({"nghi_dinh", "luat", "thong_tu", "quy_dinh", "quy_che", "tiaoli", "guiding", "guize", "xize",
                      "banfa", "jieshi"})
REPORTED_TYPES = frozenset({"news", "report", "plan", ""})
# right before the name: a verb that sets a system up or puts it to work; the wider list adds launching verbs
ESTABLISH = re.compile("(建立|健全|完善|实行|推行|落实|实施|制定|执行|设立)$")
ESTABLISH_WIDE = re.compile("(建立|健全|完善|实行|推行|落实|实施|制定|执行|设立|探索|推广|创新|开展|打造|推进)$")
# in the sentence: a commune, ward or body that adopts it (Vietnamese), a place or body before it (Chinese)
VI_ADOPTER = re.compile(r"(xã|phường|thị trấn|thôn|bản|tổ dân phố|khu phố|khu dân cư|huyện|quận|tỉnh|thành phố|"
                        r"hội|đoàn|chi bộ|đảng ủy|mặt trận|ủy ban)\s", re.I)
ZH_ADOPTER = re.compile("(街道|社区|村委会|居委会|镇|乡|村|区|县|党支部|党委|业委会|业主委员会|小区|居民区)")
# in the sentence: a report of what was done (推广, nhân rộng ...) or a statute's voice (应当, phải ...)
ZH_REPORT = re.compile("(推行|推广|创新|探索|打造|首创|创建|形成了|总结|试点|率先|摸索|创立|实施了|建立了|推出)")
ZH_MODAL = re.compile("(应当|应|须|必须|不得|可以|鼓励|支持|依法)")
VI_REPORT = re.compile(r"(triển khai|nhân rộng|duy trì|phát động|hưởng ứng|thí điểm|xây dựng|thực hiện|áp dụng|"
                       r"ra mắt|tổ chức|hiệu quả)", re.I)
VI_MODAL = re.compile(r"(phải|có trách nhiệm|được quy định|theo quy định|quy định)", re.I)
_OPEN_QUOTES = "“\"「《'‘"
_ZH_NUMBER = re.compile(r"\d|[一二三四五六七八九十两]")

USE_SHARES = ("after a set-up verb", "after a wider verb", "after a character", "adopter named", "in a statute",
              "report verb", "modal", "zh adopter", "quoted", "reported document", "heading")
FEATURES = (
    *(f"kind {lang} {kind}" for lang, kind in KINDS), "kind other", *(f"head {h}" for h in HEADS),
    "length", "documents", "mentions", "score", "defined", "actors", "outcomes", "components",
    *USE_SHARES, "idf max", "idf min", "idf mean", "modifier words", "capitals", "number",
)


def modifier_words(p: Practice) -> list[str]:
    """The words of a name without its head noun: jieba's plain words of two or more Chinese characters
    (制度, 机制 ... and 工作机制, 工作制度 removed), or Vietnamese syllable pairs (after "mô hình")."""
    if p.lang == "zh":
        from ..lang.zh import plain_pos_tokenizer

        name = p.name
        for head in sorted((*HEADS, "工作机制", "工作制度"), key=len, reverse=True):
            if name.endswith(head) and len(name) > len(head):
                name = name[: -len(head)]
                break
        return [w for w in plain_pos_tokenizer().tokenizer.lcut(name) if len(w) >= 2 and "\u4e00" <= w[0] <= "\u9fff"]
    syllables = p.name.lower().split()
    if syllables[:2] == ["mô", "hình"]:
        syllables = syllables[2:]
    return [" ".join(syllables[i:i + 2]) for i in range(len(syllables) - 1)] or syllables


def document_frequencies(words: set[str], docs: Mapping[str, Document]) -> dict[str, int]:
    """In how many of `docs` each of `words` occurs, in one pass over each document's text."""
    from .catalogue import word_automaton

    automaton = word_automaton(w for w in words if w)
    freq = dict.fromkeys(words, 0)
    if automaton is None:
        return freq
    for doc in docs.values():
        for w in {w for _end, w in automaton.iter(doc.text)}:
            freq[w] += 1
    return freq


def _use_shares(p: Practice, docs: Mapping[str, Document]) -> dict[str, float]:
    counts = dict.fromkeys(USE_SHARES, 0)
    for u in p.uses:
        doc = docs.get(u.doc_id)
        text = doc.text if doc else ""
        doc_type = doc.metadata.doc_type if doc and doc.metadata else ""
        before = text[max(0, u.start - 4):u.start]
        sentence = text[u.sentence_start:u.sentence_end]
        counts["after a set-up verb"] += bool(ESTABLISH.search(before))
        counts["after a wider verb"] += bool(ESTABLISH_WIDE.search(before))
        counts["after a character"] += bool(before) and "\u4e00" <= before[-1] <= "\u9fff"
        counts["adopter named"] += bool(VI_ADOPTER.search(sentence))
        counts["in a statute"] += doc_type in STATUTES
        if p.lang == "zh":
            counts["report verb"] += bool(ZH_REPORT.search(sentence))
            counts["modal"] += bool(ZH_MODAL.search(sentence))
            counts["zh adopter"] += bool(ZH_ADOPTER.search(text[u.sentence_start:u.start]))
        else:
            counts["report verb"] += bool(VI_REPORT.search(sentence))
            counts["modal"] += bool(VI_MODAL.search(sentence))
        counts["quoted"] += u.name[:1] in _OPEN_QUOTES or (u.start > 0 and text[u.start - 1] in _OPEN_QUOTES)
        counts["reported document"] += doc_type in REPORTED_TYPES
        counts["heading"] += bool(u.section) and p.name in u.section
    return {k: v / max(len(p.uses), 1) for k, v in counts.items()}


def entry_shape(p: Practice) -> dict[str, float]:
    """What an entry is, read from the entry alone: kind, head noun, length, counts, score and evidence."""
    f = {f"kind {lang} {kind}": float((p.lang, p.kind) == (lang, kind)) for lang, kind in KINDS}
    f["kind other"] = float((p.lang, p.kind) not in KINDS)
    f |= {f"head {h}": float(p.lang == "zh" and p.name.endswith(h)) for h in HEADS}
    f["length"] = math.log(max(len(p.name) if p.lang == "zh" else len(p.name.split()), 1))
    f["documents"], f["mentions"] = math.log1p(p.doc_count), math.log1p(p.mention_count)
    f["score"] = min(p.score, 12) / 12
    f |= {"defined": float(bool(p.definitions)), "actors": float(bool(p.actors)),
          "outcomes": float(bool(p.outcomes)), "components": float(bool(p.components))}
    return f


def entry_features(practices: Sequence[Practice], docs: Mapping[str, Document]) -> np.ndarray:
    """One row of `FEATURES` per practice, read from the documents `docs` (id -> Document) of its index."""
    words = [modifier_words(p) for p in practices]
    df = document_frequencies({w for ws in words for w in ws}, docs)
    n = max(len(docs), 1)
    rows = []
    for p, ws in zip(practices, words):
        f = entry_shape(p) | _use_shares(p, docs)
        idf = [max(math.log(n / (1 + df[w])), 0.0) / math.log(n + 1) for w in ws] or [0.0]
        f |= {"idf max": max(idf), "idf min": min(idf), "idf mean": sum(idf) / len(idf),
              "modifier words": math.log1p(len(ws))}
        f["capitals"] = float(p.lang == "vi" and any(w[:1].isupper() for w in p.name.split()[2:]))
        f["number"] = float(bool(_ZH_NUMBER.search(p.name)))
        rows.append([f[k] for k in FEATURES])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


class ListingModel:
    """The shipped model: `name_weights`/`name_bias` (logistic regression over a name's e5 vector), then
    `trees` (boosted regression trees over `FEATURES` + that score, summed from `baseline` into a log-odds)
    and the listing `threshold` on the resulting probability."""

    def __init__(self, data: dict):
        if tuple(data["features"]) != FEATURES:
            raise ValueError("practice_listing.json was fitted on other features: refit it with bench/catalogue_listing.py")
        self.name_weights = np.asarray(data["name_weights"], dtype=np.float64)
        self.name_bias = float(data["name_bias"])
        self.baseline = float(data["baseline"])
        self.trees = [{k: np.asarray(v) for k, v in tree.items()} for tree in data["trees"]]
        self.threshold = float(data["threshold"])
        self.embedder = data.get("embedder", "multilingual-e5-small")

    @classmethod
    def to_json(cls, name_weights, name_bias: float, baseline: float, trees: list[dict], threshold: float,
                **about) -> dict:
        return {"features": list(FEATURES), "name_weights": [round(float(w), 8) for w in name_weights],
                "name_bias": float(name_bias), "baseline": float(baseline), "threshold": float(threshold),
                "trees": trees, **about}

    def name_score(self, name_vectors: np.ndarray) -> np.ndarray:
        z = np.asarray(name_vectors, dtype=np.float64) @ self.name_weights + self.name_bias
        return 1.0 / (1.0 + np.exp(-z))

    def predict(self, features: np.ndarray, name_vectors: np.ndarray) -> np.ndarray:
        """The probability that each entry is a correct practice, from its `entry_features` row and name vector."""
        X = np.column_stack([features, self.name_score(name_vectors)])
        raw = np.full(len(X), self.baseline)
        for tree in self.trees:
            node = np.zeros(len(X), dtype=np.int64)
            for _ in range(64):
                leaf = tree["leaf"][node]
                if leaf.all():
                    break
                x = X[np.arange(len(X)), tree["feature"][node]]
                left = np.where(np.isnan(x), tree["missing_left"][node], x <= tree["threshold"][node])
                node = np.where(leaf, node, np.where(left, tree["left"][node], tree["right"][node]))
            raw += tree["value"][node]
        return 1.0 / (1.0 + np.exp(-raw))


@lru_cache(maxsize=1)
def shipped_model() -> ListingModel | None:
    """The model of `pipeline/data/practice_listing.json`, or None when the package ships none."""
    if not MODEL_FILE.exists():
        return None
    return ListingModel(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def score_practices(practices: Sequence[Practice], docs: Mapping[str, Document],
                    embed_passages: Callable[[list[str]], np.ndarray], model: ListingModel | None = None,
                    ) -> list[Practice]:
    """`practices` with `confidence` and `listed` set by `model` (default: the shipped one); unchanged
    (every entry listed, no confidence) when there is no model. `embed_passages` must be e5's passage
    embedding (the model's name part was fitted on its vectors)."""
    model = model or shipped_model()
    if model is None or not practices:
        return list(practices)
    vectors = np.asarray(embed_passages([p.name for p in practices]))
    confidence = model.predict(entry_features(practices, docs), vectors)
    return [replace(p, confidence=round(float(c), 4), listed=bool(c >= model.threshold))
            for p, c in zip(practices, confidence)]
