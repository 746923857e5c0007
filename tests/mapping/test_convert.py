"""`convert`: the shipped forum goes to YAML and back to TriG with every named graph unchanged."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from openforum_ld.cli import main
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.yaml_rows import read_rows

from ..conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner


def _graphs(directory: Path) -> dict[str, rdflib.Graph]:
    """Every named graph of a directory of TriG files, parsed by rdflib."""
    dataset = rdflib.Dataset()
    for path in sorted(directory.glob("*.trig")):
        dataset.parse(path, format="trig", publicID=LOCAL_BASE)
    graphs = {}
    for graph in dataset.graphs():
        if len(graph):
            graphs[str(graph.identifier)] = graph
    return graphs


def test_the_shipped_forum_goes_to_yaml_and_back_unchanged_in_every_graph(
    runner: CliRunner, tmp_path: Path
) -> None:
    yaml_dir, trig_dir = tmp_path / "yaml", tmp_path / "trig"
    to_yaml = runner.invoke(main, ["convert", str(ROOT / "data"), str(yaml_dir)])
    assert to_yaml.exit_code == 0, to_yaml.output
    to_trig = runner.invoke(main, ["convert", str(yaml_dir), str(trig_dir)])
    assert to_trig.exit_code == 0, to_trig.output

    before, after = _graphs(ROOT / "data"), _graphs(trig_dir)
    assert sorted(before) == sorted(after)
    assert len(before) >= 15
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name
    # The TriG written uses relative entity IRIs, as data/ does: it publishes under any base.
    assert "@prefix person: <id/person/> ." in (trig_dir / "report-v.trig").read_text()


def test_one_yaml_file_holds_every_sheet_and_reads_back_as_the_same_quads(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "forum.yaml"
    result = runner.invoke(main, ["convert", str(ROOT / "data"), str(out)])
    assert result.exit_code == 0, result.output
    rows = read_rows(out, out.read_text(encoding="utf-8"))
    sheets = {row.sheet for row in rows}
    assert {"talks", "people", "organizations", "graphs", "resources"} <= sheets
    assert sheets <= set(load_mapping().by_name)
    trig = tmp_path / "trig"
    assert runner.invoke(main, ["convert", str(out), str(trig)]).exit_code == 0
    original = ox.Dataset(
        q
        for path in sorted((ROOT / "data").glob("*.trig"))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=LOCAL_BASE)
    )
    again = ox.Dataset(
        q
        for path in sorted(trig.glob("*.trig"))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=LOCAL_BASE)
    )
    assert set(original) == set(again)


def test_an_entity_stated_in_many_sections_is_one_row_per_section(forum_yaml: Path) -> None:
    path = forum_yaml / "talks.yaml"
    rows = read_rows(path, path.read_text(encoding="utf-8"))
    sources_by_id: dict[str, set[str]] = {}
    for row in rows:
        id_, source = row.first("id"), row.first("source")
        assert id_ is not None and source is not None
        sources_by_id.setdefault(id_.text, set()).add(source.text)
    assert any(len(sources) >= 2 for sources in sources_by_id.values())


def test_statements_no_sheet_column_covers_are_kept_in_readable_rows(forum_yaml: Path) -> None:
    text = (forum_yaml / "resources.yaml").read_text(encoding="utf-8")
    # The editors' evidence for a link: an rdf:Statement with its quote.
    assert "- id: graph/editorial#link-morocco-wikidata" in text
    assert "rdf:subject: place:morocco" in text
    assert "ofo:evidenceQuote@en:" in text
    places = (forum_yaml / "places.yaml").read_text(encoding="utf-8")
    assert "skos:notation^^ofo:ISO3166-1-alpha-2: MA" in places


@pytest.mark.parametrize("mixed", ["target", "source"])
def test_convert_refuses_to_mix_data_files(runner: CliRunner, tmp_path: Path, mixed: str) -> None:
    directory = tmp_path / "dir"
    directory.mkdir()
    (directory / "a.trig").write_text((ROOT / "data" / "web-expert.trig").read_text())
    (directory / "b.yaml").write_text("talks: []\n")
    args = (
        ["convert", str(ROOT / "data"), str(directory)]
        if mixed == "target"
        else ["convert", str(directory), str(tmp_path / "out")]
    )
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert str(directory) in result.output
    assert not (tmp_path / "out").exists()
