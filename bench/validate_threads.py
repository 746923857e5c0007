#!/usr/bin/env python3
"""`validate` with one thread and with several, side by side on one loaded store (issue 18).

    python bench/validate_threads.py DATA [--threads 2,1] [--json FILE]

Loads DATA once, then validates it with each thread count in turn: wall time, CPU time of the
process, the results and near names found (the same for every count), and the peak memory of
the process, load included. Run by hand; tests never assert timings.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling scripts, not a package

from build_phases import report_figures

from openforum_ld.config import Settings
from openforum_ld.load import load_configured
from openforum_ld.validate import validate_dataset


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--threads", default="2,1", help="thread counts, comma-separated")
    parser.add_argument("--base-uri", default="http://127.0.0.1:8000/")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    settings = Settings.load(data_dir=args.data, base_uri=args.base_uri)
    started = time.perf_counter()
    dataset = load_configured(settings)
    figures: dict[str, object] = {
        "data": str(args.data),
        "load_s": round(time.perf_counter() - started, 2),
    }
    for threads in [int(n) for n in args.threads.split(",")]:
        wall, cpu = time.perf_counter(), time.process_time()
        report = validate_dataset(dataset, settings.shapes_dir, settings.languages, threads)
        figures[f"threads={threads}"] = {
            "wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(time.process_time() - cpu, 2),
            "results": len(report.results),
            "near_names": len(report.near_names),
        }
        print(threads, figures[f"threads={threads}"], flush=True)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    report_figures(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
