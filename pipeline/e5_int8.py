"""The passage transformer with int8 linear layers, for CPUs without bf16 units (AVX2-only machines).

On such a CPU the fp32 encoder is bound by the fp32 multiply-add rate; int8 matrix products
(fbgemm, `torch.ao.quantization.quantize_dynamic`) do about twice the work per cycle. Quantising
e5's linear layers as they are moves the vectors far from fp32 (mean cosine 0.970 per tensor, 0.984
per output channel) because a few input channels of each layer carry activations tens of times
larger than the rest. Each layer's input is therefore smoothed first (SmoothQuant, Xiao et al. 2023):
input channel j is divided by s_j and the weight's column j multiplied by it, with
s_j = max|x_j|^ALPHA / max|W_j|^(1-ALPHA), which moves part of the outliers' range from the
activations (quantised per tensor, at run time) into the weights (quantised per output channel).
The product is unchanged in exact arithmetic; after quantisation the vectors agree with fp32 at
cosine about 0.998 (bench/results/embed-int8.md).

The activation maxima max|x_j| ship in `data/e5_int8_maxima.npz`, measured on governance passages
by `bench/embed_int8.py --write-maxima`, so the smoothing and hence the vectors are the same on
every machine and in every run.
"""
from __future__ import annotations

import copy
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

MAXIMA_FILE = Path(__file__).parent / "data" / "e5_int8_maxima.npz"
ALPHA = 0.8  # share of the outliers' range moved into the weights: the best agreement on corpus passages (bench/results/embed-int8.md)


class SmoothedLinear(nn.Module):
    """x -> linear(x * inverse_scale): the layer after smoothing, its weight already multiplied by the scale."""

    def __init__(self, linear: nn.Module, inverse_scale: torch.Tensor):
        super().__init__()
        self.linear = linear
        self.register_buffer("inverse_scale", inverse_scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x * self.inverse_scale)


def linear_layers(transformer: nn.Module) -> list[tuple[str, nn.Module, str]]:
    """(path, parent, attribute) of every linear layer: the path names it in the maxima file."""
    return [
        (f"{path}.{attr}" if path else attr, parent, attr)
        for path, parent in transformer.named_modules()
        for attr, child in parent.named_children()
        if isinstance(child, nn.Linear)
    ]


def activation_maxima(forward, transformer: nn.Module, batches) -> dict[str, np.ndarray]:
    """max |x_j| of every linear layer's input channel j over the real tokens of `batches`.

    Args:
        forward: the transformer's forward function, called as forward(input_ids, attention_mask).
        transformer: the fp32 module whose linear layers are observed.
        batches: dicts with "input_ids" and "attention_mask", as `E5Embedder._batches` gives.
    """
    maxima: dict[str, torch.Tensor] = {}
    mask_now: list[torch.Tensor] = []

    def observe(name):
        def hook(_module, inputs, _output):
            x = inputs[0].detach().abs()[mask_now[0]]  # real tokens only: padding rows are not data
            got = x.amax(dim=0)
            maxima[name] = torch.maximum(maxima[name], got) if name in maxima else got

        return hook

    handles = [module.register_forward_hook(observe(name))
               for name, module in transformer.named_modules() if isinstance(module, nn.Linear)]
    try:
        with torch.inference_mode():
            for batch in batches:
                mask_now[:] = [batch["attention_mask"].bool()]
                forward(batch["input_ids"], batch["attention_mask"])
    finally:
        for handle in handles:
            handle.remove()
    return {name: value.float().numpy() for name, value in maxima.items()}


def save_maxima(maxima: dict[str, np.ndarray], path: Path = MAXIMA_FILE) -> None:
    np.savez_compressed(path, **{name: value.astype(np.float32) for name, value in maxima.items()})


def load_maxima(path: Path = MAXIMA_FILE) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


def int8_transformer(transformer: nn.Module, maxima: dict[str, np.ndarray] | None = None,
                     alpha: float = ALPHA) -> nn.Module:
    """The transformer with every linear layer smoothed and quantised to int8 (a new module).

    The embeddings and LayerNorms stay fp32 (the word embedding rows stay memory-mapped from the
    model file); each linear layer becomes a `SmoothedLinear` around a dynamically quantised
    linear layer with per-output-channel int8 weights.

    Raises:
        ValueError: the maxima do not name this transformer's linear layers.
    """
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear
    from torch.ao.quantization import per_channel_dynamic_qconfig

    maxima = load_maxima() if maxima is None else maxima
    names = sorted(path for path, _, _ in linear_layers(transformer))
    if names != sorted(maxima):
        raise ValueError(f"activation maxima for {len(maxima)} layers do not name the transformer's {len(names)} linear layers")
    # a new module sharing the fp32 embeddings (memory-mapped) with a copy of the encoder to quantise
    quantised = copy.copy(transformer)
    quantised._modules = dict(transformer._modules)
    quantised._modules["encoder"] = copy.deepcopy(transformer.encoder)
    for name, parent, attr in linear_layers(quantised):
        layer = getattr(parent, attr)
        weight = layer.weight.detach().float()
        x_max = torch.from_numpy(maxima[name]).clamp(min=1e-5)
        w_max = weight.abs().amax(dim=0).clamp(min=1e-5)
        scale = (x_max ** alpha / w_max ** (1 - alpha)).clamp(min=1e-2)
        smoothed = nn.Linear(layer.in_features, layer.out_features)
        smoothed.weight = nn.Parameter(weight * scale, requires_grad=False)
        smoothed.bias = nn.Parameter(layer.bias.detach().float().clone(), requires_grad=False)
        smoothed.qconfig = per_channel_dynamic_qconfig
        with warnings.catch_warnings():  # torch.ao's quantised tensors are deprecated for torchao; torch is pinned
            warnings.simplefilter("ignore", UserWarning)
            setattr(parent, attr, SmoothedLinear(DynamicLinear.from_float(smoothed), 1 / scale))
    return quantised.eval()
