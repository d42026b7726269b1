"""Language stage: tell Vietnamese, Chinese and everything else apart by script statistics.

No model: Han characters against Latin words, Vietnamese-only letters (ă â đ ê ô ơ ư and the
precombined toned vowels), and for text typed without diacritics, Vietnamese syllable shape
plus a list of frequent syllables. It runs on every paragraph of every document, so it only
counts characters with compiled regexes.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .lang.vi import SPECIFIC_LETTER
from .lang.zh import HAN_RE
from .types import Document, LangSpan

# Statistics over the first few thousand characters are as good as over the whole paragraph.
_SAMPLE = 4000

# ASCII only: Chinese text runs straight on after a URL, with no space to end it.
_URL = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+|[\w.+-]+@[\w-]+\.[\w.-]+", re.ASCII | re.IGNORECASE)
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]")
# Words of letters only (no digits or underscore), in any alphabetic script.
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
# The shape of a Vietnamese syllable written without diacritics: onset, vowels, coda.
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
# Frequent syllables of the Vietnamese governance corpus with diacritics stripped, minus
# short words that are also common English ("to", "do", "the", "an", "on", ...).
_VI_COMMON = frozenset(
    """
    co va cua xa cac tu thanh la dong trong cong dan bo cho de tinh da quan nam dung tai quy
    duoc dinh voi moi thi chinh van du phuong khong dien thu tich ve dau nay nhung chi noi gia
    nguoi hoi truong nha viec nhan hien thong bao mot cung ong doi thuc dat toan theo den chu
    su lam vi mo qua dang duong nhien phat phu xay tien ra khi ngay pho cu hoa nguyen tren vu
    nuoc phan sap hanh cao ly hop xep quoc nhieu bi giao lai toi khu chuc nghi anh trung vao
    goi nhu san dai phai tra dao nang se kien biet trien thuong dia day phong binh tri tang
    thoi quyet cap dieu cau chung trinh hai sau kinh nghiep tuong giai tam minh tac chua thang
    chuyen nhat pham luc hoach phap doanh tong luong mat huyen khai lien don doan bien hon
    quyen vien uy trang tiep giam tham nhiem truoc luat loi huong tuc nen
    """.split()
)


def _classify(text: str) -> tuple[str, bool]:
    """Language of `text` and whether there was enough evidence to tell."""
    sample = _URL.sub(" ", text[:_SAMPLE])
    han = len(HAN_RE.findall(sample))
    kana = len(_KANA_HANGUL.findall(sample))
    words = _WORD.findall(HAN_RE.sub(" ", sample))
    latin = [w for w in words if _LATIN_WORD.fullmatch(w)]
    foreign = len(words) - len(latin)  # words in Cyrillic, Thai, Arabic, kana runs, ...
    # One Han character is about one syllable, like one Latin word of Vietnamese.
    units = han + len(latin) + foreign
    if units == 0:
        return "other", False
    if han >= len(latin) + foreign and han > 0:
        if kana * 10 >= han + kana:  # Japanese mixes kana into its kanji
            return "other", True
        return ("zh", True) if han >= 2 else ("other", False)
    if len(latin) * 2 < units:
        return "other", True
    vi_words = sum(1 for w in latin if SPECIFIC_LETTER.search(w))
    if vi_words >= 2 and vi_words * 20 >= len(latin) * 3:
        return "vi", True
    if len(latin) < 4:
        return "other", False
    if vi_words * 20 < len(latin):  # text typed without diacritics
        lowered = [w.lower() for w in latin]
        shaped = sum(1 for w in lowered if _VI_SYLLABLE.fullmatch(w))
        common = sum(1 for w in lowered if w in _VI_COMMON)
        if shaped * 100 >= len(lowered) * 85 and common * 10 >= len(lowered) * 3:
            return "vi", True
    return "other", True


def detect_language(text: str) -> str:
    """The language of a piece of text by script statistics.

    Args:
        text: NFC text, typically one paragraph.
    Returns:
        "vi", "zh" or "other"; short or ambiguous text and English give "other".

    >>> detect_language("Ban quản trị nhà chung cư họp định kỳ hằng quý.")
    'vi'
    >>> detect_language("居民自治组织广泛动员了楼院中的老党员。")
    'zh'
    """
    return _classify(text)[0]


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def _paragraph_starts(text: str) -> list[int]:
    """Start offset of every blank-line separated block; the first starts at 0."""
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text) if m.end() < len(text)]


def detect_document(doc: Document) -> Document:
    """Detect the language of every paragraph of a document and of the document as a whole.

    Paragraphs too short to judge (a page number, "Điều 5.", "总则") take the language of the
    nearest paragraph before them that could be judged, else the one after.

    Args:
        doc: a normalised document.
    Returns:
        A copy of `doc` with `lang_spans` (consecutive same-language paragraphs merged; the
        spans tile the text) and `lang`, the language covering the most characters.
    """
    text = doc.text
    if not text:
        return replace(doc, lang_spans=(), lang="other")
    starts = _paragraph_starts(text)
    ends = starts[1:] + [len(text)]
    judged = [_classify(text[s:e]) for s, e in zip(starts, ends)]
    langs = [lang if sure else None for lang, sure in judged]
    previous = None
    for i, lang in enumerate(langs):
        if lang is None:
            langs[i] = previous
        else:
            previous = lang
    following = None
    for i in range(len(langs) - 1, -1, -1):
        if langs[i] is None:
            langs[i] = following or "other"
        following = langs[i]
    spans: list[LangSpan] = []
    for s, e, lang in zip(starts, ends, langs):
        if spans and spans[-1].lang == lang:
            spans[-1] = LangSpan(spans[-1].start, e, lang)
        else:
            spans.append(LangSpan(s, e, lang))
    size: dict[str, int] = {}
    for span in spans:
        size[span.lang] = size.get(span.lang, 0) + span.end - span.start
    main = max(size, key=lambda lang: (size[lang], lang != "other"))
    return replace(doc, lang_spans=tuple(spans), lang=main)
