"""Work shared out among forked processes. A build's store lives in its memory; a process
forked once the store is made reads it copy-on-write, so nothing is copied to the workers but
the items they are handed, and nothing comes back but what they return."""

from __future__ import annotations

import multiprocessing
import signal
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

Item = TypeVar("Item")
Result = TypeVar("Result")


def can_fork() -> bool:
    """Whether this platform starts processes by forking (not Windows, not macOS by default)."""
    return "fork" in multiprocessing.get_all_start_methods()


def forked_map(
    function: Callable[[Item], Result], items: Sequence[Item], workers: int
) -> Iterator[Result]:
    """`function` of each item, in `workers` processes forked now, in the order they finish;
    in this process when one worker is asked for or the platform cannot fork. `function` must
    be a module's own (it is named to the workers, not sent), and finds what it reads in the
    module's globals, set before the call."""
    if workers <= 1 or len(items) <= 1 or not can_fork():
        yield from map(function, items)
        return
    # Until a worker has put the signals' default actions in place, it has the handlers of
    # this process (a server's, or coverage's in the tests): a SIGTERM then ran one of them and
    # the worker went on waiting for work that never came, and the pool waited for it. Blocked
    # across the fork, a signal waits in the worker until its default action is in place.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        pool = multiprocessing.get_context("fork").Pool(
            min(workers, len(items)), initializer=_default_signals
        )
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        yield from pool.imap_unordered(function, items)
        pool.close()  # not terminated: the workers leave when the work is out, unsignalled
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


_STOPPING = {signal.SIGTERM, signal.SIGINT}


def _default_signals() -> None:
    """In a worker: the signals' default actions, not the handlers of the process it was
    forked from, so a worker told to stop stops; then a signal that came meanwhile acts."""
    for number in _STOPPING:
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
