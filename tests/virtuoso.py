"""A real OpenLink Virtuoso 7.2 for the tests, run by `scripts/virtuoso`: its own database and ini
in a work directory, its own free ports on 127.0.0.1, loaded with a build's dumps.

Virtuoso is a Debian package, not a PyPI one: `scripts/virtuoso install` adds it with apt-get when
it is missing. Where that cannot be done the tests fail with the reason; they do not skip."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .conftest import ROOT
from .servers import RunningServer

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SCRIPT = ROOT / "scripts" / "virtuoso"


class VirtuosoUnavailableError(RuntimeError):
    """Virtuoso is not installed and cannot be installed here."""


@dataclass(kw_only=True)
class VirtuosoServer(RunningServer):
    """A running instance: `url` is its SPARQL endpoint, `process` the `scripts/virtuoso start`
    that launched it (it has exited: the server runs in a session of its own, so `stop` asks the
    script to stop it). `union_count` and `graph_counts` are what `scripts/virtuoso load` counted
    in the union graph and in each named graph of the N-Quads dump."""

    directory: Path
    union_graph: str
    union_count: int = 0
    graph_counts: dict[str, int] = field(default_factory=dict)

    def stop(self) -> None:
        _script("stop", str(self.directory), timeout=120)
        super().stop()


def _script(*arguments: str, timeout: float, env: dict[str, str] | None = None) -> str:
    """Run `scripts/virtuoso ARGUMENTS`; its standard output, or an error with its messages."""
    try:
        result = subprocess.run(
            ["bash", str(SCRIPT), *arguments],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(
            f"scripts/virtuoso {' '.join(arguments)} took over {timeout:g} s"
        ) from error
    if result.returncode != 0:
        raise RuntimeError(
            f"scripts/virtuoso {' '.join(arguments)} exited with {result.returncode}:\n{result.stderr.strip()}"
        )
    return result.stdout


def install_virtuoso() -> None:
    """Install Virtuoso (Debian's virtuoso-opensource-7-bin) unless it is there already."""
    if shutil.which("virtuoso-t") and shutil.which("isql-vt") and shutil.which("curl"):
        return
    if shutil.which("apt-get") is None:
        raise VirtuosoUnavailableError(
            "Virtuoso (virtuoso-t, isql-vt) is not installed and there is no apt-get to install it: "
            "install Virtuoso Open Source 7.2 and curl, or run these tests on Debian"
        )
    try:
        _script("install", timeout=900)
    except RuntimeError as error:
        raise VirtuosoUnavailableError(f"Virtuoso could not be installed: {error}") from error


@contextlib.contextmanager
def virtuoso_server(publication: Path, workdir: Path, union_graph: str) -> Iterator[VirtuosoServer]:
    """A Virtuoso instance in `workdir` holding the publication's dumps: every named graph of the
    N-Quads dump as it is, and the Turtle dump (the union of the data graphs) in `union_graph`.
    Stopped when the block ends; should this process die first, the watcher that `start` leaves
    stops it."""
    install_virtuoso()
    directory = workdir / "virtuoso"
    start = subprocess.Popen(
        ["bash", str(SCRIPT), "start", str(directory)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "VIRTUOSO_STOP_WITH_PID": str(os.getpid())},
    )
    try:
        out, err = start.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        start.kill()
        out, err = start.communicate()
    if start.returncode != 0 or not out.strip():
        with contextlib.suppress(RuntimeError):
            _script("stop", str(directory), timeout=120)
        raise RuntimeError(f"scripts/virtuoso start exited with {start.returncode}:\n{err.strip()}")
    server = VirtuosoServer(
        out.strip().splitlines()[-1], start, directory=directory, union_graph=union_graph
    )
    try:
        loaded = _script("load", str(directory), str(publication), union_graph, timeout=600)
        for line in loaded.splitlines():
            kind, graph, count = line.split("\t")
            if kind == "union":
                server.union_count = int(count)
            else:
                server.graph_counts[graph] = int(count)
        yield server
    finally:
        server.stop()
