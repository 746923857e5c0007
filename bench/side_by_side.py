"""Servers under the same load, side by side in one run: the forum table's rows that issue 14
must not make worse (a different SPARQL query on every request, cached entity pages in HTML and
Turtle), for the code after the change, the code before it and `oxigraph serve`.

    bench/side_by_side.py --before /tmp/before --repeat 2

Each server is started with its defaults on the forum's data (ours with two server processes
on this 2-core machine), then for each test every server in turn gets `--duration` seconds of
wrk (2 threads, 32 connections), `--repeat` times, in the order A B, then B A, and so on: the
machine's speed drifts within a run (the same server gave 3.8k, then 5.8k, then 7.1k req/s),
and the one that always went first would always lose. Run by hand on an idle machine;
tests never assert timings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from runner import nonce_requests  # noqa: E402  (sibling scripts, not a package)
from serve_start import ask, free_port  # noqa: E402

MODERATOR = """PREFIX ofo: <https://w3id.org/openforum/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?forum ?moderator ?name ?nonce WHERE {
  ?forum a ofo:Forum ; ofo:moderator ?moderator .
  ?moderator skos:prefLabel ?name . FILTER(lang(?name) = "en")
  BIND(NONCE AS ?nonce)
}"""
TESTS = {
    "forum-nonce": ("POST", "sparql", "application/sparql-results+json"),
    "page-html": ("GET", "id/person/rudi-borrmann", "text/html"),
    "page-ttl": ("GET", "id/person/rudi-borrmann", "text/turtle"),
}


# Tests other scripts run with the same wrk scripts (bench/request_path.py).
OTHER_TESTS = {"join3-nonce": ("POST", "sparql", "application/sparql-results+json")}


def lua(test: str, work: Path, query: str = MODERATOR) -> Path:
    """wrk's script for a test; a POSTed test sends `query` with NONCE replaced, request by
    request, by a different number."""
    method, _, accept = TESTS.get(test) or OTHER_TESTS[test]
    lines = [f'wrk.method = "{method}"', f'wrk.headers["Accept"] = "{accept}"']
    if method == "GET":
        lines.append('wrk.headers["Accept-Encoding"] = "gzip"')
    else:
        lines.append('wrk.headers["Content-Type"] = "application/sparql-query"')
        lines += nonce_requests(query)
    lines += [
        "done = function(summary, latency, requests)",
        '  io.write(string.format("WRKJSON {\\"requests\\": %d, \\"duration_us\\": %d, '
        '\\"p99\\": %d, \\"errors\\": %d}\\n", summary.requests, summary.duration, '
        "latency:percentile(99), summary.errors.status + summary.errors.timeout + "
        "summary.errors.read + summary.errors.connect))",
        "end",
    ]
    path = work / f"{test}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def wrk(url: str, script: Path, duration: int) -> dict[str, float]:
    done = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"WRKJSON (\{.*\})", done.stdout)
    assert found, done.stdout
    figures = json.loads(found.group(1))
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p99_ms": figures["p99"] / 1000,
        "errors": figures["errors"],
    }


def start(name: str, argv: list[str], port: int, ready: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while ask(f"http://127.0.0.1:{port}/{ready}") != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.1)
    return process


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--tests", default=",".join(TESTS), help="which tests, comma-separated")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="side-by-side-"))
    bin_dir = Path(sys.executable).parent
    ask_path = "sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
    ports = {name: free_port() for name in ("after", "before", "oxigraph")}
    site = work / "site"
    base = f"http://127.0.0.1:{ports['after']}/"
    subprocess.run(
        [str(bin_dir / "openforum-ld"), "build", "--out", str(site), "--base-uri", base, "--quiet"],
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
    commands = {
        "after": [str(bin_dir / "openforum-ld"), "serve", str(site), "--port", str(ports["after"])],
        "before": [
            "env",
            f"PYTHONPATH={args.before / 'src'}",
            sys.executable,
            "-m",
            "openforum_ld",
            "serve",
            "--port",
            str(ports["before"]),
        ],
        "oxigraph": [
            oxigraph,
            "serve-read-only",
            "--location",
            str(db),
            "--bind",
            f"127.0.0.1:{ports['oxigraph']}",
        ],
    }
    processes = {}
    results: dict[str, dict[str, list[dict[str, float]]]] = {
        test: {} for test in args.tests.split(",")
    }
    try:
        for name, argv in commands.items():
            ready = "query?query=ASK%7B%7D" if name == "oxigraph" else ask_path
            processes[name] = start(name, argv, ports[name], ready)
        for test in args.tests.split(","):
            _, path, _ = TESTS[test]
            script = lua(test, work)
            servers = ["after", "before"] + (["oxigraph"] if test == "forum-nonce" else [])
            for round_ in range(args.repeat):
                # ABBA: the machine's speed drifts within a run, so no server always goes first.
                for name in servers if round_ % 2 == 0 else list(reversed(servers)):
                    target = "query" if name == "oxigraph" else path
                    url = f"http://127.0.0.1:{ports[name]}/{target}"
                    results[test].setdefault(name, []).append(wrk(url, script, args.duration))
                    print(test, name, results[test][name][-1], file=sys.stderr, flush=True)
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        "| test | after (req/s) | before (req/s) | after / before | oxigraph (req/s) | "
        "after / oxigraph |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for test, by_server in results.items():
        after = [run["rps"] for run in by_server["after"]]
        before = [run["rps"] for run in by_server["before"]]
        oxi = [run["rps"] for run in by_server.get("oxigraph", [])]

        def shown(values: list[float]) -> str:
            return " / ".join(f"{v:,.0f}" for v in values)

        ratio = " / ".join(f"{a / b:.2f}x" for a, b in zip(after, before, strict=True))
        against = " / ".join(f"{a / o:.2f}x" for a, o in zip(after, oxi, strict=False)) or "-"
        lines.append(
            f"| {test} | {shown(after)} | {shown(before)} | {ratio} | {shown(oxi) or '-'} | "
            f"{against} |"
        )
    table = "\n".join(lines)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    # A run of some of the tests does not overwrite the file of a run of all of them.
    tests = list(results)
    name = f"side-by-side-{time.strftime('%Y-%m-%d')}-forum"
    if tests != list(TESTS):
        name += "-" + "-".join(test.removeprefix("forum-") for test in tests)
    (args.results / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.results / f"{name}.md").write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
