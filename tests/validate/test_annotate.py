"""Mistakes seeded in the forum's workbook: each reported at its cell, in text and JSON, and
marked on that cell of the annotated copy; nothing is built."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import openpyxl
import pytest
from openpyxl.utils.cell import get_column_letter

from openforum_ld.cli import main

from ..conftest import LOCAL_BASE
from ..mapping.workbook_cells import at, find_cell

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner, Result


def _validate(runner: CliRunner, data: Path, annotated: Path, *options: str) -> Result:
    """`validate` on a data directory under the test base, annotating into `annotated`."""
    arguments = ["validate", "--data", str(data), "--base-uri", LOCAL_BASE]
    return runner.invoke(main, [*arguments, *options, "--annotate", str(annotated)])


def _seed_mistakes(workbook: Path) -> dict[tuple[str, str], str]:
    """Type a mistake of each kind into the workbook; (sheet, cell) -> words of its message."""
    book = openpyxl.load_workbook(workbook)
    seeded: dict[tuple[str, str], str] = {}

    def put(sheet: str, key: str, value: str, words: str) -> None:
        cell = find_cell(book, sheet, key)
        cell.value = value
        seeded[(sheet, cell.coordinate)] = words

    put("forums", "startDate", "2020-11-31", "'2020-11-31' is not a date (YYYY-MM-DD)")
    put("events", "startDate", "twenty", "'twenty' is not a year")
    put("sections", "position", "first", "'first' is not a whole number")
    put("places", "owl:sameAs", "wikidata Q1028", "'wikidata Q1028' is not an absolute IRI")
    put("documents", "inLanguage", "en_GB", "'en_GB' is not a language tag")
    put("people", "honorificPrefix@en", "Mister", "'Mister' is not one of Mr., Ms., Mrs., Dr.")
    put("sections", "lastLine", "99999", "lastLine 99999 is outside")
    talk = find_cell(book, "talks", "performer")
    known = str(talk.value)
    put("talks", "performer", known + "x", f"no person with id '{known}x' (did you mean {known}")
    # A row said twice for one source: the second is the mistake.
    topics = book["topics"]
    row = topics.max_row + 1
    topics.cell(row, 1, topics["A2"].value)
    topics.cell(row, 2, topics["B2"].value)
    seeded[("topics", f"A{row}")] = f"is stated twice for source {topics['B2'].value}"
    # A row that does not say which section states it.
    organizations = book["organizations"]
    row = organizations.max_row + 1
    organizations.cell(row, 1, "an-organization-from-nowhere")
    seeded[("organizations", f"A{row}")] = "a row without a source"
    # A column no term of the context names.
    strategies = book["strategies"]
    column = strategies.max_column + 1
    strategies.cell(1, column, "nmae@en")
    strategies.cell(2, column, "A strategy")
    seeded[("strategies", strategies.cell(1, column).coordinate)] = "unknown column 'nmae@en'"
    book.save(workbook)
    return seeded


def test_eleven_kinds_of_mistakes_are_each_reported_at_their_cell_and_marked_on_a_copy(
    runner: CliRunner, workbook_copy: Path, tmp_path: Path
) -> None:
    seeded = _seed_mistakes(workbook_copy)
    annotated = tmp_path / "checked.xlsx"
    site = tmp_path / "site"

    built = runner.invoke(
        main,
        [
            "build",
            "--data",
            str(workbook_copy.parent),
            "--out",
            str(site),
            "--base-uri",
            LOCAL_BASE,
        ],
    )
    assert built.exit_code == 2, built.output
    assert not site.exists()
    error_lines = built.output.splitlines()
    for (sheet, cell), words in seeded.items():
        where = at(workbook_copy, sheet, cell)
        assert any(line.startswith(f"{where}: ") and words in line for line in error_lines), (
            where,
            words,
            built.output,
        )

    checked = _validate(runner, workbook_copy.parent, annotated, "--format", "json")
    assert checked.exit_code == 2
    report = json.loads(checked.stdout)
    assert report["conforms"] is False
    assert {(e["sheet"], e["cell"]) for e in report["errors"]} == set(seeded)
    assert all(e["file"] == str(workbook_copy) for e in report["errors"])

    book = openpyxl.load_workbook(annotated)
    commented = {
        (sheet.title, cell.coordinate): cell.comment.text
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=1)
        for cell in row
        if cell.comment is not None and cell.comment.author == "openforum-ld validate"
    }
    assert set(commented) == set(seeded)
    for place, words in seeded.items():
        assert words in commented[place]
    # The data itself is left as it was typed.
    original = openpyxl.load_workbook(workbook_copy)
    assert all(
        original[sheet][cell].comment is None
        or "openforum-ld" not in original[sheet][cell].comment.author
        for sheet, cell in seeded
    )


def test_a_shapes_result_is_marked_on_the_cell_of_its_value_and_an_id_of_another_kind_is_left_to_the_shapes(
    runner: CliRunner, workbook_copy: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(workbook_copy)
    organization = str(book["organizations"]["A2"].value)
    performer = find_cell(book, "talks", "performer")
    # An organization's id where the column usually takes a person's: the cell checks find the
    # organization, and the shapes say a talk's speaker is a person.
    performer.value = organization
    book.save(workbook_copy)
    annotated = tmp_path / "checked.xlsx"

    result = _validate(runner, workbook_copy.parent, annotated)
    assert result.exit_code == 1, result.output
    where = at(workbook_copy, "talks", performer.coordinate)
    assert f"{where}: Violation:" in result.output
    cell = openpyxl.load_workbook(annotated)["talks"][performer.coordinate]
    assert cell.comment is not None
    assert cell.comment.text.startswith("Violation: ")
    assert f"id/organization/{organization}" in cell.comment.text


def test_a_valid_workbook_gets_a_clean_copy_and_data_without_a_workbook_cannot_be_annotated(
    runner: CliRunner, workbook_copy: Path, tmp_path: Path
) -> None:
    annotated = tmp_path / "checked.xlsx"
    result = _validate(runner, workbook_copy.parent, annotated)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(annotated)
    assert not any(
        cell.comment is not None and cell.comment.author == "openforum-ld validate"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    )

    result = _validate(runner, workbook_copy.parent, workbook_copy)
    assert result.exit_code == 2
    assert "would overwrite the workbook itself" in result.output

    empty = tmp_path / "yaml-only"
    empty.mkdir()
    (empty / "forum.yaml").write_text("", encoding="utf-8")
    result = _validate(runner, empty, tmp_path / "x.xlsx")
    assert result.exit_code == 2
    assert "needs a workbook (.xlsx) in the data" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("target", ["checked.xlsx", "copies"])
def test_several_workbooks_are_annotated_into_a_directory(
    runner: CliRunner, workbook_copy: Path, tmp_path: Path, target: str
) -> None:
    book = openpyxl.load_workbook(workbook_copy)
    people = book["people"]
    del book["people"]
    extra = openpyxl.Workbook()
    moved = extra.active
    assert moved is not None
    moved.title = "people"
    for row in people.iter_rows(values_only=True):
        moved.append(row)
    book.save(workbook_copy)
    extra.save(workbook_copy.parent / "people.xlsx")

    result = _validate(runner, workbook_copy.parent, tmp_path / target)
    if target.endswith(".xlsx"):
        assert result.exit_code == 2
        assert "has 2 workbooks: give a directory" in result.output
        assert not (tmp_path / target).exists()
    else:
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (tmp_path / target).iterdir()) == [
            "forum.xlsx",
            "people.xlsx",
        ]


def test_a_value_the_shapes_miss_is_marked_on_the_empty_cell_of_its_column(
    runner: CliRunner, workbook_copy: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(workbook_copy)
    talks = book["talks"]
    header = [c.value for c in talks[1]]
    performers = [n for n, key in enumerate(header, start=1) if key == "performer"]
    talk = find_cell(book, "talks", "performer").row
    talk_id = talks.cell(talk, 1).value
    # Every row of the talk loses its speakers.
    rows = [r for r in range(2, talks.max_row + 1) if talks.cell(r, 1).value == talk_id]
    for row in rows:
        for column in performers:
            talks.cell(row, column).value = None
    book.save(workbook_copy)
    annotated = tmp_path / "checked.xlsx"

    result = _validate(runner, workbook_copy.parent, annotated)
    assert result.exit_code == 1, result.output
    empty = [f"{get_column_letter(performers[0])}{row}" for row in rows]
    first = at(workbook_copy, "talks", empty[0])
    assert f"{first}: Violation: <id/talk/{talk_id}> schema:performer" in result.output
    marked = openpyxl.load_workbook(annotated)["talks"]
    for cell in empty:
        assert marked[cell].comment is not None, cell
        assert "speaker" in marked[cell].comment.text
