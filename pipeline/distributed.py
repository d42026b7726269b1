"""Ingest past one machine: the heavy stages on a Ray cluster, one writer committing here.

`ray_ingest` connects to a Ray cluster and starts a pool of actors (`IngestActor`), each loading
the passage model once. The ordinary ingest engine (`pipeline.ingest`) runs in this process, the
writer: it reads the files, hands each raw document to an actor to prepare (`prepare_raw`:
everything before embedding), takes the results back in input order, and at each commit has the
actors embed the batch's passages. It alone writes the stores, under the index's writer lock and
through the same all-or-nothing commit: vectors to chroma (a `chroma run` server when the index's
settings name one), the lexical index and the manifest in the index folder beside it. So a Ray
ingest gives the stores, ids, near-duplicate groups and report of a local one.

Every actor embeds its share of the batch's model batches (`E5Embedder` sorts passages by token
count and cuts batches of `batch_size`; actor k runs batches k, k+n, k+2n, ...): each passage is
computed in the very batch it would be in locally, so the vectors equal a local ingest's.

An actor that dies (killed, out of memory, its node lost) is restarted by Ray and its unfinished
calls run again (`max_restarts`, `max_task_retries`); a call that still fails is sent to another
actor, and with no actor left the writer does the work itself, as it does when a local worker
process dies. Prepared documents and vectors are pure functions of their input, so a call run
twice gives the same result, and only the writer commits: nothing is lost or stored twice.

Every node needs govtext installed with its model (`scripts/setup.sh`), the same version as the
writer's; the index folder need not be reachable from the nodes (an actor that cannot open its
manifest prepares every document, and the writer skips those it already holds).
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from .embed import MODEL_DIM, MODEL_NAME
from .errors import GovtextError

if TYPE_CHECKING:
    from .stores import IndexStores
    from .types import IngestReport

ACTOR_PREFIX = "govtext-ingest"  # actors are named ACTOR_PREFIX-<run>-<i> (ray.util.list_named_actors)
MAX_RESTARTS = 3  # times Ray restarts a dead actor
MAX_TASK_RETRIES = 3  # times Ray runs an unfinished call again on the restarted actor
RESUBMIT = 2  # further times the writer sends a call that still failed to another actor


def _ray():
    try:
        import ray
    except ImportError as exc:
        raise GovtextError("ingest --ray needs Ray: pip install 'govtext[ray]'") from exc
    return ray


class IngestActor:
    """One Ray actor: prepares documents and embeds passages, loading the model on its first batch.

    Args:
        manifest_path: the index's manifest, opened read-only when this node can see it, to skip
            documents the index already holds.
        batch_size: passages per forward pass (the writer's `embed_batch_size` setting, so batches
            match a local ingest's).
    """

    def __init__(self, manifest_path: str, batch_size: int | None = None):
        from . import prepare

        prepare._use_manifest(manifest_path)
        self.batch_size = batch_size
        self._embedder = None

    def prepare(self, raw, key: str, max_tokens: int):
        """`pipeline.prepare.prepare_raw` of one raw document (a `Ready`)."""
        from .prepare import prepare_in_worker

        return prepare_in_worker(raw, key, max_tokens)

    def embed_share(self, texts: Sequence[str], share: int, shares: int) -> tuple[list[int], np.ndarray, int]:
        """Passage vectors of the model batches `share`, `share + shares`, ... of `texts`.

        Returns:
            (positions in `texts`, their vectors, model tokens of all `texts`).
        """
        from .embed import E5Embedder

        if self._embedder is None:
            self._embedder = E5Embedder(batch_size=self.batch_size)
        embedder = self._embedder
        embedder.warm_up()  # traces on an example batch, so before the share is set
        positions: list[int] = []
        batches = embedder._batches

        def my_batches(prefixed):
            for i, (idx, batch) in enumerate(batches(prefixed)):
                if i % shares == share:
                    positions.extend(idx)
                    yield idx, batch

        before = embedder.tokens
        embedder._batches = my_batches
        try:
            vectors = embedder.embed_documents(list(texts))
        finally:
            del embedder._batches
        return positions, vectors[positions], embedder.tokens - before

    def pid(self) -> int:
        return os.getpid()


class _Call:
    """One call to an actor, as the ingest engine waits on it: `done()` and `result()`.

    A call whose actor died for good is sent to another actor, `RESUBMIT` times at most, and then
    run in the writer by `local`.
    """

    def __init__(self, pool: "ActorPool", method: str, args: tuple, local: Callable):
        self.pool, self.method, self.args, self.local = pool, method, args, local
        self.tries = 0
        self.ref = pool.send(method, args)

    def done(self) -> bool:
        if self.ref is None:
            return True
        ready, _ = self.pool.ray.wait([self.ref], timeout=0)
        return bool(ready)

    def result(self):
        ray = self.pool.ray
        while self.ref is not None:
            try:
                value = ray.get(self.ref)
                self.pool.outstanding.pop(self.ref, None)
                return value
            except ray.exceptions.RayTaskError as exc:  # the stage itself raised: the same error as locally
                self.pool.outstanding.pop(self.ref, None)
                raise exc.cause from None
            except (ray.exceptions.RayActorError, ray.exceptions.ObjectLostError, ray.exceptions.NodeDiedError,
                    ray.exceptions.WorkerCrashedError):  # the actor or its node is gone
                self.pool.lost(self.ref)
                self.tries += 1
                self.ref = self.pool.send(self.method, self.args) if self.tries <= RESUBMIT else None
        return self.local(*self.args)


class ActorPool:
    """`n` ingest actors spread over the cluster's nodes, and the calls outstanding on each.

    It stands in for the ingest engine's process pool (`submit(fn, *args)`) and for its embedder
    (`embed_documents`), so the engine runs unchanged.
    """

    def __init__(self, ray, n: int, manifest_path: Path, batch_size: int | None, local_embedder: Callable):
        self.ray = ray
        self.run = uuid.uuid4().hex[:8]
        remote = ray.remote(num_cpus=1, max_restarts=MAX_RESTARTS, max_task_retries=MAX_TASK_RETRIES)(IngestActor)
        self.actors = [
            remote.options(name=f"{ACTOR_PREFIX}-{self.run}-{i}", scheduling_strategy="SPREAD").remote(
                str(manifest_path), batch_size)
            for i in range(n)
        ]
        self.outstanding: dict = {}  # ref -> actor index
        self.dead: set[int] = set()
        self._local_embedder = local_embedder
        self.tokens = 0  # model tokens embedded, as `E5Embedder.tokens` counts them

    # -- the process-pool face
    def submit(self, fn, *args) -> _Call:
        """Prepare one raw document on an actor (`fn` is the engine's `prepare_in_worker`)."""
        return _Call(self, "prepare", args, fn)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """The engine's end of run: the actors stay until `close` (embedding may follow)."""

    # -- the embedder face
    name = MODEL_NAME
    dim = MODEL_DIM

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors of `texts`, the model batches shared out over the actors."""
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        shared = self.ray.put(list(texts))
        shares = len(self.live()) or 1
        calls = [_Call(self, "embed_share", (shared, k, shares), self._embed_here) for k in range(shares)]
        for k, call in enumerate(calls):
            positions, vectors, tokens = call.result()
            out[positions] = vectors
            if k == 0:
                self.tokens += tokens
        return out

    def _embed_here(self, texts, share: int, shares: int):
        """An actor's share, embedded by the writer when no actor is left."""
        if isinstance(texts, self.ray.ObjectRef):
            texts = self.ray.get(texts)
        embedder = self._local_embedder()
        before = getattr(embedder, "tokens", 0)
        vectors = embedder.embed_documents(list(texts))
        positions = list(range(len(texts)))
        return positions, vectors, getattr(embedder, "tokens", 0) - before

    # -- actors
    def live(self) -> list[int]:
        return [i for i in range(len(self.actors)) if i not in self.dead]

    def send(self, method: str, args: tuple):
        """Call `method` on the live actor with the fewest calls outstanding; None when none is live."""
        live = self.live()
        if not live:
            return None
        load = {i: 0 for i in live}
        for ref, i in list(self.outstanding.items()):
            if i in load:
                load[i] += 1
        target = min(live, key=lambda i: load[i])
        ref = getattr(self.actors[target], method).remote(*args)
        self.outstanding[ref] = target
        return ref

    def lost(self, ref) -> None:
        """A call failed after Ray's own retries: its actor is given up on."""
        target = self.outstanding.pop(ref, None)
        if target is not None:
            self.dead.add(target)

    def close(self) -> None:
        for actor in self.actors:
            try:
                self.ray.kill(actor, no_restart=True)
            except Exception:  # already gone with its node or the cluster
                pass


def cluster_cpus(ray) -> int:
    """The CPUs of the cluster: one actor each by default."""
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _check_reachable(address: str) -> None:
    """Fail at once on a HOST:PORT nobody listens on (Ray itself retries for minutes)."""
    import socket
    from urllib.parse import urlsplit

    if address in ("auto", "local"):
        return
    parts = urlsplit(address if "://" in address else f"ray://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host or not port:
        raise GovtextError(f"not a Ray address: {address!r}; give HOST:PORT, ray://HOST:PORT, auto or local")
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise GovtextError(f"cannot reach the Ray cluster at {address}: {exc} "
                           "(start one with `ray start --head`, or pass --ray local)") from exc


def ray_ingest(library: "IndexStores", address: str, paths, actors: int | None = None, wait: bool = False,
               on_wait: Callable | None = None, **options) -> "IngestReport":
    """Ingest `paths` into `library` with the heavy stages on the Ray cluster at `address`.

    Args:
        library: the index; it is written by this process only.
        address: a Ray address ("auto" for the cluster this machine joined with `ray start`,
            "ray://host:10001", "host:6379"), or "local" for a Ray instance started for this run.
        actors: actors to start (default: one per CPU of the cluster).
        wait, on_wait: as for `Library.ingest`.
        options: the other arguments of `Ingestor.ingest` (progress, practices, sync, global_ids, max_size).
    Returns:
        the ingest report, as a local ingest gives it (`workers` is the number of actors).
    Raises:
        GovtextError: Ray is not installed or the cluster cannot be reached.
    """
    from .ingest import Ingestor

    ray = _ray()
    started = not ray.is_initialized()
    if started:
        _check_reachable(address)
        try:
            where = {"include_dashboard": False} if address == "local" else {"address": address}
            ray.init(**where, log_to_driver=False, logging_level="WARNING")
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise GovtextError(f"cannot reach the Ray cluster at {address}: {exc} "
                               "(start one with `ray start --head`, or pass --ray local)") from exc
    pool = None
    try:
        pool = ActorPool(ray, actors or cluster_cpus(ray), library.path / "manifest.sqlite",
                         library.settings.embed_batch_size or None, lambda: library.embedder)
        ingestor = Ingestor(library, wait=wait, on_wait=on_wait, remote=pool)
        return ingestor.ingest(paths, workers=len(pool.actors), **options)
    finally:
        if pool is not None:
            pool.close()
        if started:
            ray.shutdown()
