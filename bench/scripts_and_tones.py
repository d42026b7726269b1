"""Lexical retrieval across Chinese scripts and without Vietnamese tone marks.

    .venv/bin/python bench/scripts_and_tones.py   # writes bench/results/scripts-and-tones.md

Chinese (../shared/eval/zh-stard): the corpus and the queries converted to traditional characters
with OpenCC's phrase-level s2t (as a reader in Taiwan or Hong Kong would type them), searched in
every combination, with the lexical index as it was (no script folding) and as it is now
(traditional folded to simplified). Vietnamese (../shared/eval/vi-alqac): the queries as written
and stripped of every diacritic (what someone typing without a Vietnamese keyboard sends), at
several weights of the tone-stripped `plain` field. Lexical search only (tantivy BM25, one chunk
per article, no title context), so no model is needed; segmenting the Vietnamese corpus with
underthesea takes most of the time. Hand-written notes below NOTES_MARK in the results file are
kept when it is regenerated.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from common import ROOT, SHARED, header, write_report

import pipeline.normalize as normalize_module
from pipeline.evaluate import ndcg_at, recall_at
from pipeline.index.lexical import LexicalIndex, word_terms
from pipeline.lang.vi import strip_diacritics
from pipeline.normalize import normalize_text
from pipeline.types import Chunk

RESULTS = ROOT / "bench" / "results" / "scripts-and-tones.md"
NOTES_MARK = "<!-- notes: kept by bench/scripts_and_tones.py -->"
PLAIN_BOOSTS = [0.0, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0]


def load(name: str):
    corpus = [json.loads(line) for line in open(SHARED / "eval" / name / "corpus.jsonl", encoding="utf-8")]
    queries = [json.loads(line) for line in open(SHARED / "eval" / name / "queries.jsonl", encoding="utf-8")]
    return corpus, queries


def _unfolded_script(char: str) -> str:
    """`fold` of one character as it was before traditional characters were simplified."""
    if "\uff01" <= char <= "\uff5e":
        char = chr(ord(char) - 0xFEE0)
    elif char == "\u3000":
        char = " "
    lower = char.lower()
    return lower if len(lower) == 1 else char


@contextmanager
def without_script_folding():
    saved = normalize_module._FOLD
    normalize_module._FOLD = normalize_module._CharMap(_unfolded_script)
    try:
        yield
    finally:
        normalize_module._FOLD = saved


def build(path: Path, records: list[dict], lang: str) -> tuple[LexicalIndex, float]:
    t0 = time.perf_counter()
    lex = LexicalIndex(path)
    chunks, words = [], []
    for rec in records:
        text = normalize_text(rec["text"])
        chunks.append(Chunk(str(rec["id"]), str(rec["id"]), lang, 0, len(text), text))
        words.append(word_terms(text, lang))
    for i in range(0, len(chunks), 2000):
        lex.add(chunks[i : i + 2000], words[i : i + 2000], {})
        lex.commit()
    lex.close()
    return lex, time.perf_counter() - t0


def score(lex: LexicalIndex, queries: list[dict], texts: list[str], **search) -> dict:
    ndcg = r10 = 0.0
    t0 = time.perf_counter()
    for q, text in zip(queries, texts):
        ranked = [cid for cid, _ in lex.search(text, 100, **search)]
        ndcg += ndcg_at(ranked, q["relevant"], 10)
        r10 += recall_at(ranked, q["relevant"], 10)
    n = len(queries)
    return {"ndcg": ndcg / n, "r10": r10 / n, "ms": 1000 * (time.perf_counter() - t0) / n}


def chinese(tmp: Path, out: list[str]) -> None:
    import opencc

    s2t = opencc.OpenCC("s2t.json")
    corpus, queries = load("zh-stard")
    trad_corpus = [{**rec, "text": s2t.convert(rec["text"])} for rec in corpus]
    query_texts = {"simplified": [q["text"] for q in queries], "traditional": [s2t.convert(q["text"]) for q in queries]}
    changed = sum(a != b for a, b in zip(query_texts["simplified"], query_texts["traditional"]))
    out.append(f"\n## Chinese: zh-stard ({len(corpus)} articles, {len(queries)} questions)\n")
    out.append(f"s2t changed {changed} of {len(queries)} questions.\n")
    out.append("| index | corpus script | query script | nDCG@10 | R@10 | ms/query | build s |")
    out.append("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for folding in ("none (before)", "to simplified (now)"):
        for script, records in (("simplified", corpus), ("traditional", trad_corpus)):
            path = tmp / f"zh-{folding[:4]}-{script}"
            if folding.startswith("none"):
                with without_script_folding():
                    lex, seconds = build(path, records, "zh")
                    rows = {qs: score(lex, queries, query_texts[qs]) for qs in query_texts}
            else:
                lex, seconds = build(path, records, "zh")
                rows = {qs: score(lex, queries, query_texts[qs]) for qs in query_texts}
            for qs, s in rows.items():
                out.append(
                    f"| {folding} | {script} | {qs} | {s['ndcg']:.4f} | {s['r10']:.4f} | {s['ms']:.1f} | {seconds:.0f} |"
                )


def vietnamese(tmp: Path, out: list[str]) -> None:
    corpus, queries = load("vi-alqac")
    lex, seconds = build(tmp / "vi", corpus, "vi")
    written = [q["text"] for q in queries]
    stripped = [strip_diacritics(normalize_text(t)) for t in written]
    out.append(f"\n## Vietnamese: vi-alqac ({len(corpus)} articles, {len(queries)} questions; index built in {seconds:.0f} s)\n")
    out.append("`plain` boost: weight of the tone-stripped field; `default` is what search does (the field is")
    out.append("queried only for a query without any diacritic, at PLAIN_BOOST).\n")
    out.append("| queries | plain boost | nDCG@10 | R@10 | ms/query |")
    out.append("| --- | --- | ---: | ---: | ---: |")
    s = score(lex, queries, written)
    out.append(f"| as written | default | {s['ndcg']:.4f} | {s['r10']:.4f} | {s['ms']:.1f} |")
    for boost in PLAIN_BOOSTS[1:]:
        s = score(lex, queries, written, plain_boost=boost)
        out.append(f"| as written | {boost} | {s['ndcg']:.4f} | {s['r10']:.4f} | {s['ms']:.1f} |")
    for boost in PLAIN_BOOSTS:
        s = score(lex, queries, stripped, plain_boost=boost)
        out.append(f"| without diacritics | {boost}{' (before)' if boost == 0 else ''} | {s['ndcg']:.4f} | {s['r10']:.4f} | {s['ms']:.1f} |")
    s = score(lex, queries, stripped)
    out.append(f"| without diacritics | default | {s['ndcg']:.4f} | {s['r10']:.4f} | {s['ms']:.1f} |")


def main() -> None:
    from pipeline.index.lexical import PLAIN_BOOST

    out = [header("Lexical search across Chinese scripts and without Vietnamese tone marks")]
    out.append(f"\nPLAIN_BOOST = {PLAIN_BOOST}. Lexical mode only; BM25 over words, n-grams and (Vietnamese) tone-stripped syllables.")
    with tempfile.TemporaryDirectory() as tmp:
        chinese(Path(tmp), out)
        vietnamese(Path(tmp), out)
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    notes = old.split(NOTES_MARK, 1)[1] if NOTES_MARK in old else "\n"
    write_report("scripts-and-tones", "\n".join(out) + "\n\n" + NOTES_MARK + notes)


if __name__ == "__main__":
    sys.exit(main())
