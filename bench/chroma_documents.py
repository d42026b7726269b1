"""What storing chunk texts in chroma costs: upsert time, disk and RSS with and without `documents`.

    .venv/bin/python bench/chroma_documents.py [--chunks 8000] [--rounds 2]

The chunks are 800-character pieces of the first records of ../shared/corpora (vi-gov, then zh-gov),
with random unit vectors and the metadata `pipeline.index.vectors.VectorStore.add` writes, upserted
in batches of 250 into a fresh embedded chroma. The two configurations alternate, each round in a
fresh process, so machine noise falls on both. Writes bench/results/chroma-documents.md.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import SHARED, header, write_report

CHILD = r"""
import json, shutil, sys, time
import numpy as np
import chromadb

texts = json.load(open(sys.argv[1], encoding="utf-8"))
with_docs = sys.argv[2] == "1"
path = sys.argv[3]
rng = np.random.default_rng(0)
vecs = rng.standard_normal((len(texts), 384)).astype(np.float32)
vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
col = chromadb.PersistentClient(path=path).get_or_create_collection("chunks", metadata={"hnsw:space": "cosine"})
t = time.perf_counter()
for k in range(0, len(texts), 250):
    ids = range(k, min(k + 250, len(texts)))
    kw = dict(ids=[f"c{i}" for i in ids], embeddings=vecs[k:k + 250],
              metadatas=[{"doc_id": f"d{i // 5}", "lang": "vi", "source": "corpus.jsonl", "title": "t",
                          "start": 0, "end": 800, "page": -1, "ordinal": i % 5} for i in ids])
    if with_docs:
        kw["documents"] = texts[k:k + 250]
    col.upsert(**kw)
seconds = time.perf_counter() - t
rss = int([l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]) // 1024
print(json.dumps({"seconds": seconds, "peak_rss_mb": rss}))
"""


def pieces(n: int) -> list[str]:
    out: list[str] = []
    for name in ("vi-gov", "zh-gov"):
        with open(SHARED / "corpora" / name / "corpus.jsonl", encoding="utf-8") as f:
            for line in f:
                text = json.loads(line)["text"]
                out += [text[k: k + 800] for k in range(0, min(len(text), 4000), 800)]
                if len(out) >= n * (1 if name == "vi-gov" else 2) // 2:
                    break
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chunks", type=int, default=8000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.json"
        chunks = pieces(args.chunks)
        texts.write_text(json.dumps(chunks, ensure_ascii=False), encoding="utf-8")
        for r in range(args.rounds):
            for with_docs in (True, False):
                path = Path(tmp) / f"chroma-{r}-{int(with_docs)}"
                out = subprocess.run([sys.executable, "-c", CHILD, str(texts), str(int(with_docs)), str(path)],
                                     capture_output=True, text=True, check=True).stdout
                got = json.loads(out.strip().splitlines()[-1])
                disk = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20
                rows.append((r + 1, "with documents" if with_docs else "without documents", got["seconds"],
                             disk, got["peak_rss_mb"]))
    lines = [header("Chunk texts in chroma: what `documents` costs"), "",
             f"{len(chunks)} chunks of 800 characters (vi-gov then zh-gov), random unit vectors, batches of 250, "
             "configurations alternating, a fresh process each.", "",
             "| round | upsert | seconds | disk MB | peak RSS MB |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r} | {what} | {s:.1f} | {d:.0f} | {m} |" for r, what, s, d, m in rows]
    print("\n".join(lines))
    write_report("chroma-documents", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
