#!/usr/bin/env python3
"""What one page job of a build costs: the CPU time of writing an entity's files (its six RDF
documents and its pages in every language) and a named graph's, on a sample of each, in this
process, the way a build's page worker writes them.

    python bench/page_jobs.py DATA SITE [--sample 400] [--graphs 60] [--rounds 2] [--json FILE]

SITE is a publication built from DATA (its manifest is read). The files are written to a
temporary directory. To compare two checkouts side by side, run it once with each checkout's
`src` first on PYTHONPATH. Run by hand (issue 18).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from build_phases import report_figures

import openforum_ld
from openforum_ld.config import Settings
from openforum_ld.load import load_configured
from openforum_ld.publication import Publication
from openforum_ld.publish import view_context
from openforum_ld.publish.site import SiteWriter, entity_iris


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--sample", type=int, default=400, help="entities")
    parser.add_argument("--graphs", type=int, default=60, help="named graphs")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--base-uri", default="http://127.0.0.1:8000/")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    settings = Settings.load(data_dir=args.data, base_uri=args.base_uri)
    dataset = load_configured(settings)
    ctx = view_context(dataset, settings, Publication.open(args.site).manifest, args.site)
    writer = SiteWriter(Path(tempfile.mkdtemp(prefix="page-jobs-")), ctx, lambda *_: None)
    chosen = random.Random(1)
    entities = chosen.sample(entity_iris(dataset.store, dataset.iris), args.sample)
    graphs = chosen.sample(writer.graph_names(), args.graphs)

    rounds = []
    for number in range(1, args.rounds + 1):
        started = time.process_time()
        for iri in entities:
            writer.write_entity(iri)
        between = time.process_time()
        for name in graphs:
            writer.write_graph(name)
        ended = time.process_time()
        entity_ms = 1000 * (between - started) / len(entities)
        graph_ms = 1000 * (ended - between) / len(graphs)
        print(f"round {number}: entity job {entity_ms:.2f} ms, graph job {graph_ms:.2f} ms CPU")
        rounds.append({"entity_job_ms": round(entity_ms, 2), "graph_job_ms": round(graph_ms, 2)})
    report_figures(
        {
            "data": str(args.data),
            "code": str(Path(openforum_ld.__file__).parent),
            "entities": len(entities),
            "graphs": len(graphs),
            "rounds": rounds,
        },
        args.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
