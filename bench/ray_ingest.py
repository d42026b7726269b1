"""Ingest on a Ray cluster against a local ingest of the same files: wall time and store equality.

A two-node Ray cluster runs on this machine (`ray.cluster_utils.Cluster`, one CPU per node) and a
`chroma run` server holds the Ray runs' vectors; each run is `govtext ingest ... --json
--no-practices` in its own process (start-up, actor start and model loads included), local
(`--workers 1`) and Ray (`--ray ADDRESS --chroma-url URL`) alternating. On one 2-core machine the
cluster's actors share the cores the local run has to itself: this shows what Ray costs and that the
stores are equal, not a speed-up, which needs more machines.

    .venv/bin/python bench/ray_ingest.py --n 40 --rounds 2
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from common import ROOT, SHARED, header, slice_jsonl, write_report
from ingest_workers import same, stores

CORPORA = {"vi": SHARED / "corpora/vi-gov/corpus.jsonl", "zh": SHARED / "corpora/zh-gov/corpus.jsonl"}


@contextmanager
def vector_server(folder: Path):
    """`chroma run` on a free port, storing in `folder`; yields its URL once it answers."""
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("chroma run did not answer within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def ingest(inputs: Path, index: Path, *options: str) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(inputs), "--index", str(index),
                          "--json", "--no-practices", *options], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr[-2000:])
    return {"wall": wall, "report": json.loads(out.stdout)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=40, help="documents per language")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--name", default="ray-ingest")
    args = ap.parse_args()
    import ray
    from ray.cluster_utils import Cluster

    runs: dict[str, list[dict]] = {"local": [], "ray": []}
    checks = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs = tmp / "in"
        inputs.mkdir()
        for lang, path in CORPORA.items():
            slice_jsonl(path, args.n, inputs / f"{lang}.jsonl")
        t0 = time.perf_counter()
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
        cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        cluster_seconds = time.perf_counter() - t0
        try:
            for r in range(args.rounds):
                for kind in (("local", "ray") if r % 2 == 0 else ("ray", "local")):
                    index = tmp / f"{kind}-{r}"
                    if kind == "local":
                        got = ingest(inputs, index, "--workers", "1")
                    else:
                        with vector_server(tmp / f"chroma-{r}") as url:
                            got = ingest(inputs, index, "--ray", cluster.address, "--chroma-url", url)
                            if r == 0:
                                host, port = url.rsplit("/", 1)[1].split(":")
                                ray_stores = stores(index, chroma_host=host, chroma_port=int(port))
                    runs[kind].append(got)
                    print(kind, r, f"{got['wall']:.1f} s", flush=True)
            checks.append(f"Ray against local (first round): {same(stores(tmp / 'local-0'), ray_stores)}")
        finally:
            ray.shutdown()
            cluster.shutdown()
    lines = [
        header(f"Ingest on a two-node Ray cluster against a local ingest: {args.n} vi-gov and {args.n} zh-gov "
               f"documents, {args.rounds} rounds, alternating"),
        "One machine: both Ray nodes (one CPU each) and the writer share its 2 cores, so this measures Ray's "
        "overhead and checks equality; it cannot show a speed-up. Medians over the rounds. Wall is the whole "
        "command (start-up, actor start and model loads included); ingest s is the report's own time.",
        f"Starting the cluster (not counted in the runs) took {cluster_seconds:.1f} s.",
        "",
        "| run | documents | chunks | tokens | wall s | ingest s | embed s | waiting for workers s | x local wall |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    base = statistics.median(g["wall"] for g in runs["local"])
    for kind in ("local", "ray"):
        rep = runs[kind][0]["report"]
        med = {key: statistics.median(g["report"]["stage_seconds"].get(key, 0.0) for g in runs[kind])
               for key in ("embed", "waiting_for_workers")}
        wall = statistics.median(g["wall"] for g in runs[kind])
        secs = statistics.median(g["report"]["seconds"] for g in runs[kind])
        lines.append(f"| {kind} | {rep['documents']} | {rep['chunks']} | {rep['tokens']:,} | {wall:.1f} | {secs:.1f} "
                     f"| {med['embed']:.1f} | {med['waiting_for_workers']:.1f} | {wall / base:.2f} |")
    lines += ["", "Stores:", ""] + [f"- {c}" for c in checks]
    write_report(args.name, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
