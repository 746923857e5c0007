"""Work shared out among forked processes: every item's result comes back, and a worker's
error reaches the caller as it was raised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from openforum_ld.publish.forked import can_fork, forked_map

needs_fork = pytest.mark.skipif(not can_fork(), reason="the platform cannot fork")

# What the workers read: set before the call, as the build sets its store.
_OFFSET = 0


def _shifted(number: int) -> tuple[int, int]:
    return number + _OFFSET, os.getpid()


def _failing(number: int) -> int:
    if number == 3:
        raise OSError(28, "No space left on device", f"dumps/{number}.nt")
    return number


@needs_fork
def test_every_item_is_done_once_in_other_processes_that_read_this_ones_memory() -> None:
    global _OFFSET
    _OFFSET = 1000  # set after import: a worker that saw it was forked from this state
    try:
        results = list(forked_map(_shifted, range(20), 3))
    finally:
        _OFFSET = 0
    assert sorted(value for value, _ in results) == list(range(1000, 1020))
    assert os.getpid() not in {pid for _, pid in results}


def test_one_worker_works_in_this_process() -> None:
    assert {pid for _, pid in forked_map(_shifted, range(5), 1)} == {os.getpid()}


@needs_fork
def test_a_workers_error_reaches_the_caller_with_its_file() -> None:
    with pytest.raises(OSError, match="No space left on device") as raised:
        list(forked_map(_failing, range(6), 2))
    assert raised.value.filename == "dumps/3.nt"


STOPPED_WHILE_STARTING = """
import os
import signal
import time
from openforum_ld.publish.forked import forked_map

def failing(number):
    raise OSError(28, "No space left on device")

# A handler that does not stop the process, as a server's: a worker must not run it instead of
# stopping when the pool is terminated after an error.
signal.signal(signal.SIGTERM, lambda *_: None)
# The second worker takes a second to start, so that the first one's error comes before it is
# ready for work.
forks = 0
def counted():
    global forks
    forks += 1
os.register_at_fork(before=counted, after_in_child=lambda: time.sleep(1 if forks == 2 else 0))
try:
    list(forked_map(failing, range(2), 2))
except OSError:
    raise SystemExit(0)
raise SystemExit("the error did not reach the caller")
"""


@needs_fork
def test_workers_stopped_as_they_start_do_not_keep_the_caller_waiting() -> None:
    # The first item fails at once, so the pool is terminated while workers may still be
    # starting, with this process's handlers: repeated, since each time is a race.
    process = subprocess.Popen(
        [sys.executable, "-c", STOPPED_WHILE_STARTING], start_new_session=True
    )
    try:
        assert process.wait(timeout=120) == 0
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        pytest.fail("terminating the pool left it waiting for a worker")
