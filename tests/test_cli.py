"""The `openforum-ld` command: exit codes and messages a user relies on."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib

from openforum_ld import __version__
from openforum_ld.cli import main

from .conftest import LOCAL_BASE, ROOT, TEST_DATA

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner


class _Value:
    """A CSV cell standing in for a parsed term (CSV results cannot be parsed back to terms)."""

    def __init__(self, value: str) -> None:
        self.value = value


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"openforum-ld, version {__version__}"


def test_validate_passes_on_the_shipped_data_and_ends_with_counts(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("Valid ") and "files" in last and "triples" in last
    assert "entities" in last and "shapes" in last and last.endswith(" s")


def test_validate_reports_a_syntax_error_as_file_and_line(
    runner: CliRunner, data_copy: Path
) -> None:
    path = data_copy / "web-expert.trig"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, text in enumerate(lines, 1) if "schema:jobTitle" in text)
    lines[number - 1] = lines[number - 1].replace(
        '"Open Government Expert"@en', '"Open Government Expert@en'
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:{number}:"), result.stderr
    assert "syntax error" in result.stderr
    assert "Traceback" not in result.output


def test_validate_reports_a_violation_with_exit_1(runner: CliRunner, data_copy: Path) -> None:
    path = data_copy / "web-expert.trig"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'schema:honorificPrefix "Mr."@en', 'schema:honorificPrefix "Sir"@en'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 1, result.output
    number = next(
        i
        for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("person:tarik-nesh-nash")
    )
    # Two findings: two honorifics where one is allowed, and "Sir", found in the file that says it.
    assert (
        f"{path}:{number}: Violation: <id/person/tarik-nesh-nash> schema:honorificPrefix"
        in result.stdout
    )
    assert 'value: "Sir"@en' in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("Invalid: 2 violation(s)")


def test_validate_json_and_turtle_reports_are_machine_readable(
    runner: CliRunner, data_copy: Path
) -> None:
    path = data_copy / "web-expert.trig"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"Open Government Expert"@en', '"Open Government Expert"'
        ),
        encoding="utf-8",
    )
    as_json = runner.invoke(main, ["validate", "--data", str(data_copy), "--format", "json"])
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["conforms"] is False
    [result] = report["results"]
    assert result["path"] == "http://schema.org/jobTitle"
    assert result["shape"] == "https://w3id.org/openforum/shapes#PersonShape"
    assert result["locations"][0]["file"].endswith("web-expert.trig")
    as_turtle = runner.invoke(main, ["validate", "--data", str(data_copy), "--format", "turtle"])
    assert as_turtle.exit_code == 1
    graph = rdflib.Graph().parse(data=as_turtle.stdout, format="turtle")
    assert (None, rdflib.SH.conforms, rdflib.Literal(False)) in graph


def test_validate_a_missing_directory_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", "--data", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'missing'}: data directory does not exist\n"


def test_validate_an_empty_directory_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["validate", "--data", str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert "no data files" in result.stderr


def test_validate_a_broken_shapes_file_exits_2_naming_it(runner: CliRunner, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(ROOT / "shapes", shapes)
    (shapes / "agents.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path .\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["validate", "--shapes", str(shapes)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {shapes / 'agents.ttl'}")


def test_query_prints_a_table_for_people(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["query", "@" + str(ROOT / "queries" / "who-moderated.rq"), "--base-uri", LOCAL_BASE]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["forum", "moderator", "name"]
    assert "Tarik Nesh-Nash@en" in lines[2]
    assert lines[-1] == "(1 row)"


@pytest.mark.parametrize(
    ("fmt", "parse"),
    [
        ("json", lambda b: ox.parse_query_results(b, format=ox.QueryResultsFormat.JSON)),
        ("xml", lambda b: ox.parse_query_results(b, format=ox.QueryResultsFormat.XML)),
        (
            "csv",
            lambda b: [
                {"name": _Value(r["name"])} for r in csv.DictReader(io.StringIO(b.decode()))
            ],
        ),
        ("tsv", lambda b: ox.parse_query_results(b, format=ox.QueryResultsFormat.TSV)),
    ],
)
def test_query_writes_the_standard_result_formats(runner: CliRunner, fmt: str, parse) -> None:
    query = "SELECT ?name WHERE { ?p a schema:Person ; foaf:name ?name } ORDER BY ?name"
    result = runner.invoke(main, ["query", query, "--format", fmt])
    assert result.exit_code == 0, result.output
    names = [str(row["name"].value) for row in parse(result.stdout_bytes)]
    assert len(names) == 19 and names[0] == "Abdelkrim Marzouk"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "rdfxml"])
def test_query_writes_graph_results_in_rdf(runner: CliRunner, fmt: str) -> None:
    query = "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p a schema:Person ; foaf:name ?n }"
    result = runner.invoke(main, ["query", query, "--format", fmt])
    assert result.exit_code == 0, result.output
    rdflib_format = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
    graph = rdflib.Graph().parse(data=result.stdout_bytes, format=rdflib_format)
    assert len(graph) == 19


def test_query_ask_answers_yes_or_no(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", 'ASK { ?p foaf:name "John Maritim"@en }'])
    assert (result.exit_code, result.stdout.strip()) == (0, "yes")


def test_query_reads_standard_input(runner: CliRunner) -> None:
    result = runner.invoke(
        main,
        ["query", "-", "--format", "csv"],
        input="SELECT (COUNT(*) AS ?n) WHERE { ?t a ofo:Talk }",
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["n", "15"]


def test_a_query_that_does_not_parse_exits_2_with_its_position(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "SELECT ?s WHERE {\n  ?s ?p \n}"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: query line 3, column "), result.stderr
    assert "Traceback" not in result.output


def test_a_query_with_an_undeclared_prefix_says_so(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "SELECT * WHERE { ?s nope:p ?o }"])
    assert result.exit_code == 2
    assert "undefined prefix" in result.stderr and "line 1, column" in result.stderr


def test_query_refuses_a_result_format_that_does_not_fit_the_query(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle"]
    )
    assert result.exit_code == 2
    assert "is for CONSTRUCT and DESCRIBE results" in result.stderr


def test_query_with_a_missing_query_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["query", f"@{tmp_path / 'nope.rq'}"])
    assert result.exit_code == 2
    assert "cannot read query file" in result.stderr


def test_query_keeps_an_on_disk_store(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "store"
    for _ in range(2):
        result = runner.invoke(
            main,
            [
                "query",
                "SELECT (COUNT(*) AS ?n) WHERE { ?t a ofo:Talk }",
                "--store",
                str(store),
                "--format",
                "csv",
            ],
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == ["n", "15"]
    assert (store / "openforum-ld-store.json").is_file()


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.output and "query" in result.output


def test_a_valid_other_dataset_validates(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--data", str(TEST_DATA / "valid")])
    assert result.exit_code == 0, result.output


def test_validate_and_query_see_the_types_the_ontology_entails(
    runner: CliRunner, data_copy: Path
) -> None:
    # ForumShape wants every forum to be a schema:Event: with the data saying only ofo:Forum, the
    # loader states it, and both commands load alike.
    replaced = 0
    for path in data_copy.glob("*.trig"):
        text, count = re.subn(
            r"\bschema:Event, (ofo:Forum)\b", r"\1", path.read_text(encoding="utf-8")
        )
        path.write_text(text, encoding="utf-8")
        replaced += count
    assert replaced > 0
    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 0, result.output
    query = (
        "SELECT ?forum WHERE { ?forum a ofo:Forum . FILTER NOT EXISTS { ?forum a schema:Event } }"
    )
    result = runner.invoke(main, ["query", query, "--data", str(data_copy), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["forum"], "every forum is a schema:Event"


def test_query_finds_agenda_orders_as_schema_positions_in_the_data_and_the_publication(
    built_site: Path,
) -> None:
    # In processes of their own: `query --site` holds the publication open until it exits.
    talks = "SELECT ?talk ?order WHERE { ?talk a ofo:Talk ; ofo:agendaOrder ?order }"
    positions = "SELECT ?talk ?order WHERE { ?talk a schema:Event ; schema:position ?order ; schema:superEvent/schema:superEvent ?forum }"
    for where in (["--base-uri", LOCAL_BASE], ["--site", str(built_site)]):
        answers = []
        for query in (talks, positions):
            result = subprocess.run(
                [sys.executable, "-m", "openforum_ld", "query", query, "--format", "csv", *where],
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stderr
            answers.append(sorted(csv.reader(io.StringIO(result.stdout))))
        assert len(answers[0]) > 1 and answers[0] == answers[1], where


def test_an_iri_the_query_table_shows_can_be_pasted_back(runner: CliRunner) -> None:
    listed = runner.invoke(
        main,
        [
            "query",
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
            "--base-uri",
            LOCAL_BASE,
        ],
    )
    assert listed.exit_code == 0, listed.output
    shown = [line.split()[0] for line in listed.stdout.splitlines()[2:-1]]
    assert "<graph/mentions>" in shown  # the table writes the publication's IRIs relative
    counts = {}
    for graph in ("<graph/mentions>", f"<{LOCAL_BASE}graph/mentions>"):
        result = runner.invoke(
            main,
            [
                "query",
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
                "--base-uri",
                LOCAL_BASE,
                "--format",
                "csv",
            ],
        )
        assert result.exit_code == 0, result.output
        counts[graph] = int(result.stdout.split()[1])
    assert len(set(counts.values())) == 1 and counts["<graph/mentions>"] > 0, counts
