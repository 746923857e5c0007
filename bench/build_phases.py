#!/usr/bin/env python3
"""Where a build's time goes: one `build` of a data directory, in this process, with the time
at which each of its steps starts (load, validation and dumps, catalog, pages, site, store,
swap), the CPU time of the build and of its page workers, and the peak memory of each.

    python bench/build_phases.py DATA OUT [--workers N] [--json FILE] [--no-pages]

Run by hand (issue 18), with SOURCE_DATE_EPOCH set when outputs are compared; the figures go
to stdout, and as JSON to FILE.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import sys
import time
from pathlib import Path

from openforum_ld import publish
from openforum_ld.config import Settings
from openforum_ld.load import load_configured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=0, help="page workers (0: one per CPU)")
    parser.add_argument("--base-uri", default="http://127.0.0.1:8000/")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--no-pages",
        action="store_true",
        help="leave out the entity pages, listings and graphs (the other steps alone)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    steps: list[tuple[str, float]] = []

    def mark(step: str) -> None:
        at = time.perf_counter() - started
        steps.append((step, at))
        print(f"{at:8.2f} s  {step}", flush=True)

    def progress(step: str, done: int, total: int) -> None:
        if not steps or steps[-1][0] != step:
            mark(step)

    settings = Settings.load(data_dir=args.data, base_uri=args.base_uri, build_workers=args.workers)
    dataset = load_configured(settings)
    mark("validate")  # the build validates first, then reports its first step, the dumps
    summary = publish.build(settings, args.out, progress, pages=not args.no_pages, dataset=dataset)
    mark("end")
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "data": str(args.data),
        "pages": not args.no_pages,
        "triples": summary.triples,
        "files": summary.files,
        "wall_s": round(time.perf_counter() - started, 2),
        "steps": [
            {"step": step, "start_s": round(at, 2), "seconds": round(end - at, 2)}
            for (step, at), (_, end) in itertools.pairwise(steps)
        ],
        "cpu_s": round(own.ru_utime + own.ru_stime, 2),
        "workers_cpu_s": round(workers.ru_utime + workers.ru_stime, 2),
        "peak_rss_mb": round(own.ru_maxrss / 1024),
        "workers_peak_rss_mb": round(workers.ru_maxrss / 1024),
    }
    report_figures(figures, args.json)
    return 0


def report_figures(figures: dict[str, object], path: Path | None) -> None:
    """The figures as JSON on stdout, and in `path` when given."""
    print(json.dumps(figures, indent=1))
    if path:
        path.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
