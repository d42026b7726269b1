"""Vietnamese primitives: letters and tone marks, tone folding, and underthesea.

- `TONE_MARKS`: the five combining tone marks (grave, acute, tilde, hook above, dot below);
  `toned(bases)` spells each base letter with each of them (NFC).
- `LETTERS`: every Vietnamese vowel letter with and without a tone, and đ, in both cases;
  `SPECIFIC_LETTER` matches the letters only Vietnamese uses among Latin-script languages.
- `strip_diacritics` (length-preserving tone folding, đ → d) and `is_toneless` (text typed
  without diacritics).
- `load_underthesea`: the underthesea package without its optional model pipelines.
- `word_segmenter`: underthesea's word segmentation (same model, same words), its features built
  here rather than round-tripped through underthesea's featurizer.
"""
from __future__ import annotations

import re
import sys
import threading
import unicodedata
from types import ModuleType

from . import CharMap

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"


def toned(bases: str) -> str:
    """Each letter of `bases` with each tone mark, precomposed (NFC): toned("a") == "àáãảạ"."""
    return "".join(unicodedata.normalize("NFC", base + tone) for base in bases for tone in TONE_MARKS)


# The vowels with and without a tone, and đ: every letter Vietnamese adds to ASCII.
LETTERS = frozenset(VOWELS) | frozenset(toned(VOWELS)) | {"đ", "Đ"}
# Letters only Vietnamese uses among Latin-script languages: ă â đ ê ô ơ ư ĩ ũ and the
# precombined vowels of Latin Extended Additional (ạ ả ấ ầ ... ỹ).
SPECIFIC_LETTER = re.compile(r"[ăâđêôơưĩũĂÂĐÊÔƠƯĨŨ\u1ea0-\u1ef9]")


# ---------------------------------------------------------------- tone folding


def _strip_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    base, *marks = unicodedata.normalize("NFD", char)
    if marks and base.isascii() and all(unicodedata.combining(mark) for mark in marks):
        return base
    return char


_STRIP = CharMap(_strip_char)


def strip_diacritics(text: str) -> str:
    """`text` without accents on Latin letters (đ → d too), for accent-insensitive search.

    Length-preserving on NFC text: each precomposed letter becomes its ASCII base letter.
    Other scripts are untouched, and so is a lone combining mark of non-NFC text.

    Args:
        text: NFC text, e.g. "Ủy ban nhân dân" → "Uy ban nhan dan".
    Returns:
        The stripped string, len(strip_diacritics(text)) == len(text).
    """
    return text if text.isascii() else text.translate(_STRIP)


def is_toneless(text: str) -> bool:
    """Whether `text` has Latin letters and not one diacritic: Vietnamese typed without tone marks, or any ASCII."""
    return any(c.isalpha() and c.isascii() for c in text) and strip_diacritics(text) == text


# ---------------------------------------------------------------- underthesea

# underthesea's package __init__ imports its optional pipelines (translate, classify, sentiment ...),
# which pull in transformers and torch: about 210 MB and several seconds more in every process that
# only segments words (ingest workers, a search server). They are kept out while the package loads
# and stay importable afterwards. Its named-entity and chunking taggers are imported unconditionally
# but never used here: they are stood in for while it loads (about 33 MB less per process); calling
# `underthesea.ner` or `underthesea.chunk` on the loaded package then says so.
_UNDERTHESEA_UNUSED = {"underthesea.pipeline.ner": "ner", "underthesea.pipeline.chunking": "chunk"}
_UNDERTHESEA_OPTIONAL = tuple(
    f"underthesea.pipeline.{m}" for m in ("classification", "sentiment", "lang_detect", "dependency_parse", "translate")
) + ("underthesea.agent", "underthesea.address")
_underthesea_lock = threading.Lock()


def load_underthesea():
    """The underthesea package, imported without its optional model pipelines (see above)."""
    with _underthesea_lock:
        if "underthesea" in sys.modules:
            return sys.modules["underthesea"]
        blocked = [m for m in _UNDERTHESEA_OPTIONAL if m not in sys.modules]
        for m in blocked:
            sys.modules[m] = None  # an import of it raises ImportError, which underthesea tolerates
        stand_ins = {m: _unused_module(m, name) for m, name in _UNDERTHESEA_UNUSED.items() if m not in sys.modules}
        sys.modules.update(stand_ins)
        try:
            import underthesea
        finally:
            for m in blocked:
                if m in sys.modules and sys.modules[m] is None:
                    del sys.modules[m]
            for m, module in stand_ins.items():
                if sys.modules.get(m) is module:
                    del sys.modules[m]
        return underthesea


def _unused_module(name: str, function: str) -> ModuleType:
    """A stand-in for one of underthesea's pipeline modules, whose one function refuses to run."""
    module = ModuleType(name)

    def unavailable(*args, **kwargs):
        raise RuntimeError(f"underthesea.{function} is not loaded by govtext; import {name} to use it")

    setattr(module, function, unavailable)
    return module


# ---------------------------------------------------------------- word segmentation

# underthesea's `word_tokenize` tags each syllable with its CRF (begin or inside a word). Its Rust
# featurizer hands 43 feature strings per syllable back to Python, which the Rust tagger then reads
# again; that round trip was 78% of segmenting Vietnamese (8 of 10.4 s on 300 vi-gov records). Here the
# same features are built in Python, a list at a time, and given to the same tagger and model: the
# features and the words are equal to underthesea's (tests/test_lang_vi.py compares both on corpus
# text), in 0.67x the time (bench/results/vi-words.md).
_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?$")


def _title(text: str) -> bool:
    """The featurizer's `istitle`: no space-separated word starts with a lowercase letter."""
    return not any(w[:1].islower() for w in text.split(" "))


class WordSegmenter:
    """underthesea's word segmentation model (`ws_crf_vlsp2013`) with its features built here.

    Loads on first use. `features(syllables)` gives what underthesea's `CRFFeaturizer` gives for one
    sentence; `words(sentence)` what `underthesea.word_tokenize(sentence)` gives.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._loaded = None

    def _load(self):
        with self._lock:
            if self._loaded is None:
                from os.path import dirname, join

                import joblib

                load_underthesea()
                import underthesea.pipeline.word_tokenize as ws
                from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize
                from underthesea_core import CRFTagger

                base = join(dirname(ws.__file__), "models", "ws_crf_vlsp2013_20230727")
                tagger = CRFTagger()
                tagger.load(join(base, "models.bin"))
                columns = []
                for template in joblib.load(join(base, "features.bin")):
                    m = _TEMPLATE.match(template)
                    if m is None:
                        raise ValueError(f"unknown word segmentation feature {template!r}")
                    first = int(m.group(1))
                    last = int(m.group(2)) if m.group(2) else first
                    columns.append((first, last, m.group(3), template + "=", template + "=BOS", template + "=EOS",
                                    template + "=True", template + "=False"))
                self._loaded = (tagger, columns, joblib.load(join(base, "dictionary.bin")), tokenize)
        return self._loaded

    def features(self, syllables: list[str]) -> list[list[str]]:
        """The CRF features of each syllable: a column per template, built over the whole sentence."""
        _, columns, dictionary, _ = self._loaded or self._load()
        n = len(syllables)
        spans = [syllables]  # spans[k][i]: syllables i..i+k joined by spaces
        values: dict[tuple[int, str | None], list] = {}  # (span width, attribute) -> a value per span
        out = []
        for first, last, attribute, prefix, bos, eos, true, false in columns:
            width = last - first
            while len(spans) <= width:
                k, shorter = len(spans), spans[-1]
                spans.append([shorter[i] + " " + syllables[i + k] for i in range(n - k)])
            column = values.get((width, attribute))
            if column is None:
                raw = spans[width]
                if attribute is None:
                    column = raw
                elif attribute in ("lower", "is_in_dict"):
                    lower = values.get((width, "lower"))
                    if lower is None:
                        lower = values[(width, "lower")] = [v.lower() for v in raw]
                    column = lower if attribute == "lower" else [v in dictionary for v in lower]
                elif attribute == "isdigit":
                    column = [v.isdigit() for v in raw]
                else:
                    column = [_title(v) for v in raw]
                values[(width, attribute)] = column
            before = min(n, max(0, -first))  # positions whose span starts before the sentence
            inside = max(0, n - before - max(0, last))
            part = column[before + first: before + first + inside]
            # a yes/no feature is one of two strings made once: 21 of the 43 templates need no new string
            middle = [prefix + v for v in part] if attribute in (None, "lower") else [true if v else false for v in part]
            out.append([bos] * before + middle + [eos] * (n - before - inside))
        return [list(row) for row in zip(*out)]

    def words(self, sentence: str, use_token_normalize: bool = True) -> list[str]:
        """The words of one sentence, syllables joined by spaces (underthesea's `word_tokenize`)."""
        tagger, _, _, tokenize = self._loaded or self._load()
        syllables = tokenize(sentence, use_token_normalize=use_token_normalize, fixed_words=[])
        if not syllables:
            return []
        out: list[str] = []
        for tag, syllable in zip(tagger.tag(self.features(syllables)), syllables):
            if tag == "I-W" and out:
                out[-1] += " " + syllable
            else:
                out.append(syllable)
        return out


word_segmenter = WordSegmenter()
