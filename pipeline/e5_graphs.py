"""The e5 transformer as compiled graphs: an ONNX Runtime export for warm query encoding
(`build_onnx` in `pipeline.embed` writes it to `onnx_path()`, `OnnxQueryEncoder` runs it) and a traced,
frozen TorchScript graph for passages (`traced_transformer`), both over the last hidden state, mean
pooled in fp32 (`mean_pooled`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .e5_model import MAX_SEQ_LENGTH, model_dir
from .e5_tokenizer import E5Tokenizer


def last_hidden_module(bert):
    """`bert` as a module of (input_ids, attention_mask) -> last hidden state, for tracing and export."""
    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    return LastHidden(bert)


def onnx_path(path: Path | None = None) -> Path:
    """Where the ONNX export of the model (used for warm query encoding) lives."""
    return Path(path or model_dir()) / "onnx" / "model.onnx"


def mean_pooled(hidden, attention_mask):
    """Mean of the last hidden state over the real (unpadded) tokens, in fp32."""
    mask = attention_mask.unsqueeze(-1).float()
    return (hidden.float() * mask).sum(1) / mask.sum(1)


def traced_transformer(eager, batches):
    """`eager` (a `last_hidden_module`) traced and frozen, or None when that fails.

    The trace is checked against the eager model on a padded batch (cosine of the mean-pooled
    vectors at least 0.9999), so a graph that specialised on the example is never used.
    """
    import torch

    _, example = next(iter(batches))
    ids, mask = example["input_ids"], example["attention_mask"]
    import warnings

    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            traced = torch.jit.freeze(torch.jit.trace(eager, (ids, mask), check_trace=False))
            shorter = (ids[:1, : int(mask[0].sum())], mask[:1, : int(mask[0].sum())])
            for args in ((ids, mask), shorter, (ids, mask)):  # twice: the first runs optimise the graph
                a, b = mean_pooled(traced(*args), args[1]), mean_pooled(eager(*args), args[1])
                if float(torch.nn.functional.cosine_similarity(a, b).min()) < 0.9999:
                    return None
    except (RuntimeError, TypeError, ValueError):  # a model or torch version the tracer cannot handle
        return None
    return traced


class OnnxQueryEncoder:
    """e5 query vectors through ONNX Runtime: tokenizer.json + the exported transformer, mean pooled."""

    def __init__(self, path: Path | None = None, threads: int = 2):
        import onnxruntime as ort

        folder = Path(path or model_dir())
        self.tokenizer = E5Tokenizer(folder)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        # no busy-waiting between queries: it would steal the CPU from BM25 and from other processes
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_path(folder)), options, providers=["CPUExecutionProvider"])

    def embed(self, text: str) -> np.ndarray:
        ids = np.asarray(self.tokenizer.encode(["query: " + text], max_length=MAX_SEQ_LENGTH), dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        vec = hidden.mean(axis=0)
        return (vec / np.linalg.norm(vec)).astype(np.float32)
