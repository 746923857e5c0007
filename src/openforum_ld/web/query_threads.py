"""Threads that run the server process's jobs, handed over with as little as it takes.

A SPARQL query on the forum's data costs pyoxigraph ~50 µs; the general-purpose hand-off
(`ThreadPoolExecutor.submit`, `asyncio.wrap_future`, `asyncio.timeout_at`) cost another 25-40 µs
in the event loop, measured. Here a job goes through one queue to a waiting thread, which runs it
and puts its reply on the event loop's own future; the deadline is one timer on the loop.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable

Answer = TypeVar("Answer")


@dataclass(eq=False)
class Handed(Generic[Answer]):
    """One job handed to the threads, and where it stands.

    `started` and `dropped` are each set by one side and read by the other, in that order on
    both sides (the GIL orders them): a job is either dropped before it starts, or seen to be
    running by the side that gave up on it, never neither."""

    call: Callable[[], Answer]
    future: asyncio.Future[Answer]
    started: bool = False
    dropped: bool = False
    finished: bool = False


def _settle(future: asyncio.Future[Answer], reply: Answer) -> None:
    if not future.done():
        future.set_result(reply)


def _fail(future: asyncio.Future[Answer], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


class QueryThreads(Generic[Answer]):
    """`count` threads that take jobs in the order they are handed over."""

    def __init__(self, count: int, name: str = "query") -> None:
        self._jobs: queue.SimpleQueue[Handed[Answer] | None] = queue.SimpleQueue()
        # Daemon threads: a process retiring with a query that cannot be stopped exits anyway.
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}_{n}", daemon=True)
            for n in range(count)
        ]
        for thread in self._threads:
            thread.start()

    def hand(self, call: Callable[[], Answer], loop: asyncio.AbstractEventLoop) -> Handed[Answer]:
        """Queue `call`; its reply (or its exception) arrives on the returned future."""
        handed = Handed(call, loop.create_future())
        self._jobs.put(handed)
        return handed

    def drop(self, handed: Handed[Answer]) -> bool:
        """Give up on a job: one that has not started never will. True if it is running, which
        the caller cannot stop."""
        handed.dropped = True
        return handed.started and not handed.finished

    def stop(self) -> None:
        """No more jobs: each thread ends once it finishes the one it runs."""
        for _ in self._threads:
            self._jobs.put(None)

    def _work(self) -> None:
        while True:
            handed = self._jobs.get()
            if handed is None:
                return
            handed.started = True
            if handed.dropped:
                handed.finished = True
                continue
            future = handed.future
            loop = future.get_loop()
            try:
                reply = handed.call()
            except BaseException as error:  # the loop's future must always be settled
                handed.finished = True
                _call_soon(loop, _fail, future, error)
                continue
            handed.finished = True
            _call_soon(loop, _settle, future, reply)


def _call_soon(
    loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: object
) -> None:
    with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits for the reply
        loop.call_soon_threadsafe(callback, *args)
