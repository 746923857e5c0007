"""Real servers for the tests: `openforum-ld serve` and `oxigraph serve-read-only`, each a
subprocess on 127.0.0.1 with a free port."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import httpx

from .conftest import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator


class PipeLines:
    """The lines a child process writes to a pipe, each waited for with a timeout.

    select() on the pipe's Python stream misses lines that an earlier readline() already
    pulled into the stream's buffer, so the pipe is read here, below that buffer."""

    def __init__(self, stream: IO[str] | None) -> None:
        assert stream is not None
        self._descriptor = stream.fileno()
        self._pending = b""

    def next_line(self, seconds: float = 60) -> str:
        """The next whole line, or what is left at the end of the output; "" after `seconds`
        without one."""
        deadline = time.monotonic() + seconds
        while b"\n" not in self._pending:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._descriptor], [], [], max(remaining, 0))
            if not ready:
                return ""
            chunk = os.read(self._descriptor, 65536)
            if not chunk:
                rest, self._pending = self._pending, b""
                return rest.decode()
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode() + "\n"


@dataclass
class RunningServer:
    """A server process, the URL it answers on, and the lines it prints."""

    url: str
    process: subprocess.Popen[str]
    output: PipeLines | None = None
    errors: PipeLines | None = None

    def next_output_line(self, seconds: float = 60) -> str:
        """The next line on standard output ("" after `seconds` without one)."""
        if self.output is None:
            self.output = PipeLines(self.process.stdout)
        return self.output.next_line(seconds)

    def next_error_line(self, seconds: float = 60) -> str:
        """The next line on standard error ("" after `seconds` without one)."""
        if self.errors is None:
            self.errors = PipeLines(self.process.stderr)
        return self.errors.next_line(seconds)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def _wait_until_up(url: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {process.returncode}: {process.stderr.read() if process.stderr else ''}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def openforum_server(
    *arguments: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> Iterator[RunningServer]:
    """`openforum-ld serve --port 0 ...`, run in `cwd`, until the block ends."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openforum_ld",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            *arguments,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    output = PipeLines(process.stdout)
    line = output.next_line(90)
    match = re.search(r" on (http://\S+) ", line)
    if match is None:
        process.kill()
        raise RuntimeError(
            f"the server did not say where it listens: {line!r} {process.stderr.read() if process.stderr else ''}"
        )
    server = RunningServer(match.group(1), process, output)
    try:
        _wait_until_up(server.url + "healthz", process)
        yield server
    finally:
        server.stop()


def _process_parents() -> dict[int, list[int]]:
    """Every running process's children, read from /proc (a process that ends meanwhile is
    skipped)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in brackets may hold spaces; the parent is the second field after it.
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def child_processes(pid: int) -> list[int]:
    """The process IDs whose parent is `pid`, sorted."""
    return sorted(_process_parents().get(pid, []))


def descendant_processes(pid: int) -> list[int]:
    """The process IDs below `pid`: its children, theirs, and so on."""
    children = _process_parents()
    found, pending = [], list(children.get(pid, []))
    while pending:
        child = pending.pop()
        found.append(child)
        pending += children.get(child, [])
    return sorted(found)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def oxigraph_server(publication: Path, workdir: Path, *extra: str) -> Iterator[RunningServer]:
    """`oxigraph serve-read-only` holding a build's dumps as the README says to load them: every
    named graph (the N-Quads dump) as it is, and the union (the Turtle dump) in the graph
    `<base>graph/union`, which `serve --endpoint` sends as the default graph."""
    from openforum_ld.publication import read_manifest

    union = read_manifest(publication).base + "graph/union"
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    assert oxigraph, "the oxigraph command (PyPI package oxigraph) is a test dependency"
    location = workdir / "oxigraph-db"
    quads = workdir / "openforum.nq"
    quads.write_bytes(gzip.decompress((publication / "dumps" / "openforum.nq.gz").read_bytes()))
    subprocess.run(
        [
            oxigraph,
            "load",
            "--location",
            str(location),
            "--file",
            str(publication / "dumps" / "openforum.ttl"),
            "--graph",
            union,
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [oxigraph, "load", "--location", str(location), "--file", str(quads)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            oxigraph,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = RunningServer(f"http://127.0.0.1:{port}/", process)
    try:
        _wait_until_up(server.url + "query?query=ASK%7B%7D", process)
        yield server
    finally:
        server.stop()
