"""Pool the govjudge queries (bench/govjudge.md, section 3): the top 20 target-language documents of
several systems per query, written to bench/data/govjudge/pool.jsonl (ids and ranks, no text).

With --packets DIR it also writes, outside the repository, one judging packet per query (query,
documents in a seeded random order, each with its title, its first 1,500 characters and the passages
the systems matched), for judges who must read the documents.

    .venv/bin/govtext ingest corpora ../shared/corpora/vi-gov/corpus.jsonl ../shared/corpora/zh-gov/corpus.jsonl \\
        --index /work/idx-gov --global-ids --no-practices
    .venv/bin/python bench/govjudge_pool.py --index /work/idx-gov --packets /work/tmp/packets
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from common import ROOT

from pipeline import Library
from pipeline.glossary import load_glossary

DATA = ROOT / "bench/data/govjudge"
DEPTH = 20
EXCERPT = 1500


def seed_name(source: str) -> str | None:
    path = Path(source)
    return f"seed:{path.name}" if path.parent.name == "corpora" and path.suffix == ".txt" else None


class Pooler:
    def __init__(self, lib: Library):
        self.lib = lib
        self.glossary = load_glossary()
        self.names: dict[str, str] = {}  # index doc_id -> corpus id or seed:<file>

    def corpus_id(self, doc_id: str, source: str) -> str:
        if doc_id not in self.names:
            self.names[doc_id] = seed_name(source) or doc_id
        return self.names[doc_id]

    def from_hits(self, hits) -> list[tuple[str, list[tuple[int, int]]]]:
        return [(self.corpus_id(h.doc_id, h.source), [(p.start, p.end) for p in h.passages[:2]]) for h in hits]

    def from_chunks(self, ranking, target: str) -> list[tuple[str, list[tuple[int, int]]]]:
        """Chunk ranking -> documents in order of their best chunk, target language only."""
        rows = self.lib.manifest.chunk_rows(cid for cid, _ in ranking)
        docs = self.lib.manifest.document_rows({r.doc_id for r in rows.values()})
        out: dict[str, list[tuple[int, int]]] = {}
        for cid, _ in ranking:
            r = rows.get(cid)
            if r is None or r.lang != target:
                continue
            key = self.corpus_id(r.doc_id, docs[r.doc_id].source)
            spans = out.setdefault(key, [])
            if len(spans) < 2:
                spans.append((r.start, r.end))
        return list(out.items())[:DEPTH]

    def systems(self, q: dict) -> dict[str, list]:
        lib, text, target, lang = self.lib, q["text"], q["target"], q["lang"]
        found = {
            "A-hybrid": self.from_hits(lib.search(text, k=DEPTH, lang=target, collapse=False)),
            "B-dense": self.from_hits(lib.search(text, k=DEPTH, mode="dense", lang=target, collapse=False)),
        }
        n = 20 * DEPTH
        if lang == target:
            found["C-bm25"] = self.from_hits(lib.search(text, k=DEPTH, mode="lexical", lang=target, collapse=False))
            grams = lib.lexical.search(text, n, lang=target, word_boost=0.0)
            found["D-ngram-bm25"] = self.from_chunks(grams, target)
            return found
        expanded = self.glossary.expand(text, source_lang=lang, target_lang=target)
        if expanded.text:
            found["C-glossary-bm25"] = self.from_chunks(lib.lexical.search(expanded.text, n, lang=target), target)
            searcher = lib.searcher  # a fresh Searcher: its glossary weight is this system's own
            searcher.glossary_weight = 0.5
            analysed = searcher.analyse(text, glossary=self.glossary)
            hits = searcher.search(analysed, k=DEPTH, lang=target, collapse=False, bridge=True)
            found["E-compare"] = self.from_hits(hits)
        found["D-hanviet-bm25"] = self.from_chunks(lib.lexical.search_across(text, lang, n), target)
        return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", required=True)
    ap.add_argument("--packets", help="write judging packets (with document text) to this folder, outside the repo")
    args = ap.parse_args()
    lib = Library(args.index, readonly=True)
    lib.warm_up()
    pooler = Pooler(lib)
    queries = [json.loads(line) for line in (DATA / "queries.jsonl").open(encoding="utf-8")]
    pool_lines, sizes = [], defaultdict(list)
    packets: dict[str, list[dict]] = {}
    for q in queries:
        ranks: dict[str, dict[str, int]] = defaultdict(dict)
        spans: dict[str, list] = defaultdict(list)
        for system, docs in pooler.systems(q).items():
            for rank, (doc, doc_spans) in enumerate(docs[:DEPTH], start=1):
                ranks[doc][system] = rank
                spans[doc].extend(s for s in doc_spans if s not in spans[doc])
        for doc in sorted(ranks):
            pool_lines.append({"query_id": q["id"], "doc_id": doc, "systems": ranks[doc]})
        sizes[q["direction"]].append(len(ranks))
        if args.packets:
            order = sorted(ranks)
            random.Random(f"govjudge-{q['id']}").shuffle(order)
            packets[q["id"]] = [{"doc_id": d, "spans": spans[d][:4]} for d in order]
    (DATA / "pool.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pool_lines),
                                     encoding="utf-8")
    for direction, ns in sorted(sizes.items()):
        print(f"{direction}: {len(ns)} queries, pool {sum(ns)} documents, {sum(ns) / len(ns):.1f} per query")
    if args.packets:
        write_packets(lib, pooler, queries, packets, Path(args.packets))


def write_packets(lib: Library, pooler: Pooler, queries: list[dict], packets: dict, folder: Path) -> None:
    """One JSONL per query: the query line, then one line per document with title, excerpt and matched passages."""
    folder.mkdir(parents=True, exist_ok=True)
    back = {name: doc_id for doc_id, name in pooler.names.items()}
    for q in queries:
        with open(folder / f"{q['id']}.jsonl", "w", encoding="utf-8") as out:
            out.write(json.dumps({k: q[k] for k in ("id", "text", "lang", "target", "direction", "topic")},
                                 ensure_ascii=False) + "\n")
            for item in packets[q["id"]]:
                doc = lib.show(back[item["doc_id"]])
                passages = [doc.text[s:e] for s, e in item["spans"] if not (e <= EXCERPT)]
                out.write(json.dumps({
                    "doc_id": item["doc_id"], "title": doc.title, "chars": len(doc.text),
                    "excerpt": doc.text[:EXCERPT], "matched_passages": passages[:3],
                }, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
