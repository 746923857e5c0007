"""Serving a publication: a supervisor process and the server processes it forks.

The supervisor binds the port, opens the publication (checking it) and forks the server
processes, which inherit the listening socket and the publication's handle; each runs uvicorn
on `create_app` and starts its own query workers, which open the store read-only. Forking after
the imports is what lets a server answer about a second after it starts, whatever the size of
the data: nothing is loaded.

SIGHUP opens the publication at the same path again; when the new server processes are ready,
the old ones are told to finish what they are answering and stop, so every response comes
wholly from one publication. SIGTERM or SIGINT stops everything. A server process that dies is
replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import uvicorn

from openforum_ld.errors import OpenForumError, PublicationError
from openforum_ld.publication import Publication
from openforum_ld.web.app import create_app

if TYPE_CHECKING:
    from pathlib import Path
    from types import FrameType

    from openforum_ld.config import Settings

_SIGNALS = {signal.SIGHUP, signal.SIGTERM, signal.SIGINT, signal.SIGCHLD}
#: Seconds the new server processes of a reload have to start.
_START_LIMIT = 120.0


def default_workers() -> int:
    """One server process per CPU, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def cpu_shares(cpus: list[int], processes: int) -> list[set[int]]:
    """The CPUs each of `processes` server processes runs on: one CPU each, taken in turn, when
    there are at least as many processes as CPUs; otherwise the CPUs dealt out among them."""
    if processes >= len(cpus):
        return [{cpus[index % len(cpus)]} for index in range(processes)]
    return [set(cpus[index::processes]) for index in range(processes)]


def planned_cpu_shares(setting: str, processes: int) -> list[set[int]] | None:
    """The CPU shares of the server processes under the `cpu_affinity` setting, or None to let
    the system place them (also where a process cannot choose its CPUs)."""
    if setting == "off" or not hasattr(os, "sched_setaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or (setting == "auto" and processes < len(cpus)):
        return None
    return cpu_shares(cpus, processes)


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket on host:port (port 0 picks a free one); it listens once the
    publication is ready, and connections wait in its backlog meanwhile."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def address_of(sock: socket.socket) -> str:
    """The http:// URL a bound socket answers at."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@dataclass
class _Pipes:
    """How the supervisor and one server process talk: the process says "ready" once its app
    has started, waits for "go" before it accepts connections, and says "closed" as soon as it
    stops accepting. A reload lets the new processes accept only once the old ones have
    stopped, so no two publications are ever served at once."""

    ready: tuple[int, int]
    go: tuple[int, int]
    closed: tuple[int, int]

    @classmethod
    def make(cls) -> _Pipes:
        return cls(os.pipe(), os.pipe(), os.pipe())

    def child_side(self) -> tuple[int, int, int]:
        """Close the supervisor's ends in the child; (ready, go, closed) to use there."""
        for end in (self.ready[0], self.go[1], self.closed[0]):
            os.close(end)
        return self.ready[1], self.go[0], self.closed[1]

    def parent_side(self) -> None:
        """Close the child's ends in the supervisor."""
        for end in (self.ready[1], self.go[0], self.closed[1]):
            os.close(end)

    def close(self) -> None:
        for end in (self.ready[0], self.go[1], self.closed[0]):
            with contextlib.suppress(OSError):
                os.close(end)


class _ServerProcess(uvicorn.Server):
    """uvicorn in a server process, speaking the supervisor's handshake (see `_Pipes`)."""

    def __init__(self, config: uvicorn.Config, ready: int, go: int, closed: int) -> None:
        super().__init__(config)
        self.ready, self.go, self.closed = ready, go, closed

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        lifespan = self.lifespan
        started = lifespan.startup

        async def start_then_wait_for_go() -> None:
            await started()
            if lifespan.should_exit:
                return
            os.write(self.ready, b"R")
            loop = asyncio.get_running_loop()
            said = await loop.run_in_executor(None, os.read, self.go, 1)
            if said != b"G":
                self.should_exit = True

        # The one hook between the app's start and its first accept.
        lifespan.startup = start_then_wait_for_go
        await super().startup(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        # A stop asked for is a stop done well: the process ends with status 0 once its
        # connections are answered, rather than by the signal uvicorn would raise again.
        self._captured_signals.clear()
        # Stop accepting at once, not at uvicorn's next check, and say so: what is being
        # answered is finished, but no new connection comes here.
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().call_soon_threadsafe(self._stop_accepting)

    def _stop_accepting(self) -> None:
        for server in getattr(self, "servers", []):
            server.close()
        with contextlib.suppress(OSError):
            os.write(self.closed, b"C")
            os.close(self.closed)


def _server_process(
    settings: Settings,
    publication: Publication,
    sock: socket.socket,
    pipes: _Pipes,
    cpus: set[int] | None,
) -> None:
    """The body of a forked server process: uvicorn on the app, until told to stop."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    for number in _SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    if cpus is not None:
        # Before any thread starts, so the query threads keep to the process's CPUs: a query
        # handed to a thread on another CPU costs a wake-up there and cold caches (about a
        # sixth of the CPU time of a small query, measured on a 3-hop join).
        os.sched_setaffinity(0, cpus)
    ready, go, closed = pipes.child_side()
    app = create_app(settings, publication)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    # The socket object, not its descriptor: uvicorn would wrap a bare descriptor as AF_UNIX,
    # and the event loop then leaves Nagle's algorithm on for every connection, which costs a
    # delayed-ACK wait (~40 ms) per keep-alive response.
    _ServerProcess(config, ready, go, closed).run(sockets=[sock])


@dataclass
class _Generation:
    """The server processes serving one opening of the publication."""

    publication: Publication
    pipes: dict[int, _Pipes] = field(default_factory=dict)
    #: Which of the generation's places (0 to workers - 1) each process holds: a replacement
    #: takes the place, and the CPUs, of the process it replaces.
    places: dict[int, int] = field(default_factory=dict)

    @property
    def pids(self) -> set[int]:
        return set(self.pipes)


class Supervisor:
    """Forks and watches the server processes; see the module's description."""

    def __init__(self, settings: Settings, path: Path, sock: socket.socket, workers: int) -> None:
        self.settings = settings
        self.path = path
        self.sock = sock
        self.workers = workers
        self.cpu_shares = planned_cpu_shares(settings.cpu_affinity, workers)
        self.current: _Generation | None = None
        self.retiring: list[_Generation] = []
        self.stopping = False

    def _fork(self, generation: _Generation, place: int) -> int:
        """One server process of `generation`, which waits for "go" once it is ready."""
        pipes = _Pipes.make()
        cpus = self.cpu_shares[place] if self.cpu_shares else None
        pid = os.fork()
        if pid == 0:
            # Only its own publication stays held, so that an older one is let go of when the
            # processes that serve it stop.
            for other in [self.current, *self.retiring]:
                if other is not None and other.publication is not generation.publication:
                    other.publication.close()
                if other is not None:
                    for sibling in other.pipes.values():
                        sibling.close()
            code = 0
            try:
                _server_process(self.settings, generation.publication, self.sock, pipes, cpus)
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:  # the server process reports and goes; the supervisor sees it
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        pipes.parent_side()
        generation.pipes[pid] = pipes
        generation.places[pid] = place
        return pid

    def _wait_ready(self, generation: _Generation, pids: set[int]) -> None:
        """Wait until every process of `pids` has started its app; a PublicationError when one
        cannot (what to stop is the caller's choice)."""
        waiting = {pid: generation.pipes[pid].ready[0] for pid in pids}
        deadline = time.monotonic() + _START_LIMIT
        while waiting:
            if time.monotonic() > deadline:
                raise PublicationError("the server processes did not start in time")
            readable, _, _ = select.select(list(waiting.values()), [], [], 0.2)
            for pid, pipe in list(waiting.items()):
                if pipe in readable:
                    said = os.read(pipe, 1)
                    del waiting[pid]
                    if said != b"R":
                        raise PublicationError(
                            "a server process could not start (its messages are above)"
                        )
            for pid in list(waiting):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    generation.pipes.pop(pid).close()
                    del waiting[pid]
                    raise PublicationError(
                        "a server process could not start "
                        f"(exit {os.waitstatus_to_exitcode(status)}; its messages are above)"
                    )

    def _go(self, generation: _Generation, pids: set[int]) -> None:
        """Let processes that are ready accept connections."""
        for pid in pids:
            with contextlib.suppress(OSError):
                os.write(generation.pipes[pid].go[1], b"G")

    def _start(self, publication: Publication) -> _Generation:
        """Fork a generation and wait until all of it is ready (not yet accepting); when one
        of its processes cannot start, the others are stopped."""
        generation = _Generation(publication)
        pids = {self._fork(generation, place) for place in range(self.workers)}
        try:
            self._wait_ready(generation, pids)
        except PublicationError:
            self._stop(generation)
            raise
        return generation

    def _wait_closed(self, generation: _Generation, limit: float = 10.0) -> None:
        """Wait until the processes of a stopping generation accept no more connections."""
        waiting = [pipes.closed[0] for pipes in generation.pipes.values()]
        deadline = time.monotonic() + limit
        while waiting and time.monotonic() < deadline:
            readable, _, _ = select.select(waiting, [], [], 0.2)
            waiting = [pipe for pipe in waiting if pipe not in readable]

    def _stop(self, generation: _Generation) -> None:
        """Tell a generation's processes to finish what they answer and stop."""
        for pid in generation.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _reap(self) -> None:
        """Collect stopped processes; replace a current one that died."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            for old in list(self.retiring):
                if pid in old.pipes:
                    old.pipes.pop(pid).close()
                if not old.pipes:
                    old.publication.close()  # nothing reads it now: a build may remove it
                    self.retiring.remove(old)
            current = self.current
            if current is not None and pid in current.pipes:
                current.pipes.pop(pid).close()
                place = current.places.pop(pid)
                if not self.stopping:
                    code = os.waitstatus_to_exitcode(status)
                    print(f"A server process stopped (exit {code}); starting another.", flush=True)
                    replacement = self._fork(current, place)
                    try:
                        self._wait_ready(current, {replacement})
                    except PublicationError as error:  # the others go on serving
                        print(f"Error: {error}", file=sys.stderr, flush=True)
                        continue
                    self._go(current, {replacement})

    def _reload(self) -> None:
        """Open the publication again; once its processes are ready, the old ones stop
        accepting, and only then do the new ones start: never two publications at once."""
        assert self.current is not None
        old = self.current
        publication: Publication | None = None
        try:
            publication = Publication.open(self.path, old.publication.manifest.base)
            new = self._start(publication)
        except OpenForumError as error:
            if publication is not None:
                publication.close()
            print(
                f"Error: the reload failed: {error}; still serving data version "
                f"{old.publication.manifest.version}",
                file=sys.stderr,
                flush=True,
            )
            return
        self._stop(old)
        self._wait_closed(old)
        self._go(new, new.pids)
        self.current = new
        self.retiring.append(old)
        print(
            f"Reloaded {self.path}: serving data version {publication.manifest.version} "
            f"(was {old.publication.manifest.version})",
            flush=True,
        )

    def run(self, publication: Publication) -> None:
        """Serve until SIGTERM or SIGINT."""
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        try:
            self.sock.listen(2048)
            self.current = self._start(publication)
            self._go(self.current, self.current.pids)
            while True:
                received = signal.sigtimedwait(_SIGNALS, 1.0)
                if received is None:
                    continue
                if received.si_signo == signal.SIGCHLD:
                    self._reap()
                elif received.si_signo == signal.SIGHUP:
                    self._reload()
                else:
                    break
        finally:
            self.stopping = True
            for generation in [*(g for g in [self.current] if g), *self.retiring]:
                self._stop(generation)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    os.waitpid(-1, 0)
                except ChildProcessError:
                    break
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)


def serve_publication(
    settings: Settings, path: Path, sock: socket.socket, publication: Publication
) -> None:
    """Serve the opened `publication` at `path` on `sock` until stopped: the first line printed
    says what is served where, and a warning follows when its IRIs are not under that address."""
    workers = settings.workers or default_workers()
    address = address_of(sock)
    base = publication.manifest.base
    where = f"SPARQL endpoint {settings.endpoint}" if settings.endpoint else "its store"
    print(
        f"Serving {base} on {address} ({workers} process(es), {where}; "
        f"data version {publication.manifest.version})",
        flush=True,
    )
    if base != address:
        print(
            f"Warning: the publication's IRIs are under {base}, not {address}: its links lead "
            f"there. Serve it behind that address, or build it for this one with "
            f"`openforum-ld build --out {path} --base-uri {address}`.",
            file=sys.stderr,
            flush=True,
        )
    try:
        Supervisor(settings, path, sock, workers).run(publication)
    finally:
        with contextlib.suppress(OSError):
            sock.close()
        publication.close()
