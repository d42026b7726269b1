"""Chinese mentions: quoted terms, 《titles》 of rule books, names ending in a head noun, statutes' defined terms."""
from __future__ import annotations

import re
from typing import Sequence

from ..lang.zh import HAN_BMP, HAN_BMP_RE
from .lexicon import (
    ZH_AFTER_HEAD_OK, ZH_DETERMINERS, ZH_DIGITS, ZH_DOCUMENT_END, ZH_GENERIC_HEADS, ZH_GOVERNING,
    ZH_GOVERNS_FROM_AFAR, ZH_HEADS, ZH_LEFT_STOP, ZH_NAME_LOCALISERS, ZH_NAME_PREFIXES, ZH_NUMERALS,
    ZH_OBJECT_VERBS, ZH_OBJECT_VERBS_BEFORE_NOUN, ZH_ORG_SUFFIX, ZH_SCOPE_NOUNS, ZH_SPEECH, ZH_STATE_NAME,
    ZH_STATE_TITLE, ZH_TITLE_HEADS, actor_regex, continues_list, parallel, split_items, zh_head_after,
)
from .context import Candidate, Context, zh_freq, zh_tokens
from .formulas import formula_in_quote, zh_compound_text


# ---------------------------------------------------------------- quoted terms


def zh_quoted(ctx, qs, qe, inner, repeats, accepted_ends) -> Candidate | None:
    """A Chinese quoted term that names a practice (a head noun after it, a governing verb, an alias, a formula...)."""
    text = ctx.text
    if len(inner) > 16 or not HAN_BMP_RE.search(inner):
        return None
    if len(inner) < 3 and not re.match(f"[{ZH_DIGITS}]", inner):
        return None  # “烟道”, “不宜”: a quoted word
    if _zh_is_number(inner):  # “十一五”, “十三五”: plan periods
        return None
    if ZH_DOCUMENT_END.search(inner) or "关于" in inner:
        return None  # a document quoted by its title: “信访条例”, “案件交办书”, “…购买协议”
    before = text[max(0, qs - 8): qs]
    if re.search(r"(?:以下)?(?:简称|统称|称为|简称为)\s*$", before) and not _ends_with_org(inner) and \
            re.match(r"[）)]?\s*[，,]?\s*(?:是指|指|是)", text[qe + 1: qe + 8]):
        return Candidate(qs, qe + 1, qs + 1, qe, "alias", 3.0, quoted=True)  # a defined term
    if before.rstrip().endswith(ZH_SPEECH):
        return None
    after_head = zh_head_after(text, qe + 1)
    if after_head:
        end = qe + 1 + len(after_head)
        kind = "formula" if zh_compound_text(inner) else "quoted"
        return Candidate(qs, end, qs + 1, qe, kind, 3.0, cue=after_head, quoted=True)
    formula = formula_in_quote(ctx, qs + 1, qe, inner)
    if formula is not None:
        return formula  # spelled out by an enumeration, whatever follows it
    follower = _zh_follower(text, qe + 1)
    if follower is not None and follower[1].startswith(("n", "f", "t", "s")) and not follower[1].startswith("nr"):
        return None  # a quoted modifier of another noun: “三考”期间, “家园”意识, “随申办”移动端
    if _ends_with_org(inner):
        return None
    if "+" in inner or "＋" in inner:
        return Candidate(qs, qe + 1, qs + 1, qe, "formula", 3.0, quoted=True)
    if parallel(split_items(inner, "zh"), "zh") and (
            any(v in before for v in ZH_GOVERNING + ("实现", "坚持", "做到", "提出", "强化")) or
            re.match(r"的?(?:原则|精神|理念|要求|目标|方针|口号|标准)", text[qe + 1: qe + 4])):
        # “让数据多跑路，让群众少跑腿” after 提倡; not “种粮无田，种菜无地” describing a plight
        return Candidate(qs, qe + 1, qs + 1, qe, "slogan", 2.5, quoted=True)
    governing = _governed(before, ZH_GOVERNING, max_gap=2)
    first_word = zh_tokens(inner)[:1]
    if governing and first_word and first_word[0][3] == "v" and len(inner) <= 6:
        governing = ""  # 执行“没收建筑物”: a quoted action, not a named method
    if governing or continues_list(text, qs, accepted_ends):
        return Candidate(qs, qe + 1, qs + 1, qe, "quoted", 2.0, cue=governing, quoted=True)
    if repeats[inner] >= 2 and len(inner) >= 4 and not _is_title_line(ctx, qs):
        words = zh_tokens(inner)
        if words and words[0][3] not in ("v", "vd", "d", "p", "r") and words[-1][3].startswith(("n", "vn")):
            return Candidate(qs, qe + 1, qs + 1, qe, "quoted", 1.5, quoted=True)  # a recurring term: “家园生命共同体”
    return None


def _is_title_line(ctx: Context, pos: int) -> bool:
    return any(s <= pos < e for s, e, _ in ctx.headings) and pos < 300


def _zh_is_number(inner: str) -> bool:
    return all(ch in ZH_NUMERALS or ch.isdigit() for ch in inner)


def _ends_with_org(inner: str) -> bool:
    return inner.endswith(ZH_ORG_SUFFIX) and not inner.endswith(ZH_HEADS)


def _zh_follower(text: str, pos: int) -> tuple[str, str] | None:
    """(word, flag) of jieba's first word after `pos` within its clause."""
    clause = re.match(rf"[{HAN_BMP}A-Za-z0-9]+", text[pos: pos + 12])
    if not clause:
        return None
    tokens = zh_tokens(clause.group())
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


# ---------------------------------------------------------------- 《titles》


def _community_marked(name: str) -> bool:
    """The name belongs to a community: it names an actor type of the lexicon or a neighbourhood."""
    pattern, _ = actor_regex("zh")
    return bool(pattern.search(name)) or any(w in name for w in ("小区", "社区", "楼院", "村", "自治", "楼"))


def title_candidates(ctx: Context) -> list[Candidate]:
    """《titles》 of a community's own rule books; a title without a community in it is a state text."""
    out = []
    for m in re.finditer(r"《([^《》\n]{2,40})》", ctx.text):
        title = m.group(1)
        if not title.endswith(ZH_TITLE_HEADS) or ZH_STATE_TITLE.search(title):
            continue
        if not _community_marked(title):
            continue  # 《工程建设项目招标范围和规模标准规定》
        if re.match(r"^[^\s]{0,10}?(?:省|市|县|自治州)(?!场)", title) and "居民区" not in title and "小区" not in title:
            continue  # a province or city regulation
        out.append(Candidate(m.start(), m.end(), m.start() + 1, m.end() - 1, "title", 3.0, cue="《》"))
    return out


# ---------------------------------------------------------------- Chinese head nouns

_ZH_HEAD_RE = re.compile("|".join(sorted(map(re.escape, ZH_HEADS), key=len, reverse=True)))


def zh_head_candidates(ctx: Context) -> list[Candidate]:
    """Names ending in a head noun (…工作法, …机制, …制度) in each Chinese passage."""
    out = []
    for pstart, passage in ctx.spans_with(ctx.passages, "zh", _ZH_HEAD_RE):
        for m in _ZH_HEAD_RE.finditer(passage):
            c = _zh_named(ctx, pstart, passage, m)
            if c:
                out.append(c)
    return out


def _zh_named(ctx: Context, pstart: int, passage: str, m: re.Match) -> Candidate | None:
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
    tokens = zh_tokens(passage[clause_start:clause_end])
    # a head inside a longer word: 体制, 机制化, 制度化 (the head must end a word)
    head_tokens = [t for t in tokens if t[0] < hs - clause_start + len(head) and t[1] > hs - clause_start]
    if head_tokens and head_tokens[-1][1] != he - clause_start:
        return None
    following = zh_tokens(passage[he: he + 8]) if he < len(passage) else ()
    if following and following[0][3].startswith(("n", "vn")) and following[0][2] not in ZH_AFTER_HEAD_OK:
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
    for i in range(len(words) - 1, -1, -1):
        t = words[i]
        w = t[2]
        if zh_ends_name(tokens, i, hs - clause_start):
            break
        if w in ZH_GOVERNS_FROM_AFAR and name_start < hs - clause_start:
            break  # 监督村务公开制度: a verb before a name governs it (but 经费保障机制 keeps its 保障)
        verb = next((v for v in ZH_GOVERNING if len(v) >= 2 and w.startswith(v) and len(w) > len(v)), "")
        if verb:  # "健全制度" is one jieba word: the name starts after the verb
            name_start = t[0] + len(verb)
            break
        if name_start - t[0] + (he - hs) > 16:
            break
        name_start = t[0]
    # "先鉴定、后付费工作机制": a 先…后… pair split by 、 is one name
    if passage[clause_start - 1: clause_start] == "、" and passage[clause_start + name_start] == "后":
        first = passage.rfind("先", max(0, clause_start - 8), clause_start - 1)
        if first >= 0 and not re.search(r"[，,。；;：:、（(）)“”《》！？!?\s]", passage[first: clause_start - 1]):
            s = pstart + first
            e = pstart + he
            return Candidate(s, e, s, e, "named", 2.0, cue=head)
    # a governing verb that starts the name governs it: 形成出租公约
    for t in words:
        if t[0] < name_start:
            continue
        if t[2] in ZH_GOVERNING and t[1] < hs - clause_start:
            name_start = t[1]
            continue
        break
    name_start = zh_word_start(tokens, name_start, hs - clause_start)
    if name_start is None:
        return None
    s = pstart + clause_start + name_start
    if name_start == 0:  # 居（村）民委员会…: the clause began inside a word
        s = pstart + (zh_bracket_word_start(passage, clause_start) or clause_start)
    e = pstart + he
    name = ctx.text[s:e]
    if ZH_STATE_NAME.search(name) or _zh_starts_with_place(name):
        return None  # 中国共产党章程, A市A6区征地补偿安置办法: a state or party document
    modifier = name[: len(name) - len(head)]
    if not modifier:
        return None
    if head not in ZH_GENERIC_HEADS and modifier.endswith(ZH_ORG_SUFFIX):
        return None  # 政府章程, 公司章程: an organisation's own charter
    # leading generic words the stop list could not see inside a longer word
    if head in ZH_GENERIC_HEADS and zh_generic(modifier):
        return None
    if modifier in ("具体", "实施", "本", "管理", "解决", "这个", "该"):
        return None
    if head == "办法" and not _community_marked(name):
        return None  # 评标办法, 补偿安置办法: a state or procurement rule, not a community's rule book
    strength = 2.0 if len(modifier) >= 4 else 1.5
    return Candidate(s, e, s, e, "named", strength, cue=head)


# Tags of words that end a name on its left: punctuation, particles, conjunctions, prepositions,
# pronouns, numerals, time words, one-character adverbs and localisers (see `zh_ends_name`).
_ZH_STOP_TAGS = ("x", "uj", "ul", "c", "p", "r", "d", "m", "t", "f", "u", "y", "e")
# Function words: a real boundary after them, even of one character ("和|跨部门协作机制").
_ZH_FUNCTION_TAGS = ("x", "uj", "ul", "c", "p", "r", "u", "y", "e")
# Adverbs ending in a copula or a modal belong to the sentence: 就是, 也要, 才能, 均应.
_ZH_MODAL_ENDS = ("是", "要", "能", "会", "将", "可", "应", "须", "得")


def zh_ends_name(tokens: Sequence[tuple], i: int, head_start: int | None = None) -> bool:
    """True when word `i` of a clause's jieba words stands outside a name that ends after it.

    Words that end names on the left (`ZH_LEFT_STOP`) and function words do; an adverb of two
    characters or more ("诉求快速处理反馈机制", "定时定点分类投放制度") and an inner localiser
    ("内部举报人制度") belong to the name. A verb that takes a name as its object does unless the
    head comes right after it (`head_start`, clause offsets; None when there is no head in sight):
    "拟定业主公约", "协调生产者责任延伸制度" but "工作协调机制", "协调运行机制". A word of the stop
    list right before the head and after a noun ends a compound ("线索通报、…机制"). A verb with the
    complement 好 is a verb phrase ("坚持好、运行好人民代表大会制度").
    """
    w, flag = tokens[i][2], tokens[i][3]
    last = head_start is not None and tokens[i][1] == head_start
    if w in ZH_LEFT_STOP:
        return not (last and i > 0 and tokens[i - 1][3].startswith("n") and flag.startswith(("v", "n"))
                    and w not in ZH_GOVERNING)
    if len(w) > 2 and any(w.endswith(v) for v in ZH_GOVERNING if len(v) >= 2):
        return True  # "严格执行", "全面落实": an adverb and a governing verb in one word
    if flag == "d" and len(w) >= 2 and not w.endswith(_ZH_MODAL_ENDS) or flag == "f" and w in ZH_NAME_LOCALISERS:
        return False
    if flag in _ZH_STOP_TAGS:
        return True
    if w in ZH_OBJECT_VERBS or w in ZH_OBJECT_VERBS_BEFORE_NOUN:
        if head_start is None:
            return True
        if last or w in ZH_OBJECT_VERBS:
            return not last  # 确定农村生活垃圾管理模式: 管理模式 is a word of its own, 确定 governs it
        nxt = tokens[i + 1]
        return nxt[1] <= head_start and nxt[3].startswith(("n", "b", "l")) and nxt[3] != "vn"
    # 运行好人民代表大会制度 (but 服务好差评制度: 好差评 is a word jieba splits)
    return w == "好" and i > 0 and tokens[i - 1][3] == "v" and i + 1 < len(tokens) and len(tokens[i + 1][2]) > 1


def zh_word_start(tokens: Sequence[tuple], start: int, head_start: int) -> int | None:
    """The start of a name on a word boundary: `start` moved left over the rest of a word it cuts, or None.

    jieba splits words its dictionary lacks, and a name found by its head can begin inside one:
    a quantity ("二十四|小时值班制度", "24|小时…"), 可 + verb ("可|持续发展机制"), an ordinal or
    a verb before a one-character word ("首|诊负责制", "执行|难源头治理制度"). A name after a
    determiner begins after the scope it points at ("本领域|行政处罚…制度" -> 行政处罚…制度, "本市|…").
    A name cut between two one-character words that no numeral joins is dropped ("先行先|试保障机制").
    """
    k = next((j for j, t in enumerate(tokens) if t[0] == start), None)
    if k is None:
        return start
    word = tokens[k][2]
    if word[:1] in ZH_DETERMINERS and word[1:] in ZH_SCOPE_NOUNS and tokens[k][1] < head_start:
        return tokens[k][1]  # 本市安全生产制度, 本村村规民约: the scope, then the name
    if k == 0:
        return start  # a clause's first word is whole
    first, prev = tokens[k], tokens[k - 1]
    if prev[3] == "m" and all(ch.isdigit() or ch in ZH_NUMERALS for ch in prev[2]):
        return prev[0]  # 二十四小时值班制度, 12345热线联动机制
    if prev[2] == "可" and first[3].startswith("v"):
        return prev[0]  # 可持续发展机制
    if len(first[2]) == 1 and first[3] in ("v", "vd", "d", "a", "ad") and first[2] not in ZH_NAME_PREFIXES and \
            k + 1 < len(tokens) and len(tokens[k + 1][2]) > 1:  # (老|旧小区: two characters jieba split, not a cut)
        if len(prev[2]) == 1 and prev[3] not in _ZH_FUNCTION_TAGS:
            return prev[0] if prev[3] == "m" else None  # 首诊负责制; 先行先|试… is dropped
        if first[3] == "a" and prev[3] == "v" and prev[2] not in ZH_LEFT_STOP:
            return prev[0]  # 执行难源头治理制度 (but 建立大调解…: 建立 governs)
    if prev[2] in ZH_DETERMINERS and first[2] in ZH_SCOPE_NOUNS and first[1] < head_start:
        return first[1]  # 本领域行政处罚裁量基准制度
    return start


def zh_bracket_word_start(text: str, pos: int) -> int | None:
    """Where a word starts when `pos` follows a bracketed alternative inside it: 居（村）民委员会 -> 居.

    None when `pos` does not follow such a bracket (a numbered item "（一）" is none).
    """
    m = re.search(rf"([{HAN_BMP}]+)[（(]([{HAN_BMP}、]{{1,5}})[）)]$", text[max(0, pos - 30): pos])
    if not m or all(ch in ZH_NUMERALS for ch in m.group(2)):
        return None
    run = m.group(1)
    tokens = zh_tokens(run)
    if not tokens or zh_ends_name(tokens, len(tokens) - 1):
        return None
    return pos - len(m.group()) + tokens[-1][0]


def _zh_starts_with_place(name: str) -> bool:
    """The name opens with an administrative place (A市, 滨州市, 浙江省): a government's regulation."""
    if re.match(r"[A-Z][0-9]{0,2}(?:市|区|县|省)", name):
        return True
    tokens = zh_tokens(name)
    return bool(tokens) and tokens[0][3] == "ns" and tokens[0][2].endswith(("省", "市", "县", "区", "州"))


def zh_generic(modifier: str) -> bool:
    """True when the modifier is one common word (工作, 管理, 保障, 长效): jieba's corpus frequency."""
    tokens = zh_tokens(modifier)
    if len(tokens) == 1:
        freq = zh_freq(modifier)
        return freq >= 500 or (len(modifier) <= 2 and freq >= 100)
    if len(tokens) == 2 and all(zh_freq(t[2]) >= 10000 and t[3] in ("v", "vn") for t in tokens):
        return True  # 管理工作, 服务管理 (but 管理人制度 is a system of its own)
    if len(tokens) == 2 and tokens[0][3] == "d" and zh_freq(tokens[1][2]) >= 5000:
        return True  # 日常管理, 相互联系: an adverb before one common word
    return False


_ZH_DEFINED = re.compile(
    rf"本(?:条例|规定|办法|法|决定|细则|规则)所称([{HAN_BMP}A-Za-z0-9]{{2,20}}?)(?:[（(][^）)]*[）)])?[，,]?\s*是指([^。；;]*)")
# A term the statute defines as one of these is a practice: "…是指…的养老服务模式" (an activity, such as
# 物业管理, is a field of work, not a method).
_ZH_DEFINED_AS = ("模式", "机制", "制度", "工作法", "办法")


def zh_defined_terms(ctx: Context) -> list[Candidate]:
    """Terms a statute defines as a model, mechanism, system or activity: 本条例所称居家养老服务是指…模式."""
    out = []
    for m in _ZH_DEFINED.finditer(ctx.text):
        definition = m.group(2).rstrip("等的 ")
        if ctx.lang_at(m.start()) != "zh" or not definition.endswith(_ZH_DEFINED_AS):
            continue
        if _ends_with_org(m.group(1)):
            continue
        out.append(Candidate(m.start(1), m.end(1), m.start(1), m.end(1), "alias", 3.0, cue="是指"))
    return out
