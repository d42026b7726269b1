"""Chinese primitives: Han character classes, numerals, jieba, and script folding.

- Character classes, as strings for regex brackets (`[{HAN}]`) with compiled forms:
  `HAN` (every CJK unified and compatibility ideograph), `HAN_BMP` (those of the Basic
  Multilingual Plane), `HAN_URO` (the main block only), `CJK` (Han plus radicals, CJK
  punctuation, kana and symbols). `is_han` tests one character.
- Numerals: `counting_numeral` (the value of one numeral character in a count: 三 in 三会一课,
  两 and 双 too) and `date_numeral` (a number as dates write it: 二〇二三, 二十三, 12).
- Word segmentation, each tokenizer loaded once: `jieba_tokenizer` (jieba with the governance
  dictionaries: the lexical index, metadata) and `plain_pos_tokenizer` (jieba's POS tagger over
  its own dictionary only: the practice rules, which must not find known answers).
- Script folding: `to_simplified` (OpenCC's t2s table, one character at a time).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

# ---------------------------------------------------------------- character classes

HAN_EXT_A = "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
HAN_URO = "\u4e00-\u9fff"  # CJK Unified Ideographs, the main block
HAN_COMPAT = "\uf900-\ufaff"  # CJK Compatibility Ideographs
HAN_SUPPLEMENTARY = "\U00020000-\U0003ffff"  # Extensions B to I and the compatibility supplement
# Han of the Basic Multilingual Plane. Text normalisation, the lexical index's units, duplicate
# signatures, OCR checks and the practice rules use it: their stored tokens, offsets and signatures
# were built with it, and widening it to `HAN` changes them for documents with supplementary-plane
# ideographs (a re-index, not a refactoring).
HAN_BMP = HAN_EXT_A + HAN_URO + HAN_COMPAT
HAN = HAN_BMP + HAN_SUPPLEMENTARY  # every Han ideograph
# Han and every other East Asian character: radicals, CJK punctuation and symbols, kana, bopomofo,
# enclosed and compatibility forms. A text holding one is not Vietnamese.
CJK = "\u2e80-\u9fff" + HAN_COMPAT + HAN_SUPPLEMENTARY

HAN_RE = re.compile(f"[{HAN}]")
HAN_BMP_RE = re.compile(f"[{HAN_BMP}]")


def is_han(char: str) -> bool:
    """Whether `char` (one character) is a Han ideograph of any block (`HAN`)."""
    return HAN_RE.fullmatch(char) is not None


# ---------------------------------------------------------------- numerals

_COUNTING = {"一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}
DATE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


def counting_numeral(char: str) -> int:
    """The value of one numeral character in a count (三会一课, 两公开, 双报到, 5 biết): 0 if none.

    >>> counting_numeral("两"), counting_numeral("十"), counting_numeral("5"), counting_numeral("百")
    (2, 10, 5, 0)
    """
    return _COUNTING.get(char, int(char) if char.isdigit() else 0)


def date_numeral(s: str) -> int:
    """A number as dates write it: digits (2023), digit by digit (二〇二三), or with ten (二十三): 0 if none.

    >>> date_numeral("二〇二三"), date_numeral("二十三"), date_numeral("十"), date_numeral("12")
    (2023, 23, 10, 12)
    """
    if s.isdigit():
        return int(s)
    if all(c in DATE_DIGITS for c in s):
        return int("".join(str(DATE_DIGITS[c]) for c in s))
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (DATE_DIGITS.get(tens, 1) if tens else 1) * 10 + (DATE_DIGITS.get(ones, 0) if ones else 0)
    return DATE_DIGITS.get(s, 0)


# ---------------------------------------------------------------- word segmentation (jieba)

_DATA = Path(__file__).parent.parent / "data"
_jieba_lock = threading.Lock()
_governance_tokenizer = None
_plain_pos = None


def _new_tokenizer(cache_file: str):
    import logging

    import jieba

    from ..config import govtext_home

    # jieba logs its dictionary loading at DEBUG to stderr, which would clutter CLI output
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    home = govtext_home()
    home.mkdir(parents=True, exist_ok=True)
    tokenizer.tmp_dir = str(home)
    tokenizer.cache_file = cache_file
    return tokenizer


_MISSING = object()
_user_changes: tuple[dict, int] | None = None  # what the governance dictionaries changed in jieba's own


class _ChangeLog:
    """Stands in for a jieba tokenizer's `FREQ` while user dictionaries load, keeping each word's
    value before its first change, so jieba's own dictionary can be had back from the result."""

    def __init__(self, freq: dict):
        self.freq, self.before = freq, {}

    def __contains__(self, word) -> bool:
        return word in self.freq

    def __getitem__(self, word):
        return self.freq[word]

    def get(self, word, default=None):
        return self.freq.get(word, default)

    def __setitem__(self, word, value) -> None:
        if word not in self.before:
            self.before[word] = self.freq.get(word, _MISSING)
        self.freq[word] = value


def _share_dictionary(tokenizer, freq: dict, total: int) -> None:
    """Give `tokenizer` jieba's dictionary from one already loaded: the copy shares its words and
    counts with the other tokenizer's, so it costs one hash table rather than a second load (about
    65 MB)."""
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True


def jieba_tokenizer():
    """The isolated jieba tokenizer with the governance dictionary, loaded once."""
    global _governance_tokenizer, _user_changes
    with _jieba_lock:
        if _governance_tokenizer is None:
            tokenizer = _new_tokenizer("jieba.cache")
            if _plain_pos is not None:
                plain = _plain_pos.tokenizer
                _share_dictionary(tokenizer, dict(plain.FREQ), plain.total)
            else:
                tokenizer.initialize()
            log, total = _ChangeLog(tokenizer.FREQ), tokenizer.total
            tokenizer.FREQ = log
            try:
                tokenizer.load_userdict(str(_DATA / "govdict_zh.txt"))
                found = _DATA / "practices_zh.txt"  # practice names found in collections (scripts/grow_dictionary.py)
                if found.exists():
                    tokenizer.load_userdict(str(found))
            finally:
                tokenizer.FREQ = log.freq
            _user_changes = (log.before, total)
            _governance_tokenizer = tokenizer
    return _governance_tokenizer


def plain_pos_tokenizer():
    """jieba's POS tagger over its own dictionary, without govtext's terms (so no known answers), loaded once."""
    global _plain_pos
    with _jieba_lock:
        if _plain_pos is None:
            import jieba.posseg

            tokenizer = _new_tokenizer("jieba-plain.cache")
            if _governance_tokenizer is not None:  # jieba's dictionary is the governance one less its changes
                freq = dict(_governance_tokenizer.FREQ)
                before, total = _user_changes
                for word, value in before.items():
                    if value is _MISSING:
                        del freq[word]
                    else:
                        freq[word] = value
                _share_dictionary(tokenizer, freq, total)
            else:
                tokenizer.initialize()
            _plain_pos = jieba.posseg.POSTokenizer(tokenizer)
            _compact_tags(_plain_pos)
            _memoise_viterbi(jieba.posseg)
    return _plain_pos


def _compact_tags(pos) -> None:
    """Key the tagger's word -> tag table by the dictionary's own word strings, with one string per tag.

    jieba.posseg reads its dictionary file again into fresh strings for the table: about 60 MB more
    than a table that shares the words its tokenizer already holds. The table is the same mapping.
    """
    table, tags = pos.word_tag_tab, {}
    shared = {word: tags.setdefault(tag, tag) for word in pos.tokenizer.FREQ if (tag := table.get(word)) is not None}
    if len(shared) == len(table):
        pos.word_tag_tab = shared


def _memoise_viterbi(posseg) -> None:
    """Cache jieba.posseg's HMM decoding of runs of characters its dictionary does not cover.

    The tagger decodes each such run with a pure-Python Viterbi over every tag state, which was
    80% of the time of `find_mentions` on Chinese. Extraction tokenises many overlapping pieces
    of one passage, so the same runs come back (80% of decodings on zh-gov documents). Given
    jieba's fixed tables the decoder is a pure function of the run, so the cache changes no result.
    """
    decode = posseg.viterbi
    if hasattr(decode, "original"):
        return
    tables = (posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)

    @lru_cache(maxsize=65536)
    def by_run(run: str):
        return decode(run, *tables)

    def viterbi(obs, states, start_p, trans_p, emit_p):
        if all(a is b for a, b in zip((states, start_p, trans_p, emit_p), tables)):
            prob, route = by_run(obs)
            return prob, list(route)
        return decode(obs, states, start_p, trans_p, emit_p)

    viterbi.original = decode
    posseg.viterbi = viterbi


# ---------------------------------------------------------------- script folding (OpenCC)


def to_simplified(char: str) -> str:
    """The simplified form of one Chinese character (OpenCC's t2s table), or the character itself.

    Character by character, so offsets carry over: where OpenCC would pick a form from the
    surrounding phrase (乾 → 干 in 乾淨 but 乾 in 乾隆) the one-character default is taken. Both
    indexed text and queries go through the same table, so they still meet.
    """
    if not "\u3400" <= char <= "\U0002ffff" or len(char) != 1:  # a cheap bound: OpenCC maps nothing outside
        return char
    converted = _t2s().convert(char)
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError as exc:  # a dependency of govtext: a broken install
        raise ImportError("OpenCC is missing: pip install 'opencc>=1.1.9,<2'") from exc
    return opencc.OpenCC("t2s.json")
