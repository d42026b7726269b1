"""The catalogue cache of an index, `practices.json` (`pipeline.practices.cache`)."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from pipeline.practices import CATALOGUE_VERSION, CachedCatalogue, build_catalogue

TEXT = "社区推行“一征三议两公开”工作法。“一征”即征求群众意见。\n\n我们坚持用好“一征三议两公开”工作法，群众满意率达到95%。"


@pytest.fixture(scope="module")
def practices(make_doc):
    from pipeline.normalize import normalize

    found = build_catalogue([normalize(make_doc(TEXT, source="cache.txt"))], metadata=False)
    assert found
    return found


def vectors_for(practices) -> dict:
    rng = np.random.default_rng(7)
    out = {}
    for p in practices:
        v = rng.normal(size=8).astype(np.float32)
        out[(p.lang, p.canonical)] = v / np.linalg.norm(v)
    return out


def test_saved_catalogue_loads_back_for_its_fingerprint(practices, tmp_path):
    path = tmp_path / "practices.json"
    vectors = vectors_for(practices)
    CachedCatalogue("abc", practices, vectors, documents=1).save(path)
    loaded = CachedCatalogue.load(path, "abc")
    assert loaded is not None and loaded.fingerprint == "abc" and loaded.documents == 1
    assert [p.to_dict() for p in loaded.practices] == [p.to_dict() for p in practices]
    assert loaded.vectors.keys() == vectors.keys()
    for key, v in vectors.items():
        assert loaded.vectors[key].dtype == np.float32
        assert np.allclose(loaded.vectors[key], v, atol=1e-6)
    assert not list(tmp_path.glob("*.tmp"))  # written through a temporary file, then renamed


def test_a_stale_missing_or_unreadable_cache_is_none(practices, tmp_path):
    path = tmp_path / "practices.json"
    assert CachedCatalogue.load(path, "abc") is None
    CachedCatalogue("abc", practices).save(path)
    assert CachedCatalogue.load(path, "other documents") is None
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "version": CATALOGUE_VERSION - 1}), encoding="utf-8")
    assert CachedCatalogue.load(path, "abc") is None
    path.write_text("{not json", encoding="utf-8")
    assert CachedCatalogue.load(path, "abc") is None


def test_stored_format_is_the_one_indexes_already_hold(practices, tmp_path):
    """The file keeps its keys and layout, so a practices.json written before the record still loads."""
    path = tmp_path / "practices.json"
    written = {
        "version": CATALOGUE_VERSION, "fingerprint": "f" * 32, "documents": 3,
        "practices": [p.to_dict() for p in practices],
        "vectors": [[practices[0].lang, practices[0].canonical, [0.6, 0.8]]],
    }
    path.write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    loaded = CachedCatalogue.load(path, "f" * 32)
    assert loaded is not None and loaded.documents == 3
    assert [p.to_dict() for p in loaded.practices] == written["practices"]
    assert loaded.vectors[(practices[0].lang, practices[0].canonical)].tolist() == pytest.approx([0.6, 0.8])
    loaded.save(path)
    assert json.loads(path.read_text(encoding="utf-8")) == written  # the same file, key for key
    assert list(json.loads(path.read_text(encoding="utf-8"))) == ["version", "fingerprint", "documents", "practices",
                                                                  "vectors"]


def test_the_record_is_frozen(practices):
    cached = CachedCatalogue("abc", practices)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cached.fingerprint = "other"  # type: ignore[misc]
