"""The int8 passage transformer: smoothing is exact before quantisation, and the int8 vectors stay near fp32."""
import numpy as np
import pytest
import torch

from pipeline import e5_int8
from pipeline.e5_model import PassageModel, load_passage_model
from pipeline.embed import E5Embedder

pytestmark = pytest.mark.slow

TEXTS = [
    "Ban quản trị nhà chung cư họp định kỳ hàng tháng để bàn việc bảo trì, sửa chữa thang máy.",
    "一征三议两公开工作法在老旧小区改造中得到应用，居民代表全程参与议事。",
    "Nghị quyết số 15/NQ-HĐND về cải tạo chung cư cũ trên địa bàn quận Thanh Xuân năm 2022.",
    "业主大会、业主委员会依法履行职责，物业服务企业接受业主监督。",
    "dân biết, dân bàn, dân làm, dân kiểm tra",
    "2024年",
]


@pytest.fixture(scope="module")
def fp32():
    return load_passage_model(bf16=False)


def _embedder(transformer, tokenizer) -> E5Embedder:
    emb = E5Embedder(bf16=False, jit=False, workers=1)
    emb._model = PassageModel(transformer, tokenizer)
    return emb


def test_smoothing_alone_leaves_every_layer_output_unchanged(fp32):
    """Dividing each input channel by s and multiplying the weight's column by s is the same product."""
    layers = e5_int8.linear_layers(fp32.transformer)
    maxima = e5_int8.load_maxima()
    assert sorted(path for path, _, _ in layers) == sorted(maxima)  # the shipped file fits the model
    torch.manual_seed(0)
    for path, parent, attr in layers[:6]:
        layer = getattr(parent, attr)
        x = torch.randn(3, 7, layer.in_features) * torch.from_numpy(maxima[path])
        scale = torch.from_numpy(maxima[path]).clamp(min=1e-5) ** 0.7 / layer.weight.detach().abs().amax(0) ** 0.3
        smoothed = torch.nn.Linear(layer.in_features, layer.out_features)
        smoothed.weight.data = layer.weight.detach() * scale
        smoothed.bias.data = layer.bias.detach().clone()
        with torch.inference_mode():
            want, got = layer(x), e5_int8.SmoothedLinear(smoothed, 1 / scale)(x)
        torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4 * float(want.abs().max()))


def test_int8_vectors_stay_near_fp32_and_the_model_is_left_fp32(fp32):
    reference = _embedder(fp32.transformer, fp32.tokenizer).embed_documents(TEXTS)
    quantised = e5_int8.int8_transformer(fp32.transformer)
    got = _embedder(quantised, fp32.tokenizer).embed_documents(TEXTS)
    cosines = np.sum(got * reference, axis=1)
    # plain int8 (no smoothing) gives about 0.97 on governance passages; smoothed, about 0.997
    assert cosines.min() > 0.99, cosines
    assert not np.allclose(got, reference, atol=1e-4)  # it really is another encoder
    # the fp32 model it came from is untouched, and the word embeddings are shared, not copied
    assert all(type(getattr(p, a)) is torch.nn.Linear for _, p, a in e5_int8.linear_layers(fp32.transformer))
    assert not e5_int8.linear_layers(quantised)  # every linear layer was replaced
    assert quantised.embeddings is fp32.transformer.embeddings
    np.testing.assert_allclose(_embedder(fp32.transformer, fp32.tokenizer).embed_documents(TEXTS), reference, atol=1e-6)


def test_the_environment_switch_and_the_traced_graph(monkeypatch):
    monkeypatch.setenv("GOVTEXT_INT8", "1")
    emb = E5Embedder()
    assert emb.int8 and not emb.bf16
    vectors = emb.embed_documents(TEXTS)  # through TorchScript with two batches at once, as ingest runs it
    eager = E5Embedder(int8=True, jit=False, workers=1).embed_documents(TEXTS)
    np.testing.assert_allclose(vectors, eager, atol=1e-5)
    monkeypatch.setenv("GOVTEXT_INT8", "0")
    assert not E5Embedder().int8


def test_maxima_that_do_not_fit_the_model_are_refused(fp32):
    maxima = e5_int8.load_maxima()
    maxima.pop(next(iter(maxima)))
    with pytest.raises(ValueError, match="do not name"):
        e5_int8.int8_transformer(fp32.transformer, maxima)
