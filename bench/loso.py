"""Leave-one-set-out check of the hybrid mode's tuned settings: does what was chosen on some sets hold
on a set it was not chosen on?

A small grid of settings over what was tuned (the fusion weights per query language in
`Searcher.weights`, `word_boost`, `gram_boost`, `translated_dense`, the glossary expansion's
weight, and in searches across languages `feedback_weight` and `support_share`), each applied through a Searcher's public attributes, is scored (nDCG@10, hybrid mode) on
every labelled set: zh-stard, vi-alqac, zh-govqa and xquad (all four directions) from ../shared/eval,
and the govjudge dev part (bench/govjudge.md). For each set:
- tuned: the shipped settings;
- LOSO: the configuration with the best mean nDCG@10 over the OTHER sets (a set with several
  directions counts once, the mean of its directions), scored on this set;
- oracle: the best configuration on this set itself, for information only;
- best baseline: the best of eval_all's baselines (BM25 n-grams and words, e5 alone, their RRF)
  computed in this run; for govjudge, the better of govtext's dense and BM25 modes (its pool came
  from govtext's own systems), as bench/eval_all.py reports it.
The govjudge test part, when asked for, is scored and reported but never enters a choice.

Min-max against reciprocal-rank fusion (bench/results/fusion.md) is not in the grid: the Searcher
fuses with min-max and has no attribute to switch it.

    .venv/bin/python bench/eval_all.py --work /work/eval-work      # builds and caches the indexes first
    .venv/bin/python bench/loso.py --work /work/eval-work --govjudge-index /work/idx-gov

Scores are cached per set in --work/loso/ (`--sets` runs some of them; `--report-only` writes the
report from the cache). Each configuration's retriever rankings of a query are computed once and
shared: weights change only how rankings are fused, so every configuration's ranking equals that of
a fresh Searcher with those attributes set.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from common import SHARED, header, write_report
from eval_all import SETS, CorpusBaselines

from pipeline import Library
from pipeline.evaluate import load_queries, score_run
from pipeline.search import Searcher

# name: attributes changed from the shipped ones. weights: {query language: {ranking: weight}}
GRID: dict[str, dict] = {
    "shipped": {},
    "zh dense 0.5, lexical 0.5 (as vi)": {"weights": {"zh": {"dense": 0.5, "lexical": 0.5}}},
    "zh dense 0.8, lexical 0.2": {"weights": {"zh": {"dense": 0.8, "lexical": 0.2}}},
    "vi dense 0.65, lexical 0.35 (as zh)": {"weights": {"vi": {"dense": 0.65, "lexical": 0.35}}},
    "vi dense 0.35, lexical 0.65": {"weights": {"vi": {"dense": 0.35, "lexical": 0.65}}},
    "crosslingual BM25 x2": {"weights": {"vi": {"crosslingual": 0.25}, "zh": {"crosslingual": 0.325}}},
    "no crosslingual BM25": {"weights": {"vi": {"crosslingual": 0.0}, "zh": {"crosslingual": 0.0}}},
    "gram_boost 0.5": {"gram_boost": 0.5},
    "word_boost 0.5": {"word_boost": 0.5},
    "translated_dense 1.0": {"translated_dense": 1.0},
    "translated_dense 0": {"translated_dense": 0.0},
    "glossary weight 0.5": {"glossary": 0.5},
    "no feedback": {"feedback_weight": 0.0},
    "feedback 0.5": {"feedback_weight": 0.5},
    "no document support": {"support_share": 0.0},
    "document support 0.2": {"support_share": 0.2},
}
GLOSSARY_WEIGHT = 1.0  # pipeline.api's weight of the glossary expansion (times its coverage)
GOVJUDGE_DEPTH = 20  # as bench/configs.py
TARGET_MARGIN = 0.03  # issue 13: the default mode this far above the best baseline, where that is below 0.9


class _SharedManifest:
    """The manifest, with chunk rows remembered in `memo` (the configurations of a query ask for the same rows)."""

    def __init__(self, manifest, memo: dict):
        self._manifest, self._memo = manifest, memo

    def __getattr__(self, name):
        return getattr(self._manifest, name)

    def chunk_rows(self, chunk_ids, visible: bool = False):
        known = self._memo.setdefault(("rows", visible), {})
        wanted = list(chunk_ids)
        missing = [c for c in dict.fromkeys(wanted) if c not in known]
        if missing:
            known.update(self._manifest.chunk_rows(missing, visible=visible))
        return {c: known[c] for c in wanted if c in known}


class _SharedEncoder:
    """The embedder, with query vectors remembered in `memo`."""

    def __init__(self, embedder, memo: dict):
        self._embedder, self._memo = embedder, memo

    def __getattr__(self, name):
        return getattr(self._embedder, name)

    def embed_query(self, text: str):
        key = ("query", text)
        if key not in self._memo:
            self._memo[key] = self._embedder.embed_query(text)
        return self._memo[key]


class SharedRankings(Searcher):
    """A Searcher whose retriever rankings (and query vectors, chunk rows) for a query are shared by
    every configuration through `memo`; clear it before each query.

    The key holds every argument and attribute that changes what the retrievers return (the boosts;
    whether a translated dense search runs, when there is an expansion); the fusion weights only
    change how the rankings are fused.
    """

    def __init__(self, lib: Library, memo: dict, settings: dict):
        super().__init__(_SharedManifest(lib.manifest, memo), lib.vectors, lib.lexical,
                         _SharedEncoder(lib.embedder, memo), lib.centering)
        self.memo = memo
        for lang, changes in settings.get("weights", {}).items():
            self.weights[lang].update(changes)
        for name in ("word_boost", "gram_boost", "translated_dense", "feedback_weight", "support_share"):
            if name in settings:
                setattr(self, name, settings[name])
        self.glossary_weight = settings.get("glossary", GLOSSARY_WEIGHT)

    def rankings(self, query, mode, n, lang=None, sources=None, query_lang=None, doc_ids=None, bridge=False):
        bridged = bridge and bool(self.glossary_weight)
        key = (query, mode, n, lang, tuple(sources or ()), query_lang, None if doc_ids is None else tuple(doc_ids),
               (bool(self.translated_dense), bool(self.feedback_weight)) if bridged else None,
               self.word_boost, self.gram_boost)
        if key not in self.memo:
            self.memo[key] = super().rankings(query, mode, n, lang, sources, query_lang, doc_ids, bridge)
        return self.memo[key]


def eval_row(lib: Library, queries, baselines: CorpusBaselines, query_lang: str) -> dict:
    """nDCG@10 of every configuration (hybrid, top 100 as `pipeline.evaluate`) and of each baseline."""
    memo: dict = {}
    searchers = {name: SharedRankings(lib, memo, settings) for name, settings in GRID.items()}
    record = lib.record_ids()
    runs: dict[str, dict[str, list[str]]] = {name: {} for name in GRID}
    for q in queries:
        memo.clear()
        for name, searcher in searchers.items():
            ranked = searcher.rank_documents(q.text, k=100, mode="hybrid")
            runs[name][q.id] = [record.get(d, d) for d, _ in ranked]
    base = {m: score_run(run, queries, m).ndcg10 for m, run in baselines.runs(queries, query_lang, lib.embedder).items()}
    best = max(base, key=base.get)
    return {"queries": len([q for q in queries if q.relevant]),
            "scores": {name: score_run(run, queries, name).ndcg10 for name, run in runs.items()},
            "baseline": [best, base[best]]}


def govjudge_rows(index: str, part: str) -> dict[str, dict]:
    """Per direction of the govjudge part: every configuration's graded nDCG@10 (bench/govjudge_eval.py),
    searched as `Library.search` does (k=20, the target language, the glossary bridge), and the better
    of govtext's dense and BM25 modes."""
    from configs import _corpus_id, run_config
    from govjudge_eval import DATA, load_jsonl, score

    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for r in load_jsonl(DATA / "qrels.jsonl"):
        qrels[r["query_id"]][r["doc_id"]] = r["grade"]
    queries = [q for q in load_jsonl(DATA / "queries.jsonl") if q["part"] == part]
    lib = Library(index, readonly=True)
    lib.warm_up()
    memo: dict = {}
    searchers = {name: SharedRankings(lib, memo, settings) for name, settings in GRID.items()}
    runs: dict[str, dict[str, list[str]]] = {name: {} for name in GRID}
    for q in queries:
        memo.clear()
        analysed = lib.searcher.analyse(q["text"])
        for name, searcher in searchers.items():
            # the bridge of Library.search: glossary translations when only the other language is wanted
            hits = searcher.search(analysed, k=GOVJUDGE_DEPTH, lang=q["target"], bridge=True)
            runs[name][q["id"]] = [_corpus_id(h) for h in hits]
    scored = {name: score(run, queries, qrels) for name, run in runs.items()}
    plain = {mode: score(run_config(lib, mode, queries), queries, qrels) for mode in ("dense", "bm25")}
    rows = {}
    for direction, m in scored["shipped"].items():
        best = max(plain, key=lambda mode: plain[mode][direction]["ndcg@10"])
        rows[direction.replace(">", "→")] = {
            "queries": m["queries"], "scores": {name: s[direction]["ndcg@10"] for name, s in scored.items()},
            "baseline": [f"govtext {best}", plain[best][direction]["ndcg@10"]]}
    return rows


def run_set(set_name: str, work: Path, govjudge_index: str | None) -> dict[str, dict]:
    """{pairing label: row} of one set, from the indexes and baseline caches bench/eval_all.py built in `work`."""
    if set_name.startswith("govjudge-"):
        if not govjudge_index:
            raise SystemExit(f"{set_name} needs --govjudge-index")
        return govjudge_rows(govjudge_index, set_name.split("-", 1)[1])
    eval_dir = SHARED / "eval"
    rows, libraries, baselines = {}, {}, {}
    for label, corpus, corpus_path, corpus_lang, queries_path, query_lang in SETS[set_name]:
        if not (work / corpus / "manifest.sqlite").exists() or not (work / f"{corpus}.e5.npy").exists():
            raise SystemExit(f"{work / corpus} is not built yet: run bench/eval_all.py --work {work} first")
        if corpus not in libraries:
            libraries[corpus] = Library(work / corpus, readonly=True)
            libraries[corpus].warm_up()
            baselines[corpus] = CorpusBaselines(corpus, eval_dir / corpus_path, corpus_lang, work,
                                                libraries[corpus].embedder)
        t0 = time.perf_counter()
        rows[label] = eval_row(libraries[corpus], load_queries(eval_dir / queries_path), baselines[corpus], query_lang)
        print(f"[{set_name} {label}] {time.perf_counter() - t0:.0f} s: shipped {rows[label]['scores']['shipped']:.4f}",
              file=sys.stderr, flush=True)
    return rows


def family(set_name: str) -> str:
    """Parts of one set (govjudge-dev, govjudge-test) leave together."""
    return set_name.split("-")[0] if set_name.startswith("govjudge-") else set_name


def choose(results: dict[str, dict], selecting: list[str]) -> dict[str, str]:
    """For each set, the configuration with the best mean nDCG@10 over the selecting sets of other families
    (each set the mean of its pairings; ties go to the earlier configuration, the shipped one first)."""
    per_set = {s: {name: sum(r["scores"][name] for r in rows.values()) / len(rows) for name in GRID}
               for s, rows in results.items()}
    chosen = {}
    for s in results:
        others = [t for t in selecting if family(t) != family(s)]
        if not others:
            continue
        chosen[s] = max(GRID, key=lambda name: sum(per_set[t][name] for t in others) / len(others))
    return chosen


def report(results: dict[str, dict], missing: list[str], cache: Path) -> str:
    selecting = [s for s in results if s != "govjudge-test"]
    chosen = choose(results, selecting)
    lines = [header("Leave-one-set-out: each set scored with the settings chosen on the others (nDCG@10, hybrid)"),
             "LOSO: the configuration with the best mean nDCG@10 over the other sets (the sets in the "
             "table, each the mean of its directions; the govjudge test part never chooses, and both govjudge "
             "parts are left out together). Oracle: the best on the set itself, for "
             "information. Margins are against the best baseline of this run; the target is +0.03 where that "
             "baseline is below 0.9.\n",
             "| set | queries | tuned (shipped) | LOSO | LOSO − tuned | oracle | best baseline | "
             "tuned margin | LOSO margin | +0.03 met (tuned / LOSO) | LOSO configuration | oracle configuration |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s, rows in results.items():
        for label, r in rows.items():
            sc = r["scores"]
            tuned, pick = sc["shipped"], chosen.get(s)
            loso = sc[pick] if pick else float("nan")
            oracle = max(GRID, key=lambda name: sc[name])
            base_name, base = r["baseline"]
            met = "n.a. (baseline ≥ 0.9)" if base >= 0.9 else " / ".join(
                "yes" if v - base >= TARGET_MARGIN else "no" for v in (tuned, loso))
            lines.append(f"| {s} {label} | {r['queries']} | {tuned:.4f} | {loso:.4f} | {loso - tuned:+.4f} | "
                         f"{sc[oracle]:.4f} | {base:.4f} ({base_name}) | {tuned - base:+.4f} | {loso - base:+.4f} | "
                         f"{met} | {pick or '-'} | {oracle} |")
    if missing:
        lines.append(f"\nNot scored: {', '.join(missing)}.")
    lines.append("\nEach set was scored by `bench/loso.py --work <work> --sets <set>` (with `--govjudge-index` for "
                 "govjudge) and cached: " + ", ".join(
                     f"{s} at {time.strftime('%Y-%m-%d %H:%M', time.localtime((cache / f'{s}.json').stat().st_mtime))}"
                     for s in results) + ".")
    lines += ["\n## Every configuration (nDCG@10)\n", "| configuration | settings | "
              + " | ".join(f"{s} {label}" for s, rows in results.items() for label in rows) + " |",
              "| --- | --- |" + " --- |" * sum(len(rows) for rows in results.values())]
    for name, settings in GRID.items():
        cells = [f"{r['scores'][name]:.4f}" for rows in results.values() for r in rows.values()]
        lines.append(f"| {name} | `{json.dumps(settings)}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


ALL_SETS = ["xquad", "zh-govqa", "vi-alqac", "zh-stard", "govjudge-dev", "govjudge-test"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default="/tmp/govtext-eval", help="the cache folder of bench/eval_all.py")
    ap.add_argument("--sets", default=",".join(ALL_SETS), help="sets to score now")
    ap.add_argument("--report", default=",".join(ALL_SETS), help="sets the report shows, from the cache")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--govjudge-index", help="the index of the whole ../shared/corpora (opened read-only)")
    ap.add_argument("--name", default="loso")
    args = ap.parse_args()
    work = Path(args.work)
    cache = work / "loso"
    cache.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        for set_name in args.sets.split(","):
            rows = run_set(set_name, work, args.govjudge_index)
            (cache / f"{set_name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    results, missing = {}, []
    for set_name in args.report.split(","):
        path = cache / f"{set_name}.json"
        if path.exists():
            rows = json.loads(path.read_text())
            if set(next(iter(rows.values()))["scores"]) == set(GRID):
                results[set_name] = rows
                continue
        missing.append(set_name)
    write_report(args.name, report(results, missing, cache))


if __name__ == "__main__":
    main()
