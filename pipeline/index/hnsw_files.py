"""chroma's HNSW files on disk: are they whole, and what vectors can be read back from them?

chromadb (embedded) keeps each collection's vectors in an hnswlib index folder beside its SQLite
file: `header.bin` (the index's shape and element count), `data_level0.bin` (per element: its
level-0 links, the unit vector and its label), `length.bin` (each vector's norm, float32),
`link_lists.bin` (per element: the byte size of its upper-level links, then those links) and
`index_metadata.pickle` (label <-> chunk id).
Vectors written since the files were last persisted wait in SQLite's `embeddings_queue`.

chroma trusts these files: a writer killed in the middle of persisting them can leave a header
that counts more elements than the data holds, and chroma then answers with wrong neighbours,
crashes, or (seen at 467k chunks) grows `link_lists.bin` into a sparse file of terabytes. So the
files are checked against each other before chroma opens them (`damage`), and `salvage` reads
back every vector that is still whole, so that `govtext repair` re-embeds only what was lost.
"""
from __future__ import annotations

import io
import pickle
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# hnswlib's header as chroma writes it: a format version, then saveIndex's fields
_HEADER = struct.Struct("<iQQQQQQiiQQQdQ")
_FLOAT = 4
_OPERATION_DELETE = 3  # chroma's embeddings_queue operation codes: 0 add, 1 update, 2 upsert, 3 delete


@dataclass(frozen=True)
class HnswHeader:
    """The fields of `header.bin` a check needs."""

    version: int
    max_elements: int
    elements: int
    element_size: int  # bytes per element in data_level0.bin
    label_offset: int
    data_offset: int
    max_level: int
    max_m: int
    max_m0: int

    @property
    def dim(self) -> int:
        return (self.label_offset - self.data_offset) // _FLOAT

    @property
    def link_size(self) -> int:
        """Bytes of one upper level's link list (a count, then max_m neighbour ids)."""
        return 4 + 4 * self.max_m


def read_header(path: Path) -> HnswHeader:
    raw = path.read_bytes()
    if len(raw) < _HEADER.size:
        raise ValueError(f"{path.name} holds {len(raw)} bytes, not the {_HEADER.size} of a header")
    (version, _offset0, max_elements, elements, element_size, label_offset, data_offset, max_level, _entry,
     max_m, max_m0, _m, _mult, _ef) = _HEADER.unpack_from(raw)
    return HnswHeader(version, max_elements, elements, element_size, label_offset, data_offset, max_level,
                      max_m, max_m0)


def segment_folders(chroma_dir: Path) -> list[Path]:
    """The HNSW folders of an embedded chroma database (one per vector segment)."""
    if not chroma_dir.is_dir():
        return []
    return sorted(p for p in chroma_dir.iterdir() if p.is_dir() and (p / "header.bin").exists())


def damage(chroma_dir: Path) -> tuple[str, ...]:
    """Every way the HNSW files under `chroma_dir` disagree with each other (empty: they are whole).

    Compares the header with the files' sizes, reads the norms and walks link_lists.bin's sizes,
    never the vectors or links: what every open of the store can afford (0.05 s at 409k elements).
    """
    problems: list[str] = []
    for folder in segment_folders(chroma_dir):
        problems.extend(f"{folder.name}/{p}" for p in _folder_damage(folder))
    return tuple(problems)


def _folder_damage(folder: Path) -> list[str]:
    try:
        h = read_header(folder / "header.bin")
    except (OSError, ValueError) as exc:
        return [f"header.bin unreadable: {exc}"]
    if h.version != 1 or h.data_offset != 4 + 4 * h.max_m0 or h.dim <= 0 \
            or h.element_size != h.label_offset + 8 or h.elements > h.max_elements or h.max_level < -1:
        return [f"header.bin is not a consistent hnswlib header ({h})"]
    sizes = {name: (folder / name).stat().st_size if (folder / name).exists() else -1
             for name in ("data_level0.bin", "length.bin", "link_lists.bin")}
    out = []
    if not h.elements * h.element_size <= sizes["data_level0.bin"] <= h.max_elements * h.element_size:
        out.append(f"data_level0.bin holds {sizes['data_level0.bin']} bytes, but header.bin counts "
                   f"{h.elements} elements of {h.element_size} bytes")
    if not h.elements * _FLOAT <= sizes["length.bin"] <= h.max_elements * _FLOAT:
        out.append(f"length.bin holds {sizes['length.bin']} bytes for {h.elements} elements")
    # each element: a 4-byte size, then one link list per level above 0
    most = h.elements * (4 + max(h.max_level, 0) * h.link_size)
    if not 4 * h.elements <= sizes["link_lists.bin"] <= most:
        out.append(f"link_lists.bin holds {sizes['link_lists.bin']} bytes, outside the {4 * h.elements}-{most} "
                   f"that {h.elements} elements of at most {h.max_level} levels can take")
    else:
        out.extend(_link_lists_damage(folder / "link_lists.bin", h))
    if not out:
        norms = np.fromfile(folder / "length.bin", dtype="<f4", count=h.elements)
        bad = np.flatnonzero(~np.isfinite(norms) | (norms < 0))
        if len(bad):
            out.append(f"length.bin gives {len(bad)} elements an impossible norm (element {int(bad[0])})")
    return out


def _link_lists_damage(path: Path, h: HnswHeader) -> list[str]:
    """Walk link_lists.bin element by element: every size a whole number of levels, the sizes adding
    up to the file exactly (about 0.1 s a million elements)."""
    raw = path.read_bytes()
    if len(raw) % 4:
        return [f"link_lists.bin holds {len(raw)} bytes, not a whole number of 4-byte words"]
    words = np.frombuffer(raw, dtype="<u4")
    sizes = {level * h.link_size for level in range(max(h.max_level, 0) + 1)}  # allowed, in bytes
    word = words.tolist()
    pos = 0
    try:
        for element in range(h.elements):
            size = word[pos]
            if size not in sizes:
                return [f"link_lists.bin gives element {element} an impossible link-list size ({size} bytes)"]
            pos += 1 + (size >> 2)
    except IndexError:
        return [f"link_lists.bin ends at element {element} of {h.elements}"]
    if pos != len(word):
        return [f"link_lists.bin holds {len(raw)} bytes, but its {h.elements} elements take {4 * pos}"]
    return []


class _PlainData(pickle.Unpickler):
    """Unpickles chroma's index metadata, which is plain dicts, ints and strings: nothing else loads."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"index_metadata.pickle names {module}.{name}, not plain data")


def salvage(chroma_dir: Path) -> dict[str, np.ndarray]:
    """chunk id -> vector of every vector still whole in a (possibly damaged) embedded chroma database.

    Elements of data_level0.bin that lie wholly in the file and whose label index_metadata.pickle
    maps to an id are read; then the writes waiting in SQLite's `embeddings_queue` are replayed in
    order over them (upserts replace, deletes remove). A folder whose header or pickle cannot be
    read gives nothing, and what is missing is re-embedded by the caller.
    """
    found: dict[str, np.ndarray] = {}
    for folder in segment_folders(chroma_dir):
        try:
            found.update(_folder_vectors(folder))
        except (OSError, ValueError, EOFError, pickle.UnpicklingError):
            continue
    _replay_queue(chroma_dir / "chroma.sqlite3", found)
    return found


def _folder_vectors(folder: Path) -> dict[str, np.ndarray]:
    h = read_header(folder / "header.bin")
    with open(folder / "index_metadata.pickle", "rb") as f:
        meta = _PlainData(io.BytesIO(f.read())).load()
    label_to_id = meta.get("label_to_id", {}) if isinstance(meta, dict) else {}
    data = np.fromfile(folder / "data_level0.bin", dtype=np.uint8)
    whole = min(h.elements, len(data) // h.element_size)
    rows = data[: whole * h.element_size].reshape(whole, h.element_size)
    vectors = rows[:, h.data_offset : h.label_offset].copy().view("<f4")
    labels = rows[:, h.label_offset : h.label_offset + 8].copy().view("<u8")[:, 0]
    norms = np.fromfile(folder / "length.bin", dtype="<f4", count=whole) if (folder / "length.bin").exists() else []
    if len(norms) == whole:  # the cosine space stores unit vectors and each one's norm apart
        vectors *= norms[:, None]
    out = {}
    for label, vec in zip(labels.tolist(), vectors):
        cid = label_to_id.get(label)
        if isinstance(cid, str) and np.all(np.isfinite(vec)):
            out[cid] = vec
    return out


def _replay_queue(sqlite_file: Path, found: dict[str, np.ndarray]) -> None:
    if not sqlite_file.exists():
        return
    db = sqlite3.connect(f"{sqlite_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT operation, id, vector, encoding FROM embeddings_queue ORDER BY seq_id")
        for operation, cid, blob, encoding in rows:
            if operation == _OPERATION_DELETE:
                found.pop(cid, None)
            elif blob is not None and (encoding or "FLOAT32").upper() == "FLOAT32":
                found[cid] = np.frombuffer(blob, dtype="<f4").copy()
    except sqlite3.Error:
        return
    finally:
        db.close()
