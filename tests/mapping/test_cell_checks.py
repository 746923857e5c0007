"""Mistakes typed in YAML sheets are reported at their line and column, before SHACL, and nothing
is published. Each case seeds one mistake into the shipped forum converted to YAML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from openforum_ld.cli import main

from ..conftest import LOCAL_BASE

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner


@dataclass(frozen=True)
class Seeded:
    """One mistake: in `file`, `old` becomes `new`; the error is at `at` (the first occurrence
    of it in the new text, at or after the change) and says `says`."""

    name: str
    file: str
    old: str
    new: str
    at: str
    says: str


CASES = [
    Seeded(
        "date",
        "forums.yaml",
        "startDate: '2020-11-20'",
        "startDate: '2020-11-31'",
        "'2020-11-31'",
        "is not a date (YYYY-MM-DD)",
    ),
    Seeded(
        "integer",
        "talks.yaml",
        "agendaOrder: '1'",
        "agendaOrder: first",
        "first",
        "'first' is not a whole number",
    ),
    Seeded(
        "year", "action-plans.yaml", "startDate: '2018'", "startDate: '18'", "'18'", "is not a year"
    ),
    Seeded(
        "reference",
        "talks.yaml",
        "performer: lex-paulson",
        "performer: lex-paulsen",
        "lex-paulsen",
        "no person with id 'lex-paulsen' (did you mean lex-paulson?)",
    ),
    Seeded(
        "reference-of-several-kinds",
        "talks.yaml",
        "  - topic:smart-governance",
        "  - smart-governanse",
        "smart-governanse",
        "no action-plan, event, organization, place, programme, strategy or topic with id "
        "'smart-governanse' (did you mean smart-governance",
    ),
    Seeded(
        "language-value",
        "documents.yaml",
        "inLanguage: en",
        "inLanguage: English!",
        "English!",
        "is not a language tag",
    ),
    Seeded(
        "language-key",
        "talks.yaml",
        "name@en:",
        "name@en_GB:",
        "name@en_GB",
        "'en_GB' is not a language tag",
    ),
    Seeded(
        "unknown-column",
        "people.yaml",
        "jobTitle@en:",
        "jobTitel@en:",
        "jobTitel@en",
        "unknown column 'jobTitel@en'",
    ),
    Seeded(
        "unknown-source",
        "talks.yaml",
        "source: web-agenda-4",
        "source: web-agenda-44",
        "web-agenda-44",
        "source 'web-agenda-44' is not a graph the data describes",
    ),
    Seeded(
        "fixed-value",
        "people.yaml",
        "honorificPrefix@en: Mr.",
        "honorificPrefix@en: Mister",
        "Mister",
        "'Mister' is not one of Mr., Ms., Mrs., Dr., Prof.",
    ),
    Seeded(
        "line-range",
        "sections.yaml",
        "lastLine: '14'",
        "lastLine: '9999'",
        "'9999'",
        "lastLine 9999 is outside forum-report.txt",
    ),
]


def _seed(directory: Path, case: Seeded) -> tuple[Path, int, int]:
    path = directory / case.file
    text = path.read_text(encoding="utf-8")
    start = text.index(case.old)
    text = text[:start] + case.new + text[start + len(case.old) :]
    path.write_text(text, encoding="utf-8")
    offset = text.index(case.at, start)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return path, line, column


def _sheet(file: str) -> str:
    return file.removesuffix(".yaml")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_seeded_mistake_is_reported_at_its_line_and_column(
    runner: CliRunner, yaml_copy: Path, case: Seeded
) -> None:
    path, line, column = _seed(yaml_copy, case)
    result = runner.invoke(main, ["validate", "--data", str(yaml_copy)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}:{column}: {_sheet(case.file)}: " in result.output
    assert case.says in result.output
    assert "Traceback" not in result.output


def test_a_row_without_a_source_and_a_row_stated_twice_are_reported(
    runner: CliRunner, yaml_copy: Path
) -> None:
    path = yaml_copy / "people.yaml"
    text = path.read_text(encoding="utf-8")
    first_row = text[text.index("- id:") : text.index("- id:", text.index("- id:") + 1)]
    added = "- id: somebody-new\n  name@en: Somebody New\n"
    path.write_text(text + added + first_row, encoding="utf-8")
    lines = len(text.splitlines())
    result = runner.invoke(main, ["validate", "--data", str(yaml_copy)])
    assert result.exit_code == 2
    assert f"{path}:{lines + 1}:3: people: somebody-new: a row without a source" in result.output
    assert f"{path}:{lines + 3}:7: people: " in result.output
    assert "is stated twice for source" in result.output
    assert "2 errors in the data" in result.output


def test_every_mistake_is_reported_at_once_and_the_build_publishes_nothing(
    runner: CliRunner, yaml_copy: Path, tmp_path: Path
) -> None:
    places = [_seed(yaml_copy, case) for case in CASES if case.file != "talks.yaml"]
    out = tmp_path / "site"
    result = runner.invoke(
        main, ["build", "--data", str(yaml_copy), "--out", str(out), "--base-uri", LOCAL_BASE]
    )
    assert result.exit_code == 2
    for path, line, column in places:
        assert f"{path}:{line}:{column}: " in result.output
    assert not out.exists()


def test_a_yaml_syntax_error_and_an_unknown_sheet_are_reported_where_they_are(
    runner: CliRunner, yaml_copy: Path
) -> None:
    broken = yaml_copy / "agenda.yaml"
    broken.write_text("talks:\n- id: x\n  source: [web-agenda-1\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(yaml_copy)])
    assert result.exit_code == 2
    assert f"{broken}:4:1: YAML syntax error: " in result.output

    broken.write_text("talkz:\n- id: x\n  source: editorial\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(yaml_copy)])
    assert result.exit_code == 2
    assert f"{broken}:2:3: talkz: unknown sheet (did you mean talks?)" in result.output
