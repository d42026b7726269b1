"""What the practice layer hands back to read: the catalogue, a practice card, a side-by-side comparison
and a document view with one passage highlighted.

Each is a small object that renders as HTML in Jupyter (`_repr_html_`), as plain text in a terminal
(`to_text`) and as JSON for scripts (`to_dict`). They hold results; `pipeline.api.Library` builds them.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..lang import other_language
from ..types import DocMeta
from .types import Practice, Use

_LANG_NAMES = {"vi": "Tiếng Việt", "zh": "中文"}


def _esc(text: str) -> str:
    return html.escape(text or "")


def _marked_html(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` escaped, with `spans` (offsets into `text`) wrapped in <mark>."""
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos or e <= s:
            continue
        out += [_esc(text[pos:s]), "<mark>", _esc(text[s:e]), "</mark>"]
        pos = e
    out.append(_esc(text[pos:]))
    return "".join(out)


def use_citation(use: Use, page: int | None = None, lang: str = "") -> str:
    """Where a use of a practice is (`pipeline.citations.Citation`): document, date, section, page, and the
    offsets of the passage around it."""
    from ..citations import Citation

    return Citation(doc_id=use.doc_id, title=use.title, lang=lang, source=use.source, date=use.date,
                    section=use.section, page=page, start=use.passage_start, end=use.passage_end).text()


def _years(p: Practice) -> list[str]:
    return sorted({u.date[:4] for u in p.uses if u.date[:4].isdigit()})


def _places(p: Practice, limit: int = 3) -> list[str]:
    seen: dict[str, None] = {}
    for u in p.uses:
        for place in u.places[:1]:  # a document's most specific place
            seen.setdefault(place)
    return list(seen)[:limit]


class Catalogue(list):
    """Practices, most used first (a list of `pipeline.practices.Practice`) that renders as a table."""

    def __init__(self, practices: Iterable[Practice], documents: int = 0, total: int | None = None, unlisted: int = 0):
        super().__init__(practices)
        self.documents = documents
        self.total = len(self) if total is None else total  # before any limit
        self.unlisted = unlisted  # entries passing the filters that the listing model does not list (left out)

    def head(self, n: int) -> "Catalogue":
        """The first `n` practices (all when `n` is 0), remembering how many there were."""
        return Catalogue(self[:n] if n else self, self.documents, self.total, self.unlisted)

    def page(self, number: int, per_page: int) -> "Catalogue":
        """Page `number` (from 1) of `per_page` practices, remembering how many there were in all."""
        start = (number - 1) * per_page
        return Catalogue(self[start : start + per_page], self.documents, self.total, self.unlisted)

    def unlisted_note(self) -> str:
        """What the listing left out, for every face: "" when nothing was."""
        if not self.unlisted:
            return ""
        return (f"{self.unlisted} more candidate entries are not listed (the listing model is not confident "
                "they are practices): ask for all entries to see them")

    def pages(self, per_page: int) -> int:
        """How many pages of `per_page` the whole catalogue fills (at least 1)."""
        return max(1, -(-self.total // per_page))

    def kinds(self) -> list[str]:
        return sorted({p.kind for p in self})

    def to_dicts(self, full: bool = False) -> list[dict]:
        if full:
            return [p.to_dict() for p in self]
        return [summary_dict(p) for p in self]

    def to_text(self) -> str:
        shown = f"{len(self)} of {self.total}" if self.total != len(self) else str(len(self))
        lines = [f"{shown} practices in {self.documents} documents (documents · mentions · name)"]
        for i, p in enumerate(self, start=1):
            where = ", ".join(_places(p))
            years = _years(p)
            when = f"{years[0]}–{years[-1]}" if len(years) > 1 else (years[0] if years else "")
            extra = " · ".join(x for x in (where, when) if x)
            mark = "" if p.listed else "  [candidate]"
            lines.append(f"{i:3}. [{p.lang}] {p.doc_count:3} · {p.mention_count:3} · {p.name}"
                         + (f"  ({extra})" if extra else "") + mark)
        if self.unlisted_note():
            lines.append(self.unlisted_note())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{i}</td><td><b>{_esc(p.name)}</b></td><td>{p.lang}</td><td>{_esc(p.kind)}</td>"
            f"<td>{p.doc_count}</td><td>{p.mention_count}</td><td>{_esc(', '.join(_places(p)))}</td>"
            f"<td>{_esc(', '.join(_years(p)))}</td></tr>"
            for i, p in enumerate(self, start=1)
        )
        note = f"<p>{_esc(self.unlisted_note())}</p>" if self.unlisted_note() else ""
        return (
            f"<p>{len(self)} practices in {self.documents} documents</p>{note}<table><tr><th>#</th><th>practice</th>"
            "<th>lang</th><th>kind</th><th>documents</th><th>mentions</th><th>places</th><th>years</th></tr>"
            f"{rows}</table>"
        )


def _candidate_note(p: Practice) -> str:
    return (f"A candidate, not listed in the catalogue: the listing model gives it {p.confidence:.2f} "
            "(it may be a generic phrase, a cut name or another sense; read its uses).")


def summary_dict(p: Practice) -> dict[str, Any]:
    """A catalogue row: the practice without its passages."""
    return {
        "name": p.name, "canonical": p.canonical, "lang": p.lang, "kind": p.kind, "score": round(p.score, 3),
        "doc_count": p.doc_count, "mention_count": p.mention_count, "variants": list(p.variants),
        "places": _places(p, limit=10), "years": _years(p),
        "definition": p.definitions[0].text if p.definitions else "",
        "listed": p.listed, "confidence": p.confidence,
    }


@dataclass(frozen=True)
class Nearby:
    """A practice of the other language close to a card's practice (cosine of their passages' vectors)."""

    name: str
    lang: str
    score: float
    doc_count: int
    titles: tuple[str, ...]
    definition: str = ""
    passage: str = ""  # the passage of its first use, quoted
    citation: str = ""  # where that passage is

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "lang": self.lang, "score": round(self.score, 4), "doc_count": self.doc_count,
                "titles": list(self.titles), "definition": self.definition, "passage": self.passage,
                "citation": self.citation}


@dataclass(frozen=True)
class PracticeCard:
    """Everything known about one practice: definition, components, actors, outcomes, cited uses,
    and the nearest practices in the other language."""

    practice: Practice
    nearest: tuple[Nearby, ...] = ()
    glossary: tuple[str, ...] = ()  # glossary equivalents of the name's terms, explained
    pages: dict = field(default_factory=dict)  # (doc_id, start) -> page of each use

    @property
    def name(self) -> str:
        return self.practice.name

    def documents(self) -> list[Use]:
        """The first use of the practice in each document that uses it, in the order of the uses."""
        first: dict[str, Use] = {}
        for u in self.practice.uses:
            first.setdefault(u.doc_id, u)
        return list(first.values())

    def citations(self) -> list[str]:
        return [use_citation(u, self.pages.get((u.doc_id, u.start)), self.practice.lang) for u in self.practice.uses]

    def to_dict(self) -> dict[str, Any]:
        d = self.practice.to_dict()
        for u, c in zip(d["uses"], self.citations()):
            u["citation"] = c
            u["page"] = self.pages.get((u["doc_id"], u["start"]))
        d["nearest"] = [n.to_dict() for n in self.nearest]
        d["glossary"] = list(self.glossary)
        return d

    def to_text(self, mark: tuple[str, str] = ("【", "】")) -> str:
        p = self.practice
        lines = [f"{p.name}  [{p.lang}, {p.kind}] · {p.doc_count} documents · {p.mention_count} mentions"]
        if not p.listed:
            lines.append(_candidate_note(p))
        if len(p.variants) > 1:
            lines.append("variants: " + " | ".join(p.variants))
        if p.definitions:
            lines.append("\nDefinition and components:")
            lines += [f"  - {_one_line(d.text)}" for d in p.definitions]
        if p.components:
            lines.append("\nParts of the formula:")
            lines += [f"  - {c.part}: {_one_line(c.text) if c.text else '(not defined in these documents)'}"
                      for c in p.components]
        if p.actors:
            lines.append("\nActors: " + "; ".join(f"{a.type} ({', '.join(a.names[:3])})" for a in p.actors))
        if p.outcomes:
            lines.append("\nOutcomes:")
            lines += [f"  - {o.figure}: {_one_line(o.text)}" for o in p.outcomes]
        lines.append("\nUses:")
        for u, cite in zip(p.uses, self.citations()):
            s, e = u.start - u.passage_start, u.end - u.passage_start
            text = u.passage[:s] + mark[0] + u.passage[s:e] + mark[1] + u.passage[e:]
            lines.append(f"  - {_one_line(text)}\n    [{cite}]")
        if self.nearest:
            lines.append("\nNearest practices in the other language:")
            for n in self.nearest:
                lines.append(f"  - {n.name} [{n.lang}] {n.score:.3f} · {n.doc_count} documents")
                if n.passage:
                    lines.append(f"    {_one_line(n.passage)}\n    [{n.citation}]")
        if self.glossary:
            lines.append("\nGlossary: " + "; ".join(self.glossary))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        p = self.practice
        parts = [f"<h3>{_esc(p.name)} <small>[{p.lang}] {_esc(p.kind)} · {p.doc_count} documents · "
                 f"{p.mention_count} mentions</small></h3>"]
        if not p.listed:
            parts.append(f'<p class="note">{_esc(_candidate_note(p))}</p>')
        if len(p.variants) > 1:
            parts.append(f"<p><small>variants: {_esc(' | '.join(p.variants))}</small></p>")
        if p.definitions:
            parts.append("<b>Definition and components</b><ul>"
                         + "".join(f"<li>{_esc(d.text)}</li>" for d in p.definitions) + "</ul>")
        if p.components:
            parts.append("<b>Parts of the formula</b><ul>" + "".join(
                f"<li><b>{_esc(c.part)}</b>: {_esc(c.text) if c.text else '<i>not defined in these documents</i>'}</li>"
                for c in p.components) + "</ul>")
        if p.actors:
            parts.append("<b>Actors</b>: " + _esc("; ".join(f"{a.type} ({', '.join(a.names[:3])})" for a in p.actors)))
        if p.outcomes:
            parts.append("<br><b>Outcomes</b><ul>" + "".join(
                f"<li><b>{_esc(o.figure)}</b>: {_esc(o.text)}</li>" for o in p.outcomes) + "</ul>")
        parts.append("<b>Uses</b>")
        for u, cite in zip(p.uses, self.citations()):
            body = _marked_html(u.passage, [(u.start - u.passage_start, u.end - u.passage_start)])
            parts.append(f"<blockquote style='margin:4px 0 4px 8px'>{body}<br><small>{_esc(cite)}</small></blockquote>")
        if self.nearest:
            parts.append("<b>Nearest practices in the other language</b><ul>" + "".join(
                f"<li><b>{_esc(n.name)}</b> <small>[{n.lang}] {n.score:.3f}</small>"
                f"<blockquote style='margin:2px 0 6px 8px'>{_esc(n.passage)}<br><small>{_esc(n.citation)}</small>"
                "</blockquote></li>"
                for n in self.nearest) + "</ul>")
        if self.glossary:
            parts.append(f"<p><small>glossary: {_esc('; '.join(self.glossary))}</small></p>")
        return "<div>" + "".join(parts) + "</div>"


@dataclass(frozen=True)
class DocumentView:
    """A stored document as a reader sees it, with one passage highlighted.

    The text is shown as `pipeline.export.quoted_passage` quotes it: line breaks inside a sentence
    joined; skip spans (repeated captions, share buttons, distribution lists, signature blocks)
    are kept but greyed. Renders as HTML in Jupyter (the passage first, then the whole text, the
    passage marked), as text and as a dict.
    """

    doc: Any  # pipeline.types.Document
    meta: DocMeta = field(default_factory=DocMeta)
    url: str = ""
    start: int | None = None
    end: int | None = None
    skip: tuple[tuple[int, int], ...] = ()

    def _joined(self) -> tuple[str, list[tuple[int, int]], tuple[int, int] | None]:
        """(the joined text, skip spans in it, the passage in it)."""
        from ..normalize import joined_lines

        spans = list(self.skip)
        marked = self.start is not None and self.end is not None and self.end > self.start
        if marked:
            spans.append((self.start, self.end))
        text, moved = joined_lines(self.doc.text, 0, len(self.doc.text), tuple(spans))
        return text, list(moved[: len(self.skip)]), (moved[-1] if marked else None)

    def heading(self) -> str:
        """Type, number, issuer, date, source and the full id."""
        about = [v for v in (self.meta.doc_type_name, self.meta.number, self.meta.issuer, self.meta.issue_date) if v]
        return " · ".join([*about, self.doc.source, f"doc {self.doc.id}"])

    def to_dict(self) -> dict[str, Any]:
        text, skip, passage = self._joined()
        return {"doc_id": self.doc.id, "title": self.doc.title, "source": self.doc.source, "url": self.url,
                "lang": self.doc.lang, "meta": self.meta.to_dict(), "text": text, "skip": [list(s) for s in skip],
                "passage": list(passage) if passage else None,
                "passage_text": text[passage[0]: passage[1]] if passage else ""}

    def to_text(self, mark: tuple[str, str] = ("【", "】")) -> str:
        text, _, passage = self._joined()
        if passage:
            text = text[: passage[0]] + mark[0] + text[passage[0]: passage[1]] + mark[1] + text[passage[1]:]
        return "\n".join(x for x in (self.doc.title, self.heading(), self.url, "", text) if x is not None)

    def _repr_html_(self) -> str:
        text, skip, passage = self._joined()
        events = sorted([(s, 0, "<span style='color:#999'>") for s, _ in skip] + [(e, 1, "</span>") for _, e in skip]
                        + ([(passage[0], 2, "<mark>"), (passage[1], -1, "</mark>")] if passage else []),
                        key=lambda x: (x[0], x[1]))
        body, pos = [], 0
        for at, _, tag in events:
            body += [_esc(text[pos:at]), tag]
            pos = at
        body.append(_esc(text[pos:]))
        link = f"<br><small><a href='{_esc(self.url)}'>{_esc(self.url)}</a></small>" if self.url else ""
        head = f"<div style='text-align:left'><b>{_esc(self.doc.title or self.doc.source)}</b>" \
               f"<br><small>{_esc(self.heading())}</small>{link}"
        quoted = (f"<blockquote style='margin:6px 0 6px 8px;text-align:left'>"
                  f"{_marked_html(text[passage[0]: passage[1]], [(0, passage[1] - passage[0])])}"
                  f"<br><small>chars {self.start}-{self.end}</small></blockquote>") if passage else ""
        full = (f"<details{'' if passage else ' open'}><summary>the whole document</summary>"
                f"<div style='white-space:pre-wrap;text-align:left;max-height:40em;overflow:auto'>{''.join(body)}</div>"
                "</details>")
        return head + quoted + full + "</div>"


@dataclass(frozen=True)
class Comparison:
    """Vietnamese and Chinese results for one query, side by side, with the glossary terms used."""

    query: str
    query_lang: str
    results: dict  # "vi" / "zh" -> SearchResults
    glossary: tuple[str, ...] = ()  # how the query was expanded into the other language

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "query_lang": self.query_lang, "glossary": list(self.glossary),
                **{lang: hits.to_dicts() for lang, hits in self.results.items()}}

    def to_text(self, width: int = 120, mark: tuple[str, str] = ("【", "】")) -> str:
        col = max(30, (width - 3) // 2)
        langs = ("vi", "zh")
        lines = []
        if self.glossary:
            lines.append("glossary: " + "; ".join(self.glossary))
        lines.append(_pad(_LANG_NAMES["vi"], col) + " │ " + _LANG_NAMES["zh"])
        lines.append("─" * col + "─┼─" + "─" * col)
        n = max((len(self.results.get(lang, ())) for lang in langs), default=0)
        for i in range(n):
            cells = []
            for lang in langs:
                hits = self.results.get(lang, ())
                if i >= len(hits):
                    cells.append([])
                    continue
                h = hits[i]
                about = " · ".join(v for v in (h.meta.doc_type_name, h.meta.issue_date) if v)
                text = h.best.marked(*mark)
                cells.append(
                    _wrap(f"{i + 1}. {h.title or h.source}", col)
                    + (_wrap(about, col) if about else [])
                    + _wrap(_one_line(text), col, max_lines=5)
                    + _wrap(f"[{h.citation}]", col, max_lines=2)
                )
            for j in range(max(len(c) for c in cells)):
                left = cells[0][j] if j < len(cells[0]) else ""
                right = cells[1][j] if j < len(cells[1]) else ""
                lines.append(_pad(left, col) + " │ " + right)
            lines.append(" " * col + " │ ")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cols = "".join(
            f"<td style='vertical-align:top;text-align:left;width:50%'><h4>{_LANG_NAMES[lang]}</h4>"
            f"{self.results[lang]._repr_html_() if lang in self.results else ''}</td>"
            for lang in ("vi", "zh")
        )
        gloss = f"<p><small>glossary: {_esc('; '.join(self.glossary))}</small></p>" if self.glossary else ""
        return (f"<div style='text-align:left'><p><b>{_esc(self.query)}</b></p>{gloss}"
                f"<table style='text-align:left;width:100%'><tr>{cols}</tr></table></div>")


_HAN_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def _one_line(text: str) -> str:
    """`text` on one line: line breaks between Chinese characters vanish, others become one space."""
    return re.sub(r"\s+", " ", _HAN_BREAK.sub("", text)).strip()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _wrap(text: str, width: int, max_lines: int = 0) -> list[str]:
    """Break `text` into lines of at most `width` display columns (CJK characters count 2)."""
    lines, line, w = [], "", 0
    for ch in text:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > width:
            cut = line.rfind(" ") if not ch.isspace() and " " in line[width // 2:] else -1
            if cut > 0:
                lines.append(line[:cut])
                line = line[cut + 1:]
                w = _width(line)
            else:
                lines.append(line)
                line, w = "", 0
        if not line and ch.isspace():
            continue
        line += ch
        w += cw
    if line:
        lines.append(line)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)] + "…"
    return lines


# Cosine under which a practice of the other language is not shown as near: the 99.9th percentile of
# randomly paired Vietnamese and Chinese practices on a 2,000-document index (bench/results/nearest-floor.md).
NEAREST_FLOOR = 0.26


def nearest_practices(
    target: Practice, vectors: dict, catalogue: Sequence[Practice], k: int = 5, floor: float = NEAREST_FLOOR
) -> tuple[Nearby, ...]:
    """The `k` practices of the other language whose passages' mean vector is closest to `target`'s,
    leaving out any under `floor` (a closeness random pairs reach): often none."""
    import numpy as np

    key = (target.lang, target.canonical)
    if key not in vectors:
        return ()
    v = vectors[key]
    other = other_language(target.lang)
    scored = []
    for p in catalogue:
        w = vectors.get((p.lang, p.canonical))
        if p.lang != other or w is None:
            continue
        score = float(np.dot(v, w))
        if score >= floor:
            scored.append((score, p))
    scored.sort(key=lambda sp: (-sp[0], sp[1].name))
    return tuple(
        Nearby(p.name, p.lang, s, p.doc_count, tuple(dict.fromkeys(u.title or u.source for u in p.uses)),
               p.definitions[0].text if p.definitions else "", p.uses[0].passage if p.uses else "",
               use_citation(p.uses[0]) if p.uses else "")
        for s, p in scored[:k]
    )
