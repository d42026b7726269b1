"""Scale on one machine: grow a real index to 100,000 and 1,000,000 chunks, and measure it at each size.

Embedding a million chunks with the real model would take days on two cores, so `grow` replicates
the documents of a real ingest instead: each replica gets a new document id, a title marked with its
replica number, a text with a few adjacent letters swapped (same length, so every chunk keeps its
offsets; the swapped letters give the replica its own BM25 postings) and, for each chunk, the real
chunk vector plus small gaussian noise, brought back to the original length. Replicas are written
through `Ingestor.commit`, the same code an ingest commits with (manifest rows, chroma upserts in
batches, tantivy documents, one commit per batch); only the embedding is replaced by the perturbed
stored vectors. A replica's `words` field is its base chunk's words (segmented against the index
vocabulary) plus a replica token; `grams`, `hanviet` and `plain` are made from the perturbed text by
the lexical index as for any chunk. Replicas carry no near-duplicate signature, so search does not
collapse them together (a million distinct chunks, not sixteen copies of 65,000).

    python bench/scale.py grow --base /work/idx-gov --index SCRATCH/idx --chunks 100000
    python bench/scale.py measure --index SCRATCH/idx --label 100k --ingest-skip 50 --out SCRATCH/100k.json
    python bench/scale.py report SCRATCH/65k.json SCRATCH/100k.json SCRATCH/1m.json --name scale

    python bench/scale.py ab --index SCRATCH/idx --baseline OLD_CHECKOUT --pairs 4 --rounds 3 --name latency-ab

`ab` compares this checkout's searcher with another checkout's (e.g. `git worktree add OLD HEAD~1`) on one
index: probes of the two run in turn, baseline first, so a drift in the machine's speed touches both;
each probe is a fresh process doing `--rounds` passes. The report gives the median over the pairs of
each side's p50 and p95, and the median of the pair-by-pair p50 ratios.

`measure` runs, in this order: a searcher process (RSS idle after `warm_up`, peak during the queries,
warm p50/p95 per mode for same-language and cross-language govjudge dev queries), `govtext check`
(wall time), and a real ingest of a fixed slice of fresh records (documents not in the corpora).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from common import ROOT, SHARED, header, write_report

from pipeline import Library
from pipeline.index.lexical import QuerySegmenter
from pipeline.ingest import Ingestor, _Batch
from pipeline.prepare import PreparedDocument
from pipeline.types import Chunk, content_hash

QUERIES = ROOT / "bench" / "data" / "govjudge" / "queries.jsonl"
MODES = ("hybrid", "dense", "lexical")
NOISE = 0.01  # standard deviation of the noise added to each vector component (vectors have length ~1)
SWAPS_PER_CHARS = 200  # one swap of two adjacent letters per this many characters of text


# -- growing
class _ReplicaIngestor(Ingestor):
    """An Ingestor whose embedding step hands back the vectors it is given instead of running the model."""

    vectors: np.ndarray

    def embed(self, chunks, titles):
        return self.vectors


def load_base(base: Path):
    """(documents, chunk lists, words per chunk, vectors by chunk id, source key per doc) of an index."""
    lib = Library(base, readonly=True)
    m = lib.manifest
    seg = QuerySegmenter(lib.lexical.vocab)
    docs, chunks, words, keys = [], [], [], []
    for doc_id in m.ok_doc_ids():
        doc = m.get_document(doc_id)
        rows = sorted(m.chunk_rows(m.chunk_ids_of(doc_id)).values(), key=lambda r: r.ordinal)
        cs = [Chunk(r.chunk_id, doc_id, r.lang, r.start, r.end, doc.text[r.start : r.end], r.ordinal, r.page,
                    r.headings) for r in rows]
        docs.append(doc)
        chunks.append(cs)
        words.append([tuple(seg.segment(c.text)) for c in cs])
        keys.append((m.sources_of(doc_id) or [doc.source])[0])
    vectors = lib.vectors.vectors_of([c.id for cs in chunks for c in cs])
    lib.close()
    return docs, chunks, words, vectors, keys


def perturb_text(text: str, rng: np.random.Generator) -> str:
    """`text` with a few pairs of adjacent letters swapped; the length stays the same."""
    chars = list(text)
    n = max(1, len(chars) // SWAPS_PER_CHARS)
    if len(chars) < 2:
        return text
    for pos in rng.integers(0, len(chars) - 1, n):
        a, b = chars[pos], chars[pos + 1]
        if a.isalnum() and b.isalnum() and a != b:
            chars[pos], chars[pos + 1] = b, a
    return "".join(chars)


def perturb_vectors(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each row plus gaussian noise, rescaled to the row's original length."""
    noisy = vectors + rng.normal(0.0, NOISE, vectors.shape).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) / np.linalg.norm(noisy, axis=1, keepdims=True)
    return (noisy * norms).astype(np.float32)


def replica(doc, chunks, words, vectors, key, r: int) -> tuple[PreparedDocument, np.ndarray]:
    """Replica number `r` of one document, with the vectors of its chunks."""
    rng = np.random.default_rng([r, int(content_hash(doc.id, length=8), 16)])
    doc_id = f"{doc.id}~r{r}"
    text = perturb_text(doc.text, rng)
    new = replace(doc, id=doc_id, text=text, title=f"[r{r}] {doc.title}", source=f"{doc.source}~r{r}")
    cs = tuple(
        Chunk(content_hash(doc_id, str(c.start), str(c.end), text[c.start : c.end]), doc_id, c.lang, c.start, c.end,
              text[c.start : c.end], c.ordinal, c.page, c.headings)
        for c in chunks
    )
    ws = tuple(w + (f"r{r}x",) for w in words)
    vecs = perturb_vectors(np.stack([vectors[c.id] for c in chunks]), rng) if chunks else np.zeros((0, 384), np.float32)
    sha = content_hash(text, length=64)
    return PreparedDocument(doc=new, sha=sha, key=f"{key}~r{r}", chunks=cs, words=ws), vecs


def grow(args) -> None:
    index, base = Path(args.index), Path(args.base)
    if not index.exists():
        shutil.copytree(base, index)
        print(f"copied {base} to {index}", flush=True)
    t0 = time.perf_counter()
    cache = Path(args.cache) if args.cache else None
    if cache and cache.exists():
        with open(cache, "rb") as f:
            docs, chunks, words, vectors, keys = pickle.load(f)
    else:
        docs, chunks, words, vectors, keys = load_base(base)
        if cache:
            with open(cache, "wb") as f:
                pickle.dump((docs, chunks, words, vectors, keys), f, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"base: {len(docs)} documents, {sum(map(len, chunks))} chunks, loaded in {time.perf_counter() - t0:.0f} s",
          flush=True)
    lib = Library(index)
    have = lib.stats()["chunks"]
    done_ids = set(lib.manifest.ok_doc_ids())
    ing = _ReplicaIngestor(lib)
    def replicas():
        r = 0
        while True:
            r += 1
            for i in range(len(docs)):
                if f"{docs[i].id}~r{r}" not in done_ids:
                    yield r, replica(docs[i], chunks[i], words[i], vectors, keys[i], r)

    t0, written, batch, batch_vecs = time.perf_counter(), 0, _Batch(), []
    with ing.writing():
        for r, (p, v) in replicas():
            if have + written + batch.n_chunks >= args.chunks or time.perf_counter() - t0 > args.minutes * 60:
                break
            batch.docs.append(p)
            batch_vecs.append(v)
            if batch.n_chunks >= args.batch_chunks:
                ing.vectors = np.concatenate(batch_vecs)
                written += ing.commit(batch)
                batch, batch_vecs = _Batch(), []
                el = time.perf_counter() - t0
                print(f"{time.strftime('%H:%M:%S')} replica {r}: {have + written} chunks, {written / el:.0f} "
                      f"chunks/s, {el:.0f} s", flush=True)
        if batch.docs:
            ing.vectors = np.concatenate(batch_vecs)
            written += ing.commit(batch)
    lib.close()
    el = time.perf_counter() - t0
    print(f"done: {have + written} chunks ({written} written in {el:.0f} s, {written / max(el, 1e-9):.0f} chunks/s)",
          flush=True)


# -- measuring
def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def rss_mb() -> tuple[float, float]:
    """(current, peak since the last reset) resident set size of this process, MB."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def probe(args) -> None:
    """In a fresh process: load a searcher, time the query list per mode, report RSS; JSON on stdout."""
    queries = [json.loads(line) for line in open(QUERIES, encoding="utf-8")]
    queries = [q for q in queries if q["part"] == "dev"]
    lib = Library(args.index, readonly=True)
    t0 = time.perf_counter()
    lib.warm_up()
    load = time.perf_counter() - t0
    idle = rss_mb()[0]
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    for q in queries[:5]:
        lib.search(q["text"], k=10, lang=q["target"])
    out = {"load_s": load, "rss_idle_mb": idle, "modes": {}}
    kinds = {
        "any": [(q, None) for q in queries],  # no language filter: what `govtext search` does by default
        "same": [(q, q["target"]) for q in queries if q["lang"] == q["target"]],
        "cross": [(q, q["target"]) for q in queries if q["lang"] != q["target"]],
    }
    for _ in range(args.rounds):
        for mode in MODES:
            for kind, qs in kinds.items():
                times = out["modes"].setdefault(f"{mode}/{kind}", [])
                for q, lang in qs[: args.per_kind]:
                    t0 = time.perf_counter()
                    lib.search(q["text"], k=10, mode=mode, lang=lang)
                    times.append((time.perf_counter() - t0) * 1000)
    out["rss_peak_mb"] = rss_mb()[1]
    out["load_average"] = os.getloadavg()[1]  # the machine's 5-minute load average as the queries ended
    out["latency"] = {k: {"n": len(v), "p50": statistics.median(v), "p95": percentile(v, 0.95)}
                      for k, v in out.pop("modes").items()}
    stats = lib.stats()
    out["documents"], out["chunks"] = stats["documents"], stats["chunks"]
    print(json.dumps(out))


def recall(args) -> None:
    """Recall@100 of a dense search kept to the query's target language, against exact search, before
    (chroma's `where` filter) and after (`Searcher.nearest`); prints one line per query kind."""
    lib = Library(args.index, readonly=True)
    searcher = lib.searcher
    ids = lib.manifest.chunk_ids_all()
    found = lib.vectors.vectors_of(ids)
    langs = lib.manifest.chunk_langs(found)
    ids = list(found)
    matrix = np.stack([found[i] for i in ids])
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    lang_of = np.array([langs.get(i, "") for i in ids])
    out: dict[str, list[tuple[float, float]]] = {"same": [], "cross": []}
    for q in (json.loads(line) for line in open(QUERIES, encoding="utf-8")):
        if q["part"] != "dev":
            continue
        v = lib.embedder.embed_query(q["text"])
        if lib.centering is not None:
            v = lib.centering.query(v, q["lang"])
        sims = matrix @ (v / np.linalg.norm(v))
        sims[lang_of != q["target"]] = -9.0
        exact = {ids[i] for i in np.argsort(-sims)[:100]}
        before = {c for c, _ in lib.vectors.query(v, 100, lang=q["target"])}
        after = {c for c, _ in searcher.nearest(v, 100, lang=q["target"])}
        out["same" if q["lang"] == q["target"] else "cross"].append((len(exact & before) / 100, len(exact & after) / 100))
    for kind, pairs in out.items():
        b, a = np.mean([p[0] for p in pairs]), np.mean([p[1] for p in pairs])
        print(f"{kind}-language dev queries ({len(pairs)}): recall@100 {b:.3f} with chroma's where filter, "
              f"{a:.3f} filtering unfiltered neighbours by language")


def disk_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def ingest_slice(index: Path, skip: int, n: int, scratch: Path) -> dict:
    """A real ingest of n/2 vi-alqac and n/2 zh-govqa records (not in the corpora) into `index`."""
    part = scratch / f"fresh-{skip}.jsonl"
    with open(part, "w", encoding="utf-8") as out:
        for corpus in ("vi-alqac", "zh-govqa"):
            with open(SHARED / "eval" / corpus / "corpus.jsonl", encoding="utf-8") as f:
                lines = [line for i, line in enumerate(f) if skip <= i < skip + n // 2]
            out.writelines(lines)
    lib = Library(index)
    lib.embedder.warm_up()
    rep = lib.ingest([part], practices=False)
    lib.close()
    part.unlink()
    return {"documents": rep.documents, "chunks": rep.chunks, "seconds": rep.seconds,
            "docs_s": rep.documents / rep.seconds, "chunks_s": rep.chunks / rep.seconds,
            "stages": dict(rep.stage_seconds)}


def measure(args) -> None:
    index = Path(args.index)
    py = sys.executable
    result = {"label": args.label, "disk_mb": {name: disk_mb(index / name) for name in
                                               ("chroma", "lexical", "manifest.sqlite")}}
    got = subprocess.run([py, __file__, "probe", "--index", str(index), "--rounds", str(args.rounds),
                          "--per-kind", str(args.per_kind)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    result["search"] = json.loads(got.stdout.strip().splitlines()[-1])
    print(json.dumps(result["search"]), flush=True)
    if args.no_check:
        Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
        return
    t0 = time.perf_counter()
    chk = subprocess.run([py, "-m", "pipeline.cli", "check", "--index", str(index)], capture_output=True, text=True,
                         cwd=ROOT)
    result["check_s"] = time.perf_counter() - t0
    result["check"] = chk.stdout.strip().splitlines()[-1] if chk.stdout.strip() else chk.stderr[-300:]
    print(f"check {result['check_s']:.1f} s: {result['check']}", flush=True)
    if args.ingest_n:
        result["ingest"] = ingest_slice(index, args.ingest_skip, args.ingest_n, Path(args.out).parent)
        print(json.dumps(result["ingest"]), flush=True)
    result["maxrss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")


def _probe(root: Path, index: str, rounds: int, per_kind: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root))
    got = subprocess.run([sys.executable, str(root / "bench" / "scale.py"), "probe", "--index", index, "--rounds",
                          str(rounds), "--per-kind", str(per_kind)], check=True, capture_output=True, text=True,
                         cwd=root, env=env)
    return json.loads(got.stdout.strip().splitlines()[-1])


def ab(args) -> None:
    """Warm latency of this checkout against a baseline checkout, probes alternating (baseline first)."""
    base, this = Path(args.baseline).resolve(), ROOT
    runs: dict[str, list[dict]] = {"baseline": [], "this": []}
    for _ in range(args.pairs):
        for side, root in (("baseline", base), ("this", this)):
            runs[side].append(_probe(root, args.index, args.rounds, args.per_kind)["latency"])
            print(side, json.dumps({k: round(v["p50"], 1) for k, v in runs[side][-1].items()}), flush=True)
    head = lambda root: subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"],  # noqa: E731
                                       capture_output=True, text=True).stdout.strip()[:80]
    lines = [header("Warm search latency, this checkout against a baseline, probes alternating"),
             f"Index {args.index}; baseline `{head(base)}`; this `{head(this)}`. {args.pairs} pairs of probes, "
             f"each a fresh process making {args.rounds} passes over {args.per_kind} govjudge dev queries of each "
             "kind (k=10). Medians over the pairs, ms.", "",
             "| mode / kind | baseline p50 | p95 | this p50 | p95 | p50 ratio (pairwise median) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for key in runs["this"][0]:
        b = [r[key] for r in runs["baseline"]]
        t = [r[key] for r in runs["this"]]
        med = lambda rs, f: statistics.median(r[f] for r in rs)  # noqa: E731
        ratio = statistics.median(y["p50"] / x["p50"] for x, y in zip(b, t))
        lines.append(f"| {key} | {med(b, 'p50'):.1f} | {med(b, 'p95'):.1f} | {med(t, 'p50'):.1f} | "
                     f"{med(t, 'p95'):.1f} | {ratio:.2f} |")
    lines.append(f"\nThe machine's 5-minute load average at the end: {os.getloadavg()[1]:.1f} ({os.cpu_count()} cores).")
    write_report(args.name, "\n".join(lines) + "\n")


def report(args) -> None:
    results = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.results]
    lines = [header(f"Scale on one machine: {', '.join(dict.fromkeys(r['label'].split(',')[0] for r in results))} chunks"), __doc__.split("\n\n    python")[0], ""]
    lines += ["| size | documents | chunks | chroma MB | tantivy MB | manifest MB | searcher RSS idle MB | "
              "peak during queries MB | warm-up s | `check` s |", "| --- " * 10 + "|"]
    for r in results:
        s, d = r["search"], r["disk_mb"]
        check = f"{r['check_s']:.1f}" if "check_s" in r else "-"
        lines.append(f"| {r['label']} | {s['documents']} | {s['chunks']} | {d['chroma']:.0f} | {d['lexical']:.0f} | "
                     f"{d['manifest.sqlite']:.0f} | {s['rss_idle_mb']:.0f} | {s['rss_peak_mb']:.0f} | "
                     f"{s['load_s']:.1f} | {check} |")
    lines += ["", "Warm latency, ms (k=10, govjudge dev queries; same and cross-language: searched with `lang` set "
              "to the query's target language; no language filter: the same queries without `lang`):", "",
              *(["The machine's 5-minute load average when each run ended: "
                 + ", ".join(f"{r['label']} {r['search']['load_average']:.1f}" for r in results if "load_average" in r["search"])
                 + f" ({os.cpu_count()} cores).", ""] if any("load_average" in r["search"] for r in results) else []),
              "| size | mode | no language filter p50 | p95 | same language p50 | p95 | cross-language p50 | p95 |",
              "| --- " * 8 + "|"]
    for r in results:
        lat = r["search"]["latency"]
        for mode in MODES:
            cells = " | ".join(f"{lat[k]['p50']:.0f} | {lat[k]['p95']:.0f}" if k in lat else "- | -"
                               for k in (f"{mode}/any", f"{mode}/same", f"{mode}/cross"))
            lines.append(f"| {r['label']} | {mode} | {cells} |")
    lines += ["", "Real ingest of fresh records into the grown index (the model embeds; no practice catalogue):", "",
              "| size | documents | chunks | seconds | docs/s | chunks/s | embed share |", "| --- " * 7 + "|"]
    for r in results:
        g = r.get("ingest")
        if g:
            share = g["stages"].get("embed", 0) / g["seconds"]
            lines.append(f"| {r['label']} | {g['documents']} | {g['chunks']} | {g['seconds']:.1f} | {g['docs_s']:.2f} | "
                         f"{g['chunks_s']:.1f} | {share:.0%} |")
    if args.notes:
        lines += ["", Path(args.notes).read_text(encoding="utf-8")]
    write_report(args.name, "\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grow", help="grow an index to --chunks by writing perturbed replicas of --base")
    g.add_argument("--base", required=True, help="a real index, only read")
    g.add_argument("--index", required=True, help="the index to grow (a copy of --base is made if it is missing)")
    g.add_argument("--chunks", type=int, required=True)
    g.add_argument("--minutes", type=float, default=float("inf"), help="stop (after a whole batch) once this long")
    g.add_argument("--cache", help="a file keeping the loaded base between runs (read if it exists)")
    g.add_argument("--batch-chunks", type=int, default=1024, help="chunks per committed batch")
    g.set_defaults(func=grow)
    p = sub.add_parser("probe", help="(internal) one searcher process: RSS and warm latency as JSON")
    p.add_argument("--index", required=True)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--per-kind", type=int, default=20, help="queries of each kind (any, same, cross language)")
    p.set_defaults(func=probe)
    m = sub.add_parser("measure", help="disk, RSS, latency, check time and ingest throughput of one index")
    m.add_argument("--index", required=True)
    m.add_argument("--label", required=True)
    m.add_argument("--out", required=True, help="JSON file of the results")
    m.add_argument("--rounds", type=int, default=1, help="passes over the query list per mode")
    m.add_argument("--per-kind", type=int, default=20, help="queries of each kind (any, same, cross language)")
    m.add_argument("--no-check", action="store_true")
    m.add_argument("--ingest-n", type=int, default=100, help="fresh records ingested (0: none)")
    m.add_argument("--ingest-skip", type=int, default=0, help="where the fresh slice starts in each corpus")
    m.set_defaults(func=measure)
    c = sub.add_parser("recall", help="recall@100 of language-filtered dense search against exact search")
    c.add_argument("--index", required=True)
    c.set_defaults(func=recall)
    a = sub.add_parser("ab", help="warm latency of this checkout against another one, probes alternating")
    a.add_argument("--index", required=True)
    a.add_argument("--baseline", required=True, help="the root of the other checkout (same .venv)")
    a.add_argument("--pairs", type=int, default=4)
    a.add_argument("--rounds", type=int, default=3, help="passes over the query list per probe")
    a.add_argument("--per-kind", type=int, default=20)
    a.add_argument("--name", default="latency-ab", help="writes bench/results/NAME.md")
    a.set_defaults(func=ab)
    r = sub.add_parser("report", help="write bench/results/NAME.md from measure's JSON files")
    r.add_argument("results", nargs="+")
    r.add_argument("--name", default="scale")
    r.add_argument("--notes", help="a Markdown file appended to the report")
    r.set_defaults(func=report)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
