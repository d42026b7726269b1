"""chroma's HNSW files (`pipeline.index.hnsw_files`): damage found before chroma opens them, whole
vectors read back (real chromadb, persisted past its sync threshold)."""
from __future__ import annotations

import os
import shutil
import struct

import numpy as np
import pytest

from pipeline.errors import VectorIndexDamaged
from pipeline.index.hnsw_files import damage, read_header, salvage, segment_folders
from pipeline.index.vectors import VectorStore
from pipeline.types import Chunk

N = 2500  # chroma persists its HNSW files every 1,000 writes: 2,000 elements on disk, 500 in its queue


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    path = tmp_path_factory.mktemp("hnsw") / "chroma"
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(N, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [Chunk(f"c{i}", f"d{i // 5}", "vi", 0, 3, "abc", i % 5) for i in range(N)]  # one collection
    store = VectorStore(path)
    store.add(chunks, vectors, {}, {})
    store.reopen()
    return path, {c.id: v for c, v in zip(chunks, vectors)}


def _folder(path):
    """The HNSW folder of the Vietnamese collection (the others are empty)."""
    return max(segment_folders(path), key=lambda f: read_header(f / "header.bin").elements)


def _copy(stored, tmp_path):
    path, vectors = stored
    shutil.copytree(path, tmp_path / "chroma")
    return tmp_path / "chroma", vectors


def _same(found, vectors):
    return sum(np.allclose(v, vectors[cid], atol=1e-6) for cid, v in found.items())


def test_whole_files_show_no_damage_and_give_back_every_vector(stored, tmp_path):
    path, vectors = _copy(stored, tmp_path)
    folder = _folder(path)
    assert read_header(folder / "header.bin").elements == 2000 and read_header(folder / "header.bin").dim == 384
    assert damage(path) == ()
    found = salvage(path)
    assert len(found) == N and _same(found, vectors) == N
    assert VectorStore(path).count() == N


def _truncated_data(folder):
    os.truncate(folder / "data_level0.bin", 1500 * 1676)
    return "data_level0.bin", 2000 - 1500


def _count_past_the_data(folder):
    raw = bytearray((folder / "header.bin").read_bytes())
    struct.pack_into("<Q", raw, 20, 2040)
    (folder / "header.bin").write_bytes(bytes(raw))
    return "data_level0.bin", 0


def _truncated_links(folder):
    os.truncate(folder / "link_lists.bin", (folder / "link_lists.bin").stat().st_size // 2)
    return "link_lists.bin", 0


def _grown_links(folder):  # what a reader of damaged files was seen to do (to 11 TB)
    with open(folder / "link_lists.bin", "r+b") as f:
        f.truncate(1 << 34)  # sparse: 16 GiB that take no disk
    return "link_lists.bin", 0


def _bad_norm(folder):
    raw = bytearray((folder / "length.bin").read_bytes())
    struct.pack_into("<f", raw, 4 * 7, float("nan"))
    (folder / "length.bin").write_bytes(bytes(raw))
    return "length.bin", 1


@pytest.mark.parametrize("hurt", [_truncated_data, _count_past_the_data, _truncated_links, _grown_links, _bad_norm],
                         ids=lambda f: f.__name__.strip("_"))
def test_each_damage_is_named_chroma_is_not_opened_and_the_whole_vectors_come_back(stored, tmp_path, hurt):
    path, vectors = _copy(stored, tmp_path)
    file, lost = hurt(_folder(path))
    found = damage(path)
    assert found and file in found[0], found
    with pytest.raises(VectorIndexDamaged, match=file):
        VectorStore(path).count()
    back = salvage(path)  # every vector given back is the one written; only the lost elements lack
    assert _same(back, vectors) == len(back) and N - lost <= len(back) <= N - (lost > 0)


def test_set_aside_moves_the_damaged_database_and_the_next_use_starts_empty(stored, tmp_path):
    path, vectors = _copy(stored, tmp_path)
    _truncated_data(_folder(path))
    store = VectorStore(path)
    back, aside = store.set_aside()
    assert N - 500 <= len(back) < N and aside.exists() and not path.exists()
    assert store.damage() == () and store.count() == 0
