"""Which model and which index format built an index: written to the manifest's info table when the
index is made, checked each time a `Library` opens its manifest.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import IndexMismatch
from .manifest import Manifest

# 2: language-centred vectors and the Sino-Vietnamese lexical view; 3: title context in the vectors,
# no title/heading BM25 field; 4: near-duplicate groups, traditional Chinese folded to simplified and
# tone-stripped Vietnamese in the lexical index
# 5: document metadata (type, year, issuer, places) stored for search filters; 6: the metadata kept once, a
# column per field (a format 5 manifest is migrated when opened: `pipeline.index.manifest`)
INDEX_FORMAT = 6
MIGRATED_FORMATS = ("5",)
FORMAT_CHANGES = "near-duplicate groups, traditional/simplified and tone-insensitive lexical search"


def check_index_info(manifest: Manifest, path: Path, model: str, dim: int, readonly: bool) -> None:
    """Record `model`, `dim` and INDEX_FORMAT in a new index; in an existing one, check that they match.

    A read-only opening of an index that records nothing is left as it is, and a format in
    MIGRATED_FORMATS is recorded as INDEX_FORMAT (its manifest migrated itself on opening).

    Raises:
        IndexMismatch: the index was built with another model, or in a format this govtext cannot read.
    """
    name, fmt = manifest.get_info("model"), manifest.get_info("format")
    if name is None and readonly:
        return
    if name is None:
        manifest.set_info("model", model)
        manifest.set_info("dim", str(dim))
        manifest.set_info("format", str(INDEX_FORMAT))
    elif name != model:
        raise IndexMismatch(f"index {path} was built with {name}, not {model}: use another --index")
    elif fmt in MIGRATED_FORMATS:
        if not readonly:
            manifest.set_info("format", str(INDEX_FORMAT))
    elif fmt != str(INDEX_FORMAT):
        raise IndexMismatch(
            f"index {path} has format {fmt or 1}, this govtext writes format {INDEX_FORMAT} "
            f"({FORMAT_CHANGES}): ingest again into a new --index"
        )
