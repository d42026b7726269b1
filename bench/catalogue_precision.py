"""Catalogue precision: sample practice-catalogue entries of an index with a fixed seed, show each
for judging, and score the judgments (rules in bench/catalogue_precision.md).

    .venv/bin/python bench/catalogue_precision.py sample --index IDX --label after      # writes the sample
    .venv/bin/python bench/catalogue_precision.py show --index IDX --label after        # prints entries to judge
    .venv/bin/python bench/catalogue_precision.py sample --corpus 1000 --label LABEL   # no index: the catalogue
        # of the first 1,000 records of each corpus, prepared by this checkout as ingest prepares them
    .venv/bin/python bench/catalogue_precision.py sample --corpus 1000 --after 2000 --listed --exclude-judged \
        --label listed   # 1,000 records of each corpus drawn with SEED from those after its first 2,000 (none
        # that any judged sample came from); only the entries the listing model lists, names judged before left out
    .venv/bin/python bench/catalogue_precision.py score                                 # writes the results
    .venv/bin/python bench/catalogue_precision.py nearest --index IDX                   # the nearest-practice floor

`sample` reads the index's catalogue (`Library.catalogue`, rebuilt by this checkout's code from the
mentions found at ingest, unless `--catalogue FILE` names a stored practices.json, e.g. one kept from
an earlier build), or with `--corpus N` builds one with this checkout's code throughout, and writes
`bench/data/catalogue-precision-LABEL.jsonl`: per entry its name, language, kind, counts and the
document ids and offsets of its first three uses, with "grade" and "reason" left empty. The judge
fills them in (1 or 0, and a reason code for a 0). `score` reads every such file and writes
bench/results/catalogue-precision.md. Only names, ids, offsets and grades are stored, no corpus text.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

from common import ROOT, SHARED, header, write_report

# document types of statutes: a catalogue entry used only outside them comes from news, reports, plans ...
from pipeline.practices.listing import STATUTES

SEED = 20261206
SIZE = 100
DATA = ROOT / "bench" / "data"
REASONS = ("slogan", "law", "generic", "fragment", "other-sense", "merged")


def _sample_file(label: str) -> Path:
    return DATA / f"catalogue-precision-{label}.jsonl"


def corpus_documents(n: int, after: int = 0) -> dict:
    """The first `n` records of zh-gov and of vi-gov, prepared as `govtext ingest --global-ids` prepares
    them: id -> PreparedDocument (normalised text, segments, metadata, practice mentions). With `after`,
    `n` records of each drawn with SEED from those after its first `after` instead."""
    from pipeline.config import Settings
    from pipeline.prepare import prepare_raw
    from pipeline.readers.jsonl import read

    out = {}
    for corpus in ("zh-gov", "vi-gov"):
        path = SHARED / "corpora" / corpus / "corpus.jsonl"
        if after:
            with path.open(encoding="utf-8") as f:
                total = sum(1 for line in f if line.strip())
            wanted = set(random.Random(SEED).sample(range(after, total), min(n, total - after)))
        else:
            wanted = set(range(n))
        for i, raw in enumerate(read(path)):
            if i > max(wanted):
                break
            if i not in wanted:
                continue
            ready = prepare_raw(raw, f"{path}#{raw.id}", Settings().max_tokens, lambda _id: None)
            if ready.prepared is not None and ready.prepared.chunks:
                out[ready.doc.id] = ready.prepared
    return out


def corpus_catalogue(n: int, after: int = 0) -> tuple[list, dict]:
    """The catalogue an index of `corpus_documents(n, after)` builds (`build_stored_catalogue`, without the
    stores: its mentions are found by this checkout's code), and the documents by id."""
    from pipeline.practices import build_catalogue
    from pipeline.types import DocMeta

    prepared = corpus_documents(n, after)
    docs = [p.doc for p in prepared.values()]
    meta = {}
    for doc in docs:
        found = doc.metadata or DocMeta()
        meta[doc.id] = (found.place_names, found.issue_date or (str(found.year) if found.year else ""))
    practices = build_catalogue(docs, segments={i: list(p.segments) for i, p in prepared.items()}, metadata=meta,
                                mentions={i: list(p.mentions) for i, p in prepared.items()})
    return practices, {d.id: d for d in docs}


def cached_corpus_catalogue(n: int, cache: Path | None, after: int = 0) -> tuple[list, dict]:
    """`corpus_catalogue(n, after)`, kept in the folder `cache` (a pickle) between runs when one is given."""
    import pickle

    path = cache / (f"catalogue-{n}-after-{after}.pkl" if after else f"catalogue-{n}.pkl") if cache else None
    if path and path.exists():
        return pickle.loads(path.read_bytes())
    built = corpus_catalogue(n, after)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(built))
    return built


def _catalogue(args) -> tuple[list, int, object]:
    """(catalogue, documents, text of a document id) from `--corpus N` or from the index `--index`."""
    from pipeline import Library
    from pipeline.practices import practice_from_dict

    if args.corpus:
        practices, docs = cached_corpus_catalogue(args.corpus, args.cache, args.after)
        if args.listed:
            from pipeline.embed import E5Embedder
            from pipeline.practices.listing import score_practices

            practices = [p for p in score_practices(practices, docs, E5Embedder().embed_documents) if p.listed]
        if getattr(args, "outside_statutes", False):
            practices = [p for p in practices if not any(
                docs[u.doc_id].metadata and docs[u.doc_id].metadata.doc_type in STATUTES for u in p.uses)]
        return practices, len(docs), lambda i: docs[i].text
    lib = Library(args.index)
    documents = len(lib.manifest.ok_doc_ids())
    if args.listed:
        return [p for p in lib.catalogue(rebuild=not args.catalogue) if p.listed], documents, lambda i: lib.show(i).text
    if args.catalogue:
        data = json.loads(Path(args.catalogue).read_text(encoding="utf-8"))
        return [practice_from_dict(d) for d in data["practices"]], documents, lambda i: lib.show(i).text
    return list(lib.catalogue(rebuild=True)), documents, lambda i: lib.show(i).text


def sample(args) -> None:
    practices, documents, _ = _catalogue(args)
    if args.exclude_judged:
        rows = [json.loads(line) for path in sorted(DATA.glob("*.jsonl"))
                if path.name.startswith(("catalogue-precision-", "practice-confidence-"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        judged = {(r["lang"], r["name"]) for r in rows}
        practices = [p for p in practices if (p.lang, p.name) not in judged]
    picked = sorted(random.Random(SEED).sample(range(len(practices)), min(SIZE, len(practices))))
    out = _sample_file(args.label)
    with out.open("w", encoding="utf-8") as f:
        for i in picked:
            p = practices[i]
            row = {
                "entry": i, "name": p.name, "lang": p.lang, "kind": p.kind, "documents": p.doc_count,
                "mentions": p.mention_count,
                "uses": [[u.doc_id, u.start, u.end] for u in p.uses[:3]],
                "grade": None, "reason": "",
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    records = (f"{args.corpus} records of each of zh-gov and vi-gov drawn with seed {SEED} from those after its first "
               f"{args.after} (no index)" if args.after else f"first {args.corpus} records of zh-gov and vi-gov (no index)")
    meta = {"label": args.label, "index": args.index or records,
            "documents": documents, "entries": len(practices),
            "seed": SEED, "sampled": len(picked),
            "entries kept": ("listed by the listing model; " if args.listed else "")
            + ("outside statutes; " if getattr(args, "outside_statutes", False) else "")
            + ("names judged before left out" if args.exclude_judged else "all")}
    (DATA / f"catalogue-precision-{args.label}.meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"{len(picked)} of {len(practices)} entries ({documents} documents) -> {out}")


def show(args) -> None:
    """Print each sampled entry with the passages of its uses, for the judge (nothing is stored)."""
    practices, _, text_of = _catalogue(args)
    by_key = {(p.lang, p.name): p for p in practices}
    for line in _sample_file(args.label).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        p = by_key.get((row["lang"], row["name"]))
        print(f"=== #{row['entry']} [{row['lang']}] {row['name']}  ({row['kind']}, {row['documents']} docs, "
              f"{row['mentions']} mentions)")
        if p is None:
            print("  (not in this catalogue)")
            continue
        if p.definitions:
            print("  DEF:", p.definitions[0].text[:160].replace("\n", " "))
        if p.components:
            print("  PARTS:", "; ".join(f"{c.part}={c.text[:40]}" for c in p.components))
        for doc_id, start, end in row["uses"]:
            text = text_of(doc_id)
            a, b = max(0, start - args.context), min(len(text), end + args.context)
            print(f"  - {doc_id[:40]}: …{text[a:start]}【{text[start:end]}】{text[end:b]}…".replace("\n", " "))


def nearest(args) -> None:
    """The similarity of practices of the two languages paired at random (the null), against each
    practice's nearest one: the floor below which "nearest practices" say nothing."""
    import numpy as np

    from pipeline import Library
    from pipeline.practices import NEAREST_FLOOR

    lib = Library(args.index)
    lib.catalogue()
    vectors = lib._catalogue.vectors
    keys = {lang: [k for k in vectors if k[0] == lang] for lang in ("vi", "zh")}
    rng = random.Random(SEED)
    null = [float(np.dot(vectors[rng.choice(keys["vi"])], vectors[rng.choice(keys["zh"])])) for _ in range(100000)]
    best = []
    for lang, other in (("vi", "zh"), ("zh", "vi")):
        mat = np.stack([vectors[k] for k in keys[other]])
        best += [float(np.max(mat @ vectors[k])) for k in keys[lang]]
    pct = lambda xs, q: float(np.percentile(xs, q))  # noqa: E731
    lines = [header("Nearest practices: the similarity floor"),
             f"Index {args.index}: {len(keys['vi'])} Vietnamese and {len(keys['zh'])} Chinese practices with vectors.", "",
             "| cosine of | p50 | p90 | p99 | p99.9 | max |", "| --- | ---: | ---: | ---: | ---: | ---: |",
             f"| random vi-zh pairs (100,000) | {pct(null, 50):.3f} | {pct(null, 90):.3f} | {pct(null, 99):.3f} | "
             f"{pct(null, 99.9):.3f} | {max(null):.3f} |",
             f"| each practice's nearest in the other language | {pct(best, 50):.3f} | {pct(best, 90):.3f} | "
             f"{pct(best, 99):.3f} | {pct(best, 99.9):.3f} | {max(best):.3f} |", "",
             f"Random pairs pass {pct(null, 99.9):.3f} once in a thousand: `pipeline.practices.NEAREST_FLOOR` "
             f"({NEAREST_FLOOR}) is that value rounded. {sum(b >= NEAREST_FLOOR for b in best)} of {len(best)} "
             "practices keep a nearest practice above it; below it a \"nearest\" practice is as near as a random one."]
    write_report("nearest-floor", "\n".join(lines) + "\n")


def _wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def score(args) -> None:
    lines = [header("Catalogue precision"),
             "Entries of the practice catalogue sampled with a fixed seed and judged by hand by the rules in",
             "bench/catalogue_precision.md (sample and grades in bench/data/catalogue-precision-*.jsonl).", "",
             "| catalogue | documents | entries | judged | correct | precision | 95 % interval | wrong by reason |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for path in sorted(DATA.glob("catalogue-precision-*.jsonl")):
        label = path.stem.removeprefix("catalogue-precision-")
        meta = json.loads((DATA / f"catalogue-precision-{label}.meta.json").read_text())
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        judged = [r for r in rows if r["grade"] in (0, 1)]
        if not judged:
            continue
        good = sum(r["grade"] for r in judged)
        lo, hi = _wilson(good, len(judged))
        reasons: dict[str, int] = {}
        for r in judged:
            if r["grade"] == 0:
                reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
        bad = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])) or "-"
        lines.append(f"| {label} | {meta['documents']} | {meta['entries']} | {len(judged)} | {good} | "
                     f"{good / len(judged):.2f} | {lo:.2f}-{hi:.2f} | {bad} |")
    old = ROOT / "bench" / "results" / "catalogue-precision.md"
    notes = old.read_text(encoding="utf-8").partition("\n## Notes")[2] if old.exists() else ""
    write_report("catalogue-precision", "\n".join(lines) + "\n" + ("\n## Notes" + notes if notes else ""))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("sample", "show"):
        p = sub.add_parser(name)
        where = p.add_mutually_exclusive_group(required=True)
        where.add_argument("--index")
        where.add_argument("--corpus", type=int, help="no index: the first N records of zh-gov and of vi-gov, prepared here")
        p.add_argument("--label", required=True, help="before / after: names the sample file")
        p.add_argument("--catalogue", help="a stored practices.json to read instead of rebuilding")
        p.add_argument("--context", type=int, default=60, help="characters shown around each use")
        p.add_argument("--cache", type=Path, help="with --corpus: keep the rebuilt catalogue in this folder")
        p.add_argument("--outside-statutes", action="store_true",
                       help="with --corpus: only entries none of whose uses is in a statute (STATUTES)")
        p.add_argument("--after", type=int, default=0,
                       help="with --corpus N: N records of each corpus drawn with SEED from those after its first AFTER")
        p.add_argument("--listed", action="store_true", help="only the entries the listing model lists")
    sub.choices["sample"].add_argument("--exclude-judged", action="store_true",
                                       help="leave out names already judged in bench/data")
    sub.add_parser("score")
    sub.add_parser("nearest").add_argument("--index", required=True)
    args = ap.parse_args(argv)
    if (getattr(args, "cache", None) or getattr(args, "outside_statutes", False) or getattr(args, "after", 0)) \
            and not args.corpus:
        ap.error("--cache, --after and --outside-statutes need --corpus")
    {"sample": sample, "show": show, "score": score, "nearest": nearest}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
