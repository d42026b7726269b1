"""Choosing practices from a catalogue: by name, by filters, one row per use (over the demo corpus)."""
import pytest

from pipeline.errors import PracticeNotFound
from pipeline.practices import build_catalogue
from pipeline.practices.select import find_practice, select_practices, use_rows


@pytest.fixture(scope="module")
def catalogue(corpus_docs):
    return build_catalogue(corpus_docs.values())


@pytest.mark.parametrize("name", ["一征三议两公开", "“一征三议两公开”", "一徵三議兩公開"])
def test_a_practice_is_found_by_its_name_in_either_script_and_with_quotes(catalogue, name):
    assert find_practice(name, catalogue).canonical == "一征三议两公开"


def test_an_unknown_name_is_a_named_error_that_says_where(catalogue):
    with pytest.raises(PracticeNotFound, match="in demo index"):
        find_practice("不存在的工作法", catalogue, "demo index")


def test_selection_filters_and_orders_most_used_first(catalogue):
    chinese = select_practices(catalogue, lang="zh")
    assert chinese and all(p.lang == "zh" for p in chinese)
    assert [(-p.doc_count, -p.mention_count, -p.score, p.name) for p in chinese] == sorted(
        (-p.doc_count, -p.mention_count, -p.score, p.name) for p in chinese)
    assert all(p.mention_count >= 2 for p in select_practices(catalogue, min_mentions=2))
    assert [p.canonical for p in select_practices(catalogue, contains="征三议")] == ["一征三议两公开"]
    assert select_practices(catalogue, years=(1900, 1901)) == []


def test_use_rows_give_one_row_per_use(catalogue):
    rows = use_rows(catalogue)
    assert len(rows) == sum(len(p.uses) for p in catalogue)
    assert set(rows[0]) == {"practice", "lang", "kind", "doc_id", "title", "place", "year", "date", "section"}
