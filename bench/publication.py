"""Issue 14's figures, side by side in one run: how long `serve SITE` takes to answer its first
request and what memory its processes hold, against one in-memory store of the same data and,
with `--before`, against the code before the change (`serve --data`, which validated and
loaded in every process); and a scan query on the publication's read-only on-disk store
against the same query on an in-memory store.

    bench/publication.py --size forum                      # the forum's own data
    bench/publication.py --size 1m --workers 4 --before /tmp/before

Run by hand, on an idle machine (tests never assert timings). `--before DIR` is a checkout of
the earlier code (`git worktree add DIR <commit>`); it runs on this venv's packages. Data of
`--size` other than `forum` comes from `bench/generate.py`, into `bench/work/`. The publication
is built without entity pages (`pages=False`): a server renders those itself, and at a million
triples they take most of an hour.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from serve_start import one_run  # noqa: E402  (a sibling script, not a package)

TRIPLES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BASE = "http://127.0.0.1:8000/"
ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def data_dir(size: str, work: Path) -> Path:
    if size == "forum":
        return ROOT / "data"
    target = work / f"data-{size}"
    if not (target / "manifest.json").exists():
        log(f"generating {size} triples into {target}")
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(target),
                "--triples",
                str(TRIPLES[size]),
                "--seed",
                "7",
            ],
            check=True,
        )
    return target


def build(data: Path, site: Path) -> dict[str, float]:
    """The publication, without entity pages; its wall time and the build's peak RSS."""
    code = f"""
import os, resource, time
from pathlib import Path
from openforum_ld import publish
from openforum_ld.config import Settings
started = time.perf_counter()
publish.build(Settings.load(data_dir=Path({str(data)!r}), base_uri={BASE!r}), Path({str(site)!r}), pages=False)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    seconds, rss = done.stdout.split()
    return {"build_s": float(seconds), "build_max_rss_mb": int(rss) / 1024}


def in_memory_store(site: Path) -> dict[str, float]:
    """One in-memory store of the publication's data (its dumps, as the server's store holds
    them), in a process of its own: the anonymous memory the store adds to the interpreter."""
    code = f"""
import gzip, pyoxigraph as ox
from pathlib import Path
def anon():
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Anonymous:"):
            return int(line.split()[1])
before = anon()
store = ox.Store()
dumps = Path({str(site)!r}) / "dumps"
store.bulk_load(gzip.decompress((dumps / "openforum.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
store.bulk_load(path=str(dumps / "openforum.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
print(len(store), before, anon())
"""
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    quads, before, after = (int(x) for x in done.stdout.split())
    return {"quads": quads, "store_anon_mb": (after - before) / 1024}


SCANS = {
    "count-all": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "classes": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "labels-scan": 'SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(CONTAINS(LCASE(STR(?l)), "open")) }',
}


def scans(site: Path, repeat: int) -> dict[str, dict[str, float]]:
    """The same scan queries on the read-only on-disk store and on an in-memory one, in one
    process, best of `repeat`; answers compared."""
    code = f"""
import json, time, pyoxigraph as ox
from pathlib import Path
site = Path({str(site)!r})
disk = ox.Store.read_only(str(site / ".server" / "store"))
memory = ox.Store()
memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
queries = json.loads({json.dumps(json.dumps(SCANS))})
figures = {{}}
for name, query in queries.items():
    times = {{}}
    answers = {{}}
    for label, store in (("disk", disk), ("memory", memory)):
        best = None
        for _ in range({repeat}):
            started = time.perf_counter()
            rows = [[str(t) for t in row] for row in store.query(query)]
            took = time.perf_counter() - started
            best = took if best is None else min(best, took)
        times[label] = best
        answers[label] = sorted(map(str, rows))
    assert answers["disk"] == answers["memory"], name
    figures[name] = {{"disk_s": times["disk"], "memory_s": times["memory"], "ratio": times["disk"] / times["memory"]}}
print(json.dumps(figures))
"""
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="forum", choices=["forum", *TRIPLES])
    parser.add_argument("--workers", type=int, default=0, help="server processes (0: default)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a checkout of the earlier code")
    parser.add_argument("--before-repeat", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--load",
        type=int,
        default=16,
        help="different whole-store scans asked after the start, before memory is read again",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = data_dir(args.size, args.work)
    site = args.work / f"publication-{args.size}" / "site"
    report: dict[str, object] = {
        "size": args.size,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
    }
    if args.rebuild or not (site / ".server" / "manifest.json").exists():
        log(f"building {site} (no entity pages)")
        report["build"] = build(data, site)
        log("built", report["build"])
    workers = ["--workers", str(args.workers)] if args.workers else []
    openforum = str(Path(sys.executable).parent / "openforum-ld")
    command = [openforum, "serve", str(site), "--port", "{port}", *workers]
    log("after: serve SITE", " ".join(command))
    runs = [one_run(command, ASK, 20, 3600, args.load) for _ in range(args.repeat)]
    report["after"] = {
        "runs": runs,
        "first_answer_median_s": statistics.median(r["first_answer_s"] for r in runs),
        "pss_anon_median_mb": statistics.median(r["Pss_Anon_mb"] for r in runs),
        "pss_median_mb": statistics.median(r["Pss_mb"] for r in runs),
    }
    if args.load:
        report["after"]["loaded_pss_anon_median_mb"] = statistics.median(
            r["loaded_Pss_Anon_mb"] for r in runs
        )
    log("after", report["after"]["first_answer_median_s"], report["after"]["pss_anon_median_mb"])
    report["in_memory_store"] = in_memory_store(site)
    log("in-memory store", report["in_memory_store"])
    report["scans"] = scans(site, 5)
    log("scans", report["scans"])
    if args.before is not None:
        before_command = [
            "env",
            f"PYTHONPATH={args.before / 'src'}",
            sys.executable,
            "-m",
            "openforum_ld",
            "serve",
            "--port",
            "{port}",
            "--base-uri",
            BASE,
            *workers,
        ]
        if args.size != "forum":
            before_command += ["--data", str(data)]
        log("before:", " ".join(before_command))
        before = [one_run(before_command, ASK, 20, 3600) for _ in range(args.before_repeat)]
        report["before"] = {
            "runs": before,
            "first_answer_median_s": statistics.median(r["first_answer_s"] for r in before),
            "pss_anon_median_mb": statistics.median(r["Pss_Anon_mb"] for r in before),
            "pss_median_mb": statistics.median(r["Pss_mb"] for r in before),
        }
        log("before", report["before"]["first_answer_median_s"])
    store_mb = report["in_memory_store"]["store_anon_mb"]
    report["pss_anon_over_store"] = report["after"]["pss_anon_median_mb"] / store_mb
    if args.load:
        report["loaded_pss_anon_over_store"] = (
            report["after"]["loaded_pss_anon_median_mb"] / store_mb
        )
    args.results.mkdir(parents=True, exist_ok=True)
    name = f"publication-{time.strftime('%Y-%m-%d')}-{args.size}"
    if args.workers:
        name += f"-w{args.workers}"
    (args.results / f"{name}.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k not in ("after", "before")}, indent=1))
    print(
        f"after: first answer {report['after']['first_answer_median_s']:.2f} s, "
        f"Pss_Anon {report['after']['pss_anon_median_mb']:.0f} MB "
        f"= {report['pss_anon_over_store']:.2f}x one in-memory store ({store_mb:.0f} MB)"
    )
    if args.load:
        print(
            f"after {args.load} whole-store scans: Pss_Anon "
            f"{report['after']['loaded_pss_anon_median_mb']:.0f} MB "
            f"= {report['loaded_pss_anon_over_store']:.2f}x"
        )
    if "before" in report:
        print(
            f"before: first answer {report['before']['first_answer_median_s']:.2f} s, "
            f"Pss_Anon {report['before']['pss_anon_median_mb']:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
