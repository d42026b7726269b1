"""Ingest on a Ray cluster (pipeline.distributed): a local two-node cluster, a real `chroma run` server.

Each Ray ingest starts its own actors, and each actor loads the model on its first batch: that
load, not the cluster, is most of these tests' time.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path

import pytest
import ray
from conftest import chroma_run
from test_ingest import QUERIES, _records, _same_stores, _stores, two_docs

from pipeline import Library
from pipeline.config import chroma_server, load_settings
from pipeline.errors import GovtextError
from pipeline.types import IngestReport

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cluster():
    """A Ray cluster of two nodes on this machine, one CPU each: its address."""
    from ray.cluster_utils import Cluster

    nodes = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    nodes.add_node(num_cpus=1)
    ray.init(address=nodes.address, log_to_driver=False)
    try:
        yield nodes.address
    finally:
        ray.shutdown()
        nodes.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with chroma_run(tmp_path_factory.mktemp("chroma")) as address:
        yield address


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    """24 real vi-gov and zh-gov records, cut at 3,000 characters (with an empty and a broken line), and two
    demo files: 378 chunks, one commit."""
    folder = tmp_path_factory.mktemp("in")
    return [_records(folder), two_docs(folder / "files")]


def on_server(path: Path, server: tuple[str, int], **kw) -> Library:
    host, port = server
    return Library(path, settings=replace(load_settings(), chroma_host=host, chroma_port=port), **kw)


@pytest.fixture(scope="module")
def local(embedder, inputs, tmp_path_factory):
    """The inputs ingested in one process: (Library, IngestReport)."""
    lib = Library(tmp_path_factory.mktemp("local") / "index", embedder=embedder, create=True)
    return lib, lib.ingest(inputs, workers=1, practices=False)


@pytest.fixture(scope="module")
def distributed(cluster, server, inputs, tmp_path_factory):
    """The inputs ingested on the cluster by `govtext ingest --ray --chroma-url` (a driver process of
    its own), the vectors on the chroma server: (Library, IngestReport read from its --json)."""
    index = tmp_path_factory.mktemp("distributed") / "index"
    host, port = server
    out = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "ingest", *map(str, inputs), "--index", str(index), "--ray", cluster,
         "--chroma-url", f"http://{host}:{port}", "--no-practices", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert out.returncode == 1, out.stderr  # 1: two inputs failed (the empty record and the broken line)
    return on_server(index, server), _report(json.loads(out.stdout))


def _report(data: dict) -> IngestReport:
    """The IngestReport that `govtext ingest --json` printed."""
    pairs = {key: tuple((x["source"], x["reason"]) for x in data[key]) for key in ("skipped", "failed", "kept",
                                                                                   "repaired")}
    plain = {f.name: data[f.name] for f in fields(IngestReport) if f.name not in (*pairs, "removed") and f.name in data}
    return IngestReport(**plain, **pairs, removed=tuple(data["removed"]))


@pytest.mark.slow
def test_a_ray_ingest_gives_the_stores_and_report_of_a_local_one(local, distributed, cluster, inputs):
    (one, mine), (lib, theirs) = local, distributed
    assert theirs.documents == mine.documents == 24 + 2
    assert (theirs.chunks, theirs.failed, theirs.skipped, theirs.unchanged) == \
        (mine.chunks, mine.failed, mine.skipped, mine.unchanged)
    assert len(theirs.failed) == 2  # the empty record and the broken line
    assert theirs.workers == 2 and theirs.stage_seconds.get("waiting_for_workers", 0.0) > 0
    assert theirs.tokens == mine.tokens
    # ids, sources, chunk texts and metadata, vectors within 1e-6 cosine, BM25 top fives, groups, mentions
    _same_stores(_stores(one), _stores(lib))
    # the vectors live on the server; the lexical index and the manifest beside the writer
    assert not (lib.path / "chroma").exists()
    assert (lib.path / "lexical").is_dir() and (lib.path / "manifest.sqlite").is_file()
    assert lib.vectors.count() == len(one.manifest.ok_chunks())
    # again: nothing changes, and the actors skip what the index holds (they can read its manifest)
    again = lib.ingest(inputs, ray=cluster, practices=False)
    assert (again.documents, again.unchanged) == (0, 26)
    assert again.stage_seconds.get("segment", 0.0) == 0.0
    _same_stores(_stores(one), _stores(lib))


@pytest.mark.slow
def test_killed_actors_are_restarted_or_replaced_without_loss_or_duplicates(
        local, cluster, inputs, chroma_server, tmp_path, monkeypatch):
    import pipeline.distributed as distributed
    import pipeline.ingest as ingest

    monkeypatch.setattr(ingest, "FLUSH_CHUNKS", 128)  # several commits, as a longer ingest makes
    one, mine = local
    lib = on_server(tmp_path / "index", chroma_server, create=True)
    pools = []

    class Watched(distributed.ActorPool):
        """The run's pool, to see which calls an actor holds when it is killed."""

        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            pools.append(self)

    monkeypatch.setattr(distributed, "ActorPool", Watched)
    seen: dict = {}

    def kill_on_the_way(progress) -> None:
        """Kill the first actor as the first prepared document comes back, with more queued on it (Ray
        restarts it and runs them again), and the second for good as the batch goes to embedding (its
        share goes to the first)."""
        actors = pools[0].actors
        if "first" not in seen:  # before any work: an actor runs its calls in turn, so later this would wait for them
            seen["first"] = ray.get(actors[0].pid.remote())
        elif "queued" not in seen and progress.source:
            seen["queued"] = [ref for ref, i in list(pools[0].outstanding.items())
                              if i == 0 and not ray.wait([ref], timeout=0)[0]]
            ray.kill(actors[0], no_restart=False)
        elif "queued" in seen and "first again" not in seen and progress.stage == "embed":
            seen["first again"] = ray.get(actors[0].pid.remote())
            ray.kill(actors[1], no_restart=True)

    report = lib.ingest(inputs, ray=cluster, practices=False, progress=kill_on_the_way)
    assert "first again" in seen, "the actors were never killed"
    assert seen["queued"], "the first actor held no unfinished call when it was killed"
    assert seen["first again"] != seen["first"]  # Ray restarted the killed actor in a new process
    assert pools[0].dead == {1}  # the first actor's calls ran again on it; the second's share went to it
    assert (report.documents, report.chunks, report.failed, report.skipped) == \
        (mine.documents, mine.chunks, mine.failed, mine.skipped)
    _same_stores(_stores(one), _stores(lib))
    assert lib.vectors.count() == len(lib.manifest.ok_chunks())  # nothing stored twice
    assert lib.check().ok


@pytest.mark.slow
def test_two_readers_search_one_index_through_the_chroma_server(distributed, server):
    lib, _ = distributed
    host, port = server
    # a second process per query, as another `govtext serve` would be, all reading at once
    others = {query: subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "search", query, "--k", "5", "--json", "--index", str(lib.path),
         "--chroma-url", f"http://{host}:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        for query in QUERIES}
    reader = on_server(lib.path, server, readonly=True)
    for query, other in others.items():
        here = reader.search(query, k=5)
        assert here, query
        out, err = other.communicate(timeout=300)
        assert other.returncode == 0, err
        there = json.loads(out)  # the same documents and passages
        assert [h["doc_id"] for h in there] == [h.doc_id for h in here], query
        assert [h["score"] for h in there] == pytest.approx([h.score for h in here], abs=1e-6), query


@pytest.mark.parametrize("url, settings", [
    ("http://127.0.0.1:8123", {"chroma_host": "127.0.0.1", "chroma_port": 8123}),
    ("chroma.internal:9000", {"chroma_host": "chroma.internal", "chroma_port": 9000}),
    ("http://chroma", {"chroma_host": "chroma", "chroma_port": 8000}),
    (None, {}),
])
def test_a_chroma_url_gives_the_server_settings(url, settings):
    assert chroma_server(url) == settings


@pytest.mark.parametrize("url", ["https://chroma:8000", "http://:8000", "http://chroma:port"])
def test_a_chroma_url_that_is_not_one_is_refused(url):
    with pytest.raises(GovtextError, match="not a Chroma server URL"):
        chroma_server(url)


def test_an_unreachable_cluster_is_one_clear_line_and_no_index(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "ingest", str(ROOT / "corpora"), "--index", str(tmp_path / "index"),
         "--ray", f"127.0.0.1:{port}", "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines()[-1].startswith(f"govtext: cannot reach the Ray cluster at 127.0.0.1:{port}")
    assert not (tmp_path / "index").exists()
