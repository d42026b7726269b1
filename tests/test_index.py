"""The index stage: SQLite manifest, real chromadb, real tantivy."""
import numpy as np
import pytest

from pipeline.index import LexicalIndex, Manifest, QuerySegmenter, VectorStore, gram_terms
from pipeline.types import Chunk, Document, Page, content_hash


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
    assert m.chunk_rows([c.id])[c.id][:5] == ("d1", 0, "zh", 5, 8)
    assert m.counts()["documents"] == 1 and m.counts()["chunks"] == 1
    m.delete_document("d1")
    assert m.get_document("d1") is None and m.chunk_rows([c.id]) == {}


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
    store.delete_documents(["a", "b"])
    assert store.count() == 1


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

