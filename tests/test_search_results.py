"""What a search may be asked (k, the query's length, a year or range, a page) and SearchResults."""
import pytest

from pipeline.errors import BadRequest, GovtextError
from pipeline.search_results import MAX_K, MAX_QUERY_CHARS, SearchResults, bounded_query, check_k, whole_number, year_range


@pytest.mark.parametrize("k, expected", [(1, 1), ("10", 10), (MAX_K, MAX_K), (5.0, 5)])
def test_check_k_takes_whole_numbers_in_range(k, expected):
    assert check_k(k) == expected


@pytest.mark.parametrize("k", [0, MAX_K + 1, -3, "ten", None, 2.5])
def test_check_k_refuses_the_rest(k):
    with pytest.raises(BadRequest, match="k must be a whole number"):
        check_k(k)


def test_a_short_query_is_kept_and_a_long_one_cut_at_a_word_with_a_notice():
    assert bounded_query("居民自治") == ("居民自治", "")
    query = "quy chế dân chủ " * 200
    cut, notice = bounded_query(query)
    assert len(cut) <= MAX_QUERY_CHARS and cut.endswith(" ") and query.startswith(cut)
    assert notice == f"the query was cut from {len(query)} to its first {len(cut)} characters"
    with pytest.raises(BadRequest):
        bounded_query(None)


@pytest.mark.parametrize(
    "year, expected",
    [(None, None), ("", None), (2021, (2021, 2021)), ("2021", (2021, 2021)), ("2019-2021", (2019, 2021)),
     ((2019, 2021), (2019, 2021))],
)
def test_year_range(year, expected):
    assert year_range(year) == expected


def test_a_bad_year_says_how_to_write_one():
    with pytest.raises(GovtextError, match="use 2021 or a range"):
        year_range("last year")


def test_whole_number_names_what_was_wrong():
    assert whole_number("3", "page") == 3
    with pytest.raises(BadRequest, match="page must be a whole number"):
        whole_number("x", "page")


def test_empty_results_say_so():
    results = SearchResults([], "一征三议两公开", "hybrid")
    assert results.to_text() == "no results" and results.ranked == () and results.to_dicts() == []
