"""The report: text for people, JSON for scripts, and the exit codes of `openforum-ld check`."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from openforum_ld.check import CheckReport, CheckResult, Outcome, all_probes
from openforum_ld.cli import main

from ..conftest import ROOT
from ..servers import free_port
from .tiny import tiny_deployment

if TYPE_CHECKING:
    from click.testing import CliRunner


def _report() -> CheckReport:
    return CheckReport(
        "http://example.org/",
        "2026-01-01T00:00:00+00:00",
        [
            CheckResult("void.reachable", "void", "VoID answers", Outcome.PASS, "GET ... -> 200"),
            CheckResult(
                "dumps.size", "dumps", "Sizes match", Outcome.FAIL, "GET a -> 200: 3 bytes\nmore"
            ),
            CheckResult("links.rdf", "links", "Links resolve", Outcome.SKIP, "no sample entity"),
        ],
        {"void": "http://example.org/.well-known/void", "sparql": None, "dumps": ["a", "b"]},
        seconds=1.25,
        requests=7,
    )


def test_report_text_groups_checks_and_details_failures() -> None:
    assert _report().to_text() == "\n".join(
        [
            "Checking http://example.org/",
            "  void: http://example.org/.well-known/void",
            "  sparql: none found",
            "  dumps: 2 (a, ...)",
            "",
            "void",
            "  PASS  void.reachable  VoID answers",
            "",
            "dumps",
            "  FAIL  dumps.size      Sizes match",
            "        GET a -> 200: 3 bytes",
            "        more",
            "",
            "links",
            "  SKIP  links.rdf       Links resolve",
            "        skipped: no sample entity",
            "",
            "3 checks: 1 passed, 1 failed, 1 skipped (7 requests, 1.2 s)",
        ]
    )


def test_report_json_is_a_stable_structure() -> None:
    found = json.loads(_report().to_json())
    assert list(found) == [
        "url",
        "started",
        "seconds",
        "requests",
        "ok",
        "summary",
        "discovered",
        "checks",
    ]
    assert found["ok"] is False
    assert found["summary"] == {"pass": 1, "fail": 1, "skip": 1, "total": 3}
    assert found["checks"][1] == {
        "id": "dumps.size",
        "group": "dumps",
        "title": "Sizes match",
        "outcome": "fail",
        "detail": "GET a -> 200: 3 bytes\nmore",
    }


def test_check_command_prints_text_and_exits_0_when_nothing_fails(runner: CliRunner) -> None:
    with tiny_deployment() as url:
        result = runner.invoke(main, ["check", url])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Checking {url}"
    assert f"  sparql: {url}sparql" in lines
    assert re.fullmatch(r"  PASS  void\.reachable +VoID at /\.well-known/void .*", lines[8])
    assert re.fullmatch(
        rf"{len(all_probes())} checks: {len(all_probes())} passed, 0 failed, 0 skipped "
        r"\(\d+ requests, \d+\.\d s\)",
        lines[-1],
    )
    assert result.stderr == ""


def test_check_command_exits_1_and_says_what_was_sent_when_a_check_fails(
    runner: CliRunner,
) -> None:
    with tiny_deployment("dump-size") as url:
        result = runner.invoke(main, ["check", url])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    failing = lines.index(next(line for line in lines if line.startswith("  FAIL")))
    assert lines[failing].split()[:2] == ["FAIL", "dumps.size"]
    assert lines[failing + 1] == (
        f"        GET {url}dumps/data.ttl (Accept: */*) -> 200 text/turtle; charset=utf-8: "
        "526 bytes, dcat:byteSize says 527"
    )
    assert lines[-1].startswith(
        f"{len(all_probes())} checks: {len(all_probes()) - 1} passed, 1 failed"
    )


def test_check_command_json_report(runner: CliRunner) -> None:
    with tiny_deployment("no-vary") as url:
        result = runner.invoke(main, ["check", url, "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["url"] == url
    assert report["ok"] is False
    assert report["summary"]["fail"] == 2
    assert [c["id"] for c in report["checks"]] == [p.id for p in all_probes()]
    assert {c["outcome"] for c in report["checks"]} == {"pass", "fail"}
    assert all(set(c) == {"id", "group", "title", "outcome", "detail"} for c in report["checks"])


def test_check_command_exits_2_with_a_message_when_nothing_answers(runner: CliRunner) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = runner.invoke(main, ["check", url, "--timeout", "5"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: cannot reach {url}: GET {url} (Accept: */*) -> ")
    assert "Traceback" not in result.output


def test_check_command_exits_2_on_a_url_that_is_not_http(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "ftp://example.org/"])
    assert result.exit_code == 2
    assert "'ftp://example.org/' is not an http:// or https:// URL" in result.stderr
    result = runner.invoke(main, ["check", "http://example.org/", "--format", "xml"])
    assert result.exit_code == 2


def test_readme_documents_the_command_and_every_check() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "openforum-ld check URL" in readme
    missing = [p.id for p in all_probes() if f"`{p.id}`" not in readme]
    assert not missing, f"checks missing from README.md: {missing}"
