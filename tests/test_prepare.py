"""Preparing one document: the same work in a worker process as in the writer."""
from pathlib import Path

import pytest

from pipeline.errors import EmptyDocument
from pipeline.prepare import prepare_raw
from pipeline.types import Document

ROOT = Path(__file__).resolve().parent.parent


def _raw(name: str) -> Document:
    return Document(id="", text=(ROOT / "corpora" / name).read_text(encoding="utf-8"), source=name, title="")


@pytest.mark.parametrize("name, lang", [("vi_thanh-xuan_chung-cu-cu_2022.txt", "vi"), ("zh_jiuliting_duxiang.txt", "zh")])
def test_a_new_text_is_prepared_whole(name, lang):
    ready = prepare_raw(_raw(name), name, 256, lambda doc_id: None)
    p = ready.prepared
    assert ready.doc.lang == lang and ready.doc.id and len(ready.sha) == 64
    assert p is not None and p.key == name and p.chunks and len(p.words) == len(p.chunks)
    assert all(ready.doc.text[c.start:c.end] == c.text for c in p.chunks)
    assert p.doc.metadata is not None  # metadata travels with the document
    assert {"normalize", "language", "segment", "chunk", "words"} <= set(ready.seconds)


def test_a_text_the_index_holds_is_not_prepared_again():
    first = prepare_raw(_raw("zh_jiuliting_duxiang.txt"), "k", 256, lambda doc_id: None)
    again = prepare_raw(_raw("zh_jiuliting_duxiang.txt"), "k", 256, {first.doc.id: first.sha}.get)
    assert again.prepared is None and (again.doc.id, again.sha) == (first.doc.id, first.sha)
    assert "segment" not in again.seconds


def test_a_text_that_normalises_to_nothing_is_refused():
    with pytest.raises(EmptyDocument):
        prepare_raw(Document(id="", text="\u200b \n\t", source="x", title=""), "x", 256, lambda doc_id: None)
