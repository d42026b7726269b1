"""The practice layer's records: mentions in one document, and practices with their uses and evidence."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping


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
class QuotedSpan:
    """A stretch of one document's text quoted beside a practice: where it is and what it says."""

    doc_id: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Evidence(QuotedSpan):
    """A sentence or passage that says what a practice is (its definition or its steps)."""

    cue: str


@dataclass(frozen=True)
class Component:
    """One part of a numeric formula (一征 of 一征三议两公开) and the sentence that defines it, if any."""

    part: str
    doc_id: str = ""
    start: int = 0
    end: int = 0
    text: str = ""  # the defining clause ("“一征”即征求群众意见"), "" when no document defines the part

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Actor:
    """An actor type named beside a practice (党支部, 业委会, chi bộ, Ban quản trị, ...)."""

    type: str
    names: tuple[str, ...]
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "names": list(self.names), "count": self.count}


@dataclass(frozen=True)
class Outcome(QuotedSpan):
    """A result with a figure reported beside a practice ("三率"均要在90%以上, 100余起, đạt 95%)."""

    figure: str


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
    # how sure the listing model (`listing.py`) is that this is a practice, None when no model scored it;
    # `listed` entries are shown by default, the others are candidates shown when all entries are asked for
    confidence: float | None = None
    listed: bool = True

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
            "confidence": self.confidence, "listed": self.listed,
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
        confidence=d.get("confidence"), listed=d.get("listed", True),
    )
