"""Faults an operator meets, injected for real: broken input files, a full disk, a remote SPARQL
endpoint that is slow or down.

A data, ontology or shapes file that is corrupted, truncated, wrongly encoded or missing makes
`validate`, `build` and `serve` exit 2 with one line, `Error: FILE[:LINE[:COLUMN]]: ...`, and no
traceback; `build` leaves the previous publication byte for byte and no temporary directory
beside it; `serve` never listens. A build that runs out of disk fails the same way. A slow
endpoint gives 504, a missing one 502, and the server answers again once the endpoint does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from openforum_ld import publish
from openforum_ld.cli import main
from openforum_ld.config import Settings

from .conftest import LOCAL_BASE, ROOT
from .servers import free_port, openforum_server

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from click.testing import CliRunner

SHAPES_ENV = "OPENFORUM_LD_SHAPES_DIR"
EPOCH = "1606780800"  # 2020-12-01


# ------------------------------------------------------------------------------ the inputs


@dataclass(frozen=True)
class Inputs:
    """Writable copies of data/, ontology/ and shapes/ for one test."""

    data: Path
    ontology: Path
    shapes: Path


@dataclass(frozen=True)
class Named:
    """What the error must name: the file (or directory) and, where it makes sense, the line
    (True: some line, the parser's choice)."""

    path: Path
    line: int | bool | None = None


@dataclass(frozen=True)
class Fault:
    """One fault: how to inject it and a phrase the one-line message must contain. (`serve`
    binds its port first, to learn its own address, but listens only once the data is valid, so
    even shapes found broken while validating never meet a connection.)"""

    name: str
    inject: Callable[[Inputs], Named]
    says: str


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _binary_garbage(inputs: Inputs) -> Named:
    path = inputs.data / "report-ii.trig"
    data = bytearray(path.read_bytes())
    start = data.index(b"\n", len(data) // 3) + 1
    data[start : start + 64] = bytes(range(0x80, 0xC0))
    path.write_bytes(bytes(data))
    return Named(path, _line_of(data, start))


def _corrupted_statement(inputs: Inputs) -> Named:
    path = inputs.data / "web-expert.trig"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, text in enumerate(lines, 1) if "schema:jobTitle" in text)
    lines[number - 1] = lines[number - 1].replace("schema:jobTitle", "schema:jobTitle }} <", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return Named(path, number)


def _truncated(inputs: Inputs) -> Named:
    path = inputs.data / "report-iii.trig"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 5])
    return Named(path, True)


def _truncated_inside_a_character(inputs: Inputs) -> Named:
    path = inputs.data / "editorial.trig"
    data = path.read_bytes()
    cut = data.index("é".encode()) + 1  # the first byte of two
    path.write_bytes(data[:cut])
    return Named(path, _line_of(data, cut))


def _emptied(inputs: Inputs) -> Named:
    path = inputs.data / "report-ii.trig"
    path.write_bytes(b"")
    return Named(path)


def _utf16(inputs: Inputs) -> Named:
    path = inputs.data / "report-ii.trig"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return Named(path, 1)


def _utf16_without_byte_order_mark(inputs: Inputs) -> Named:
    path = inputs.data / "report-ii.trig"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    return Named(path, 1)


def _latin1(inputs: Inputs) -> Named:
    path = inputs.data / "editorial.trig"
    text = path.read_text(encoding="utf-8")
    data = text.encode("latin-1", errors="replace")
    first = next(i for i, byte in enumerate(data) if byte >= 0x80)
    path.write_bytes(data)
    return Named(path, _line_of(data, first))


def _utf8_byte_order_mark(inputs: Inputs) -> Named:
    path = inputs.data / "web-intro.trig"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return Named(path, 1)


def _dangling_link(inputs: Inputs) -> Named:
    path = inputs.data / "report-ii.trig"
    path.unlink()
    path.symlink_to(inputs.data.parent / "moved-away" / "report-ii.trig")
    return Named(path)


def _no_data_directory(inputs: Inputs) -> Named:
    shutil.rmtree(inputs.data)
    return Named(inputs.data)


def _no_ontology_directory(inputs: Inputs) -> Named:
    shutil.rmtree(inputs.ontology)
    return Named(inputs.ontology)


def _no_ontology_file(inputs: Inputs) -> Named:
    (inputs.ontology / "openforum.ttl").unlink()
    return Named(inputs.ontology)


def _truncated_ontology(inputs: Inputs) -> Named:
    path = inputs.ontology / "openforum.ttl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return Named(path, True)


def _latin1_ontology(inputs: Inputs) -> Named:
    path = inputs.ontology / "openforum.ttl"
    data = path.read_text(encoding="utf-8").encode("latin-1", errors="replace")
    first = next(i for i, byte in enumerate(data) if byte >= 0x80)
    path.write_bytes(data)
    return Named(path, _line_of(data, first))


def _no_shapes_directory(inputs: Inputs) -> Named:
    shutil.rmtree(inputs.shapes)
    return Named(inputs.shapes)


def _no_shapes_file(inputs: Inputs) -> Named:
    for path in inputs.shapes.iterdir():
        path.unlink()
    return Named(inputs.shapes)


def _truncated_shapes(inputs: Inputs) -> Named:
    path = inputs.shapes / "agents.ttl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return Named(path, True)


def _utf16_shapes(inputs: Inputs) -> Named:
    path = inputs.shapes / "events.ttl"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return Named(path, 1)


def _emptied_shapes(inputs: Inputs) -> Named:
    path = inputs.shapes / "plans.ttl"
    path.write_bytes(b"")
    return Named(path)


def _edit_shape(inputs: Inputs, old: str, new: str) -> Named:
    """Change the first `old` in agents.ttl; the error must point at that line."""
    path = inputs.shapes / "agents.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, text in enumerate(lines, 1) if old in text)
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return Named(path, number)


def _count_not_a_number(inputs: Inputs) -> Named:
    path = inputs.shapes / "agents.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, text in enumerate(lines, 1) if "sh:path foaf:name ;" in text)
    assert "sh:minCount 1" in lines[number]  # on the line after the path
    lines[number] = lines[number].replace("sh:minCount 1", 'sh:minCount "one"')
    path.write_text("".join(lines), encoding="utf-8")
    return Named(path, number)  # the error points at the property shape's sh:path


def _pattern_not_a_regex(inputs: Inputs) -> Named:
    return _edit_shape(inputs, "sh:path foaf:name ;", 'sh:path foaf:name ; sh:pattern "[a-" ;')


def _sparql_constraint_that_does_not_parse(inputs: Inputs) -> Named:
    path = inputs.shapes / "agents.ttl"
    text = path.read_text(encoding="utf-8")
    select = text.index("sh:select")
    shape_start = text.rindex("\nofsh:", 0, select) + 1
    path.write_text(text[:select] + text[select:].replace("SELECT", "SELEKT", 1), encoding="utf-8")
    return Named(path, _line_of(text.encode(), len(text[:shape_start].encode())))


FAULTS = [
    Fault("data-binary-garbage", _binary_garbage, "not valid UTF-8 (byte 0x80)"),
    Fault("data-corrupted-statement", _corrupted_statement, "syntax error"),
    Fault("data-truncated", _truncated, "syntax error"),
    Fault("data-truncated-inside-a-character", _truncated_inside_a_character, "not valid UTF-8"),
    Fault("data-emptied", _emptied, "no RDF statements"),
    Fault("data-utf16", _utf16, "UTF-16"),
    Fault("data-utf16-without-byte-order-mark", _utf16_without_byte_order_mark, "NUL byte"),
    Fault("data-latin1", _latin1, "not valid UTF-8"),
    Fault("data-utf8-byte-order-mark", _utf8_byte_order_mark, "byte order mark"),
    Fault("data-file-a-dangling-link", _dangling_link, "cannot read file"),
    Fault("data-directory-missing", _no_data_directory, "data directory does not exist"),
    Fault(
        "ontology-directory-missing", _no_ontology_directory, "ontology directory does not exist"
    ),
    Fault("ontology-file-missing", _no_ontology_file, "no ontology files"),
    Fault("ontology-truncated", _truncated_ontology, "syntax error"),
    Fault("ontology-latin1", _latin1_ontology, "not valid UTF-8"),
    Fault("shapes-directory-missing", _no_shapes_directory, "shapes directory does not exist"),
    Fault("shapes-file-missing", _no_shapes_file, "no shapes files"),
    Fault("shapes-truncated", _truncated_shapes, "syntax error"),
    Fault("shapes-utf16", _utf16_shapes, "UTF-16"),
    Fault("shapes-emptied", _emptied_shapes, "no RDF statements"),
    Fault(
        "shapes-count-not-a-number",
        _count_not_a_number,
        "sh:minCount must be a literal with datatype xsd:integer",
    ),
    Fault(
        "shapes-pattern-not-a-regex",
        _pattern_not_a_regex,
        "sh:pattern is not a regular expression",
    ),
    Fault(
        "shapes-sparql-constraint-does-not-parse",
        _sparql_constraint_that_does_not_parse,
        "SPARQL constraint does not parse",
    ),
]


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    """Copies of the forum's data, ontology and shapes in the test's directory."""
    copied = Inputs(
        tmp_path / "in" / "data", tmp_path / "in" / "ontology", tmp_path / "in" / "shapes"
    )
    for source, target in (
        ("data", copied.data),
        ("ontology", copied.ontology),
        ("shapes", copied.shapes),
    ):
        shutil.copytree(ROOT / source, target)
    return copied


def _arguments(inputs: Inputs) -> list[str]:
    return ["--data", str(inputs.data), "--ontology", str(inputs.ontology)]


def assert_one_line_naming(stderr: str, named: Named, says: str) -> None:
    """One line, `Error: FILE[:LINE[:COLUMN]]: message`, and no traceback."""
    assert "Traceback" not in stderr, stderr
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    if named.line is True:
        where = re.escape(f"{named.path}:") + r"\d+:(\d+:)? "
    elif named.line:
        where = re.escape(f"{named.path}:{named.line}:") + r"(\d+:)? "
    else:
        where = re.escape(f"{named.path}: ")
    assert re.match("Error: " + where, stderr), (stderr, named)
    assert says in stderr, stderr


# ------------------------------------------------------------------------------ validate, build


@pytest.fixture(scope="session")
def previous_publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A publication as an earlier build left it (the dataset-level files: what matters is that
    a failed build leaves it as it was, byte for byte)."""
    out = tmp_path_factory.mktemp("previous") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        publish.build(Settings.load(base_uri=LOCAL_BASE), out, pages=False)
    return out


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_validate_exits_2_naming_the_file(fault: Fault, inputs: Inputs, runner: CliRunner) -> None:
    named = fault.inject(inputs)
    result = runner.invoke(
        main, ["validate", *_arguments(inputs)], env={SHAPES_ENV: str(inputs.shapes)}
    )
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stdout == ""
    assert_one_line_naming(result.stderr, named, fault.says)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_build_exits_2_naming_the_file_and_publishes_nothing(
    fault: Fault, inputs: Inputs, runner: CliRunner, tmp_path: Path, previous_publication: Path
) -> None:
    out = tmp_path / "publication" / "site"
    shutil.copytree(previous_publication, out)
    before = _tree(out)
    named = fault.inject(inputs)
    result = runner.invoke(
        main,
        ["build", *_arguments(inputs), "--out", str(out), "--base-uri", LOCAL_BASE],
        env={SHAPES_ENV: str(inputs.shapes), "SOURCE_DATE_EPOCH": "1609459200"},
    )
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.stdout == ""
    assert_one_line_naming(result.stderr, named, fault.says)
    assert _tree(out) == before
    # No temporary directory (.site.build-PID) is left beside it.
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


# ------------------------------------------------------------------------------ serve


@dataclass
class PortWatch:
    """What a watcher saw on the server's port while the server ran."""

    accepted: bool = False  # a connection was taken (the port was listening)
    answered: bool = False  # bytes came back (something was served)


def _quiet_port() -> int:
    """A free port below the kernel's ephemeral range, so that while a test watches it no other
    program's port 0 or outgoing connection takes it (free_port's ports are in that range)."""
    try:
        ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral = 32768
    chooser = random.Random()
    for _ in range(200):
        port = chooser.randrange(min(20000, ephemeral // 2), ephemeral)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


def _connect(port: int) -> socket.socket | None:
    """A connection to the port on 127.0.0.1, or None. A socket that connected to itself (its
    ephemeral port happened to be the one probed) is not a listener."""
    probe = socket.socket()
    probe.settimeout(0.2)
    if probe.connect_ex(("127.0.0.1", port)) == 0 and probe.getsockname() != probe.getpeername():
        return probe
    probe.close()
    return None


def _watch_port(port: int, watch: PortWatch, stop: threading.Event) -> None:
    while not stop.is_set():
        probe = _connect(port)
        if probe is not None:
            with probe:
                watch.accepted = True
                with contextlib.suppress(OSError):
                    probe.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if probe.recv(64):
                        watch.answered = True
        stop.wait(0.02)


@pytest.mark.slow  # a real `serve` process for each fault
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_serve_refuses_to_start_naming_the_file(
    fault: Fault, inputs: Inputs, tmp_path: Path
) -> None:
    named = fault.inject(inputs)
    port = _quiet_port()
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "openforum_ld",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
                *_arguments(inputs),
            ],
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env={**os.environ, SHAPES_ENV: str(inputs.shapes)},
        )
        watch, stop = PortWatch(), threading.Event()
        watcher = threading.Thread(target=_watch_port, args=(port, watch, stop), daemon=True)
        watcher.start()
        try:
            returncode = process.wait(timeout=90)
        finally:
            stop.set()
            watcher.join(5)
            if process.poll() is None:
                process.kill()
                process.wait(10)
    assert returncode == 2, stderr.read_text()
    assert stdout.read_text() == ""  # never "Serving ..."
    assert_one_line_naming(stderr.read_text(), named, fault.says)
    assert not watch.answered
    assert not watch.accepted, "the port was listening"
    assert _connect(port) is None


# ------------------------------------------------------------------------------ a full disk


def _build_command(out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "openforum_ld",
        "build",
        "--out",
        str(out),
        "--base-uri",
        LOCAL_BASE,
        "--quiet",
    ]


def _cannot_mount_tmpfs(where: Path) -> str | None:
    """Why a tmpfs cannot be mounted in a user and mount namespace here (None when it can)."""
    if shutil.which("unshare") is None:
        return "no unshare command"
    try:
        probe = subprocess.run(
            ["unshare", "-rm", "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unshare failed: {error}"
    if probe.returncode != 0:
        return f"no tmpfs in a user and mount namespace here: {probe.stderr.strip()}"
    return None


@pytest.mark.slow  # a real build process, on a small file system of its own
def test_a_build_on_a_full_disk_fails_clearly_and_keeps_the_previous_site(
    tmp_path: Path, previous_publication: Path
) -> None:
    disk, seen = tmp_path / "disk", tmp_path / "seen"
    disk.mkdir()
    seen.mkdir()
    reason = _cannot_mount_tmpfs(disk)
    if reason is not None:
        pytest.skip(reason)
    # Inside a private mount namespace: a 32 MB tmpfs holding the previous publication and a
    # filler that leaves 1 MB free, then the build. What the build left is copied out before
    # the namespace, and its tmpfs, go away.
    script = """
set -u
mount -t tmpfs -o size=32m tmpfs "$DISK" || exit 90
cp -a "$PREVIOUS" "$DISK/site" || exit 91
dd if=/dev/zero of="$DISK/filler" bs=1M 2>/dev/null
truncate -s -1M "$DISK/filler" || exit 92
"$@" >"$SEEN/stdout" 2>"$SEEN/stderr"
echo $? >"$SEEN/returncode"
ls -A "$DISK" >"$SEEN/listing"
cp -a "$DISK/site" "$SEEN/site" || exit 93
"""
    namespace = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", *_build_command(disk / "site")],
        env={
            **os.environ,
            "DISK": str(disk),
            "PREVIOUS": str(previous_publication),
            "SEEN": str(seen),
            "SOURCE_DATE_EPOCH": "1609459200",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert namespace.returncode == 0, namespace.stderr
    stderr = (seen / "stderr").read_text()
    assert (seen / "returncode").read_text().strip() == "2", stderr
    assert stderr == (
        "Error: cannot write the publication: No space left on device; "
        f"the previous publication in {disk / 'site'} is unchanged\n"
    )
    assert (seen / "listing").read_text().split() == ["filler", "site"]
    assert _tree(seen / "site") == _tree(previous_publication)
    assert list(disk.iterdir()) == []  # the tmpfs was private to the namespace


def _limit_file_size() -> None:
    # Writes past 256 KB fail with EFBIG instead of killing the process with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))


@pytest.mark.slow  # a real build process, with a file size limit
def test_a_build_that_cannot_write_a_file_fails_clearly_and_keeps_the_previous_site(
    tmp_path: Path, previous_publication: Path
) -> None:
    out = tmp_path / "publication" / "site"
    shutil.copytree(previous_publication, out)
    before = _tree(out)
    result = subprocess.run(
        _build_command(out),
        preexec_fn=_limit_file_size,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1609459200"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "Error: cannot write the publication: File too large; "
        f"the previous publication in {out} is unchanged\n"
    )
    assert _tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


# ------------------------------------------------------------------------------ a remote endpoint

ASK = "ASK { ?s a schema:Person }"
ASK_JSON = "application/sparql-results+json, application/json;q=0.5"


class FakeEndpoint(ThreadingHTTPServer):
    """A SPARQL endpoint on 127.0.0.1 that answers every query with an empty result (true for
    ASK), at once or, when slowed, only once it is made fast again."""

    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _EndpointHandler)
        self.fast = threading.Event()
        self.fast.set()
        self.queries = 0
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/query"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up on a slow answer: nothing to report

    def stop(self) -> None:
        self.fast.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)


class _EndpointHandler(BaseHTTPRequestHandler):
    server: FakeEndpoint

    def do_GET(self) -> None:
        self._answer(parse_qs(urlsplit(self.path).query).get("query", [""])[0])

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            body = parse_qs(body).get("query", [""])[0]
        self._answer(body)

    def _answer(self, query: str) -> None:
        self.server.queries += 1
        self.server.fast.wait(60)
        if "n-triples" in (self.headers.get("Accept") or ""):
            body, media_type = b"", "application/n-triples"
        elif re.search(r"\bASK\b", query):
            body, media_type = b'{"head": {}, "boolean": true}', "application/sparql-results+json"
        else:
            body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
            media_type = "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def fake_endpoint(port: int = 0) -> Iterator[FakeEndpoint]:
    endpoint = FakeEndpoint(port)
    try:
        yield endpoint
    finally:
        endpoint.stop()


def _ask(url: str) -> httpx.Response:
    # The test's own limit only stops a hung server from hanging the test.
    return httpx.get(
        url + "sparql", params={"query": ASK}, headers={"Accept": ASK_JSON}, timeout=60
    )


@pytest.mark.slow  # a real server process
def test_a_slow_remote_endpoint_gives_504_and_the_server_recovers() -> None:
    with (
        fake_endpoint() as endpoint,
        openforum_server("--workers", "1", "--endpoint", endpoint.url, "--timeout", "2") as server,
    ):
        assert _ask(server.url).json() == {"head": {}, "boolean": True}
        endpoint.fast.clear()  # every answer now waits until the endpoint is fast again
        asked = endpoint.queries
        slow = _ask(server.url)
        assert slow.status_code == 504, slow.text
        assert slow.headers["content-type"].startswith("application/json")
        problem = slow.json()
        assert problem["ok"] is False and problem["status"] == 504, problem
        assert "did not answer within 2 s" in problem["detail"], problem
        assert endpoint.queries > asked  # the query did reach the endpoint
        endpoint.fast.set()
        again = _ask(server.url)
        assert again.status_code == 200, again.text
        assert again.json() == {"head": {}, "boolean": True}


@pytest.mark.slow  # a real server process
def test_a_remote_endpoint_that_is_down_gives_502_then_the_server_recovers() -> None:
    port = _quiet_port()
    with openforum_server(
        "--workers", "1", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "2"
    ) as server:
        down = _ask(server.url)
        assert down.status_code == 502, down.text
        assert "cannot be reached" in down.json()["detail"]
        with fake_endpoint(port):
            again = _ask(server.url)
            assert again.status_code == 200, again.text
            assert again.json() == {"head": {}, "boolean": True}
