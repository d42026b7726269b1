"""Canonical names and abbreviations (`pipeline.practices.lexicon`)."""
from __future__ import annotations

import pytest

from pipeline.practices import abbreviations, canonical_name


# ---------------------------------------------------------------- canonical names


@pytest.mark.parametrize("surface, lang, expected", [
    ("“一征三议两公开”", "zh", "一征三议两公开"),
    ("《小区停车管理办法》", "zh", "小区停车管理办法"),
    ("“ＡＢ＋Ｎ”模式的", "zh", "ab+n模式"),
    ("居民自治模式等", "zh", "居民自治模式"),
    ("Phong trào  “Dân vận khéo”", "vi", "phong trào dân vận khéo"),
    ("mô hình này", "vi", "mô hình"),
    ("“dân biết,dân bàn”", "vi", "dân biết, dân bàn"),
])
def test_canonical_name(surface, lang, expected):
    assert canonical_name(surface, lang) == expected


def test_abbreviations_expand_in_canonical_names():
    text = "phong trào xây dựng Nông thôn mới (NTM) của tỉnh; phong trào xây dựng NTM đã lan tỏa."
    aliases = abbreviations(text)
    assert aliases == {"NTM": "Nông thôn mới"}
    assert canonical_name("phong trào xây dựng NTM", "vi", aliases) == "phong trào xây dựng nông thôn mới"
