"""The shipped forum as a workbook: it converts back to the same named graphs, and a data
directory holding only the workbook validates and builds the same publication as data/."""

from __future__ import annotations

import gzip
import shutil
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from openforum_ld.cli import main
from openforum_ld.load import load_dataset
from openforum_ld.mapping.cells import WorkbookSheet
from openforum_ld.mapping.from_rdf import quads_to_rows, rows_to_yaml
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.workbook_write import write_workbook

from ..conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset


def _graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def _trig_graphs(directory: Path) -> dict[str, rdflib.Graph]:
    """Every named graph of a directory of TriG files, parsed by rdflib."""
    dataset = rdflib.Dataset()
    for path in sorted(directory.glob("*.trig")):
        dataset.parse(path, format="trig", publicID=LOCAL_BASE)
    return _graphs(dataset)


def _quads(directory: Path) -> set[ox.Quad]:
    return {
        q
        for path in sorted(directory.glob("*.trig"))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=LOCAL_BASE)
    }


def test_the_shipped_forum_goes_to_a_workbook_and_back_unchanged_in_every_graph(
    runner: CliRunner, tmp_path: Path
) -> None:
    workbook, trig = tmp_path / "forum.xlsx", tmp_path / "trig"
    to_workbook = runner.invoke(main, ["convert", str(ROOT / "data"), str(workbook)])
    assert to_workbook.exit_code == 0, to_workbook.output
    to_trig = runner.invoke(main, ["convert", str(workbook), str(trig)])
    assert to_trig.exit_code == 0, to_trig.output

    before, after = _trig_graphs(ROOT / "data"), _trig_graphs(trig)
    assert sorted(before) == sorted(after)
    assert len(before) >= 15
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name


def test_yaml_sheets_go_to_a_workbook_and_the_workbook_to_one_yaml_file_unchanged(
    runner: CliRunner, forum_yaml: Path, tmp_path: Path
) -> None:
    workbook, yaml_file, trig = tmp_path / "forum.xlsx", tmp_path / "forum.yaml", tmp_path / "trig"
    for source, target in [(forum_yaml, workbook), (workbook, yaml_file), (yaml_file, trig)]:
        result = runner.invoke(main, ["convert", str(source), str(target)])
        assert result.exit_code == 0, result.output
    assert _quads(trig) == _quads(ROOT / "data")


def test_convert_refuses_a_workbook_target_that_exists(
    runner: CliRunner, forum_workbook: Path
) -> None:
    result = runner.invoke(main, ["convert", str(ROOT / "data"), str(forum_workbook)])
    assert result.exit_code == 2
    assert f"{forum_workbook}: the target exists already" in result.output


def test_query_reads_a_workbook(
    runner: CliRunner, forum_workbook: Path, dataset: Dataset, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(forum_workbook, data / "forum.xlsx")
    talk = LOCAL_BASE + "id/talk/collective-intelligence-for-open-and-smart-governance"
    query = f"SELECT ?performer WHERE {{ <{talk}> <http://schema.org/performer> ?performer }}"
    result = runner.invoke(
        main,
        ["query", "--data", str(data), "--base-uri", LOCAL_BASE, "--format", "csv", query],
    )
    assert result.exit_code == 0, result.output
    expected = sorted(str(row["performer"].value) for row in dataset.store.select(query))
    assert expected
    assert result.output.split() == ["performer", *expected]


@pytest.fixture(scope="module")
def workbook_site(forum_workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The forum built from a data directory that holds only its workbook."""
    from openforum_ld import publish
    from openforum_ld.config import Settings

    data = tmp_path_factory.mktemp("workbook-data") / "data"
    data.mkdir()
    shutil.copy(forum_workbook, data / "forum.xlsx")
    out = tmp_path_factory.mktemp("workbook-publication") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1606780800")  # 2020-12-01, as built_site
        publish.build(Settings.load(base_uri=LOCAL_BASE, data_dir=data), out)
    return out


def test_a_data_directory_of_one_workbook_validates(
    runner: CliRunner, forum_workbook: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(forum_workbook, data / "forum.xlsx")
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Valid")


@pytest.mark.slow
def test_the_workbook_forum_publishes_the_dumps_of_the_trig_forum(
    workbook_site: Path, built_site: Path
) -> None:
    relative = "dumps/openforum.nq.gz"
    expected, found = rdflib.Dataset(), rdflib.Dataset()
    expected.parse(data=gzip.decompress((built_site / relative).read_bytes()), format="nquads")
    found.parse(data=gzip.decompress((workbook_site / relative).read_bytes()), format="nquads")
    before, after = _graphs(expected), _graphs(found)
    assert sorted(before) == sorted(after)
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name
    talk = "id/talk/collective-intelligence-for-open-and-smart-governance.ttl"
    assert (workbook_site / talk).read_bytes() == (built_site / talk).read_bytes()


def test_workbook_yaml_and_trig_rows_refer_to_each_other_and_load_as_the_trig_forum(
    dataset: Dataset, settings: Settings, tmp_path: Path
) -> None:
    # People in a workbook; their posts, talks and the rest in YAML; one section's graph stays
    # TriG. Talks (YAML) name people (workbook), who hold posts (YAML).
    stays = "web-expert.trig"
    quads = [
        q
        for path in sorted((ROOT / "data").glob("*.trig"))
        if path.name != stays
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=LOCAL_BASE)
    ]
    sheets = quads_to_rows(load_mapping(), LOCAL_BASE, quads)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / stays, data / stays)
    write_workbook({"people": sheets.pop("people")}, data / "people.xlsx")
    (data / "forum.yaml").write_text(rows_to_yaml(sheets), encoding="utf-8")

    mixed = load_dataset(data, settings.ontology_dir, settings.base_uri, None, settings.sources_dir)
    assert sorted(mixed.data_graphs) == sorted(dataset.data_graphs)
    for graph in dataset.data_graphs:
        name = ox.NamedNode(graph)
        expected = set(dataset.store.oxigraph.quads_for_pattern(None, None, None, name))
        assert set(mixed.store.oxigraph.quads_for_pattern(None, None, None, name)) == expected, (
            graph
        )
    person = LOCAL_BASE + "id/person/lex-paulson"
    [(where, line, column)] = mixed.locate(person, None, "http://schema.org/jobTitle")[:1]
    assert where == WorkbookSheet(data / "people.xlsx", "people")
    assert column is not None and line >= 2
