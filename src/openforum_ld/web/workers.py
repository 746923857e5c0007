"""Query worker processes: a query that runs past its time limit is stopped by killing its worker.

pyoxigraph cannot interrupt a running query (an aggregate or a sort computes everything in one
call), so queries run in worker processes. When it starts, each server process forks a
single-threaded "zygote"; the zygote forks workers on demand and hands the server one end of a
socket pair per worker. Each worker opens the publication's on-disk store read-only itself, so
the store's files are shared by every process through the page cache. When a job outlives its
timeout the server kills that worker and asks the zygote for a new one, which costs a fork and
an open, not a load. The server process itself never opens the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import socket
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from openforum_ld.web.jobs import Problem, Reply, run_job

if TYPE_CHECKING:
    from collections.abc import Callable

    from openforum_ld.views.context import ViewContext
    from openforum_ld.web.jobs import Job

_HEADER = struct.Struct("!I")


# ---------------------------------------------------------------------------- framing


def _send_frame(sock: socket.socket, payload: Any) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _recv_frame(sock: socket.socket) -> Any:
    header = _recv_exactly(sock, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    body = _recv_exactly(sock, size)
    return None if body is None else pickle.loads(body)  # our own processes


# ---------------------------------------------------------------------------- zygote and workers


def _reset_signals() -> None:
    """Forget the server's signal handlers (uvicorn's write to a wakeup fd the child does not
    have): the server stops its children itself, by closing their sockets."""
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _worker_main(sock: socket.socket, make_context: Callable[[], ViewContext]) -> None:
    """A worker: open what views read, then answer jobs one at a time until the server closes
    the connection."""
    _reset_signals()
    context = make_context()
    while True:
        job = _recv_frame(sock)
        if job is None:
            return
        _send_frame(sock, run_job(context, job))


def _close_other_descriptors(keep: set[int]) -> None:
    """The zygote inherits the server's sockets (its listening socket among them); it needs none."""
    try:
        descriptors = [int(entry.name) for entry in Path("/proc/self/fd").iterdir()]
    except OSError:
        descriptors = list(range(3, 256))
    for fd in descriptors:
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _zygote_main(control: socket.socket, make_context: Callable[[], ViewContext]) -> None:
    """The zygote: on each request from the server, fork a worker and pass its socket back."""
    _reset_signals()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped automatically
    while True:
        request = control.recv(1)
        if not request:
            return  # the server is gone
        server_end, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.close()
            server_end.close()
            try:
                _worker_main(worker_end, make_context)
            finally:
                os._exit(0)
        worker_end.close()
        socket.send_fds(control, [struct.pack("!i", pid)], [server_end.fileno()])
        server_end.close()


@dataclass
class Zygote:
    """The server's handle on the zygote process."""

    pid: int
    control: socket.socket

    @classmethod
    def start(cls, make_context: Callable[[], ViewContext], keep: set[int] | None = None) -> Zygote:
        """Fork the zygote. Call it while the process is single-threaded and holds no store;
        `keep` are descriptors its workers need (the publication's directory and lock)."""
        server_end, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            server_end.close()
            _close_other_descriptors({zygote_end.fileno(), *(keep or set())})
            try:
                _zygote_main(zygote_end, make_context)
            finally:
                os._exit(0)
        zygote_end.close()
        return cls(pid, server_end)

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker: its pid and the server's end of its socket (blocking)."""
        self.control.sendall(b"S")
        message, descriptors, _, _ = socket.recv_fds(self.control, 16, 1)
        if not descriptors:
            raise RuntimeError("the query worker zygote has stopped")
        (pid,) = struct.unpack("!i", message[:4])
        return pid, socket.socket(fileno=descriptors[0])

    def stop(self) -> None:
        """Stop the zygote: it ends when its socket closes; one that has not within a second
        is told to."""
        with contextlib.suppress(OSError):
            self.control.close()
        deadline = time.monotonic() + 1.0
        with contextlib.suppress(ChildProcessError):
            while time.monotonic() < deadline:
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
                time.sleep(0.01)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)


# ---------------------------------------------------------------------------- the server's side


class _WorkerConnection(asyncio.Protocol):
    """The server's end of a worker's socket: frames in, one awaited reply at a time. A plain
    protocol rather than asyncio streams: a reply costs one callback, not a chain of awaits."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[bytes] | None = None
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it
        self.transport = cast("asyncio.Transport", transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) < _HEADER.size:
            return
        (size,) = _HEADER.unpack_from(self.buffer)
        end = _HEADER.size + size
        if len(self.buffer) < end:
            return
        frame = bytes(self.buffer[_HEADER.size : end])
        del self.buffer[:end]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(frame)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the query worker closed its connection"))


class Worker:
    """One worker seen from the server: a connection to it and its pid."""

    def __init__(self, pid: int, connection: _WorkerConnection) -> None:
        self.pid = pid
        self.connection = connection

    @classmethod
    async def connect(cls, pid: int, sock: socket.socket) -> Worker:
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_unix_connection(_WorkerConnection, sock=sock)
        return cls(pid, connection)

    async def call(self, job: Job) -> Reply | Problem:
        connection = self.connection
        if connection.lost or connection.transport is None:
            raise ConnectionError("the query worker closed its connection")
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        waiter: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        connection.waiter = waiter
        connection.transport.write(_HEADER.pack(len(data)) + data)
        result: Reply | Problem = pickle.loads(await waiter)
        return result

    def kill(self) -> None:
        """Stop the worker now, whatever it is doing."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        if self.connection.transport is not None:
            self.connection.transport.close()

    def close(self) -> None:
        """Let an idle worker end: it does when its socket closes."""
        if self.connection.transport is not None:
            self.connection.transport.close()


class WorkerPool:
    """A fixed number of workers; a job waits for a free one, and a job that outlives its time
    limit costs its worker, which is replaced."""

    def __init__(self, zygote: Zygote, size: int) -> None:
        self.zygote = zygote
        self.size = size
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._spawn_lock = asyncio.Lock()

    async def start(self) -> None:
        for _ in range(self.size):
            await self._add()

    async def _add(self) -> None:
        async with self._spawn_lock:
            pid, sock = await asyncio.to_thread(self.zygote.spawn)
        await self._idle.put(await Worker.connect(pid, sock))

    async def run(self, job: Job, timeout: float) -> Reply | Problem:
        """Run a job within `timeout` seconds, waiting for a worker included."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle.get()
        except TimeoutError:
            return timed_out(timeout)
        try:
            # timeout_at, not wait_for: wait_for wraps each call in a task of its own
            async with asyncio.timeout_at(deadline):
                result = await worker.call(job)
        except TimeoutError:
            worker.kill()
            asyncio.get_running_loop().create_task(self._add())
            return timed_out(timeout)
        except (ConnectionError, OSError, pickle.UnpicklingError, EOFError):
            worker.kill()
            asyncio.get_running_loop().create_task(self._add())
            return Problem(500, "Internal error", "the query worker stopped unexpectedly")
        except asyncio.CancelledError:
            # The client went away mid-job: the worker is still busy with it, so replace it.
            worker.kill()
            asyncio.get_running_loop().create_task(self._add())
            raise
        await self._idle.put(worker)
        return result

    async def stop(self) -> None:
        """Let the idle workers end (the busy ones were killed, or finish and find their socket
        closed), and stop the zygote."""
        idle = []
        while not self._idle.empty():
            idle.append(self._idle.get_nowait())
        for worker in idle:
            worker.close()
        deadline = time.monotonic() + 1.0
        while any(_running(worker.pid) for worker in idle) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for worker in idle:
            worker.kill()  # one that has not ended by now
        self.zygote.stop()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def timed_out(timeout: float) -> Problem:
    """The answer to a query stopped at the time limit."""
    return Problem(
        503,
        "Query time limit reached",
        f"The query was stopped after {timeout:g} s, the time limit of this endpoint. "
        "Narrow it down or add a LIMIT, then try again.",
    )
