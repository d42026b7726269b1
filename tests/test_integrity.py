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


@pytest.fixture(scope="module")
def pristine(embedder, tmp_path_factory) -> Path:
    """Two demo documents ingested once: the folder of an index no test changes."""
    root = tmp_path_factory.mktemp("pristine")
    src = root / "docs"
    src.mkdir()
    shutil.copy(ROOT / "corpora" / "vi_thanh-xuan_chung-cu-cu_2022.txt", src / "vi.txt")
    shutil.copy(ROOT / "corpora" / "zh_jiuliting_duxiang.txt", src / "zh.txt")
    lib = Library(root / "index", embedder=embedder, create=True)
    lib.ingest([src])
    lib.close()
    return lib.path


@pytest.fixture
def small(pristine, embedder, tmp_path):
    """A fresh index of two demo documents, for one test to damage: a copy of the pristine folder."""
    shutil.copytree(pristine, tmp_path / "index")
    return Library(tmp_path / "index", embedder=embedder)


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


def _hnsw_folder(lib) -> Path:
    from pipeline.index.hnsw_files import segment_folders

    return segment_folders(lib.path / "chroma")[0]  # any language's: each has a graph of its own


def _damaged_vector_index(lib):
    """chroma's HNSW header counts elements its files do not hold, as when a writer dies while
    persisting them."""
    import struct

    header = _hnsw_folder(lib) / "header.bin"
    raw = bytearray(header.read_bytes())
    elements = struct.unpack_from("<Q", raw, 20)[0]
    struct.pack_into("<Q", raw, 20, elements + 40)
    header.write_bytes(bytes(raw))
    return "damaged_vectors"


CORRUPTIONS = [_damaged_vector_index, _drop_vector, _drop_lexical, _orphan_vector, _duplicate_lexical, _orphan_lexical, _pending,
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


def test_a_damaged_vector_index_is_never_opened_and_repair_rebuilds_it_from_what_is_whole(small, embedder):
    """A search refuses the damaged files with a named error (chroma is not opened); repair reads back
    every vector still whole, re-embeds the lost ones, and the rankings come back."""
    import sqlite3

    from pipeline.errors import VectorIndexDamaged

    queries = ("居民自治", "Ban quản trị nhà chung cư", "cải tạo chung cư cũ")
    want = {q: [(h.doc_id, h.best.start) for h in small.search(q, k=5)] for q in queries}
    small.close()
    chunks = len(small.manifest.ok_chunks())
    _damaged_vector_index(small)
    # and lose some vectors outright: writes still waiting in chroma's queue, gone with the damage
    db = sqlite3.connect(small.path / "chroma" / "chroma.sqlite3")
    lost = db.execute("DELETE FROM embeddings_queue WHERE seq_id % 3 = 0").rowcount
    db.commit()
    db.close()
    assert lost
    with pytest.raises(VectorIndexDamaged, match="govtext repair"):
        Library(small.path, readonly=True).search("居民自治")
    report = Library(small.path, readonly=True).check()
    assert not report.ok and "link_lists.bin" in report.damaged_vectors[0], report.to_dict()
    lib = Library(small.path, embedder=embedder)
    repaired = lib.repair()
    assert repaired.vectors_rebuilt and 0 < repaired.vectors_salvaged < chunks, repaired.to_dict()
    assert repaired.after.ok and repaired.after.vector_chunks == chunks
    assert not (small.path / "chroma.set-aside").exists()
    reader = Library(small.path, readonly=True)
    assert {q: [(h.doc_id, h.best.start) for h in reader.search(q, k=5)] for q in queries} == want


def test_a_damaged_vector_index_from_the_command_line(small):
    _damaged_vector_index(small)
    search = govtext("search", "居民自治", index=small.path)
    assert search.returncode != 0 and "damaged" in search.stderr and "govtext repair" in search.stderr
    assert "Traceback" not in search.stderr
    bad = govtext("check", "--json", index=small.path)
    assert bad.returncode == 1 and json.loads(bad.stdout)["problems"]["damaged_vectors"]["count"] == 1
    fixed = govtext("repair", index=small.path)
    assert fixed.returncode == 0 and "rebuilt the vector index (damaged)" in fixed.stdout, fixed.stdout + fixed.stderr
    assert govtext("check", index=small.path).returncode == 0


def test_an_index_of_one_collection_for_all_languages_is_searched_and_repair_gives_each_language_its_own(
        embedder, tmp_path):
    """Indexes made before one collection a language keep working (over-fetching across languages);
    repair rebuilds them from their own files, one collection a language, and ranks the same."""
    from test_index import _older_layout

    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(ROOT / "corpora" / "vi_thanh-xuan_chung-cu-cu_2022.txt", src / "vi.txt")
    shutil.copy(ROOT / "corpora" / "zh_jiuliting_duxiang.txt", src / "zh.txt")
    _older_layout(tmp_path / "index" / "chroma")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    assert not lib.vectors.per_language

    def ranked(library):
        return {(q, lang): [(h.doc_id, h.best.start) for h in library.search(q, k=5, lang=lang, mode=mode)]
                for q in ("居民自治", "Ban quản trị nhà chung cư") for lang in (None, "vi", "zh")
                for mode in ("dense", "hybrid")}

    want = ranked(lib)
    chunks = len(lib.manifest.ok_chunks())
    repaired = Library(lib.path, embedder=embedder).repair()
    assert repaired.vectors_rebuilt == "one collection a language" and repaired.vectors_salvaged == chunks
    assert repaired.after.ok and repaired.reembedded == 0, repaired.to_dict()
    reader = Library(lib.path, readonly=True)
    assert reader.vectors.per_language and reader.vectors.count() == chunks
    assert ranked(reader) == want
    assert Library(lib.path, embedder=embedder).repair().vectors_rebuilt == ""  # once is enough
