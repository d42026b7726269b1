"""Where documents come from (`pipeline.sources`): record ids scoped by their file, global ids that refuse a
clash, and a file whose state changes while it is read."""
import json

import pytest

from pipeline import Library
from test_ingest import two_docs


def _law_corpus(path):
    rows = [
        {"id": "law-1", "title": "第一条", "text": "为了规范物业管理活动，维护业主和物业服务企业的合法权益，制定本条例。"},
        {"id": "law-2", "title": "Điều 2", "text": "Ban quản trị nhà chung cư do hội nghị nhà chung cư bầu ra."},
    ]
    clash = {"id": "law-1", "title": "x", "text": "Một văn bản khác dùng lại mã law-1."}
    lines = [json.dumps(r, ensure_ascii=False) for r in rows + [clash]]
    path.write_text("\n".join(lines) + "\n{broken\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_jsonl_ids_are_scoped_by_file_and_a_clash_is_reported(embedder, tmp_path):
    corpus = _law_corpus(tmp_path / "c.jsonl")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([corpus])
    assert report.documents == 2 and len(report.failed) == 2
    assert any("already used" in reason for _, reason in report.failed)
    assert {d["doc_id"] for d in lib.documents()} == {"c:law-1", "c:law-2"}
    assert lib.search("物业服务企业", k=1)[0].doc_id == "c:law-1"
    assert lib.record_ids() == {"c:law-1": "law-1", "c:law-2": "law-2"}
    # each failure keeps its own row: the clash (line 3) and the broken line (line 4)
    assert {f["source"] for f in lib.failures()} == {f"{corpus}:3", f"{corpus}:4"}
    # the same ids in another file are other documents
    other = tmp_path / "d.jsonl"
    other.write_text(json.dumps({"id": "law-1", "text": "Hội nghị nhà chung cư bầu Ban quản trị."}, ensure_ascii=False),
                     encoding="utf-8")
    assert lib.ingest([other]).documents == 1
    assert {d["doc_id"] for d in lib.documents()} == {"c:law-1", "c:law-2", "d:law-1"}


@pytest.mark.slow
def test_global_ids_keep_record_ids_and_refuse_a_clash_from_another_file(embedder, tmp_path):
    corpus = _law_corpus(tmp_path / "c.jsonl")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    assert lib.ingest([corpus], global_ids=True).documents == 2
    assert {d["doc_id"] for d in lib.documents()} == {"law-1", "law-2"}
    other = tmp_path / "d.jsonl"
    other.write_text(json.dumps({"id": "law-2", "text": "Một văn bản khác dùng lại mã law-2."}, ensure_ascii=False),
                     encoding="utf-8")
    report = lib.ingest([other], global_ids=True)
    assert report.documents == 0 and "already belongs to" in report.failed[0][1]
    assert "Ban quản trị" in lib.show("law-2").text  # not silently replaced



def test_a_file_that_keeps_changing_while_read_is_reported(embedder, tmp_path, monkeypatch):
    import pipeline.ingest as ingest

    src = two_docs(tmp_path / "docs")
    ticks = iter(range(10**6))
    monkeypatch.setattr(ingest, "_file_state", lambda path: next(ticks) if path.name == "vi.txt" else 0)
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([src])
    assert report.documents == 1
    assert "changed while it was read" in dict(report.failed)[str(src / "vi.txt")]
