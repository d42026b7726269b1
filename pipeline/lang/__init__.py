"""Per-language primitives, one home per language (as spaCy's `lang/<code>/`).

- `vi`: Vietnamese letters and tone marks, tone folding (`strip_diacritics`, `is_toneless`),
  underthesea loaded without its optional model pipelines.
- `zh`: the Han character classes, Chinese numerals, jieba (with the governance dictionaries, and
  jieba's plain dictionary for the practice rules), each loaded once, and script folding
  (traditional to simplified, OpenCC).

The two languages govtext bridges (Sino-Vietnamese readings and the glossary) are paired by
`other_language`.
"""
from __future__ import annotations

from typing import Callable

LANGUAGES = ("vi", "zh")
_OTHER = {"vi": "zh", "zh": "vi"}


def other_language(lang: str | None) -> str | None:
    """The language a `lang` text is bridged to: "zh" for "vi", "vi" for "zh", None for any other.

    >>> other_language("vi"), other_language("zh"), other_language("other")
    ('zh', 'vi', None)
    """
    return _OTHER.get(lang)  # type: ignore[arg-type]


class CharMap(dict):
    """A str.translate table filled on first use of each character (for per-character folding)."""

    def __init__(self, convert: Callable[[str], str]):
        super().__init__()
        self.convert = convert

    def __missing__(self, code: int) -> str:
        value = self[code] = self.convert(chr(code))
        return value
