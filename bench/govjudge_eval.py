"""Score search configurations on the govjudge set (bench/govjudge.md): graded nDCG@10 (gains 0/1/3),
P@5 on topic (grade >= 1), P@5 answering (grade 2), judged@10, per direction, for the dev or test part.

    .venv/bin/python bench/govjudge_eval.py --index /work/idx-gov --part dev
    .venv/bin/python bench/govjudge_eval.py --index /work/idx-gov --part test --name govjudge-test

Also settles judgments: `--settle` merges judgments-A/B.jsonl (and third readings, judgments-C.jsonl)
into qrels.jsonl and prints agreement (raw and Cohen's kappa, graded and binary) per direction.
"""
from __future__ import annotations

import argparse
import json
import math
from collections import Counter, defaultdict
from pathlib import Path

from common import ROOT, header, write_report

DATA = ROOT / "bench/data/govjudge"
GAIN = {0: 0.0, 1: 1.0, 2: 3.0}


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()] if path.exists() else []


def kappa(pairs: list[tuple[int, int]]) -> float:
    """Cohen's kappa of two judges' labels."""
    if not pairs:
        return float("nan")
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def settle() -> None:
    """qrels.jsonl from two judges plus third readings; prints agreement and what is still unsettled."""
    queries = {q["id"]: q for q in load_jsonl(DATA / "queries.jsonl")}
    grades: dict[str, dict[tuple[str, str], int]] = {}
    for judge in ("A", "B", "C"):
        grades[judge] = {(r["query_id"], r["doc_id"]): r["grade"] for r in load_jsonl(DATA / f"judgments-{judge}.jsonl")}
    both = sorted(set(grades["A"]) & set(grades["B"]))
    by_dir: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key in both:
        by_dir[queries[key[0]]["direction"]].append((grades["A"][key], grades["B"][key]))
    by_dir["all"] = [p for d in list(by_dir) for p in by_dir[d]]
    print("| direction | pairs | raw agreement | kappa (0/1/2) | kappa (0 vs 1-2) | disagreements |")
    print("| --- | --- | --- | --- | --- | --- |")
    for direction in ("zh>vi", "vi>zh", "vi>vi", "zh>zh", "all"):
        pairs = by_dir.get(direction, [])
        if not pairs:
            continue
        raw = sum(a == b for a, b in pairs) / len(pairs)
        binary = [(int(a > 0), int(b > 0)) for a, b in pairs]
        print(f"| {direction} | {len(pairs)} | {raw:.3f} | {kappa(pairs):.3f} | {kappa(binary):.3f} "
              f"| {sum(a != b for a, b in pairs)} |")
    qrels, unsettled = [], []
    for key in both:
        a, b = grades["A"][key], grades["B"][key]
        if a == b:
            grade = a
        elif key in grades["C"]:
            c = grades["C"][key]
            grade = c if c in (a, b) else 1  # all three differ: the middle grade
        else:
            unsettled.append(key)
            continue
        qrels.append({"query_id": key[0], "doc_id": key[1], "grade": grade})
    (DATA / "qrels.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in qrels), encoding="utf-8")
    pending = DATA / "unsettled.jsonl"
    if unsettled:
        pending.write_text(
            "".join(json.dumps({"query_id": q, "doc_id": d, "grades": [grades["A"][(q, d)], grades["B"][(q, d)]]},
                               ensure_ascii=False) + "\n" for q, d in unsettled), encoding="utf-8")
    else:
        pending.unlink(missing_ok=True)
    print(f"\n{len(qrels)} settled grades, {len(unsettled)} disagreements awaiting a third reading")


def ndcg10(ranked: list[str], grades: dict[str, int]) -> float:
    dcg = sum(GAIN[grades.get(d, 0)] / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted((GAIN[g] for g in grades.values()), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def score(runs: dict[str, list[str]], queries: list[dict], qrels: dict[str, dict[str, int]]) -> dict[str, dict]:
    """Per direction: mean nDCG@10, P@5 on topic, P@5 answering, judged@10, and the query count."""
    out: dict[str, dict] = {}
    for direction in ("zh>vi", "vi>zh", "vi>vi", "zh>zh"):
        qs = [q for q in queries if q["direction"] == direction and q["id"] in qrels]
        if not qs:
            continue
        rows = defaultdict(list)
        for q in qs:
            ranked, g = runs.get(q["id"], []), qrels[q["id"]]
            rows["ndcg@10"].append(ndcg10(ranked, g))
            rows["p@5 topic"].append(sum(g.get(d, 0) >= 1 for d in ranked[:5]) / 5)
            rows["p@5 answer"].append(sum(g.get(d, 0) == 2 for d in ranked[:5]) / 5)
            rows["judged@10"].append(sum(d in g for d in ranked[:10]) / max(1, min(10, len(ranked))))
        out[direction] = {k: sum(v) / len(v) for k, v in rows.items()} | {"queries": len(qs)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index")
    ap.add_argument("--part", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--settle", action="store_true")
    ap.add_argument("--name", help="write a report under bench/results/")
    ap.add_argument("--configs", nargs="*", help="configurations to run (default: all)")
    args = ap.parse_args()
    if args.settle:
        settle()
        return
    from configs import CONFIGS, run_config

    queries = [q for q in load_jsonl(DATA / "queries.jsonl") if args.part in ("all", q["part"])]
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for r in load_jsonl(DATA / "qrels.jsonl"):
        qrels[r["query_id"]][r["doc_id"]] = r["grade"]
    from pipeline import Library

    lib = Library(args.index, readonly=True)
    lib.warm_up()
    lines = [header(f"govjudge, {args.part} part"), "",
             "| configuration | direction | queries | nDCG@10 | P@5 on topic | P@5 answering | judged@10 |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name in args.configs or list(CONFIGS):
        runs = run_config(lib, name, queries)
        for direction, m in score(runs, queries, qrels).items():
            lines.append(f"| {name} | {direction} | {m['queries']} | {m['ndcg@10']:.3f} | {m['p@5 topic']:.3f} "
                         f"| {m['p@5 answer']:.3f} | {m['judged@10']:.2f} |")
        print("\n".join(lines[-4:]), flush=True)
    if args.name:
        write_report(args.name, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
