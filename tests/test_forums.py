"""The shipped forum and a second forum published together: shared people and organizations
are one entity each, and every graph keeps its provenance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.load import load_dataset
from openforum_ld.validate import validate_dataset

from .forums import two_forums

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset
    from openforum_ld.validate import ValidationReport

SHARED = (
    "id/person/slobodan-milic",
    "id/organization/oecd",
    "id/organization/national-democratic-institute",
    "id/programme/open-government-partnership",
    "id/place/morocco",
)


def _forum_documents(dataset: Dataset, entity: str) -> set[str]:
    """The forums whose documents' graphs state something about `entity`."""
    rows = dataset.store.select(
        f"""SELECT DISTINCT ?forum WHERE {{
              GRAPH ?g {{ <{entity}> ?p ?o }}
              ?g prov:wasDerivedFrom ?document .
              ?document a ofo:SourceDocument ; schema:about ?forum .
            }}"""
    )
    return {row["forum"].value for row in rows}


def test_the_two_forums_conform(two_forums_dataset: Dataset, two_forums_settings: Settings) -> None:
    report = validate_dataset(two_forums_dataset, two_forums_settings.shapes_dir)
    assert report.conforms, report.to_text()
    assert report.results == []


def test_both_forums_are_in_the_dataset(two_forums_dataset: Dataset) -> None:
    rows = two_forums_dataset.store.select("SELECT ?f WHERE { ?f a ofo:Forum }")
    base = two_forums_dataset.iris.base
    assert {row["f"].value for row in rows} == {
        base + "id/forum/open-smart-regions-2020",
        base + "id/forum/open-local-exchange-2021",
    }


def test_what_both_forums_speak_of_is_one_entity(two_forums_dataset: Dataset) -> None:
    base = two_forums_dataset.iris.base
    forums = {base + "id/forum/open-smart-regions-2020", base + "id/forum/open-local-exchange-2021"}
    for entity in SHARED:
        assert _forum_documents(two_forums_dataset, base + entity) == forums, entity


def test_no_two_people_or_organizations_share_a_name(two_forums_dataset: Dataset) -> None:
    rows = two_forums_dataset.store.select(
        """SELECT ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
             { ?s a schema:Person } UNION { ?s a foaf:Organization } UNION { ?s a schema:Place }
             ?s skos:prefLabel ?label
           } GROUP BY ?label HAVING (COUNT(DISTINCT ?s) > 1)"""
    )
    assert [row["label"].value for row in rows] == []


def test_every_data_graph_has_its_provenance(two_forums_dataset: Dataset) -> None:
    """Each graph but the dataset's own (sources, editorial, mentions) derives from one section
    of one document."""
    base = two_forums_dataset.iris.base
    own = {base + "graph/" + name for name in ("sources", "editorial", "mentions")}
    graphs = set(two_forums_dataset.data_graphs) - own
    assert base + "graph/local-exchange-session-2" in graphs
    rows = two_forums_dataset.store.select(
        """SELECT ?g WHERE {
             ?g a ofo:SourcedGraph ; prov:wasDerivedFrom ?section, ?document .
             ?section a ofo:SourceSection ; schema:isPartOf ?document .
             ?document a ofo:SourceDocument ; schema:about ?forum . ?forum a ofo:Forum .
           }"""
    )
    assert graphs == {row["g"].value for row in rows}


def _validate_with_honorific(
    tmp_path: Path, settings: Settings, file: str, honorific: str
) -> ValidationReport:
    """Both forums, with Slobodan Milic's honorific in `file` of the data changed to
    `honorific`."""
    data, _sources = two_forums(tmp_path)
    path = data / file
    text = path.read_text(encoding="utf-8")
    before = (
        "person:slobodan-milic a schema:Person, foaf:Person ;\n"
        '        skos:prefLabel "Slobodan Milic"@en ;\n'
        '        schema:name "Slobodan Milic"@en ;\n'
        '        foaf:name "Slobodan Milic"@en ;\n'
        '        schema:honorificPrefix "Mr."@en ;'
    )
    assert before in text
    path.write_text(text.replace(before, before.replace('"Mr."', f'"{honorific}"')), "utf-8")
    dataset = load_dataset(data, settings.ontology_dir, settings.base_uri)
    return validate_dataset(dataset, settings.shapes_dir)


def test_a_person_may_have_another_honorific_at_another_forum(
    tmp_path: Path, settings: Settings
) -> None:
    report = _validate_with_honorific(tmp_path, settings, "local-exchange-session-2.trig", "Dr.")
    assert report.conforms, report.to_text()


def test_a_person_has_one_honorific_at_one_forum(tmp_path: Path, settings: Settings) -> None:
    report = _validate_with_honorific(tmp_path, settings, "web-agenda-2.trig", "Dr.")
    [violation] = report.violations
    assert violation.focus.endswith("id/person/slobodan-milic")
    assert "two honorifics" in violation.message
    assert "open-smart-regions-2020" in violation.message
