"""The BERT encoder of multilingual-e5-small in plain torch: the passage transformer without transformers.

Importing transformers costs an ingest process about 150 MB and several seconds, for a model that is
twelve identical blocks of self-attention and a feed-forward layer. This module is that model, with
transformers' parameter names (so the safetensors file loads as it is) and its order of operations
(embeddings word + type + position, post-LayerNorm blocks, exact GELU, SDPA attention), so its hidden
states equal `transformers.BertModel`'s; tests/test_embed.py checks them against it.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F


class BertConfig:
    """The few sizes the encoder needs, read from the model folder's config.json."""

    def __init__(self, folder: Path):
        raw = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
        self.vocab_size: int = raw["vocab_size"]
        self.hidden: int = raw["hidden_size"]
        self.layers: int = raw["num_hidden_layers"]
        self.heads: int = raw["num_attention_heads"]
        self.intermediate: int = raw["intermediate_size"]
        self.positions: int = raw["max_position_embeddings"]
        self.type_vocab: int = raw.get("type_vocab_size", 2)
        self.eps: float = raw.get("layer_norm_eps", 1e-12)
        if raw.get("hidden_act", "gelu") != "gelu" or raw.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only BERT with exact GELU and absolute positions is supported")


class _Embeddings(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden)
        self.position_embeddings = nn.Embedding(c.positions, c.hidden)
        self.token_type_embeddings = nn.Embedding(c.type_vocab, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=c.eps)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        x = self.word_embeddings(input_ids) + self.token_type_embeddings.weight[0]
        x = x + self.position_embeddings.weight[:length]
        return self.LayerNorm(x)


class _Dense(nn.Module):
    """A linear layer followed by a residual LayerNorm (BertSelfOutput and BertOutput)."""

    def __init__(self, n_in: int, n_out: int, eps: float):
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)
        self.LayerNorm = nn.LayerNorm(n_out, eps=eps)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(x) + residual)


class _SelfAttention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.heads, self.head_size = c.heads, c.hidden // c.heads
        self.query = nn.Linear(c.hidden, c.hidden)
        self.key = nn.Linear(c.hidden, c.hidden)
        self.value = nn.Linear(c.hidden, c.hidden)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        shape = (*x.shape[:-1], self.heads, self.head_size)
        q, k, v = (layer(x).view(shape).transpose(1, 2) for layer in (self.query, self.key, self.value))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=1 / math.sqrt(self.head_size))
        return out.transpose(1, 2).reshape(*x.shape[:-1], -1)


class _Attention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.self = _SelfAttention(c)
        self.output = _Dense(c.hidden, c.hidden, c.eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.output(self.self(x, mask), x)


class _Intermediate(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.intermediate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.gelu(self.dense(x))


class _Layer(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.attention = _Attention(c)
        self.intermediate = _Intermediate(c)
        self.output = _Dense(c.intermediate, c.hidden, c.eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        attended = self.attention(x, mask)
        return self.output(self.intermediate(attended), attended)


class _Encoder(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList(_Layer(c) for _ in range(c.layers))


class E5Bert(nn.Module):
    """BERT as (input_ids, attention_mask) -> last hidden state; parameter names as transformers'."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.config = config
        self.embeddings = _Embeddings(config)
        self.encoder = _Encoder(config)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.embeddings(input_ids)
        # True where a key may be attended to: every query row sees the real tokens only
        mask = attention_mask.bool()[:, None, None, :]
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return x
