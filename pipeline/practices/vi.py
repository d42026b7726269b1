"""Vietnamese mentions: quoted terms, names after a cue word ("mô hình", "phong trào"), slogans."""
from __future__ import annotations

import re

from .lexicon import (
    VI_CITATION, VI_CUES, VI_GOVERNING, VI_NEW_PHRASE, VI_OPEN_CUES, VI_ORG_FIRST, VI_SLOGAN_CUES, VI_SPEECH,
    VI_STOP, VI_TRAILING_WEAK, VI_WEAK_FIRST, actor_regex, continues_list, parallel, split_items,
)
from .context import Candidate, Context, vi_tokens
from .formulas import formula_in_quote


# ---------------------------------------------------------------- quoted terms


def vi_quoted(ctx, qs, qe, inner, accepted_ends) -> Candidate | None:
    """A Vietnamese quoted term that names a practice (after a cue or governing verb, in a list, a formula, a slogan)."""
    text = ctx.text
    syllables = inner.split()
    if not syllables or len(syllables) > 25:
        return None
    if inner.lstrip()[:1] in ",.;:!?":
        return None  # the text between two quotations, a closing mark paired with the next opening one
    before = text[max(0, qs - 60): qs]
    before_l = before.lower().rstrip()
    if before_l.endswith(":") and any(before_l[:-1].rstrip().endswith(v) for v in VI_SPEECH):
        return None
    if inner[-1] in ".!?" and len(syllables) > 6:
        return None  # quoted speech
    cue = ""
    for c in VI_CUES:
        m = re.search(rf"\b{c}(?:\s+mới)?(?:\s+về)?\s*:?\s*(?:\d+\s*)?$", before_l)
        if m:
            cue = c
            break
    if not cue:
        cue = _vi_governed(before_l)
    listed = continues_list(text, qs, accepted_ends)
    formula = formula_in_quote(ctx, qs + 1, qe, inner)
    if formula is not None:
        return formula
    if cue or listed:
        if len(syllables) > 20:
            return None
        return Candidate(qs, qe + 1, qs + 1, qe, "quoted", 2.5 if cue in VI_CUES else 2.0, cue=cue, quoted=True)
    items = split_items(inner, "vi")
    if len(syllables) <= 24 and _vi_role_slogan(items):
        return Candidate(qs, qe + 1, qs + 1, qe, "slogan", 2.5, quoted=True)
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
    _, to_type = actor_regex("vi")
    return subject in to_type and all(w.isalpha() and w.islower() for i in items for w in i.split()[1:])


def _vi_governed(before_l: str) -> str:
    tail = before_l[-40:]
    for verb in VI_GOVERNING:
        m = re.search(rf"\b{verb}(?:\s+(?:tốt|có hiệu quả|hiệu quả|thành công|rộng rãi|thực hiện))?\s*(?:các|những)?\s*$", tail)
        if m:
            return verb
    if re.search(r"\blễ\s+(?:phát động|hưởng ứng|ra quân)\b[^,.;]*$", tail):
        return "lễ"
    return ""


# ---------------------------------------------------------------- Vietnamese cue words

_VI_CUE_RE = re.compile(r"\b(" + "|".join(c for c in VI_OPEN_CUES) + r")\b", re.IGNORECASE)


def vi_cue_candidates(ctx: Context) -> list[Candidate]:
    """Unquoted names after an open cue word ("mô hình", "cơ chế", "phong trào", ...) in each sentence."""
    out = []
    for sstart, sentence in ctx.spans_with(ctx.sentences, "vi", _VI_CUE_RE):
        tokens = vi_tokens(sentence)
        for m in _VI_CUE_RE.finditer(sentence):
            c = _vi_named(ctx, sstart, sentence, tokens, m)
            if c:
                out.append(c)
    return out


def _vi_named(ctx, sstart, sentence, tokens, m) -> Candidate | None:
    """An unquoted name after a cue word: underthesea's words up to a preposition, verb of being,
    time word or punctuation ("quy chế phối hợp với Ban quản trị" -> "quy chế phối hợp")."""
    cue = m.group(1).lower()
    after = sentence[m.end():]
    if re.match(r"\s*[“\"'‘:]", after):
        return None  # quoted: handled by the quote rules
    if cue in VI_SLOGAN_CUES:
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
    if m.group(1)[0].isupper() and VI_CITATION.search(sentence[max(0, m.start() - 20): m.start()]):
        return None  # "theo Quy chế quản lý, sử dụng nhà chung cư": a legal text
    picked: list[tuple[int, int, str, str]] = []
    for i, t in enumerate(rest):
        w, tag = t[2], t[3]
        lw = w.lower()
        if tag in ("CH",) or not any(ch.isalnum() for ch in w):
            break
        if lw in VI_STOP or tag in ("E", "P", "L", "T", "C", "CC") and lw != "và":
            break
        if re.search(r"\d+/", w):
            break  # a document number
        if lw in VI_CUES:
            break
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if lw == "và":
            if not picked or nxt is None or nxt[3] not in ("V", "N") or nxt[2].lower() in VI_CUES or len(picked) < 2:
                break
            if nxt[2].lower() in VI_NEW_PHRASE:
                break  # "... yêu nước và công tác thi đua": a second noun phrase, not a conjunct of the name
        # after "mới" a verb is the sentence's predicate: "nông thôn mới đạt nhiều kết quả", "cơ chế
        # chính sách mới trình Chính phủ"; and "mới V được" is "only then can V": "quy chế quản lý kiến
        # trúc đô thị mới giải quyết được" ends before "mới"
        if picked and picked[-1][2].lower() == "mới" and picked[-1][3] == "R" and tag == "V":
            break
        if lw == "mới" and tag == "R" and nxt is not None and nxt[3] == "V" and i + 2 < len(rest) and \
                rest[i + 2][2].lower() == "được":
            break
        if not picked and (lw in VI_WEAK_FIRST or tag in ("A", "R") and lw not in ("toàn",)):
            return None
        if not picked and tag == "M" and not (i + 1 < len(rest) and rest[i + 1][3] in ("N", "Nc", "Nu")):
            return None  # "mô hình 2 vụ lúa ..." is a name, "mô hình 200" is not
        if sum(len(p[2].split()) for p in picked) + len(w.split()) > 12:
            break
        picked.append(t)
    # trailing adjectives describe the name ("cơ chế tài chính rõ ràng"); "mới" belongs to it
    # ("xây dựng nông thôn mới")
    while picked and (picked[-1][2].lower() == "và" or picked[-1][2].lower() in VI_TRAILING_WEAK or
                      (picked[-1][3] == "A" and picked[-1][2].lower() != "mới" and len(picked) > 1)):
        picked.pop()
    if not picked:
        return None
    if re.match(r"\s*[“\"‘]", sentence[picked[-1][1]:]):
        return None  # "phong trào ra quân thực hiện “…”": the quoted name is the practice
    if any(ch.isupper() for ch in picked[0][2][:1]) and picked[0][2].startswith(VI_ORG_FIRST):
        return None
    s = sstart + m.start()
    e = sstart + picked[-1][1]
    while e > s and not ctx.text[e - 1].isalnum():
        e -= 1  # "theo mô hình BOT.": the token kept the full stop
    n_words = len(picked)
    strength = 1.0 if n_words == 1 else 1.5
    return Candidate(s, e, sstart + name_from, e, "cue", strength, cue=cue)


def _vi_slogan_after(ctx, sstart, sentence, m) -> Candidate | None:
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
                return Candidate(sstart + pos, sstart + pos + formula.end(), sstart + pos, sstart + pos + formula.end(),
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
        if len(candidate) >= 2 and not parallel(candidate, "vi"):
            break
        items = candidate
    if len(items) < 2 and not (items and 2 <= len(items[0].split()) <= 8):
        return None
    text_span = ", ".join(items)
    e = sentence.find(items[-1], pos) + len(items[-1])
    s = pos
    if not sentence[s:e].startswith(items[0]):
        return None
    return Candidate(sstart + s, sstart + e, sstart + s, sstart + e, "slogan", 2.0 if len(items) >= 2 else 1.5,
                 cue=m.group(1).lower()) if text_span else None


_VI_PARALLEL = re.compile(r"\b(\w+)\s+\w+(?:\s+\w+)?(?:,\s+\1\s+\w+(?:\s+\w+)?){2,}(?=\s*[,.;:!?”\"]|\s*$)",
                          re.UNICODE)


def vi_parallel_candidates(ctx: Context) -> list[Candidate]:
    """Unquoted slogans of three or more short clauses with one subject: "dân biết, dân bàn, dân làm"."""
    out = []
    for m in _VI_PARALLEL.finditer(ctx.text):
        if ctx.lang_at(m.start()) != "vi":
            continue
        subject = m.group(1)
        if not subject.isalpha() or subject.lower() in ("các", "những", "không", "và", "có", "là", "biết"):
            continue
        items = split_items(m.group(), "vi")
        if not _vi_role_slogan(items):
            continue
        out.append(Candidate(m.start(), m.end(), m.start(), m.end(), "slogan", 2.0))
    return out
