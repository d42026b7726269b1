"""Choosing practices from a catalogue: by a name as a reader types it (`find_practice`), by language,
place, kind, year and words in the name (`select_practices`), and one row per use (`use_rows`).
"""
from __future__ import annotations

from typing import Sequence

from ..errors import PracticeNotFound
from ..lang.vi import strip_diacritics
from ..lang.zh import to_simplified
from ..language import detect_language
from ..normalize import fold
from .lexicon import canonical_name
from .types import Practice


def _folded(text: str) -> str:
    """`text` in any case, tone or Chinese script, for matching words in names."""
    return strip_diacritics(fold("".join(to_simplified(ch) for ch in text)))


def select_practices(
    catalogue: Sequence[Practice], lang: str | None = None, place: str | None = None, min_mentions: int = 1,
    kind: str | None = None, years: tuple[int, int] | None = None, contains: str | None = None,
    include_unlisted: bool = False,
) -> list[Practice]:
    """The practices of `catalogue` that pass every filter given, most used first (documents, then
    mentions, then evidence); the filters are those of `Library.practices`, `years` a (first, last) range.
    Entries the listing model does not list (`Practice.listed`) are left out unless `include_unlisted`."""
    found = []
    for p in catalogue:
        if not (p.listed or include_unlisted):
            continue
        if lang and p.lang != lang or p.mention_count < min_mentions or kind and p.kind != kind:
            continue
        if place and not any(fold(place) in fold(pl) for u in p.uses for pl in u.places):
            continue
        if years and not any(u.date[:4].isdigit() and years[0] <= int(u.date[:4]) <= years[1] for u in p.uses):
            continue
        if contains and not any(_folded(contains) in _folded(v) for v in (p.name, *p.variants)):
            continue
        found.append(p)
    found.sort(key=lambda p: (-p.doc_count, -p.mention_count, -p.score, p.name))
    return found


def find_practice(name: str, catalogue: Sequence[Practice], where: str = "the index") -> Practice:
    """The practice called `name` (or one of its variants; else the one name containing it or contained in it).

    Raises:
        PracticeNotFound: none, or several close names (listed in the message) and no exact one.
    """
    lang = "zh" if detect_language(name) == "zh" else "vi"
    key = canonical_name("".join(to_simplified(ch) for ch in name), lang)
    for p in catalogue:
        if p.canonical == key or key in (canonical_name(v, p.lang) for v in p.variants):
            return p
    close = [p for p in catalogue if key and (key in p.canonical or p.canonical in key)]
    if len(close) == 1:
        return close[0]
    hint = ", ".join(p.name for p in close[:5]) or "see `govtext practices`"
    raise PracticeNotFound(f"no practice named {name!r} in {where}: {hint}")


def use_rows(practices: Sequence[Practice]) -> list[dict]:
    """One row per use of each practice: practice, lang, kind, doc_id, title, place (the document's most
    specific), year (its issue year, "" when unknown), date and section."""
    rows = []
    for p in practices:
        for u in p.uses:
            rows.append({
                "practice": p.name, "lang": p.lang, "kind": p.kind, "doc_id": u.doc_id, "title": u.title,
                "place": u.places[0] if u.places else "", "year": u.date[:4] if u.date[:4].isdigit() else "",
                "date": u.date, "section": u.section,
            })
    return rows
