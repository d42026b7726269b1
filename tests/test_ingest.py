"""The ingest engine under crashes, overlapping writers and bad inputs (real model, chromadb, tantivy, files)."""
from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline import Library
from pipeline.errors import IndexBusy, IndexNotFound
from pipeline.index.lock import WriterLock

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("一征三议两公开", "Ban quản trị nhà chung cư", "居民自治", "cải tạo chung cư cũ")


def govtext(*args, index, env=None, **kw):
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--index", str(index)],
                          capture_output=True, text=True, env=full, cwd=ROOT, **kw)


def snapshot(lib: Library, exact: bool = False) -> dict:
    """Everything that must be equal between two indexes of the same files.

    Passages embedded in other batches (another order of ingest) differ in the last bf16 bits
    (max 0.003 per dimension), enough to swap documents whose scores tie to 0.001: unless `exact`,
    rankings are compared as the best document and the set of the top five.
    """
    m = lib.manifest
    top = {q: [h.doc_id for h in lib.search(q, k=5)] for q in QUERIES}
    return {
        "documents": m.ok_documents(),
        "chunks": sorted(m.ok_chunks()),
        "vectors": sorted(lib.vectors.all_ids()),
        "lexical": sorted(lib.lexical.all_chunk_ids()),
        "pending": m.pending_documents(),
        "top5": top if exact else {q: (ids[0], sorted(ids)) for q, ids in top.items()},
    }


@pytest.fixture(scope="module")
def serial(embedder, tmp_path_factory):
    """The demo corpus ingested once, without interruption: what every other run must equal."""
    lib = Library(tmp_path_factory.mktemp("serial") / "index", embedder=embedder, create=True)
    lib.ingest([ROOT / "corpora"])
    return lib


def two_docs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "corpora" / "vi_thanh-xuan_chung-cu-cu_2022.txt", folder / "vi.txt")
    shutil.copy(ROOT / "corpora" / "zh_jiuliting_duxiang.txt", folder / "zh.txt")
    return folder


@pytest.fixture(scope="module")
def two_docs_serial(embedder, tmp_path_factory):
    """The two documents of `two_docs` ingested once, without interruption (snapshots hold no paths)."""
    lib = Library(tmp_path_factory.mktemp("two-serial") / "index", embedder=embedder, create=True)
    lib.ingest([two_docs(tmp_path_factory.mktemp("two-docs"))])
    return lib


# ---------------------------------------------------------------- crashes


def _run_until_writing(cmd, index: Path) -> tuple[subprocess.Popen, float]:
    """Start an ingest; return it once it has created the manifest (start-up done, writes begin), and when."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = index / "manifest.sqlite"
    while not manifest.exists() and proc.poll() is None:
        time.sleep(0.02)
    return proc, time.perf_counter()


@pytest.mark.slow
def test_kill_9_at_seeded_random_moments_then_resume_equals_a_serial_run(embedder, serial, tmp_path):
    """Two kills at seeded moments of the write phase (0.54 and 0.06 of it): on two cores the first finds the
    documents pending (the model loading or embedding), the second the next run rolling them back (`deleting`)."""
    rng = random.Random(20261206)
    indexes = (tmp_path / f"index-{n}" for n in itertools.count())

    def ingest(index: Path) -> tuple[subprocess.Popen, float]:
        return _run_until_writing([sys.executable, "-m", "pipeline.cli", "ingest", str(ROOT / "corpora"),
                                   "--index", str(index), "--quiet"], index)

    proc, writing = ingest(next(indexes))
    assert proc.wait() == 0
    span = time.perf_counter() - writing  # how long the reading and writing take, start-up excluded
    index, killed, attempts = next(indexes), 0, 0
    while killed < 2 and attempts < 6:
        attempts += 1
        proc, writing = ingest(index)
        try:
            proc.wait(timeout=rng.uniform(0.0, 0.9) * span)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed += 1
        else:  # it finished first (the span was timed under more load): it too must equal the serial run, and
            # the next kills are timed by it, in a new index, so that none lands in a run left nothing to do
            span = time.perf_counter() - writing
            assert proc.returncode == 0
            finished = Library(index, embedder=embedder, readonly=True)
            assert snapshot(finished, exact=True) == snapshot(serial, exact=True)
            index, killed = next(indexes), 0
    assert killed == 2
    # the resume in this process, with the model loaded (the SIGTERM test resumes through the CLI)
    lib = Library(index, embedder=embedder)
    assert lib.ingest([ROOT / "corpora"]).ok
    assert snapshot(lib, exact=True) == snapshot(serial, exact=True)  # same batches as the serial run
    assert lib.check().ok


@pytest.mark.slow
def test_sigterm_stops_an_ingest_between_steps_with_exit_130_and_the_next_run_completes(embedder, serial, tmp_path):
    """SIGTERM is Ctrl-C: the command ends between Python steps (never inside a chroma or tantivy
    write), says so, and exits 130; the next run resumes to the serial run's stores."""
    index = tmp_path / "index"
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(ROOT / "corpora"), "--index", str(index), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    manifest = index / "manifest.sqlite"
    while proc.poll() is None and not (manifest.exists() and _documents_in(manifest)):
        time.sleep(0.05)  # until the first batch is committed
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode in (130, 0), err  # 0: it had finished before the signal came
    if proc.returncode == 130:
        assert "interrupted; run the same command again to resume" in err and "Traceback" not in err
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lib = Library(index, embedder=embedder)
    assert snapshot(lib) == snapshot(serial) and lib.check().ok


def _documents_in(manifest: Path) -> int:
    import sqlite3

    try:
        db = sqlite3.connect(f"{manifest.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


# Points inside an ingest batch, and whether the stores disagree right after a crash there.
INGEST_POINTS = {"pending": True, "vectors": True, "lexical": True, "ok": False}
REMOVE_POINTS = ("deleting", "deleted_vectors", "deleted_lexical")


@pytest.mark.slow
@pytest.mark.parametrize("point", sorted(INGEST_POINTS))
def test_a_crash_between_store_writes_is_never_seen_and_is_rolled_back(embedder, two_docs_serial, tmp_path, point):
    src = two_docs(tmp_path / "docs")
    index = tmp_path / "index"
    crashed = govtext("ingest", str(src), "--quiet", index=index, env={"GOVTEXT_FAULT": point})
    assert crashed.returncode == -signal.SIGKILL
    lib = Library(index, embedder=embedder, readonly=True)
    pending = set(lib.manifest.pending_documents())
    assert bool(pending) == INGEST_POINTS[point]
    for q in QUERIES:  # no search sees any part of a pending document
        assert not {h.doc_id for h in lib.search(q, k=10)} & pending
    assert lib.check().ok is not INGEST_POINTS[point]
    writer = Library(index, embedder=embedder)
    report = writer.repair()
    assert set(report.rolled_back) == pending and report.after.ok
    writer.ingest([src])
    assert snapshot(writer) == snapshot(two_docs_serial)


@pytest.mark.slow
@pytest.mark.parametrize("point", REMOVE_POINTS)
def test_a_crash_during_removal_hides_the_document_and_repair_finishes_it(embedder, tmp_path, point):
    src = two_docs(tmp_path / "docs")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    lib.close()
    crashed = govtext("remove", str(src / "zh.txt"), index=lib.path, env={"GOVTEXT_FAULT": point})
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    reader = Library(lib.path, embedder=embedder, readonly=True)
    gone = set(reader.manifest.pending_documents())
    assert len(gone) == 1
    assert all(h.lang == "vi" for h in reader.search("居民自治", k=10))
    assert not reader.check().ok
    assert govtext("repair", index=lib.path).returncode == 0
    after = Library(lib.path, embedder=embedder, readonly=True)
    assert after.check().ok and [d["source"] for d in after.documents()] == [str(src / "vi.txt")]


# ---------------------------------------------------------------- one writer at a time


def _hold_lock(index: Path, seconds: float) -> subprocess.Popen:
    code = ("import sys, time; from pipeline.index.lock import WriterLock\n"
            f"l = WriterLock({str(index)!r}); l.acquire(); print('held', flush=True); time.sleep({seconds})")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_fails_at_once_naming_the_holder_or_waits(embedder, tmp_path):
    src = two_docs(tmp_path / "docs")
    index = tmp_path / "index"
    holder = _hold_lock(index, 4)
    try:
        lib = Library(index, embedder=embedder, create=True)
        with pytest.raises(IndexBusy, match=f"pid {holder.pid}"):
            lib.ingest([src])
        assert lib.stats()["documents"] == 0  # it never half-ran
        out = govtext("ingest", str(src), "--quiet", index=index)
        assert out.returncode == 3 and f"pid {holder.pid}" in out.stderr and "--wait" in out.stderr
        told = []
        t0 = time.perf_counter()
        report = lib.ingest([src], wait=True, on_wait=told.append)
        assert time.perf_counter() - t0 > 1 and told and told[0].pid == holder.pid
        assert report.documents == 2
    finally:
        holder.kill()


def test_a_dead_holder_leaves_no_lock(tmp_path):
    holder = _hold_lock(tmp_path, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with WriterLock(tmp_path):  # the kernel released it with the process
        pass


@pytest.mark.slow
def test_two_ingests_started_together_with_searches_running_equal_a_serial_run(embedder, serial, tmp_path):
    index = tmp_path / "index"
    seeded = Library(index, embedder=embedder, create=True)
    seeded.ingest([ROOT / "corpora" / "vi_nghi-quyet_giang-bien_2021.txt"])  # something to search from the start
    seeded.close()
    errors, seen, ingested = [], [], threading.Event()

    def searches():  # one search process after another, each opening the index afresh, until both ingests end
        for i in itertools.count():
            out = govtext("search", QUERIES[i % len(QUERIES)], "--json", "--k", "5", index=index)
            if out.returncode != 0:
                errors.append(out.stderr)
            else:
                seen.append({h["doc_id"]: len(h["passages"]) for h in json.loads(out.stdout)})
            if ingested.is_set():
                return

    reader = threading.Thread(target=searches)
    reader.start()
    ingest = [sys.executable, "-m", "pipeline.cli", "ingest", "--wait", "--quiet", "--index", str(index)]
    try:
        a = subprocess.Popen([*ingest, str(ROOT / "corpora")], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        b = subprocess.Popen([*ingest, str(ROOT / "corpora" / "zh_erqi_old-neighbourhoods.txt")], cwd=ROOT,
                             stderr=subprocess.PIPE, text=True)
        assert a.wait(timeout=600) == 0 and b.wait(timeout=600) == 0
    finally:
        ingested.set()
        reader.join()
    assert not errors and seen
    lib = Library(index, embedder=embedder)
    assert snapshot(lib) == snapshot(serial)
    final = set(lib.manifest.ok_doc_ids())
    assert all(set(hits) <= final for hits in seen)  # nothing half-added or since-vanished was shown
    assert lib.check().ok


# ---------------------------------------------------------------- removal, sync, stale files


def test_remove_by_id_prefix_and_by_path(embedder, tmp_path):
    src = two_docs(tmp_path / "docs")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    vi = next(d["doc_id"] for d in lib.documents() if d["lang"] == "vi")
    assert lib.remove([vi[:6]])["removed"] == [vi]
    assert lib.remove([str(src / "zh.txt")])["removed"]
    assert lib.stats()["documents"] == 0 and lib.check().ok
    with pytest.raises(Exception, match="no document or source"):
        lib.remove(["nothing-like-this"])


def test_an_emptied_file_keeps_its_last_version_until_sync(embedder, tmp_path):
    src = two_docs(tmp_path / "docs")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    (src / "zh.txt").write_text("   \n", encoding="utf-8")
    report = lib.ingest([src])
    assert [s for s, _ in report.failed] == [str(src / "zh.txt")]
    assert "last good version stays" in report.failed[0][1] and report.kept
    assert any(h.lang == "zh" for h in lib.search("居民自治", k=5))  # still searchable, on purpose
    report = lib.ingest([src], sync=True)
    assert len(report.removed) == 1
    assert all(h.lang == "vi" for h in lib.search("居民自治", k=5)) and lib.check().ok


def test_sync_removes_documents_of_deleted_files(embedder, tmp_path):
    src = two_docs(tmp_path / "docs")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    (src / "vi.txt").unlink()
    assert lib.ingest([src]).removed == ()  # without --sync nothing is dropped
    assert lib.stats()["documents"] == 2
    assert len(lib.ingest([src], sync=True).removed) == 1
    assert [d["source"] for d in lib.documents()] == [str(src / "zh.txt")]


def test_records_gone_from_a_jsonl_file_are_kept_then_synced(embedder, tmp_path):
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": "a", "text": "Ban quản trị nhà chung cư do hội nghị nhà chung cư bầu ra."},
            {"id": "b", "text": "业主委员会由业主大会选举产生。"}]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([corpus])
    corpus.write_text(json.dumps(rows[0], ensure_ascii=False), encoding="utf-8")
    assert lib.ingest([corpus]).kept and lib.stats()["documents"] == 2
    assert lib.ingest([corpus], sync=True).removed == ("c:b",)


# ---------------------------------------------------------------- bad and special inputs


def test_special_files_are_skipped_with_a_reason_never_opened(embedder, tmp_path):
    src = two_docs(tmp_path / "docs")
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "dangling.txt").symlink_to(src / "nowhere.txt")
    os.mkfifo(src / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "sock.txt"))
    try:
        lib = Library(tmp_path / "index", embedder=embedder, create=True)
        report = lib.ingest([src, src / "fifo.txt"])  # also named directly
    finally:
        sock.close()
    skipped = dict(report.skipped)
    assert report.documents == 2
    assert "symbolic link loop" in skipped[str(src / "loop.txt")]
    assert "dangling" in skipped[str(src / "dangling.txt")]
    assert "FIFO" in skipped[str(src / "fifo.txt")] and "socket" in skipped[str(src / "sock.txt")]


def test_invalid_bytes_and_nuls_in_utf8_text_are_replaced_and_counted(embedder, tmp_path):
    text = (ROOT / "corpora" / "vi_thanh-xuan_chung-cu-cu_2022.txt").read_bytes()
    cut = text.index(b"\n", 2000)
    (tmp_path / "bad.txt").write_bytes(text[:cut] + b"\xff\x00" + text[cut:])
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([tmp_path / "bad.txt"])
    assert report.documents == 1 and not report.failed
    assert report.repaired == ((str(tmp_path / "bad.txt"), "2 invalid bytes or NULs replaced"),)


def test_oversized_file_is_refused_with_the_limit_and_the_batch_goes_on(embedder, tmp_path):
    src = two_docs(tmp_path / "docs")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([src], max_size=6000)  # vi.txt is 5.1 KB, zh.txt 6.8 KB
    assert report.documents == 1
    (source, reason), = report.failed
    assert source == str(src / "zh.txt")
    assert "--max-size" in reason and "limit" in reason


def test_a_long_text_is_ingested_in_parts_that_rebuild_it(embedder, tmp_path, monkeypatch):
    import pipeline.readers.txt as txt

    monkeypatch.setattr(txt, "PART_CHARS", 3000)
    text = (ROOT / "corpora" / "vi_nghi-quyet_giang-bien_2021.txt").read_text(encoding="utf-8")
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([tmp_path / "long.txt"])
    parts = sorted(lib.documents(), key=lambda d: int(d["title"].rsplit("(", 1)[1].split("/")[0]))
    assert report.documents == len(parts) >= 3 and not report.failed
    from pipeline.normalize import normalize_text

    assert normalize_text(" ".join(lib.show(d["doc_id"]).text for d in parts)).split() == normalize_text(text).split()
    # a shorter version has fewer parts: the old parts go
    (tmp_path / "long.txt").write_text(text[:4000], encoding="utf-8")
    lib.ingest([tmp_path / "long.txt"])
    assert len(lib.documents()) == 2 and lib.check().ok


def test_a_long_file_is_committed_part_by_part_and_a_change_while_read_is_reported(embedder, tmp_path, monkeypatch):
    """Parts are taken as the reader yields them (memory stays one part's), so a file that changes
    meanwhile cannot be re-read whole: its parts are kept and the report says they may be stale."""
    import pipeline.ingest as ingest
    import pipeline.readers.txt as txt

    monkeypatch.setattr(txt, "PART_CHARS", 3000)
    text = (ROOT / "corpora" / "vi_nghi-quyet_giang-bien_2021.txt").read_text(encoding="utf-8")
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    handed = []
    original = ingest._Run.take
    monkeypatch.setattr(ingest._Run, "take", lambda run, path, raw: (handed.append(raw.meta["part"]), original(run, path, raw)))
    ticks = iter(range(10**6))
    monkeypatch.setattr(ingest, "_file_state", lambda path: next(ticks))
    report = lib.ingest([tmp_path / "long.txt"])
    assert handed == list(range(1, len(handed) + 1)) and len(handed) >= 3
    assert report.documents == len(handed) == len(lib.documents())
    assert "some parts may be from its old version" in dict(report.failed)[f"{tmp_path / 'long.txt'}:changed"]
    assert lib.check().ok


# ---------------------------------------------------------------- no index made by a typo


def test_a_missing_index_is_never_created_by_reading(tmp_path):
    with pytest.raises(IndexNotFound, match="no index at"):
        Library(tmp_path / "typo")
    out = govtext("show", "X", index=tmp_path / "typo")
    assert out.returncode == 2 and "no index at" in out.stderr
    assert not (tmp_path / "typo").exists()


@pytest.mark.slow
def test_reading_commands_leave_the_manifest_untouched(embedder, tmp_path):
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([two_docs(tmp_path / "docs")])
    lib.close()
    manifest = lib.path / "manifest.sqlite"
    before = (manifest.read_bytes(), manifest.stat().st_mtime_ns)
    for args in (("search", "居民自治"), ("stats",), ("check",), ("show", lib.documents()[0]["doc_id"])):
        assert govtext(*args, index=lib.path).returncode == 0, args
    assert (manifest.read_bytes(), manifest.stat().st_mtime_ns) == before
    with pytest.raises(Exception, match="read-only"):
        Library(lib.path, readonly=True).ingest([tmp_path / "docs"])


@pytest.mark.slow
def test_a_long_lived_reader_sees_what_another_process_commits(embedder, tmp_path):
    src = two_docs(tmp_path / "docs")
    writer = Library(tmp_path / "index", embedder=embedder, create=True)
    writer.ingest([src / "vi.txt"])
    writer.close()
    reader = Library(writer.path, embedder=embedder, readonly=True)
    assert {h.lang for h in reader.search("居民自治", k=5, mode="dense")} == {"vi"}
    assert govtext("ingest", str(src / "zh.txt"), "--quiet", index=writer.path).returncode == 0
    assert reader.search("居民自治", k=5, mode="dense")[0].lang == "zh"  # its chroma view was reopened


# ---------------------------------------------------------------- progress that tells the truth


def test_progress_counts_committed_work_and_the_report_gives_stages_tokens_and_memory(embedder, tmp_path, monkeypatch):
    import pipeline.ingest as ingest

    monkeypatch.setattr(ingest, "FLUSH_CHUNKS", 1)  # a commit after every document
    src = two_docs(tmp_path / "docs")
    (src / "empty.txt").write_text("  \n", encoding="utf-8")
    seen = []
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([src], progress=seen.append, practices=False)
    # nothing counts as done before it is committed: documents and inputs only grow at commits
    assert [p.documents for p in seen] == sorted(p.documents for p in seen)
    assert seen[-1].documents == report.documents == 2 and seen[-1].inputs_done == 3
    assert seen[-1].chunks == report.chunks and seen[-1].tokens == report.tokens > report.chunks
    assert {p.stage for p in seen} >= {"read", "words", "embed", "store_vectors", "store_lexical"}
    assert {p.source for p in seen} >= {str(src / "vi.txt"), str(src / "zh.txt")}
    assert seen[-1].eta(3) == 0.0 and seen[0].eta(3) is None and seen[-1].rate(seen[-1].tokens) > 0
    assert "docs/s" in seen[-1].summary() and "tokens/s" in seen[-1].summary()
    d = report.to_dict()
    assert d["tokens"] == report.tokens and d["peak_rss_mb"] > 100 and d["tokens_per_second"] > 0
    assert "embed" in d["stage_seconds"] and report.stages().startswith(max(d["stage_seconds"], key=d["stage_seconds"].get))


def test_the_cli_closes_with_rates_stages_and_peak_memory(tmp_path):
    src = two_docs(tmp_path / "docs")
    out = govtext("ingest", str(src), "--no-practices", index=tmp_path / "index")
    assert out.returncode == 0, out.stderr
    assert "peak RSS" in out.stdout and "stages: " in out.stdout and "tokens/s" in out.stdout
    assert "embed" in out.stdout.split("stages: ")[1]


# ---------------------------------------------------------------- worker processes

SHARED = ROOT.parent / "shared"


LONG = 20_000  # characters: the writer-kill test needs long records (10 of the first 40 are longer)


def _records(folder: Path, n: int = 24, chars: int | None = 3000) -> Path:
    """A JSONL file of real vi-gov and zh-gov records, alternating, with an empty and a broken line.

    Each record's text is cut to its first `chars` characters (None: whole): still several chunks
    each, and a quarter of the embedding on a CPU without bf16 units, where whole records made each
    ingest of these tests take minutes. Cut at LONG, the first 40 records hold 509,000 characters instead
    of 749,000 (the first Vietnamese record alone has 215,709).
    """
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    with open(SHARED / "corpora/vi-gov/corpus.jsonl", encoding="utf-8") as vi, \
            open(SHARED / "corpora/zh-gov/corpus.jsonl", encoding="utf-8") as zh:
        for a, b in zip(vi, zh):
            for line in (a, b):
                record = json.loads(line)
                record["text"] = record["text"][:chars] if chars else record["text"]
                lines.append(json.dumps(record, ensure_ascii=False))
            if len(lines) >= n:
                break
    lines.insert(5, json.dumps({"id": "empty", "text": "   "}))
    lines.insert(9, "{not json")
    path = folder / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stores(lib: Library) -> dict:
    m = lib.manifest
    rows = m.db.execute("SELECT source, doc_id, status, reason FROM sources ORDER BY source").fetchall()
    vectors = lib.vectors.records()
    state = {k: v for k, v in snapshot(lib).items() if k != "top5"}
    # chroma's HNSW graph is built by several threads, so approximate rankings may differ between two
    # builds of the same vectors; the vectors are compared below, and BM25 rankings here
    state["lexical_top5"] = {q: [h.doc_id for h in lib.search(q, k=5, mode="lexical")] for q in QUERIES}
    return {"snapshot": state, "sources": rows, "vectors": vectors,
            "mentions": m.db.execute("SELECT * FROM practice_mentions ORDER BY 1").fetchall(),
            "near_dups": m.db.execute("SELECT * FROM near_dups ORDER BY 1").fetchall()}


def _same_stores(a: dict, b: dict) -> None:
    assert a["snapshot"] == b["snapshot"]
    assert a["sources"] == b["sources"]
    assert a["mentions"] == b["mentions"]
    assert a["near_dups"] == b["near_dups"]
    assert sorted(a["vectors"]) == sorted(b["vectors"])
    for cid, (vec, meta) in a["vectors"].items():
        other = b["vectors"][cid]
        assert meta == other[1]
        cosine = float(np.dot(vec, other[0]) / np.linalg.norm(vec) / np.linalg.norm(other[0]))
        assert cosine > 1 - 1e-6, cid


@pytest.fixture(scope="module")
def records_serial(embedder, tmp_path_factory):
    """The worker tests' inputs (the records, then two files) ingested once in one process, which every
    ingest with workers must equal: (inputs, Library, IngestReport)."""
    folder = tmp_path_factory.mktemp("in")
    inputs = [_records(folder), two_docs(folder / "files")]
    serial = Library(tmp_path_factory.mktemp("records-serial") / "index", embedder=embedder, create=True)
    return inputs, serial, serial.ingest(inputs, workers=1)


@pytest.mark.slow
def test_worker_processes_give_the_stores_and_report_of_a_serial_ingest(embedder, records_serial, tmp_path,
                                                                         monkeypatch):
    import pipeline.ingest as ingest

    monkeypatch.setattr(ingest, "POOL_AFTER", 3)  # the pool starts inside the JSONL file
    inputs, serial, one = records_serial
    parallel = Library(tmp_path / "parallel", embedder=embedder, create=True)
    two = parallel.ingest(inputs, workers=2)
    assert one.documents == two.documents == 24 + 2
    assert (one.failed, one.skipped, one.unchanged) == (two.failed, two.skipped, two.unchanged)
    assert len(one.failed) == 2  # the empty record and the broken line
    assert "waiting_for_workers" in two.stage_seconds and "waiting_for_workers" not in one.stage_seconds
    _same_stores(_stores(serial), _stores(parallel))
    # again: nothing changes, and the workers skip what the index holds
    again = parallel.ingest(inputs, workers=2)
    assert (again.documents, again.unchanged) == (0, 26)
    assert again.stage_seconds.get("segment", 0.0) == 0.0
    _same_stores(_stores(serial), _stores(parallel))


@pytest.mark.slow
def test_a_worker_that_dies_leaves_the_writer_to_finish_without_loss(embedder, records_serial, tmp_path, monkeypatch):
    import pipeline.ingest as ingest

    monkeypatch.setattr(ingest, "POOL_AFTER", 3)
    inputs, serial, _ = records_serial
    monkeypatch.setenv("GOVTEXT_FAULT", "worker:2")  # each worker is killed at its second document
    parallel = Library(tmp_path / "parallel", embedder=embedder, create=True)
    report = parallel.ingest(inputs, workers=2)
    assert report.documents == 24 + 2
    _same_stores(_stores(serial), _stores(parallel))
    assert parallel.check().ok


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _children(pid: int) -> set[int]:
    """Every living descendant of `pid`."""
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent and int(entry.name) not in found:
                found.add(int(entry.name))
                todo.append(int(entry.name))
    return found


@pytest.mark.slow
def test_workers_end_when_their_writer_is_killed(tmp_path):
    # long records (up to LONG characters; 509,000 in all instead of 749,000): the ingest must outlast the start
    # of its workers
    inputs = _records(tmp_path / "in", n=40, chars=LONG)
    index = tmp_path / "index"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(inputs), "--index", str(index),
                             "--quiet", "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 600
    while len(workers) < 3 and proc.poll() is None and time.monotonic() < deadline:  # forkserver + 2 workers
        time.sleep(0.5)
        workers = _children(proc.pid)
    assert len(workers) >= 3, "the worker processes never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and [w for w in workers if _running(w)]:
        time.sleep(0.5)
    alive = [w for w in workers if _running(w)]
    assert not alive, f"workers outlived their writer: {alive}"
    done = govtext("ingest", str(inputs), "--quiet", index=index)  # and the next run resumes
    assert done.returncode == 1, done.stderr  # the broken line is a failure
    assert Library(index, readonly=True).check().ok


def test_an_unexpected_error_while_preparing_fails_that_input_only(embedder, tmp_path, monkeypatch):
    import pipeline.ingest as ingest

    real = ingest.prepare_raw

    def breaks_on_chinese(raw, key, max_tokens, stored_sha, **kw):  # a stage meeting what it did not expect
        if "zh" in key:
            raise ValueError("unexpected input")
        return real(raw, key, max_tokens, stored_sha, **kw)

    monkeypatch.setattr(ingest, "prepare_raw", breaks_on_chinese)
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([two_docs(tmp_path / "docs")], workers=1)
    assert report.documents == 1
    assert [(Path(s).name, r) for s, r in report.failed] == [("zh.txt", "ValueError: unexpected input")]
    assert lib.check().ok
