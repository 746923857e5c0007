#!/usr/bin/env python3
"""What stating the superterms of `ofo:` terms costs the load, side by side in one run.

    bench/materialize.py                        # the forum's data and 1M triples
    bench/materialize.py --sizes forum,100k --repeat 3 --forum-repeat 10

For each size, `load_dataset` runs in a fresh process per measurement, in alternating order
(ABBA...), in these modes:

- `without`: the loader with `infer.materialize_superterms` replaced by nothing;
- `sparql-per-axiom` (what the loader does): the super terms from the ontology graph by one
  query each, then one `INSERT { GRAPH ?g { ?s <super> ?o } } WHERE { GRAPH ?g { ?s <sub> ?o } }`
  per (sub, super) pair;
- `sparql-one`: two SPARQL updates (properties, classes) driven by the ontology graph,
  `INSERT { GRAPH ?g { ?s ?super ?o } } WHERE { { SELECT ?p ?super ... } GRAPH ?g { ?s ?p ?o } }`;
- `python`: `quads_for_pattern` per sub term in Python, each new quad checked against the store,
  bulk-added 50,000 at a time.

Each reports the load's wall time, the time of the materialization alone, the process's peak RSS
(`ru_maxrss`) and the quads in the store, which must be the same for every materializing mode.
Run by hand on an idle machine; tests never assert timings. Data other than `forum` comes from
`bench/generate.py` into `bench/work/`.
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
TRIPLES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BASE = "https://w3id.org/openforum/"
MODES = ("without", "sparql-per-axiom", "sparql-one", "python")

# Run in a fresh process: replaces the loader's materialization by the mode's, then loads.
WORKER = r"""
import json, resource, sys, time
from pathlib import Path
import pyoxigraph as ox
import openforum_ld.infer as infer
import openforum_ld.load as load
from openforum_ld.iris import OFO, ONTOLOGY_IRI

mode, data, ontology, base = sys.argv[1:5]
timing = {}

def sparql_one(store):
    for relation, pattern, template in (
        ("rdfs:subPropertyOf", "?s ?term ?o", "?s ?super ?o"),
        ("rdfs:subClassOf", "?s a ?term", "?s a ?super"),
    ):
        store.update(f'''INSERT {{ GRAPH ?g {{ {template} }} }} WHERE {{
          {{ SELECT DISTINCT ?term ?super WHERE {{
               GRAPH <{ONTOLOGY_IRI}> {{ ?term {relation}+ ?super }}
               FILTER(isIRI(?term) && isIRI(?super) && ?super != ?term
                      && STRSTARTS(STR(?term), "{OFO}")) }} }}
          GRAPH ?g {{ {pattern} }}
          FILTER(?g != <{ONTOLOGY_IRI}>)
        }}''')

def python(store):
    ox_store = store.oxigraph
    ontology = ox.NamedNode(ONTOLOGY_IRI)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def entailed():
        for relation, pattern in (("rdfs:subPropertyOf", "p"), ("rdfs:subClassOf", "c")):
            for term, parents in infer.superterms(store, relation).items():
                if pattern == "p":
                    stated = ox_store.quads_for_pattern(None, term, None, None)
                else:
                    stated = ox_store.quads_for_pattern(None, rdf_type, term, None)
                for q in stated:
                    if q.graph_name == ontology or isinstance(q.graph_name, ox.DefaultGraph):
                        continue
                    for parent in parents:
                        if pattern == "p":
                            yield ox.Quad(q.subject, parent, q.object, q.graph_name)
                        else:
                            yield ox.Quad(q.subject, rdf_type, parent, q.graph_name)

    batch = set()
    for quad in entailed():
        if quad in batch or quad in ox_store:
            continue
        batch.add(quad)
        if len(batch) >= 50_000:
            ox_store.bulk_extend(batch)
            batch = set()
    ox_store.bulk_extend(batch)

strategies = {
    "without": lambda store: None,
    "sparql-per-axiom": infer.materialize_superterms,
    "sparql-one": sparql_one,
    "python": python,
}

def timed(store):
    started = time.perf_counter()
    strategies[mode](store)
    timing["materialize_s"] = time.perf_counter() - started

load.materialize_superterms = timed
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
dataset = load.load_dataset(Path(data), Path(ontology), base)
load_s = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "load_s": load_s,
    "materialize_s": timing["materialize_s"],
    "peak_rss_mb": peak / 1024,
    "rss_before_mb": rss_before / 1024,
    "quads": len(dataset.store),
    "default_graph": dataset.store.default_graph_size(),
}))
"""


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def data_dir(size: str, work: Path) -> Path:
    if size == "forum":
        return ROOT / "data"
    target = work / f"data-{size}"
    if not (target / "manifest.json").exists():
        log(f"generating {size} triples into {target}")
        command = [sys.executable, str(HERE / "generate.py"), str(target)]
        subprocess.run(
            [*command, "--triples", str(TRIPLES[size]), "--seed", "7"],
            check=True,
        )
    return target


def one_load(mode: str, data: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, mode, str(data), str(ROOT / "ontology"), BASE],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        sys.exit(f"the {mode} load of {data} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout))


def measure(size: str, data: Path, modes: list[str], repeat: int) -> dict[str, object]:
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for round_ in range(repeat):
        # ABBA: a drift of the machine over the run falls on every mode alike.
        for mode in modes if round_ % 2 == 0 else list(reversed(modes)):
            figures = one_load(mode, data)
            log(size, mode, json.dumps(figures))
            runs[mode].append(figures)
    summary: dict[str, dict[str, float]] = {}
    for mode, figures in runs.items():
        summary[mode] = {
            key: statistics.median(f[key] for f in figures)
            for key in ("load_s", "materialize_s", "peak_rss_mb", "rss_before_mb")
        }
        summary[mode]["quads"] = figures[0]["quads"]
        summary[mode]["default_graph"] = figures[0]["default_graph"]
    quads = {summary[m]["quads"] for m in modes if m != "without"}
    assert len(quads) <= 1, f"the modes disagree on the quads: {summary}"
    return {"size": size, "repeat": repeat, "runs": runs, "median": summary}


def report_markdown(results: list[dict[str, object]], date: str) -> str:
    lines = [
        f"# Materializing the superterms of `ofo:` terms at load: cost ({date})",
        "",
        f"`bench/materialize.py`, one run, {os.cpu_count()} CPUs; each figure the median of the "
        "runs, every load in a fresh process, modes in ABBA order. *Load* is `load_dataset` "
        "(parse, materialize, union, mentions); *materialize* the inference alone; *peak RSS* "
        "the process's `ru_maxrss`. Ratios are to the load without materialization; the "
        "materialization's time is also given as a share of the load without it, a figure the "
        "noise of whole loads on a shared machine does not drown.",
        "",
    ]
    for result in results:
        median: dict[str, dict[str, float]] = result["median"]  # type: ignore[assignment]
        base = median["without"]
        lines += [
            f"## {result['size']} ({result['repeat']} runs per mode)",
            "",
            "| mode | quads | added | default graph | load (s) | ratio | materialize (s) "
            "| of the load without | peak RSS (MB) | ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for mode, m in median.items():
            lines.append(
                f"| {mode} | {m['quads']:,.0f} | {m['quads'] - base['quads']:,.0f} "
                f"| {m['default_graph']:,.0f} | {m['load_s']:.2f} "
                f"| {m['load_s'] / base['load_s']:.2f} | {m['materialize_s']:.3f} "
                f"| {m['materialize_s'] / base['load_s']:.1%} "
                f"| {m['peak_rss_mb']:.0f} | {m['peak_rss_mb'] / base['peak_rss_mb']:.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="forum,1m")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument(
        "--forum-repeat", type=int, default=20, help="runs per mode on the forum's data"
    )
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--name", default=f"materialize-{time.strftime('%Y-%m-%d')}")
    args = parser.parse_args()
    modes = args.modes.split(",")
    assert modes[0] == "without", "the first mode is the one the ratios are to"
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes.split(","):
        data = data_dir(size, args.work)
        repeat = args.forum_repeat if size == "forum" else args.repeat
        results.append(measure(size, data, modes, repeat))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{args.name}.json").write_text(json.dumps(results, indent=1) + "\n")
    text = report_markdown(results, time.strftime("%Y-%m-%d"))
    (args.results / f"{args.name}.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
