"""Glossary: expansion both ways per language, folding, diacritics, syllable boundaries, the shipped file."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from pipeline.errors import GlossaryError, GovtextError
from pipeline.glossary import GLOSSARY_FILE, Expansion, Glossary, GlossaryEntry, load_glossary
from pipeline.lang.zh import to_simplified
from pipeline.normalize import fold, normalize_text


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def surfaces(glossary: Glossary, text: str, lang: str) -> list[str]:
    matches = glossary.find(text, lang)
    assert all(text[m.start : m.end] == m.surface for m in matches)
    return [m.surface for m in matches]


# ---------------------------------------------------------------- expansion both ways

# (Chinese query, expected Vietnamese expansion): the preferred Vietnamese forms.
ZH_TO_VI = [
    ("业主委员会", "Ban quản trị nhà chung cư"),
    ("业委会", "Ban quản trị nhà chung cư"),
    ("业主大会", "Hội nghị nhà chung cư"),
    ("物业服务企业", "đơn vị quản lý vận hành"),
    ("物业公司", "đơn vị quản lý vận hành"),
    ("维修资金", "kinh phí bảo trì"),
    ("专项维修资金", "kinh phí bảo trì"),
    ("居民自治", "tự quản của cộng đồng dân cư"),
    ("居委会", "tổ dân phố"),
    ("居民委员会", "tổ dân phố"),
    ("社区", "khu dân cư"),
    ("党支部", "chi bộ"),
    ("党委", "đảng ủy"),
    ("党员", "đảng viên"),
    ("书记", "bí thư"),
    ("基层党组织", "tổ chức cơ sở đảng"),
    ("街道", "phường"),
    ("区", "quận"),
    ("省", "tỉnh"),
    ("乡镇", "xã"),
    ("老旧小区改造", "cải tạo chung cư cũ"),
    ("加装电梯", "lắp đặt thang máy"),
    ("民主协商", "hiệp thương dân chủ"),
    ("公开", "công khai"),
    ("征求意见", "lấy ý kiến"),
    ("监督", "giám sát"),
    ("满意率", "tỷ lệ hài lòng"),
    ("通知", "thông báo"),
    ("决定", "quyết định"),
    ("报告", "báo cáo"),
    ("工作方案", "kế hoạch"),
    ("决议", "nghị quyết"),
    ("条例", "điều lệ"),
    ("妇联", "Hội Liên hiệp Phụ nữ"),
    ("共青团", "Đoàn Thanh niên"),
    ("志愿者", "tình nguyện viên"),
    ("业主委员会和物业公司", "Ban quản trị nhà chung cư đơn vị quản lý vận hành"),
    ("老旧小区改造加装电梯征求意见", "cải tạo chung cư cũ lắp đặt thang máy lấy ý kiến"),
    ("业委会换届，业主委员会备案", "Ban quản trị nhà chung cư"),  # one concept, one term
]

# (Vietnamese query, expected Chinese expansion): the preferred Chinese forms.
VI_TO_ZH = [
    ("Ban quản trị nhà chung cư", "业主委员会"),
    ("ban quản trị", "业主委员会"),
    ("hội nghị nhà chung cư", "业主大会"),
    ("đơn vị quản lý vận hành", "物业服务企业"),
    ("kinh phí bảo trì", "维修资金"),
    ("tự quản của cộng đồng dân cư", "居民自治"),
    ("tự quản", "居民自治"),
    ("tổ dân phố", "居委会"),
    ("ban công tác mặt trận", "居委会"),
    ("khu dân cư", "社区"),
    ("cộng đồng dân cư", "社区"),
    ("chi bộ", "党支部"),
    ("đảng ủy", "党委"),
    ("đảng viên", "党员"),
    ("bí thư", "书记"),
    ("tổ chức cơ sở đảng", "基层党组织"),
    ("phường", "街道"),
    ("quận", "区"),
    ("tỉnh", "省"),
    ("xã", "乡镇"),
    ("cải tạo chung cư cũ", "老旧小区改造"),
    ("lắp đặt thang máy", "加装电梯"),
    ("hiệp thương dân chủ", "民主协商"),
    ("công khai", "公开"),
    ("lấy ý kiến", "征求意见"),
    ("giám sát", "监督"),
    ("tỷ lệ hài lòng", "满意率"),
    ("thông báo", "通知"),
    ("quyết định", "决定"),
    ("báo cáo", "报告"),
    ("kế hoạch", "计划"),
    ("nghị quyết", "决议"),
    ("quy chế", "条例"),
    ("hội liên hiệp phụ nữ", "妇联"),
    ("đoàn thanh niên", "共青团"),
    ("tình nguyện viên", "志愿者"),
    ("Ban quản trị họp với đơn vị quản lý vận hành về kinh phí bảo trì", "业主委员会 物业服务企业 维修资金"),
    ("Chi bộ lấy ý kiến đảng viên", "党支部 征求意见 党员"),
]


@pytest.mark.parametrize("query, expected", ZH_TO_VI)
def test_chinese_expands_to_vietnamese(glossary, query, expected):
    expansion = glossary.expand(query)
    assert (expansion.source_lang, expansion.target_lang) == ("zh", "vi")
    assert expansion.text == expected


@pytest.mark.parametrize("query, expected", VI_TO_ZH)
def test_vietnamese_expands_to_chinese(glossary, query, expected):
    expansion = glossary.expand(query)
    assert (expansion.source_lang, expansion.target_lang) == ("vi", "zh")
    assert expansion.text == expected


@pytest.mark.parametrize("entry", load_glossary().entries, ids=lambda e: e.zh[0])
def test_every_preferred_form_round_trips(glossary, entry):
    assert glossary.expand(entry.zh[0], "zh").terms == (entry.vi[0],)
    assert glossary.expand(entry.vi[0], "vi").terms == (entry.zh[0],)


# (term, its language, the other language's preferred form or None)
TRANSLATE = [
    ("业主委员会", "zh", "Ban quản trị nhà chung cư"),
    ("業委會", "zh", "Ban quản trị nhà chung cư"),
    ("区", "zh", "quận"),
    ("Ban quản trị", "vi", "业主委员会"),
    ("chi bo", "vi", "党支部"),
    (" ĐẢNG ỦY ", "vi", "党委"),
    ("ban quản trị tòa nhà", "vi", None),
    ("长宁区", "zh", None),
    ("hello", None, None),
]


@pytest.mark.parametrize("term, lang, expected", TRANSLATE)
def test_translate(glossary, term, lang, expected):
    assert glossary.translate(term, lang) == expected


def test_languages_can_be_given_and_unknown_ones_are_refused(glossary):
    assert glossary.expand("業主委員會", target_lang="zh").text == "业主委员会"  # canonical Chinese form
    assert glossary.expand("chi bộ", source_lang="vi", target_lang="zh").text == "党支部"
    with pytest.raises(ValueError):
        glossary.expand("chi bộ", source_lang="en")
    with pytest.raises(ValueError):
        glossary.find("chi bộ", "fr")


# ---------------------------------------------------------------- Chinese: folding, one-character forms

# (traditional or full-width text, expected surfaces): found after folding, offsets into the original.
TRADITIONAL = [
    ("業主委員會", ["業主委員會"]),
    ("業委會", ["業委會"]),
    ("召開業主大會", ["業主大會"]),
    ("居民委員會", ["居民委員會"]),
    ("維修資金", ["維修資金"]),
    ("黨支部書記", ["黨支部", "書記"]),
    ("老舊小區改造", ["老舊小區改造"]),
    ("加裝電梯", ["加裝電梯"]),
    ("民主協商，徵求意見", ["民主協商", "徵求意見"]),
    ("業主委員會與物業公司", ["業主委員會", "物業公司"]),
    ("業主委員會與物业公司", ["業主委員會", "物业公司"]),  # mixed scripts
]


@pytest.mark.parametrize("text, expected", TRADITIONAL)
def test_traditional_chinese_matches(glossary, text, expected):
    assert surfaces(glossary, text, "zh") == expected


@pytest.mark.parametrize("text, expected", TRADITIONAL[:3])
def test_traditional_and_simplified_expand_alike(glossary, text, expected):
    simplified = "".join(to_simplified(ch) for ch in text)
    assert glossary.expand(text).terms == glossary.expand(simplified).terms != ()


# (text, expected surfaces): a one-character form (区, 省, 市, 县, 村, 乡, 镇) only stands alone.
ONE_CHARACTER = [
    ("区", ["区"]),
    ("省 市 县", ["省", "市", "县"]),
    ("A市A3区", ["市", "区"]),
    ("长宁区", []),
    ("城市", ["城市"]),
    ("小区", ["小区"]),
    ("社区", ["社区"]),
    ("省级", ["省级"]),
    ("乡镇", ["乡镇"]),
    ("村庄", ["村庄"]),
    ("镇上", []),
]


@pytest.mark.parametrize("text, expected", ONE_CHARACTER)
def test_one_character_chinese_forms_only_match_alone(glossary, text, expected):
    assert surfaces(glossary, text, "zh") == expected


# ---------------------------------------------------------------- Vietnamese: case, tones, diacritics, syllables

# (text, expected surfaces): case, old-style tone placement and decomposed text.
VIETNAMESE_VARIANTS = [
    ("BAN QUẢN TRỊ NHÀ CHUNG CƯ", ["BAN QUẢN TRỊ NHÀ CHUNG CƯ"]),
    ("Đảng Ủy phường", ["Đảng Ủy", "phường"]),
    ("Đảng uỷ phường", ["Đảng uỷ", "phường"]),
    ("UBND quận", ["UBND", "quận"]),
    ("phòng cháy, chữa cháy", ["phòng cháy, chữa cháy"]),
    ("tổ chức chính trị - xã hội", ["tổ chức chính trị - xã hội"]),
]


@pytest.mark.parametrize("text, expected", VIETNAMESE_VARIANTS)
def test_vietnamese_matches_case_and_tone_variants(glossary, text, expected):
    assert surfaces(glossary, text, "vi") == expected


def test_decomposed_vietnamese_matches_with_offsets_into_it(glossary):
    text = unicodedata.normalize("NFD", "Ban quản trị và phường")
    matches = glossary.find(text, "vi")
    assert [m.entry.zh[0] for m in matches] == ["业主委员会", "街道"]
    assert all(text[m.start : m.end] == m.surface for m in matches)


# (text without diacritics, expected Chinese expansion)
WITHOUT_DIACRITICS = [
    ("ban quan tri nha chung cu", "业主委员会"),
    ("Ban Quan Tri", "业主委员会"),
    ("hoi nghi nha chung cu", "业主大会"),
    ("chi bo", "党支部"),
    ("dang uy", "党委"),
    ("kinh phi bao tri", "维修资金"),
    ("lap dat thang may", "加装电梯"),
    ("cai tao chung cu cu", "老旧小区改造"),
    ("lay y kien ve ty le hai long", "征求意见 满意率"),
    ("UBND va HDND", "人民政府 人民代表大会"),
    ("thu chi", "收支"),
    # one syllable without its diacritics is too ambiguous ("xa" is not "xã", "quan" not "quận")
    ("xa", ""),
    ("quan", ""),
    ("phuong", ""),
]


@pytest.mark.parametrize("text, expected", WITHOUT_DIACRITICS)
def test_vietnamese_without_diacritics_matches(glossary, text, expected):
    assert glossary.expand(text, "vi").text == expected


# (text, expected surfaces): a text with diacritics is matched with them, so no stripped matches.
WITH_SOME_DIACRITICS = [
    ("chi bo và đảng viên", ["đảng viên"]),
    ("ban quản trị", ["ban quản trị"]),
]


@pytest.mark.parametrize("text, expected", WITH_SOME_DIACRITICS)
def test_text_with_diacritics_is_not_matched_without_them(glossary, text, expected):
    assert surfaces(glossary, text, "vi") == expected


# (text, expected surfaces): a form never matches part of a syllable.
SYLLABLE_BOUNDARIES = [
    ("chiến bộ binh", []),  # not "chi bộ"
    ("áo rách", []),  # not "rác"
    ("thông minh", []),  # not "thôn"
    ("xãy ra", []),  # not "xã"
    ("chi bộ", ["chi bộ"]),
    ("đảng viênchi bộ", []),  # "viênchi" is one (misspelt) syllable: neither term is whole
    ("xã hội", ["xã hội"]),  # the longer form, not "xã"
    ("nông thôn", ["nông thôn"]),
    ("Ban quản trị业主委员会", ["Ban quản trị"]),  # Han characters end a syllable
]


@pytest.mark.parametrize("text, expected", SYLLABLE_BOUNDARIES)
def test_vietnamese_forms_match_whole_syllables(glossary, text, expected):
    assert surfaces(glossary, text, "vi") == expected


def test_a_full_stop_breaks_a_term(glossary):
    assert surfaces(glossary, "ban quản trị. Nhà chung cư", "vi") == ["ban quản trị", "Nhà chung cư"]
    assert surfaces(glossary, "kinh phí. Bảo trì", "vi") == ["kinh phí"]


# ---------------------------------------------------------------- overlaps

# (text, language, expected surfaces): the longest match wins, then the leftmost.
OVERLAPS = [
    ("社区居委会", "zh", ["社区居委会"]),
    ("老旧小区改造", "zh", ["老旧小区改造"]),
    ("住宅专项维修资金", "zh", ["住宅专项维修资金"]),
    ("全国人民代表大会常务委员会", "zh", ["全国人民代表大会常务委员会"]),
    ("人民代表大会", "zh", ["人民代表大会"]),
    ("征收土地使用权", "zh", ["土地使用权"]),  # 土地使用权 is longer than 征收土地
    ("Hội nghị nhà chung cư", "vi", ["Hội nghị nhà chung cư"]),
    ("cải tạo chung cư cũ", "vi", ["cải tạo chung cư cũ"]),
    ("kinh phí bảo trì phần sở hữu chung", "vi", ["kinh phí bảo trì phần sở hữu chung"]),
    ("Ủy ban thường vụ Quốc hội", "vi", ["Ủy ban thường vụ Quốc hội"]),
    ("tổ trưởng tổ dân phố", "vi", ["tổ trưởng tổ dân phố"]),
    ("nhà ở xã hội", "vi", ["nhà ở xã hội"]),
]


@pytest.mark.parametrize("text, lang, expected", OVERLAPS)
def test_overlapping_terms_resolve_to_the_longest(glossary, text, lang, expected):
    assert surfaces(glossary, text, lang) == expected


def test_matches_are_in_text_order_and_do_not_overlap(glossary):
    text = "老旧小区改造中业主委员会征求意见，公开维修资金使用情况，提高满意率"
    matches = glossary.find(text, "zh")
    assert [m.surface for m in matches] == ["老旧小区改造", "业主委员会", "征求意见", "公开", "维修资金", "满意率"]
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:]))


# ---------------------------------------------------------------- coverage, explain, dict

# (query, expected coverage): share of non-space characters inside matches.
COVERAGE = [
    ("业主委员会", 1.0),
    ("业主委员会和业主大会", 0.9),
    ("什么是业主委员会", 5 / 8),
    ("chi bộ họp", 5 / 8),
    ("  chi bộ  ", 1.0),
    ("ban quan tri va chi bo", 15 / 17),
    ("hello world", 0.0),
    ("", 0.0),
]


@pytest.mark.parametrize("query, expected", COVERAGE)
def test_coverage(glossary, query, expected):
    assert glossary.expand(query).coverage == pytest.approx(expected)


# (query, expected explain() lines)
EXPLAIN = [
    ("业主委员会", ["业主委员会 → Ban quản trị nhà chung cư (owners' committee)"]),
    ("業委會", ["業委會 → Ban quản trị nhà chung cư (owners' committee)"]),
    ("Chi bộ và đảng viên", ["Chi bộ → 党支部 (party cell, the basic party branch)", "đảng viên → 党员 (party member)"]),
    ("chi bộ, chi bộ", ["chi bộ → 党支部 (party cell, the basic party branch)"]),
    ("hello", []),
]


@pytest.mark.parametrize("query, expected", EXPLAIN)
def test_explain(glossary, query, expected):
    assert glossary.expand(query).explain() == expected


def test_terms_are_preferred_forms_without_repeats(glossary):
    expansion = glossary.expand("业委会、业主委员会和物业公司、物业服务企业")
    assert expansion.terms == ("Ban quản trị nhà chung cư", "đơn vị quản lý vận hành")
    assert len(expansion.matches) == 4


def test_to_dict_is_json_ready(glossary):
    data = glossary.expand("業主委員會和業主大會").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["source_lang"] == "zh" and data["target_lang"] == "vi"
    assert data["text"] == "Ban quản trị nhà chung cư Hội nghị nhà chung cư"
    assert data["coverage"] == pytest.approx(0.9)
    first = data["matches"][0]
    assert (first["surface"], first["start"], first["end"]) == ("業主委員會", 0, 5)
    assert first["translation"] == "Ban quản trị nhà chung cư" and first["zh"][0] == "业主委员会"


def test_expansion_is_a_frozen_value(glossary):
    expansion = glossary.expand("党支部")
    assert isinstance(expansion, Expansion)
    with pytest.raises(AttributeError):
        expansion.query = "x"  # type: ignore[misc]
    assert expansion == glossary.expand("党支部")


# ---------------------------------------------------------------- the shipped file


def shipped_rows() -> list[list[str]]:
    lines = GLOSSARY_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "vi\tzh\tnote"
    return [line.split("\t") for line in lines[1:] if line.strip()]


def test_shipped_file_has_at_least_160_concepts(glossary):
    assert len(shipped_rows()) >= 160
    assert len(glossary) == len(shipped_rows()) == len(list(glossary))


def test_shipped_rows_have_both_languages_a_note_and_no_empty_forms():
    for vi, zh, note in shipped_rows():
        assert vi and zh and note.strip()
        for form in vi.split("|") + zh.split("|"):
            assert form and form == form.strip()


def test_shipped_rows_are_distinct_concepts(glossary):
    for lang in ("vi", "zh"):
        preferred = [entry.forms(lang)[0] for entry in glossary]
        assert len(set(preferred)) == len(preferred)
    vi_keys = [" ".join(normalize_text(f).lower().split()) for e in glossary for f in e.vi]
    zh_keys = [f for e in glossary for f in e.zh]
    assert len(set(vi_keys)) == len(vi_keys)
    assert len(set(zh_keys)) == len(zh_keys)


def test_shipped_chinese_forms_are_simplified_han(glossary):
    for entry in glossary:
        for form in entry.zh:
            assert fold(form) == form, form
            assert "".join(to_simplified(ch) for ch in form) == form, form
            assert all("\u4e00" <= ch <= "\u9fff" for ch in form), form


def test_shipped_vietnamese_forms_are_normalised_latin(glossary):
    for entry in glossary:
        for form in entry.vi:
            assert normalize_text(form) == form, form
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in form), form


def test_shipped_glossary_is_cached(glossary):
    assert load_glossary() is load_glossary() is glossary
    assert load_glossary(GLOSSARY_FILE) is not glossary
    assert len(load_glossary(str(GLOSSARY_FILE))) == len(glossary)


# ---------------------------------------------------------------- other files

GOOD = "vi\tzh\tnote\nchi bộ\t党支部\tparty cell\n\nđảng viên|Đảng viên mới\t党员\tparty member\n"

# (file content, words the error message must contain)
MALFORMED = [
    ("", "header"),
    ("vi\tzh\nchi bộ\t党支部\n", "header"),
    ("vi\tzh\tnote\nchi bộ\t党支部\n", "3 tab-separated fields"),
    ("vi\tzh\tnote\nchi bộ\t党支部\tparty cell\textra\n", "3 tab-separated fields"),
    ("vi\tzh\tnote\n\t党支部\tparty cell\n", "vi field is empty"),
    ("vi\tzh\tnote\nchi bộ\t \tparty cell\n", "zh field is empty"),
    ("vi\tzh\tnote\nchi bộ\t党支部\t\n", "note field is empty"),
    ("vi\tzh\tnote\nchi bộ||chi ủy\t党支部\tparty cell\n", "empty form"),
    ("vi\tzh\tnote\nchi bộ\t党支部|\tparty cell\n", "empty form"),
    ("vi\tzh\tnote\n---\t党支部\tparty cell\n", "empty vi form"),
    ("vi\tzh\tnote\nchi bộ\t党支部\tparty cell\nChi Bộ\t支部\tbranch\n", "listed twice"),
    ("vi\tzh\tnote\nchi bộ\t党支部\tparty cell\nchi ủy\t黨支部\tbranch\n", "listed twice"),
    ("vi\tzh\tnote\nchi bộ|chi bộ\t党支部\tparty cell\n", "listed twice"),
]


@pytest.mark.parametrize("content, message", MALFORMED)
def test_malformed_glossary_raises_a_named_error(tmp_path, content, message):
    path = tmp_path / "glossary.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message) as info:
        load_glossary(path)
    assert isinstance(info.value, GovtextError)
    assert str(path) in str(info.value)


def test_unreadable_glossary_raises_a_named_error(tmp_path):
    with pytest.raises(GlossaryError, match="cannot read"):
        load_glossary(tmp_path / "missing.tsv")
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes("vi\tzh\tnote\nchi bộ\t党支部\tparty cell\n".encode("utf-8")[:-20] + b"\xff\xfe\n")
    with pytest.raises(GlossaryError, match="cannot read"):
        load_glossary(latin1)


def test_a_small_glossary_file_loads(tmp_path):
    path = tmp_path / "glossary.tsv"
    path.write_text(GOOD, encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary.entries == (
        GlossaryEntry(("chi bộ",), ("党支部",), "party cell"),
        GlossaryEntry(("đảng viên", "Đảng viên mới"), ("党员",), "party member"),
    )
    assert glossary.expand("đảng viên mới").text == "党员"
    assert glossary.entries[1].forms("zh") == ("党员",)


def test_entries_sharing_a_form_are_refused():
    with pytest.raises(GlossaryError, match="listed twice"):
        Glossary([GlossaryEntry(("chi bộ",), ("党支部",), "a"), GlossaryEntry(("chi bo",), ("党支部",), "b")])


# ---------------------------------------------------------------- cost


def test_importing_the_glossary_loads_no_segmenter_or_model():
    code = (
        "import sys, pipeline.glossary as g\n"
        "g.load_glossary().expand('业主委员会'); g.load_glossary().expand('Ban quản trị')\n"
        "print(','.join(m for m in ('jieba', 'underthesea', 'torch') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    "query, lang",
    [
        ("老旧小区改造中业主委员会如何征求意见并公开维修资金的使用情况以提高居民满意率和参与率", "zh"),
        ("Ban quản trị nhà chung cư lấy ý kiến về kinh phí bảo trì", "vi"),
        ("ban quan tri nha chung cu lay y kien ve kinh phi bao tri", "vi"),
    ],
)
def test_find_on_a_short_query_gives_the_same_matches_every_time(glossary, query, lang):
    assert 40 <= len(query) <= 60
    first = glossary.find(query, lang)  # fills the syllable cache
    assert first and all(glossary.find(query, lang) == first for _ in range(20))
