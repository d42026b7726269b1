"""Relevance estimates a researcher can compare across queries, and the line below which a hit is weak.

Fused scores are min-max normalised per query, so the best hit always looks strong. A document's
evidence is instead read off each retriever in absolute terms (its dense cosine, its rank in each
ranking, whether the glossary translations or the Sino-Vietnamese view found it) and turned into a
probability of being on the query's topic by a logistic model fitted on the dev part of the judged
governance set (`bench/calibrate.py` writes `data/calibration.json`; bench/results/calibration.md).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Mapping

# Hits whose estimate is below this are marked weak ("no strong match"); the fitted model carries the
# line chosen on the dev part (at most one in ten documents shown as strong off topic), this is the default.
WEAK_BELOW = 0.5
MODES = ("dense", "lexical", "crosslingual", "glossary", "glossary_dense", "feedback")


def evidence(dense_cosine: float | None, ranks: Mapping[str, int], cross: bool,
             translated_cosine: float | None = None, query_lang: str = "") -> dict[str, float]:
    """The features of one document: best dense cosine (to the query, and to its glossary translations),
    1/rank in each ranking (0 when absent), and whether the search crossed languages."""
    out = {"dense_cosine": dense_cosine if dense_cosine is not None else 0.0, "cross": float(cross),
           "translated_cosine": translated_cosine if translated_cosine is not None else 0.0,
           "query_zh": float(query_lang == "zh")}
    for mode in MODES:
        out[f"rr_{mode}"] = 1.0 / ranks[mode] if mode in ranks else 0.0
    return out


@lru_cache(maxsize=1)
def _model() -> dict | None:
    path = Path(__file__).parent / "data" / "calibration.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def line_group(features: Mapping[str, float]) -> str:
    """Which weak line applies: the search's direction by query language, "zh>vi", "vi>zh" (across
    languages), "zh>zh" or "vi>vi" (a query in any language but Chinese counts as Vietnamese here)."""
    zh = bool(features.get("query_zh"))
    if not features.get("cross"):
        return "zh>zh" if zh else "vi>vi"
    return "zh>vi" if zh else "vi>zh"


def weak_below(group: str = "same") -> float:
    """The estimate under which a hit is shown as weak, for a group of `line_group`; a model without a
    line of that group's own uses its "same" line for same-language groups."""
    line = (_model() or {}).get("weak_below", WEAK_BELOW)
    if not isinstance(line, dict):
        return float(line)
    fallback = line.get("same", WEAK_BELOW) if group in ("zh>zh", "vi>vi") else WEAK_BELOW
    return float(line.get(group, fallback))


def relevance(features: Mapping[str, float], model: dict | None = None) -> float | None:
    """The estimated probability that a document with these features is on the topic (None without a model)."""
    model = model or _model()
    if not model:
        return None
    z = model["bias"] + sum(w * features.get(name, 0.0) for name, w in model["weights"].items())
    return 1.0 / (1.0 + math.exp(-z))
