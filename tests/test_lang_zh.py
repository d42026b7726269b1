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


_SHARED_DICTIONARIES = """
import sys
import jieba, jieba.posseg
import pipeline.lang.zh as Z
first, second = (Z.jieba_tokenizer, Z.plain_pos_tokenizer) if sys.argv[1] == "governance" else (Z.plain_pos_tokenizer, Z.jieba_tokenizer)
first(); second()
gov, pos = Z.jieba_tokenizer(), Z.plain_pos_tokenizer()
ref = jieba.Tokenizer(); ref.initialize()
ref_pos = jieba.posseg.POSTokenizer(jieba.Tokenizer())
assert pos.tokenizer.FREQ == ref.FREQ and pos.tokenizer.total == ref.total, "plain dictionary differs"
assert pos.word_tag_tab == ref_pos.word_tag_tab, "tag table differs"
assert pos.tokenizer.user_word_tag_tab == {}
ref.load_userdict(str(Z._DATA / "govdict_zh.txt"))
if (Z._DATA / "practices_zh.txt").exists():
    ref.load_userdict(str(Z._DATA / "practices_zh.txt"))
assert gov.FREQ == ref.FREQ and gov.total == ref.total, "governance dictionary differs"
assert gov.user_word_tag_tab == ref.user_word_tag_tab
assert len(set(map(id, pos.word_tag_tab.values()))) < 100  # one string per tag
print("ok")
"""


@pytest.mark.parametrize("first", ["governance", "plain"])
def test_the_two_tokenizers_share_one_load_of_jiebas_dictionary_and_equal_separate_loads(first):
    """Whichever is loaded first, each tokenizer's dictionary equals jieba's own loaded on its own
    (plus the governance dictionaries for one), though the second is copied from the first."""
    import subprocess
    import sys

    got = subprocess.run([sys.executable, "-c", _SHARED_DICTIONARIES, first], capture_output=True, text=True, timeout=300)
    assert got.returncode == 0 and got.stdout.strip() == "ok", got.stderr[-2000:]
