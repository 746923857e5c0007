"""`build`: deterministic, atomic, and nothing written from invalid data."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from openforum_ld import publish
from openforum_ld.cli import main
from openforum_ld.errors import InvalidDataError

from ..conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from click.testing import CliRunner


def _tree(root: Path) -> dict[str, str]:
    """Every file of a publication and its hash, but `.server/` (a store's files differ from one
    load to the next, and nothing there is published)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != ".server"
    }


def test_two_builds_give_identical_trees(
    tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1606780800")
    first, second = tmp_path / "one", tmp_path / "two"
    publish.build(settings, first)
    publish.build(settings, second)
    assert _tree(first) == _tree(second)
    publish.build(settings, first)  # rebuilding in place changes nothing either
    assert _tree(first) == _tree(second)


def test_dates_come_from_source_date_epoch_not_the_clock(
    tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")  # 2020-01-01
    summary = publish.build(settings, tmp_path / "site")
    assert summary.date == "2020-01-01"
    assert '"2020-01-01"^^xsd:date' in (tmp_path / "site" / "catalog.ttl").read_text(
        encoding="utf-8"
    )
    assert "<lastmod>2020-01-01</lastmod>" in (tmp_path / "site" / "sitemap.xml").read_text(
        encoding="utf-8"
    )


def test_without_source_date_epoch_the_date_is_the_newest_inputs(
    tmp_path: Path, settings, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    moment = 1600000000  # 2020-09-13
    for path in [
        *data_copy.iterdir(),
        *settings.ontology_dir.iterdir(),
        *settings.shapes_dir.iterdir(),
    ]:
        if path.is_file() and path.parent == data_copy:
            os.utime(path, (moment, moment))
    assert publish.publication_date(settings, sorted(data_copy.iterdir())) == "2020-09-13"


def test_invalid_data_writes_nothing(tmp_path: Path, settings, data_copy: Path) -> None:
    path = data_copy / "web-expert.trig"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Mr."@en', '"Sir"@en'), encoding="utf-8"
    )
    out = tmp_path / "site"
    with pytest.raises(InvalidDataError):
        publish.build(settings.with_(data_dir=data_copy), out)
    assert not out.exists()
    assert list(tmp_path.glob(".site.build-*")) == []


def test_invalid_data_leaves_the_previous_publication_untouched(
    tmp_path: Path, settings, data_copy: Path, runner: CliRunner
) -> None:
    out = tmp_path / "site"
    publish.build(settings.with_(data_dir=data_copy), out)
    before = _tree(out)
    path = data_copy / "web-expert.trig"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Mr."@en', '"Sir"@en'), encoding="utf-8"
    )
    result = runner.invoke(
        main, ["build", "--data", str(data_copy), "--out", str(out), "--base-uri", LOCAL_BASE]
    )
    assert result.exit_code == 1
    assert "Violation" in result.stdout and "nothing was written" in result.stderr
    assert _tree(out) == before


@pytest.mark.slow  # real build processes, killed
def test_a_build_killed_at_any_point_leaves_the_previous_publication_intact(
    tmp_path: Path, settings
) -> None:
    out = tmp_path / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1606780800"}
    command = [
        sys.executable,
        "-m",
        "openforum_ld",
        "build",
        "--out",
        str(out),
        "--base-uri",
        LOCAL_BASE,
        "--quiet",
    ]
    subprocess.run(command, check=True, env=env, cwd=ROOT, timeout=120)
    before = _tree(out)
    stranger = random.Random(20201120)
    for _ in range(3):
        process = subprocess.Popen(
            command, env={**env, "SOURCE_DATE_EPOCH": "1609459200"}, cwd=ROOT
        )
        time.sleep(stranger.uniform(0.3, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        after = _tree(out)
        # Killed before the swap: the old publication; after it: the whole new one. Never a mix.
        new_date = "2021-01-01" in (out / "catalog.ttl").read_text(encoding="utf-8")
        if not new_date:
            assert after == before
        else:
            assert set(after) == set(before)
            before = after
    subprocess.run(command, check=True, env=env, cwd=ROOT, timeout=120)
    assert list(tmp_path.glob(".site.build-*")) == [], (
        "a later build removes what killed builds left"
    )


def test_the_cli_prints_a_summary_and_stays_quiet_when_asked(
    tmp_path: Path, runner: CliRunner
) -> None:
    result = runner.invoke(
        main, ["build", "--out", str(tmp_path / "site"), "--base-uri", LOCAL_BASE]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Built {tmp_path / 'site'}: ")
    assert "files" in result.stdout and "bytes" in result.stdout and "triples" in result.stdout
    quiet = runner.invoke(
        main, ["build", "--out", str(tmp_path / "site"), "--base-uri", LOCAL_BASE, "--quiet"]
    )
    assert quiet.exit_code == 0 and quiet.output == ""


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "site").write_text("not a directory")
    result = runner.invoke(
        main, ["build", "--out", str(tmp_path / "site"), "--base-uri", LOCAL_BASE]
    )
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_site_is_ignored_by_git() -> None:
    assert "/site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_dumps_and_pages_written_by_worker_processes_are_those_one_process_writes(
    tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1606780800")
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    publish.build(replace(settings, build_workers=1), alone)
    summary = publish.build(replace(settings, build_workers=3), shared)
    assert _tree(alone) == _tree(shared)
    # every file the workers wrote is recorded as written, as the build's own are
    assert summary.files == len(_tree(shared))
