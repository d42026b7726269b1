"""Practice layer: the named working methods that governance texts describe, found by rules and statistics.

A *practice* is a named, reusable way of working: a numeric formula (一征三议两公开, 三会一课, "5 biết"),
a named mechanism, method, model or system (红黑榜考评机制, 联席会议制度, "quy chế phối hợp",
"mô hình tổ chức chính quyền địa phương 02 cấp"), a local rule book (《小区停车管理办法》, 居民公约),
a campaign or movement ("phong trào “Dân vận khéo”") or a slogan ("Dân biết, dân bàn, dân làm, dân
kiểm tra"). There is no list of known practices: names are recognised by their shape and context.

Per document (`find_mentions`):

- **numeric formulas** — two or more numeral + word groups that jieba's own segmentation starts and
  ends on (一征|三议|两|公开, 三位一体), or one group whose enumeration of exactly N items sharing
  its word is nearby: “三率” ← 知晓率、参与率和满意率, 三类组织（楼院党组织、居民自治组织和志愿服务组织）,
  “5 biết” (biết nghe dân nói, biết nói dân hiểu, ...); "1+N" outside arithmetic;
- **head nouns** (Chinese) — …工作法, …机制, …模式, …制度, …办法, …公约, …规约, …章程, …负责制,
  …长制, with the left boundary where jieba's words stop being part of a name (a governing verb such
  as 建立/实行, a particle, a conjunction, punctuation); a modifier that is one common word
  (工作机制, 管理制度, 保障机制: jieba's corpus frequency) is generic, not a name;
- **cue words** (Vietnamese) — "mô hình", "cơ chế", "quy chế", "phong trào", "cuộc vận động",
  "phương châm", ... followed by the name, its end found with underthesea's words and tags;
- **quoted terms** “…” — kept when a head noun follows (“一征三议两公开”工作法), a cue or a governing
  verb precedes (phong trào “Dân vận khéo”, 用活用好“…”), the term is an alias (以下简称“…”), a
  formula, or a parallel slogan (“让数据多跑路，让群众少跑腿”, "dân biết, dân bàn, ..."); speech,
  scare quotes and quoted modifiers of other nouns (“三考”期间, “家园”意识) are left out;
- **titles** 《…》 of rule books (制度, 办法, 规定, 公约, ...), not of state laws and notices.

Across documents (`build_catalogue`): mentions are grouped by canonical name (quotes, 《》, trailing
particles, full-width forms and case removed; abbreviations such as "Nông thôn mới (NTM)" expanded);
each name gets a score from the strength of its evidence, how often and in how many documents it
recurs, and whether a text defines it; names under `min_score` are dropped; accepted names are then
looked up again in every document so unmarked recurrences count too. Each practice carries its
definition sentences, actors (from a compact lexicon of actor *types*), outcomes with figures, the
places and dates of its documents, and every use with its passage and section heading.

Everything here is pure: Documents in, frozen dataclasses out; no index is needed.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from .normalize import fold
from .segment import _align, segment
from .types import Document, Segment

__all__ = [
    "Actor", "Component", "Evidence", "Outcome", "Practice", "PracticeMention", "Use",
    "abbreviations", "actor_lexicon", "build_catalogue", "canonical_name", "find_mentions", "jieba_entries", "mention_from_dict",
    "practice_from_dict",
]

# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class PracticeMention:
    """One place where a document names a practice.

    `doc.text[start:end] == name`; `canonical` is the grouping key (see `canonical_name`); the
    sentence and passage spans (a passage joins the sentences of one grammatical sentence that
    line breaks or semicolons split) and the section heading locate it for citation.
    """

    name: str
    canonical: str
    lang: str
    doc_id: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    passage_start: int
    passage_end: int
    kind: str  # formula, named, quoted, title, cue, slogan, alias, recurrence
    strength: float
    cue: str = ""
    section: str = ""
    expansion: tuple[int, int] | None = None  # span of the enumeration that spells out a formula

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "canonical": self.canonical, "lang": self.lang, "doc_id": self.doc_id,
            "start": self.start, "end": self.end,
            "sentence": [self.sentence_start, self.sentence_end],
            "passage": [self.passage_start, self.passage_end],
            "kind": self.kind, "strength": self.strength, "cue": self.cue, "section": self.section,
            "expansion": list(self.expansion) if self.expansion else None,
        }


@dataclass(frozen=True)
class Evidence:
    """A sentence or passage that says what a practice is (its definition or its steps)."""

    doc_id: str
    start: int
    end: int
    text: str
    cue: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "start": self.start, "end": self.end, "text": self.text, "cue": self.cue}


@dataclass(frozen=True)
class Component:
    """One part of a numeric formula (一征 of 一征三议两公开) and the sentence that defines it, if any."""

    part: str
    doc_id: str = ""
    start: int = 0
    end: int = 0
    text: str = ""  # the defining clause ("“一征”即征求群众意见"), "" when no document defines the part

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "doc_id": self.doc_id, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Actor:
    """An actor type named beside a practice (党支部, 业委会, chi bộ, Ban quản trị, ...)."""

    type: str
    names: tuple[str, ...]
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "names": list(self.names), "count": self.count}


@dataclass(frozen=True)
class Outcome:
    """A result with a figure reported beside a practice ("三率"均要在90%以上, 100余起, đạt 95%)."""

    doc_id: str
    start: int
    end: int
    text: str
    figure: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "start": self.start, "end": self.end, "text": self.text, "figure": self.figure}


@dataclass(frozen=True)
class Use:
    """One mention of a practice in the catalogue, with where and when its document is from."""

    doc_id: str
    name: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    passage_start: int
    passage_end: int
    passage: str
    section: str
    title: str = ""
    source: str = ""
    places: tuple[str, ...] = ()
    date: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "name": self.name, "start": self.start, "end": self.end,
            "sentence": [self.sentence_start, self.sentence_end],
            "passage": [self.passage_start, self.passage_end], "passage_text": self.passage,
            "section": self.section, "title": self.title, "source": self.source,
            "places": list(self.places), "date": self.date,
        }


@dataclass(frozen=True)
class Practice:
    """A practice of the catalogue: every mention of one canonical name across the documents."""

    name: str
    canonical: str
    lang: str
    kind: str
    score: float
    variants: tuple[str, ...]
    doc_count: int
    mention_count: int
    uses: tuple[Use, ...]
    definitions: tuple[Evidence, ...] = ()
    actors: tuple[Actor, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    components: tuple[Component, ...] = ()  # the parts of a formula, each with its definition if a text gives one

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u.doc_id for u in self.uses))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "canonical": self.canonical, "lang": self.lang, "kind": self.kind,
            "score": round(self.score, 3), "variants": list(self.variants),
            "doc_count": self.doc_count, "mention_count": self.mention_count,
            "uses": [u.to_dict() for u in self.uses],
            "definitions": [d.to_dict() for d in self.definitions],
            "actors": [a.to_dict() for a in self.actors],
            "outcomes": [o.to_dict() for o in self.outcomes],
            "components": [c.to_dict() for c in self.components],
        }


def mention_from_dict(d: Mapping[str, Any]) -> PracticeMention:
    """Rebuild a `PracticeMention` from `PracticeMention.to_dict()` output."""
    return PracticeMention(
        name=d["name"], canonical=d["canonical"], lang=d["lang"], doc_id=d["doc_id"], start=d["start"],
        end=d["end"], sentence_start=d["sentence"][0], sentence_end=d["sentence"][1],
        passage_start=d["passage"][0], passage_end=d["passage"][1], kind=d["kind"], strength=d["strength"],
        cue=d.get("cue", ""), section=d.get("section", ""),
        expansion=tuple(d["expansion"]) if d.get("expansion") else None,
    )


def practice_from_dict(d: Mapping[str, Any]) -> Practice:
    """Rebuild a `Practice` from `Practice.to_dict()` output (a stored catalogue)."""
    uses = tuple(
        Use(doc_id=u["doc_id"], name=u["name"], start=u["start"], end=u["end"],
            sentence_start=u["sentence"][0], sentence_end=u["sentence"][1],
            passage_start=u["passage"][0], passage_end=u["passage"][1], passage=u["passage_text"],
            section=u["section"], title=u.get("title", ""), source=u.get("source", ""),
            places=tuple(u.get("places", ())), date=u.get("date", ""))
        for u in d["uses"]
    )
    return Practice(
        name=d["name"], canonical=d["canonical"], lang=d["lang"], kind=d["kind"], score=d["score"],
        variants=tuple(d["variants"]), doc_count=d["doc_count"], mention_count=d["mention_count"], uses=uses,
        definitions=tuple(Evidence(**e) for e in d.get("definitions", ())),
        actors=tuple(Actor(a["type"], tuple(a["names"]), a["count"]) for a in d.get("actors", ())),
        outcomes=tuple(Outcome(**o) for o in d.get("outcomes", ())),
        components=tuple(Component(**c) for c in d.get("components", ())),
    )


# ---------------------------------------------------------------- characters and canonical names

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_ZH_DIGITS = "一二三四五六七八九十两双"
_ZH_NUMERALS = _ZH_DIGITS + "百千万零〇"
_OPEN_QUOTES = "“「『\"'‘"
_CLOSE_QUOTES = "”」』\"'’"
_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'"}
_STRIP_CHARS = "“”「」『』\"'‘’《》〈〉<>[]【】 \t\n"
_ZH_TRAILING = ("的", "等", "了", "之", "中")
_VI_TRAILING = ("này", "đó", "ấy", "nêu trên", "trên")
_SPACE_RE = re.compile(r"\s+")
_PUNCT_INSIDE = re.compile(r"\s*([、，,；;：:])\s*")


def canonical_name(surface: str, lang: str, aliases: Mapping[str, str] | None = None) -> str:
    """The grouping key of a practice name: what two spellings of one name share.

    Quotes, 《》 and brackets, trailing particles (的, 等; "này", "đó"), repeated spaces,
    full-width forms and letter case are removed; NFC throughout.

    Args:
        surface: the name as it appears ("“一征三议两公开”", "Phong trào  “Dân vận khéo”").
        lang: "zh" or "vi".
        aliases: abbreviations to expand (see `abbreviations`).
    Returns:
        The key, e.g. "一征三议两公开", "phong trào dân vận khéo".

    >>> canonical_name("《小区停车管理办法》", "zh")
    '小区停车管理办法'
    """
    text = fold(unicodedata.normalize("NFC", surface))
    text = "".join(ch for ch in text if ch not in _STRIP_CHARS or ch == " ")
    text = _SPACE_RE.sub(" ", text).strip(" ,.;:、，。；：")
    text = _PUNCT_INSIDE.sub(lambda m: _fold_punct(m.group(1), lang), text)
    trailing = _ZH_TRAILING if lang == "zh" else _VI_TRAILING
    changed = True
    while changed:
        changed = False
        for t in trailing:
            if text.endswith(t) and len(text) > len(t) + 1 and (lang == "zh" or text.endswith(" " + t)):
                text = text[: -len(t)].rstrip()
                changed = True
    if aliases and lang == "vi":
        for abbr, full in aliases.items():
            text = re.sub(rf"(?<!\w){re.escape(fold(abbr))}(?!\w)", canonical_name(full, lang), text)
    return text


def _fold_punct(p: str, lang: str) -> str:
    p = {"，": ",", "；": ";", "：": ":"}.get(p, p)
    return p if lang == "zh" else p + " "


# ---------------------------------------------------------------- document context


@dataclass
class _Context:
    """A document with its sentences, passages, paragraphs and headings as sorted spans."""

    doc: Document
    segments: list[Segment]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    passages: list[tuple[int, int]] = field(default_factory=list)
    headings: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, level

    def __post_init__(self):
        self.sentences = [(s.start, s.end) for s in self.segments]
        self.headings = [(s.start, s.end, s.level) for s in self.segments if s.kind == "heading"]
        self.passages = _passages(self.doc.text, self.segments)
        self._starts = [s for s, _ in self.sentences]
        self._pstarts = [s for s, _ in self.passages]
        self._folded: str | None = None

    @property
    def folded(self) -> str:
        """`fold(text)`, computed once: it has the same length, so offsets carry over."""
        if self._folded is None:
            self._folded = fold(self.doc.text)
        return self._folded

    @property
    def text(self) -> str:
        return self.doc.text

    def lang_at(self, pos: int) -> str:
        lang = self.doc.lang_at(pos)
        return "zh" if lang.startswith("zh") else lang

    def sentence_at(self, pos: int) -> tuple[int, int]:
        return _span_at(self.sentences, self._starts, pos)

    def passage_at(self, pos: int) -> tuple[int, int]:
        return _span_at(self.passages, self._pstarts, pos)

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        """The paragraph holding `pos`, joined across line breaks that split a sentence."""
        start, end = self.passage_at(pos)
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        return line_start, len(text) if line_end < 0 else line_end

    def section_at(self, pos: int) -> str:
        """The heading (with a heading directly above it) that the position falls under."""
        found = [h for h in self.headings if h[0] <= pos]
        if not found:
            return ""
        last = found[-1]
        if pos < last[1]:  # the mention is in the heading itself
            return self.text[last[0]: last[1]]
        titles = [self.text[last[0]: last[1]]]
        if len(found) > 1:
            prev = found[-2]
            between = [s for s in self.sentences if prev[1] <= s[0] < last[0]]
            if not between:
                titles.insert(0, self.text[prev[0]: prev[1]])
        return " / ".join(titles)


def _span_at(spans: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    import bisect

    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and spans[i][0] <= pos < max(spans[i][1], spans[i][0] + 1):
        return spans[i]
    # between segments (a skipped line): the line itself
    return pos, pos


_PASSAGE_END = re.compile(r"[。！？!?…]|(?<![\d.])\.(?!\d)")
_MAX_PASSAGE = 600


def _passages(text: str, segments: Sequence[Segment]) -> list[tuple[int, int]]:
    """Sentence spans joined into grammatical sentences: semicolons and broken lines don't end one.

    The Erqi report breaks lines inside words ("要广" / "泛征求群众意见"); a passage runs on until a
    sentence-final mark, a heading or `_MAX_PASSAGE` characters.
    """
    out: list[tuple[int, int]] = []
    open_span: tuple[int, int] | None = None
    for s in segments:
        if s.kind == "heading":
            if open_span:
                out.append(open_span)
                open_span = None
            out.append((s.start, s.end))
            continue
        if open_span is None:
            open_span = (s.start, s.end)
        elif s.end - open_span[0] <= _MAX_PASSAGE:
            open_span = (open_span[0], s.end)
        else:
            out.append(open_span)
            open_span = (s.start, s.end)
        tail = text[open_span[0]: open_span[1]].rstrip("”’」』\"')）] ")
        if _PASSAGE_END.search(tail[-1:] if tail else ""):
            out.append(open_span)
            open_span = None
    if open_span:
        out.append(open_span)
    return out


# ---------------------------------------------------------------- jieba (plain dictionary)

_jieba_lock = threading.Lock()
_plain_pos = None


def _pos_tokenizer():
    """jieba's POS tagger over its own dictionary, without govtext's terms (so no known answers)."""
    global _plain_pos
    with _jieba_lock:
        if _plain_pos is None:
            import logging

            import jieba
            import jieba.posseg

            from .config import govtext_home

            logging.getLogger("jieba").setLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            home = govtext_home()
            home.mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = str(home)
            tokenizer.cache_file = "jieba-plain.cache"
            _plain_pos = jieba.posseg.POSTokenizer(tokenizer)
            _plain_pos.tokenizer.initialize()
            _memoise_viterbi(jieba.posseg)
    return _plain_pos


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


@lru_cache(maxsize=4096)
def _zh_tokens(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, word, flag) of jieba's words in `text`."""
    out, pos = [], 0
    for pair in _pos_tokenizer().cut(text, HMM=True):
        word, flag = pair.word, pair.flag
        out.append((pos, pos + len(word), word, flag))
        pos += len(word)
    return tuple(out)


def _zh_freq(word: str) -> int:
    tok = _pos_tokenizer().tokenizer
    return tok.FREQ.get(word, 0) or 0


# ---------------------------------------------------------------- underthesea (Vietnamese)


@lru_cache(maxsize=4096)
def _vi_tokens(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, word, tag) of underthesea's tagged words in one sentence."""
    from underthesea import pos_tag

    from .segment import _merge_fixed

    tagged = pos_tag(sentence)
    spans = _align([w for w, _ in tagged], sentence)
    tokens = [(s, e, sentence[s:e], t) for (s, e), (_, t) in zip(spans, tagged)]
    # governance terms of segment's dictionary stay one noun: "nhà ở xã hội", not "nhà" + "ở" + ...
    merged = _merge_fixed([t[2] for t in tokens])
    if len(merged) == len(tokens):
        return tuple(tokens)
    out, i = [], 0
    for word in merged:
        group, syllables = [], 0
        while i < len(tokens) and syllables < len(word.split()):
            group.append(tokens[i])
            syllables += len(tokens[i][2].split())
            i += 1
        tag = group[0][3] if len(group) == 1 else "N"
        out.append((group[0][0], group[-1][1], sentence[group[0][0]: group[-1][1]], tag))
    return tuple(out)


# ---------------------------------------------------------------- shared lexicons (grammar, not answers)

# Chinese heads that make a noun phrase a name of a method, mechanism, model, system or rule book.
_ZH_HEADS = ("工作法", "工作机制", "工作制度", "机制", "模式", "制度", "办法", "公约", "规约", "民约",
             "章程", "负责制", "责任制", "长制")
# Heads whose modifier must be specific (one common word before them is generic).
_ZH_GENERIC_HEADS = {"机制", "模式", "制度", "办法", "工作机制", "工作制度"}
# What may follow a quoted term and make it a practice name.
_ZH_QUOTE_HEADS = _ZH_HEADS + ("改革", "工程", "试点", "建设", "行动", "活动", "理念", "体系",
                               "系统", "平台", "服务", "机制创新", "精神", "原则", "方法")
# Verbs that take a practice as their object ("implement, use, promote, build") or set one up.
_ZH_GOVERNING = ("贯彻落实", "贯彻", "用活用好", "用好", "用活", "使用", "利用", "运用", "通过", "推行",
                 "实行", "实施", "开展", "响应", "倡导", "提倡", "推进", "推动", "推广", "落实", "深化",
                 "坚持", "践行", "创建", "打造", "探索", "采用", "采取", "执行", "形成", "建立健全",
                 "建立", "健全", "完善", "构建", "创新", "试行", "启动", "发起", "按照", "依照", "遵循")
_ZH_SPEECH = ("：", ":", "说", "表示", "认为", "称", "问", "答", "指出", "强调", "透露", "写道")
# Words that end a name on its left: governing verbs, modal and aspect words, particles,
# conjunctions, prepositions, pronouns and vague quantifiers.
_ZH_LEFT_STOP = (set(_ZH_GOVERNING) - {"使用", "利用", "运用", "通过", "创新", "执行", "形成"}) | {
    "了", "着", "过", "的", "地", "得", "和", "与", "及", "以及", "或", "或者", "并", "并且", "而",
    "在", "对", "把", "将", "由", "为", "以", "从", "向", "于", "给", "被", "让", "使", "按", "据",
    "根据", "依据", "依托", "是", "有", "作为", "成为", "应当", "应", "可以", "可", "须", "必须", "要",
    "已", "已经", "正在", "不断", "逐步", "进一步", "共同", "积极", "认真", "严格", "全面", "切实",
    "这种", "这个", "这些", "该", "其", "此", "本", "各", "各项", "各类", "各种", "多种", "一系列",
    "一套", "整套", "相关", "有关", "相应", "具体", "必要", "有效", "新", "全新", "这样", "那样",
    "出台", "制定", "明确", "确立", "设立", "引入", "纳入", "提高", "发挥", "加强", "强化", "规范",
    "优化", "研究", "讨论", "商讨", "通报", "参照", "结合", "统筹", "组建", "成立", "依法", "实现",
    "做好", "抓好", "搞好", "加快", "大力", "共", "同", "等", "中", "里", "上", "下",
    "提供", "保证", "确保", "给予", "进行", "作出", "做出", "得到", "获得", "取得", "需要", "具有",
    "存在", "包括", "涉及", "符合", "满足", "促进", "带来", "开创", "体现", "保持", "加大", "提升",
    "改善", "遵守", "接受", "参照", "借鉴", "学习", "宣传", "介绍", "总结", "评估",
    "写入", "写进", "修改", "修订", "制订", "签订", "签署", "审议", "印发", "报送",
    "备案", "违反", "按照", "依照", "凭", "熟悉", "了解", "掌握", "理解", "认识", "懂得", "如", "像", "参考",
    "类似", "学习", "拿出",
}
# Verbs that govern a name when something stands between them and the head.
_ZH_GOVERNS_FROM_AFAR = {"监督", "支持", "鼓励", "引导", "指导", "督促", "协助", "缺乏", "设置", "保障", "组织",
                          "配合", "参照", "对照", "依据", "比照", "纳入", "列入"}
# After a head, nominalised verbs that still leave the head the name ("村民自治制度建设").
_ZH_AFTER_HEAD_OK = ("建设", "改革", "创新", "试点", "运行", "落实", "实施", "执行")
_ZH_ORG_SUFFIX = ("委员会", "中心", "机构", "部门", "办公室", "小组", "局", "厅", "院", "所", "站", "处",
                  "队", "人", "员", "者", "方", "单位", "企业", "公司", "组织", "政府", "街道", "社区",
                  "网", "平台", "集团", "银行", "学校", "医院", "苑", "园区", "花园", "小区", "大厦", "广场")
_ZH_MEASURES = set("人户名个次年月日天时点分秒元角块万亿件条项栋幢层间套倍成岁届批期周号米里亩吨斤辆台"
                   "类种方至到余多些起例家所座张份笔轮遍节级只头本部篇章段句字声下回步型季场楼片")
# Relational characters that make a numeral run a phrase, not a name: 一对一, 二型车当一型
_ZH_RELATIONAL = set("对比当至到或和与及的之把被从向是在为以给又再")
_ZH_CLASSIFIERS = "个类项种大条位方支"
_ZH_STATE_TITLE = re.compile(
    r"中华人民共和国|中国共产党|国务院|全国|国家|关于|条例|(?<![办方作做])法$|决定|通知|意见|规划|纲要|备忘录|"
    r"细则|解释|批复|公告|通告|报告|[省市县区州盟]人民|^[^《]{0,8}?(?:省|自治区|直辖市)|的"
)
# What a quoted document title ends with (messages quote laws and forms with “” instead of 《》).
_ZH_DOCUMENT_END = re.compile(r"(?:条例|(?<![办方作做])法|规定|细则|方案|通知|决定|意见|协议|合同|书|令|规划|报告|纲要|标准|"
                              r"(?<!考核|处置|停车)管理办法|处罚办法|实施办法)$")
# Inside a running name (not a 《title》) only these mark a state or party document.
_ZH_STATE_NAME = re.compile(r"中华人民共和国|中国共产党|国务院")
_ZH_TITLE_HEADS = ("制度", "办法", "规定", "公约", "规约", "章程", "守则", "规则", "细则", "机制", "准则")
_ZH_DEF_CUES = re.compile(r"即|是指|指的是|就是|包括|包含|分为|具体为|具体是|主要有|由.{0,16}组成|简称|[:：]")

# ("dự án" is left out: in the news it mostly names real-estate projects, "dự án “cao cấp”")
_VI_CUES = ("cuộc vận động", "phương châm", "khẩu hiệu", "phong trào", "mô hình", "cơ chế", "quy chế",
            "chiến dịch", "đề án", "công trình", "chương trình", "sáng kiến", "ý tưởng", "hội thi")
# Cues whose unquoted followers are a name (the others need quotes: "chương trình hành động" is not).
_VI_OPEN_CUES = ("cuộc vận động", "phương châm", "khẩu hiệu", "phong trào", "mô hình", "cơ chế", "quy chế")
_VI_SLOGAN_CUES = ("phương châm", "khẩu hiệu")
_VI_GOVERNING = ("thực hiện", "triển khai", "hưởng ứng", "phát động", "xây dựng", "nhân rộng", "áp dụng",
                 "duy trì", "ra quân", "đẩy mạnh", "học tập", "vận dụng")
_VI_SPEECH = ("cho biết", "nói", "nhấn mạnh", "khẳng định", "chia sẻ", "cho rằng", "phát biểu", "nêu",
              "hỏi", "trả lời", "cho hay", "bày tỏ", "đề nghị", "yêu cầu")
# Words that end an unquoted name on its right.
_VI_STOP = {
    "với", "tại", "trên", "trong", "cho", "để", "nhằm", "của", "đối với", "theo", "từ", "đến", "được",
    "bị", "đã", "đang", "sẽ", "là", "có", "không", "cũng", "thì", "mà", "nên", "nhưng", "khi", "nếu",
    "này", "đó", "ấy", "kia", "như", "do", "bởi", "vì", "qua", "sau", "trước", "giữa", "ở", "vào",
    "năm", "giai đoạn", "nhiệm kỳ", "tháng", "quý", "ngày", "hằng", "hàng", "rất", "đều", "vẫn",
    "còn", "luôn", "thường", "chưa", "gồm", "bao gồm", "nhất là", "đặc biệt", "cùng", "thông qua",
    "hoặc", "hay", "các", "những", "mỗi", "một số", "toàn bộ", "sau khi", "trước khi", "về việc",
    "lần", "đợt", "hiện", "hiện nay", "vừa", "mới đây", "nhiều", "tốt", "hiệu quả", "ban hành",
    "đầu tiên", "thứ nhất", "thứ hai", "tiếp theo", "như sau", "sau đây", "dành", "dành cho", "sang",
    "tới", "thành", "ra", "phải", "cần", "có thể", "nhằm", "bảo đảm", "đảm bảo", "mà", "ngày càng",
    "càng", "như thế nào", "thế nào", "nào", "gì", "ra sao", "yêu cầu", "quy định", "hướng dẫn", "gắn",
    "gắn với", "kết hợp", "đi đôi",
}
_VI_TRAILING_WEAK = {"thiết thực", "hiệu quả", "tích cực", "tốt", "hay", "mạnh mẽ", "rộng rãi", "sâu rộng"}
# A capitalised document name after these words is a citation of a legal text, not a practice.
_VI_CITATION = re.compile(r"(?:\btheo|\btại|\bcủa|kèm theo|\bĐiều\s+\d+\w?|\bkhoản\s+\d+|\bcăn cứ)\s*$",
                          re.IGNORECASE)
_VI_WEAK_FIRST = {"mới", "hay", "tốt", "này", "đó", "kiểu mẫu", "tiên tiến", "điểm", "tích cực",
                  "trên", "tương tự", "khác", "chung", "riêng", "cụ thể", "đặc thù", "hiện đại", "rất"}
_VI_ORG_FIRST = ("Ban ", "Hội ", "Bộ ", "Sở ", "Cục ", "Tổng cục", "Ủy ban", "Uỷ ban", "Công ty", "Đoàn ", "Nhóm ")



# ---------------------------------------------------------------- candidate records


@dataclass
class _Cand:
    start: int
    end: int
    name_start: int  # span of the name proper (inside quotes, without a head noun)
    name_end: int
    kind: str
    strength: float
    cue: str = ""
    expansion: tuple[int, int] | None = None
    quoted: bool = False


def find_mentions(doc: Document, segments: Sequence[Segment] | None = None) -> list[PracticeMention]:
    """Practice mentions in one document, by rules over its text and word segmentation.

    Args:
        doc: a normalised, language-detected Document (`normalize` then `detect_document`).
        segments: `segment(doc)` if already computed; computed here otherwise.
    Returns:
        Mentions in text order, non-overlapping, `doc.text[m.start:m.end] == m.name` for each.

    Example:
        >>> doc = detect_document(Document(id="d", text="全程贯彻“一征三议两公开”工作法。"))
        >>> [(m.name, m.canonical) for m in find_mentions(doc)]          # doctest: +SKIP
        [('“一征三议两公开”工作法', '一征三议两公开')]
    """
    if segments is None:
        segments = segment(doc)
    ctx = _Context(doc, list(segments))
    cands: list[_Cand] = []
    cands += _quoted_candidates(ctx)
    cands += _title_candidates(ctx)
    cands += _formula_candidates(ctx)
    cands += _plus_candidates(ctx)
    cands += _zh_head_candidates(ctx)
    cands += _vi_cue_candidates(ctx)
    cands += _vi_parallel_candidates(ctx)
    cands += _zh_defined_terms(ctx)
    aliases = abbreviations(ctx.text)
    return [_mention(ctx, c, aliases) for c in _resolve(cands)]


def _mention(ctx: _Context, c: _Cand, aliases: Mapping[str, str]) -> PracticeMention:
    lang = ctx.lang_at(c.start)
    sentence = ctx.sentence_at(c.start)
    passage = ctx.passage_at(c.start)
    canonical = canonical_name(ctx.text[c.name_start: c.name_end], lang, aliases)
    return PracticeMention(
        name=ctx.text[c.start: c.end], canonical=canonical, lang=lang, doc_id=ctx.doc.id,
        start=c.start, end=c.end, sentence_start=sentence[0], sentence_end=sentence[1],
        passage_start=passage[0], passage_end=passage[1], kind=c.kind, strength=c.strength,
        cue=c.cue, section=ctx.section_at(c.start), expansion=c.expansion,
    )


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates: the strongest wins an overlap, then the longest."""
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-c.strength, -(c.end - c.start), c.start)):
        if c.end <= c.start:
            continue
        if any(c.start < o.end and o.start < c.end for o in chosen):
            continue
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


# ---------------------------------------------------------------- quoted terms


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of quote pairs that open and close on one line."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _QUOTE_PAIRS and (ch not in "\"'" or _opens_straight(text, i)):
            close = _QUOTE_PAIRS[ch]
            j = text.find(close, i + 1)
            newline = text.find("\n", i + 1)
            if j > i + 1 and (newline < 0 or j < newline) and j - i <= 120:
                out.append((i, j))
                i = j + 1
                continue
        i += 1
    return out


def _opens_straight(text: str, i: int) -> bool:
    """A straight quote opens a quotation when it is not inside a word (don't, 5'6)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] == "'" and before.isalnum() and after.isalnum():
        return False
    return not after.isspace()


def _quoted_candidates(ctx: _Context) -> list[_Cand]:
    text = ctx.text
    spans = _quote_spans(text)
    repeats = _quote_recurrence(text, spans)
    out: list[_Cand] = []
    accepted_ends: list[int] = []
    for qs, qe in spans:
        inner = text[qs + 1: qe].strip()
        if not inner:
            continue
        lang = ctx.lang_at(qs)
        if lang == "zh":
            c = _zh_quoted(ctx, qs, qe, inner, repeats, accepted_ends)
        elif lang == "vi":
            c = _vi_quoted(ctx, qs, qe, inner, accepted_ends)
        else:
            c = None
        if c is not None:
            out.append(c)
            accepted_ends.append(qe + 1)
    return out


def _quote_recurrence(text: str, spans: list[tuple[int, int]]) -> Counter:
    """How many distinct lines hold each quoted term (a repeated caption line counts once)."""
    lines: dict[str, set[str]] = defaultdict(set)
    for qs, qe in spans:
        ls = text.rfind("\n", 0, qs) + 1
        le = text.find("\n", qe)
        lines[text[qs + 1: qe].strip()].add(text[ls: le if le >= 0 else len(text)])
    return Counter({k: len(v) for k, v in lines.items()})


def _continues_list(text: str, qs: int, accepted_ends: list[int]) -> bool:
    """The quote follows an accepted quote, separated only by a list separator."""
    for end in accepted_ends[-3:]:
        gap = text[end:qs]
        if end <= qs and len(gap) <= 5 and re.fullmatch(r"\s*(?:[、，,;；]|và|hoặc|和|及|与|或)?\s*", gap):
            return True
    return False


def _zh_quoted(ctx, qs, qe, inner, repeats, accepted_ends) -> _Cand | None:
    text = ctx.text
    if len(inner) > 16 or not _HAN_RE.search(inner):
        return None
    if len(inner) < 3 and not re.match(f"[{_ZH_DIGITS}]", inner):
        return None  # “烟道”, “不宜”: a quoted word
    if _zh_is_number(inner):  # “十一五”, “十三五”: plan periods
        return None
    if _ZH_DOCUMENT_END.search(inner) or "关于" in inner:
        return None  # a document quoted by its title: “信访条例”, “案件交办书”, “…购买协议”
    before = text[max(0, qs - 8): qs]
    if re.search(r"(?:以下)?(?:简称|统称|称为|简称为)\s*$", before) and not _ends_with_org(inner) and \
            re.match(r"[）)]?\s*[，,]?\s*(?:是指|指|是)", text[qe + 1: qe + 8]):
        return _Cand(qs, qe + 1, qs + 1, qe, "alias", 3.0, quoted=True)  # a defined term
    if before.rstrip().endswith(_ZH_SPEECH):
        return None
    after_head = _zh_head_after(text, qe + 1)
    if after_head:
        end = qe + 1 + len(after_head)
        kind = "formula" if _zh_compound_text(inner) else "quoted"
        return _Cand(qs, end, qs + 1, qe, kind, 3.0, cue=after_head, quoted=True)
    formula = _formula_in_quote(ctx, qs + 1, qe, inner)
    if formula is not None:
        return formula  # spelled out by an enumeration, whatever follows it
    follower = _zh_follower(text, qe + 1)
    if follower is not None and follower[1].startswith(("n", "f", "t", "s")) and not follower[1].startswith("nr"):
        return None  # a quoted modifier of another noun: “三考”期间, “家园”意识, “随申办”移动端
    if _ends_with_org(inner):
        return None
    if "+" in inner or "＋" in inner:
        return _Cand(qs, qe + 1, qs + 1, qe, "formula", 3.0, quoted=True)
    if _parallel(_split_items(inner, "zh"), "zh") and (
            any(v in before for v in _ZH_GOVERNING + ("实现", "坚持", "做到", "提出", "强化")) or
            re.match(r"的?(?:原则|精神|理念|要求|目标|方针|口号|标准)", text[qe + 1: qe + 4])):
        # “让数据多跑路，让群众少跑腿” after 提倡; not “种粮无田，种菜无地” describing a plight
        return _Cand(qs, qe + 1, qs + 1, qe, "slogan", 2.5, quoted=True)
    governing = _governed(before, _ZH_GOVERNING, max_gap=2)
    first_word = _zh_tokens(inner)[:1]
    if governing and first_word and first_word[0][3] == "v" and len(inner) <= 6:
        governing = ""  # 执行“没收建筑物”: a quoted action, not a named method
    if governing or _continues_list(text, qs, accepted_ends):
        return _Cand(qs, qe + 1, qs + 1, qe, "quoted", 2.0, cue=governing, quoted=True)
    if repeats[inner] >= 2 and len(inner) >= 4 and not _is_title_line(ctx, qs):
        words = _zh_tokens(inner)
        if words and words[0][3] not in ("v", "vd", "d", "p", "r") and words[-1][3].startswith(("n", "vn")):
            return _Cand(qs, qe + 1, qs + 1, qe, "quoted", 1.5, quoted=True)  # a recurring term: “家园生命共同体”
    return None


def _is_title_line(ctx: _Context, pos: int) -> bool:
    return any(s <= pos < e for s, e, _ in ctx.headings) and pos < 300


def _zh_is_number(inner: str) -> bool:
    return all(ch in _ZH_NUMERALS or ch.isdigit() for ch in inner)


def _ends_with_org(inner: str) -> bool:
    return inner.endswith(_ZH_ORG_SUFFIX) and not inner.endswith(_ZH_HEADS)


def _zh_head_after(text: str, pos: int) -> str:
    """The practice head noun that starts at `pos` (after a closing quote), if any."""
    for head in sorted(_ZH_QUOTE_HEADS, key=len, reverse=True):
        if text.startswith(head, pos):
            # "改革机制", "管理模式": a compound head
            for second in ("机制", "模式", "制度", "方案", "工作"):
                if text.startswith(head + second, pos):
                    return head + second
            return head
    m = re.match(rf"[{_HAN}]{{1,6}}?(?:{'|'.join(_ZH_HEADS)})", text[pos: pos + 10])
    if m and not any(v in m.group() for v in _ZH_GOVERNING):
        return m.group()  # “三位一体”社区楼院管理模式
    return ""


def _zh_follower(text: str, pos: int) -> tuple[str, str] | None:
    """(word, flag) of jieba's first word after `pos` within its clause."""
    clause = re.match(rf"[{_HAN}A-Za-z0-9]+", text[pos: pos + 12])
    if not clause:
        return None
    tokens = _zh_tokens(clause.group())
    return (tokens[0][2], tokens[0][3]) if tokens else None


def _governed(before: str, verbs: Sequence[str], max_gap: int) -> str:
    """The governing verb that ends within `max_gap` characters before a quote, if any."""
    stripped = before.rstrip()
    for verb in sorted(verbs, key=len, reverse=True):
        i = stripped.rfind(verb)
        if i >= 0:
            gap = stripped[i + len(verb):]
            if len(gap) <= max_gap and all(ch in "了好着起的一个项种 " for ch in gap):
                return verb
    return ""


def _vi_quoted(ctx, qs, qe, inner, accepted_ends) -> _Cand | None:
    text = ctx.text
    syllables = inner.split()
    if not syllables or len(syllables) > 25:
        return None
    before = text[max(0, qs - 60): qs]
    before_l = before.lower().rstrip()
    if before_l.endswith(":") and any(before_l[:-1].rstrip().endswith(v) for v in _VI_SPEECH):
        return None
    if inner[-1] in ".!?" and len(syllables) > 6:
        return None  # quoted speech
    cue = ""
    for c in _VI_CUES:
        m = re.search(rf"\b{c}(?:\s+mới)?(?:\s+về)?\s*:?\s*(?:\d+\s*)?$", before_l)
        if m:
            cue = c
            break
    if not cue:
        cue = _vi_governed(before_l)
    listed = _continues_list(text, qs, accepted_ends)
    formula = _formula_in_quote(ctx, qs + 1, qe, inner)
    if formula is not None:
        return formula
    if cue or listed:
        if len(syllables) > 20:
            return None
        return _Cand(qs, qe + 1, qs + 1, qe, "quoted", 2.5 if cue in _VI_CUES else 2.0, cue=cue, quoted=True)
    items = _split_items(inner, "vi")
    if len(syllables) <= 24 and _vi_role_slogan(items):
        return _Cand(qs, qe + 1, qs + 1, qe, "slogan", 2.5, quoted=True)
    return None


def _vi_role_slogan(items: list[str]) -> bool:
    """Three or more short clauses with one actor as subject: "dân biết, dân bàn, dân làm, ...".

    The subject must be an actor of the actor-type lexicon, which tells a slogan from a list of
    things ("tàu kéo, tàu đẩy, tàu ngầm") or a rhetorical triplet ("nói đi, nói lại, nói mãi").
    """
    if len(items) < 3 or any(not 2 <= len(i.split()) <= 4 for i in items):
        return False
    subject = items[0].split()[0].lower()
    if not all(i.split()[0].lower() == subject for i in items):
        return False
    _, to_type = _actor_regex("vi")
    return subject in to_type and all(w.isalpha() and w.islower() for i in items for w in i.split()[1:])


def _vi_governed(before_l: str) -> str:
    tail = before_l[-40:]
    for verb in _VI_GOVERNING:
        m = re.search(rf"\b{verb}(?:\s+(?:tốt|có hiệu quả|hiệu quả|thành công|rộng rãi|thực hiện))?\s*(?:các|những)?\s*$", tail)
        if m:
            return verb
    if re.search(r"\blễ\s+(?:phát động|hưởng ứng|ra quân)\b[^,.;]*$", tail):
        return "lễ"
    return ""


# ---------------------------------------------------------------- parallel slogans


def _split_items(inner: str, lang: str) -> list[str]:
    if lang == "zh":
        parts = re.split(r"[、，,；;]", inner)
    else:
        parts = re.split(r"\s*[,;]\s*|\s+và\s+", inner)
    return [p.strip() for p in parts if p.strip()]


def _item_units(item: str, lang: str) -> list[str]:
    return list(item) if lang == "zh" else item.lower().split()


def _parallel(items: list[str], lang: str) -> bool:
    """Two or more items of similar length that share a word in the same position (start or end)."""
    if len(items) < 2:
        return False
    units = [_item_units(i, lang) for i in items]
    lengths = [len(u) for u in units]
    if min(lengths) < 2 or max(lengths) > (8 if lang == "zh" else 6) or max(lengths) > 1.5 * min(lengths):
        return False
    if all(u[0] == units[0][0] for u in units) or all(u[-1] == units[0][-1] for u in units):
        return True
    if all(len(u) == lengths[0] for u in units):
        return any(all(u[k] == units[0][k] for u in units) for k in range(lengths[0]))
    return False


# ---------------------------------------------------------------- 《titles》


def _community_marked(name: str) -> bool:
    """The name belongs to a community: it names an actor type of the lexicon or a neighbourhood."""
    pattern, _ = _actor_regex("zh")
    return bool(pattern.search(name)) or any(w in name for w in ("小区", "社区", "楼院", "村", "自治", "楼"))


def _title_candidates(ctx: _Context) -> list[_Cand]:
    """《titles》 of a community's own rule books; a title without a community in it is a state text."""
    out = []
    for m in re.finditer(r"《([^《》\n]{2,40})》", ctx.text):
        title = m.group(1)
        if not title.endswith(_ZH_TITLE_HEADS) or _ZH_STATE_TITLE.search(title):
            continue
        if not _community_marked(title):
            continue  # 《工程建设项目招标范围和规模标准规定》
        if re.match(r"^[^\s]{0,10}?(?:省|市|县|自治州)(?!场)", title) and "居民区" not in title and "小区" not in title:
            continue  # a province or city regulation
        out.append(_Cand(m.start(), m.end(), m.start() + 1, m.end() - 1, "title", 3.0, cue="《》"))
    return out


# ---------------------------------------------------------------- numeric formulas

_ZH_GROUP = rf"[{_ZH_DIGITS}][^\W\d{_ZH_NUMERALS}_丶第]{{1,3}}"
_ZH_SINGLE = re.compile(rf"(?<![第{_ZH_NUMERALS}\d])([{_ZH_DIGITS}])([{_ZH_CLASSIFIERS}]?)([{_HAN}]{{1,4}})")


_ZH_FUNCTION_FLAGS = ("d", "t", "m", "q", "f", "uj", "ul", "u", "p", "c", "r", "y", "j", "mq")


def _formula_candidates(ctx: _Context) -> list[_Cand]:
    out: list[_Cand] = []
    text = ctx.text
    for pstart, pend in ctx.passages:
        if ctx.lang_at(pstart) != "zh":
            continue
        passage = text[pstart:pend]
        if not re.search(f"[{_ZH_DIGITS}]", passage):
            continue
        tokens = _zh_tokens(passage)
        for m in re.finditer(rf"(?:{_ZH_GROUP}){{2,4}}", passage):
            span = _compound_span(passage, m, tokens)
            if span:
                out.append(_Cand(pstart + span[0], pstart + span[1], pstart + span[0], pstart + span[1],
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
    groups = re.findall(rf"[{_ZH_DIGITS}][^\W\d{_ZH_NUMERALS}_]+", m.group())
    if len(groups) < 2:
        return None
    s = m.start()
    if s not in starts or (s and passage[s - 1] in "第" + _ZH_NUMERALS):
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
    if any(h[0] in _ZH_MEASURES for h in heads) or any(ch in _ZH_RELATIONAL for h in heads for ch in h):
        return None  # 二至三人, 二个文件, 九尾冲二期: quantities; 一对一购买: a phrase
    span_text = passage[s: s + sum(len(g) for g in groups)]
    first = next((t for t in tokens if t[0] == s), None)
    if "分之" in span_text or (first and first[3] == "t"):
        return None  # 三分之二, 一年四季
    span_end = s + len(span_text)
    if any(t[3] == "i" for t in tokens if t[0] < span_end and t[1] > s):
        return None  # an idiom: 三令五申, 五花八门, 一草一木
    if span_text.endswith(_ZH_ORG_SUFFIX) or passage[span_end: span_end + 2] in ("公司", "集团"):
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


def _single_formula(ctx: _Context, pstart: int, passage: str, m: re.Match, tokens) -> _Cand | None:
    """“三率”, 三类组织: one numeral group, kept only when an enumeration of N items spells it out."""
    n = _zh_int(m.group(1))
    classifier = m.group(2)
    if classifier and classifier not in "类项种大":
        return None  # 两个文件, 三位代表: a count of things, whatever lists them
    if classifier and f"“{m.group()}" not in ctx.text:
        return None  # 四种车位 after a list of four: a summary in prose, unless the text quotes it as a term
    # the head: jieba's first word after the numeral (and classifier)
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
    if len(head) == 1 and head in _ZH_MEASURES and not classifier:
        return None
    if head[0] in _ZH_MEASURES and not classifier and head_word[3] in ("q", "m"):
        return None
    found = _zh_expansion(passage, m.start(), head_end, n, head)
    if not found:
        return None
    s, e = pstart + m.start(), pstart + head_end
    return _Cand(s, e, s, e, "formula", 3.0, expansion=(pstart + found[0], pstart + found[1]))


def _zh_compound_text(inner: str) -> bool:
    """The whole string is two or more numeral groups that are not all quantities (一征三议两公开)."""
    if not re.fullmatch(rf"(?:{_ZH_GROUP}){{2,4}}", inner):
        return False
    if any(t[3] == "i" for t in _zh_tokens(inner)):
        return False  # an idiom
    groups = re.findall(rf"[{_ZH_DIGITS}][^{_ZH_NUMERALS}]+", inner)
    return len(groups) >= 2 and not all(g[1] in _ZH_MEASURES for g in groups)


def _zh_int(ch: str) -> int:
    return {"一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
            "九": 9, "十": 10}.get(ch, int(ch) if ch.isdigit() else 0)


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
    first_tokens = _zh_tokens(passage[window[0][0]: window[0][1]])
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
        for t in _zh_tokens(piece) if piece else ():
            if t[3] == "c" and t[2] in _ZH_CONJ and cut < ps + t[0]:
                items.append((cut, ps + t[0]))
                cut = ps + t[1]
        if cut < pe:
            items.append((cut, pe))
    return items if len(items) >= 2 else []


def _formula_in_quote(ctx: _Context, s: int, e: int, inner: str) -> _Cand | None:
    """A quoted numeral formula: “三率”, “三类组织”, “5 biết” spelled out nearby, or 一征三议两公开."""
    lang = ctx.lang_at(s)
    passage = ctx.paragraph_at(s)
    ptext = ctx.text[passage[0]: passage[1]]
    if lang == "zh":
        m = re.fullmatch(rf"([{_ZH_DIGITS}])([{_ZH_CLASSIFIERS}]?)([{_HAN}]{{1,6}})", inner)
        if m:
            if _zh_compound_text(inner):
                return _Cand(s - 1, e + 1 + len(_zh_head_after(ctx.text, e + 1)), s, e, "formula", 3.0, quoted=True)
            first = _zh_tokens(inner)[:1]
            if first and len(first[0][2]) > 1 and first[0][3] not in ("m", "mq", "n", "nz", "l", "j", "q"):
                return None  # “双重考验”: the numeral is part of a word
            n = _zh_int(m.group(1))
            found = _zh_expansion(ptext, s - passage[0], e - passage[0], n, m.group(3)) or \
                _zh_adjacent_enumeration(ptext, s - 1 - passage[0], n)
            if found:
                return _Cand(s - 1, e + 1, s, e, "formula", 3.0, quoted=True,
                             expansion=(passage[0] + found[0], passage[0] + found[1]))
        return None
    m = re.fullmatch(r"(\d{1,2})\s+(\S+(?:\s+\S+)?)", inner)
    if m:
        n = int(m.group(1))
        word = m.group(2).split()[0].lower()
        found = _vi_expansion(ptext, e - passage[0], n, word)
        if found:
            return _Cand(s - 1, e + 1, s, e, "formula", 3.0, quoted=True,
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
    items = [i.strip() for i in inner.split(";")] if ";" in inner else _split_items(inner, "vi")
    if len(items) == n and all(i.lower().split()[0] == word for i in items if i.split()):
        return after + m.start(1), after + m.end(1)
    return None


# ---------------------------------------------------------------- 1+N


_PLUS = re.compile(r"(?<![\w.+\-=])(?:1|一)\s*[+＋]\s*(?:N|n|X|x|\d{1,2}|[二三四五六七八九十]|多)(?![\w.=+\-%])")


def _plus_candidates(ctx: _Context) -> list[_Cand]:
    out = []
    for m in _PLUS.finditer(ctx.text):
        after = ctx.text[m.end(): m.end() + 6]
        if re.match(r"\s*[=＝<>]", after):
            continue
        head = _zh_head_after(ctx.text, m.end()) if ctx.lang_at(m.start()) == "zh" else ""
        if head or re.match(r"[”\"]", after) or re.match(rf"[{_HAN}]", after):
            out.append(_Cand(m.start(), m.end() + len(head), m.start(), m.end(), "formula", 2.5, cue=head))
    return out


# ---------------------------------------------------------------- Chinese head nouns

_ZH_HEAD_RE = re.compile("|".join(sorted(map(re.escape, _ZH_HEADS), key=len, reverse=True)))


def _zh_head_candidates(ctx: _Context) -> list[_Cand]:
    out = []
    text = ctx.text
    for pstart, pend in ctx.passages:
        if ctx.lang_at(pstart) != "zh":
            continue
        passage = text[pstart:pend]
        if not _ZH_HEAD_RE.search(passage):
            continue
        for m in _ZH_HEAD_RE.finditer(passage):
            c = _zh_named(ctx, pstart, passage, m)
            if c:
                out.append(c)
    return out


def _zh_named(ctx: _Context, pstart: int, passage: str, m: re.Match) -> _Cand | None:
    head = m.group()
    hs, he = m.start(), m.end()
    if he < len(passage) and passage[he] in "度" and head.endswith("制"):
        return None
    # the clause before the head
    clause_start = max(passage.rfind(p, 0, hs) for p in "，,。；;：:、（(）)“”《》！？!? \n") + 1
    left_text = passage[clause_start:hs]
    if not left_text:
        return None
    if passage[hs - 1: hs] in "”」』":  # handled as a quoted term
        return None
    clause_end = min([i for i in (passage.find(p, he) for p in "，,。；;：:、（(）)“”《》！？!? \n") if i >= 0],
                     default=len(passage))
    tokens = _zh_tokens(passage[clause_start:clause_end])
    # a head inside a longer word: 体制, 机制化, 制度化 (the head must end a word)
    head_tokens = [t for t in tokens if t[0] < hs - clause_start + len(head) and t[1] > hs - clause_start]
    if head_tokens and head_tokens[-1][1] != he - clause_start:
        return None
    following = _zh_tokens(passage[he: he + 8]) if he < len(passage) else ()
    if following and following[0][3].startswith(("n", "vn")) and following[0][2] not in _ZH_AFTER_HEAD_OK:
        return None  # the head modifies another noun: 公约意识, 制度体系
    name_start = hs - clause_start
    words = [t for t in tokens if t[1] <= hs - clause_start]
    if head == "办法" and words and words[-1][1] == hs - clause_start and words[-1][3] in ("v", "d", "r", "vd", "a", "ad"):
        return None  # 想办法, 没有办法: "a way to", not a rule book
    # a head glued to the word before it ("负责制" as one word with 主任 is fine; "管理模式" is a word)
    glued = [t for t in tokens if t[0] < hs - clause_start < t[1]]
    if glued:
        words = [t for t in tokens if t[1] <= glued[0][0]]
        name_start = glued[0][0]
    for t in reversed(words):
        w, flag = t[2], t[3]
        if w in _ZH_LEFT_STOP or flag in ("x", "uj", "ul", "c", "p", "r", "d", "m", "t", "f", "u", "y", "e"):
            break
        if w in _ZH_GOVERNS_FROM_AFAR and name_start < hs - clause_start:
            break  # 监督村务公开制度: a verb before a name governs it (but 经费保障机制 keeps its 保障)
        verb = next((v for v in _ZH_GOVERNING if len(v) >= 2 and w.startswith(v) and len(w) > len(v)), "")
        if verb:  # "健全制度" is one jieba word: the name starts after the verb
            name_start = t[0] + len(verb)
            break
        if len(w) > 2 and any(w.endswith(v) for v in _ZH_GOVERNING if len(v) >= 2):
            break  # "严格执行", "全面落实": an adverb and a governing verb in one word
        if name_start - t[0] + (he - hs) > 16:
            break
        name_start = t[0]
    # "先鉴定、后付费工作机制": a 先…后… pair split by 、 is one name
    if passage[clause_start - 1: clause_start] == "、" and passage[clause_start + name_start] == "后":
        first = passage.rfind("先", max(0, clause_start - 8), clause_start - 1)
        if first >= 0 and not re.search(r"[，,。；;：:、（(）)“”《》！？!?\s]", passage[first: clause_start - 1]):
            s = pstart + first
            e = pstart + he
            return _Cand(s, e, s, e, "named", 2.0, cue=head)
    # a governing verb that starts the name governs it: 形成出租公约
    for t in words:
        if t[0] < name_start:
            continue
        if t[2] in _ZH_GOVERNING and t[1] < hs - clause_start:
            name_start = t[1]
            continue
        break
    s = pstart + clause_start + name_start
    e = pstart + he
    name = ctx.text[s:e]
    if _ZH_STATE_NAME.search(name) or _zh_starts_with_place(name):
        return None  # 中国共产党章程, A市A6区征地补偿安置办法: a state or party document
    modifier = name[: len(name) - len(head)]
    if not modifier:
        return None
    if head not in _ZH_GENERIC_HEADS and modifier.endswith(_ZH_ORG_SUFFIX):
        return None  # 政府章程, 公司章程: an organisation's own charter
    # leading generic words the stop list could not see inside a longer word
    if head in _ZH_GENERIC_HEADS and _zh_generic(modifier):
        return None
    if modifier in ("具体", "实施", "本", "管理", "解决", "这个", "该"):
        return None
    if head == "办法" and not _community_marked(name):
        return None  # 评标办法, 补偿安置办法: a state or procurement rule, not a community's rule book
    strength = 2.0 if len(modifier) >= 4 else 1.5
    return _Cand(s, e, s, e, "named", strength, cue=head)


def _zh_starts_with_place(name: str) -> bool:
    """The name opens with an administrative place (A市, 滨州市, 浙江省): a government's regulation."""
    if re.match(r"[A-Z][0-9]{0,2}(?:市|区|县|省)", name):
        return True
    tokens = _zh_tokens(name)
    return bool(tokens) and tokens[0][3] == "ns" and tokens[0][2].endswith(("省", "市", "县", "区", "州"))


def _zh_generic(modifier: str) -> bool:
    """True when the modifier is one common word (工作, 管理, 保障, 长效): jieba's corpus frequency."""
    tokens = _zh_tokens(modifier)
    if len(tokens) == 1:
        freq = _zh_freq(modifier)
        return freq >= 500 or (len(modifier) <= 2 and freq >= 100)
    if len(tokens) == 2 and all(_zh_freq(t[2]) >= 10000 and t[3] in ("v", "vn") for t in tokens):
        return True  # 管理工作, 服务管理 (but 管理人制度 is a system of its own)
    return False


_ZH_DEFINED = re.compile(
    rf"本(?:条例|规定|办法|法|决定|细则|规则)所称([{_HAN}A-Za-z0-9]{{2,20}}?)(?:[（(][^）)]*[）)])?[，,]?\s*是指([^。；;]*)")
# A term the statute defines as one of these is a practice: "…是指…的养老服务模式" (an activity, such as
# 物业管理, is a field of work, not a method).
_ZH_DEFINED_AS = ("模式", "机制", "制度", "工作法", "办法")


def _zh_defined_terms(ctx: _Context) -> list[_Cand]:
    """Terms a statute defines as a model, mechanism, system or activity: 本条例所称居家养老服务是指…模式."""
    out = []
    for m in _ZH_DEFINED.finditer(ctx.text):
        definition = m.group(2).rstrip("等的 ")
        if ctx.lang_at(m.start()) != "zh" or not definition.endswith(_ZH_DEFINED_AS):
            continue
        if _ends_with_org(m.group(1)):
            continue
        out.append(_Cand(m.start(1), m.end(1), m.start(1), m.end(1), "alias", 3.0, cue="是指"))
    return out


# ---------------------------------------------------------------- Vietnamese cue words

_VI_CUE_RE = re.compile(r"\b(" + "|".join(c for c in _VI_OPEN_CUES) + r")\b", re.IGNORECASE)


def _vi_cue_candidates(ctx: _Context) -> list[_Cand]:
    out = []
    text = ctx.text
    for sstart, send in ctx.sentences:
        if ctx.lang_at(sstart) != "vi":
            continue
        sentence = text[sstart:send]
        if not _VI_CUE_RE.search(sentence):
            continue
        tokens = _vi_tokens(sentence)
        for m in _VI_CUE_RE.finditer(sentence):
            c = _vi_named(ctx, sstart, sentence, tokens, m)
            if c:
                out.append(c)
    return out


def _vi_named(ctx, sstart, sentence, tokens, m) -> _Cand | None:
    """An unquoted name after a cue word: underthesea's words up to a preposition, verb of being,
    time word or punctuation ("quy chế phối hợp với Ban quản trị" -> "quy chế phối hợp")."""
    cue = m.group(1).lower()
    after = sentence[m.end():]
    if re.match(r"\s*[“\"'‘:]", after):
        return None  # quoted: handled by the quote rules
    if cue in _VI_SLOGAN_CUES:
        return _vi_slogan_after(ctx, sstart, sentence, m)
    # tokens after the cue
    rest = [t for t in tokens if t[0] >= m.end()]
    # skip "mới về", "về": "cuộc vận động mới về toàn dân ..."
    if len(rest) > 1 and rest[0][2].lower() == "mới" and rest[1][2].lower() == "về":
        rest = rest[1:]
    name_from = m.start()
    if rest and rest[0][2].lower() == "về":
        rest = rest[1:]
        if not rest or rest[0][2].lower() in ("việc", "vấn đề"):
            return None  # "Đề án về việc ...": a title, not a name
        name_from = rest[0][0]  # "cuộc vận động về X": the campaign is X
    if m.group(1)[0].isupper() and _VI_CITATION.search(sentence[max(0, m.start() - 20): m.start()]):
        return None  # "theo Quy chế quản lý, sử dụng nhà chung cư": a legal text
    picked: list[tuple[int, int, str, str]] = []
    for i, t in enumerate(rest):
        w, tag = t[2], t[3]
        lw = w.lower()
        if tag in ("CH",) or not any(ch.isalnum() for ch in w):
            break
        if lw in _VI_STOP or tag in ("E", "P", "L", "T", "C", "CC") and lw != "và":
            break
        if re.search(r"\d+/", w):
            break  # a document number
        if lw in _VI_CUES:
            break
        if lw == "và":
            nxt = rest[i + 1] if i + 1 < len(rest) else None
            if not picked or nxt is None or nxt[3] not in ("V", "N") or nxt[2].lower() in _VI_CUES or len(picked) < 2:
                break
        if not picked and (lw in _VI_WEAK_FIRST or tag in ("A", "R") and lw not in ("toàn",)):
            return None
        if not picked and tag == "M" and not (i + 1 < len(rest) and rest[i + 1][3] in ("N", "Nc", "Nu")):
            return None  # "mô hình 2 vụ lúa ..." is a name, "mô hình 200" is not
        if sum(len(p[2].split()) for p in picked) + len(w.split()) > 12:
            break
        picked.append(t)
    # trailing adjectives describe the name ("cơ chế tài chính rõ ràng"); "mới" belongs to it
    # ("xây dựng nông thôn mới")
    while picked and (picked[-1][2].lower() == "và" or picked[-1][2].lower() in _VI_TRAILING_WEAK or
                      (picked[-1][3] == "A" and picked[-1][2].lower() != "mới" and len(picked) > 1)):
        picked.pop()
    if not picked:
        return None
    if re.match(r"\s*[“\"‘]", sentence[picked[-1][1]:]):
        return None  # "phong trào ra quân thực hiện “…”": the quoted name is the practice
    if any(ch.isupper() for ch in picked[0][2][:1]) and picked[0][2].startswith(_VI_ORG_FIRST):
        return None
    s = sstart + m.start()
    e = sstart + picked[-1][1]
    while e > s and not ctx.text[e - 1].isalnum():
        e -= 1  # "theo mô hình BOT.": the token kept the full stop
    n_words = len(picked)
    strength = 1.0 if n_words == 1 else 1.5
    return _Cand(s, e, sstart + name_from, e, "cue", strength, cue=cue)


def _vi_slogan_after(ctx, sstart, sentence, m) -> _Cand | None:
    """An unquoted phương châm / khẩu hiệu: the parallel clauses after the cue."""
    rest = sentence[m.end():]
    lead = len(rest) - len(rest.lstrip(" :"))
    pos = m.end() + lead
    # "phương châm 5 rõ “rõ người, rõ việc, ...”": a numeral formula spelled out by what follows
    formula = re.match(r"(\d{1,2})\s+(\w+)(?=\s*[“\"(])", sentence[pos:])
    if formula:
        n, word = int(formula.group(1)), formula.group(2).lower()
        spelled = re.match(r"\s*[“\"(]([^”\")]{4,400})[”\")]", sentence[pos + formula.end():])
        if spelled:
            items = [i for i in re.split(r"\s*[,;]\s*|\s+và\s+", spelled.group(1)) if i]
            if len(items) == n and all(i.lower().split()[0] == word for i in items):
                xs = pos + formula.end() + spelled.start(1)
                return _Cand(sstart + pos, sstart + pos + formula.end(), sstart + pos, sstart + pos + formula.end(),
                             "formula", 3.0, cue=m.group(1).lower(),
                             expansion=(sstart + xs, sstart + xs + len(spelled.group(1))))
        return None
    clauses = []
    for part in re.split(r"(,|;)", sentence[pos:]):
        if part in (",", ";"):
            continue
        clauses.append(part.strip())
    items: list[str] = []
    for c in clauses:
        if not c:
            break
        candidate = items + [c.rstrip(".")]
        if len(candidate) >= 2 and not _parallel(candidate, "vi"):
            break
        items = candidate
    if len(items) < 2 and not (items and 2 <= len(items[0].split()) <= 8):
        return None
    text_span = ", ".join(items)
    e = sentence.find(items[-1], pos) + len(items[-1])
    s = pos
    if not sentence[s:e].startswith(items[0]):
        return None
    return _Cand(sstart + s, sstart + e, sstart + s, sstart + e, "slogan", 2.0 if len(items) >= 2 else 1.5,
                 cue=m.group(1).lower()) if text_span else None


_VI_PARALLEL = re.compile(r"\b(\w+)\s+\w+(?:\s+\w+)?(?:,\s+\1\s+\w+(?:\s+\w+)?){2,}(?=\s*[,.;:!?”\"]|\s*$)",
                          re.UNICODE)


def _vi_parallel_candidates(ctx: _Context) -> list[_Cand]:
    """Unquoted slogans of three or more short clauses with one subject: "dân biết, dân bàn, dân làm"."""
    out = []
    for m in _VI_PARALLEL.finditer(ctx.text):
        if ctx.lang_at(m.start()) != "vi":
            continue
        subject = m.group(1)
        if not subject.isalpha() or subject.lower() in ("các", "những", "không", "và", "có", "là", "biết"):
            continue
        items = _split_items(m.group(), "vi")
        if not _vi_role_slogan(items):
            continue
        out.append(_Cand(m.start(), m.end(), m.start(), m.end(), "slogan", 2.0))
    return out


# ---------------------------------------------------------------- abbreviations


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines: ABBR -> full form, from "Nông thôn mới (NTM)".

    `canonical_name(..., aliases=abbreviations(doc.text))` expands them, so "phong trào xây dựng
    NTM" and "phong trào xây dựng Nông thôn mới" are one practice.
    """
    out: dict[str, str] = {}
    for m in re.finditer(r"((?:[A-ZĐÂĂÊÔƠƯa-zđâăêôơư\u00c0-\u1ef9]+\s+){1,8}?[A-ZĐÂĂÊÔƠƯa-zđâăêôơư\u00c0-\u1ef9]+)\s*\(([A-ZĐƠ]{2,6})\)", text):
        words, abbr = m.group(1).split(), m.group(2)
        initials = "".join(unicodedata.normalize("NFD", w)[0].upper() for w in words[-len(abbr):])
        initials = initials.replace("D", "Đ") if "Đ" in abbr else initials
        if len(words) >= len(abbr) and _same_initials(initials, abbr):
            out[abbr] = " ".join(words[-len(abbr):])
    return out


def _same_initials(initials: str, abbr: str) -> bool:
    strip = lambda s: unicodedata.normalize("NFD", s.replace("Đ", "D")).encode("ascii", "ignore").decode()
    return strip(initials) == strip(abbr)


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
    contexts: dict[str, _Context] = {}
    known = mentions or {}
    found: list[PracticeMention] = []
    for doc in docs:
        segs = list(segments[doc.id]) if segments and doc.id in segments else segment(doc)
        contexts[doc.id] = _Context(doc, segs)
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
# Verbs that take a name as their object and so cannot open one (beside `_ZH_LEFT_STOP`).
_ZH_VERB_OPENERS = {"确定", "拟定", "协调", "拿", "审定", "通过", "修改", "发布", "明确"}
_ZH_ALIAS_OF = re.compile(r"[（(]\s*以下(?:简|统)称\s*[“「\"]?$")


def _cut_name(m: PracticeMention, ctx: _Context) -> bool:
    """True when a Chinese name found by its head noun is only part of a name, or runs on from the sentence:

    - it starts inside a number phrase ("24小时专人值班制度" cut to 小时…) or with a relational word
      ("方面政策制度", "国家有关…");
    - it starts with a word that ends names on the left, a governing verb or the like ("拟定业主公约",
      "协调生产者责任延伸制度").
    """
    if m.lang != "zh" or m.kind not in ("named", "cue"):
        return False
    before = ctx.text[max(0, m.start - 1): m.start]
    if before.isdigit() and m.name[:1] in _ZH_MEASURES or m.name.startswith(_ZH_BAD_NAME_START):
        return True
    tokens = _zh_tokens(m.name)
    if not tokens:
        return False
    first = tokens[0][2]
    return first in _ZH_LEFT_STOP or first in _ZH_VERB_OPENERS or any(
        first.startswith(v) for v in _ZH_VERB_OPENERS | _ZH_LEFT_STOP if len(v) >= 2 and len(first) > len(v))


_ZH_COORDINATION = ("、", "和", "及", "与", "以及")
# Nouns naming a document, decision or principle of its own: "居民会议的决定和居民公约" coordinates two things.
_ZH_DOCUMENT_NOUNS = ("决定", "决议", "规定", "意见", "方案", "计划", "规划", "报告", "协议", "合同", "预案", "标准", "原则",
                      "规则", "政策", "体系")
MAX_COORDINATED_NAME = 40  # characters


def _coordinated(m: PracticeMention, ctx: _Context) -> PracticeMention:
    """A Chinese name found by its head noun, widened over the names coordinated with it that share the
    head: "投诉、【举报处理机制】" → 投诉、举报处理机制, "信息公开和【公众参与制度】" → 信息公开和公众参与制度.
    A conjunct that ends in a head noun of its own is a name of its own ("居民自治章程和居民公约"), and
    the widening stops at what ends names on the left (的, 等, governing verbs, punctuation)."""
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
        if not left or left.endswith(_ZH_HEADS + _ZH_TITLE_HEADS + _ZH_DOCUMENT_NOUNS) or not _HAN_RE.match(left[-1:]):
            break
        tokens = _zh_tokens(left)
        begin = len(left)
        for t in reversed(tokens):
            if t[2] in _ZH_LEFT_STOP or t[3] in ("x", "uj", "ul", "c", "p", "r", "d", "m", "u", "y", "e") or t[2] in _ZH_COORDINATION:
                break
            if any(t[2].startswith(v) and len(t[2]) > len(v) for v in _ZH_GOVERNING if len(v) >= 2):
                begin = t[0] + next(len(v) for v in _ZH_GOVERNING if len(v) >= 2 and t[2].startswith(v))
                break
            begin = t[0]
        if begin >= len(left) or m.end - (clause + begin) > MAX_COORDINATED_NAME:
            break
        start = clause + begin
    if start == m.start:
        return m
    name = text[start: m.end]
    return replace(m, name=name, canonical=canonical_name(name, "zh"), start=start)


def _not_a_practice(key: tuple[str, str], ms: Sequence[PracticeMention], contexts: Mapping[str, _Context]) -> bool:
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
    tokens = _zh_tokens(canonical)
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
            if sum(1 for item in listed if item.strip().endswith(_ZH_ORG_SUFFIX + ("省", "市", "县", "区", "院", "府"))) >= 2:
                return True
    if len(ms) == 1 and marked[0].kind == "formula" and not quoted[0]:
        return not _zh_head_after(contexts[marked[0].doc_id].text, marked[0].end)
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
    return m.name[:1] in _OPEN_QUOTES + "《" or text[m.start - 1: m.start] in _OPEN_QUOTES + "《"


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
    own = {t[2] for t in _zh_tokens(canonical)}
    words: dict[str, set[str]] = {}
    nouns: set[str] = set()
    for d in docs:
        found: set[str] = set()
        for m in ms:
            if m.doc_id == d:
                text = contexts[d].text
                for t in _zh_tokens(text[m.sentence_start: m.sentence_end]):
                    if len(t[2]) >= 2 and t[3][:1] in ("n", "v") and t[2] not in own and _zh_freq(t[2]) < _SENSE_COMMON:
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
        telling = sorted(count, key=lambda word: (-count[word], _zh_freq(word), word))[:2]
        out.append(("·".join(telling), [m for m in ms if m.doc_id in g]))
    return out


def _score(ms: Sequence[PracticeMention], contexts: Mapping[str, _Context]) -> float:
    marked = [m for m in ms if m.kind != "recurrence"]
    if not marked:
        return 0.0
    best = max(m.strength for m in marked)
    n_docs = len({m.doc_id for m in ms})
    defined = any(_definitions_of(contexts[m.doc_id], m, limit=1) for m in marked[:5])
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
                    if not _zh_generic(stem) and not stem.endswith(_ZH_ORG_SUFFIX):
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
    automaton = _automaton(owners)
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


def _automaton(words: Iterable[str]):
    """An Aho-Corasick automaton over `words` (each its own value), or None when there are none."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for w in words:
        automaton.add_word(w, w)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _doc_freqs(words: Iterable[str], contexts: Mapping[str, _Context]) -> Counter:
    """In how many documents each word occurs (folded text), in one pass over each document."""
    automaton = _automaton(words)
    freq: Counter = Counter()
    if automaton is not None:
        for ctx in contexts.values():
            freq.update({w for _end, w in automaton.iter(ctx.folded)})
    return freq


def _searchable(form: str, lang: str) -> bool:
    if lang == "zh":
        return len(form) >= 3 or (len(form) == 2 and form[0] in _ZH_DIGITS)
    return len(form.split()) >= 3


def _word_bounded(text: str, s: int, e: int, lang: str) -> bool:
    if lang == "vi":
        return (s == 0 or not text[s - 1].isalnum()) and (e >= len(text) or not text[e].isalnum())
    if s and text[s - 1] in _ZH_NUMERALS:
        return False
    # the occurrence must start and end on jieba word boundaries of its clause
    ls = max(text.rfind(p, 0, s) for p in "，,。；;：:、（(）)“”《》！？!? \n") + 1
    le_candidates = [i for i in (text.find(p, e) for p in "，,。；;：:、（(）)“”《》！？!? \n") if i >= 0]
    le = min(le_candidates) if le_candidates else len(text)
    tokens = _zh_tokens(text[ls:le])
    starts = {t[0] + ls for t in tokens}
    ends = {t[1] + ls for t in tokens}
    return s in starts and (e in ends or text[e: e + 2] in _ZH_HEADS or e == le)


def _doc_metadata(docs: Sequence[Document]) -> dict[str, tuple[tuple[str, ...], str]]:
    from .metadata import extract_metadata

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
        for ev in _definitions_of(contexts[m.doc_id], m):
            if (ev.doc_id, ev.start, ev.end) not in seen and not any(
                    ev.doc_id == d.doc_id and d.start <= ev.start and ev.end <= d.end for d in definitions):
                seen.add((ev.doc_id, ev.start, ev.end))
                definitions = [d for d in definitions
                               if not (d.doc_id == ev.doc_id and ev.start <= d.start and d.end <= ev.end)]
                definitions.append(ev)
    actors = _actors_of(ms, contexts, lang)
    outcomes = _outcomes_of(ms, contexts)
    kind = kinds.most_common(1)[0][0] if kinds else "recurrence"
    components = _components_of(name, {m.doc_id for m in ms}, contexts) if kind == "formula" and lang == "zh" else ()
    return Practice(
        name=name, canonical=canonical, lang=lang, kind=kind,
        score=score, variants=tuple(sorted({m.name for m in ms}, key=lambda s: (-len(s), s))),
        doc_count=len({m.doc_id for m in ms}), mention_count=len(ms), uses=tuple(uses),
        definitions=tuple(definitions), actors=actors, outcomes=outcomes, components=components)


def _display(m: PracticeMention) -> str:
    """The name as shown: the mention without its quotes and without a head noun after quotes."""
    text = m.name
    if m.kind in ("quoted", "formula", "alias", "slogan") and text[:1] in _OPEN_QUOTES + "《":
        close = max(text.rfind(q) for q in _CLOSE_QUOTES + "》")
        if close > 0:
            return text[1:close]
    return text.strip("《》")


# ---------------------------------------------------------------- definitions

_VI_DEF_CUES = re.compile(r"\b(?:là|gồm|bao gồm|gồm có|được hiểu là|nghĩa là|tức là)\b|:")
_BRACKETED = re.compile(r"\s*[”\"’]?\s*[（(]([^（）()]{4,300})[）)]")


def _definitions_of(ctx: _Context, m: PracticeMention, limit: int = 10) -> list[Evidence]:
    """Sentences that say what the practice is: definitional cues after the name, an enumeration
    spelling out a formula, a bracketed list right after the name, or a colon-introduced passage."""
    out: list[Evidence] = []
    text = ctx.text
    ps, pe = m.passage_start, m.passage_end
    if pe <= ps:
        return out
    after = text[m.end: pe]
    cue_re = _ZH_DEF_CUES if m.lang == "zh" else _VI_DEF_CUES
    bracket = _BRACKETED.match(text, m.end)
    if m.expansion:
        es, ee = m.expansion
        s, e = ctx.passage_at(es)
        if e > s:
            out.append(Evidence(m.doc_id, min(s, ps), max(e, pe) if s <= pe else e,
                                text[min(s, ps): max(e, pe) if s <= pe else e], "enumeration"))
    if bracket and len(_split_items(bracket.group(1), m.lang)) >= 2:
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


_ZH_FORMULA_PART = re.compile(rf"[{_ZH_DIGITS}]+[^{_ZH_DIGITS}\d]+")
_ZH_PART_DEFINED = r"[”\"」]?\s*(?:[，,]\s*)?(?:即|是指|指的是|就是|指|是|为|[:：]|[（(])"
_ZH_PART_CLAUSE_END = re.compile(r"[。；;！？\n]")
MAX_PART_DEFINITION = 120  # characters


def formula_parts(name: str) -> list[str]:
    """The numeral groups of a Chinese formula: 一征三议两公开 → [一征, 三议, 两公开]; [] for one group."""
    parts = _ZH_FORMULA_PART.findall(name)
    return parts if len(parts) >= 2 and "".join(parts) == name else []


def _components_of(name: str, doc_ids: Iterable[str], contexts) -> tuple[Component, ...]:
    """Each part of formula `name` with the first clause of its documents that defines it: the part,
    quoted or not and not inside the whole formula, followed by 即/是指/就是/是/：/（ ("“一征”即征求群众意见")."""
    parts = formula_parts(name)
    out = []
    for part in parts:
        found = Component(part)
        pattern = re.compile(rf"(?<![{_ZH_DIGITS}])[“\"「]?{re.escape(part)}{_ZH_PART_DEFINED}")
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


def _is_heading(ctx: _Context, pos: int) -> bool:
    return any(s <= pos < e for s, e, _ in ctx.headings)


# ---------------------------------------------------------------- actors

# A compact lexicon of actor *types* (no particular organisation): type -> surface patterns.
_ZH_ACTORS: dict[str, tuple[str, ...]] = {
    "党组织": ("社区党委", "党委", "党总支", "党支部", "党小组", "楼院党组织", "党组织", "党工委"),
    "党员": ("党员",),
    "居委会": ("居委会", "居民委员会", "居民区"),
    "村委会": ("村委会", "村民委员会"),
    "业委会": ("业委会", "业主委员会"),
    "业主大会": ("业主大会", "业主代表"),
    "物业": ("物业服务企业", "物业公司", "物业"),
    "街道/乡镇": ("街道办事处", "乡镇人民政府", "镇人民政府", "街道"),
    "政府部门": ("人民政府", "职能部门", "主管部门", "城管", "公安机关"),
    "自治组织": ("自治管理委员会", "居民自治组织", "自治组织", "居民代表大会", "居民会议", "村民会议",
               "村民代表会议", "居民小组"),
    "志愿者": ("志愿服务组织", "志愿服务团体", "志愿者"),
    "社会组织": ("社会组织", "社工"),
    "网格员/楼长": ("网格员", "楼长", "楼组长", "栋长"),
    "居民": ("居民", "村民", "业主", "群众"),
}
_VI_ACTORS: dict[str, tuple[str, ...]] = {
    "chi bộ / đảng ủy": ("chi bộ", "đảng ủy", "đảng bộ", "cấp ủy", "quận ủy", "huyện ủy", "thành ủy"),
    "đảng viên": ("đảng viên",),
    "Ban quản trị": ("ban quản trị", "bqt"),
    "tổ dân phố / thôn": ("tổ dân phố", "tổ trưởng", "trưởng thôn", "thôn", "khu dân cư", "cụm dân cư"),
    "MTTQ": ("mặt trận tổ quốc", "mttq", "ban công tác mặt trận", "mitq"),
    "chính quyền": ("ủy ban nhân dân", "ubnd", "hđnd", "hội đồng nhân dân", "chính quyền"),
    "đoàn thể": ("đoàn thanh niên", "thành đoàn", "hội phụ nữ", "hội nông dân", "hội cựu chiến binh",
                 "đoàn thể", "chi hội"),
    "chủ đầu tư / quản lý vận hành": ("chủ đầu tư", "đơn vị quản lý vận hành", "ban quản lý"),
    "Ban Thanh tra nhân dân": ("ban thanh tra nhân dân", "ban ttnd"),
    "tổ tự quản": ("tổ tự quản", "tổ nhân dân tự quản"),
    "người dân": ("cư dân", "người dân", "nhân dân", "hộ gia đình", "dân"),
}


@lru_cache(maxsize=2)
def _actor_regex(lang: str) -> tuple[re.Pattern, dict[str, str]]:
    lexicon = _ZH_ACTORS if lang == "zh" else _VI_ACTORS
    to_type = {s: t for t, surfaces in lexicon.items() for s in surfaces}
    alternatives = sorted(to_type, key=len, reverse=True)
    if lang == "zh":
        pattern = re.compile(f"([{_HAN}]{{0,4}}?)(" + "|".join(map(re.escape, alternatives)) + ")")
    else:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, alternatives)) + r")\b", re.IGNORECASE)
    return pattern, to_type


def actor_lexicon(lang: str) -> dict[str, str]:
    """The actor-type lexicon of a language: surface form (lowercase in Vietnamese) -> actor type.

    >>> actor_lexicon("zh")["业主委员会"]
    '业委会'
    """
    if lang not in ("vi", "zh"):
        return {}
    return dict(_actor_regex(lang)[1])


def _actors_of(ms: Sequence[PracticeMention], contexts, lang: str) -> tuple[Actor, ...]:
    """Actor types named in the passages and paragraphs where the practice is used."""
    pattern, to_type = _actor_regex(lang)
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
    tokens = _zh_tokens(text[ls:start]) if start > ls else ()
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


def _outcomes_of(ms: Sequence[PracticeMention], contexts) -> tuple[Outcome, ...]:
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
            if 2 <= len(form) <= 20 and re.fullmatch(f"[{_HAN}A-Za-z0-9+]+", form):
                words[form] = None
    return [f"{w} {freq} {tag}" for w in words]
