"""The index stage: SQLite manifest, real chromadb, real tantivy."""
from pathlib import Path

import numpy as np
import pytest

from pipeline.index import LexicalIndex, Manifest, QuerySegmenter, VectorStore, gram_terms
from pipeline.index.lexical import hanviet_terms
from pipeline.index.manifest import legacy_meta
from pipeline.metadata import extract_metadata
from pipeline.types import Chunk, DatedMention, DocMeta, Document, Page, Place, content_hash

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def make_chunk(doc_id, text, ordinal=0, lang="zh", start=0):
    end = start + len(text)
    return Chunk(content_hash(doc_id, str(start), str(end), text), doc_id, lang, start, end, text, ordinal)


@pytest.mark.parametrize(
    "text, expected_subset",
    [
        ("居民自治", {"居", "民", "自", "治", "居民", "民自", "自治"}),
        ("Ban quản trị", {"ban", "quản", "trị", "ban_quản", "quản_trị"}),
        ("ＡＢＣ 一征", {"abc", "一", "征", "一征"}),
    ],
)
def test_gram_terms(text, expected_subset):
    assert expected_subset <= set(gram_terms(text))


def test_gram_terms_do_not_bridge_punctuation():
    grams = set(gram_terms("nhà, chung cư。居民"))
    assert "nhà_chung" not in grams and "cư居" not in grams
    assert "chung_cư" in grams


@pytest.mark.parametrize(
    "vocab, query, expected",
    [
        ({"一征三议两公开", "老旧小区"}, "一征三议两公开在老旧小区", ["一征三议两公开", "在", "老旧小区"]),
        ({"ban_quản_trị", "nhà_chung_cư"}, "Ban quản trị nhà chung cư", ["ban_quản_trị", "nhà_chung_cư"]),
        (set(), "Chi bộ", ["chi", "bộ"]),
    ],
)
def test_query_segmenter(vocab, query, expected):
    assert QuerySegmenter(vocab).segment(query) == expected


def test_manifest_round_trip(tmp_path):
    m = Manifest(tmp_path / "m.sqlite")
    doc = Document("d1", "第一页\n\n第二页", "a.pdf", "标题", "zh", pages=(Page(1, 0, 3), Page(2, 5, 8)))
    c = make_chunk("d1", "第二页", start=5)
    with m.transaction():
        m.put_document(doc, "sha", "pending")
        m.put_chunks("d1", [c])
    assert m.pending_documents() == ["d1"]
    m.mark_ok(["d1"])
    m.record_source("a.pdf", "d1", "ok")
    assert m.get_document("d1") == doc
    row = m.chunk_rows([c.id])[c.id]
    assert (row.doc_id, row.ordinal, row.lang, row.start, row.end) == ("d1", 0, "zh", 5, 8)
    assert m.counts()["documents"] == 1 and m.counts()["chunks"] == 1
    m.delete_document("d1")
    assert m.get_document("d1") is None and m.chunk_rows([c.id]) == {}


GIANG_BIEN = DocMeta(
    doc_type="nghi_quyet", doc_type_name="Nghị quyết", issue_date="2021-10-28", year=2021,
    issuer="ĐẢNG ỦY PHƯỜNG GIANG BIÊN", signer="Đinh Xuân Hùng", signer_title="BÍ THƯ",
    places=(Place("phường Giang Biên", "ward"), Place("quận Long Biên", "district")),
    dates=(DatedMention("2020-10-15", "cited", 120, 130), DatedMention("2021-10-28", "issued", 40, 60)),
    references=("01-CTr/QU",),
)


def test_manifest_keeps_document_metadata_once_and_typed(tmp_path):
    m = Manifest(tmp_path / "m.sqlite")
    doc = Document("d1", "Nghị quyết", "a.txt", "NQ", "vi", meta={"format": "txt"}, metadata=GIANG_BIEN)
    undated = Document("d2", "x", "b.txt", lang="vi", metadata=DocMeta(doc_type="news", doc_type_name="news"))
    m.put_document(doc, "sha", "ok")
    m.put_document(undated, "sha", "ok")
    m.put_document(Document("d3", "y", "c.txt"), "sha", "ok")  # never through the metadata stage
    assert m.get_document("d1") == doc and m.get_document("d3").metadata is None
    assert m.document_meta(["d1", "d2", "d3", "nope"]) == {"d1": GIANG_BIEN, "d2": undated.metadata}
    # once: the documents' JSON holds what the reader recorded, the metadata has its own row
    assert [r[0] for r in m.db.execute("SELECT meta FROM documents ORDER BY doc_id")] == ['{"format": "txt"}', "{}", "{}"]
    assert m.get_document("d1").to_dict()["meta"] == {"format": "txt", "metadata": GIANG_BIEN.to_dict()}
    assert m.filter_documents(place="long bien").doc_ids == ("d1",)
    assert m.filter_documents(doc_type="news").doc_ids == ("d2",)
    assert m.filter_documents(years=(2021, 2021)) == type(m.filter_documents())(("d1",), 2)
    m.put_document(Document("d1", "Nghị quyết", "a.txt"), "sha", "ok")  # replaced without metadata
    assert m.document_meta(["d1"]) == {} and m.filter_documents(issuer="giang biên").doc_ids == ()
    m.delete_document("d2")
    assert m.document_meta(["d2"]) == {}


@pytest.mark.parametrize("name", ["vi_nghi-quyet_giang-bien_2021.txt", "vi_thanh-xuan_chung-cu-cu_2022.txt",
                                  "zh_changning_minghui-xijiao-yuan.txt", "zh_erqi_old-neighbourhoods.txt"])
def test_legacy_flat_metadata_reads_back_as_the_same_record(name):
    found = extract_metadata((CORPORA / name).read_text(encoding="utf-8"), name[:2])
    assert len({p.level for p in found.places}) >= 2  # places of several levels to tell apart
    back = legacy_meta(found.to_dict())
    assert back.to_dict() == found.to_dict()
    assert back.places == found.places
    assert [(d.date, d.role) for d in back.dates] == [(d.date, d.role) for d in found.dates]


def test_a_format_5_manifest_is_read_in_place_and_migrated_by_a_writer(tmp_path, as_format_5):
    path = tmp_path / "m.sqlite"
    m = Manifest(path)
    m.set_info("format", "6")
    m.put_document(Document("d1", "Nghị quyết", "a.txt", lang="vi", meta={"format": "txt"}, metadata=GIANG_BIEN), "s", "ok")
    m.put_document(Document("d2", "x", "b.txt", lang="vi", metadata=DocMeta()), "s", "ok")
    m.close()
    as_format_5(path)
    flat = {"d1": GIANG_BIEN.to_dict(), "d2": DocMeta().to_dict()}

    before = path.read_bytes()
    ro = Manifest(path, readonly=True)
    assert {d: meta.to_dict() for d, meta in ro.document_meta(["d1", "d2"]).items()} == flat
    assert ro.get_document("d1").to_dict()["meta"] == {"format": "txt", "metadata": flat["d1"]}
    assert ro.filter_documents(place="giang bien", years=(2021, 2021)).doc_ids == ("d1",)
    assert ro.filter_documents(years=(2021, 2021)).undated_left_out == 1
    ro.close()
    assert path.read_bytes() == before  # the reader's copy was temporary

    rw = Manifest(path)
    assert {d: meta.to_dict() for d, meta in rw.document_meta(["d1", "d2"]).items()} == flat
    assert rw.document_meta(["d1"])["d1"].places == GIANG_BIEN.places
    tables = {r[0] for r in rw.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "doc_meta" not in tables and "document_meta" in tables
    assert rw.db.execute("SELECT COUNT(*) FROM documents WHERE json_extract(meta, '$.metadata') IS NOT NULL").fetchone() == (0,)
    assert rw.get_document("d1").meta == {"format": "txt"}
    assert rw.filter_documents(issuer="ĐẢNG ỦY").doc_ids == ("d1",)
    rw.close()
    assert Manifest(path).document_meta(["d1"])["d1"].to_dict() == flat["d1"]  # migrated once, read again


def test_manifest_hands_back_named_rows(tmp_path):
    from pipeline.index.manifest import ChunkCountMismatch, DocumentVersion, SegmentSpan, StoredMentions
    from pipeline.types import Segment

    m = Manifest(tmp_path / "m.sqlite")
    c0, c1 = make_chunk("d1", "第一页"), make_chunk("d1", "第二页", ordinal=1, start=5)
    m.put_document(Document("d1", "第一页\n\n第二页", lang="zh"), "sha1", "ok")
    m.put_document(Document("d0", "x"), "sha0", "pending")
    m.put_chunks("d1", [c1, c0])
    assert m.ok_documents() == [DocumentVersion("d1", "sha1")]
    assert [(r.chunk_id, r.ordinal, r.start, r.end) for r in m.iter_chunk_rows()] == [(c1.id, 1, 5, 8), (c0.id, 0, 0, 3)]
    m.db.execute("UPDATE documents SET n_chunks=3 WHERE doc_id='d1'")
    assert m.n_chunks_mismatches() == [ChunkCountMismatch("d1", 3, 2)]
    m.put_mentions("d1", [Segment("d1", "zh", 0, 3, "第一页", "heading", 1)], [])
    assert m.mentions(["d1", "d0"]) == {"d1": StoredMentions((SegmentSpan("zh", 0, 3, "heading", 1),), ())}


def test_manifest_transaction_rolls_back(tmp_path):
    m = Manifest(tmp_path / "m.sqlite")
    with pytest.raises(RuntimeError):
        with m.transaction():
            m.put_document(Document("d1", "x"), "sha")
            raise RuntimeError("crash")
    assert m.get_document("d1") is None


def test_lexical_index_search_filter_delete(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    zh = make_chunk("z", "党建引领居民自治，推行一征三议两公开工作法。")
    vi = make_chunk("v", "Ban quản trị nhà chung cư họp định kỳ.", lang="vi")
    lex.add([zh, vi], [["党建", "引领", "居民自治", "推行", "一征三议两公开", "工作法"],
                       ["ban_quản_trị", "nhà_chung_cư", "họp", "định_kỳ"]], {"z": "z.txt", "v": "v.txt"})
    lex.commit()
    assert lex.count() == 2
    assert "一征三议两公开" in lex.vocab and "ban_quản_trị" in lex.vocab
    assert lex.search("一征三议两公开", 5)[0][0] == zh.id
    assert lex.search("ban quản trị", 5)[0][0] == vi.id
    assert lex.search("居民自治", 5, lang="vi") == []
    assert [c for c, _ in lex.search("họp", 5, sources=["v.txt"])] == [vi.id]
    lex.delete_documents(["z"])
    lex.commit()
    assert lex.search("一征三议两公开", 5) == []
    # the vocabulary survives a reopen, so queries segment the same way
    assert "一征三议两公开" in LexicalIndex(tmp_path / "lex").vocab


def test_lexical_index_empty(tmp_path):
    lex = LexicalIndex(tmp_path / "none")
    assert lex.search("居民", 5) == [] and lex.count() == 0


def test_a_language_kept_by_dropping_hits_equals_the_filter_clause_and_filters_add_no_score(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    chunks, words, langs = [], [], {}
    for i in range(30):  # Chinese chunks, a few with Vietnamese words in them, and Vietnamese chunks
        zh = make_chunk(f"z{i}", f"居民自治第{i}条，业主委员会{'ban quản trị' if i % 5 == 0 else ''}。" + "居民" * (i % 4))
        vi = make_chunk(f"v{i}", f"Ban quản trị nhà chung cư số {i} họp " + "ban " * (i % 3), lang="vi")
        chunks += [zh, vi]
        words += [["居民自治", "业主委员会"], ["ban_quản_trị", "nhà_chung_cư", "họp"]]
        langs.update({zh.id: "zh", vi.id: "vi"})
    lex.add(chunks, words, {c.doc_id: f"{c.doc_id}.txt" for c in chunks})
    lex.commit()
    asked: list[int] = []

    def chunk_langs(ids):
        asked.append(len(ids))
        return {c: langs[c] for c in ids}

    for query, lang in (("居民自治 业主委员会", "zh"), ("ban quản trị họp", "vi"), ("ban quản trị", "zh")):
        for n in (1, 5, 20, 50):
            clause = lex.search(query, n, lang=lang)
            dropped = lex.search(query, n, lang=lang, langs=chunk_langs)
            assert dropped == clause, (query, lang, n)  # the same chunks, order and scores
            assert all(langs[c] == lang for c, _ in dropped)
    assert asked, "the language was never kept by dropping hits"
    # a filter restricts without scoring: each kept hit scores what it scores unfiltered
    everything = dict(lex.search("居民自治 业主委员会", 100))
    for kept in (lex.search("居民自治 业主委员会", 10, lang="zh"),
                 lex.search("居民自治 业主委员会", 10, doc_ids=["z3", "z7", "z12"]),
                 lex.search("居民自治 业主委员会", 10, sources=["z4.txt", "z9.txt"])):
        assert kept and all(score == pytest.approx(everything[c], rel=1e-6) for c, score in kept)
    assert {c for c, _ in lex.search("居民自治 业主委员会", 10, doc_ids=["z3", "z7", "z12"])} == {
        c.id for c in chunks if c.doc_id in ("z3", "z7", "z12")}
    assert lex.search("居民自治", 10, doc_ids=[]) == []


def test_vector_store_real_chroma(tmp_path):
    store = VectorStore(tmp_path / "chroma")
    chunks = [make_chunk("a", "甲"), make_chunk("b", "乙", lang="vi"), make_chunk("c", "丙")]
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(3, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    store.add(chunks, vecs, {"a": "a.txt", "b": "b.txt", "c": "c.txt"}, {})
    store.add(chunks, vecs, {"a": "a.txt", "b": "b.txt", "c": "c.txt"}, {})  # upsert: no duplicates
    assert store.count() == 3
    top = store.query(vecs[1], 3)
    assert top[0][0] == chunks[1].id and top[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [c for c, _ in store.query(vecs[1], 3, lang="zh")] and all(
        c != chunks[1].id for c, _ in store.query(vecs[1], 3, lang="zh")
    )
    assert [c for c, _ in store.query(vecs[0], 3, sources=["c.txt"])] == [chunks[2].id]
    # chunk texts live in the manifest alone: chroma holds vectors and metadata, no documents to index
    for coll in store.collections.values():
        assert all(doc is None for doc in coll.get(include=["documents"])["documents"])
    assert store.records()[chunks[1].id][1]["doc_id"] == "b"
    store.delete_documents(["a", "b"])
    assert store.count() == 1


@pytest.fixture(scope="module", params=["per-language", "one collection"])
def three_language_store(tmp_path_factory, request):
    """400 chunks in a real chroma: 300 vi, 90 zh and 10 en (a rare language), random unit vectors;
    in a collection per language, or in the one collection of the older layout."""
    langs = ["vi"] * 300 + ["zh"] * 90 + ["en"] * 10
    rng = np.random.default_rng(7)
    rng.shuffle(langs)
    chunks = [make_chunk(f"d{i}", f"text {i}", lang=lang) for i, lang in enumerate(langs)]
    vecs = rng.normal(size=(len(chunks), 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    from pipeline.search import Searcher

    folder = tmp_path_factory.mktemp("three")
    if request.param == "one collection":
        _older_layout(folder / "chroma")
    store = VectorStore(folder / "chroma")
    assert store.per_language is (request.param == "per-language")
    store.add(chunks, vecs, {c.doc_id: f"{c.doc_id}.txt" for c in chunks}, {})
    manifest = Manifest(folder / "manifest.sqlite")
    with manifest.transaction():
        for c in chunks:
            manifest.put_chunks(c.doc_id, [c])
    searcher = Searcher(manifest, store, LexicalIndex(folder / "lexical"), embedder=None)
    return searcher, chunks, vecs, rng.normal(size=(5, 384)).astype(np.float32)


def _older_layout(path):
    """An embedded chroma database as indexes were made before one collection a language."""
    import chromadb

    from pipeline.index.vectors import COLLECTION

    chromadb.PersistentClient(path=str(path)).get_or_create_collection(
        COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)


def exact_top(chunks, vecs, query, n, lang):
    sims = vecs @ (query / np.linalg.norm(query))
    order = [i for i in np.argsort(-sims) if chunks[i].lang == lang]
    return [chunks[i].id for i in order[:n]]


@pytest.mark.parametrize("lang", ["vi", "zh", "en"])
def test_a_search_kept_to_one_language_finds_its_nearest_chunks(three_language_store, lang):
    searcher, chunks, vecs, queries = three_language_store
    for q in queries:
        got = searcher.nearest(q, 20, lang=lang)
        assert [c for c, _ in got] == exact_top(chunks, vecs, q, 20, lang)
        by_filter = searcher.vectors.query(q, 20, lang=lang)  # what chroma's own filter returns
        assert [c for c, _ in got] == [c for c, _ in by_filter]
        assert [s for _, s in got] == pytest.approx([s for _, s in by_filter], abs=1e-6)
    assert len(searcher.nearest(queries[0], 20, lang="en")) == 10  # fewer than asked: every chunk of the language


def test_a_rare_language_past_the_overfetch_limit_is_found_by_chromas_filter(three_language_store, monkeypatch):
    """(In the older layout; with a collection per language nothing is over-fetched.)"""
    from pipeline import search

    searcher, chunks, vecs, queries = three_language_store
    monkeypatch.setattr(search, "LANG_OVERFETCH_MAX", 40)  # 5 x 4 = 20 asked, then 80 is past the limit
    for q in queries:
        assert [c for c, _ in searcher.nearest(q, 5, lang="en")] == exact_top(chunks, vecs, q, 5, lang="en")
    assert searcher.nearest(queries[0], 5, lang="xx") == []


def test_vector_store_server_mode_matches_embedded(tmp_path, chroma_server):
    host, port = chroma_server
    chunks = [make_chunk("a", "甲"), make_chunk("b", "乙", lang="vi"), make_chunk("c", "丙")]
    rng = np.random.default_rng(1)
    vecs = rng.normal(size=(3, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    results = []
    for store in (VectorStore(tmp_path / "embedded"), VectorStore(tmp_path / "unused", host=host, port=port)):
        store.add(chunks, vecs, {"a": "a.txt", "b": "b.txt", "c": "c.txt"}, {})
        results.append((store.count(), store.query(vecs[0], 3), store.query(vecs[0], 3, lang="vi")))
    (n1, all1, vi1), (n2, all2, vi2) = results
    assert n1 == n2 == 3
    assert [c for c, _ in all1] == [c for c, _ in all2]
    assert [c for c, _ in vi1] == [c for c, _ in vi2] == [chunks[1].id]
    assert not (tmp_path / "unused").exists()


def test_vector_store_unreachable_server_is_a_clear_error(tmp_path):
    from pipeline.errors import GovtextError

    store = VectorStore(tmp_path / "x", host="127.0.0.1", port=1)
    with pytest.raises(GovtextError, match="cannot open the chroma database"):
        store.count()


def test_hanviet_terms_are_syllable_unigrams_and_bigrams():
    terms = hanviet_terms("居民自治")
    assert {"cư", "dân", "cư_dân", "tự_trị"} <= set(terms)
    # the same view a Vietnamese phrase gets in the lexical index
    assert {"cư_dân", "tự_trị"} <= set(gram_terms("quyền tự trị của cư dân"))


def test_lexical_search_across_languages_through_sino_vietnamese(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    zh = make_chunk("z", "推进老旧小区改造，发挥居民自治作用。")
    zh_other = make_chunk("z2", "今天天气很好，我们去公园散步。")
    vi = make_chunk("v", "Thành phố đẩy mạnh cải tạo chung cư cũ và quản lý nhà ở.", lang="vi")
    lex.add([zh, zh_other, vi], [["推进"], ["天气"], ["cải_tạo"]], {"z": "z", "z2": "z2", "v": "v"})
    lex.commit()
    # a Vietnamese query reaches the Chinese chunk (cải tạo = 改造, cư dân tự trị = 居民自治) and only Chinese chunks
    hits = lex.search_across("cải tạo, cư dân tự trị", "vi", 5)
    assert hits and hits[0][0] == zh.id and vi.id not in {c for c, _ in hits}
    # a Chinese query, read as Sino-Vietnamese, reaches the Vietnamese chunk
    assert [c for c, _ in lex.search_across("改造管理", "zh", 5)] == [vi.id]
    assert lex.search_across("改造", "other", 5) == []
    assert lex.search_across("改造", "zh", 5, sources=["nowhere"]) == []


# ---------------------------------------------------------------- traditional and simplified Chinese

TRADITIONAL = "公寓大廈應成立管理委員會，區分所有權人會議由全體區分所有權人組成。"  # Taiwan, 公寓大廈管理條例
SIMPLIFIED = "业主委员会执行业主大会的决定事项，召开业主大会会议。"  # PRC, 物业管理条例


@pytest.fixture
def bilingual_script_index(tmp_path):
    from pipeline.index.lexical import word_terms

    lex = LexicalIndex(tmp_path / "lex")
    tw, cn = make_chunk("tw", TRADITIONAL), make_chunk("cn", SIMPLIFIED)
    other = make_chunk("other", "今天天气很好，我们去公园散步。")
    chunks = [tw, cn, other]
    lex.add(chunks, [word_terms(c.text, "zh") for c in chunks], {"tw": "tw", "cn": "cn", "other": "other"})
    lex.commit()
    return lex, tw, cn


@pytest.mark.parametrize(
    "query, expected",
    [
        ("業主委員會", "cn"),  # traditional query, simplified document
        ("业主委员会", "cn"),
        ("區分所有權人會議", "tw"),
        ("区分所有权人会议", "tw"),  # simplified query, traditional document
        ("管理委员会", "tw"),
    ],
)
def test_a_query_in_either_script_finds_the_other(bilingual_script_index, query, expected):
    lex, tw, cn = bilingual_script_index
    hits = lex.search(query, 5)
    assert hits and hits[0][0] == {"tw": tw, "cn": cn}[expected].id


def test_traditional_text_is_segmented_as_simplified(bilingual_script_index):
    from pipeline.index.lexical import word_terms

    lex, _, _ = bilingual_script_index
    assert word_terms("區分所有權人會議", "zh") == word_terms("区分所有权人会议", "zh")
    assert word_terms(TRADITIONAL, "zh") == word_terms("公寓大厦应成立管理委员会，区分所有权人会议由全体区分所有权人组成。", "zh")
    assert {"委员会", "所有权"} <= lex.vocab and not {"委員會", "所有權"} & lex.vocab


# ---------------------------------------------------------------- Vietnamese typed without tone marks


@pytest.fixture
def toneless_index(tmp_path):
    """(LexicalIndex, chunk id -> name) of a text with diacritics, the same typed without, and another."""
    lex = LexicalIndex(tmp_path / "lex")
    chunks = {
        "exact": make_chunk("exact", "Ban quản trị nhà chung cư họp định kỳ mỗi quý một lần.", lang="vi"),
        "plain": make_chunk("plain", "Ban quan tri nha chung cu hop dinh ky moi quy mot lan.", lang="vi"),
        "other": make_chunk("other", "Quận ủy tổ chức hội nghị tổng kết công tác quy hoạch.", lang="vi"),
    }
    words = [["ban_quản_trị", "nhà_chung_cư", "họp"], ["ban", "quan", "tri", "nha", "chung", "cu"], ["quận_ủy"]]
    lex.add(list(chunks.values()), words, {name: name for name in chunks})
    lex.commit()
    return lex, {c.id: name for name, c in chunks.items()}


@pytest.mark.parametrize(
    "query, expected",
    [
        # without tone marks: the text typed the same way first, the one with diacritics next, and
        # "Quận ủy" (quan) last
        ("ban quan tri nha chung cu", ["plain", "exact", "other"]),
        ("Ban Quan Tri", ["plain", "exact", "other"]),
        ("quan tri", ["plain", "exact", "other"]),
        # with tone marks: the exact text first; "ban" is exact in the unaccented text too
        ("ban quản trị nhà chung cư", ["exact", "plain"]),
        ("quản trị", ["exact"]),  # the toneless field is not queried: "quan" is not "quản"
    ],
)
def test_toneless_queries_find_text_with_diacritics_below_exact_matches(toneless_index, query, expected):
    lex, names = toneless_index
    assert [names[c] for c, _ in lex.search(query, 5)] == expected


def test_toneless_queries_are_segmented_for_highlighting_against_the_stripped_vocabulary(toneless_index):
    lex, _ = toneless_index
    assert lex.highlight_words("Ban quan tri nha chung cu hop") == ["ban_quan_tri", "nha_chung_cu", "hop"]
    assert lex.highlight_words("ban quản trị họp") == ["ban_quản_trị", "họp"]  # with diacritics: as before


def test_the_toneless_field_can_be_switched_off(toneless_index):
    lex, names = toneless_index
    assert [names[c] for c, _ in lex.search("quan tri", 5, plain_boost=0)] == ["plain"]


def test_plain_terms_and_toneless_queries():
    from pipeline.index.lexical import plain_terms
    from pipeline.lang.vi import is_toneless

    assert plain_terms("Ban Quản Trị 业主") == ["ban", "quan", "tri", "ban_quan", "quan_tri"]
    assert is_toneless("ban quan tri nha chung cu") and is_toneless("CT19A")
    assert not is_toneless("ban quản trị") and not is_toneless("居民自治") and not is_toneless("")


def test_visible_chunk_rows_kept_in_memory_follow_document_status_and_writers(tmp_path):
    """Search's chunk rows and languages are kept in memory, but a document turned pending, failed
    or removed is hidden at once, and a writer's commit drops what was kept."""
    m = Manifest(tmp_path / "m.sqlite")
    c = make_chunk("d1", "第二页", start=5)
    with m.transaction():
        m.put_document(Document("d1", "第一页\n\n第二页", "a.txt", "", "zh"), "sha", "pending")
        m.put_chunks("d1", [c])
    assert m.chunk_rows([c.id], visible=True) == {}
    m.mark_ok(["d1"])
    assert m.chunk_rows([c.id], visible=True)[c.id].start == 5 and m.chunk_langs([c.id]) == {c.id: "zh"}
    reader = Manifest(tmp_path / "m.sqlite", readonly=True)
    assert reader.chunk_rows([c.id], visible=True)[c.id].start == 5
    m.put_document(Document("d1", "第一页\n\n第二页", "a.txt", "", "zh"), "sha", "pending")  # a re-ingest begins
    assert reader.chunk_rows([c.id], visible=True) == {}
    m.set_status(["d1"], "ok")
    moved = Chunk(c.id, "d1", "zh", 5, 8, "第二页", 3, headings=("一",))  # same id, re-cited by a new chunker
    m.put_chunks("d1", [moved])
    m.bump_generation()
    assert reader.chunk_rows([c.id], visible=True)[c.id].headings == ("一",)
    m.delete_document("d1")
    assert reader.chunk_rows([c.id], visible=True) == {} and reader.chunk_rows([c.id]) == {}
