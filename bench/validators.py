#!/usr/bin/env python3
"""SHACL Core engines side by side in one run, on the same data and the same shapes.

    bench/validators.py                                  # the forum and the invalid cases
    bench/validators.py --data 100k=/tmp/vd/d100k --repeat 3
    bench/validators.py --data 1m=/tmp/b/d1m --repeat 1 --no-cases

The shapes are the SHACL Core part `validate` hands to its processor: the shipped shapes with
the SPARQL constraints lifted out (they run on the store, whatever the engine) and without what
checks nothing (`validate.unchecked`). Candidates, each timed from the loaded store to its set
of results, data conversion included:

- `pyshacl`: what `validate` ran before: an rdflib copy of the default graph, then pyshacl;
- `pyshacl-all`: the same, with the property shapes that check nothing kept (before step 1);
- `pyrudof`: the default graph dumped as N-Triples and read by rudof (SHACL in Rust). rudof's
  regular expressions have no look-around, so the one pattern that uses it, "no run of two
  spaces" `^(?:(?!  ).)*$`, is given to it as `^(?: ?[^ \\n])* ?$` (the same strings
  for text with no line break);
- `sparql`: SHACL Core compiled to SPARQL and run on the pyoxigraph store
  (`validate.core_sparql`), patterns checked with Python's `re` as pyshacl does.

The measured rounds alternate the candidates' order. Each invalid case of tests/data/invalid
is then validated by every candidate, and its results (focus node, path, constraint component,
value) compared with pyshacl's. Writes bench/results/validators-<date>.md and .json. Run by
hand; the machine is shared (2 cores), so only figures of one run are compared, as ratios.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH, XSD

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # the invalid cases are built by the tests' helpers

from openforum_ld.config import Settings  # noqa: E402
from openforum_ld.load import load_configured  # noqa: E402
from openforum_ld.rdf.convert import rdflib_graph  # noqa: E402
from openforum_ld.validate import _run_pyshacl, load_shapes  # noqa: E402
from openforum_ld.validate.sparql_constraints import split_shapes  # noqa: E402
from openforum_ld.validate.unchecked import without_unchecked_shapes  # noqa: E402

if TYPE_CHECKING:
    from openforum_ld.store import Store

#: One result: focus node, path, constraint component, value; blank nodes as "_:" (their
#: labels are each engine's own).
Finding = tuple[str, str | None, str, str | None]
Candidate = Callable[["Store", rdflib.Graph], set[Finding]]

_NO_LOOKAROUND = ("^(?:(?!  ).)*$", "^(?: ?[^ \\n])* ?$")


def _term(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return "_:"
    if isinstance(term, rdflib.Literal):
        return _literal_key(str(term), term.language, term.datatype)
    return str(term)


def _literal_key(lexical: str, language: str | None, datatype: str | None) -> str:
    """A literal by its value where its datatype has one (engines write "Z" or "+00:00", a
    plain literal or one of xsd:string), else by its lexical form."""
    if language:
        return f"{lexical!r}@{language.lower()}"
    datatype = datatype or str(XSD.string)
    literal = rdflib.Literal(lexical, datatype=datatype)
    value = literal.value
    if literal.ill_typed or value is None or isinstance(value, str):
        return f"{lexical!r}^^{datatype}"
    shown = value.isoformat() if hasattr(value, "isoformat") else repr(value)
    return f"{shown}^^{datatype}"


def findings_of_report(report: rdflib.Graph) -> set[Finding]:
    found = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        found.add(
            (
                _term(report.value(node, SH.focusNode)) or "",
                _term(report.value(node, SH.resultPath)),
                str(report.value(node, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                _term(report.value(node, SH.value)),
            )
        )
    return found


def run_pyshacl(store: Store, shapes: rdflib.Graph) -> set[Finding]:
    with store.set_aside() as default_graph:
        data = rdflib_graph(default_graph)
        report = _run_pyshacl(data, shapes)
    return findings_of_report(report)


def run_pyrudof(store: Store, shapes: rdflib.Graph) -> set[Finding]:
    import pyrudof

    data = store.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    text = shapes.serialize(format="turtle").replace(*_NO_LOOKAROUND)
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(data.decode(), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(text, format=pyrudof.ShaclFormat.Turtle)
    report = rudof.validate_shacl()
    return {
        (
            _rudof_term(entry.focus_node) or "",
            _rudof_term(entry.path),
            entry.constraint_component.rsplit("#", 1)[-1],
            _rudof_term(entry.value),
        )
        for entry in report
    }


def _rudof_term(text: str | None) -> str | None:
    """rudof's terms as written in its report: IRIs bare, literals in Turtle (prefixed
    datatypes, bare numbers and booleans), paths other than an IRI in their own syntax."""
    if not text:
        return None
    if text.startswith(("_:", "(")):
        return "_:"  # a blank node, or a path that is not an IRI (pyshacl: a blank node)
    if not text.startswith('"') and not text[0].isdigit() and text not in ("true", "false"):
        return text.removeprefix("<").removesuffix(">")
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    for written in (text, f'"{text}"^^xsd:dateTime', f'"{text}"^^xsd:date'):
        # rdflib-style bare dates and times are not Turtle: tried as what they look like.
        document = f"@prefix xsd: <{XSD}> .\n<s:> <p:> {written} ."
        try:
            [triple] = ox.parse(document.encode(), format=ox.RdfFormat.TURTLE)
            break
        except (SyntaxError, ValueError):
            continue
    else:
        return text
    value = triple.object
    assert isinstance(value, ox.Literal)
    return _literal_key(value.value, value.language, value.datatype.value)


def run_sparql(store: Store, shapes: rdflib.Graph) -> set[Finding]:
    from openforum_ld.validate.core_sparql import run_core

    report = rdflib.Graph()
    run_core(store, shapes, report)
    return findings_of_report(report)


def candidates() -> dict[str, tuple[Candidate, bool]]:
    """Each candidate, and whether it is given the shapes without what checks nothing."""
    found: dict[str, tuple[Candidate, bool]] = {
        "pyshacl": (run_pyshacl, True),
        "pyshacl-all": (run_pyshacl, False),
    }
    try:
        import pyrudof  # noqa: F401

        found["pyrudof"] = (run_pyrudof, True)
    except ImportError:
        print("pyrudof is not installed: left out", file=sys.stderr)
    try:
        from openforum_ld.validate import core_sparql  # noqa: F401

        found["sparql"] = (run_sparql, True)
    except ImportError:
        print("validate.core_sparql is absent: left out", file=sys.stderr)
    return found


def _timed(run: Candidate, store: Store, shapes: rdflib.Graph) -> tuple[float, set[Finding]]:
    started = time.perf_counter()
    try:
        found = run(store, shapes)
    except Exception as error:  # a candidate failing is a result to record, not a crash
        return time.perf_counter() - started, {("error", None, type(error).__name__, str(error))}
    return time.perf_counter() - started, found


def measure(
    name: str, store: Store, shapes: dict[bool, rdflib.Graph], repeat: int
) -> dict[str, object]:
    runs = candidates()
    seconds: dict[str, list[float]] = {c: [] for c in runs}
    counts: dict[str, int] = {}
    first: dict[str, set[Finding]] = {}
    order = list(runs)
    for round_number in range(repeat):
        for candidate in order if round_number % 2 == 0 else reversed(order):
            run, pruned = runs[candidate]
            elapsed, found = _timed(run, store, shapes[pruned])
            seconds[candidate].append(elapsed)
            counts[candidate] = len(found)
            first.setdefault(candidate, found)
            print(f"[{name}] {candidate}: {elapsed:.3f} s, {len(found)} results", file=sys.stderr)
    same = {candidate: found == first["pyshacl"] for candidate, found in first.items()}
    medians = {c: statistics.median(s) for c, s in seconds.items()}
    return {
        "data": name,
        "triples": store.default_graph_size(),
        "seconds": seconds,
        "median_s": medians,
        "ratio_to_pyshacl": {c: medians[c] / medians["pyshacl"] for c in runs},
        "results": counts,
        "same_results_as_pyshacl": same,
    }


def compare_cases(settings: Settings, shapes: dict[bool, rdflib.Graph]) -> list[dict[str, object]]:
    from tests.invalid_cases import invalid_cases, load_broken

    runs = candidates()
    rows = []
    for case in invalid_cases():
        store = load_broken(case, settings).store
        _, reference = _timed(run_pyshacl, store, shapes[True])
        row: dict[str, object] = {"case": case.name, "pyshacl_results": len(reference)}
        for candidate, (run, pruned) in runs.items():
            if candidate == "pyshacl":
                continue
            _, found = _timed(run, store, shapes[pruned])
            row[candidate] = {
                "same": found == reference,
                "missing": sorted((list(f) for f in reference - found), key=repr),
                "extra": sorted((list(f) for f in found - reference), key=repr),
            }
        print(
            f"[case {case.name}] "
            + ", ".join(
                f"{c}: {'same' if v['same'] else 'DIFFERS'}"
                for c, v in row.items()
                if isinstance(v, dict)
            ),
            file=sys.stderr,
        )
        rows.append(row)
    return rows


def compare_cli(base: Path, repeat: int) -> dict[str, object]:
    """`openforum-ld validate` on the shipped forum (the repository's root), its own figure
    (the summary line's seconds), with the code at `base` (a checkout, by PYTHONPATH) and with
    this one, alternating."""
    import os
    import re
    import subprocess

    figures: dict[str, list[float]] = {"base": [], "this": []}
    for round_number in range(repeat):
        for which in ("base", "this") if round_number % 2 == 0 else ("this", "base"):
            env = dict(os.environ)
            if which == "base":
                env["PYTHONPATH"] = str(base / "src")
            done = subprocess.run(
                [sys.executable, "-m", "openforum_ld", "validate"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            found = re.search(r"shapes; ([\d.]+) s", done.stdout)
            assert found, done.stdout + done.stderr
            figures[which].append(float(found.group(1)))
            print(f"[cli] {which}: {found.group(1)} s", file=sys.stderr)
    medians = {k: statistics.median(v) for k, v in figures.items()}
    return {
        "base": str(base),
        "seconds": figures,
        "median_s": medians,
        "ratio_this_to_base": medians["this"] / medians["base"],
    }


def _markdown(date: str, sizes: list[dict[str, object]], cases: list[dict[str, object]]) -> str:
    names = list(candidates())
    lines = [
        f"# SHACL Core engines side by side, {date}",
        "",
        "`bench/validators.py`: each candidate from the loaded store to its results, data",
        "conversion included, on the SHACL Core shapes `validate` hands its processor. Rounds",
        "alternate the candidates' order; medians; one run on a shared 2-core machine, so",
        "compare the ratios, not the seconds with other runs.",
        "",
        "| data | triples | "
        + " | ".join(f"{n} (s)" for n in names)
        + " | "
        + " | ".join(f"{n} / pyshacl" for n in names if n != "pyshacl")
        + " |",
        "|---" * (2 + 2 * len(names) - 1) + "|",
    ]
    for size in sizes:
        median = size["median_s"]
        ratio = size["ratio_to_pyshacl"]
        assert isinstance(median, dict) and isinstance(ratio, dict)
        lines.append(
            f"| {size['data']} | {size['triples']:,} | "
            + " | ".join(f"{median[n]:.3f}" for n in names)
            + " | "
            + " | ".join(f"{ratio[n]:.2f}" for n in names if n != "pyshacl")
            + " |"
        )
    lines += ["", "Same results as pyshacl on the data above:", ""]
    for size in sizes:
        same = size["same_results_as_pyshacl"]
        assert isinstance(same, dict)
        lines.append(
            f"- {size['data']}: "
            + ", ".join(f"{n} {'yes' if same[n] else 'NO'}" for n in names if n != "pyshacl")
        )
    if cases:
        lines += ["", f"## The {len(cases)} invalid cases of tests/data/invalid", ""]
        for name in names:
            if name == "pyshacl":
                continue
            differing = [c for c in cases if not c[name]["same"]]  # type: ignore[index]
            lines.append(
                f"- {name}: same results as pyshacl in {len(cases) - len(differing)} of "
                f"{len(cases)} cases"
            )
            for case in differing:
                detail = case[name]
                assert isinstance(detail, dict)
                lines.append(
                    f"  - `{case['case']}`: missing {detail['missing']}, extra {detail['extra']}"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="generated data to validate besides the forum (bench/generate.py)",
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-forum", action="store_true")
    parser.add_argument("--no-cases", action="store_true")
    parser.add_argument("--only", default="", help="candidates to run, comma-separated")
    parser.add_argument("--tag", default="", help="added to the results' file names")
    parser.add_argument(
        "--cli-base",
        type=Path,
        default=None,
        help="a checkout of the code to compare `openforum-ld validate` on the forum with",
    )
    args = parser.parse_args()
    if args.only:
        wanted = set(args.only.split(","))
        found = candidates()
        globals()["candidates"] = lambda: {k: v for k, v in found.items() if k in wanted}
    settings = Settings.load()
    core, _ = split_shapes(load_shapes(settings.shapes_dir))
    shapes = {False: core, True: without_unchecked_shapes(core)}
    sizes = []
    data = [] if args.no_forum else [("forum", None)]
    data += [(d.split("=", 1)[0], Path(d.split("=", 1)[1])) for d in args.data]
    for name, directory in data:
        loaded = Settings.load(data_dir=directory) if directory else settings
        store = load_configured(loaded).store
        sizes.append(measure(name, store, shapes, args.repeat))
        del store
    cli = compare_cli(args.cli_base, args.repeat) if args.cli_base else None
    cases = [] if args.no_cases else compare_cases(settings, shapes)
    date = datetime.date.today().isoformat()
    out = HERE / "results" / f"validators-{date}{args.tag}"
    out.with_suffix(".json").write_text(
        json.dumps({"date": date, "sizes": sizes, "cli": cli, "cases": cases}, indent=2),
        encoding="utf-8",
    )
    text = _markdown(date, sizes, cases)
    if cli is not None:
        median = cli["median_s"]
        assert isinstance(median, dict)
        text += (
            f"\n## `openforum-ld validate` on the forum (its own figure), {args.repeat} runs "
            f"alternating\n\n- before ({cli['base']}): {median['base']:.3f} s\n"
            f"- this code: {median['this']:.3f} s\n"
            f"- ratio: {cli['ratio_this_to_base']:.2f}\n"
        )
    out.with_suffix(".md").write_text(text, encoding="utf-8")
    print(f"wrote {out}.md and .json", file=sys.stderr)


if __name__ == "__main__":
    main()
