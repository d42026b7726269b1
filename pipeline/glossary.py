"""Bilingual glossary of governance terms (Vietnamese ↔ Chinese) for cross-lingual query expansion.

Each row of `data/glossary.tsv` is one concept: its Vietnamese forms, its simplified Chinese forms
(the first of each is the preferred form) and a short English note, e.g.
Ban quản trị nhà chung cư|ban quản trị ↔ 业主委员会|业委会 (owners' committee). The terms were
checked against the vi-gov and zh-gov corpora; nearly all occur in both.

Matching (`Glossary.find`), longest match first, then left to right, without overlaps:

- **Chinese** is matched after `fold` (full-width → ASCII, traditional → simplified, one character
  for one, so 業主委員會 matches 业主委员会 at the same offsets). A one-character form (区, 省,
  县, 市, 村, ...) is part of so many words (社区, 小区, 城市) that it only counts where it stands
  alone: no Han character on either side.
- **Vietnamese** is matched on whole syllables, case-insensitively, with one tone placement
  (uỷ = ủy, see `pipeline.normalize`); the syllables of a form may be separated by spaces, hyphens
  or one comma ("phòng cháy, chữa cháy"). When the text has no diacritics at all ("ban quan tri"),
  forms are matched with theirs stripped too, except one-syllable forms other than acronyms
  ("xa" is not "xã") and forms that two concepts share once stripped.

Importing this module loads no segmenter or model: matching is dictionary look-ups.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import GlossaryError
from .lang import other_language
from .lang.vi import strip_diacritics
from .lang.zh import CJK
from .normalize import fold, normalize_text

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.tsv"
# Pairs mined from the corpora by bench/glossary_mine.py (cross-lingual neighbours, CSLS), with scores.
MINED_FILE = Path(__file__).parent / "data" / "glossary_mined.tsv"
MINED_MIN_CSLS = 0.0
LANGS = ("vi", "zh")
HEADER = ("vi", "zh", "note")

_HAN_CHAR = re.compile(f"[{CJK}]")  # any East Asian character: a text with one is not Vietnamese
# A Latin-script syllable: letters and digits (not Han), with any combining marks of non-NFC text.
_SYLLABLE = re.compile(f"[^\\W_{CJK}](?:[^\\W_{CJK}]|[\u0300-\u036f])*")
# What may stand between two syllables of one term: spaces, hyphens or dashes, at most one comma.
_JOINER = re.compile(r"[\s\-–—]*,?[\s\-–—]*")


# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept: its Vietnamese and Chinese forms (preferred first) and an English note."""

    vi: tuple[str, ...]
    zh: tuple[str, ...]
    note: str

    def forms(self, lang: str) -> tuple[str, ...]:
        """The forms in `lang` ("vi" or "zh"), the preferred one first."""
        if lang == "vi":
            return self.vi
        if lang == "zh":
            return self.zh
        raise ValueError(f"unknown glossary language {lang!r}: use 'vi' or 'zh'")

    def preferred(self, lang: str) -> str:
        """The preferred form in `lang`."""
        return self.forms(lang)[0]


@dataclass(frozen=True)
class TermMatch:
    """A glossary form found in a text: `text[start:end] == surface`, written in `lang`."""

    entry: GlossaryEntry
    surface: str
    lang: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the span, the surface and the concept's forms and note."""
        return {
            "surface": self.surface, "lang": self.lang, "start": self.start, "end": self.end,
            "vi": list(self.entry.vi), "zh": list(self.entry.zh), "note": self.entry.note,
        }


@dataclass(frozen=True)
class Expansion:
    """A query's glossary terms and their equivalents in the other language."""

    query: str
    source_lang: str
    target_lang: str
    matches: tuple[TermMatch, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """The preferred target-language form of each matched concept, without repeats, in query order."""
        return tuple(dict.fromkeys(m.entry.preferred(self.target_lang) for m in self.matches))

    @property
    def text(self) -> str:
        """The expansion query: the target terms joined by spaces ("" when nothing matched)."""
        return " ".join(self.terms)

    @property
    def coverage(self) -> float:
        """The share of the query's non-space characters that lie inside a match, 0..1."""
        total = sum(not ch.isspace() for ch in self.query)
        covered = sum(not ch.isspace() for m in self.matches for ch in self.query[m.start : m.end])
        return covered / total if total else 0.0

    def explain(self) -> list[str]:
        """One line per matched concept: "业主委员会 → Ban quản trị nhà chung cư (owners' committee)"."""
        lines = (
            f"{m.surface} → {m.entry.preferred(self.target_lang)} ({m.entry.note})" for m in self.matches
        )
        return list(dict.fromkeys(lines))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the query, the languages, the terms, the coverage and the matches."""
        return {
            "query": self.query,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "text": self.text,
            "terms": list(self.terms),
            "coverage": self.coverage,
            "matches": [
                {**m.to_dict(), "translation": m.entry.preferred(self.target_lang)} for m in self.matches
            ],
        }


# ---------------------------------------------------------------- the glossary


@dataclass(frozen=True)
class _Form:
    """A form prepared for matching: its key (syllable keys, or folded Chinese), its entry, its length."""

    key: tuple[str, ...] | str
    entry: GlossaryEntry
    size: int


class Glossary:
    """Glossary entries with indexes for finding their forms in Vietnamese and Chinese text.

    Args:
        entries: the concepts; a form (after folding, case and tone placement) may belong to one only.
    Raises:
        GlossaryError: an entry lacks a language, has an empty form, or shares a form with another.

    >>> glossary = load_glossary()
    >>> glossary.expand("业主委员会").text
    'Ban quản trị nhà chung cư'
    """

    def __init__(self, entries: Iterable[GlossaryEntry]):
        self.entries = tuple(entries)
        self._zh: dict[str, list[_Form]] = {}
        self._vi: dict[str, list[_Form]] = {}
        self._vi_plain: dict[str, list[_Form]] = {}
        owners: dict[tuple[str, Any], GlossaryEntry] = {}
        plain_owners: dict[tuple[str, ...], set[GlossaryEntry]] = {}
        for entry in self.entries:
            if not entry.vi or not entry.zh:
                raise GlossaryError(f"glossary entry {entry.note!r} lacks its Vietnamese or Chinese forms")
            for lang in LANGS:
                for form in entry.forms(lang):
                    key = _zh_key(form) if lang == "zh" else _vi_keys(form)
                    if not key:
                        raise GlossaryError(f"entry {entry.note!r} has an empty {lang} form {form!r}")
                    other = owners.get((lang, key))
                    if other is not None:
                        raise GlossaryError(
                            f"the {lang} form {form!r} is listed twice (under {other.preferred(lang)!r} "
                            f"and {entry.preferred(lang)!r}): keep it once"
                        )
                    owners[(lang, key)] = entry
                    if lang == "zh":
                        self._zh.setdefault(key[0], []).append(_Form(key, entry, len(key)))
                    else:
                        self._vi.setdefault(key[0], []).append(_Form(key, entry, len(key)))
                        if len(key) > 1 or form.isupper() or strip_diacritics(form) == form:
                            plain = tuple(strip_diacritics(k) for k in key)
                            plain_owners.setdefault(plain, set()).add(entry)
        for plain, found in plain_owners.items():
            if len(found) == 1:  # a stripped form two concepts share would be a guess
                self._vi_plain.setdefault(plain[0], []).append(_Form(plain, found.pop(), len(plain)))
        for index in (self._zh, self._vi, self._vi_plain):
            for forms in index.values():
                forms.sort(key=lambda f: -f.size)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    def find(self, text: str, lang: str) -> list[TermMatch]:
        """The glossary terms in `text`: longest first, then left to right, never overlapping.

        Args:
            text: a query or passage in `lang` (not necessarily normalised).
            lang: "vi" or "zh".
        Returns:
            TermMatches in text order, with offsets into `text`.

        >>> [m.surface for m in load_glossary().find("業主委員會和物业公司", "zh")]
        ['業主委員會', '物业公司']
        """
        if lang == "zh":
            candidates = self._zh_candidates(text)
        elif lang == "vi":
            candidates = self._vi_candidates(text)
        else:
            raise ValueError(f"unknown glossary language {lang!r}: use 'vi' or 'zh'")
        taken = bytearray(len(text))
        chosen: list[tuple[int, int, GlossaryEntry]] = []
        for start, end, entry in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                chosen.append((start, end, entry))
        chosen.sort(key=lambda c: c[0])
        return [TermMatch(entry, text[start:end], lang, start, end) for start, end, entry in chosen]

    def expand(self, query: str, source_lang: str | None = None, target_lang: str | None = None) -> Expansion:
        """The query's glossary terms and their preferred equivalents in the other language.

        Args:
            query: a search query.
            source_lang: "vi" or "zh"; None guesses from the script (any Han character: zh, else vi).
            target_lang: "vi" or "zh"; None means the other one.
        Returns:
            An Expansion; its `text` is the cross-lingual query, `explain()` says where each term came from.

        >>> load_glossary().expand("chi bộ và đảng viên").terms
        ('党支部', '党员')
        """
        source = source_lang or guess_lang(query)
        target = target_lang or other_language(source)
        for lang in (source, target):
            if lang not in LANGS:
                raise ValueError(f"unknown glossary language {lang!r}: use 'vi' or 'zh'")
        return Expansion(query, source, target, tuple(self.find(query, source)))

    def translate(self, term: str, lang: str | None = None) -> str | None:
        """The preferred form in the other language of `term`, a whole glossary form in `lang`.

        Args:
            term: one term, e.g. "ban quản trị", "業委會", "chi bo".
            lang: the term's language, "vi" or "zh"; None guesses it from the script.
        Returns:
            The other language's preferred form, or None when `term` is not exactly one glossary form.
        """
        lang = lang or guess_lang(term)
        stripped = term.strip()
        matches = self.find(stripped, lang)
        if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(stripped):
            return matches[0].entry.preferred(other_language(lang))
        return None

    # ------------------------------------------------------------ matching

    def _zh_candidates(self, text: str) -> list[tuple[int, int, GlossaryEntry]]:
        folded = fold(text)
        found = []
        for i, ch in enumerate(folded):
            for form in self._zh.get(ch, ()):
                if folded.startswith(form.key, i):
                    end = i + form.size
                    if form.size > 1 or _stands_alone(folded, i, end):
                        found.append((i, end, form.entry))
        return found

    def _vi_candidates(self, text: str) -> list[tuple[int, int, GlossaryEntry]]:
        spans = [m.span() for m in _SYLLABLE.finditer(text)]
        if not spans:
            return []
        keys = [_syllable_key(text[s:e]) for s, e in spans]
        plain = [strip_diacritics(key) for key in keys]
        index = self._vi
        if plain == keys:  # no diacritics in the text: match forms without theirs
            index = self._vi_plain
        joined = [False] + [
            _JOINER.fullmatch(text, spans[i - 1][1], spans[i][0]) is not None for i in range(1, len(spans))
        ]
        found = []
        for i, key in enumerate(keys):
            for form in index.get(key, ()):
                last = i + form.size - 1
                if (
                    last < len(keys)
                    and tuple(keys[i : last + 1]) == form.key
                    and all(joined[i + 1 : last + 1])
                ):
                    found.append((spans[i][0], spans[last][1], form.entry))
        return found


def guess_lang(text: str) -> str:
    """ "zh" if `text` has any Han character, else "vi"."""
    return "zh" if _HAN_CHAR.search(text) else "vi"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """No Han character touches text[start:end] on either side."""
    return not (start > 0 and _HAN_CHAR.match(text, start - 1)) and not _HAN_CHAR.match(text, end)


@lru_cache(maxsize=65536)
def _syllable_key(syllable: str) -> str:
    """A syllable's matching form: NFC, one tone placement, folded case."""
    return fold(normalize_text(syllable))


def _vi_keys(form: str) -> tuple[str, ...]:
    return tuple(_syllable_key(m.group()) for m in _SYLLABLE.finditer(form))


def _zh_key(form: str) -> str:
    return fold(form.strip())


# ---------------------------------------------------------------- loading


def load_glossary(path: str | Path | None = None) -> Glossary:
    """The glossary in a TSV file; the shipped one (read once, then cached) when `path` is None.

    The file is UTF-8 with a header line `vi<TAB>zh<TAB>note`, then one concept a line: Vietnamese
    forms separated by "|", simplified Chinese forms separated by "|" (preferred forms first), and a
    short English note. Blank lines are ignored.

    Args:
        path: a glossary file, or None for `data/glossary.tsv`.
    Returns:
        The Glossary.
    Raises:
        GlossaryError: the file cannot be read, its header is wrong, a row does not have the three
            fields, a language or the note is missing, a form is empty, or a form is in two rows.
    """
    if path is None:
        return _shipped_glossary()
    return _read_glossary(Path(path))


@lru_cache(maxsize=1)
def _shipped_glossary() -> Glossary:
    return _read_glossary(GLOSSARY_FILE)


def mined_entries(path: str | Path = MINED_FILE, min_csls: float = MINED_MIN_CSLS,
                  kinds: tuple[str, ...] = ("neighbour", "hanviet")) -> list[GlossaryEntry]:
    """The mined pairs at or above `min_csls`, as one-form entries (note "mined, CSLS 0.41")."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    head = lines[0].split("\t") if lines else []
    out = []
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        if float(row["csls"]) >= min_csls and row["kind"] in kinds:
            out.append(GlossaryEntry((row["vi"],), (row["zh"],), f"mined, CSLS {float(row['csls']):.2f}"))
    return out


def extended_glossary(mined: Iterable[GlossaryEntry] | None = None) -> Glossary:
    """The shipped glossary plus mined pairs whose forms it does not already hold (it wins on overlap)."""
    if mined is None:
        return _extended_glossary()
    hand = _shipped_glossary()
    owned = {("zh", _zh_key(f)) for e in hand for f in e.zh} | {("vi", _vi_keys(f)) for e in hand for f in e.vi}
    extra = []
    for entry in mined:
        keys = {("zh", _zh_key(f)) for f in entry.zh} | {("vi", _vi_keys(f)) for f in entry.vi}
        if not keys & owned:
            owned |= keys
            extra.append(entry)
    return Glossary((*hand.entries, *extra))


@lru_cache(maxsize=1)
def _extended_glossary() -> Glossary:
    return extended_glossary(mined_entries())


def _read_glossary(path: Path) -> Glossary:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read the glossary {path}: {exc}") from exc
    if not lines or tuple(field.strip() for field in lines[0].split("\t")) != HEADER:
        raise GlossaryError(f"{path}: the first line must be the header 'vi<TAB>zh<TAB>note'")
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise GlossaryError(
                f"{path}:{number}: expected 3 tab-separated fields (vi, zh, note), got {len(fields)}"
            )
        vi, zh, note = (field.strip() for field in fields)
        if not vi or not zh or not note:
            missing = [name for name, value in zip(HEADER, (vi, zh, note)) if not value]
            raise GlossaryError(f"{path}:{number}: the {' and '.join(missing)} field is empty")
        vi_forms = tuple(form.strip() for form in vi.split("|"))
        zh_forms = tuple(form.strip() for form in zh.split("|"))
        if not all(vi_forms) or not all(zh_forms):
            raise GlossaryError(f"{path}:{number}: an empty form (a stray '|')")
        entries.append(GlossaryEntry(vi_forms, zh_forms, note))
    try:
        return Glossary(entries)
    except GlossaryError as exc:
        raise GlossaryError(f"{path}: {exc}") from exc
