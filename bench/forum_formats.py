#!/usr/bin/env python3
"""How long `build` and `validate` take on one forum's data written as TriG, as YAML sheets and as
a workbook, side by side in one run (issue 17: "a workbook of 1,000 talks builds in at most 2x
the time of the same data as TriG").

    bench/forum_formats.py                          # 1,000 talks, 2 repetitions
    bench/forum_formats.py --talks 1000 --repeat 3

1. `bench/generate.py --talks N` writes forum-shaped TriG (one file per named graph);
2. `openforum-ld convert` writes the same data as one YAML file of sheets, and as a workbook
   (`.xlsx`) when the installed openforum-ld converts to one; if it does not (the command fails,
   or writes no workbook), the workbook is reported as not supported by this version;
3. each form is built (`openforum-ld build --data DIR --out SITE --quiet`, into an empty place)
   and validated (`openforum-ld validate --data DIR`), each in a fresh process under
   `/usr/bin/time -v`: wall time and peak RSS. The forms take turns (ABBA...), `--repeat` times;
   the report gives the medians and the ratios against TriG, and whether each form's build wrote
   the same N-Quads dump as TriG's (the same data, whatever its form).

Run by hand; tests never assert timings. The figures go to
`bench/results/forum-formats-<date>.md` and `.json`, with the machine and its load average.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FORMS = ("trig", "yaml", "xlsx")
ZIP_MAGIC = b"PK\x03\x04"


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def timed(command: list[str]) -> dict[str, Any]:
    """Run a command under /usr/bin/time -v: wall seconds, peak RSS (MB), exit code, output."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.perf_counter() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    # /usr/bin/time's own report ends stderr; what the command said comes before it.
    said = done.stderr.split("\tCommand being timed:", 1)[0]
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(int(peak.group(1)) / 1024, 1) if peak else None,
        "code": done.returncode,
        "output": (done.stdout + said).strip()[-2000:],
    }


def convert(cli: str, trig: Path, form: str, work: Path) -> dict[str, Any]:
    """Write the TriG data as `form` into its own data directory; say whether it worked."""
    directory = work / form
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    target = directory / f"forum.{form}"
    result = timed([cli, "convert", str(trig), str(target)])
    result["data"] = str(directory)
    if form == "xlsx":
        # A version that knows no workbooks may take the name for a directory of YAML sheets.
        wrote_workbook = target.is_file() and target.read_bytes()[:4] == ZIP_MAGIC
        if result["code"] != 0 or not wrote_workbook:
            why = (
                result["output"].splitlines()[-1]
                if result["code"] != 0 and result["output"]
                else "it wrote no workbook"
            )
            result["unsupported"] = f"not supported by this version ({why})"
    elif result["code"] != 0:
        raise SystemExit(f"convert to {form} failed:\n{result['output']}")
    return result


def nquads_sha256(site: Path) -> str | None:
    sums = site / "dumps" / "SHA256SUMS"
    if not sums.exists():
        return None
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        if name.endswith(".nq.gz"):
            return digest
    return None


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    packages = {}
    for name in ("openforum-ld", "pyoxigraph", "pyshacl", "rdflib", "PyYAML", "openpyxl"):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = "-"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(memory / 1024 / 1024, 1),
        "python": platform.python_version(),
        "commit": commit + (" + uncommitted changes" if dirty else ""),
        "packages": packages,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    cli = str(args.cli)
    load_before = os.getloadavg()
    measured_on = machine()  # the code as it is when the measurements start
    trig = work / "trig"
    log(f"generating {args.talks} talks (seed {args.seed})")
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            str(trig),
            "--talks",
            str(args.talks),
            "--seed",
            str(args.seed),
        ],
        check=True,
        capture_output=True,
    )
    generated = json.loads((trig / "manifest.json").read_text())
    conversions: dict[str, Any] = {"trig": {"data": str(trig)}}
    for form in FORMS[1:]:
        log(f"convert to {form}")
        conversions[form] = convert(cli, trig, form, work)
    forms = [f for f in FORMS if "unsupported" not in conversions[f]]
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        f: {"build": [], "validate": []} for f in forms
    }
    for rep in range(args.repeat):
        order = forms if rep % 2 == 0 else list(reversed(forms))
        for form in order:
            data = conversions[form]["data"]
            site = work / f"site-{form}"
            shutil.rmtree(site, ignore_errors=True)
            log(f"rep {rep + 1}: build {form}")
            built = timed([cli, "build", "--data", data, "--out", str(site), "--quiet"])
            built["nquads_sha256"] = nquads_sha256(site)
            runs[form]["build"].append(built)
            log(f"rep {rep + 1}: validate {form}")
            runs[form]["validate"].append(timed([cli, "validate", "--data", data]))
    summary: dict[str, Any] = {}
    for form in forms:
        figures: dict[str, Any] = {}
        for step in ("build", "validate"):
            done = [r for r in runs[form][step] if r["code"] == 0]
            figures[step] = {
                "median_s": median([r["seconds"] for r in done]),
                "median_peak_rss_mb": median([r["peak_rss_mb"] for r in done]),
                "runs_ok": f"{len(done)}/{len(runs[form][step])}",
            }
        summary[form] = figures
    for form in forms:
        for step in ("build", "validate"):
            ours, trigs = summary[form][step]["median_s"], summary["trig"][step]["median_s"]
            summary[form][step]["vs_trig"] = round(ours / trigs, 2) if ours and trigs else None
        sums = {r["nquads_sha256"] for r in runs[form]["build"]} | {
            r["nquads_sha256"] for r in runs["trig"]["build"]
        }
        summary[form]["same_dump_as_trig"] = len(sums) == 1 and None not in sums
    return {
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "machine": measured_on,
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "note": args.note,
        "talks_asked": args.talks,
        "seed": args.seed,
        "repeat": args.repeat,
        "generated": {k: v for k, v in generated.items() if k != "anchors"},
        "conversions": conversions,
        "summary": summary,
        "runs": runs,
    }


def cell(value: object, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}{suffix}"
    return f"{value}{suffix}"


def report(results: dict[str, Any]) -> str:
    m, g = results["machine"], results["generated"]
    before, after = results["load_average"]["before"], results["load_average"]["after"]
    lines = [
        f"# TriG, YAML sheets and a workbook: build and validate ({results['date']})",
        "",
        "`bench/forum_formats.py` (see `bench/README.md`): the same data in each form, "
        "`openforum-ld build` and `validate` each in a fresh process, the forms taking turns "
        f"(ABBA), {results['repeat']} times; medians. Tests never assert timings.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; Python "
        f"{m['python']}; commit {m['commit']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        f"- Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in after)}",
    ]
    if results["note"]:
        lines.append(f"- Conditions: {results['note']}")
    lines += [
        f"- Data: `bench/generate.py --talks {results['talks_asked']} --seed {results['seed']}`: "
        f"{g['talks']:,} talks in {g['forums']} forums, {g['graphs']} named graphs, "
        f"{g['triples']:,} distinct triples as the files state them ({g['quads']:,} quads)",
        "",
        "## Conversion from TriG",
        "",
        "| form | `convert` wall (s) | peak RSS (MB) | result |",
        "| --- | ---: | ---: | --- |",
    ]
    for form in FORMS[1:]:
        c = results["conversions"][form]
        said = c.get("unsupported") or (c["output"].splitlines() or [""])[-1]
        lines.append(
            f"| {form} | {cell(c['seconds'])} | {cell(c['peak_rss_mb'])} | {said.replace('|', '/')} |"
        )
    lines += [
        "",
        "## Build and validate",
        "",
        "| form | build (s) | build / TriG | build peak RSS (MB) | validate (s) | "
        "validate / TriG | validate peak RSS (MB) | same N-Quads dump as TriG | runs ok |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for form in FORMS:
        s = results["summary"].get(form)
        if s is None:
            lines.append(
                f"| {form} | not measured: {results['conversions'][form]['unsupported']} |"
            )
            continue
        b, v = s["build"], s["validate"]
        lines.append(
            f"| {form} | {cell(b['median_s'])} | {cell(b['vs_trig'], 'x')} | "
            f"{cell(b['median_peak_rss_mb'])} | {cell(v['median_s'])} | {cell(v['vs_trig'], 'x')} | "
            f"{cell(v['median_peak_rss_mb'])} | {'yes' if s['same_dump_as_trig'] else 'NO'} | "
            f"build {b['runs_ok']}, validate {v['runs_ok']} |"
        )
    lines += ["", "## Every run", "", "| form | step | rep | wall (s) | peak RSS (MB) | exit |"]
    lines.append("| --- | --- | ---: | ---: | ---: | ---: |")
    for form, steps in results["runs"].items():
        for step, runs in steps.items():
            for rep, r in enumerate(runs, start=1):
                lines.append(
                    f"| {form} | {step} | {rep} | {cell(r['seconds'])} | "
                    f"{cell(r['peak_rss_mb'])} | {r['code']} |"
                )
    failed = [
        (form, step, r["output"])
        for form, steps in results["runs"].items()
        for step, runs in steps.items()
        for r in runs
        if r["code"] != 0
    ]
    for form, step, output in failed:
        lines += ["", f"`{step}` of {form} failed:", "", "```", output, "```"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", type=int, default=1000, help="talks to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2, help="builds and validations per form")
    parser.add_argument(
        "--cli",
        type=Path,
        default=Path(sys.executable).parent / "openforum-ld",
        help="the openforum-ld command to measure (default: beside this Python)",
    )
    parser.add_argument("--workdir", type=Path, default=HERE / "work" / "forum-formats")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument(
        "--note", default="", help="the conditions of the run, for the report (a shared machine)"
    )
    args = parser.parse_args()
    results = run(args)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"forum-formats-{results['date']}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(report(results), encoding="utf-8")
    log(f"wrote {stem}.md and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
