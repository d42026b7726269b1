"""The practice catalogue stored with the index (`pipeline.stored_practices`): cached and rebuilt when the
documents change, filtered, built from the mentions kept at ingest, and the practice card."""
import json
import shutil
import pytest

from pipeline import GovtextError, Library
from pipeline.practices import NEAREST_FLOOR
from test_api import CORPORA

pytestmark = pytest.mark.slow


@pytest.mark.slow
def test_catalogue_is_cached_and_rebuilt_when_documents_change(demo_library, tmp_path):
    lib, _ = demo_library
    cache = lib.path / "practices.json"
    assert cache.exists()  # built at the end of ingest
    first = lib.practices()
    again = Library(lib.path, embedder=lib.embedder, create=True).practices()  # a new process reads the cache
    assert [p.to_dict() for p in again] == [p.to_dict() for p in first]
    assert json.loads(cache.read_text(encoding="utf-8"))["documents"] == 5


@pytest.mark.slow
def test_catalogue_follows_the_documents(embedder, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPORA / "zh_jiuliting_duxiang.txt", src)
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src], practices=False)
    assert not (lib.path / "practices.json").exists()
    names = {p.canonical for p in lib.practices(include_unlisted=True)}  # built on first use
    assert "小区停车管理办法" in names and "一征三议两公开" not in names
    shutil.copy(CORPORA / "zh_erqi_old-neighbourhoods.txt", src)
    lib.ingest([src])
    names = {p.canonical for p in lib.practices(include_unlisted=True)}
    assert {"小区停车管理办法", "一征三议两公开", "三类组织"} <= names


@pytest.mark.slow
def test_practices_most_used_first_and_filters(demo_library):
    lib, _ = demo_library
    zh = lib.practices(lang="zh", include_unlisted=True)
    assert {p.lang for p in zh} == {"zh"}
    top = [p.canonical for p in zh[:5]]
    assert "一征三议两公开" in top and "三类组织" in top
    counts = [(p.doc_count, p.mention_count) for p in zh]
    assert counts == sorted(counts, reverse=True)
    assert all(p.mention_count >= 2 for p in lib.practices(min_mentions=2, include_unlisted=True))
    giang_bien = lib.practices(place="Giang Biên", include_unlisted=True)
    assert giang_bien and all(any("Giang Biên" in pl for u in p.uses for pl in u.places) for p in giang_bien)
    assert {p.lang for p in giang_bien} == {"vi"}
    with pytest.raises(GovtextError):
        lib.practices(lang="fr")


@pytest.mark.slow
def test_practice_card_for_the_erqi_method(demo_library):
    lib, _ = demo_library
    card = lib.practice("一征三议两公开")
    p = card.practice
    assert p.canonical == "一征三议两公开" and p.lang == "zh"
    definition = " ".join(d.text for d in p.definitions)
    for part in ("征求群众意见", "知晓率", "参与率", "满意率", "90%"):
        assert part in definition
    uses = " ".join(u.passage for u in p.uses)
    assert "老旧小区整治提升" in uses and "智能门禁" in uses
    assert all("二七区" in u.title for u in p.uses)
    doc = lib.show(p.uses[0].doc_id)
    for u in p.uses:  # every use quotes its document exactly
        assert doc.text[u.passage_start:u.passage_end] == u.passage and doc.text[u.start:u.end] == u.name
    # the demo's Vietnamese practices are no nearer to it than random pairs are: none is shown
    assert all(n.lang == "vi" and n.score >= NEAREST_FLOOR for n in card.nearest)
    assert [n.score for n in card.nearest] == sorted((n.score for n in card.nearest), reverse=True)
    text = card.to_text()
    assert "一征三议两公开" in text and "二七区党建引领居民自治" in text
    assert "<mark>“一征三议两公开”工作法</mark>" in card._repr_html_()
    # the same card under another spelling: traditional characters
    assert lib.practice("一徵三議兩公開").practice.canonical == "一征三议两公开"


@pytest.mark.slow
def test_unknown_practice_is_a_named_error(demo_library):
    from pipeline.errors import PracticeNotFound

    lib, _ = demo_library
    with pytest.raises(PracticeNotFound, match="govtext practices"):
        lib.practice("không có gì như vậy")


@pytest.mark.slow
def test_catalogue_from_mentions_found_at_ingest_equals_a_fresh_extraction(demo_library, tmp_path):
    lib, _ = demo_library
    ids = [d["doc_id"] for d in lib.documents()]
    assert set(lib.manifest.mentions(ids)) == set(ids)  # kept at ingest
    cached = [p.to_dict() for p in lib.catalogue(rebuild=True)]
    shutil.copytree(lib.path, tmp_path / "copy")
    copy = Library(tmp_path / "copy", embedder=lib.embedder, create=True)
    copy.manifest.db.execute("DELETE FROM practice_mentions")  # as in an index ingested before they were kept
    fresh = [p.to_dict() for p in copy.catalogue(rebuild=True)]
    assert fresh == cached and len(fresh) > 20
