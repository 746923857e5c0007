"""Where the web layer sends its jobs: the publication's store, read-only, in threads of the
server process or in worker processes that can be killed; an existing SPARQL server, in
threads; or, for tests, a context in the same process. The web layer sees only `Engine.run`,
so it does not care which."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from functools import partial
from typing import TYPE_CHECKING, Protocol

from openforum_ld.rdf.terms import TermLabels
from openforum_ld.views.context import ViewContext
from openforum_ld.views.search import LabelList, entity_labels
from openforum_ld.views.source_text import SourceTexts
from openforum_ld.web.jobs import Problem, run_job
from openforum_ld.web.query_threads import Handed, QueryThreads
from openforum_ld.web.workers import WorkerPool, Zygote, timed_out

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.config import Settings
    from openforum_ld.iris import Iris
    from openforum_ld.publication import Publication
    from openforum_ld.store import SparqlStore
    from openforum_ld.web.jobs import Job, Reply


class Engine(Protocol):
    """Runs jobs next to the store."""

    async def run(self, job: Job, timeout: float) -> Reply | Problem: ...

    async def close(self) -> None: ...


def default_query_workers() -> int:
    """Two query workers at least, so one runaway query never blocks the others."""
    return max(2, os.cpu_count() or 1)


def publication_context(publication: Publication, iris: Iris) -> ViewContext:
    """What views read in a process serving `publication` from its own store: the store opened
    read-only, the ontology's labels and the index's labels for search."""
    from openforum_ld.store import Store

    return ViewContext(
        Store.read_only(publication.store_path),
        iris,
        TermLabels([publication.root / "ontology.ttl"]),
        publication.manifest,
        labels=publication.index(),
        blank_nodes=publication.manifest.blank_nodes,
        texts=SourceTexts(publication.root),
    )


class EmbeddedEngine:
    """The publication's on-disk store, queried in worker processes that can be killed. Each
    worker opens the store read-only itself: the files are shared through the page cache, and no
    process forks while holding the store (RocksDB runs threads of its own)."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool

    @classmethod
    async def start(
        cls, settings: Settings, publication: Publication, iris: Iris
    ) -> EmbeddedEngine:
        """Fork the zygote and start the workers."""
        keep = {d for d in (publication.descriptor, publication.lock) if d is not None}
        zygote = Zygote.start(lambda: publication_context(publication, iris), keep)
        pool = WorkerPool(zygote, settings.query_workers or default_query_workers())
        await pool.start()
        return cls(pool)

    async def run(self, job: Job, timeout: float) -> Reply | Problem:
        return await self.pool.run(job, timeout)

    async def close(self) -> None:
        await self.pool.stop()


class ThreadedEngine:
    """The publication's on-disk store opened read-only in the server process, its jobs run in
    a pool of threads: pyoxigraph lets go of the GIL while it evaluates, so the event loop goes
    on answering. A job is a call in a thread, not a round trip to another process.

    pyoxigraph cannot stop a query. A job that outlives its time limit is answered 503, and the
    process retires: `retire` (by default a SIGTERM to itself, which the server process takes
    as "stop accepting, finish what you answer, stop") runs, the process exits with the query
    still running, and the supervisor starts another, which only opens the store again."""

    def __init__(
        self,
        context: ViewContext,
        threads: int,
        retire: Callable[[], None] | None = None,
    ) -> None:
        self.context = context
        self.threads: QueryThreads[Reply | Problem] = QueryThreads(threads)
        self.retire = retire or _stop_this_process
        self.retiring = False

    @classmethod
    def start(cls, settings: Settings, publication: Publication, iris: Iris) -> ThreadedEngine:
        threads = settings.query_workers or default_query_workers()
        return cls(publication_context(publication, iris), threads)

    async def run(self, job: Job, timeout: float) -> Reply | Problem:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        handed = self.threads.hand(partial(run_job, self.context, job), loop)
        # The wait for a free thread counts: a job still waiting at the deadline never starts.
        timer = loop.call_at(deadline, _expire, handed.future)
        try:
            return await handed.future
        except TimeoutError:
            if self.threads.drop(handed):
                self._retire()
            return timed_out(timeout)
        except asyncio.CancelledError:
            # The client went away: a job that is running still has to end by its deadline.
            if self.threads.drop(handed):
                loop.call_at(deadline, self._retire_unless_done, handed)
            raise
        finally:
            timer.cancel()

    def _retire_unless_done(self, handed: Handed[Reply | Problem]) -> None:
        if not handed.finished:
            self._retire()

    def _retire(self) -> None:
        if self.retiring:
            return
        self.retiring = True
        print(
            f"A query outlived the time limit: server process {os.getpid()} stops once it has "
            "answered its requests, and another takes its place.",
            file=sys.stderr,
            flush=True,
        )
        self.retire()

    async def close(self) -> None:
        # Never wait for a job: one may be the query that outlived its limit, which ends with
        # the process.
        self.threads.stop()


def _expire(future: asyncio.Future[Reply | Problem]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


def _stop_this_process() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


class InlineEngine:
    """Jobs on a context in this process, in a thread: for tests, which need no worker to be
    killed. A job that outlives its time limit is answered 503, but its thread runs on."""

    def __init__(self, context: ViewContext) -> None:
        self.context = context

    async def run(self, job: Job, timeout: float) -> Reply | Problem:
        try:
            return await asyncio.wait_for(asyncio.to_thread(run_job, self.context, job), timeout)
        except TimeoutError:
            return Problem(503, "Query time limit reached", f"Stopped after {timeout:g} s.")

    async def close(self) -> None:
        return None


class _LabelsOnDemand:
    """Search labels read from a remote endpoint by one query, the first time a search needs
    them (the data there does not change under a running server either)."""

    def __init__(self, store: SparqlStore, iris: Iris) -> None:
        self._store = store
        self._iris = iris
        self._labels: LabelList | None = None
        self._lock = threading.Lock()

    def labels_containing(self, words: list[str]) -> list[tuple[str, str, str]]:
        with self._lock:
            if self._labels is None:
                self._labels = LabelList(entity_labels(self._store, self._iris))
        return self._labels.labels_containing(words)


class RemoteEngine:
    """An existing SPARQL server; jobs run in threads, each HTTP call bounded by the timeout."""

    def __init__(self, context: ViewContext) -> None:
        self.context = context

    @classmethod
    def start(cls, settings: Settings, publication: Publication, iris: Iris) -> RemoteEngine:
        """Views on the endpoint, with the publication's ontology labels and manifest."""
        from openforum_ld.remote import RemoteStore

        assert settings.endpoint
        store = RemoteStore(
            settings.endpoint,
            settings.timeout,
            settings.endpoint_default_graph_for(iris.base),
            publication.manifest.graphs,
        )
        context = ViewContext(
            store,
            iris,
            TermLabels([publication.root / "ontology.ttl"]),
            publication.manifest,
            labels=_LabelsOnDemand(store, iris),
            texts=SourceTexts(publication.root),
        )
        return cls(context)

    async def run(self, job: Job, timeout: float) -> Reply | Problem:
        try:
            return await asyncio.wait_for(asyncio.to_thread(run_job, self.context, job), timeout)
        except TimeoutError:
            return Problem(
                504,
                "SPARQL endpoint too slow",
                f"The SPARQL endpoint did not answer within {timeout:g} s.",
            )

    async def close(self) -> None:
        close = getattr(self.context.store, "close", None)
        if close is not None:
            close()
