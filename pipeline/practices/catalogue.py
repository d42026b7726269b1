"""`build_catalogue`: mentions grouped across documents, scored, cleaned and looked up again."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Iterable, Mapping, Sequence

from ..lang.zh import HAN_BMP, HAN_BMP_RE
from ..segment import segment
from ..types import Document, Segment
from .types import Evidence, Practice, PracticeMention, Use
from .lexicon import (
    CLOSE_QUOTES, OPEN_QUOTES, ZH_DIGITS, ZH_GOVERNING, ZH_HEADS, ZH_LEFT_STOP, ZH_MEASURES, ZH_NORM_NOUNS,
    ZH_NUMERALS, ZH_OBJECT_VERBS, ZH_OBJECT_VERBS_BEFORE_NOUN, ZH_ORG_SUFFIX, ZH_TITLE_HEADS, canonical_name,
    zh_head_after,
)
from .context import Context, zh_freq, zh_tokens
from .zh import zh_bracket_word_start, zh_ends_name, zh_generic, zh_word_start
from .mentions import find_mentions
from .evidence import actors_of, components_of, definitions_of, outcomes_of


# ---------------------------------------------------------------- catalogue

# Evidence that a name is promoted on its own (a formula, a quoted name with a head, a title...)
MIN_SCORE = 1.5


def build_catalogue(
    docs: Iterable[Document],
    segments: Mapping[str, Sequence[Segment]] | None = None,
    min_score: float = MIN_SCORE,
    metadata: bool | Mapping[str, tuple[tuple[str, ...], str]] = True,
    mentions: Mapping[str, Sequence[PracticeMention]] | None = None,
) -> list[Practice]:
    """Group practice mentions across documents into a catalogue of practices.

    The score of a name adds up what supports it: its strongest mention (a formula or a quoted
    name with a head noun scores 3, an unquoted cue phrase 1), recurrence (log2 of its mentions),
    document frequency (+1 for each further document), a definition (+1). Names scoring under
    `min_score` are dropped as noise. Accepted names are then searched again in every document, so
    an unmarked recurrence ("三类组织" without quotes, "Tết trồng cây" in another report) is a use.

    Args:
        docs: normalised, language-detected Documents.
        segments: `{doc.id: segment(doc)}` when already computed.
        min_score: the promotion threshold.
        metadata: attach places and dates from `pipeline.metadata.extract_metadata` to each use;
            or `{doc.id: (place names, date)}` when already known.
        mentions: `{doc.id: find_mentions(doc, segments)}` when already computed (at ingest).
    Returns:
        Practices, best score first (ties: more documents, then name).

    Example:
        >>> cat = build_catalogue([normalize(d) for d in docs])      # doctest: +SKIP
        >>> cat[0].name, cat[0].definitions[0].text                   # doctest: +SKIP
    """
    docs = list(docs)
    contexts: dict[str, Context] = {}
    known = mentions or {}
    found: list[PracticeMention] = []
    for doc in docs:
        segs = list(segments[doc.id]) if segments and doc.id in segments else segment(doc)
        contexts[doc.id] = Context(doc, segs)
        found += known[doc.id] if doc.id in known else find_mentions(doc, segs)
    groups: dict[tuple[str, str], list[PracticeMention]] = defaultdict(list)
    for m in found:
        if m.lang in ("zh", "vi") and m.canonical:
            m = _coordinated(m, contexts[m.doc_id])
            if not _cut_name(m, contexts[m.doc_id]):
                groups[(m.lang, m.canonical)].append(m)
    groups = defaultdict(list, {key: ms for key, ms in groups.items() if not _not_a_practice(key, ms, contexts)})
    scored = {key: _score(ms, contexts) for key, ms in groups.items()}
    accepted = {key for key, s in scored.items() if s >= min_score}
    # unmarked recurrences of accepted names
    for key, extra in _recurrences(accepted, groups, contexts).items():
        groups[key].extend(extra)
    meta = dict(metadata) if isinstance(metadata, Mapping) else _doc_metadata(docs) if metadata else {}
    out = []
    for key in accepted:
        ms = sorted(groups[key], key=lambda m: (m.doc_id, m.start))
        senses = _senses(key, ms, contexts)
        if len(senses) == 1:
            out.append(_practice(key, ms, contexts, meta, _score(ms, contexts)))
            continue
        for i, (qualifier, sense) in enumerate(senses):
            p = _practice(key, sense, contexts, meta, _score(sense, contexts))
            # the most used sense keeps the plain canonical name, so looking the name up finds it
            canonical = p.canonical if i == 0 else f"{p.canonical}（{qualifier}）"
            out.append(replace(p, name=f"{p.name}（{qualifier}）", canonical=canonical))
    out.sort(key=lambda p: (-p.score, -p.doc_count, p.name))
    return out


# Party doctrine a formula is listed in, or the word that follows one: "“三个代表”重要思想", "“五位一体”总体布局".
_ZH_DOCTRINE = re.compile(r"马克思列宁主义|毛泽东思想|邓小平理论|科学发展观|中国特色社会主义思想|社会主义核心价值观|初心使命")
_ZH_DOCTRINE_AFTER = re.compile(r"[”」』\"]?(?:重要思想|思想|理论|总体布局|战略布局|重要论述)")
# What cannot open a name: a unit after a number ("24小时专人值班制度" cut to 小时…), a relational noun
# or vague determiner run on from the sentence ("方面政策制度", "国家有关专项维修资金制度").
_ZH_BAD_NAME_START = ("方面", "有关", "相关", "其他", "其它", "以及", "国家有关", "试")
# Verbs that take a name as their object and so cannot open one (beside `ZH_LEFT_STOP`).
_ZH_VERB_OPENERS = ZH_OBJECT_VERBS | ZH_OBJECT_VERBS_BEFORE_NOUN | {"通过", "明确"}
_ZH_ALIAS_OF = re.compile(r"[（(]\s*以下(?:简|统)称\s*[“「\"]?$")


def _cut_name(m: PracticeMention, ctx: Context) -> bool:
    """True when a Chinese name found by its head noun is only part of a name, or runs on from the sentence:

    - it starts inside a number phrase ("24小时专人值班制度" cut to 小时…) or with a relational word
      ("方面政策制度", "国家有关…");
    - it starts with a word that ends names on the left, a governing verb or the like ("拟定业主公约",
      "协调生产者责任延伸制度").
    """
    if m.lang != "zh" or m.kind not in ("named", "cue"):
        return False
    before = ctx.text[max(0, m.start - 1): m.start]
    if before.isdigit() and m.name[:1] in ZH_MEASURES or m.name.startswith(_ZH_BAD_NAME_START):
        return True
    tokens = zh_tokens(m.name)
    if not tokens:
        return False
    if len(tokens) > 1 and zh_word_start(tokens, tokens[1][0], len(m.name)) == 0:
        return False  # the first word is the start of the second: 可持续…, 二十四小时…, 执行难…
    first = tokens[0][2]
    return first in ZH_LEFT_STOP or first in _ZH_VERB_OPENERS or any(
        first.startswith(v) for v in _ZH_VERB_OPENERS | ZH_LEFT_STOP if len(v) >= 2 and len(first) > len(v))


_ZH_COORDINATION = ("、", "和", "及", "与", "以及", "及其")
# Nouns naming a document, decision, principle or facility of its own: "居民会议的决定和居民公约",
# "大数据共享交换平台和信息共享机制" coordinate two things.
_ZH_DOCUMENT_NOUNS = ("决定", "决议", "规定", "意见", "方案", "计划", "规划", "报告", "协议", "合同", "预案", "标准", "原则",
                      "规则", "政策", "体系", "平台", "系统")
MAX_COORDINATED_NAME = 40  # characters


def _coordinated(m: PracticeMention, ctx: Context) -> PracticeMention:
    """A Chinese name found by its head noun, widened over the names coordinated with it that share the
    head: "投诉、【举报处理机制】" → 投诉、举报处理机制, "信息公开和【公众参与制度】" → 信息公开和公众参与制度.
    A conjunct that ends in a head noun of its own is a name of its own ("居民自治章程和居民公约"), a
    law or general norm is none ("法律、法规和【村民自治章程】" stays 村民自治章程), and the widening
    stops at what ends names on the left (的, 等, governing verbs, punctuation, `zh_ends_name`)."""
    if m.lang != "zh" or m.kind != "named":
        return m
    text, start = ctx.text, m.start
    while True:
        conj = next((c for c in sorted(_ZH_COORDINATION, key=len, reverse=True) if text.startswith(c, start - len(c))), "")
        if not conj:
            break
        end = start - len(conj)
        clause = max(text.rfind(p, 0, end) for p in "，,。；;：:（(）)“”《》！？!? \n") + 1
        left = text[clause:end]
        if not left or left.endswith(ZH_HEADS + ZH_TITLE_HEADS + _ZH_DOCUMENT_NOUNS + ZH_NORM_NOUNS) or \
                not HAN_BMP_RE.match(left[-1:]):
            break
        tokens = zh_tokens(left)
        begin = len(left)
        for i in range(len(tokens) - 1, -1, -1):
            t = tokens[i]
            if zh_ends_name(tokens, i, len(left)) or t[2] in _ZH_COORDINATION:
                break
            if any(t[2].startswith(v) and len(t[2]) > len(v) for v in ZH_GOVERNING if len(v) >= 2):
                begin = t[0] + next(len(v) for v in ZH_GOVERNING if len(v) >= 2 and t[2].startswith(v))
                break
            begin = t[0]
        if begin < len(left):
            begin = zh_word_start(tokens, begin, len(left))
        if begin is None or begin >= len(left) or m.end - (clause + begin) > MAX_COORDINATED_NAME:
            break
        start = clause + begin
        if begin == 0:  # 居（村）民委员会、业主委员会…: the conjunct began inside a word
            start = zh_bracket_word_start(text, start) or start
    if start == m.start:
        return m
    name = text[start: m.end]
    return replace(m, name=name, canonical=canonical_name(name, "zh"), start=start)


def _not_a_practice(key: tuple[str, str], ms: Sequence[PracticeMention], contexts: Mapping[str, Context]) -> bool:
    """Names that have a practice's shape but are something else (general rules, no list of names):

    - a Chinese idiom or fixed expression, one word in jieba's dictionary (一模一样, 三位一体);
    - party doctrine: most mentions sit in a sentence listing doctrine (马克思列宁主义、毛泽东思想、
      邓小平理论、“三个代表”重要思想) or are followed by 重要思想, 总体布局 ..., unless the formula's
      own parts are spelled out beside it (a list of doctrines is no spelling-out);
    - a short name for a list of institutions or places ("人民政府、人民法院和人民检察院（以下简称
      “一府两院”）", "江苏省、浙江省（以下简称两省一市）");
    - a numeric pattern spelled once, unquoted and unexplained in free text (一房两卖, 两女一子): too
      little evidence that it names anything.
    """
    lang, canonical = key
    marked = [m for m in ms if m.kind != "recurrence"]
    if lang == "vi":
        return _vi_not_a_practice(canonical, ms, marked, contexts)
    if lang != "zh":
        return False
    if canonical.endswith("体制机制"):
        return True  # "institutions and mechanisms" of a field: no particular one
    if not marked or any(m.kind == "named" for m in marked):
        return False  # a head noun (工作法, 机制, 制度) says it is a way of working
    spelled = [m for m in marked if m.expansion]
    if any(not _ZH_DOCTRINE.search(contexts[m.doc_id].text, *m.expansion) for m in spelled):
        return False  # its parts are spelled out beside it ("刑事、民事、行政、公益诉讼“四大检察”")
    quoted = [_quoted_at(contexts[m.doc_id].text, m) for m in marked]
    tokens = zh_tokens(canonical)
    if len(tokens) == 1 and tokens[0][3] in ("i", "l") and not any(quoted):
        return True  # an idiom in running text; quoted (“三位一体”) it names something
    doctrine = 0
    for m in marked:
        text = contexts[m.doc_id].text
        if _ZH_DOCTRINE.search(text, m.sentence_start, m.sentence_end) or _ZH_DOCTRINE_AFTER.match(text, m.end):
            doctrine += 1
    if doctrine * 2 >= len(marked):
        return True
    for m in marked:
        text = contexts[m.doc_id].text
        alias = _ZH_ALIAS_OF.search(text, max(0, m.start - 12), m.start)
        if alias:
            listed = re.split(r"[、，,和及与]", text[max(m.sentence_start, alias.start() - 60): alias.start()])
            if sum(1 for item in listed if item.strip().endswith(ZH_ORG_SUFFIX + ("省", "市", "县", "区", "院", "府"))) >= 2:
                return True
    if len(ms) == 1 and marked[0].kind == "formula" and not quoted[0]:
        return not zh_head_after(contexts[marked[0].doc_id].text, marked[0].end)
    return False


# A document's kind opening a quoted Vietnamese name: the title of a plan or decision, not a practice.
_VI_DOCUMENT_KIND = re.compile(
    r"(?:phương án|kế hoạch|quyết định|nghị quyết|nghị định|chỉ thị|thông tư|báo cáo|luật|bộ luật|công văn|"
    r"tờ trình)\b", re.IGNORECASE)


def _vi_not_a_practice(canonical: str, ms, marked, contexts) -> bool:
    """Vietnamese names that have a practice's shape but are something else:

    - a quoted document title ("Phương án nâng cấp chợ ...", "Kế hoạch ...");
    - one quoted word said once: scare quotes ("mọc").
    """
    if not marked:
        return False
    if all(m.kind == "quoted" for m in marked) and _VI_DOCUMENT_KIND.match(canonical):
        return True
    if len(ms) == 1 and marked[0].kind == "quoted" and len(canonical.split()) == 1:
        return True
    return False


def _quoted_at(text: str, m: PracticeMention) -> bool:
    """True when a mention is in quotes (or 《》) in its text."""
    return m.name[:1] in OPEN_QUOTES + "《" or text[m.start - 1: m.start] in OPEN_QUOTES + "《"


SENSE_MIN_WORDS = 5  # content words around a use that can show it means something else (a heading cannot)
SENSE_MIN_DOCS = 3  # linked documents that establish a meaning other uses can be told apart from
_SENSE_COMMON = 10000  # jieba corpus frequency above which a word says nothing about a sense (工作, 使用)


def _senses(key, ms: Sequence[PracticeMention], contexts) -> list[tuple[str, list[PracticeMention]]]:
    """The meanings of one Chinese formula or quoted name, when its documents use it in unrelated contexts.

    Documents are linked when the sentences around their mentions share a content word (a noun or
    verb of two characters or more, not among jieba's most common words). A group of linked
    documents that shares none of its SENSE_MIN_WORDS or more such words with a meaning
    SENSE_MIN_DOCS linked documents establish is a separate meaning: 一事一议 for
    a deputy's one-matter-per-proposal rule (代表, 建议, 批评) and for villagers' case-by-case
    fund-raising (村民委员会, 筹集, 资金). Each meaning comes with a qualifier, its two most
    telling nouns. One meaning (the usual case) is returned as [("", ms)].
    """
    lang, canonical = key
    docs = sorted({m.doc_id for m in ms})
    if lang != "zh" or len(docs) < 2 or len(ms) < 3 or any(m.kind == "named" for m in ms):
        return [("", list(ms))]  # a head noun (制度, 机制, 公约) fixes what kind of thing the name is
    own = {t[2] for t in zh_tokens(canonical)}
    words: dict[str, set[str]] = {}
    nouns: set[str] = set()
    for d in docs:
        found: set[str] = set()
        for m in ms:
            if m.doc_id == d:
                text = contexts[d].text
                for t in zh_tokens(text[m.sentence_start: m.sentence_end]):
                    if len(t[2]) >= 2 and t[3][:1] in ("n", "v") and t[2] not in own and zh_freq(t[2]) < _SENSE_COMMON:
                        found.add(t[2])
                        if t[3][:1] == "n" or t[3] == "vn":
                            nouns.add(t[2])
        words[d] = found
    parent = {d: d for d in docs}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if words[a] & words[b]:
                parent[root(a)] = root(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        groups[root(d)].append(d)
    clusters = sorted(groups.values(), key=lambda g: (-len(g), -sum(1 for m in ms if m.doc_id in g), g[0]))
    if len(clusters) == 1 or len(clusters[0]) < SENSE_MIN_DOCS:
        return [("", list(ms))]  # no meaning established by several linked documents to tell others from
    union = [set().union(*(words[d] for d in g)) for g in clusters]
    main = union[0]
    senses = [[clusters[0], union[0]]]
    for g, w in zip(clusters[1:], union[1:]):
        if len(w) >= SENSE_MIN_WORDS and not w & main:
            senses.append([g, w])
        else:
            senses[0][0] = senses[0][0] + g  # close enough to the main meaning
            senses[0][1] = senses[0][1] | w
    if len(senses) == 1:
        return [("", list(ms))]
    out = []
    for g, w in senses:
        others = set().union(*(ww for gg, ww in senses if gg is not g))
        count = Counter(word for d in g for word in words[d] if word not in others and word in nouns)
        telling = sorted(count, key=lambda word: (-count[word], zh_freq(word), word))[:2]
        out.append(("·".join(telling), [m for m in ms if m.doc_id in g]))
    return out


def _score(ms: Sequence[PracticeMention], contexts: Mapping[str, Context]) -> float:
    marked = [m for m in ms if m.kind != "recurrence"]
    if not marked:
        return 0.0
    best = max(m.strength for m in marked)
    n_docs = len({m.doc_id for m in ms})
    defined = any(definitions_of(contexts[m.doc_id], m, limit=1) for m in marked[:5])
    return best + math.log2(len(ms)) + (n_docs - 1) + (1.0 if defined else 0.0)


def _recurrences(accepted, groups, contexts) -> dict[tuple[str, str], list[PracticeMention]]:
    """Unmarked occurrences of accepted names, outside the spans of existing mentions."""
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for ms in groups.values():
        for m in ms:
            taken[m.doc_id].append((m.start, m.end))
    forms: dict[tuple[str, str], set[str]] = {}
    stems: list[tuple[tuple[str, str], str]] = []
    for key in accepted:
        lang, canonical = key
        if max(m.strength for m in groups[key]) < 2.0:
            continue  # only names marked strongly somewhere are looked up unmarked
        surfaces = {canonical_name(m.text if hasattr(m, "text") else m.name, lang) for m in groups[key]}
        surfaces.add(canonical)
        forms[key] = surfaces
        if lang == "zh":
            # the stem of a named system recurs without its head: 村务公开制度 -> 村务公开 (a model's
            # or mechanism's stem is mostly a field: 养老服务模式, 民主协商机制)
            for head in ("工作制度", "制度"):
                if canonical.endswith(head) and len(canonical) - len(head) >= 4:
                    stem = canonical[: -len(head)]
                    if not zh_generic(stem) and not stem.endswith(ZH_ORG_SUFFIX):
                        stems.append((key, stem))
    freq = _doc_freqs({w for key, stem in stems for w in (stem, key[1])}, contexts)
    for key, stem in stems:
        if freq[stem] <= freq[key[1]] + 1:
            forms[key].add(stem)  # not a general term in its own right (居民自治)
    forms = {key: {s for s in surfaces if _searchable(s, key[0])} for key, surfaces in forms.items()}
    out: dict[tuple[str, str], list[PracticeMention]] = defaultdict(list)
    ordered = sorted(forms.items(), key=lambda kv: -max((len(s) for s in kv[1]), default=0))
    # every form of every name found in one pass over each document (Aho-Corasick), then taken in
    # the order of the names (longest first) and, within a name, of its forms (longest first)
    owners: dict[str, list[tuple[int, tuple[str, str]]]] = defaultdict(list)
    for rank, (key, surfaces) in enumerate(ordered):
        for form in surfaces:
            owners[form].append((rank, key))
    automaton = word_automaton(owners)
    if automaton is None:
        return out
    for doc_id, ctx in contexts.items():
        folded = ctx.folded
        spans = sorted(taken[doc_id])
        found = sorted(
            (rank, -len(form), end + 1 - len(form), key, form)
            for end, form in automaton.iter(folded)
            for rank, key in owners[form]
        )
        for _rank, _len, s, key, form in found:
            lang, e = key[0], s + len(form)
            if ctx.lang_at(s) != lang or any(s < b and a < e for a, b in spans):
                continue
            if not _word_bounded(folded, s, e, lang):
                continue
            spans.append((s, e))
            sentence, passage = ctx.sentence_at(s), ctx.passage_at(s)
            out[key].append(PracticeMention(
                name=ctx.text[s:e], canonical=key[1], lang=lang, doc_id=doc_id, start=s, end=e,
                sentence_start=sentence[0], sentence_end=sentence[1], passage_start=passage[0],
                passage_end=passage[1], kind="recurrence", strength=0.5, section=ctx.section_at(s)))
    return out


def word_automaton(words: Iterable[str]):
    """An Aho-Corasick automaton over `words` (each its own value), or None when there are none."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for w in words:
        automaton.add_word(w, w)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _doc_freqs(words: Iterable[str], contexts: Mapping[str, Context]) -> Counter:
    """In how many documents each word occurs (folded text), in one pass over each document."""
    automaton = word_automaton(words)
    freq: Counter = Counter()
    if automaton is not None:
        for ctx in contexts.values():
            freq.update({w for _end, w in automaton.iter(ctx.folded)})
    return freq


def _searchable(form: str, lang: str) -> bool:
    if lang == "zh":
        return len(form) >= 3 or (len(form) == 2 and form[0] in ZH_DIGITS)
    return len(form.split()) >= 3


def _word_bounded(text: str, s: int, e: int, lang: str) -> bool:
    if lang == "vi":
        return (s == 0 or not text[s - 1].isalnum()) and (e >= len(text) or not text[e].isalnum())
    if s and text[s - 1] in ZH_NUMERALS:
        return False
    # the occurrence must start and end on jieba word boundaries of its clause
    ls = max(text.rfind(p, 0, s) for p in "，,。；;：:、（(）)“”《》！？!? \n") + 1
    le_candidates = [i for i in (text.find(p, e) for p in "，,。；;：:、（(）)“”《》！？!? \n") if i >= 0]
    le = min(le_candidates) if le_candidates else len(text)
    tokens = zh_tokens(text[ls:le])
    starts = {t[0] + ls for t in tokens}
    ends = {t[1] + ls for t in tokens}
    return s in starts and (e in ends or text[e: e + 2] in ZH_HEADS or e == le)


def _doc_metadata(docs: Sequence[Document]) -> dict[str, tuple[tuple[str, ...], str]]:
    from ..metadata import extract_metadata

    out = {}
    for doc in docs:
        lang = "zh" if doc.lang.startswith("zh") else doc.lang
        try:
            meta = extract_metadata(doc.text, lang, doc.title, doc.source)
        except Exception:  # metadata is an extra: a document it cannot read still gets its practices
            out[doc.id] = ((), "")
            continue
        date = meta.issue_date or (str(meta.year) if meta.year else "")
        out[doc.id] = (tuple(p.name for p in meta.places), date)
    return out


def _practice(key, ms: list[PracticeMention], contexts, meta, score: float) -> Practice:
    lang, canonical = key
    display = Counter(_display(m) for m in ms if m.kind != "recurrence") or Counter(_display(m) for m in ms)
    name = max(display, key=lambda s: (display[s], -len(s)))
    kinds = Counter(m.kind for m in ms if m.kind != "recurrence")
    for kind in ("formula", "title", "slogan"):  # what the name is, whatever marks its other mentions
        if kinds.get(kind):
            kinds = Counter({kind: len(ms)})
            break
    uses = []
    for m in ms:
        ctx = contexts[m.doc_id]
        places, date = meta.get(m.doc_id, ((), ""))
        uses.append(Use(
            doc_id=m.doc_id, name=m.name, start=m.start, end=m.end, sentence_start=m.sentence_start,
            sentence_end=m.sentence_end, passage_start=m.passage_start, passage_end=m.passage_end,
            passage=ctx.text[m.passage_start: m.passage_end], section=m.section, title=ctx.doc.title,
            source=ctx.doc.source, places=places, date=date))
    definitions: list[Evidence] = []
    seen: set[tuple[str, int, int]] = set()
    for m in ms:
        for ev in definitions_of(contexts[m.doc_id], m):
            if (ev.doc_id, ev.start, ev.end) not in seen and not any(
                    ev.doc_id == d.doc_id and d.start <= ev.start and ev.end <= d.end for d in definitions):
                seen.add((ev.doc_id, ev.start, ev.end))
                definitions = [d for d in definitions
                               if not (d.doc_id == ev.doc_id and ev.start <= d.start and d.end <= ev.end)]
                definitions.append(ev)
    actors = actors_of(ms, contexts, lang)
    outcomes = outcomes_of(ms, contexts)
    kind = kinds.most_common(1)[0][0] if kinds else "recurrence"
    components = components_of(name, {m.doc_id for m in ms}, contexts) if kind == "formula" and lang == "zh" else ()
    return Practice(
        name=name, canonical=canonical, lang=lang, kind=kind,
        score=score, variants=tuple(sorted({m.name for m in ms}, key=lambda s: (-len(s), s))),
        doc_count=len({m.doc_id for m in ms}), mention_count=len(ms), uses=tuple(uses),
        definitions=tuple(definitions), actors=actors, outcomes=outcomes, components=components)


def _display(m: PracticeMention) -> str:
    """The name as shown: the mention without its quotes and without a head noun after quotes."""
    text = m.name
    if m.kind in ("quoted", "formula", "alias", "slogan") and text[:1] in OPEN_QUOTES + "《":
        close = max(text.rfind(q) for q in CLOSE_QUOTES + "》")
        if close > 0:
            return text[1:close]
    return text.strip("《》")


# ---------------------------------------------------------------- jieba user dictionary


def jieba_entries(catalogue: Iterable[Practice], freq: int = 1000, tag: str = "nz") -> list[str]:
    """jieba user-dictionary lines for the Chinese practices of a catalogue, so names stay whole.

    Args:
        catalogue: practices from `build_catalogue`.
        freq: the frequency written for each entry (high enough to beat jieba's own split).
        tag: the part-of-speech tag written for each entry.
    Returns:
        Lines "name freq tag" for every Chinese practice name without spaces or punctuation,
        e.g. "一征三议两公开 1000 nz"; load them with `Tokenizer.load_userdict`.
    """
    words: dict[str, None] = {}
    for p in catalogue:
        if p.lang != "zh":
            continue
        # the name itself, not its variants with a head noun: "一征三议两公开工作法" as one word
        # would hide "一征三议两公开" from a lexical search
        for form in (p.name,):
            if 2 <= len(form) <= 20 and re.fullmatch(f"[{HAN_BMP}A-Za-z0-9+]+", form):
                words[form] = None
    return [f"{w} {freq} {tag}" for w in words]
