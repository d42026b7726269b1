"""`check` and `repair`: every corrupted state the tests can build is found, then repaired (real stores)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline import Library
from pipeline.types import Chunk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def small(embedder, tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(ROOT / "corpora" / "vi_thanh-xuan_chung-cu-cu_2022.txt", src / "vi.txt")
    shutil.copy(ROOT / "corpora" / "zh_jiuliting_duxiang.txt", src / "zh.txt")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    lib.close()
    return lib


def _some_chunk(lib):
    return sorted(lib.manifest.ok_chunks())[0]


def _drop_vector(lib):
    lib.vectors.delete_ids([_some_chunk(lib)])
    return "missing_vectors"


def _drop_lexical(lib):
    lib.lexical.delete_chunks([_some_chunk(lib)])
    lib.lexical.close()
    return "missing_lexical"


def _orphan_vector(lib):
    c = Chunk("orphan-chunk", "no-such-doc", "vi", 0, 5, "Phường", 0)
    lib.vectors.add([c], np.ones((1, 384), dtype=np.float32) / np.sqrt(384), {}, {})
    return "orphan_vectors"


def _duplicate_lexical(lib):
    cid = _some_chunk(lib)
    chunk = next(c for d in lib.documents() for c in lib.chunks(d["doc_id"]) if c.id == cid)
    lib.lexical.add([chunk], [["tự_quản"]], {})
    lib.lexical.close()
    return "duplicate_lexical"


def _orphan_lexical(lib):
    lib.lexical.add([Chunk("orphan-chunk", "no-such-doc", "zh", 0, 2, "自治", 0)], [["自治"]], {})
    lib.lexical.close()
    return "orphan_lexical"


def _pending(lib):
    doc_id = lib.manifest.ok_doc_ids()[0]
    lib.manifest.set_status([doc_id], "pending")
    return "pending"


def _dangling_source(lib):
    lib.manifest.record_source("/gone/file.txt", "no-such-doc", "ok")
    return "dangling_sources"


def _chunk_rows_lost(lib):
    doc_id = lib.manifest.ok_doc_ids()[0]
    lib.manifest.db.execute("DELETE FROM chunks WHERE doc_id=? AND ordinal=0", (doc_id,))
    return "chunk_count_mismatches"


def _bad_practice_cache(lib):
    (lib.path / "practices.json").write_text("{not json", encoding="utf-8")
    return "practices"


CORRUPTIONS = [_drop_vector, _drop_lexical, _orphan_vector, _duplicate_lexical, _orphan_lexical, _pending,
               _dangling_source, _chunk_rows_lost, _bad_practice_cache]


def test_a_fresh_index_checks_ok(small):
    report = Library(small.path, readonly=True).check()
    assert report.ok and report.documents == 2 and report.chunks == report.vector_chunks == report.lexical_chunks
    assert report.practices == "current"


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_check_finds_each_corruption_and_repair_fixes_it(small, embedder, corrupt):
    before = {d["doc_id"] for d in small.documents() if d["status"] == "ok"}
    lib = Library(small.path, embedder=embedder)
    kind = corrupt(lib)
    report = Library(small.path, readonly=True).check()
    assert not report.ok and kind in report.problems, report.to_dict()
    repaired = lib.repair()
    assert repaired.after.ok, repaired.to_dict()
    after = {d["doc_id"] for d in lib.documents()}
    if kind == "pending":  # a pending document is rolled back (the next ingest adds it again)
        assert after == before - set(repaired.rolled_back) and repaired.rolled_back
    else:
        assert after == before  # never drops an ok document
    assert lib.search("居民自治", k=2)


def govtext(*args, index):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "--index", str(index)],
                          capture_output=True, text=True, cwd=ROOT)


def test_check_and_repair_from_the_command_line(small, embedder):
    _drop_vector(Library(small.path, embedder=embedder))
    bad = govtext("check", "--json", index=small.path)
    assert bad.returncode == 1 and json.loads(bad.stdout)["problems"]["missing_vectors"]["count"] == 1
    fixed = govtext("repair", index=small.path)
    assert fixed.returncode == 0 and "re-embedded 1 chunks" in fixed.stdout
    assert govtext("check", index=small.path).returncode == 0
