"""`openforum-ld serve SITE`: a publication opened read-only, as an operator runs it. It says what
it serves where, refuses what it cannot serve before it listens, keeps the publication it opened
while a new one is built in its place, switches to the new one on SIGHUP without ever mixing
the two, and replicas serving copies of one publication answer alike."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from openforum_ld import publish
from openforum_ld.publication import in_use
from openforum_ld.web.serve import cpu_shares, planned_cpu_shares

from ..conftest import LOCAL_BASE, ROOT
from ..servers import child_processes, free_port, openforum_server

if TYPE_CHECKING:
    from openforum_ld.config import Settings

# Real server processes: the supervisor, SIGHUP, replicas.
pytestmark = pytest.mark.slow

NOTE = "both name lines (report and web page) write Maritim"
CHANGED_NOTE = "both name lines (the report and the web page) write Maritim"


def _serve(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openforum_ld", "serve", "--port", "0", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_first_line_says_what_is_served_where_and_warns_of_another_base(
    built_site: Path,
) -> None:
    with openforum_server(str(built_site), "--workers", "1") as server:
        response = httpx.get(server.url + "healthz")
        assert response.json()["version"] and response.status_code == 200
        page = httpx.get(server.url + "id/person/john-maritim", headers={"Accept": "text/html"})
        assert f"<code>{LOCAL_BASE}id/person/john-maritim</code>" in page.text
        server.process.send_signal(signal.SIGTERM)
        _, warning = server.process.communicate(timeout=30)
    assert f"Warning: the publication's IRIs are under {LOCAL_BASE}, not {server.url}" in warning


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--data", "data"], "--data cannot be used with SITE"),
        (["--ontology", "ontology"], "--ontology cannot be used with SITE"),
        (["--shapes", "shapes"], "--shapes cannot be used with SITE"),
        (["--store", "/tmp/store"], "No such option '--store'"),
    ],
)
def test_options_that_say_what_to_build_are_a_usage_error_with_site(
    built_site: Path, options: list[str], says: str
) -> None:
    result = _serve(str(built_site), *options)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_publication_that_cannot_be_served_stops_serve_before_it_listens(
    built_site: Path, tmp_path: Path
) -> None:
    missing = _serve(str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr == (
        f"Error: there is no publication at {tmp_path / 'nowhere'}: build one with "
        f"`openforum-ld build --out {tmp_path / 'nowhere'}`\n"
    )
    elsewhere = _serve(str(built_site), "--base-uri", "https://data.example.org/forum/")
    assert elsewhere.returncode == 2 and elsewhere.stdout == ""
    assert f"was built for {LOCAL_BASE}, not for https://data.example.org/forum/" in (
        elsewhere.stderr
    )
    unfinished = tmp_path / "unfinished"
    shutil.copytree(built_site, unfinished)
    (unfinished / ".server" / "manifest.json").unlink()
    result = _serve(str(unfinished))
    assert result.returncode == 2 and "its build did not finish" in result.stderr


def test_query_reads_a_publications_store(built_site: Path, runner, union_triples: int) -> None:
    from openforum_ld.cli import main

    result = runner.invoke(
        main,
        [
            "query",
            "--site",
            str(built_site),
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", str(union_triples)]
    table = runner.invoke(
        main, ["query", "--site", str(built_site), "SELECT ?m WHERE { ?f ofo:moderator ?m }"]
    )
    assert "person:tarik-nesh-nash" in table.output or "tarik-nesh-nash" in table.output
    refused = runner.invoke(main, ["query", "--site", str(built_site), "--data", "data", "ASK {}"])
    assert refused.exit_code == 2 and "--data cannot be used with SITE" in refused.output


def _versions_seen(url: str, stop: threading.Event, seen: list[tuple[str, bool]]) -> None:
    """Ask for the page about John Maritim until told to stop, each time a URL of its own (no
    cache can answer), and note each page's data version (from the publication's manifest)
    and whether it shows the changed note (from its store)."""
    number = 0
    while not stop.is_set():
        number += 1
        try:
            page = httpx.get(
                f"{url}id/person/john-maritim?seen={number}",
                headers={"Accept": "text/html", "Connection": "close"},
                timeout=30,
            ).text
        except httpx.HTTPError:
            continue  # a connection closed while the old processes stop: asked again
        version = re.search(r"Data version ([0-9a-f]{20})", page)
        if version is not None:
            seen.append((version.group(1), CHANGED_NOTE in page))


def test_a_rebuild_under_a_running_server_shows_nothing_until_sighup_and_never_half_of_either(
    built_site: Path, data_copy: Path, tmp_path: Path, settings: Settings
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    editorial = data_copy / "editorial.trig"
    editorial.write_text(
        editorial.read_text(encoding="utf-8").replace(NOTE, CHANGED_NOTE), encoding="utf-8"
    )
    with openforum_server(str(site), "--workers", "2") as server:
        old_version = httpx.get(server.url + "version.json").json()["version"]
        seen: list[tuple[str, bool]] = []
        stop = threading.Event()
        watcher = threading.Thread(target=_versions_seen, args=(server.url, stop, seen))
        watcher.start()
        try:
            publish.build(settings.with_(data_dir=data_copy), site)  # swapped in under it
            new_version = (site / "version.json").read_text()
            assert old_version not in new_version
            # The running server still serves the publication it opened, files and store.
            assert httpx.get(server.url + "version.json").json()["version"] == old_version
            document = httpx.get(server.url + "id/person/john-maritim.ttl").text
            assert NOTE in document and CHANGED_NOTE not in document
            retired = list(tmp_path.glob(".site.retired-*"))
            assert len(retired) == 1 and in_use(retired[0]), "the old one is set aside, kept"

            server.process.send_signal(signal.SIGHUP)
            line = server.next_output_line()
            assert line.startswith(f"Reloaded {site}: serving data version "), line
            assert f"(was {old_version})" in line
            new = httpx.get(server.url + "version.json").json()["version"]
            assert new != old_version
            document = httpx.get(server.url + "id/person/john-maritim.ttl").text
            assert CHANGED_NOTE in document
            time.sleep(0.5)  # a few more pages from the new processes alone
        finally:
            stop.set()
            watcher.join(60)
    # Every page came wholly from one publication: the old version with the old note, or the
    # new version with the new one.
    assert {version for version, _ in seen} == {old_version, new}
    assert all(changed == (version == new) for version, changed in seen), seen
    # Once no process reads the old publication, the next build removes it.
    publish.build(settings.with_(data_dir=data_copy), site)
    assert not list(tmp_path.glob(".site.retired-*"))


def _copy_without_times(source: Path, target: Path) -> None:
    # What `cp -r` or an upload does: the files' times are those of the copy.
    shutil.copytree(source, target, copy_function=shutil.copyfile)


def test_two_replicas_of_a_publication_answer_alike(built_site: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    _copy_without_times(built_site, first)
    time.sleep(1.1)  # the second copy's files are a second younger
    _copy_without_times(built_site, second)
    asks = [
        ("", {"Accept": "text/html"}),
        ("id/person/john-maritim", {"Accept": "text/html"}),
        ("id/person/john-maritim", {"Accept": "text/turtle"}),
        ("id/person/john-maritim.nq", {}),
        ("id/organization/?page=1", {"Accept": "text/html"}),
        ("catalog", {"Accept": "application/ld+json"}),
        ("catalog.ttl", {}),
        ("dumps/openforum.nt.gz", {}),
        ("version.json", {}),
        ("validation", {"Accept": "text/html"}),
        ("graph/report-vii", {"Accept": "application/trig"}),
        ("sparql?query=SELECT%20(COUNT(*)%20AS%20?n)%20%7B?s%20?p%20?o%7D", {}),
        ("search?q=maritim&format=json", {}),
    ]
    with (
        openforum_server(str(first), "--workers", "1") as one,
        openforum_server(str(second), "--workers", "1") as two,
    ):
        for path, headers in asks:
            a = httpx.get(one.url + path, headers=headers)
            b = httpx.get(two.url + path, headers=headers)
            assert a.status_code == b.status_code == 200, (path, a.status_code, b.status_code)
            assert a.content == b.content, path
            assert a.headers.get("etag") == b.headers.get("etag"), path
            assert a.headers.get("last-modified") == b.headers.get("last-modified"), path
    assert free_port()  # the replicas gave their ports back


def test_a_reload_that_cannot_open_the_publication_keeps_the_one_served(
    built_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    with openforum_server(str(site), "--workers", "1") as server:
        version = httpx.get(server.url + "version.json").json()["version"]
        (site / ".server" / "manifest.json").unlink()  # as a build killed halfway would leave it
        server.process.send_signal(signal.SIGHUP)
        said = "(not yet)"
        while said and not said.startswith("Error:"):  # after the warning about the base
            said = server.next_error_line()
        assert said.startswith("Error: the reload failed: ") and "did not finish" in said, said
        assert f"still serving data version {version}" in said
        assert httpx.get(server.url + "version.json").json()["version"] == version


def test_a_server_process_that_dies_is_replaced(built_site: Path) -> None:
    with openforum_server(str(built_site), "--workers", "2") as server:
        [first, *_] = child_processes(server.process.pid)
        os.kill(first, signal.SIGKILL)
        line = server.next_output_line()
        assert line.startswith("A server process stopped (exit -9); starting another."), line
        answers = [
            httpx.get(server.url + "healthz", headers={"Connection": "close"}).status_code
            for _ in range(20)
        ]
        assert answers == [200] * 20


@pytest.mark.parametrize(
    ("cpus", "processes", "shares"),
    [
        ([0, 1], 2, [{0}, {1}]),
        ([0, 1], 4, [{0}, {1}, {0}, {1}]),
        ([2, 5, 7], 2, [{2, 7}, {5}]),
        ([0, 1, 2, 3, 4, 5, 6, 7], 4, [{0, 4}, {1, 5}, {2, 6}, {3, 7}]),
    ],
)
def test_the_cpus_are_dealt_out_among_the_server_processes(
    cpus: list[int], processes: int, shares: list[set[int]]
) -> None:
    assert cpu_shares(cpus, processes) == shares


def test_auto_keeps_processes_to_their_cpus_only_when_every_cpu_has_one() -> None:
    usable = len(os.sched_getaffinity(0))
    assert planned_cpu_shares("off", usable) is None
    if usable < 2:
        assert planned_cpu_shares("on", 4) is None  # nothing to share out
        return
    assert planned_cpu_shares("auto", usable - 1) is None
    assert planned_cpu_shares("auto", usable) == cpu_shares(sorted(os.sched_getaffinity(0)), usable)
    assert planned_cpu_shares("on", 1) == [set(os.sched_getaffinity(0))]


def _thread_cpus(pid: int) -> set[frozenset[int]]:
    """The CPU sets of every thread of a process."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(ProcessLookupError, FileNotFoundError):
            found.add(frozenset(os.sched_getaffinity(int(task.name))))
    return found


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: nothing to share out")
def test_each_server_process_and_its_replacement_keep_to_their_own_cpus(built_site: Path) -> None:
    usable = frozenset(os.sched_getaffinity(0))
    env = {"OPENFORUM_LD_CPU_AFFINITY": "on"}
    with openforum_server(str(built_site), "--workers", "2", env=env) as server:
        assert httpx.get(server.url + "sparql", params={"query": "ASK {}"}).status_code == 200
        first, second = child_processes(server.process.pid)
        # Every thread (the query threads included) keeps to its process's CPUs.
        [first_cpus] = _thread_cpus(first)
        [second_cpus] = _thread_cpus(second)
        assert first_cpus | second_cpus == usable
        assert not first_cpus & second_cpus
        os.kill(first, signal.SIGKILL)
        line = server.next_output_line()
        assert line.startswith("A server process stopped"), line
        deadline = time.monotonic() + 60
        while not (started := set(child_processes(server.process.pid)) - {first, second}):
            assert time.monotonic() < deadline, "no replacement started"
            time.sleep(0.05)
        [replacement] = started
        # It takes its CPUs just after the fork: wait for that, not for a set it never gets.
        while (cpus := _thread_cpus(replacement)) != {first_cpus}:
            assert time.monotonic() < deadline, cpus
            time.sleep(0.05)
    with openforum_server(
        str(built_site), "--workers", "2", env={"OPENFORUM_LD_CPU_AFFINITY": "off"}
    ) as server:
        for pid in child_processes(server.process.pid):
            assert _thread_cpus(pid) == {usable}
