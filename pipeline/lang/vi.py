"""Vietnamese primitives: letters and tone marks, tone folding, and underthesea.

- `TONE_MARKS`: the five combining tone marks (grave, acute, tilde, hook above, dot below);
  `toned(bases)` spells each base letter with each of them (NFC).
- `LETTERS`: every Vietnamese vowel letter with and without a tone, and đ, in both cases;
  `SPECIFIC_LETTER` matches the letters only Vietnamese uses among Latin-script languages.
- `strip_diacritics` (length-preserving tone folding, đ → d) and `is_toneless` (text typed
  without diacritics).
- `load_underthesea`: the underthesea package without its optional model pipelines.
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
