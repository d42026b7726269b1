"""The search page (`pipeline.views`) as the JSON API serves it: hits, facet counts and pages."""
from urllib.parse import quote, urlencode

import pytest

from test_web import FORMULA, get, get_json, site  # noqa: F401 - fixtures shared with test_web

pytestmark = pytest.mark.slow


def test_api_search_returns_hits_facets_and_pages(site):
    status, data = get_json(f"{site}/api/search?q={quote('Ban quản trị nhà chung cư')}&k=2")
    assert status == 200 and len(data["hits"]) == 2 and data["per_page"] == 2
    assert "giang-bien" in data["hits"][0]["source"]
    assert data["total"] == 5 and data["pages"] == 3
    assert {f["value"] for f in data["facets"]["lang"]} == {"vi", "zh"}
    assert sum(f["count"] for f in data["facets"]["lang"]) == data["total"]
    second = get_json(f"{site}/api/search?q={quote('Ban quản trị nhà chung cư')}&k=2&page=2")[1]
    assert second["page"] == 2 and {h["doc_id"] for h in second["hits"]}.isdisjoint(h["doc_id"] for h in data["hits"])


def test_a_facet_narrows_the_results_to_its_count(site):
    everything = get_json(f"{site}/api/search?q={quote(FORMULA)}")[1]
    kind = everything["facets"]["type"][-1]
    narrowed = get_json(f"{site}/api/search?{urlencode({'q': FORMULA, 'type': kind['value']})}")[1]
    assert narrowed["total"] == kind["count"] < everything["total"]
    assert narrowed["filters"] == {"type": kind["value"]}
    zh = get_json(f"{site}/api/search?q={quote(FORMULA)}&lang=zh")[1]
    assert zh["hits"] and all(h["lang"] == "zh" for h in zh["hits"])
    page = get(f"{site}/search?{urlencode({'q': FORMULA, 'type': kind['value']})}")[2].decode("utf-8")
    assert f'<span id="total">{kind["count"]}</span>' in page
