"""A bounded load test of the web app: a fixed number of requests from N concurrent users against
`govtext serve` (run as its own process, warmed up), reporting p50/p95 per endpoint and every error.

    .venv/bin/python bench/web_load.py --index /path/to/index --requests 800 --users 20

The index must exist (build it with `govtext ingest`). Each user takes the next request of a fixed,
interleaved schedule (searches in Vietnamese and Chinese, search pages with facets, compare, the
practice catalogue and a card, document views, stats, CSV exports) until all are sent; latency is
the wall time of one request including reading the whole answer.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from itertools import cycle
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote
from urllib.request import urlopen

from common import ROOT, header, write_report

QUERIES = [
    "一征三议两公开", "居民自治", "业主委员会 选举", "老旧小区改造", "物业服务 收费", "停车 管理",
    "Ban quản trị nhà chung cư", "cải tạo chung cư cũ", "quản lý nhà chung cư", "tổ dân phố", "hội nghị nhà chung cư",
    "phí bảo trì", "居民委员会", "街道办事处 职责",
]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def start_server(index: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", "--index", index, "--port", "0", "--workers", str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    line = proc.stdout.readline()
    if " at http://" not in line:
        proc.kill()
        raise SystemExit(f"the server did not start: {line}{proc.stderr.read()}")
    return proc, line.split(" at ", 1)[1].split("/ ", 1)[0].split()[0].rstrip("/")


def schedule(base: str, n: int) -> list[tuple[str, str]]:
    """(endpoint, url) for n requests, endpoints interleaved."""
    api = json.loads(urlopen(f"{base}/api/practices?per_page=20", timeout=600).read())
    names = [p["name"] for p in api["practices"]] or ["一征三议两公开"]
    hits = json.loads(urlopen(f"{base}/api/search?q={quote(QUERIES[0])}&k=20", timeout=600).read())["hits"]
    docs = [(h["doc_id"], h["start"], h["end"]) for h in hits]
    q, name, doc = cycle(QUERIES), cycle(names), cycle(docs)

    def doc_url(doc_id: str, start: int, end: int) -> str:
        return f"/doc/{quote(doc_id, safe='')}?start={start}&end={end}"

    makers = {
        "GET /api/search": lambda: f"/api/search?q={quote(next(q))}&k=10",
        "GET /search (page)": lambda: f"/search?q={quote(next(q))}",
        "GET /api/search (lang=zh)": lambda: f"/api/search?q={quote(next(q))}&k=10&lang=zh",
        "GET /api/compare": lambda: f"/api/compare?q={quote(next(q))}&k=5",
        "GET /practices (page)": lambda: "/practices?page=2",
        "GET /practice (card)": lambda: f"/practice?name={quote(next(name))}",
        "GET /doc/{id} (page)": lambda: doc_url(*next(doc)),
        "GET /api/stats": lambda: "/api/stats",
        "GET /export/search csv": lambda: f"/export/search?q={quote(next(q))}&format=csv&k=50",
    }
    weights = {"GET /api/search": 4, "GET /search (page)": 2, "GET /api/search (lang=zh)": 1}
    order = [name for name in makers for _ in range(weights.get(name, 1))]
    return [(order[i % len(order)], base + makers[order[i % len(order)]]()) for i in range(n)]


def run(plan: list[tuple[str, str]], users: int, think: float = 0.0) -> tuple[dict, dict, float]:
    """Send `plan` from `users` threads, each pausing uniformly 0..2*`think` seconds after an answer
    (0: the next request at once, the harshest case)."""
    pauses = random.Random(7)
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    todo = iter(plan)

    def user():
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            endpoint, url = item
            t0 = time.perf_counter()
            try:
                with urlopen(url, timeout=300) as r:
                    r.read()
                    ok = r.status == 200
                    problem = "" if ok else f"status {r.status}"
            except HTTPError as e:
                problem = f"status {e.code}: {e.read()[:120]!r}"
            except (OSError, ValueError) as e:  # a refused or dropped connection, a URL the client cannot send
                problem = f"{type(e).__name__}: {e}"
            elapsed = time.perf_counter() - t0
            with lock:
                times[endpoint].append(elapsed)
                if problem:
                    errors[endpoint].append(problem)
                pause = pauses.uniform(0, 2 * think) if think else 0.0
            time.sleep(pause)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", required=True)
    ap.add_argument("--requests", type=int, default=800, help="requests in all (default 800)")
    ap.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    ap.add_argument("--think", type=float, default=0.0,
                    help="mean pause of a user between requests, in seconds (default 0: none)")
    ap.add_argument("--alone", type=int, default=104, help="requests sent by one user first, for comparison")
    ap.add_argument("--about", default="", help="a line saying what the index holds, for the report")
    ap.add_argument("--name", default="web-load")
    ap.add_argument("--workers", type=int, default=1, help="`govtext serve --workers` (default 1)")
    args = ap.parse_args()
    proc, base = start_server(args.index, args.workers)
    try:
        stats = None
        for _ in range(100):  # the address is printed just before uvicorn starts accepting
            try:
                stats = json.loads(urlopen(f"{base}/api/stats", timeout=600).read())
                break
            except OSError:
                time.sleep(0.2)
        plan = schedule(base, args.requests)
        alone, _alone_errors, _ = run(plan[: args.alone], 1)
        load_before = os.getloadavg()[0]
        times, errors, seconds = run(plan, args.users, args.think)
        load_after = os.getloadavg()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lines = [header("Web app under load"),
             f"- index: {stats['documents']} documents, {stats['chunks']} chunks{' (' + args.about + ')' if args.about else ''}",
             f"- {len(plan)} requests from {args.users} concurrent users in {seconds:.1f} s "
             f"({len(plan) / seconds:.1f} requests/s); "
             + (f"each user pauses 0-{2 * args.think:g} s after an answer; " if args.think else "no pauses; ")
             + f"server: `govtext serve --workers {args.workers}` (uvicorn), warmed up",
             f"- errors: {sum(len(e) for e in errors.values())}",
             f"- load average (1 min) before and after: {load_before:.1f}, {load_after:.1f} "
             f"on {os.cpu_count()} cores (other work on the machine counts too)",
             f"- 'alone' is the p50 of the first {len(plan[: args.alone])} requests of the same schedule sent by "
             "one user before the load\n",
             "| endpoint | requests | p50 ms | p95 ms | max ms | mean ms | errors | alone p50 ms |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for endpoint, values in times.items():
        ms = [v * 1000 for v in values]
        single = f"{percentile([v * 1000 for v in alone[endpoint]], 0.5):.0f}" if alone.get(endpoint) else ""
        lines.append(f"| {endpoint} | {len(ms)} | {percentile(ms, 0.5):.0f} | {percentile(ms, 0.95):.0f} | "
                     f"{max(ms):.0f} | {statistics.mean(ms):.0f} | {len(errors.get(endpoint, []))} | {single} |")
    for endpoint, problems in errors.items():
        lines.append(f"\n{endpoint}: " + "; ".join(sorted(set(problems))[:5]))
    write_report(args.name, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
