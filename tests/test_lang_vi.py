"""Vietnamese primitives (`pipeline.lang.vi`): letters and tone marks, tone folding, underthesea loading."""
from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from pipeline.lang import other_language
from pipeline.lang.vi import LETTERS, SPECIFIC_LETTER, TONE_MARKS, is_toneless, strip_diacritics, toned


def test_tone_marks_are_the_five_combining_tones():
    assert len(TONE_MARKS) == 5 and all(unicodedata.combining(m) for m in TONE_MARKS)
    assert toned("a") == "àáãảạ" and toned("ư") == "ừứữửự"
    assert all(len(c) == 1 for c in toned("aăâeêioôơuưy"))  # every toned vowel is precomposed


@pytest.mark.parametrize("letter", ["a", "ắ", "Ỗ", "ự", "ỹ", "đ", "Đ", "Ơ"])
def test_letters_hold_every_vowel_with_its_tones_and_d_bar(letter):
    assert letter in LETTERS


@pytest.mark.parametrize("letter", ["b", "q", "ñ", "ç", "ü", "Ă\u0301"])
def test_letters_leave_out_consonants_other_languages_and_decomposed_forms(letter):
    assert letter not in LETTERS


def test_letters_count():
    # 12 vowel letters x 2 cases x (no tone + 5 tones), plus đ and Đ
    assert len(LETTERS) == 12 * 2 * 6 + 2


@pytest.mark.parametrize("word, specific", [
    ("quản", True), ("đất", True), ("Ủy", True), ("hĩnh", True), ("café", False), ("naïve", False), ("ban", False),
])
def test_specific_letters_tell_vietnamese_from_other_latin_languages(word, specific):
    assert bool(SPECIFIC_LETTER.search(word)) is specific


@pytest.mark.parametrize("text, stripped", [
    ("Ủy ban nhân dân", "Uy ban nhan dan"),
    ("Đường Nguyễn Trãi", "Duong Nguyen Trai"),
    ("quản lý 居民自治", "quan ly 居民自治"),
    ("plain ascii", "plain ascii"),
])
def test_strip_diacritics_folds_tones_and_keeps_length(text, stripped):
    assert strip_diacritics(text) == stripped and len(strip_diacritics(text)) == len(text)


def test_is_toneless():
    assert is_toneless("ban quan tri") and is_toneless("CT19A")
    assert not is_toneless("ban quản trị") and not is_toneless("居民自治") and not is_toneless("") and not is_toneless("123")


def test_other_language_pairs_vi_and_zh_only():
    assert other_language("vi") == "zh" and other_language("zh") == "vi"
    assert other_language("other") is None and other_language("") is None and other_language(None) is None


def test_underthesea_loads_without_its_optional_pipelines():
    """In a fresh process: words segment, torch and transformers stay out, the blocked modules stay importable."""
    code = (
        "import sys\n"
        "from pipeline.lang.vi import load_underthesea\n"
        "u = load_underthesea()\n"
        "assert load_underthesea() is u\n"
        "print(u.word_tokenize('Ban quản trị nhà chung cư họp'))\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules, sys.modules.get('underthesea.pipeline.translate', 0) is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert "Ban quản trị" in out[0] or "Ban" in out[0]
    assert out[1] == "False False False"


def test_underthesea_loads_without_its_ner_and_chunking_taggers():
    """Sentences, words and POS tags work; the unused taggers are not loaded, say so when called, and
    their real modules can still be imported."""
    code = (
        "import sys\n"
        "from pipeline.lang.vi import load_underthesea\n"
        "u = load_underthesea()\n"
        "print(len(u.sent_tokenize('Ban quản trị họp. Dân biết, dân bàn.')), u.pos_tag('Ban quản trị họp')[0][0])\n"
        "print(any('ner.tagged_feature' in m or 'chunking.tagged_feature' in m for m in sys.modules))\n"
        "try:\n"
        "    u.ner('Hà Nội')\n"
        "except RuntimeError as e:\n"
        "    print('refused', 'not loaded by govtext' in str(e))\n"
        "import importlib\n"
        "print(callable(importlib.import_module('underthesea.pipeline.ner').ner))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].startswith("2 ")
    assert out[1:] == ["False", "refused True", "True"]


# ---------------------------------------------------------------- word segmentation


def _corpus_sentences(shared_dir, per_corpus: int) -> list[str]:
    """Sentences of the first records of vi-gov (news, statutes) and vi-alqac (laws), as segmentation sees them."""
    import json

    from pipeline.lang.vi import load_underthesea

    load_underthesea()
    from underthesea import sent_tokenize

    out = []
    for corpus in ("corpora/vi-gov/corpus.jsonl", "eval/vi-alqac/corpus.jsonl"):
        with open(shared_dir / corpus, encoding="utf-8") as f:
            for _, line in zip(range(per_corpus), f):
                out += sent_tokenize(json.loads(line)["text"])
    return out


EDGE_SENTENCES = [
    "", " ", "Ban", "123", "!!!", "A", "HÀ NỘI, ngày 12/3/2024", "Nghị định số 199 /2026/NĐ-CP",
    "CTK-CSCL phối hợp với UBND TP.HCM", "Email: abc@gov.vn, http://chinhphu.vn/van-ban", "Điều 5. Ban quản trị",
    "dANH mục", "quản lý nhà chung cư 住宅 小区", "3,5% và 1.000.000 đồng", "Ông Nguyễn Văn A – Chủ tịch",
]


@pytest.mark.slow
def test_word_segmenter_gives_underthesea_features_and_words(shared_dir):
    """Features equal to underthesea's featurizer and words equal to its word_tokenize, sentence by sentence."""
    from pipeline.lang.vi import load_underthesea, word_segmenter

    load_underthesea()
    import underthesea.pipeline.word_tokenize as ws
    from underthesea import word_tokenize
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    sentences = EDGE_SENTENCES + _corpus_sentences(shared_dir, 25)
    assert len(sentences) > 2000
    word_tokenize("khởi động")  # loads underthesea's own featurizer
    reference = ws.word_tokenize_model.featurizer
    for sentence in sentences:
        for normalise in (True, False):
            syllables = tokenize(sentence, use_token_normalize=normalise, fixed_words=[])
            if syllables:
                assert word_segmenter.features(syllables) == reference.process([[[s] for s in syllables]])[0]
            assert word_segmenter.words(sentence, normalise) == word_tokenize(sentence, use_token_normalize=normalise)
