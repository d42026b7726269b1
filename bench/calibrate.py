"""Fit the relevance estimate (pipeline/calibration.py) on the dev part of govjudge, choose the weak-match
line, and report both parts: how many documents shown as strong are off topic (grade 0).

    .venv/bin/python bench/calibrate.py --index /work/idx-gov --fit        # writes pipeline/data/calibration.json
    .venv/bin/python bench/calibrate.py --index /work/idx-gov --part test  # reports only
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict

import numpy as np
from common import ROOT, header, write_report
from configs import _corpus_id

from pipeline import Library
from pipeline.calibration import MODES, line_group

DATA = ROOT / "bench/data/govjudge"
MODEL = ROOT / "pipeline/data/calibration.json"
FEATURES = ["dense_cosine", "translated_cosine", "cross", "query_zh", *(f"rr_{m}" for m in MODES)]
TARGET_OFF_TOPIC = 0.10  # at most this share of the documents shown as strong may be off topic
# The line is the lowest whose Wilson upper bound on the off-topic share among strong documents is within the
# target (a line fitted to all of dev at z = 1 gave 0.085 there and 0.147 on test). `--nested` estimates each z
# of Z_GRID on dev alone: z = 1.64 keeps both readings of the target (off topic among strong, off-topic documents
# shown strong) under 0.10 there, but its same-language lines mark nearly every same-language hit weak (78-84% of
# them are on topic), so the shipped line stays at z = 1 until the evidence separates same-language hits better.
Z_UPPER = 1.0
Z_GRID = (1.0, 1.28, 1.64, 2.0)


def wilson_upper(bad: int, n: int, z: float = Z_UPPER) -> float:
    """Upper end of the Wilson score interval of a proportion bad/n."""
    if not n:
        return 1.0
    p = bad / n
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float((centre + spread) / (1 + z * z / n))
DEPTH = 10


def collect(lib: Library, part: str):
    """(features, grade, direction, relevance) of every judged document in the top DEPTH of the shipped search."""
    queries = [json.loads(line) for line in (DATA / "queries.jsonl").open(encoding="utf-8")]
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (DATA / "qrels.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        qrels[r["query_id"]][r["doc_id"]] = r["grade"]
    rows = []
    for q in queries:
        if part != "all" and q["part"] != part:
            continue
        for hit in lib.search(q["text"], k=DEPTH, lang=q["target"]):
            grade = qrels[q["id"]].get(_corpus_id(hit))
            if grade is not None and hit.evidence:
                rows.append(([hit.evidence[f] for f in FEATURES], grade, q["direction"], hit.relevance, q["id"]))
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 4000) -> tuple[float, np.ndarray]:
    """Logistic regression by gradient descent (features standardised inside, weights returned raw)."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = p - y
        w -= 0.5 * (z.T @ g / len(y) + l2 * w)
        b -= 0.5 * g.mean()
    raw = w / sd
    return float(b - (raw * mu).sum()), raw


def choose_lines(probs: np.ndarray, y: np.ndarray, groups: np.ndarray, z: float = Z_UPPER) -> dict[str, float]:
    """Per group, the lowest line whose strong hits are on topic within the target (Wilson upper bound at `z`)."""
    best = {}
    same = (groups == "vi>vi") | (groups == "zh>zh")
    for group in ("zh>vi", "vi>zh", "vi>vi", "zh>zh", "same"):
        mask = same if group == "same" else groups == group
        best[group] = 0.95
        for t in np.arange(0.05, 0.95, 0.01):
            strong = mask & (probs >= t)
            if strong.any() and wilson_upper(int((1 - y[strong]).sum()), int(strong.sum()), z) <= TARGET_OFF_TOPIC:
                best[group] = round(float(t), 2)
                break
    return best


def nested(rows, z: float, folds: int = 5, seeds: int = 10) -> tuple[list[str], float, float]:
    """The fitting procedure judged on dev alone: fit and choose the lines on 4/5 of the dev queries, mark the
    held-out fifth, over `seeds` shuffles. Rows: off topic among strong, and the share of off-topic documents
    shown as strong, per direction; and those two shares over all directions."""
    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([1.0 if r[1] >= 1 else 0.0 for r in rows])
    groups = np.array([line_group(dict(zip(FEATURES, row))) for row in x])
    qids = [r[4] for r in rows]
    strong_all = []
    for seed in range(seeds):
        order = sorted(set(qids))
        np.random.RandomState(seed).shuffle(order)
        fold = {q: i % folds for i, q in enumerate(order)}
        strong = np.zeros(len(rows), bool)
        for f in range(folds):
            train = np.array([fold[q] != f for q in qids])
            bias, weights = fit(x[train], y[train])
            p = 1 / (1 + np.exp(-(x @ weights + bias)))
            lines = choose_lines(p[train], y[train], groups[train], z)
            held = ~train
            strong[held] = p[held] >= np.array([lines.get(g, 0.95) for g in groups[held]])
        strong_all.append(strong)
    out = []
    for direction in ("zh>vi", "vi>zh", "vi>vi", "zh>zh", "all"):
        mask = np.ones(len(rows), bool) if direction == "all" else groups == direction
        shown = sum(int((s & mask).sum()) for s in strong_all)
        off = sum(int((s & mask & (y == 0)).sum()) for s in strong_all)
        bad = int((mask & (y == 0)).sum()) * seeds
        share = f"{off / shown:.3f}" if shown else "n.a."
        out.append(f"| {z:g} | {direction} | {shown / seeds:.1f} | {share} | {off / bad if bad else float('nan'):.3f} |")
    return out, off / shown if shown else 0.0, off / bad if bad else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", required=True)
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--part", default="dev", choices=["dev", "test"])
    ap.add_argument("--name", default=None)
    ap.add_argument("--nested", action="store_true", help="estimate the fitting procedure's held-out error on dev alone")
    args = ap.parse_args()
    lib = Library(args.index, readonly=True)
    lib.warm_up()
    lines = [header(f"Calibrated relevance on govjudge, {args.part} part"), ""]
    if args.fit:
        rows = collect(lib, "dev")
        z = Z_UPPER
        x = np.array([r[0] for r in rows], dtype=float)
        y = np.array([1.0 if r[1] >= 1 else 0.0 for r in rows])
        bias, weights = fit(x, y)
        probs = 1 / (1 + np.exp(-(x @ weights + bias)))
        groups = np.array([line_group(dict(zip(FEATURES, row))) for row in x])
        best = choose_lines(probs, y, groups, z)
        model = {"bias": bias, "weights": dict(zip(FEATURES, map(float, weights))), "weak_below": best, "wilson_z": z,
                 "fitted_on": f"govjudge dev, top {DEPTH} of the shipped search, {len(rows)} judged documents"}
        MODEL.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        import pipeline.calibration as cal

        cal._model.cache_clear()
        lines.append(f"Fitted on {len(rows)} judged documents; Wilson z {z:g} ; "
                     f"weak below {best}. Weights: "
                     + ", ".join(f"{k} {v:+.3f}" for k, v in model["weights"].items()) + f", bias {bias:+.3f}.\n")
    if args.nested:
        rows = collect(lib, "dev")
        lines += [f"Nested on the dev part ({len(rows)} judged documents): the model fitted and the lines chosen on "
                  "four fifths of the queries, the held-out fifth marked, over 10 shuffles (the test part unread).", "",
                  "| Wilson z | direction | strong per run | off topic among strong | off-topic documents shown strong |",
                  "| --- | --- | --- | --- | --- |"]
        for z in Z_GRID:
            lines += nested(rows, z)[0]
        print("\n".join(lines))
        write_report(args.name or "calibration-nested", "\n".join(lines) + "\n")
        return
    rows = collect(lib, args.part)
    lines += ["| direction | judged hits | shown strong | off topic among strong | on topic among weak |",
              "| --- | --- | --- | --- | --- |"]
    from pipeline.calibration import weak_below

    by_dir = defaultdict(list)
    for r in rows:
        by_dir[r[2]].append(r)
        by_dir["all"].append(r)
    for direction in ("zh>vi", "vi>zh", "vi>vi", "zh>zh", "all"):
        rs = by_dir.get(direction, [])
        line = lambda r: weak_below(line_group(dict(zip(FEATURES, r[0]))))  # noqa: E731
        strong = [r for r in rs if r[3] is not None and r[3] >= line(r)]
        weak = [r for r in rs if r[3] is not None and r[3] < line(r)]
        off = sum(r[1] == 0 for r in strong) / len(strong) if strong else float("nan")
        on = sum(r[1] >= 1 for r in weak) / len(weak) if weak else float("nan")
        lines.append(f"| {direction} | {len(rs)} | {len(strong)} | {off:.3f} | {on:.3f} |")
    print("\n".join(lines))
    write_report(args.name or f"calibration-{args.part}", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
