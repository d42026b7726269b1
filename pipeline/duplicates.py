"""Near-duplicate detection: reposted articles and successive versions of a regulation.

Each document is reduced to a MinHash signature (datasketch) over shingles of its folded text:
character n-grams in Chinese, syllable n-grams in Vietnamese (punctuation and spacing ignored,
traditional characters folded to simplified, letters lower-cased). Two documents are linked when
their signatures share an LSH band and their estimated Jaccard similarity reaches the threshold of
their language (THRESHOLDS); a near-duplicate group is a connected component of links, named by
its smallest document id. The links depend only on the two signatures and languages, so the groups
do not depend on ingest order.

The signatures persist in the manifest; the LSH (only needed to find candidates when documents
are added) is rebuilt from them when first used.

    >>> sig = signature("Ban quản trị nhà chung cư họp định kỳ.", "vi")
    >>> estimated_jaccard(sig, sig)
    1.0
"""
from __future__ import annotations

import hashlib
import re
import struct
from typing import Iterable, Iterator, Mapping

import numpy as np

from .lang.zh import HAN_BMP

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hash scheme; stored signatures are only comparable within one
SEED = 1  # seed of datasketch's permutations: part of what a stored signature means
# Estimated Jaccard similarity of shingle sets from which two documents count as near-duplicates, by
# language, chosen on the hand-labelled pairs of bench/data/near-dup-pairs.jsonl
# (bench/results/near-dups.md). Chinese reposts are often reworded (petitions posted again), and
# 0.3 finds them at the same precision; in Vietnamese 0.3 chains Q&A pages that share a template
# into groups of up to 90 documents, 0.4 keeps the largest at 21. A pair of documents in two
# languages needs the stricter of their thresholds; any other language gets THRESHOLD.
THRESHOLDS = {"zh": 0.3, "vi": 0.4}
THRESHOLD = 0.4
SHINGLE_UNITS = {"zh": 5, "vi": 4}  # characters per Chinese shingle, syllables per Vietnamese one
DEFAULT_UNITS = 4
MIN_UNITS = 20  # a text shorter than this (in characters/syllables) is never grouped: too little to compare
_BATCH = 20_000  # shingles hashed per numpy step (bounds memory on long laws)

_UNIT = re.compile(rf"[{HAN_BMP}]|[^\W_{HAN_BMP}]+")


def units(text: str) -> list[str]:
    """Comparable units of `text`: single Han characters and Latin syllables or numbers, folded."""
    from .normalize import fold

    return _UNIT.findall(fold(text))


def shingles(text: str, lang: str) -> set[str]:
    """The set of overlapping unit n-grams of `text` (n from SHINGLE_UNITS by `lang`).

    Args:
        text: NFC text.
        lang: the document's language ("zh": character 5-grams; "vi": syllable 4-grams).
    Returns:
        Shingles as strings; a text shorter than n units gives one shingle, an empty text none.
    """
    seq = units(text)
    n = SHINGLE_UNITS.get(lang, DEFAULT_UNITS)
    if len(seq) <= n:
        return {" ".join(seq)} if seq else set()
    return {" ".join(seq[i : i + n]) for i in range(len(seq) - n + 1)}


def _hash(shingle: str) -> int:
    return struct.unpack("<I", hashlib.sha1(shingle.encode("utf-8")).digest()[:4])[0]


def signature(text: str, lang: str) -> np.ndarray | None:
    """The MinHash signature (NUM_PERM uint32 values) of `text`, or None if it is too short to compare."""
    from datasketch import MinHash

    if len(units(text)) < MIN_UNITS:
        return None
    items = sorted(shingles(text, lang))
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_hash, scheme=SCHEME)
    for i in range(0, len(items), _BATCH):
        m.update_batch(items[i : i + _BATCH])
    return np.asarray(m.hashvalues, dtype=np.uint32)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The share of equal MinHash values: an unbiased estimate of the shingle sets' Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)


def jaccard(a: set, b: set) -> float:
    """Exact Jaccard similarity of two sets (1.0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 1.0


def _bands(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) that datasketch chooses for `threshold` and NUM_PERM."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def threshold_key(threshold: float | Mapping[str, float]) -> str:
    """A stable text form of a threshold setting, to notice when it changes."""
    if isinstance(threshold, Mapping):
        return ",".join(f"{lang}={value}" for lang, value in sorted(threshold.items()))
    return str(threshold)


class NearDuplicates:
    """Near-duplicate groups over a set of signatures, kept up to date as documents come and go.

    Args:
        signatures: doc_id → signature of the documents already grouped.
        threshold: estimated Jaccard similarity from which two documents are linked: one number,
            or one per language (THRESHOLDS; THRESHOLD for any other language).
        langs: doc_id → language of the documents in `signatures` (unknown: "").
    """

    def __init__(
        self,
        signatures: dict[str, np.ndarray] | None = None,
        threshold: float | Mapping[str, float] = THRESHOLDS,
        langs: Mapping[str, str] | None = None,
    ):
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._by_lang = dict(threshold) if isinstance(threshold, Mapping) else {}
        self._default = THRESHOLD if isinstance(threshold, Mapping) else float(threshold)
        # the bands suit the lowest threshold, so that every pair that may reach its own is a candidate
        self.b, self.r = _bands(min([self._default, *self._by_lang.values()]))
        self.signatures: dict[str, np.ndarray] = {}
        self.langs: dict[str, str] = {}
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=(self.b, self.r))
        for doc_id, sig in sorted((signatures or {}).items()):
            self._insert(doc_id, sig, (langs or {}).get(doc_id, ""))

    def _minhash(self, sig: np.ndarray):
        from datasketch import LeanMinHash

        # straight from the values: building a MinHash first would draw its permutations (100x slower)
        return LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME)

    def _insert(self, doc_id: str, sig: np.ndarray, lang: str = "") -> None:
        self.signatures[doc_id] = sig
        self.langs[doc_id] = lang
        self._lsh.insert(doc_id, self._minhash(sig), check_duplication=False)

    def threshold_for(self, a: str, b: str) -> float:
        """The threshold two known documents must reach: the stricter of their languages'."""
        return max(self._by_lang.get(self.langs.get(d, ""), self._default) for d in (a, b))

    def linked(self, a: str, b: str) -> bool:
        """Whether two known documents share an LSH band and reach their threshold."""
        sa, sb = self.signatures[a], self.signatures[b]
        same = (sa == sb)[: self.b * self.r].reshape(self.b, self.r).all(axis=1).any()
        return bool(same) and estimated_jaccard(sa, sb) >= self.threshold_for(a, b)

    def neighbours(self, doc_id: str) -> list[str]:
        """Known documents linked to `doc_id`, sorted."""
        candidates = self._lsh.query(self._minhash(self.signatures[doc_id]))
        return sorted(c for c in candidates if c != doc_id and self.linked(doc_id, c))

    def add(self, doc_id: str, sig: np.ndarray, lang: str = "") -> list[str]:
        """Add a document; returns the documents it links to directly (adding it again changes nothing)."""
        if doc_id in self.signatures:
            return self.neighbours(doc_id)
        self._insert(doc_id, sig, lang)
        return self.neighbours(doc_id)

    def remove(self, doc_id: str) -> None:
        if doc_id in self.signatures:
            self._lsh.remove(doc_id)
            del self.signatures[doc_id]
            del self.langs[doc_id]

    def components(self, doc_ids: Iterable[str]) -> Iterator[list[str]]:
        """Connected components of the links among `doc_ids` (only those links), each sorted."""
        left = set(doc_ids) & set(self.signatures)
        while left:
            start = min(left)
            left.discard(start)
            component, todo = [start], [start]
            while todo:
                for other in self.neighbours(todo.pop()):
                    if other in left:
                        left.discard(other)
                        component.append(other)
                        todo.append(other)
            yield sorted(component)

    def groups(self) -> dict[str, str]:
        """doc_id → group id (the smallest id of its component) for every known document."""
        return {d: comp[0] for comp in self.components(self.signatures) for d in comp}


def indexable_text(text: str, skip: Iterable[tuple[int, int]] = ()) -> str:
    """`text` without its skipped spans (repeated captions, running headers, web chrome)."""
    out, pos = [], 0
    for s, e in sorted(skip):
        out.append(text[pos:s])
        pos = max(pos, e)
    out.append(text[pos:])
    return "\n".join(out)


class DuplicateGroups:
    """The near-duplicate groups of one index, kept in its manifest as documents are added and deleted.

    Signatures and group ids live in the manifest's `near_dups` table; the LSH over them is rebuilt
    on first use. If the manifest was grouped at another threshold, every group is recomputed.

    Args:
        manifest: the index's Manifest.
        threshold: estimated Jaccard similarity from which two documents are linked, one number or
            one per language (see NearDuplicates).
    """

    def __init__(self, manifest, threshold: float | Mapping[str, float] = THRESHOLDS):
        self.manifest = manifest
        self.threshold = threshold
        self._index: NearDuplicates | None = None

    @property
    def index(self) -> NearDuplicates:
        if self._index is None:
            m = self.manifest
            self._index = NearDuplicates(m.signatures(), self.threshold, m.signature_langs())
            if m.get_info("near_dup_threshold") != threshold_key(self.threshold):
                self.regroup()
        return self._index

    def regroup(self) -> None:
        """Recompute every group from the stored signatures (in the caller's transaction, if any)."""
        groups = self.index.groups()
        self.manifest.set_groups(groups)
        self.manifest.set_info("near_dup_threshold", threshold_key(self.threshold))

    def add(self, doc_id: str, sig: np.ndarray | None, lang: str = "") -> str:
        """Record a document's signature and merge it into the groups it links to; returns its group id."""
        m = self.manifest
        known = doc_id in self.index.signatures
        m.put_signature(doc_id, sig, lang)
        if sig is None:
            return doc_id
        if known:  # the same document again (same id, same text): take its group back as it was
            self.index.remove(doc_id)
        links = self.index.add(doc_id, sig, lang)
        groups = m.groups_of(links)
        members = {doc_id, *links, *(d for ds in m.group_members(set(groups.values())).values() for d in ds)}
        group = min(members)
        m.set_groups({d: group for d in members})
        return group

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Forget documents (before their manifest rows go) and split the groups they held together."""
        m = self.manifest
        doc_ids = set(doc_ids)
        affected = set(m.groups_of(doc_ids).values())
        for d in doc_ids:
            self.index.remove(d)
        remaining = {d for ds in m.group_members(affected).values() for d in ds} - doc_ids
        regrouped = {d: comp[0] for comp in self.index.components(remaining) for d in comp}
        regrouped.update({d: d for d in remaining - set(regrouped)})  # members without a signature
        m.set_groups(regrouped)
