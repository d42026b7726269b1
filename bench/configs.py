"""Search configurations compared on govjudge (bench/govjudge_eval.py): each turns a query into a
ranked list of corpus ids (seeds as seed:<file name>) of the query's target language."""
from __future__ import annotations

from pathlib import Path

DEPTH = 20


def _corpus_id(hit) -> str:
    path = Path(hit.source)
    return f"seed:{path.name}" if path.parent.name == "corpora" and path.suffix == ".txt" else hit.doc_id


def _hybrid(lib, q):
    return lib.search(q["text"], k=DEPTH, lang=q["target"])


def _dense(lib, q):
    return lib.search(q["text"], k=DEPTH, mode="dense", lang=q["target"])


def _lexical(lib, q):
    return lib.search(q["text"], k=DEPTH, mode="lexical", lang=q["target"])


def _compare(lib, q):
    """The target-language column of `compare`: hybrid plus the glossary translations."""
    if q["lang"] == q["target"]:
        return _hybrid(lib, q)
    return lib.compare(q["text"], k=DEPTH).results[q["target"]]


CONFIGS = {
    "hybrid (shipped default)": _hybrid,
    "dense": _dense,
    "bm25": _lexical,
    "compare column": _compare,
}


def run_config(lib, name: str, queries: list[dict]) -> dict[str, list[str]]:
    return {q["id"]: [_corpus_id(h) for h in CONFIGS[name](lib, q)] for q in queries}
