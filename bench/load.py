#!/usr/bin/env python3
"""The load against pyoxigraph's `bulk_load` of the same data, side by side (issue 18).

    python bench/load.py DATA DUMPS [--repeat 3] [--before SRC_TREE] [--json FILE]

Each round, in a fresh process each: ours (`load_dataset` of DATA: the files parsed, the super
terms, the union and the mentions), then the peer, `bulk_load` of the publication's dumps in
DUMPS (`openforum.nq.gz`, the named graphs and the mentions; `openforum.ttl`, the union, into the
default graph), which makes the same store; with `--before`, ours from another source tree
too. Wall time of the load alone, the quads it holds and the peak memory of the process. Run by
hand; tests never assert timings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OURS = """
import json, resource, sys, time
from pathlib import Path
from openforum_ld.load import load_dataset
started = time.perf_counter()
dataset = load_dataset(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "quads": len(dataset.store),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PEER = """
import json, resource, sys, time
import pyoxigraph as ox
started = time.perf_counter()
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "quads": len(store),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(script: str, *args: str, source: Path | None = None) -> dict[str, float]:
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source / "src")
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True, env=env
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the data directory (TriG files)")
    parser.add_argument("dumps", type=Path, help="the publication's dumps/ built from it")
    parser.add_argument("--base-uri", default="http://127.0.0.1:8000/")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="the source tree of our loader before")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    rounds = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as work:
        quads = Path(work) / "openforum.nq"
        # Streamed, so that this process stays small: a child's peak memory (ru_maxrss) counts
        # the memory of the process it was forked from, and held whole here the dump made every
        # load's peak at least 1.1 GB at a million triples.
        with gzip.open(args.dumps / "openforum.nq.gz") as packed, quads.open("wb") as unpacked:
            shutil.copyfileobj(packed, unpacked, 1 << 20)
        union = str(args.dumps / "openforum.ttl")
        for number in range(1, args.repeat + 1):
            found = {"ours": _run(OURS, str(args.data), str(ROOT / "ontology"), args.base_uri)}
            if args.before:
                found["before"] = _run(
                    OURS, str(args.data), str(ROOT / "ontology"), args.base_uri, source=args.before
                )
            found["bulk_load"] = _run(PEER, str(quads), union)
            ratios = {
                name: figures["seconds"] / found["bulk_load"]["seconds"]
                for name, figures in found.items()
                if name != "bulk_load"
            }
            rounds.append({**found, "against_bulk_load": ratios})
            print(
                f"round {number}: "
                + "; ".join(
                    f"{name} {f['seconds']:.2f} s ({f['quads']:,.0f} quads, {f['peak_mb']:,.0f} MB)"
                    for name, f in found.items()
                )
                + "; against bulk_load: "
                + ", ".join(f"{name} {ratio:.2f}x" for name, ratio in ratios.items()),
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps({"data": str(args.data), "rounds": rounds}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
