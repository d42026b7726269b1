"""Numeric formulas: 一征三议两公开, “三率” spelled out by 知晓率、参与率和满意率, "5 biết", 1+N."""
from __future__ import annotations

import re
from functools import partial

from ..lang.zh import HAN_BMP, counting_numeral
from .lexicon import (
    ZH_CLASSIFIERS, ZH_DIGITS, ZH_MEASURES, ZH_NUMERALS, ZH_ORG_SUFFIX, ZH_RELATIONAL, split_items,
    zh_head_after,
)
from .context import Candidate, Context, zh_tokens


# ---------------------------------------------------------------- numeric formulas

_ZH_GROUP = rf"[{ZH_DIGITS}][^\W\d{ZH_NUMERALS}_丶第]{{1,3}}"
_ZH_SINGLE = re.compile(rf"(?<![第{ZH_NUMERALS}\d])([{ZH_DIGITS}])([{ZH_CLASSIFIERS}]?)([{HAN_BMP}]{{1,4}})")


_ZH_FUNCTION_FLAGS = ("d", "t", "m", "q", "f", "uj", "ul", "u", "p", "c", "r", "y", "j", "mq")


def formula_candidates(ctx: Context) -> list[Candidate]:
    """Chinese numeric formulas of each passage: runs of numeral groups, and single groups spelled out nearby."""
    out: list[Candidate] = []
    for pstart, passage in ctx.spans_with(ctx.passages, "zh", f"[{ZH_DIGITS}]"):
        # jieba's tagged words of the passage (cached), made only for a match that needs them: most
        # passages hold a numeral (一些, 一个) and no formula, and tagging them was most of this stage's time
        tokens = partial(zh_tokens, passage)
        for m in re.finditer(rf"(?:{_ZH_GROUP}){{2,4}}", passage):
            span = _compound_span(passage, m, tokens())
            if span:
                out.append(Candidate(pstart + span[0], pstart + span[1], pstart + span[0], pstart + span[1],
                                 "formula", 3.0))
        for m in _ZH_SINGLE.finditer(passage):
            c = _single_formula(ctx, pstart, passage, m, tokens)
            if c:
                out.append(c)
    return out


def _compound_span(passage: str, m: re.Match, tokens) -> tuple[int, int] | None:
    """The longest run of numeral groups in the match that jieba's words start and end on.

    A group that jieba reads as an adverb, a time or a number word (一直, 一周, 八月) or a numeral
    before a particle (一比一的) is not a formula; nor are runs of quantities (二至三人).
    """
    starts = {t[0] for t in tokens}
    ends = {t[1] for t in tokens}
    groups = re.findall(rf"[{ZH_DIGITS}][^\W\d{ZH_NUMERALS}_]+", m.group())
    if len(groups) < 2:
        return None
    s = m.start()
    if s not in starts or (s and passage[s - 1] in "第" + ZH_NUMERALS):
        return None
    # the last group's word ends where jieba's first word after its numeral ends: 一课|制度, 两|公开
    last_start = s + sum(len(g) for g in groups[:-1])
    last_end = last_start + len(groups[-1])
    end = next((t[1] for t in tokens if t[1] > last_start + 1), None)
    if end is None or end > last_end:
        return None
    groups[-1] = passage[last_start:end]
    if s + sum(len(g) for g in groups) not in ends:
        return None
    heads = [g[1:] for g in groups]
    if any(h[0] in ZH_MEASURES for h in heads) or any(ch in ZH_RELATIONAL for h in heads for ch in h):
        return None  # 二至三人, 二个文件, 九尾冲二期: quantities; 一对一购买: a phrase
    span_text = passage[s: s + sum(len(g) for g in groups)]
    first = next((t for t in tokens if t[0] == s), None)
    if "分之" in span_text or (first and first[3] == "t"):
        return None  # 三分之二, 一年四季
    span_end = s + len(span_text)
    if any(t[3] == "i" for t in tokens if t[0] < span_end and t[1] > s):
        return None  # an idiom: 三令五申, 五花八门, 一草一木
    if span_text.endswith(ZH_ORG_SUFFIX) or passage[span_end: span_end + 2] in ("公司", "集团"):
        return None  # 中建二局三公司: an organisation
    pos = s
    by_start = {t[0]: t for t in tokens}
    for g in groups:
        word = by_start.get(pos)
        if word and word[3] in _ZH_FUNCTION_FLAGS and word[1] <= pos + len(g) and word[2] != g[0]:
            return None
        head = by_start.get(pos + 1)
        if head and head[3] in _ZH_FUNCTION_FLAGS:
            return None
        pos += len(g)
    return s, s + sum(len(g) for g in groups)


def _single_formula(ctx: Context, pstart: int, passage: str, m: re.Match, tokens_of) -> Candidate | None:
    """“三率”, 三类组织: one numeral group, kept only when an enumeration of N items spells it out.

    `tokens_of()` gives the passage's tagged words; it is called only once the cheap checks pass."""
    n = counting_numeral(m.group(1))
    if n < 2:
        return None  # an enumeration of one item is no enumeration (_zh_expansion)
    classifier = m.group(2)
    if classifier and classifier not in "类项种大":
        return None  # 两个文件, 三位代表: a count of things, whatever lists them
    if classifier and f"“{m.group()}" not in ctx.text:
        return None  # 四种车位 after a list of four: a summary in prose, unless the text quotes it as a term
    if not any(sep in passage for sep in "、和及与"):
        return None  # no enumeration can spell it out (_zh_items separates items by these)
    # the head: jieba's first word after the numeral (and classifier)
    tokens = tokens_of()
    head_start = m.start(3)
    head_word = next((t for t in tokens if t[0] <= head_start < t[1]), None)
    if head_word is None:
        return None
    numeral_word = next((t for t in tokens if t[0] <= m.start() < t[1]), None)
    if numeral_word and len(numeral_word[2]) > 1 and numeral_word[3] not in ("m", "mq", "n", "nz", "l", "j", "q"):
        return None  # 双重考验: the numeral is part of a word
    head_end = head_word[1]
    # 三类组织: the word may start with the classifier ("三类" is a word): take the next one
    if head_end - head_start < 1:
        return None
    head = passage[head_start:head_end]
    if classifier and f"“{passage[m.start():head_end]}" not in ctx.text:
        return None
    if head_word[0] < m.start():  # the numeral is inside a longer word (统一, 唯一)
        return None
    if len(head) == 1 and head in ZH_MEASURES and not classifier:
        return None
    if head[0] in ZH_MEASURES and not classifier and head_word[3] in ("q", "m"):
        return None
    found = _zh_expansion(passage, m.start(), head_end, n, head)
    if not found:
        return None
    s, e = pstart + m.start(), pstart + head_end
    return Candidate(s, e, s, e, "formula", 3.0, expansion=(pstart + found[0], pstart + found[1]))


def zh_compound_text(inner: str) -> bool:
    """The whole string is two or more numeral groups that are not all quantities (一征三议两公开)."""
    if not re.fullmatch(rf"(?:{_ZH_GROUP}){{2,4}}", inner):
        return False
    if any(t[3] == "i" for t in zh_tokens(inner)):
        return False  # an idiom
    groups = re.findall(rf"[{ZH_DIGITS}][^{ZH_NUMERALS}]+", inner)
    return len(groups) >= 2 and not all(g[1] in ZH_MEASURES for g in groups)


_ZH_CLAUSE_BREAK = re.compile(r"[，,。；;：:（）()“”‘’《》！？!?\n\s]")
_ZH_CONJ = ("和", "及", "与", "以及", "或", "或者")


def _zh_expansion(passage: str, fstart: int, fend: int, n: int, head: str) -> tuple[int, int] | None:
    """An enumeration of exactly `n` items that all end (or all start) with the formula's head word.

    Items are separated by 、 and by jieba's conjunctions (和, 及, 与); the enumeration may sit in
    brackets after the formula, before it in the same clause, or anywhere in the paragraph
    (“三率” after “知晓率、参与率和满意率”). The nearest one wins.
    """
    if n < 2 or not head:
        return None
    best = None
    bounds = [0] + [m.end() for m in _ZH_CLAUSE_BREAK.finditer(passage)] + [len(passage) + 1]
    for cs, ce in zip(bounds, bounds[1:]):
        ce -= 1
        if ce - cs < 4:
            continue
        # a clause that holds the formula: only the part before it ("自治组织、志愿服务组织三类组织")
        if cs <= fstart < ce:
            ce = fstart
        elif cs < fend <= ce:
            cs = fend
        items = _zh_items(passage, cs, ce)
        for k in range(0, len(items) - n + 1):
            window = items[k: k + n]
            words = [passage[a:b] for a, b in window]
            if any(len(w) < 2 for w in words):
                continue
            if all(w.endswith(head) for w in words) or all(w.startswith(head) for w in words):
                # the window must be the whole enumeration, not part of a longer one
                if (k > 0 and passage[items[k - 1][0]: items[k - 1][1]].endswith(head)) or \
                        (k + n < len(items) and passage[items[k + n][0]: items[k + n][1]].endswith(head)):
                    continue
                span = (window[0][0], window[-1][1])
                dist = min(abs(span[0] - fend), abs(fstart - span[1]))
                if best is None or dist < best[0]:
                    best = (dist, span)
    return best[1] if best else None


def _zh_adjacent_enumeration(passage: str, quote_start: int, n: int) -> tuple[int, int] | None:
    """An enumeration of exactly `n` items right before a quoted formula: 刑事、民事、行政、公益诉讼“四大检察”."""
    cs = max([m.end() for m in _ZH_CLAUSE_BREAK.finditer(passage, 0, quote_start)] + [0])
    items = _zh_items(passage, cs, quote_start)
    if len(items) < n or n < 2 or quote_start - items[-1][1] > 1:
        return None
    window = items[-n:]
    # the first item may carry the verb of the clause ("统筹推进刑事"): keep its last word
    first_tokens = zh_tokens(passage[window[0][0]: window[0][1]])
    start = window[0][0] + (first_tokens[-1][0] if first_tokens else 0)
    if len(items) > n and passage[items[-n - 1][0]: items[-n - 1][1]] and len(items) - n > 0:
        return None  # a longer list than the number says
    return start, window[-1][1]


def _zh_items(passage: str, cs: int, ce: int) -> list[tuple[int, int]]:
    """Items of a clause separated by 、 and conjunction words, as spans of `passage`."""
    if "、" not in passage[cs:ce] and not any(c in passage[cs:ce] for c in ("和", "及", "与")):
        return []
    items: list[tuple[int, int]] = []
    pos = cs
    for piece in passage[cs:ce].split("、"):
        ps, pe = pos, pos + len(piece)
        pos = pe + 1
        cut = ps
        for t in zh_tokens(piece) if piece else ():
            if t[3] == "c" and t[2] in _ZH_CONJ and cut < ps + t[0]:
                items.append((cut, ps + t[0]))
                cut = ps + t[1]
        if cut < pe:
            items.append((cut, pe))
    return items if len(items) >= 2 else []


def formula_in_quote(ctx: Context, s: int, e: int, inner: str) -> Candidate | None:
    """A quoted numeral formula: “三率”, “三类组织”, “5 biết” spelled out nearby, or 一征三议两公开."""
    lang = ctx.lang_at(s)
    passage = ctx.paragraph_at(s)
    ptext = ctx.text[passage[0]: passage[1]]
    if lang == "zh":
        m = re.fullmatch(rf"([{ZH_DIGITS}])([{ZH_CLASSIFIERS}]?)([{HAN_BMP}]{{1,6}})", inner)
        if m:
            if zh_compound_text(inner):
                return Candidate(s - 1, e + 1 + len(zh_head_after(ctx.text, e + 1)), s, e, "formula", 3.0, quoted=True)
            first = zh_tokens(inner)[:1]
            if first and len(first[0][2]) > 1 and first[0][3] not in ("m", "mq", "n", "nz", "l", "j", "q"):
                return None  # “双重考验”: the numeral is part of a word
            n = counting_numeral(m.group(1))
            found = _zh_expansion(ptext, s - passage[0], e - passage[0], n, m.group(3)) or \
                _zh_adjacent_enumeration(ptext, s - 1 - passage[0], n)
            if found:
                return Candidate(s - 1, e + 1, s, e, "formula", 3.0, quoted=True,
                             expansion=(passage[0] + found[0], passage[0] + found[1]))
        return None
    m = re.fullmatch(r"(\d{1,2})\s+(\S+(?:\s+\S+)?)", inner)
    if m:
        n = int(m.group(1))
        word = m.group(2).split()[0].lower()
        found = _vi_expansion(ptext, e - passage[0], n, word)
        if found:
            return Candidate(s - 1, e + 1, s, e, "formula", 3.0, quoted=True,
                         expansion=(passage[0] + found[0], passage[0] + found[1]))
        if n >= 2 and len(inner.split()) >= 3:
            return None  # "10 nguyên tắc ...": left to the cue and verb rules
    return None


def _vi_expansion(ptext: str, after: int, n: int, word: str) -> tuple[int, int] | None:
    """A bracketed enumeration of `n` items that start with `word`, right after the formula."""
    m = re.match(r"\s*[”\"’]?\s*\(([^()]{4,400})\)", ptext[after:])
    if not m:
        return None
    inner = m.group(1)
    items = [i.strip() for i in inner.split(";")] if ";" in inner else split_items(inner, "vi")
    if len(items) == n and all(i.lower().split()[0] == word for i in items if i.split()):
        return after + m.start(1), after + m.end(1)
    return None


# ---------------------------------------------------------------- 1+N


_PLUS = re.compile(r"(?<![\w.+\-=])(?:1|一)\s*[+＋]\s*(?:N|n|X|x|\d{1,2}|[二三四五六七八九十]|多)(?![\w.=+\-%])")


def plus_candidates(ctx: Context) -> list[Candidate]:
    """"1+N" formulas outside arithmetic, with the head noun that follows one in Chinese."""
    out = []
    for m in _PLUS.finditer(ctx.text):
        after = ctx.text[m.end(): m.end() + 6]
        if re.match(r"\s*[=＝<>]", after):
            continue
        head = zh_head_after(ctx.text, m.end()) if ctx.lang_at(m.start()) == "zh" else ""
        if head or re.match(r"[”\"]", after) or re.match(rf"[{HAN_BMP}]", after):
            out.append(Candidate(m.start(), m.end() + len(head), m.start(), m.end(), "formula", 2.5, cue=head))
    return out
