"""What our request path costs: our server against bare ASGI apps on the same ASGI server, and
`oxigraph serve`, under the same load, side by side in one run (issue 18).

    bench/request_path.py --repeat 4 [--before DIR] [--granian]

On the forum's publication (built here for our server's address), with two server processes
each:
- `page-html`, `page-ttl`: `/id/person/rudi-borrmann` with `Accept-Encoding: gzip`, from our
  front cache, against `bare-pages` (`bench/bare_apps.py`: the same status, headers and body,
  as our server sent them, returned from memory by uvicorn);
- `forum-nonce`: a different SPARQL query on every request, against `bare-query` (the query
  run on pyoxigraph in the uvicorn process, on the publication's store opened read-only) and
  `oxigraph serve-read-only` on a store loaded with the publication's dumps.
`--site DIR` serves a publication built already (bench/build_phases.py on generated data)
instead, ours on the port its base names, with `--anchors FILE` (the generated data's
`manifest.json`) naming the page of the page tests and the forum of `join3-nonce`: a 3-hop
join, every request a different query, against `bare-query` and `oxigraph serve` (the
publication's dumps loaded into it).
`--before DIR` adds our server from another source tree (`git archive REV | tar -x -C DIR`);
`--processes` ours with `OPENFORUM_LD_QUERY_ISOLATION=processes` (`ours-processes`);
`--granian` the bare apps and our application (`bench/ours_asgi.py`) on granian. Every server in turn gets `--duration` seconds of
wrk (2 threads, 32 connections), `--repeat` times, in the order A B C, then C B A, and so on:
the machine's speed drifts within a run. Run by hand; tests never assert timings.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from runner import cpu_by_pid  # noqa: E402  (sibling scripts, not a package)
from serve_start import free_port  # noqa: E402
from side_by_side import OTHER_TESTS, TESTS, lua, wrk  # noqa: E402

PAGE = "id/person/rudi-borrmann"
JOIN3 = """PREFIX schema: <http://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?section ?talk ?person ?name ?nonce WHERE {
  <FORUM> schema:subEvent ?section .
  ?section schema:subEvent ?talk .
  ?talk schema:performer ?person .
  ?person foaf:name ?name .
  BIND(NONCE AS ?nonce)
}"""
# Headers every ASGI server writes itself (urllib asks to close its connection).
_OWN_HEADERS = {"date", "server", "connection"}


def answering(port: int) -> bool:
    """Whether something answers HTTP on the port (any status). Asked of a path no server here
    serves: a home page at a million triples takes seconds to make."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return sock.recv(16).startswith(b"HTTP/1.")
    except OSError:
        return False


def start(name: str, argv: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = Path(f"/tmp/request-path-{name}.log").open("wb")  # noqa: SIM115  (the process holds it)
    process = subprocess.Popen(
        argv, stdout=log, stderr=log, start_new_session=True, env={**os.environ, **env}
    )
    deadline = time.monotonic() + 120
    while not answering(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start: see /tmp/request-path-{name}.log")
        time.sleep(0.1)
    return process


def page_bytes(port: int, page: str) -> dict[str, dict[str, object]]:
    """The cached entity page as our server sends it, HTML and Turtle, gzip."""
    pages = {}
    for kind, accept in (("html", "text/html"), ("ttl", "text/turtle")):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/{page}",
            headers={"Accept": accept, "Accept-Encoding": "gzip"},
        )
        for _ in range(2):  # the second is the front cache's answer
            with urllib.request.urlopen(request) as response:
                body = response.read()
                headers = [
                    (name.lower(), value)
                    for name, value in response.getheaders()
                    if name.lower() not in _OWN_HEADERS
                ]
                status = response.status
        pages[kind] = {
            "status": status,
            "headers": headers,
            "body": base64.b64encode(body).decode(),
        }
    return pages


def measured(pgid: int, url: str, script: Path, duration: int) -> dict[str, float]:
    """wrk's figures, and the CPU time the server's processes spent a request: on a machine
    shared with other work, req/s follow what the others do, CPU time a request much less."""
    before = cpu_by_pid(pgid)
    figures = wrk(url, script, duration)
    after = cpu_by_pid(pgid)
    ticks = sum(after[pid] - before.get(pid, 0) for pid in after)
    requests = figures["rps"] * duration
    figures["cpu_us"] = ticks / os.sysconf("SC_CLK_TCK") * 1e6 / max(requests, 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--tests", default=",".join(TESTS), help="which tests, comma-separated")
    parser.add_argument("--before", type=Path, help="the source tree of our server before")
    parser.add_argument("--granian", action="store_true", help="the apps on granian too")
    parser.add_argument(
        "--processes", action="store_true", help="ours with query worker processes too"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--label", default="", help="added to the name of the results files")
    parser.add_argument("--site", type=Path, help="a publication built already, to serve")
    parser.add_argument("--anchors", type=Path, help="the generated data's manifest.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="request-path-"))
    bin_dir = Path(sys.executable).parent
    names = ["ours", "before", "bare-pages", "bare-query", "oxigraph"]
    names += ["granian-pages", "granian-query", "ours-granian", "ours-processes"]
    ports = {name: free_port() for name in names}
    page, queries = PAGE, {}
    if args.site:
        site = args.site.resolve()
        base = json.loads((site / ".server" / "manifest.json").read_text())["base"]
        ports["ours"] = int(base.rstrip("/").rsplit(":", 1)[1])
        if args.anchors:
            anchors = json.loads(args.anchors.read_text())["anchors"]
            page = anchors["person"]
            queries["join3-nonce"] = JOIN3.replace("FORUM", base + anchors["forum"])
    else:
        site = work / "site"
        base = f"http://127.0.0.1:{ports['ours']}/"
        subprocess.run(
            [
                *(str(bin_dir / "openforum-ld"), "build", "--out", str(site)),
                *("--base-uri", base, "--quiet"),
            ],
            check=True,
            cwd=ROOT,
        )
    db = work / "oxigraph"
    quads = work / "openforum.nq"
    quads.write_bytes(gzip.decompress((site / "dumps" / "openforum.nq.gz").read_bytes()))
    oxigraph = str(bin_dir / "oxigraph")
    for file in (quads, site / "dumps" / "openforum.ttl"):
        subprocess.run(
            [oxigraph, "load", "--location", str(db), "--file", str(file)],
            check=True,
            capture_output=True,
        )
    workers = str(args.workers)
    ours = [str(bin_dir / "openforum-ld"), "serve", str(site), "--workers", workers]
    uvicorn = [str(bin_dir / "uvicorn"), "--app-dir", str(HERE), "--workers", workers]
    uvicorn += ["--log-level", "warning", "--no-access-log", "--host", "127.0.0.1"]
    granian = [str(bin_dir / "granian"), "--interface", "asgi", "--workers", workers]
    granian += ["--working-dir", str(HERE), "--log-level", "warning", "--no-access-log"]
    granian += ["--host", "127.0.0.1"]
    pages_file = work / "pages.json"
    store_env = {"BARE_STORE": str(site / ".server" / "store")}
    oxigraph_address = f"127.0.0.1:{ports['oxigraph']}"
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "ours": ([*ours, "--port", str(ports["ours"])], {}),
        "bare-pages": (
            [*uvicorn, "--port", str(ports["bare-pages"]), "bare_apps:pages"],
            {"BARE_PAGES": str(pages_file)},
        ),
        "bare-query": (
            [*uvicorn, "--port", str(ports["bare-query"]), "bare_apps:query"],
            store_env,
        ),
        "oxigraph": (
            [oxigraph, "serve-read-only", "--location", str(db), "--bind", oxigraph_address],
            {},
        ),
    }
    if args.before:
        commands["before"] = (
            [
                sys.executable,
                "-m",
                "openforum_ld",
                "serve",
                str(site),
                "--workers",
                workers,
                "--port",
                str(ports["before"]),
            ],
            {"PYTHONPATH": str(args.before / "src")},
        )
    if args.processes:
        commands["ours-processes"] = (
            [*ours, "--port", str(ports["ours-processes"])],
            {"OPENFORUM_LD_QUERY_ISOLATION": "processes"},
        )
    if args.granian:
        commands["ours-granian"] = (
            [*granian, "--port", str(ports["ours-granian"]), "ours_asgi:app"],
            {"OURS_SITE": str(site)},
        )
        commands["granian-pages"] = (
            [*granian, "--port", str(ports["granian-pages"]), "bare_apps:pages"],
            {"BARE_PAGES": str(pages_file)},
        )
        commands["granian-query"] = (
            [*granian, "--port", str(ports["granian-query"]), "bare_apps:query"],
            store_env,
        )
    tests = args.tests.split(",")
    if "join3-nonce" in tests and "join3-nonce" not in queries:
        parser.error("join3-nonce needs --site and --anchors")
    results: dict[str, dict[str, list[dict[str, float]]]] = {test: {} for test in tests}
    processes = {}

    def url_of(name: str, method: str, path: str) -> str:
        if name == "oxigraph":
            target = "query"
        elif method == "POST":
            target = "" if name.startswith(("bare", "granian-")) else path
        else:
            target = page
        return f"http://127.0.0.1:{ports[name]}/{target}"

    try:
        for name, (argv, env) in commands.items():
            processes[name] = start(name, argv, ports[name], env)
            if name == "ours":
                pages_file.write_text(json.dumps(page_bytes(ports["ours"], page)))
        for test in tests:
            method, path, _ = TESTS.get(test) or OTHER_TESTS[test]
            script = lua(test, work, *([queries[test]] if test in queries else []))
            if method == "GET":
                servers = ["ours", "before", "ours-granian", "bare-pages", "granian-pages"]
            else:
                servers = ["ours", "before", "ours-processes", "ours-granian", "bare-query"]
                servers += ["granian-query", "oxigraph"]
            servers = [name for name in servers if name in processes]
            for name in servers:  # warm up: fill the caches, start the threads and workers
                wrk(url_of(name, method, path), script, 2)
            for round_ in range(args.repeat):
                # ABC, CBA: the machine's speed drifts within a run, so no server always goes
                # first.
                for name in servers if round_ % 2 == 0 else list(reversed(servers)):
                    url = url_of(name, method, path)
                    results[test].setdefault(name, []).append(
                        measured(processes[name].pid, url, script, args.duration)
                    )
                    print(test, name, results[test][name][-1], file=sys.stderr, flush=True)
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
        shutil.rmtree(work, ignore_errors=True)  # never the --site given
    table = report(results)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    name = f"request-path-{time.strftime('%Y-%m-%d')}" + (f"-{args.label}" if args.label else "")
    (args.results / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.results / f"{name}.md").write_text(table + "\n")
    return 0


def report(results: dict[str, dict[str, list[dict[str, float]]]]) -> str:
    """A row a test: req/s of every server, run by run, and ours against each of the others."""
    lines = [
        "| test | server | req/s, run by run | p99 ms | CPU µs a request | "
        "ours / this (req/s), run by run | this / ours (CPU a request) |"
    ]
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    for test, by_server in results.items():
        ours = [run["rps"] for run in by_server.get("ours", [])]
        ours_cpu = [run["cpu_us"] for run in by_server.get("ours", [])]
        for server, runs in by_server.items():
            rps = [run["rps"] for run in runs]
            p99 = " / ".join(f"{run['p99_ms']:.1f}" for run in runs)
            errors = sum(run["errors"] for run in runs)
            shown = " / ".join(f"{value:,.0f}" for value in rps)
            if errors:
                shown += f" ({errors:.0f} errors)"
            cpu = [run["cpu_us"] for run in runs]
            cpu_shown = " / ".join(f"{value:.0f}" for value in cpu)
            ratio = cpu_ratio = "-"
            if server != "ours":
                ratio = " / ".join(f"{a / b:.2f}x" for a, b in zip(ours, rps, strict=False))
                cpu_ratio = " / ".join(f"{b / a:.2f}x" for a, b in zip(ours_cpu, cpu, strict=False))
            lines.append(
                f"| {test} | {server} | {shown} | {p99} | {cpu_shown} | {ratio} | {cpu_ratio} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
