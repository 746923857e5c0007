"""Mistakes typed in a workbook are reported at their cell (the workbook, the sheet, the cell),
before SHACL and all at once, and nothing is published; SHACL results point at the cell where
the value was typed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import openpyxl
import pytest

from openforum_ld.cli import main

from ..conftest import LOCAL_BASE
from .workbook_cells import at, find_cell

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner

    from openforum_ld.config import Settings


def test_a_bad_date_an_unknown_id_and_a_row_twice_are_reported_at_their_cells_and_nothing_is_built(
    runner: CliRunner, workbook_copy: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(workbook_copy)
    date = find_cell(book, "forums", "startDate")
    date.value = "2020-11-31"
    performer = find_cell(book, "talks", "performer")
    known = str(performer.value)
    performer.value = known + "x"
    talks = book["talks"]
    # The third row says again what the second says of the same talk, from the same source.
    talks["A3"], talks["B3"] = talks["A2"].value, talks["B2"].value
    book.save(workbook_copy)

    out = tmp_path / "site"
    result = runner.invoke(
        main,
        ["build", "--data", str(workbook_copy.parent), "--out", str(out), "--base-uri", LOCAL_BASE],
    )
    assert result.exit_code == 2, result.output
    expected = [
        f"{at(workbook_copy, 'forums', date.coordinate)}: '2020-11-31' is not a date (YYYY-MM-DD)",
        f"{at(workbook_copy, 'talks', performer.coordinate)}: no person with id '{known}x' "
        f"(did you mean {known}",
        f"{at(workbook_copy, 'talks', 'A3')}: {talks['A2'].value} is stated twice for source "
        f"{talks['B2'].value} (first at row 2); merge the two rows",
    ]
    for line in expected:
        assert line in result.output
    assert not out.exists()


def test_a_shacl_violation_points_at_the_cell_where_the_value_was_typed(
    runner: CliRunner, workbook_copy: Path
) -> None:
    book = openpyxl.load_workbook(workbook_copy)
    organization = book["organizations"]["A2"].value
    moderator = find_cell(book, "forums", "moderator")
    moderator.value = f"organization:{organization}"  # the moderator must be a person
    book.save(workbook_copy)

    result = runner.invoke(main, ["validate", "--data", str(workbook_copy.parent)])
    assert result.exit_code == 1, result.output
    where = at(workbook_copy, "forums", moderator.coordinate)
    assert f"{where}: Violation: <id/forum/" in result.output
    [line] = [ln for ln in result.output.splitlines() if ln.startswith(where)]
    assert line.endswith("ofo:moderator"), line

    as_json = runner.invoke(
        main, ["validate", "--data", str(workbook_copy.parent), "--format", "json"]
    )
    assert as_json.exit_code == 1
    [violation] = [
        r
        for r in json.loads(as_json.output)["results"]
        if r["severity"] == "Violation" and (r["path"] or "").endswith("#moderator")
    ]
    assert violation["locations"][0] == {
        "file": str(workbook_copy),
        "line": moderator.row,
        "column": moderator.column,
        "sheet": "forums",
        "cell": moderator.coordinate,
    }


def test_a_file_that_is_not_a_workbook_is_reported_by_name_without_a_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "forum.xlsx").write_text("id,source\n", encoding="utf-8")
    # A spreadsheet program's owner file beside an open workbook is no data.
    (data / "~$forum.xlsx").write_bytes(b"\x00owner")
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {data / 'forum.xlsx'}: not a workbook that can be read"
    )
    assert "Traceback" not in result.output


def test_serve_checks_a_workbook_before_it_builds(workbook_copy: Path, settings: Settings) -> None:
    from openforum_ld.load import check_sources
    from openforum_ld.mapping.to_rdf import CellCheckError

    data = workbook_copy.parent
    check_sources(data, settings.ontology_dir, settings.base_uri, settings.sources_dir)
    book = openpyxl.load_workbook(workbook_copy)
    affiliation = find_cell(book, "people", "affiliation")
    affiliation.value = f"organisation:{str(affiliation.value).partition(':')[2]}"
    book.save(workbook_copy)
    with pytest.raises(CellCheckError) as raised:
        check_sources(data, settings.ontology_dir, settings.base_uri, settings.sources_dir)
    assert raised.value.path == workbook_copy
    assert str(raised.value).startswith(
        f"{at(workbook_copy, 'people', affiliation.coordinate)}: unknown prefix 'organisation' "
        "(did you mean organization?)"
    )


def test_a_near_name_in_a_workbook_is_located_at_its_row(
    runner: CliRunner, workbook_copy: Path
) -> None:
    book = openpyxl.load_workbook(workbook_copy)
    people = book["people"]
    header = [c.value for c in people[1]]
    source = people["B2"].value
    known = str(people.cell(2, header.index("prefLabel@en") + 1).value)
    slip = known[:-1] + ("x" if known[-1] != "x" else "y")
    row = people.max_row + 1
    people.cell(row, 1, "someone-new")
    people.cell(row, 2, source)
    people.cell(row, header.index("prefLabel@en") + 1, slip)
    book.save(workbook_copy)

    result = runner.invoke(
        main,
        [
            "validate",
            "--data",
            str(workbook_copy.parent),
            "--base-uri",
            LOCAL_BASE,
            "--format",
            "json",
        ],
    )
    nears = [
        n
        for n in json.loads(result.stdout)["near_names"]
        if {e["label"] for e in n["entities"]} == {known, slip}
    ]
    assert len(nears) == 1, result.stdout
    [new] = [e for e in nears[0]["entities"] if e["label"] == slip]
    assert new == {
        "iri": LOCAL_BASE + "id/person/someone-new",
        "label": slip,
        "file": str(workbook_copy),
        "line": row,
        "sheet": "people",
        "cell": f"A{row}",
    }
