"""Chinese primitives (`pipeline.lang.zh`): Han character classes, numerals, jieba, script folding."""
from __future__ import annotations

import re

import pytest

from pipeline.lang.zh import (
    CJK, HAN, HAN_BMP, HAN_BMP_RE, HAN_RE, HAN_URO, counting_numeral, date_numeral, is_han, jieba_tokenizer,
    plain_pos_tokenizer, to_simplified,
)


@pytest.mark.parametrize("char, han, bmp, uro", [
    ("居", True, True, True),
    ("㐀", True, True, False),         # U+3400, Extension A
    ("\uf92c", True, True, False),    # a CJK compatibility ideograph
    ("𠀀", True, False, False),        # U+20000, Extension B
    ("\U00030000", True, False, False),  # Extension G
    ("䷀", False, False, False),        # U+4DC0, a Yijing hexagram symbol between Extension A and the main block
    ("。", False, False, False),
    ("あ", False, False, False),
    ("a", False, False, False),
    ("ả", False, False, False),
])
def test_han_classes(char, han, bmp, uro):
    assert is_han(char) is han
    assert bool(HAN_RE.fullmatch(char)) is han
    assert bool(HAN_BMP_RE.fullmatch(char)) is bmp
    assert bool(re.fullmatch(f"[{HAN_URO}]", char)) is uro


def test_han_classes_nest():
    for char in ("居", "㐀", "\uf92c", "𠀀"):
        assert re.fullmatch(f"[{CJK}]", char)
    for char in ("。", "あ", "⺀"):  # CJK punctuation, kana and radicals are CJK but not Han
        assert re.fullmatch(f"[{CJK}]", char) and not re.fullmatch(f"[{HAN}]", char)
    assert HAN.startswith(HAN_BMP)


@pytest.mark.parametrize("char, value", [("一", 1), ("两", 2), ("双", 2), ("三", 3), ("十", 10), ("5", 5), ("百", 0), ("制", 0)])
def test_counting_numeral(char, value):
    assert counting_numeral(char) == value


@pytest.mark.parametrize("text, value", [
    ("2023", 2023), ("二〇二三", 2023), ("二○二三", 2023), ("二零二三", 2023), ("十二", 12), ("二十三", 23), ("三十", 30),
    ("十", 10), ("九", 9), ("两", 0),
])
def test_date_numeral(text, value):
    assert date_numeral(text) == value


def test_the_two_numerals_differ_where_counts_and_dates_do():
    assert counting_numeral("两") == 2 and date_numeral("两") == 0  # 两公开 counts; no date writes 两
    assert date_numeral("〇") == 0 and counting_numeral("〇") == 0


def test_jieba_tokenizer_loads_the_governance_dictionary_once():
    tok = jieba_tokenizer()
    assert jieba_tokenizer() is tok
    assert "业主委员会" in tok.lcut("成立业主委员会")


def test_plain_tagger_has_no_governance_terms_and_is_loaded_once():
    tagger = plain_pos_tokenizer()
    assert plain_pos_tokenizer() is tagger and tagger.tokenizer is not jieba_tokenizer()
    words = [p.word for p in tagger.cut("成立业主委员会")]
    assert "业主委员会" not in words and "".join(words) == "成立业主委员会"


@pytest.mark.parametrize("char, simplified", [("業", "业"), ("會", "会"), ("乾", "干"), ("居", "居"), ("a", "a"), ("業主", "業主")])
def test_to_simplified_one_character_at_a_time(char, simplified):
    assert to_simplified(char) == simplified
