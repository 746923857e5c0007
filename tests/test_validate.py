from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from rdflib.namespace import RDF, SH

from openforum_ld.validate import ValidationReport, load_shapes, validate_dataset

from .conftest import ROOT, TEST_DATA
from .invalid_cases import InvalidCase, invalid_cases, load_broken

if TYPE_CHECKING:
    from openforum_ld.load import Dataset

SHAPES = "https://w3id.org/openforum/shapes#"
CASES = invalid_cases()


def test_the_forum_data_conforms(report: ValidationReport) -> None:
    assert report.conforms, report.to_text()
    assert report.results == []


def test_the_report_counts_what_it_checked(report: ValidationReport) -> None:
    stats = report.stats
    assert stats["files"] == len(list((ROOT / "data").glob("*.trig"))) + 1  # and the ontology
    assert stats["entities"] >= 217
    assert stats["triples"] > 2000
    assert stats["shapes"] == len(
        set(load_shapes(ROOT / "shapes").subjects(RDF.type, SH.NodeShape))
    )
    assert report.summary_line().startswith("Valid ")


def test_the_small_valid_dataset_conforms(settings) -> None:
    from openforum_ld.load import load_dataset

    valid = load_dataset(TEST_DATA / "valid", settings.ontology_dir, settings.base_uri)
    assert validate_dataset(valid, settings.shapes_dir).conforms


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_invalid_case_violates_its_shape(case: InvalidCase, settings) -> None:
    report = validate_dataset(load_broken(case, settings), settings.shapes_dir)
    assert not report.conforms, f"{case.name} should not conform"
    shapes = {r.node_shape for r in report.violations}
    assert SHAPES + case.shape in shapes, report.to_text()
    if case.message:
        messages = [r.message for r in report.violations if r.node_shape == SHAPES + case.shape]
        assert any(case.message in m for m in messages), messages


def test_every_shape_has_a_case_that_violates_it() -> None:
    shapes = load_shapes(ROOT / "shapes")
    names = {str(s).removeprefix(SHAPES) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {case.shape for case in CASES}
    assert names - covered == set(), f"shapes with no invalid case: {sorted(names - covered)}"


def test_every_shape_says_what_it_checks() -> None:
    shapes = load_shapes(ROOT / "shapes")
    from rdflib.namespace import RDFS

    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label), shape
        assert shapes.value(shape, RDFS.comment), shape


def test_every_property_shape_has_a_name_and_description_in_english_and_french() -> None:
    # They become the column help of the workbook, in the reader's language.
    shapes = load_shapes(ROOT / "shapes")
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(property_shapes) >= 100
    for shape in property_shapes:
        for predicate in (SH.name, SH.description):
            texts = list(shapes.objects(shape, predicate))
            by_language = Counter(getattr(text, "language", None) for text in texts)
            assert by_language == Counter({"en": 1, "fr": 1}), (shape, predicate, texts)
            assert all(str(text).strip() for text in texts), (shape, predicate, texts)


def test_plain_pyshacl_with_the_shipped_shapes_finds_no_violation_in_the_forum(
    dataset: Dataset,
) -> None:
    # The names, descriptions and language marks are annotations: the shapes stay standard SHACL
    # for any processor, and the forum conforms to them as written (SHACL-SPARQL included, except
    # the one constraint that reads the named graphs).
    import pyshacl

    from openforum_ld.rdf.convert import rdflib_graph

    from .conftest import without_named_graph_constraints

    with dataset.store.set_aside() as default_graph:
        data = rdflib_graph(default_graph)
    shapes = without_named_graph_constraints(load_shapes(ROOT / "shapes"))
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, allow_warnings=True
    )
    assert conforms, text


def test_invalid_case_names_are_unique_and_descriptive() -> None:
    counts = Counter(case.name for case in CASES)
    assert max(counts.values()) == 1
    assert all("-" in case.name for case in CASES)


def test_a_violation_names_focus_path_message_file_and_line(settings, data_copy) -> None:
    from openforum_ld.load import load_dataset

    path = data_copy / "report-vii.trig"
    text = path.read_text(encoding="utf-8")
    assert "ofo:commitmentCount 10 ;" in text
    path.write_text(
        text.replace("ofo:commitmentCount 10 ;", 'ofo:commitmentCount "ten" ;'), encoding="utf-8"
    )
    report = validate_dataset(
        load_dataset(data_copy, settings.ontology_dir, settings.base_uri), settings.shapes_dir
    )
    assert not report.conforms
    focus = f"{settings.base_uri}id/action-plan/tangier-tetouan-al-hoceima-2020-2022"
    line = next(
        n
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("plan:tangier-tetouan-al-hoceima-2020-2022")
    )
    for result in report.violations:
        assert result.focus == focus
        assert result.path == "https://w3id.org/openforum/ontology#commitmentCount"
        assert result.locations[0] == (path, line, None)
        assert result.value == '"ten"'
    text_report = report.to_text()
    assert text_report.count("Violation:") == 1, "the same finding is printed once"
    assert (
        f"{path}:{line}: Violation: <id/action-plan/tangier-tetouan-al-hoceima-2020-2022> ofo:commitmentCount"
        in text_report
    )
    assert "ofo:commitmentCount: at most one, a non-negative integer" in text_report


@pytest.mark.parametrize(
    "name", ["agenda-orders-with-a-gap", "text-with-run-of-spaces", "entity-not-from-any-source"]
)
def test_one_thread_and_several_give_the_same_report(name: str, settings) -> None:
    """The checks run in threads; the report is the same results, in the same order, with the
    same locations, as checking one query at a time."""
    case = next(c for c in CASES if c.name == name)
    dataset = load_broken(case, settings)
    reports = [
        json.loads(validate_dataset(dataset, settings.shapes_dir, threads=n).to_json())
        for n in (1, 4)
    ]
    for report in reports:
        del report["stats"]  # its time
    assert reports[0]["results"], "the case gives results to compare"
    assert reports[0] == reports[1]
