"""Where the web layer sends its jobs: the embedded store (worker processes) or an existing SPARQL
server (threads). The web layer sees only `Engine.run`, so it does not care which."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from openforum_ld.iris import ONTOLOGY_IRI, Iris
from openforum_ld.load import Dataset, load_dataset
from openforum_ld.web.jobs import JobContext, Problem, Reply, run_job
from openforum_ld.web.workers import WorkerPool, Zygote

if TYPE_CHECKING:
    from openforum_ld.config import Settings


@dataclass(frozen=True)
class DatasetInfo:
    """What the server knows about the data without asking the store again."""

    version: str
    triples: int
    graphs: tuple[str, ...]


class Engine(Protocol):
    """Runs jobs next to the store."""

    info: DatasetInfo

    async def run(
        self, name: str, arguments: dict[str, Any], timeout: float
    ) -> Reply | Problem: ...

    async def close(self) -> None: ...


def default_query_workers() -> int:
    """Two query workers at least, so one runaway query never blocks the others."""
    return max(2, os.cpu_count() or 1)


class EmbeddedEngine:
    """The embedded pyoxigraph store, queried in worker processes that can be killed."""

    def __init__(self, info: DatasetInfo, pool: WorkerPool) -> None:
        self.info = info
        self.pool = pool

    @classmethod
    async def start(cls, settings: Settings, dataset: Dataset | None = None) -> EmbeddedEngine:
        """Load the data (or take a loaded dataset), fork the zygote, start the workers."""
        if dataset is None:
            dataset = load_dataset(
                settings.data_dir, settings.ontology_dir, settings.base_uri, settings.store_dir
            )
        info = DatasetInfo(
            dataset.version,
            dataset.store.default_graph_size(),
            tuple(g for g in dataset.store.graph_names() if g != ONTOLOGY_IRI),
        )
        iris = Iris(settings.base_uri)
        if settings.store_dir is None:
            store = dataset.store

            def make_context() -> JobContext:
                return JobContext(settings, store, iris, info.version)
        else:
            store_dir = Path(settings.store_dir)
            del dataset  # RocksDB runs threads of its own: each worker opens the store itself

            def make_context() -> JobContext:
                from openforum_ld.store import Store

                return JobContext(settings, Store.read_only(store_dir), iris, info.version)

        zygote = Zygote.start(make_context)
        pool = WorkerPool(zygote, settings.query_workers or default_query_workers())
        await pool.start()
        return cls(info, pool)

    async def run(self, name: str, arguments: dict[str, Any], timeout: float) -> Reply | Problem:
        return await self.pool.run(name, arguments, timeout)

    async def close(self) -> None:
        await self.pool.stop()


class RemoteEngine:
    """An existing SPARQL server; jobs run in threads, each HTTP call bounded by the timeout."""

    def __init__(self, info: DatasetInfo, context: JobContext) -> None:
        self.info = info
        self.context = context

    @classmethod
    async def start(cls, settings: Settings, version: str) -> RemoteEngine:
        from openforum_ld.remote import RemoteStore

        assert settings.endpoint
        store = RemoteStore(settings.endpoint, settings.timeout)
        context = JobContext(settings, store, Iris(settings.base_uri), version)
        graphs: tuple[str, ...] = ()
        triples = 0
        try:
            rows = await asyncio.to_thread(
                store.select, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
            )
            triples = int(rows[0]["n"].value) if rows else 0
            named = await asyncio.to_thread(
                store.select, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
            )
            graphs = tuple(sorted(r["g"].value for r in named if "g" in r))
        except (
            Exception
        ):  # the endpoint may be down at start: the server still starts, and says so per request
            pass
        return cls(DatasetInfo(version, triples, graphs), context)

    async def run(self, name: str, arguments: dict[str, Any], timeout: float) -> Reply | Problem:
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(run_job, self.context, name, arguments), timeout
            )
        except TimeoutError:
            return Problem(
                504,
                "SPARQL endpoint too slow",
                f"The SPARQL endpoint did not answer within {timeout:g} s.",
            )

    async def close(self) -> None:
        store = self.context.store
        close = getattr(store, "close", None)
        if close is not None:
            close()
