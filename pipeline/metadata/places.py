"""Places both languages share: the order in which a document's places are listed."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .types import Place

MAX_PLACES = 10


def rank_places(found: Iterable[tuple[Place, int, bool]]) -> tuple[Place, ...]:
    """Places in the header or title first (in order), then by frequency, then by first position.

    Args:
        found: every (place, character position, whether it is in the header or title) found.
    Returns:
        At most `MAX_PLACES` distinct places (case-folded name and level), each named as first found.
    """
    count: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    prominent: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}
    for place, pos, in_header in found:
        key = (place.name.casefold(), place.level)
        count[key] += 1
        first.setdefault(key, pos)
        names.setdefault(key, place.name)
        if in_header:
            prominent.setdefault(key, pos)
    order = sorted(count, key=lambda k: (0, prominent[k], 0) if k in prominent else (1, -count[k], first[k]))
    return tuple(Place(names[k], k[1]) for k in order[:MAX_PLACES])
