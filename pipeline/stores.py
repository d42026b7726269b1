"""What the upkeep of an index (ingest, removal, check, repair) uses of it: its folder, settings and
stores, its embedder, and its practice catalogue. `pipeline.api.Library` is the one implementation;
`pipeline.ingest` and `pipeline.integrity` name this Protocol, not the facade above them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .config import Settings
    from .crosslingual import LanguageCentering
    from .duplicates import DuplicateGroups
    from .embed import Embedder
    from .index import LexicalIndex, Manifest, VectorStore


class IndexStores(Protocol):
    """One index's stores as its writers use them."""

    path: Path  # the index folder (writer.lock, practices.json, manifest.sqlite)
    settings: Settings
    vectors: VectorStore
    lexical: LexicalIndex
    _groups: DuplicateGroups | None  # set to None to rebuild `groups` from the manifest on next use

    @property
    def manifest(self) -> Manifest: ...

    @property
    def embedder(self) -> Embedder: ...

    @property
    def centering(self) -> LanguageCentering | None: ...

    @property
    def groups(self) -> DuplicateGroups: ...

    def catalogue(self, rebuild: bool = False) -> list: ...

    def catalogue_fingerprint(self) -> str: ...
