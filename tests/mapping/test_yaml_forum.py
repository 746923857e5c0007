"""A forum written as YAML sheets loads, validates and builds like the same forum in TriG; SHACL
results point at the YAML key where the value was typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.cli import main
from openforum_ld.load import load_dataset
from openforum_ld.mapping.yaml_rows import read_rows

from ..conftest import LOCAL_BASE

if TYPE_CHECKING:
    from click.testing import CliRunner

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset


def test_every_value_stays_the_string_that_was_typed_with_its_position() -> None:
    text = "sessions:\n- id: opening\n  source: web-agenda-1\n  ofo:startTime: 10:30\n  ofo:x: [no, 1.0, ~]\n"
    [row] = read_rows(Path("agenda.yaml"), text)
    start = row.cells["ofo:startTime"].values[0]
    assert (start.text, start.line, start.column) == ("10:30", 4, 18)
    assert [v.text for v in row.cells["ofo:x"].values] == ["no", "1.0", "~"]
    assert (row.line, row.column) == (2, 3)


def test_the_yaml_forum_loads_the_same_quads_as_the_trig_forum(
    forum_yaml: Path, settings: Settings, dataset: Dataset
) -> None:
    from_yaml = load_dataset(forum_yaml, settings.ontology_dir, settings.base_uri)
    for graph in dataset.data_graphs:
        expected = set(
            dataset.store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        )
        found = set(
            from_yaml.store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        )
        assert expected == found, graph
    assert sorted(from_yaml.data_graphs) == sorted(dataset.data_graphs)


def test_a_shacl_violation_points_at_the_yaml_key_where_the_value_was_typed(
    runner: CliRunner, yaml_copy: Path
) -> None:
    path = yaml_copy / "action-plans.yaml"
    text = path.read_text(encoding="utf-8")
    old = "commitmentCount: '6'"
    assert old in text
    text = text.replace(old, "commitmentCount^^xsd:string: six")
    path.write_text(text, encoding="utf-8")
    offset = text.index("commitmentCount^^xsd:string")
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)

    result = runner.invoke(main, ["validate", "--data", str(yaml_copy)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}:{column}: Violation: " in result.output
    assert "ofo:commitmentCount" in result.output

    as_json = runner.invoke(main, ["validate", "--data", str(yaml_copy), "--format", "json"])
    assert as_json.exit_code == 1
    [violation] = [r for r in json.loads(as_json.output)["results"] if r["severity"] == "Violation"]
    assert violation["locations"][0] == {"file": str(path), "line": line, "column": column}


def test_the_yaml_forum_builds(runner: CliRunner, forum_yaml: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = runner.invoke(
        main,
        [
            "build",
            "--data",
            str(forum_yaml),
            "--out",
            str(out),
            "--base-uri",
            LOCAL_BASE,
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    talk = out / "id" / "talk" / "collective-intelligence-for-open-and-smart-governance.ttl"
    assert talk.is_file()
    quads = list(ox.parse(path=str(talk), format=ox.RdfFormat.TURTLE, base_iri=LOCAL_BASE))
    assert any(q.predicate.value.endswith("performer") for q in quads)


def test_serve_checks_yaml_sheets_before_it_builds(yaml_copy: Path, settings: Settings) -> None:
    import pytest

    from openforum_ld.load import check_sources
    from openforum_ld.mapping.to_rdf import CellCheckError

    check_sources(yaml_copy, settings.ontology_dir, settings.base_uri, settings.sources_dir)
    path = yaml_copy / "people.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("affiliation: organization:", "affiliation: organisation:", 1),
        encoding="utf-8",
    )
    with pytest.raises(CellCheckError) as raised:
        check_sources(yaml_copy, settings.ontology_dir, settings.base_uri, settings.sources_dir)
    assert raised.value.path == path
    assert "unknown prefix 'organisation' (did you mean organization?)" in str(raised.value)


def test_yaml_beside_trig_refers_to_what_the_trig_files_describe(
    runner: CliRunner, data_copy: Path, tmp_path: Path
) -> None:
    # One section's graph moves from TriG to YAML; its rows name people, talks and the graph
    # described in the TriG files that stay.
    alone = tmp_path / "alone"
    alone.mkdir()
    (data_copy / "web-expert.trig").rename(alone / "web-expert.trig")
    converted = runner.invoke(main, ["convert", str(alone), str(data_copy / "web-expert.yaml")])
    assert converted.exit_code == 0, converted.output
    text = (data_copy / "web-expert.yaml").read_text(encoding="utf-8")
    assert "source: web-expert" in text

    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 0, result.output

    (data_copy / "web-expert.yaml").write_text(
        text.replace("source: web-expert", "source: web-expertise", 1), encoding="utf-8"
    )
    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 2
    assert (
        "source 'web-expertise' is not a graph the data describes, nor a section of the "
        "sections sheet, nor sources or editorial (did you mean web-expert?)" in result.output
    )
