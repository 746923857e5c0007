"""The benchmark harness (run it with `bench/run`; see bench/README.md).

For each size it generates the data (bench/generate.py), measures the pipeline (build,
validate, load against pyoxigraph's own bulk load), starts side by side on loopback our server
(`openforum-ld serve`), `oxigraph serve-read-only` and rdflib-endpoint on the same data, checks
that they give the same answers, drives each with the same wrk load, per query, twice, measures
the runaway-query isolation of our server, optionally profiles it with py-spy, and writes
bench/results/<date>-<size>.md. The forum's own data ("forum") gets the every-request-a-different
query test against ours and oxigraph.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX ofo: <https://w3id.org/openforum/ontology#>
"""
JSON_RESULTS = "application/sparql-results+json"


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------------------- processes


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


def nonce_requests(template: str) -> list[str]:
    """wrk script lines that send `template` with NONCE replaced by a number no request has
    sent before, in this run or an earlier one: wrk's random numbers and a script's counter
    start over with every run, and a server that keeps results would answer a number seen in
    an earlier run from memory. So the number begins with the run's start time (seconds,
    modulo 10,000: runs less than 2.7 hours apart never share it), then the thread, a random
    part and the counter; it stays below 2^63 (an xsd:integer engines hold)."""
    return [
        f"local template = [==[{template}]==]",
        "local run = os.time() % 10000",
        "local counter = 0",
        "local threads = 0",
        'setup = function(thread) threads = threads + 1; thread:set("tid", threads) end',
        "request = function()",
        "  counter = counter + 1",
        '  local nonce = string.format("%04d%d%06d%07d", run, tid or 0, math.random(0, 999999), counter)',
        '  return wrk.format(nil, nil, nil, string.gsub(template, "NONCE", nonce))',
        "end",
    ]


def cpu_by_pid(pgid: int) -> dict[int, int]:
    found = {}
    for pid in group_pids(pgid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = int(fields[11]) + int(fields[12])
    return found


def pss_mb(pgid: int) -> float:
    """Proportional set size of a process group (shared copy-on-write pages counted once)."""
    total = 0
    for pid in group_pids(pgid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
    return total / 1024


def wait_idle(pgids: list[int], limit: float = 300, quiet_share: float = 0.03) -> float:
    """Wait until the process groups use less than `quiet_share` of a CPU over a second."""
    hz = os.sysconf("SC_CLK_TCK")
    started = time.monotonic()
    while time.monotonic() - started < limit:
        pids = [p for g in pgids for p in group_pids(g)]
        before = cpu_ticks(pids)
        time.sleep(1.0)
        if (cpu_ticks(pids) - before) / hz < quiet_share:
            return time.monotonic() - started
    return time.monotonic() - started


@dataclass
class Server:
    name: str
    url: str  # the SPARQL endpoint
    process: subprocess.Popen[str]
    base: str
    startup_s: float = 0.0
    log_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pgid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pgid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pgid, signal.SIGKILL)
                self.process.wait(10)
        # stragglers of the group (query workers, zygotes)
        for pid in group_pids(self.pgid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 60
) -> tuple[int, dict[str, str], bytes, float]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return response.status, dict(response.headers), body, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read(), time.perf_counter() - started


def wait_http(url: str, process: subprocess.Popen[str], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        with contextlib.suppress(OSError):
            status, _, _, _ = http(url, timeout=5)
            if status < 500:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {limit:.0f} s")


# ---------------------------------------------------------------------------------- the harness


@dataclass
class Query:
    key: str
    title: str
    kind: str  # "select", "construct" or "page"
    text: str = ""
    path: str = ""  # pages
    accept: str = JSON_RESULTS
    nonce: bool = False
    servers: tuple[str, ...] = ("ours", "oxigraph", "rdflib")


@dataclass
class Wrk:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: dict[str, int]
    raw: str
    note: str = ""
    cpu: dict[str, float] = field(default_factory=dict)  # CPU ms per request, by process role

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


class Harness:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.venv = Path(args.venv)
        self.bin = self.venv / "bin"
        self.work = Path(args.workdir).resolve()
        self.work.mkdir(parents=True, exist_ok=True)
        self.results = Path(args.results).resolve()
        self.results.mkdir(parents=True, exist_ok=True)
        self.date = args.date or datetime.date.today().isoformat()
        self.raw: list[str] = []

    # ------------------------------------------------------------------ tools

    def timed(
        self,
        command: list[str],
        log_name: str,
        env: dict[str, str] | None = None,
        limit: float | None = None,
        watch: Path | None = None,
    ) -> dict[str, Any]:
        """Run a command under /usr/bin/time -v: wall seconds, peak RSS (MB), exit code, output.
        Past `limit` seconds the command is stopped (its whole process group); the peak RSS is then
        the highest one seen while it ran, and `watch` (a directory) says how far it got."""
        out = self.work / f"{log_name}.log"
        started = time.perf_counter()
        process = subprocess.Popen(
            ["/usr/bin/time", "-v", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=ROOT,
            start_new_session=True,
        )
        peak_seen = 0
        stopped = False
        chunks: dict[str, list[str]] = {"out": [], "err": []}
        readers = [
            threading.Thread(
                target=lambda s, k: chunks[k].append(s.read()), args=(stream, key), daemon=True
            )
            for stream, key in ((process.stdout, "out"), (process.stderr, "err"))
        ]
        for reader in readers:
            reader.start()
        while process.poll() is None:
            for pid in group_pids(process.pid):
                with contextlib.suppress(OSError, StopIteration, ValueError):
                    hwm = next(
                        line
                        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                        if line.startswith("VmHWM")
                    )
                    peak_seen = max(peak_seen, int(hwm.split()[1]))
            if limit is not None and time.perf_counter() - started > limit:
                stopped = True
                progress = None
                if watch is not None:
                    progress = sum(
                        1 for p in watch.parent.glob(f".{watch.name}.build-*/**/*") if p.is_file()
                    )
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                break
            time.sleep(0.5)
        for reader in readers:
            reader.join(5)
        wall = time.perf_counter() - started
        stdout, stderr = "".join(chunks["out"]), "".join(chunks["err"])
        out.write_text(stdout + "\n----\n" + stderr)
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
        result = {
            "seconds": wall,
            "peak_mb": int(peak.group(1)) / 1024 if peak else peak_seen / 1024,
            "code": "stopped" if stopped else process.returncode,
            "stdout": stdout,
            "stderr": stderr,
        }
        if stopped:
            result["stopped_after"] = limit
            if watch is not None:
                result["files_written"] = progress
        return result

    def python_probe(self, code: str, log_name: str, limit: float | None = None) -> dict[str, Any]:
        """Run a snippet in a fresh interpreter; it prints one JSON line."""
        result = self.timed([str(self.bin / "python"), "-c", code], log_name, limit=limit)
        found = {}
        for line in result["stdout"].splitlines():
            if line.startswith("{"):
                found = json.loads(line)
        return {**result, **found}

    # ------------------------------------------------------------------ data and pipeline

    def generate(self, size: str) -> tuple[Path, dict[str, Any]]:
        data = self.work / f"data-{size}"
        manifest = data / "manifest.json"
        if size == "forum":
            return ROOT / "data", {
                "triples": None,
                "anchors": {"person": "id/person/tarik-nesh-nash"},
            }
        if (
            not manifest.exists()
            or json.loads(manifest.read_text())["target_triples"] != SIZES[size]
            or self.args.regenerate
        ):
            log(f"[{size}] generating")
            subprocess.run(
                [
                    str(self.bin / "python"),
                    str(BENCH / "generate.py"),
                    str(data),
                    "--triples",
                    str(SIZES[size]),
                    "--seed",
                    str(self.args.seed),
                ],
                check=True,
                capture_output=True,
            )
        return data, json.loads(manifest.read_text())

    def write_dumps_alone(self, size: str, data: Path, base: str) -> bool:
        """The publication the servers use, under `base`, without the entity pages (when the
        build did not finish, or was not run): its dumps for the other servers, its store for
        ours."""
        site = self.work / f"site-{size}"
        shutil.rmtree(site, ignore_errors=True)
        (self.work / f"{size}-openforum.nq").unlink(missing_ok=True)
        done = subprocess.run(
            [
                str(self.bin / "python"),
                "-c",
                f"""
from pathlib import Path
from openforum_ld import publish
from openforum_ld.config import Settings
settings = Settings.load(data_dir=Path({str(data)!r}), base_uri={base!r})
publish.build(settings, Path({str(site)!r}), pages=False)
""",
            ],
            capture_output=True,
            text=True,
        )
        return done.returncode == 0

    def pipeline(self, size: str, data: Path, base: str, rep: int) -> dict[str, Any]:
        """build, validate, and load (ours vs pyoxigraph's bulk load) for one size."""
        figures: dict[str, Any] = {}
        site = self.work / f"site-{size}"
        cli = str(self.bin / "openforum-ld")
        data_args = [] if size == "forum" else ["--data", str(data)]
        limit = self.args.step_limit
        if self.args.no_build:
            log(f"[{size}] build not run (--no-build): writing the dumps alone")
            figures["build"] = {"code": "skipped"}
        else:
            log(f"[{size}] build (rep {rep})")
            figures["build"] = self.timed(
                [cli, "build", "--out", str(site), *data_args, "--quiet", "--base-uri", base],
                f"{size}-build-{rep}",
                limit=self.args.build_limit,
                watch=site,
            )
        if figures["build"]["code"] != 0:
            # the servers still need the dumps: write them as the build does, without the site
            if figures["build"]["code"] != "skipped":
                log(f"[{size}] the build did not finish: writing the dumps alone")
            figures["build"]["dumps_alone"] = self.write_dumps_alone(size, data, base)
        log(f"[{size}] validate (rep {rep})")
        figures["validate"] = self.timed(
            [cli, "validate", *data_args], f"{size}-validate-{rep}", limit=limit
        )
        summary = re.search(r"shapes; ([\d.]+) s", figures["validate"]["stdout"])
        figures["validate"]["internal_s"] = float(summary.group(1)) if summary else None
        figures["validate"]["line"] = (figures["validate"]["stdout"].strip().splitlines() or [""])[
            -1
        ]
        dumps = site / "dumps"
        nq = self.work / f"{size}-openforum.nq"
        if (dumps / "openforum.nq.gz").exists():
            nq.write_bytes(gzip.decompress((dumps / "openforum.nq.gz").read_bytes()))
        ttl = dumps / "openforum.ttl"
        ontology = ROOT / "ontology"
        log(f"[{size}] load: ours (rep {rep})")
        figures["load_ours"] = self.python_probe(
            f"""
import json, resource, time
from pathlib import Path
def rss():
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) / 1024
from openforum_ld.load import load_dataset
before = rss()
t = time.perf_counter()
dataset = load_dataset(Path({str(data)!r}), Path({str(ontology)!r}), {base!r})
seconds = time.perf_counter() - t
print(json.dumps({{"load_s": seconds, "quads": len(dataset.store), "baseline_mb": before,
    "peak_mb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""",
            f"{size}-load-ours-{rep}",
            limit=limit,
        )
        if nq.exists():
            log(f"[{size}] load: pyoxigraph bulk_load (rep {rep})")
            figures["load_oxigraph"] = self.python_probe(
                f"""
import json, resource, time
import pyoxigraph as ox
def rss():
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) / 1024
before = rss()
t = time.perf_counter()
store = ox.Store()
store.bulk_load(path={str(nq)!r}, format=ox.RdfFormat.N_QUADS)
store.bulk_load(path={str(ttl)!r}, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
seconds = time.perf_counter() - t
print(json.dumps({{"load_s": seconds, "quads": len(store), "baseline_mb": before,
    "peak_mb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""",
                f"{size}-load-oxigraph-{rep}",
                limit=limit,
            )
            log(f"[{size}] load: pyoxigraph, the TriG files (rep {rep})")
            figures["load_oxigraph_trig"] = self.python_probe(
                f"""
import json, resource, time
from pathlib import Path
import pyoxigraph as ox
def rss():
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) / 1024
before = rss()
t = time.perf_counter()
store = ox.Store()
for path in sorted(Path({str(data)!r}).glob('*.trig')):
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG, base_iri={base!r})
seconds = time.perf_counter() - t
print(json.dumps({{"load_s": seconds, "quads": len(store), "baseline_mb": before,
    "peak_mb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""",
                f"{size}-load-oxigraph-trig-{rep}",
                limit=limit,
            )
        return figures

    # ------------------------------------------------------------------ servers

    def start_ours(self, size: str, data: Path, port: int) -> Server:
        log(f"[{size}] starting openforum-ld serve on :{port}")
        args = [str(self.bin / "openforum-ld"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        site = self.work / f"site-{size}"
        if (site / ".server" / "manifest.json").exists():
            args.append(str(site))  # the publication built for this run's base
        elif size != "forum":
            args += ["--data", str(data)]
        if self.args.workers:
            args += ["--workers", str(self.args.workers)]
        env = dict(os.environ)
        if self.args.query_workers:
            env["OPENFORUM_LD_QUERY_WORKERS"] = str(self.args.query_workers)
        log_path = self.work / f"{size}-ours.log"
        started = time.perf_counter()
        process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=log_path.open("w"),
            text=True,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r" on (http://\S+/) ", line)
        if match is None:
            process.kill()
            raise RuntimeError(f"our server did not start: {line!r}; see {log_path}")
        threading.Thread(target=process.stdout.read, daemon=True).start()
        base = match.group(1)
        server = Server("ours", base + "sparql", process, base, log_path=log_path)
        wait_http(base + "healthz", process, self.args.start_limit)
        wait_idle([server.pgid], limit=self.args.start_limit)  # every server process has loaded
        server.startup_s = time.perf_counter() - started
        server.extra["first_line"] = line.strip()
        return server

    def start_oxigraph(self, size: str, base: str) -> Server:
        db = self.work / f"oxdb-{size}"
        shutil.rmtree(db, ignore_errors=True)
        site = self.work / f"site-{size}"
        nq = self.work / f"{size}-openforum.nq"
        if not nq.exists():
            nq.write_bytes(gzip.decompress((site / "dumps" / "openforum.nq.gz").read_bytes()))
        oxigraph = str(self.bin / "oxigraph")
        started = time.perf_counter()
        for source in (site / "dumps" / "openforum.ttl", nq):
            subprocess.run(
                [oxigraph, "load", "--location", str(db), "--file", str(source)],
                check=True,
                capture_output=True,
            )
        loaded = time.perf_counter() - started
        port = free_port()
        log(f"[{size}] starting oxigraph serve-read-only on :{port}")
        log_path = self.work / f"{size}-oxigraph.log"
        process = subprocess.Popen(
            [oxigraph, "serve-read-only", "--location", str(db), "--bind", f"127.0.0.1:{port}"],
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}/query"
        wait_http(url + "?query=" + urllib.parse.quote("ASK {}"), process, 120)
        server = Server("oxigraph", url, process, base, time.perf_counter() - started, log_path)
        server.extra["cli_load_s"] = loaded
        return server

    def start_rdflib(self, size: str, base: str) -> Server:
        port = free_port()
        log(f"[{size}] starting rdflib-endpoint on :{port} (parsing the union)")
        ttl = self.work / f"site-{size}" / "dumps" / "openforum.ttl"
        log_path = self.work / f"{size}-rdflib.log"
        started = time.perf_counter()
        process = subprocess.Popen(
            [
                str(self.bin / "rdflib-endpoint"),
                "serve",
                str(ttl),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}/"
        wait_http(url + "?query=" + urllib.parse.quote("ASK {}"), process, self.args.start_limit)
        return Server("rdflib", url, process, base, time.perf_counter() - started, log_path)

    # ------------------------------------------------------------------ queries

    def queries(self, size: str, base: str, manifest: dict[str, Any]) -> list[Query]:
        if size == "forum":
            moderator = (
                PREFIXES
                + """SELECT ?forum ?moderator ?name ?nonce WHERE {
  ?forum a ofo:Forum ; ofo:moderator ?moderator .
  ?moderator skos:prefLabel ?name . FILTER(lang(?name) = "en")
  BIND(NONCE AS ?nonce)
}"""
            )
            return [
                Query(
                    "forum-fixed",
                    "forum data, the same query every time (moderator)",
                    "select",
                    moderator.replace("NONCE", "0"),
                    servers=("ours", "oxigraph"),
                ),
                Query(
                    "forum-nonce",
                    "forum data, every request a different query (random BIND nonce)",
                    "select",
                    moderator,
                    nonce=True,
                    servers=("ours", "oxigraph"),
                ),
            ]
        a = manifest["anchors"]
        return [
            Query(
                "point",
                "point lookup (all statements of one person)",
                "select",
                f"SELECT ?p ?o WHERE {{ <{base}{a['person']}> ?p ?o }}",
            ),
            Query(
                "join3",
                "3-hop join (forum -> sections -> talks -> speakers, with names)",
                "select",
                PREFIXES
                + f"""SELECT ?section ?talk ?person ?name WHERE {{
  <{base}{a["forum"]}> schema:subEvent ?section .
  ?section schema:subEvent ?talk .
  ?talk schema:performer ?person .
  ?person foaf:name ?name .
}}""",
            ),
            Query(
                "join3-nonce",
                "3-hop join, every request a different query (random BIND nonce)",
                "select",
                PREFIXES
                + f"""SELECT ?section ?talk ?person ?name ?nonce WHERE {{
  <{base}{a["forum"]}> schema:subEvent ?section .
  ?section schema:subEvent ?talk .
  ?talk schema:performer ?person .
  ?person foaf:name ?name .
  BIND(NONCE AS ?nonce)
}}""",
                nonce=True,
                servers=("ours", "oxigraph"),
            ),
            Query(
                "aggregate",
                "aggregate (speakers per organization, GROUP BY, top 20)",
                "select",
                PREFIXES
                + """SELECT ?org (COUNT(DISTINCT ?person) AS ?speakers) WHERE {
  ?talk schema:performer ?person .
  ?person org:holds ?post .
  ?post org:postIn ?org .
} GROUP BY ?org ORDER BY DESC(?speakers) ?org LIMIT 20""",
            ),
            Query(
                "search",
                f'label search (FILTER CONTAINS "{a["search"]}" over every prefLabel)',
                "select",
                PREFIXES
                + f"""SELECT ?s ?label WHERE {{
  ?s skos:prefLabel ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "{a["search"]}"))
}} ORDER BY ?s ?label LIMIT 50""",
            ),
            Query(
                "construct",
                "CONSTRUCT (every statement about the talks of one section)",
                "construct",
                PREFIXES
                + f"""CONSTRUCT {{ ?talk ?p ?o }} WHERE {{
  <{base}{a["session"]}> schema:subEvent ?talk .
  ?talk ?p ?o .
}}""",
                accept="text/turtle",
            ),
            Query(
                "page-html",
                "entity page, HTML (Accept: text/html, gzip)",
                "page",
                path=a["person"],
                accept="text/html",
                servers=("ours",),
            ),
            Query(
                "page-ttl",
                "entity page, Turtle (Accept: text/turtle, gzip)",
                "page",
                path=a["person"],
                accept="text/turtle",
                servers=("ours",),
            ),
        ]

    def target_url(self, server: Server, query: Query) -> str:
        return server.base + query.path if query.kind == "page" else server.url

    def lua(self, query: Query, name: str) -> Path:
        """A wrk script: POST application/sparql-query (or GET a page), and a JSON summary."""
        path = self.work / f"{name}.lua"
        lines = []
        if query.kind == "page":
            lines += [
                'wrk.method = "GET"',
                f'wrk.headers["Accept"] = "{query.accept}"',
                'wrk.headers["Accept-Encoding"] = "gzip"',
            ]
        else:
            lines += [
                'wrk.method = "POST"',
                'wrk.headers["Content-Type"] = "application/sparql-query"',
                f'wrk.headers["Accept"] = "{query.accept}"',
            ]
            if query.nonce:
                lines += nonce_requests(query.text)
            else:
                lines.append(f"wrk.body = [==[{query.text}]==]")
        lines += [
            "done = function(summary, latency, requests)",
            '  io.write(string.format("WRKJSON {\\"requests\\": %d, \\"duration_us\\": %d, '
            '\\"p50\\": %d, \\"p99\\": %d, \\"mean\\": %f, \\"max\\": %d, \\"connect\\": %d, '
            '\\"read\\": %d, \\"write\\": %d, \\"status\\": %d, \\"timeout\\": %d}\\n", '
            "summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), "
            "latency.mean, latency.max, summary.errors.connect, summary.errors.read, "
            "summary.errors.write, summary.errors.status, summary.errors.timeout))",
            "end",
        ]
        path.write_text("\n".join(lines) + "\n")
        return path

    def wrk(
        self,
        url: str,
        script: Path,
        label: str,
        duration: float | None = None,
        connections: int | None = None,
        server: Server | None = None,
    ) -> Wrk:
        import resource

        duration = duration or self.args.duration
        connections = connections or self.args.connections
        command = [
            "wrk",
            f"-t{self.args.threads}",
            f"-c{connections}",
            f"-d{duration:g}s",
            f"--timeout={self.args.wrk_timeout:g}s",
            "--latency",
            "-s",
            str(script),
            url,
        ]
        roles = process_roles(server.pgid) if server is not None and server.name == "ours" else {}
        before = cpu_by_pid(server.pgid) if server is not None else {}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, capture_output=True, text=True)
        after = cpu_by_pid(server.pgid) if server is not None else {}
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        raw = f"$ {' '.join(command)}\n{done.stdout}{done.stderr}"
        self.raw.append(f"### {label}\n\n```\n{raw.strip()}\n```\n")
        match = re.search(r"WRKJSON (\{.*\})", done.stdout)
        if not match:
            raise RuntimeError(f"wrk failed: {raw}")
        found = json.loads(match.group(1))
        seconds = found["duration_us"] / 1e6
        errors = {
            k: found[k] for k in ("connect", "read", "write", "status", "timeout") if found[k]
        }
        hz = os.sysconf("SC_CLK_TCK")
        cpu: dict[str, float] = {}
        requests = max(1, found["requests"])
        if server is not None:
            for pid, ticks in after.items():
                role = roles.get(pid, server.name) if roles else server.name
                cpu[role] = cpu.get(role, 0.0) + (ticks - before.get(pid, 0)) / hz * 1000 / requests
            cpu["server total"] = sum(cpu.values())
            cpu["wrk"] = (
                (
                    (children_after.ru_utime + children_after.ru_stime)
                    - (children.ru_utime + children.ru_stime)
                )
                * 1000
                / requests
            )
            cpu["cores busy (server)"] = (
                cpu["server total"] * requests / 1000 / seconds if seconds else 0.0
            )
        return Wrk(
            found["requests"],
            seconds,
            found["requests"] / seconds if seconds else 0.0,
            found["p50"] / 1000,
            found["p99"] / 1000,
            found["mean"] / 1000,
            found["max"] / 1000,
            errors,
            raw,
            cpu=cpu,
        )

    # ------------------------------------------------------------------ correctness

    def check(self, server: Server, query: Query) -> dict[str, Any]:
        """One request: status, time, and a normalized answer to compare between servers."""
        url = self.target_url(server, query)
        if query.kind == "page":
            status, headers, body, seconds = http(
                url, headers={"Accept": query.accept, "Accept-Encoding": "gzip"}
            )
            return {
                "status": status,
                "seconds": seconds,
                "answer": None,
                "bytes": len(body),
                "encoding": headers.get("content-encoding", headers.get("Content-Encoding")),
                "etag": headers.get("etag", headers.get("ETag")),
            }
        text = query.text.replace("NONCE", "42") if query.nonce else query.text
        status, headers, body, seconds = http(
            url,
            text.encode(),
            {"Content-Type": "application/sparql-query", "Accept": query.accept},
            timeout=self.args.check_timeout,
        )
        answer: Any = None
        if status == 200:
            try:
                if query.kind == "construct":
                    import pyoxigraph as ox

                    triples = ox.parse(body, format=ox.RdfFormat.TURTLE)
                    answer = sorted(str(t) for t in triples)
                else:
                    answer = normalize_rows(json.loads(body))
            except Exception as error:
                answer = f"unreadable: {error}"
        return {
            "status": status,
            "seconds": seconds,
            "answer": answer,
            "bytes": len(body),
            "body": body[:300] if status != 200 else b"",
        }

    # ------------------------------------------------------------------ one size

    def run_size(self, size: str) -> dict[str, Any]:
        args = self.args
        data, manifest = self.generate(size)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        report: dict[str, Any] = {
            "size": size,
            "manifest": manifest,
            "base": base,
            "pipeline": [],
            "servers": {},
            "checks": {},
            "load": defaultdict(list),
            "runaway": [],
            "profiles": [],
            "notes": [],
        }
        self.raw = []
        for rep in range(1, args.pipeline_repeat + 1):
            report["pipeline"].append(self.pipeline(size, data, base, rep))
        if not report["pipeline"]:
            # No pipeline figures asked for: the servers still need dumps under this run's base.
            log(f"[{size}] writing the dumps (no pipeline run)")
            if not self.write_dumps_alone(size, data, base):
                report["notes"].append("the dumps could not be written")
            report["notes"].append("pipeline not measured in this run (--pipeline-repeat 0)")
        first = report["pipeline"][0]["build"] if report["pipeline"] else {"code": 0}
        if first["code"] == "stopped":
            report["notes"].append(
                f"`build` was stopped after {first['stopped_after']:.0f} s "
                f"(--build-limit), with {first.get('files_written')} files written; "
                "the dumps the servers load were written alone (publish.dumps.write_dumps)."
            )
        elif first["code"] == "skipped":
            report["notes"].append(
                "`build` was not run (--no-build); the dumps the servers load were written alone "
                "(publish.dumps.write_dumps)."
            )
        elif first["code"] != 0:
            report["notes"].append("build failed: " + first["stderr"][-2000:])
        if not (self.work / f"site-{size}" / "dumps" / "openforum.ttl").exists():
            report["notes"].append("no dumps: the servers cannot be compared")
            return report
        if args.pipeline_only:
            return report
        queries = self.queries(size, base, manifest)
        wanted = {name for q in queries for name in q.servers}
        servers: dict[str, Server] = {}
        try:
            servers["ours"] = self.start_ours(size, data, port)
            if "oxigraph" in wanted:
                servers["oxigraph"] = self.start_oxigraph(size, base)
            if "rdflib" in wanted and not args.no_rdflib:
                try:
                    servers["rdflib"] = self.start_rdflib(size, base)
                except RuntimeError as error:
                    report["notes"].append(f"rdflib-endpoint did not start: {error}")
            pgids = [s.pgid for s in servers.values()]
            wait_idle(pgids, limit=args.start_limit)
            for name, server in servers.items():
                report["servers"][name] = {
                    "startup_s": server.startup_s,
                    "pss_mb": pss_mb(server.pgid),
                    "processes": len(group_pids(server.pgid)),
                    **server.extra,
                }
            # correctness: the same answer from every server
            slow: dict[tuple[str, str], float] = {}
            for query in queries:
                results = {}
                for name in query.servers:
                    if name in servers:
                        try:
                            results[name] = self.check(servers[name], query)
                        except (OSError, TimeoutError) as error:
                            results[name] = {
                                "status": "error",
                                "seconds": args.check_timeout,
                                "answer": None,
                                "error": str(error),
                            }
                        if name == "rdflib" and results[name]["seconds"] > args.rdflib_single_limit:
                            slow[(query.key, name)] = results[name]["seconds"]
                        wait_idle(pgids, limit=args.drain_limit)
                report["checks"][query.key] = summarize_checks(results, query)
            # the load tests, every query on every server, `repeat` times
            for rep in range(1, args.repeat + 1):
                for query in queries:
                    for name in query.servers:
                        if name not in servers:
                            continue
                        label = f"{size} rep {rep} {query.key} {name}"
                        if (query.key, name) in slow:
                            seconds = slow[(query.key, name)]
                            report["load"][(query.key, name)].append(
                                Wrk(
                                    0,
                                    0,
                                    1 / seconds,
                                    seconds * 1000,
                                    float("nan"),
                                    seconds * 1000,
                                    seconds * 1000,
                                    {},
                                    "",
                                    note=f"not load-tested: one request took {seconds:.1f} s "
                                    f"(> {args.rdflib_single_limit:g} s); req/s = 1/that, single-threaded",
                                )
                            )
                            continue
                        log(f"[{size}] wrk rep {rep}: {query.key} on {name}")
                        script = self.lua(query, f"{size}-{query.key}")
                        result = self.wrk(
                            self.target_url(servers[name], query),
                            script,
                            label,
                            server=servers[name],
                        )
                        report["load"][(query.key, name)].append(result)
                        drained = wait_idle(pgids, limit=args.drain_limit)
                        if drained >= args.drain_limit:
                            report["notes"].append(
                                f"{label}: the servers were still busy {drained:.0f} s after the test"
                            )
                        time.sleep(args.pause)
                if size != "forum":
                    report["runaway"].append(self.runaway(size, servers["ours"], queries[0], pgids))
            if args.profile and size in args.profile_sizes:
                report["profiles"] = self.profile(size, servers["ours"], queries, pgids)
            for name, server in servers.items():
                report["servers"][name]["pss_mb_after"] = pss_mb(server.pgid)
                report["servers"][name]["alive"] = server.process.poll() is None
        finally:
            for server in servers.values():
                server.stop()
        return report

    # ------------------------------------------------------------------ runaway query

    def runaway(self, size: str, ours: Server, point: Query, pgids: list[int]) -> dict[str, Any]:
        script = self.lua(point, f"{size}-point")
        log(f"[{size}] runaway: point lookup alone")
        alone = self.wrk(ours.url, script, f"{size} runaway: point lookup alone", server=ours)
        wait_idle(pgids, limit=self.args.drain_limit)
        stop = threading.Event()
        sent: list[tuple[int, float]] = []
        runaway_query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

        def client() -> None:
            while not stop.is_set():
                try:
                    status, _, _, seconds = http(
                        ours.url,
                        runaway_query.encode(),
                        {"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
                        timeout=self.args.duration + 5,
                    )
                    sent.append((status, seconds))
                except (OSError, TimeoutError):
                    sent.append((0, self.args.duration + 5))

        thread = threading.Thread(target=client, daemon=True)
        thread.start()
        time.sleep(1.0)
        log(f"[{size}] runaway: point lookup while one client sends the runaway query")
        loaded = self.wrk(
            ours.url, script, f"{size} runaway: point lookup with a runaway query", server=ours
        )
        stop.set()
        thread.join(self.args.duration + 10)
        wait_idle(pgids, limit=self.args.drain_limit)
        return {"alone": alone, "with_runaway": loaded, "runaway_requests": sent}

    # ------------------------------------------------------------------ profile

    def profile(
        self, size: str, ours: Server, queries: list[Query], pgids: list[int]
    ) -> list[dict[str, Any]]:
        found = []
        by_key = {q.key: q for q in queries}
        for key in self.args.profile:
            query = by_key.get(key)
            if query is None:
                continue
            name = f"{self.date}-{size}-{key}"
            roles = process_roles(ours.pgid)
            for fmt, suffix in (("raw", "txt"), ("flamegraph", "svg")):
                output = self.results / f"profile-{name}.{suffix}"
                spy = subprocess.Popen(
                    [
                        str(self.bin / "py-spy"),
                        "record",
                        "--pid",
                        str(ours.pgid),
                        "--subprocesses",
                        *(["--native"] if self.args.native_profile else []),
                        "--format",
                        fmt,
                        "--rate",
                        "100",
                        "--duration",
                        str(int(self.args.duration)),
                        "--output",
                        str(output),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                time.sleep(1.0)
                log(f"[{size}] profiling {key} ({fmt})")
                result = self.wrk(
                    self.target_url(ours, query),
                    self.lua(query, f"{size}-{key}"),
                    f"{size} profile {key} ({fmt}, py-spy attached)",
                    duration=self.args.duration - 1,
                )
                spy.wait(60)
                wait_idle(pgids, limit=self.args.drain_limit)
                if fmt == "raw" and output.exists():
                    found.append(
                        {
                            "query": key,
                            "rps_under_profiler": result.rps,
                            "summary": summarize_profile(output, roles),
                            "raw": output.name,
                            "svg": f"profile-{name}.svg",
                        }
                    )
        return found


# ---------------------------------------------------------------------------------- helpers


def normalize_rows(results: dict[str, Any]) -> Any:
    if "boolean" in results:
        return results["boolean"]
    rows = []
    for binding in results["results"]["bindings"]:
        row = []
        for name in sorted(binding):
            term = binding[name]
            kind = "literal" if term["type"] in ("literal", "typed-literal") else term["type"]
            datatype = term.get("datatype")
            if datatype == "http://www.w3.org/2001/XMLSchema#string":
                datatype = None
            if term.get("xml:lang"):
                datatype = "@" + term["xml:lang"].lower()
            row.append((name, kind, term["value"], datatype))
        rows.append(tuple(row))
    return sorted(rows)


def summarize_checks(results: dict[str, dict[str, Any]], query: Query) -> dict[str, Any]:
    out: dict[str, Any] = {"servers": {}}
    answers = {}
    for name, found in results.items():
        answer = found.get("answer")
        size = len(answer) if isinstance(answer, list) else None
        out["servers"][name] = {
            "status": found["status"],
            "ms": found["seconds"] * 1000,
            "rows": size,
            "bytes": found.get("bytes"),
            "encoding": found.get("encoding"),
            "etag": found.get("etag"),
            "error": found.get("error")
            or (found.get("body") or b"")[:300].decode("utf-8", "replace"),
        }
        if found["status"] == 200 and answer is not None:
            answers[name] = answer
    if query.kind == "page":
        out["agree"] = None
    elif len(answers) >= 2:
        reference = answers.get("oxigraph", next(iter(answers.values())))
        out["agree"] = all(a == reference for a in answers.values())
        out["differs"] = [n for n, a in answers.items() if a != reference]
    else:
        out["agree"] = None
    return out


# A sample whose innermost frame is one of these is a thread waiting, not working.
_IDLE_NATIVE = (
    "epoll_wait",
    "epoll_pwait",
    "__GI_epoll",
    "__libc_recv",
    "recv",
    "__recv",
    "poll",
    "__poll",
    "__GI___poll",
    "ppoll",
    "select",
    "__select",
    "pselect",
    "futex",
    "__futex",
    "do_futex_wait",
    "__new_sem_wait",
    "sem_wait",
    "sem_timedwait",
    "pthread_cond_wait",
    "pthread_cond_timedwait",
    "__pthread_cond_wait",
    "___pthread_cond_timedwait",
    "__GI___pthread_cond",
    "read",
    "__libc_read",
    "__GI___libc_read",
    "accept",
    "__libc_accept",
    "nanosleep",
    "clock_nanosleep",
    "__GI___clock_nanosleep",
    "__clock_nanosleep",
    "waitpid",
    "__waitpid",
    "wait4",
    "__GI___wait4",
    "syscall",
    "__GI___select",
    "__GI___libc_recv",
)
_IDLE_PYTHON = (
    "_recv_exactly (",
    "Connection._recv (",
    "_worker (concurrent",
    "Condition.wait (",
    "Event.wait (",
    "Thread._wait_for_tstate_lock (",
    "BaseSelector",
    "EpollSelector.select (",
    "time.sleep",
)


def is_idle(frame: str) -> bool:
    name = frame.split(" ")[0]
    if frame.endswith("]") and any(
        name == p
        or name.startswith(p + "_")
        or name == p.rstrip("_")
        or (name.startswith(p) and p.endswith("_"))
        for p in _IDLE_NATIVE
    ):
        return True
    return frame.startswith(_IDLE_PYTHON)


def process_roles(master: int) -> dict[int, str]:
    """The role of every process of our server, from the process tree under `master`."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for pid in group_pids(master):
        with contextlib.suppress(OSError):
            parents[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()

    def depth(pid: int) -> int:
        n = 0
        while pid != master and pid in parents and n < 10:
            pid, n = parents[pid], n + 1
        return n

    roles = {}
    for pid in parents:
        d = depth(pid)
        if pid == master:
            roles[pid] = "main process (uvicorn supervisor)"
        elif "resource_tracker" in commands.get(pid, ""):
            roles[pid] = "resource tracker"
        else:
            roles[pid] = {
                1: "server process (uvicorn, event loop)",
                2: "zygote",
                3: "query worker",
            }.get(d, f"depth {d}")
    return roles


def summarize_profile(path: Path, roles: dict[int, str]) -> dict[str, Any]:
    """py-spy raw (collapsed) stacks: samples per process role, and the top frames of each."""
    per_process: Counter[str] = Counter()
    idle: Counter[str] = Counter()
    self_time: dict[str, Counter[str]] = defaultdict(Counter)
    inclusive: dict[str, Counter[str]] = defaultdict(Counter)
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        kind = "?"
        # py-spy prefixes the chain of processes, parent first: the last one is the sampled one
        while (match := re.match(r'process (\d+):".*?";', stack)) is not None:
            kind = roles.get(int(match.group(1)), "?")
            stack = stack[match.end() :]
        frames = [short_frame(f) for f in stack.split(";") if f]
        if frames and is_idle(frames[-1]):
            idle[kind] += count
            continue
        per_process[kind] += count
        total += count
        if frames:
            self_time[kind][frames[-1]] += count
        for frame in set(frames):
            inclusive[kind][frame] += count
    return {
        "total": total,
        "idle": dict(idle),
        "per_kind": dict(per_process.most_common()),
        "self": {k: v.most_common(20) for k, v in self_time.items()},
        "inclusive": {k: v.most_common(30) for k, v in inclusive.items()},
    }


def short_frame(frame: str) -> str:
    """`function (package/module.py)`; native frames as `function [library]` for the C library
    and the interpreter, and as `[native <extension>]` for compiled extensions (Rust, Cython)."""
    match = re.match(r"(.*?) \((.*?)(?::\d+)?\)$", frame.strip())
    if not match:
        return frame.strip()
    function, filename = match.groups()
    if filename == "?" or filename.endswith(".so") or ".so." in filename:
        if filename == "?":
            library = "?"
        elif ".cpython" in filename:
            library = re.sub(r".*/site-packages/", "", filename).split(".cpython")[0]
        else:
            library = Path(filename).name.split(".")[0]
        if library.startswith(("libc", "libpython", "ld-linux", "libpthread", "?")):
            return f"{function} [{library}]"
        return f"[native {library}]"
    filename = re.sub(r".*/site-packages/", "", filename)
    filename = re.sub(r".*/src/", "", filename)
    return f"{function} ({filename})"


# ---------------------------------------------------------------------------------- the report


def versions(venv: Path) -> dict[str, str]:
    code = """
import json
from importlib.metadata import version, PackageNotFoundError
found = {}
for name in ["openforum-ld", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "pyshacl",
             "fastapi", "starlette", "uvicorn", "uvloop", "httptools", "py-spy"]:
    try:
        found[name] = version(name)
    except PackageNotFoundError:
        found[name] = "-"
print(json.dumps(found))
"""
    found = json.loads(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True
        ).stdout
    )
    found["python"] = subprocess.run(
        [str(venv / "bin" / "python"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    found["wrk"] = subprocess.run(
        ["wrk", "--version"], capture_output=True, text=True
    ).stdout.splitlines()[0]
    return found


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    os_name = next(
        (
            line.split("=", 1)[1].strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME")
        ),
        platform.platform(),
    )
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{int(mem) / 1024 / 1024:.1f} GiB",
        "os": f"{os_name}, Linux {platform.release()}",
        "commit": commit + (f" + uncommitted changes (diff {tree_state()})" if dirty else ""),
    }


# tree_state() of a clean tree: the hash of an empty diff.
EMPTY_DIFF = "e3b0c44298fc"


def tree_state() -> str:
    """A short hash of the uncommitted changes to tracked files (the code under test)."""
    import hashlib

    diff = subprocess.run(["git", "-C", str(ROOT), "diff", "HEAD"], capture_output=True).stdout
    return hashlib.sha256(diff).hexdigest()[:12]


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or value != value:
        return "-"
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b or a != a or b != b:
        return "-"
    return f"{a / b:.2f}x"


def write_report(
    harness: Harness,
    report: dict[str, Any],
    args: argparse.Namespace,
    info: dict[str, str],
    tools: dict[str, str],
) -> Path:
    size = report["size"]
    path = harness.results / f"{harness.date}-{size}.md"
    m = report["manifest"]
    out = [f"# Benchmark {size} ({harness.date})", ""]
    out.append(
        "Written by `bench/run` (see bench/README.md). Every figure comes from this run; "
        f"load: wrk {args.threads} threads, {args.connections} connections, {args.duration:g} s per test, "
        f"each test run {args.repeat} times (rep 1, rep 2) on a noisy {info['cores']}-core machine."
    )
    out.append("")
    out += ["## Machine", "", "| | |", "| --- | --- |"]
    for key in ("cpu", "cores", "ram", "os", "commit"):
        out.append(f"| {key} | {info[key]} |")
    for key, value in tools.items():
        out.append(f"| {key} | {value} |")
    out.append("")
    out += ["## Data", ""]
    if size == "forum":
        out.append("The forum's own data (`data/`), as `openforum-ld serve` loads it by default.")
    else:
        out.append(
            f"`bench/generate.py --triples {m['target_triples']} --seed {m['seed']}`: "
            f"{m['triples']:,} triples in the union (what `validate` counts, `graph/mentions` included), "
            f"{m['quads']:,} quads in {m['graphs']:,} named graphs / files; {m['forums']} forums, "
            f"{m['talks']:,} talks, {m['people']:,} people, {m['organizations']:,} organizations, "
            f"{m['topics']} topics."
        )
    ours_cfg = (
        f"--workers {args.workers}"
        if args.workers
        else "default --workers (one per CPU, at most 4)"
    )
    qw = (
        f"OPENFORUM_LD_QUERY_WORKERS={args.query_workers}"
        if args.query_workers
        else "default query workers (one per CPU, at least 2)"
    )
    out += [
        "",
        f"Our server: `openforum-ld serve` with {ours_cfg} and {qw}; oxigraph: `oxigraph serve-read-only` "
        "loaded with the build's dumps (`openforum.ttl` as the default graph, `openforum.nq.gz` as the named graphs); "
        "rdflib-endpoint: `rdflib-endpoint serve openforum.ttl` (the union, one uvicorn process). "
        f"All on 127.0.0.1, base `{report['base']}` for all three.",
        "",
    ]

    # pipeline
    out += ["## Pipeline", ""]
    if report["pipeline"]:
        out += [
            "| figure | "
            + " | ".join(f"rep {i + 1}" for i in range(len(report["pipeline"])))
            + " |",
            "| --- |" + " --- |" * len(report["pipeline"]),
        ]

        def row(label: str, get: Any) -> None:
            cells = []
            for figures in report["pipeline"]:
                try:
                    cells.append(get(figures))
                except (KeyError, TypeError):
                    cells.append("-")
            out.append(f"| {label} | " + " | ".join(cells) + " |")

        row(
            "`build` wall time (s) (includes load and validate)",
            lambda f: (
                "not run (--no-build)"
                if f["build"]["code"] == "skipped"
                else f"> {fmt(f['build']['seconds'], 0)} (stopped, {f['build'].get('files_written')} files written)"
                if f["build"]["code"] == "stopped"
                else fmt(f["build"]["seconds"], 2)
                + ("" if f["build"]["code"] == 0 else f" (exit {f['build']['code']})")
            ),
        )
        row(
            "`build` peak RSS (MB)",
            lambda f: (
                "not run"
                if f["build"]["code"] == "skipped"
                else ("at least " if f["build"]["code"] == "stopped" else "")
                + fmt(f["build"]["peak_mb"], 0)
            ),
        )
        row(
            "`validate` wall time (s)",
            lambda f: (
                fmt(f["validate"]["seconds"], 2)
                + ("" if f["validate"]["code"] == 0 else f" (exit {f['validate']['code']})")
            ),
        )
        row(
            "`validate` own figure (s, the summary line)",
            lambda f: fmt(f["validate"]["internal_s"], 2),
        )
        row("`validate` peak RSS (MB)", lambda f: fmt(f["validate"]["peak_mb"], 0))
        row("load, ours: `load_dataset` (s)", lambda f: fmt(f["load_ours"]["load_s"], 2))
        row(
            "load, pyoxigraph `bulk_load` of the dumps (s)",
            lambda f: fmt(f["load_oxigraph"]["load_s"], 2),
        )
        row(
            "load time, ours / pyoxigraph",
            lambda f: ratio(f["load_ours"]["load_s"], f["load_oxigraph"]["load_s"]),
        )
        row("load, peak RSS ours (MB)", lambda f: fmt(f["load_ours"]["peak_mb_self"], 0))
        row("load, peak RSS pyoxigraph (MB)", lambda f: fmt(f["load_oxigraph"]["peak_mb_self"], 0))
        row(
            "load, peak RSS minus the interpreter's, ours / pyoxigraph",
            lambda f: ratio(
                f["load_ours"]["peak_mb_self"] - f["load_ours"]["baseline_mb"],
                f["load_oxigraph"]["peak_mb_self"] - f["load_oxigraph"]["baseline_mb"],
            ),
        )
        row(
            "load, peak RSS ours / pyoxigraph (whole process)",
            lambda f: ratio(f["load_ours"]["peak_mb_self"], f["load_oxigraph"]["peak_mb_self"]),
        )
        row(
            "interpreter RSS before loading, ours / pyoxigraph (MB)",
            lambda f: (
                f"{fmt(f['load_ours']['baseline_mb'], 0)} / {fmt(f['load_oxigraph']['baseline_mb'], 0)}"
            ),
        )
        row(
            "quads in the store, ours / pyoxigraph",
            lambda f: f"{f['load_ours']['quads']:,} / {f['load_oxigraph']['quads']:,}",
        )
        row(
            "pyoxigraph `bulk_load` of the TriG files, no union (s / MB)",
            lambda f: (
                f"{fmt(f['load_oxigraph_trig']['load_s'], 2)} / {fmt(f['load_oxigraph_trig']['peak_mb_self'], 0)}"
            ),
        )
        out.append("")
        out.append("`validate` line: `" + report["pipeline"][0]["validate"].get("line", "") + "`")
        out.append("")
    for note in report["notes"]:
        out.append(f"- **Note**: {note}")
    if report["notes"]:
        out.append("")

    if report["servers"]:
        out += [
            "## Servers",
            "",
            "| server | ready after (s) | processes | memory, PSS after start (MB) | PSS at the end (MB) | alive at the end |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, s in report["servers"].items():
            extra = (
                f" (of which `oxigraph load`: {s['cli_load_s']:.1f} s)" if "cli_load_s" in s else ""
            )
            out.append(
                f"| {name} | {fmt(s['startup_s'])}{extra} | {s['processes']} | {fmt(s['pss_mb'], 0)} | "
                f"{fmt(s.get('pss_mb_after'), 0)} | {s.get('alive')} |"
            )
        out.append("")
        out += [
            "Our server's start includes validating the data and building the dataset-level files; "
            "with several server processes each loads the data again.",
            "",
        ]

    # correctness
    if report["checks"]:
        out += [
            "## Same answers?",
            "",
            "One request per query and server before the load tests "
            "(rows: solutions or triples; answers compared after normalizing literals).",
            "",
            "| query | ours | oxigraph | rdflib-endpoint | same answer |",
            "| --- | --- | --- | --- | --- |",
        ]
        for key, check in report["checks"].items():
            cells = []
            for name in ("ours", "oxigraph", "rdflib"):
                s = check["servers"].get(name)
                if s is None:
                    cells.append("")
                    continue
                what = f"{s['status']}, {fmt(s['ms'])} ms"
                if s["rows"] is not None:
                    what += f", {s['rows']} rows"
                if s.get("encoding"):
                    what += f", {s['bytes']:,} B {s['encoding']}"
                elif s.get("bytes") is not None and s["rows"] is None:
                    what += f", {s['bytes']:,} B"
                if s["status"] != 200 and s.get("error"):
                    what += f" ({s['error'][:120]})"
                cells.append(what)
            agree = {
                True: "yes",
                False: "**no**: " + ", ".join(check.get("differs", [])),
                None: "-",
            }[check["agree"]]
            out.append(f"| {key} | " + " | ".join(cells) + f" | {agree} |")
        out.append("")

    # load tests
    if report["load"]:
        out += ["## Load tests", ""]
        queries = list(dict.fromkeys(k for k, _ in report["load"]))
        reps = max(len(v) for v in report["load"].values())
        out += [
            "| query | rep | ours req/s | ours p50 / p99 (ms) | oxigraph req/s | oxigraph p50 / p99 (ms) | "
            "rdflib-endpoint req/s | rdflib p50 / p99 (ms) | ours / oxigraph | ours / rdflib | errors |",
            "| --- | --- |" + " --- |" * 9,
        ]
        for key in queries:
            for rep in range(reps):
                cells = {}
                errors = []
                for name in ("ours", "oxigraph", "rdflib"):
                    runs = report["load"].get((key, name))
                    if not runs or rep >= len(runs):
                        cells[name] = None
                        continue
                    cells[name] = runs[rep]
                    if runs[rep].errors:
                        errors.append(
                            f"{name}: " + ", ".join(f"{k} {v}" for k, v in runs[rep].errors.items())
                        )
                    if runs[rep].note:
                        errors.append(f"{name}: {runs[rep].note}")

                def rps(name: str, cells: dict[str, Any] = cells) -> str:
                    r = cells[name]
                    return fmt(r.rps, 0 if r and r.rps >= 10 else 2) if r else ""

                def lat(name: str, cells: dict[str, Any] = cells) -> str:
                    r = cells[name]
                    return f"{fmt(r.p50_ms, 2)} / {fmt(r.p99_ms, 2)}" if r else ""

                o, x, d = cells["ours"], cells["oxigraph"], cells["rdflib"]
                out.append(
                    f"| {key} | {rep + 1} | {rps('ours')} | {lat('ours')} | {rps('oxigraph')} | {lat('oxigraph')} | "
                    f"{rps('rdflib')} | {lat('rdflib')} | {ratio(o.rps if o else None, x.rps if x else None)} | "
                    f"{ratio(o.rps if o else None, d.rps if d else None)} | {'; '.join(errors)} |"
                )
        out.append("")
        out += [
            "Errors are wrk's: socket errors (connect, read, write, timeout) and non-2xx/3xx answers (status).",
            "",
        ]
        if any(r.cpu for runs in report["load"].values() for r in runs):
            out += [
                "### CPU time per request",
                "",
                "CPU time (user + system, from /proc) each server's processes and wrk spent during the test, "
                "divided by the requests completed; \"cores busy\" is the server's CPU time over the test's duration "
                "(the machine has " + str(os.cpu_count()) + "). Ours is split by process role.",
                "",
                "| query | rep | server | ms CPU / request | cores busy | wrk ms / request | ours: server processes / query workers / other (ms) |",
                "| --- | --- | --- | --- | --- | --- | --- |",
            ]
            for key in queries:
                for name in ("ours", "oxigraph", "rdflib"):
                    for rep, r in enumerate(report["load"].get((key, name), []), start=1):
                        if not r.cpu:
                            continue
                        split = ""
                        if name == "ours":
                            main = r.cpu.get("server process (uvicorn, event loop)", 0.0)
                            workers = r.cpu.get("query worker", 0.0)
                            other = r.cpu["server total"] - main - workers
                            split = f"{main:.2f} / {workers:.2f} / {other:.2f}"
                        out.append(
                            f"| {key} | {rep} | {name} | {r.cpu['server total']:.2f} | "
                            f"{r.cpu['cores busy (server)']:.2f} | {r.cpu['wrk']:.2f} | {split} |"
                        )
            out.append("")

    if report["runaway"]:
        out += [
            "## A runaway query and the other clients",
            "",
            "The point lookup on our server alone, then again while one more client sends "
            "`SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }` over and over "
            "(each stopped by the server's 30 s time limit, or dropped by the client after the test).",
            "",
            "| rep | alone: req/s | alone: p50 / p99 (ms) | with the runaway: req/s | with: p50 / p99 (ms) | p99 with / alone | errors |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for i, r in enumerate(report["runaway"], start=1):
            a, w = r["alone"], r["with_runaway"]
            errs = "; ".join(
                f"{k} {v}"
                for k, v in {**a.errors, **{f"with {k}": v for k, v in w.errors.items()}}.items()
            )
            out.append(
                f"| {i} | {fmt(a.rps, 0)} | {fmt(a.p50_ms, 2)} / {fmt(a.p99_ms, 2)} | {fmt(w.rps, 0)} | "
                f"{fmt(w.p50_ms, 2)} / {fmt(w.p99_ms, 2)} | {ratio(w.p99_ms, a.p99_ms)} | {errs} |"
            )
        out.append("")

    if report["profiles"]:
        out += ["## Profiles (py-spy attached to every process of our server)", ""]
        for p in report["profiles"]:
            s = p["summary"]
            out += [
                f"### {p['query']} ({fmt(p['rps_under_profiler'], 0)} req/s under the profiler)",
                "",
                f"Flame graph: [{p['svg']}]({p['svg']}); collapsed stacks: [{p['raw']}]({p['raw']}). "
                f"{s['total']:,} samples, of which {sum(s.get('idle', {}).values()):,} idle waits (left out); working samples per process role: "
                + ", ".join(
                    f"{k} {v:,} ({v / max(1, s['total']):.0%})" for k, v in s["per_kind"].items()
                ),
                "",
            ]
            for kind, frames in s["inclusive"].items():
                kind_total = s["per_kind"].get(kind, 1)
                out += [
                    f"<details><summary>{kind}: the frames with the most samples (inclusive), and the most self time</summary>",
                    "",
                    "| inclusive | frame |",
                    "| --- | --- |",
                ]
                out += [f"| {c / kind_total:.0%} | `{f}` |" for f, c in frames]
                out += ["", "| self | frame |", "| --- | --- |"]
                out += [f"| {c / kind_total:.0%} | `{f}` |" for f, c in s["self"].get(kind, [])]
                out += ["", "</details>", ""]

    out += ["## Raw wrk output", "", "<details><summary>every wrk run of this size</summary>", ""]
    out += harness.raw
    out += ["</details>", ""]
    path.write_text("\n".join(out))
    (harness.results / f"{harness.date}-{size}.json").write_text(
        json.dumps(serializable(report), indent=1, default=str)
    )
    return path


def serializable(report: dict[str, Any]) -> dict[str, Any]:
    copy = dict(report)
    copy["load"] = {
        f"{k[0]} {k[1]}": [dict(vars(w), raw=None) for w in v] for k, v in report["load"].items()
    }
    copy["runaway"] = [
        {k: (dict(vars(v), raw=None) if isinstance(v, Wrk) else v) for k, v in r.items()}
        for r in report["runaway"]
    ]
    copy["pipeline"] = [
        {
            k: {kk: vv for kk, vv in v.items() if kk not in ("stdout", "stderr")}
            for k, v in f.items()
        }
        for f in report["pipeline"]
    ]
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description="openforum-ld benchmarks (see bench/README.md)")
    parser.add_argument("--venv", required=True)
    parser.add_argument(
        "--sizes",
        default="forum,10k,100k",
        help="comma-separated: forum (the forum's own data), 10k, 100k, 1m",
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk test")
    parser.add_argument("--repeat", type=int, default=2, help="times every load test runs")
    parser.add_argument("--pipeline-repeat", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-timeout", type=float, default=30)
    parser.add_argument(
        "--workers", type=int, default=None, help="our --workers (default: the project's)"
    )
    parser.add_argument(
        "--query-workers", type=int, default=None, help="OPENFORUM_LD_QUERY_WORKERS"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument(
        "--rdflib-single-limit",
        type=float,
        default=1.0,
        help="do not load-test a query on rdflib-endpoint when one request takes longer (s)",
    )
    parser.add_argument("--check-timeout", type=float, default=300)
    parser.add_argument("--start-limit", type=float, default=3600)
    parser.add_argument(
        "--step-limit", type=float, default=3600, help="time limit of one pipeline step (s)"
    )
    parser.add_argument("--build-limit", type=float, default=3600, help="time limit of `build` (s)")
    parser.add_argument("--drain-limit", type=float, default=120)
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument("--pipeline-only", action="store_true")
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="pipeline without `build` (validate and load only); the dumps are written alone",
    )
    parser.add_argument(
        "--profile",
        default="join3,point,page-html,forum-nonce",
        help="queries to profile our server on (py-spy), comma-separated; empty for none",
    )
    parser.add_argument("--profile-sizes", default="forum,100k")
    parser.add_argument(
        "--no-native-profile",
        dest="native_profile",
        action="store_false",
        help="py-spy without --native (C and Rust frames)",
    )
    parser.add_argument("--workdir", default=str(BENCH / "work"))
    parser.add_argument("--results", default=str(BENCH / "results"))
    parser.add_argument("--date", default=None, help="the date in the results' file names")
    args = parser.parse_args()
    args.profile = [p for p in args.profile.split(",") if p]
    args.profile_sizes = [p for p in args.profile_sizes.split(",") if p]
    harness = Harness(args)
    info = machine()
    tools = versions(harness.venv)
    written = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if size not in SIZES and size != "forum":
            parser.error(f"unknown size {size}")
        log(f"=== {size}")
        before = tree_state()
        report = harness.run_size(size)
        after = tree_state()
        if after != before:
            report["notes"].append(
                f"the code under test changed during this size's run: diff {before} at the start, {after} at the end"
            )
        if before != EMPTY_DIFF:
            report["notes"].append(f"uncommitted changes at the start of this size: diff {before}")
        written.append(write_report(harness, report, args, info, tools))
        log(f"wrote {written[-1]}")
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
