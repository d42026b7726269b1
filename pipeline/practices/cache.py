"""The catalogue cache of an index (`practices.json`): the practices found in a set of documents and their vectors.

The file holds `{"version", "fingerprint", "documents", "practices", "vectors"}`: the practices as
`Practice.to_dict()`, the vectors as `[lang, canonical name, [floats]]`. It is current while its version is
`CATALOGUE_VERSION` and its fingerprint that of the index's documents (`Library.catalogue_fingerprint`).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .types import Practice, practice_from_dict

if TYPE_CHECKING:
    import numpy as np

CATALOGUE_VERSION = 3  # of practices.json (2: formula components; 3: listing confidence)


@dataclass(frozen=True)
class CachedCatalogue:
    """A practice catalogue with the fingerprint of the documents it was built from.

    `vectors` maps (lang, canonical name) to the normalised mean vector of the chunks that mention
    the practice (`nearest_practices` compares them across languages).
    """

    fingerprint: str
    practices: list[Practice]
    vectors: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    documents: int = 0  # how many documents it was built over

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> CachedCatalogue | None:
        """The catalogue stored at `path` if it is current for `fingerprint`; None if missing, unreadable or stale."""
        import numpy as np

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != CATALOGUE_VERSION or data.get("fingerprint") != fingerprint:
            return None
        return cls(
            fingerprint=fingerprint,
            practices=[practice_from_dict(d) for d in data["practices"]],
            vectors={(lang, name): np.asarray(v, dtype=np.float32) for lang, name, v in data.get("vectors", [])},
            documents=data.get("documents", 0),
        )

    def save(self, path: Path) -> None:
        """Write the catalogue to `path` atomically: readers see the old file or the new one, never half of one."""
        data = {
            "version": CATALOGUE_VERSION, "fingerprint": self.fingerprint, "documents": self.documents,
            "practices": [p.to_dict() for p in self.practices],
            "vectors": [[lang, name, [round(float(x), 6) for x in v]] for (lang, name), v in self.vectors.items()],
        }
        tmp = path.with_suffix(f".json.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
