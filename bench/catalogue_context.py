"""Does how a name is used separate catalogue entries a drafter wants from generic ones? An experiment on
the judged catalogue samples, not shipped.

    .venv/bin/python bench/catalogue_context.py     # writes bench/results/catalogue-context.md

bench/results/practice-confidence.md found that a model of the names alone lists entries at 0.9
precision only by hiding three in four correct ones, and pointed at the uses instead. The signal tried
here was written down before any count: a Chinese "named" entry (X制度, X机制, X模式, ...) is listed
only when one of its shown uses directly follows a verb that sets it up or puts it to work (ESTABLISH);
Vietnamese "cue" entries ("mô hình ...", 0.24-0.26 precision in every sample) are not listed; every
other kind (quoted names, formulas, titles, slogans) is listed as today.

Rows: the judged entries of bench/data/catalogue-precision-*.jsonl and practice-confidence-train.jsonl
(random samples of a 2,000-document catalogue: the development rows), and practice-confidence-heldout.jsonl
(a random sample of a 4,005-document catalogue, judged before this experiment: the held-out rows). A use's
context is read from the normalised text of its corpus record (../shared/corpora; nothing is stored).
Recall here is the share of a sample's correct entries that stay listed. Recall on practice-rich
documents: of the catalogue entries of the hand-labelled gold set's documents (bench/data/practices-gold.jsonl)
that are gold practices, the share the rule lists (as bench/practice_confidence.py measures its model).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from catalogue_precision import _wilson
from common import ROOT, SHARED, header, write_report

from pipeline.practices.listing import ESTABLISH  # verbs that set a system up or put it to work, right before the name

DATA = ROOT / "bench" / "data"
# the judged samples of the 2,000-document catalogue (not those of what the listing model lists, nor `later`,
# a sample of another catalogue: bench/catalogue_listing.py reads those apart)
DEV = [*(p for p in sorted(DATA.glob("catalogue-precision-*.jsonl"))
         if not p.name.startswith(("catalogue-precision-listed", "catalogue-precision-later"))),
       DATA / "practice-confidence-train.jsonl"]
HELDOUT = DATA / "practice-confidence-heldout.jsonl"


def _judged(paths: list[Path]) -> list[dict]:
    """The rows of the judged samples at `paths` that carry a grade."""
    from practice_confidence import _rows

    return [r for path in paths for r in _rows(path) if r.get("grade") is not None]


def _doc_id(d: str) -> str:
    """Corpus id of a use's document (the held-out index prefixed ids with its corpus slice)."""
    return d.split(":", 1)[1] if d.startswith(("zh-gov", "vi-gov")) and ":" in d else d


def _texts(ids: set[str]) -> dict[str, str]:
    from pipeline.normalize import normalize_text

    out = {}
    for name in ("vi-gov", "zh-gov"):
        with open(SHARED / "corpora" / name / "corpus.jsonl", encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if record["id"] in ids:
                    out[record["id"]] = normalize_text(record["text"])
    return out


def established(row: dict, texts: dict[str, str]) -> bool:
    """Whether a shown use of the entry directly follows an ESTABLISH verb."""
    for d, start, _end in row["uses"]:
        text = texts.get(_doc_id(d))
        if text is not None and ESTABLISH.search(text[max(0, start - 4):start]):
            return True
    return False


def listed(row: dict, texts: dict[str, str]) -> bool:
    kind = row.get("kind")
    if row["lang"] == "zh" and kind == "named":
        return established(row, texts)
    return not (row["lang"] == "vi" and kind == "cue")


def gold_recall() -> list[str]:
    """Of the catalogue's correct practices on the gold set's documents, the share the rule lists."""
    from practice_confidence import FLAGSHIPS, gold_catalogue

    docs, catalogue, correct = gold_catalogue()
    texts = {d: doc.text for d, doc in docs.items()}

    def row(p) -> dict:  # the entry as a judged row: its first three uses are the ones shown
        return {"lang": p.lang, "kind": p.kind, "uses": [(u.doc_id, u.start, u.end) for u in p.uses[:3]]}

    kept = [p for p in correct if listed(row(p), texts)]
    lost = Counter((p.lang, p.kind) for p in correct if p not in kept)
    flagships = {p.name: p for p in catalogue if p.name in FLAGSHIPS}
    return ["", "## Recall on practice-rich documents", "",
            f"The catalogue of the {len(docs)} gold-set documents holds {len(catalogue)} entries, {len(correct)} of "
            f"them gold practices; the rule lists {len(kept)}/{len(correct)} = {len(kept) / len(correct):.2f} of those "
            "(the name model of bench/results/practice-confidence.md: 0.10). Left out, by language and kind: "
            + ", ".join(f"{lang} {kind} {n}" for (lang, kind), n in lost.most_common()) + ".", "",
            "The seed documents' practices: " + "; ".join(
                f"{n} {'listed' if listed(row(p), texts) else 'left out'}" for n, p in sorted(flagships.items())) + "."]


def _line(label: str, rows: list[dict], keep: list[dict]) -> str:
    good, total_good = sum(r["grade"] for r in keep), sum(r["grade"] for r in rows)
    lo, hi = _wilson(good, len(keep))
    return (f"| {label} | {len(rows)} | {total_good / len(rows):.2f} | {len(keep)} | {good}/{len(keep)} = {good / len(keep):.2f} "
            f"({lo:.2f}-{hi:.2f}) | {good}/{total_good} = {good / total_good:.2f} |")


def main() -> None:
    dev, held = _judged(DEV), _judged([HELDOUT])
    texts = _texts({_doc_id(d) for r in dev + held for d, _, _ in r["uses"]})
    lines = [header("Catalogue entries listed by how their names are used (not shipped)"), "",
             "See the docstring of bench/catalogue_context.py for the rule and the rows.", "",
             "| rows | entries | precision of all | listed | precision of listed (95 % interval) | correct kept |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for label, rows in (("development samples", dev), ("held out", held)):
        lines.append(_line(label, rows, [r for r in rows if listed(r, texts)]))
    lines += ["", "Chinese named entries alone, by whether a shown use follows an ESTABLISH verb:", "",
              "| rows | follows the verb: correct / entries | does not: correct / entries |", "| --- | --- | --- |"]
    for label, rows in (("development samples", dev), ("held out", held)):
        named = [r for r in rows if r["lang"] == "zh" and r.get("kind") == "named"]
        yes = [r for r in named if established(r, texts)]
        no = [r for r in named if not established(r, texts)]
        lines.append(f"| {label} | {sum(r['grade'] for r in yes)}/{len(yes)} = "
                     f"{sum(r['grade'] for r in yes) / len(yes):.2f} | {sum(r['grade'] for r in no)}/{len(no)} = "
                     f"{sum(r['grade'] for r in no) / len(no):.2f} |")
    wrong = Counter(r.get("reason") or "?" for r in held if listed(r, texts) and not r["grade"])
    lines += ["", "Wrong entries still listed (held out), by reason: "
              + ", ".join(f"{k} {v}" for k, v in wrong.most_common()) + "."]
    lines += gold_recall()
    report = "\n".join(lines) + "\n"
    print(report)
    write_report("catalogue-context", report)


if __name__ == "__main__":
    main()
