"""What a practice carries besides its uses: definitions, a formula's parts, actors and outcomes."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from .types import Actor, Component, Evidence, Outcome, PracticeMention
from .lexicon import ZH_DEF_CUES, ZH_DIGITS, actor_regex, split_items
from .context import Context, zh_tokens


# ---------------------------------------------------------------- definitions

_VI_DEF_CUES = re.compile(r"\b(?:là|gồm|bao gồm|gồm có|được hiểu là|nghĩa là|tức là)\b|:")
_BRACKETED = re.compile(r"\s*[”\"’]?\s*[（(]([^（）()]{4,300})[）)]")


def definitions_of(ctx: Context, m: PracticeMention, limit: int = 10) -> list[Evidence]:
    """Sentences that say what the practice is: definitional cues after the name, an enumeration
    spelling out a formula, a bracketed list right after the name, or a colon-introduced passage."""
    out: list[Evidence] = []
    text = ctx.text
    ps, pe = m.passage_start, m.passage_end
    if pe <= ps:
        return out
    after = text[m.end: pe]
    cue_re = ZH_DEF_CUES if m.lang == "zh" else _VI_DEF_CUES
    bracket = _BRACKETED.match(text, m.end)
    if m.expansion:
        es, ee = m.expansion
        s, e = ctx.passage_at(es)
        if e > s:
            out.append(Evidence(m.doc_id, min(s, ps), max(e, pe) if s <= pe else e,
                                text[min(s, ps): max(e, pe) if s <= pe else e], "enumeration"))
    if bracket and len(split_items(bracket.group(1), m.lang)) >= 2:
        out.append(Evidence(m.doc_id, ps, pe, text[ps:pe], "brackets"))
    cue = cue_re.search(after[:80])
    if cue and not out:
        if cue.group() in (":", "："):
            # a colon after the name: the steps follow, to the end of the passage
            out.append(Evidence(m.doc_id, ps, pe, text[ps:pe], "colon"))
        elif not _is_heading(ctx, m.start):
            out.append(Evidence(m.doc_id, ps, pe, text[ps:pe], cue.group()))
    elif not out and m.lang == "zh":
        # a colon later in the passage that introduces steps or targets ("严把…：项目立项前…")
        colon = re.search(r"[:：]", after)
        if colon and len(re.findall(r"[;；]", after[colon.end():])) >= 1:
            out.append(Evidence(m.doc_id, ps, pe, text[ps:pe], "colon"))
    return out[:limit]


_ZH_FORMULA_PART = re.compile(rf"[{ZH_DIGITS}]+[^{ZH_DIGITS}\d]+")
_ZH_PART_DEFINED = r"[”\"」]?\s*(?:[，,]\s*)?(?:即|是指|指的是|就是|指|是|为|[:：]|[（(])"
_ZH_PART_CLAUSE_END = re.compile(r"[。；;！？\n]")
MAX_PART_DEFINITION = 120  # characters


def formula_parts(name: str) -> list[str]:
    """The numeral groups of a Chinese formula: 一征三议两公开 → [一征, 三议, 两公开]; [] for one group."""
    parts = _ZH_FORMULA_PART.findall(name)
    return parts if len(parts) >= 2 and "".join(parts) == name else []


def components_of(name: str, doc_ids: Iterable[str], contexts) -> tuple[Component, ...]:
    """Each part of formula `name` with the first clause of its documents that defines it: the part,
    quoted or not and not inside the whole formula, followed by 即/是指/就是/是/：/（ ("“一征”即征求群众意见")."""
    parts = formula_parts(name)
    out = []
    for part in parts:
        found = Component(part)
        pattern = re.compile(rf"(?<![{ZH_DIGITS}])[“\"「]?{re.escape(part)}{_ZH_PART_DEFINED}")
        for doc_id in sorted(doc_ids):
            text = contexts[doc_id].text
            for m in pattern.finditer(text):
                if text.find(name, max(0, m.start() - len(name)), m.end() + len(name)) >= 0:
                    continue  # the part inside the whole formula says nothing about the part
                end = _ZH_PART_CLAUSE_END.search(text, m.end())
                end = min(end.start() if end else len(text), m.start() + MAX_PART_DEFINITION)
                if end - m.end() >= 2:
                    found = Component(part, doc_id, m.start(), end, text[m.start(): end])
                    break
            if found.text:
                break
        out.append(found)
    return tuple(out)


def _is_heading(ctx: Context, pos: int) -> bool:
    return any(s <= pos < e for s, e, _ in ctx.headings)


# ---------------------------------------------------------------- actors


def actors_of(ms: Sequence[PracticeMention], contexts, lang: str) -> tuple[Actor, ...]:
    """Actor types named in the passages and paragraphs where the practice is used."""
    pattern, to_type = actor_regex(lang)
    counts: Counter = Counter()
    names: dict[str, Counter] = defaultdict(Counter)
    seen: set[tuple[str, int, int]] = set()
    for m in ms:
        ctx = contexts[m.doc_id]
        for s, e in {ctx.paragraph_at(m.start)}:
            if (m.doc_id, s, e) in seen:
                continue
            seen.add((m.doc_id, s, e))
            for a in pattern.finditer(ctx.text, s, e):
                if lang == "zh":
                    surface = a.group(2)
                    specific = _zh_actor_name(ctx.text, a.start(2), surface)
                else:
                    surface = a.group(1).lower()
                    specific = a.group(1)
                kind = to_type[surface]
                counts[kind] += 1
                names[kind][specific] += 1
    return tuple(Actor(t, tuple(n for n, _ in names[t].most_common(5)), c) for t, c in counts.most_common())


def _zh_actor_name(text: str, start: int, surface: str) -> str:
    """The actor with the proper name jieba finds before it: 祥和社区党委, 冯春社区党支部, 晨曦物业."""
    ls = max(text.rfind(p, 0, start) for p in "，,。；;：:、（(）)“”《》！？!? \n") + 1
    tokens = zh_tokens(text[ls:start]) if start > ls else ()
    name = surface
    for t in reversed(tokens):
        if t[3] in ("ns", "nr", "nz", "nt") or (t[2] in ("社区", "居民区", "小区") and name == surface):
            name = t[2] + name
            continue
        break
    return name


# ---------------------------------------------------------------- outcomes

_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*[%％](?:\s*以上)?|百分之[一二三四五六七八九十百]+|"
    r"\d+(?:[.,]\d+)?\s*(?:余|多)?\s*(?:户|人|名|起|件|栋|幢|万元|亿元|元|次|项|家|套|间|个|处|条|辆|"
    r"hộ|người|vụ|tỷ đồng|triệu đồng|cây|km|m2|tấn)(?![\w])"
)
_CLAUSE = re.compile(r"[^，,；;。！？!?\n]+")


def outcomes_of(ms: Sequence[PracticeMention], contexts) -> tuple[Outcome, ...]:
    """Clauses with a figure (a rate, a count, a sum) in the paragraphs where the practice is used."""
    out: list[Outcome] = []
    seen: set[tuple[str, int, int]] = set()
    for m in ms:
        ctx = contexts[m.doc_id]
        ps, pe = ctx.paragraph_at(m.start)
        if (m.doc_id, ps, pe) in seen:
            continue
        seen.add((m.doc_id, ps, pe))
        for clause in _CLAUSE.finditer(ctx.text, ps, pe):
            fig = _FIGURE.search(clause.group())
            if not fig or _is_date_like(clause.group(), fig):
                continue
            s, e = clause.start(), clause.end()
            while s < e and ctx.text[s].isspace():
                s += 1
            while e > s and ctx.text[e - 1].isspace():
                e -= 1
            if any(o.doc_id == m.doc_id and o.start == s for o in out):
                continue
            out.append(Outcome(m.doc_id, s, e, ctx.text[s:e], fig.group().strip()))
    return tuple(out)


def _is_date_like(clause: str, fig: re.Match) -> bool:
    after = clause[fig.end(): fig.end() + 1]
    return after in "年月日号" and after != ""
