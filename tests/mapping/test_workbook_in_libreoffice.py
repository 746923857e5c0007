"""The workbook `init` writes, opened and saved again by a real spreadsheet program (LibreOffice
Calc, headless): it is read back to the same statements, keeps its help and drop-downs, and the
drop-downs' formulas give the ids the sheets hold."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

import openpyxl
import pytest

from openforum_ld.mapping.column_help import read_column_help
from openforum_ld.mapping.sheets import load_mapping
from openforum_ld.mapping.workbook_rows import read_workbook
from openforum_ld.mapping.workbook_write import write_workbook
from openforum_ld.scaffold import example_rows

from ..conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/test installs it"
)


def _open_and_save(workbook: Path, out: Path) -> Path:
    """What a person's spreadsheet program does with the workbook: read it, save it as .xlsx."""
    assert SOFFICE is not None
    profile = out / "profile"  # a profile of its own, so parallel runs do not share a lock
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / workbook.name


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The blank project workbook as written, and as LibreOffice saved it."""
    folder = tmp_path_factory.mktemp("libreoffice")
    written = folder / "written" / "forum.xlsx"
    write_workbook(
        example_rows(("en", "fr"), 15),
        written,
        ("en", "fr"),
        all_sheets=True,
        column_help=read_column_help(ROOT / "shapes"),
    )
    return written, _open_and_save(written, folder / "saved")


def _rows(path: Path) -> list[tuple[str, int, int, str, list[str]]]:
    rows, problems = read_workbook(path, path.read_bytes(), load_mapping())
    assert problems == []
    return sorted(
        (row.sheet, row.line, cell.column, cell.key, [v.text for v in cell.values])
        for row in rows
        for cell in row.cells.values()
    )


def test_the_saved_workbook_reads_back_to_the_same_rows_and_values(
    saved: tuple[Path, Path],
) -> None:
    written, resaved = saved
    assert _rows(resaved) == _rows(written)


def test_the_saved_workbook_keeps_the_help_and_the_drop_downs(saved: tuple[Path, Path]) -> None:
    written, resaved = saved
    before, after = openpyxl.load_workbook(written), openpyxl.load_workbook(resaved)
    for name in ("talks", "people", "sessions"):
        headers = {c.value: c for c in before[name][1]}
        for cell in after[name][1]:
            if headers[cell.value].comment is not None:
                assert cell.comment is not None, (name, cell.value)
                assert cell.comment.text.strip() == headers[cell.value].comment.text.strip()
        lists = [v for v in after[name].data_validations.dataValidation if v.type == "list"]
        assert lists, name
    assert after["lists"].sheet_state == "hidden"


def test_a_drop_down_of_several_kinds_lists_the_ids_each_sheet_holds(
    saved: tuple[Path, Path],
) -> None:
    _written, resaved = saved
    mapping = load_mapping()
    book = openpyxl.load_workbook(resaved, data_only=True)  # the values LibreOffice computed
    column = mapping.by_name["sessions"].by_property[mapping.expand("about") or ""]
    name = " ".join(column.to)
    [offered] = [
        {str(v) for v in values[1:] if v}
        for values in book["lists"].iter_cols(values_only=True)
        if values[0] == name
    ]
    expected = {
        str(row[0].value)
        for kind in column.to
        for row in book[mapping.by_kind[kind].name].iter_rows(min_row=2)
        if row[0].value
    }
    assert expected
    assert offered == expected
