"""The server process's query threads, and the time limit kept over them: a job past its
deadline is answered 503 and, if it is running (pyoxigraph cannot stop it), the process
retires; a job that never started costs nothing."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pytest

from openforum_ld.web.engine import ThreadedEngine
from openforum_ld.web.jobs import Problem, Reply
from openforum_ld.web.query_threads import QueryThreads

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from openforum_ld.views.context import ViewContext
    from openforum_ld.web.jobs import Job

WAIT = 10.0  # seconds a test waits for a thread before it fails
T = TypeVar("T")


def _run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """asyncio.run in a thread of its own: a test before this one in the same process may have
    left an event loop running in this thread (Playwright's does)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, main()).result(timeout=60)


def test_a_reply_and_an_error_reach_the_event_loop() -> None:
    threads: QueryThreads[int] = QueryThreads(1)

    def fails() -> int:
        raise ValueError("no such thing")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert await threads.hand(lambda: 42, loop).future == 42
        with pytest.raises(ValueError, match="no such thing"):
            await threads.hand(fails, loop).future

    _run(main)
    threads.stop()


def test_jobs_run_side_by_side_on_the_threads() -> None:
    threads: QueryThreads[int] = QueryThreads(3)
    together = threading.Barrier(3, timeout=WAIT)  # broken unless three jobs run at once

    async def main() -> list[int]:
        loop = asyncio.get_running_loop()
        handed = [threads.hand(together.wait, loop) for _ in range(3)]
        return await asyncio.gather(*(h.future for h in handed))

    assert sorted(_run(main)) == [0, 1, 2]
    threads.stop()


def test_a_job_dropped_before_it_starts_never_runs() -> None:
    threads: QueryThreads[str] = QueryThreads(1)
    release = threading.Event()
    ran: list[str] = []

    def blocking() -> str:
        release.wait(WAIT)
        return "first"

    def recorded(name: str) -> str:
        ran.append(name)
        return name

    async def main() -> None:
        loop = asyncio.get_running_loop()
        first = threads.hand(blocking, loop)
        second = threads.hand(lambda: recorded("second"), loop)
        while not first.started:
            await asyncio.sleep(0.001)
        assert threads.drop(second) is False  # waiting: dropping it is enough
        assert threads.drop(first) is True  # running: the caller must deal with it
        release.set()
        assert await first.future == "first"
        assert await threads.hand(lambda: recorded("third"), loop).future == "third"

    _run(main)
    assert ran == ["third"]
    threads.stop()


@dataclass
class _BlockingJob:
    """A job that runs until released (a query pyoxigraph cannot stop, as far as the engine
    can tell)."""

    release: threading.Event = field(default_factory=threading.Event)
    started: threading.Event = field(default_factory=threading.Event)
    runs: int = 0

    def run(self, ctx: ViewContext) -> Reply:
        self.runs += 1
        self.started.set()
        self.release.wait(WAIT)
        return Reply(200, "text/plain", b"done")


def _engine(retired: list[str]) -> ThreadedEngine:
    context = cast("ViewContext", object())  # the jobs here never read it
    return ThreadedEngine(context, threads=1, retire=lambda: retired.append("retired"))


def _as_job(job: _BlockingJob) -> Job:
    return cast("Job", job)


def test_a_running_job_past_its_deadline_is_answered_503_and_retires_the_process() -> None:
    retired: list[str] = []
    engine = _engine(retired)
    job = _BlockingJob()

    async def main() -> Reply | Problem:
        return await engine.run(_as_job(job), 0.2)

    answer = _run(main)
    assert isinstance(answer, Problem)
    assert answer.status == 503
    assert retired == ["retired"]
    job.release.set()


def test_a_job_still_waiting_at_its_deadline_never_runs_and_retires_nothing() -> None:
    retired: list[str] = []
    engine = _engine(retired)
    running, waiting = _BlockingJob(), _BlockingJob()

    async def main() -> None:
        first = asyncio.create_task(engine.run(_as_job(running), WAIT))
        await asyncio.to_thread(running.started.wait, WAIT)
        answer = await engine.run(_as_job(waiting), 0.1)
        assert isinstance(answer, Problem)
        assert answer.status == 503
        assert retired == []
        running.release.set()
        assert await first == Reply(200, "text/plain", b"done")
        await engine.close()

    _run(main)
    assert waiting.runs == 0
    assert retired == []


@pytest.mark.parametrize("ends_in_time", [True, False])
def test_a_job_whose_client_went_away_must_still_end_by_its_deadline(ends_in_time: bool) -> None:
    retired: list[str] = []
    engine = _engine(retired)
    job = _BlockingJob()

    async def main() -> None:
        task = asyncio.create_task(engine.run(_as_job(job), 0.3))
        await asyncio.to_thread(job.started.wait, WAIT)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        if ends_in_time:
            job.release.set()
        await asyncio.sleep(0.6)  # past the deadline

    _run(main)
    assert retired == ([] if ends_in_time else ["retired"])
    job.release.set()
