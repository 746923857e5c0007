"""A new name close to an existing one warns, naming both entities and where each is written;
variants of one entity and entities declared distinct do not."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from openforum_ld.cli import main
from openforum_ld.validate.near_names import fold, near_names, one_slip, words_alike

from ..forums import two_forums

if TYPE_CHECKING:
    from pathlib import Path

    import pytest
    from click.testing import CliRunner

    from openforum_ld.load import Dataset
    from openforum_ld.validate import ValidationReport

OECD_COPY = "organisation-for-economic-co-operation-and-development"


def _first_typed(data: Path, subject: str) -> str:
    """FILE:LINE of the first line, in the data files in order, that gives `subject` a type."""
    for path in sorted(data.glob("*.trig")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, text in enumerate(lines, 1):
            if text.strip().startswith(f"{subject} a "):
                return f"{path}:{number}"
    raise AssertionError(f"{subject} is typed nowhere")


def _seed_a_second_oecd(data: Path) -> Path:
    """In the second forum, its analyst's organization entered again under a new id with the
    British spelling of the name; the file it is written in."""
    path = data / "local-exchange-session-1.trig"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "schema:affiliation organization:oecd .",
        f"schema:affiliation organization:{OECD_COPY} .",
    ).replace(
        "    organization:oecd a schema:Organization",
        f"""    organization:{OECD_COPY} a schema:Organization, foaf:Organization,
            org:FormalOrganization ;
        skos:prefLabel "Organisation for Economic Co-operation and Development"@en ;
        schema:name "Organisation for Economic Co-operation and Development"@en .

    organization:oecd a schema:Organization""",
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_folding_sets_aside_case_accents_and_punctuation() -> None:
    assert fold("Tétouan-Al  Hoceïma") == fold("tetouan al hoceima") == "tetouan al hoceima"
    assert fold("Co-operation") == "co operation"


def test_names_of_as_many_words_must_be_alike_word_by_word() -> None:
    assert words_alike(fold("Alice Jabri"), fold("Alice Sabri"))  # one slip
    assert not words_alike(fold("Amina Cherkaoui"), fold("Lamia Cherkaoui"))  # two people
    assert words_alike(fold("Cooperation"), fold("Co-operation"))  # judged as wholes


def test_a_slip_is_one_letter_wrong_missing_added_or_swapped() -> None:
    assert one_slip("jabri", "sabri") and one_slip("ana", "anas") and one_slip("anas", "ana")
    assert one_slip("netwrok", "network")
    assert not one_slip("amina", "lamia")
    assert not one_slip("network", "network")


def test_the_shipped_forum_has_no_near_names(report: ValidationReport) -> None:
    assert report.near_names == []
    assert "Warning" not in report.to_text()


def test_the_two_forums_have_no_near_names(two_forums_dataset: Dataset) -> None:
    assert near_names(two_forums_dataset) == []


def test_a_seeded_copy_in_the_second_forum_warns_with_both_places(
    runner: CliRunner, tmp_path: Path
) -> None:
    data, _sources = two_forums(tmp_path)
    seeded = _seed_a_second_oecd(data)
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output  # a warning, not a violation
    first = _first_typed(data, "organization:oecd")
    second = _first_typed(data, f"organization:{OECD_COPY}")
    assert second.startswith(str(seeded))
    assert (
        f"{first}: Warning: <id/organization/oecd> 'Organization for Economic Cooperation and "
        f"Development' is close to <id/organization/{OECD_COPY}> 'Organisation for Economic "
        "Co-operation and Development'"
    ) in result.stdout
    assert f"<id/organization/{OECD_COPY}> is at {second}" in result.stdout

    result = runner.invoke(main, ["validate", "--data", str(data), "--format", "json"])
    [near] = json.loads(result.stdout)["near_names"]
    assert near["kind"] == "organization"
    assert [e["iri"].rsplit("/", 1)[1] for e in near["entities"]] == ["oecd", OECD_COPY]
    assert near["entities"][1]["line"] == int(second.rsplit(":", 1)[1])


def test_entities_declared_distinct_do_not_warn_and_would_otherwise(
    runner: CliRunner, data_copy: Path
) -> None:
    """The shipped forum's Open Parliament Network and Open Parliament e-Network differ by two
    letters; the editors say they differ (owl:differentFrom)."""
    editorial = data_copy / "editorial.trig"
    text = editorial.read_text(encoding="utf-8")
    declared = "owl:differentFrom programme:open-parliament-e-network"
    assert declared in text
    editorial.write_text(text.replace(f" ;\n        {declared} .", " ."), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stdout.splitlines() if ": Warning: " in line]
    assert len(warnings) == 1
    assert "<id/programme/open-parliament-e-network>" in warnings[0]
    assert "<id/programme/open-parliament-network>" in warnings[0]


def test_build_warns_of_a_near_name_and_still_publishes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, sources = two_forums(tmp_path)
    _seed_a_second_oecd(data)
    monkeypatch.setenv("OPENFORUM_LD_SOURCES_DIR", str(sources))
    site = tmp_path / "site"
    result = runner.invoke(main, ["build", "--data", str(data), "--out", str(site), "--quiet"])
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if ": Warning: " in line]
    assert f"is close to <id/organization/{OECD_COPY}>" in warning
    assert (site / "index.html").exists()
