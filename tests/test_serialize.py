from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

from openforum_ld.rdf.serialize import sorted_lines, sorted_triples, write_nquads, write_ntriples

if TYPE_CHECKING:
    from pathlib import Path

EX = "http://example.org/"
# Literals whose N-Triples escapes and UTF-8 bytes could upset a sort of whole lines.
AWKWARD = ["a", "a b", "a\nb", "a\tb", 'say "hi"', "back\\slash", "\u2028", "é", "😀", "", "\x00"]


def _store(size: int) -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode(f"{EX}g")
    quads = []
    for n in range(size):
        subject = ox.NamedNode(f"{EX}s/{n % 97}")
        value = AWKWARD[n % len(AWKWARD)] + str(n)
        for name in (graph, ox.DefaultGraph()):
            quads.append(ox.Quad(subject, ox.NamedNode(f"{EX}p{n % 3}"), ox.Literal(value), name))
            quads.append(
                ox.Quad(subject, ox.NamedNode(f"{EX}lang"), ox.Literal(value, language="fr"), name)
            )
            quads.append(ox.Quad(subject, ox.NamedNode(f"{EX}n"), ox.Literal(n), name))
    store.bulk_extend(quads)
    return store


def _expected(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> list[str]:
    return [f"{t.subject} {t.predicate} {t.object} .\n" for t in sorted_triples(store, graph)]


@pytest.mark.parametrize("run_bytes", [1 << 30, 4096, 200], ids=["in-memory", "runs", "tiny-runs"])
def test_sorted_lines_give_the_order_of_sorted_triples_whatever_the_run_size(
    run_bytes: int, tmp_path: Path
) -> None:
    store = _store(3000)
    lines = [line.decode() for line in sorted_lines(store, ox.DefaultGraph(), tmp_path, run_bytes)]
    assert lines == _expected(store, ox.DefaultGraph())
    assert len(lines) == sum(
        1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )


def test_sorted_dumps_are_the_same_bytes_when_sorted_on_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = _store(3000)
    graph = ox.NamedNode(f"{EX}g")

    def dumps() -> tuple[str, str]:
        triples, quads = io.StringIO(), io.StringIO()
        write_ntriples(store, triples)
        write_nquads(store, quads, [graph])
        return triples.getvalue(), quads.getvalue()

    in_memory = dumps()
    monkeypatch.setattr("openforum_ld.rdf.serialize._SORT_RUN_BYTES", 1000)
    assert dumps() == in_memory
    assert in_memory[1].splitlines()[0].endswith(f" <{EX}g> .")
    assert in_memory[0] == "".join(_expected(store, ox.DefaultGraph()))


def test_an_empty_graph_gives_no_lines(tmp_path: Path) -> None:
    assert list(sorted_lines(ox.Store(), ox.DefaultGraph(), tmp_path, 100)) == []
    assert list(sorted_lines(ox.Store(), ox.DefaultGraph())) == []


def test_turtle_is_the_same_when_few_iris_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Turtle dump of a million triples forgets the short forms of IRIs it has written; what it
    # writes must not change when it does.
    from openforum_ld.rdf import serialize

    store = _store(300)
    prefixes = {"ex": EX, "s": f"{EX}s/"}
    whole = io.StringIO()
    serialize.write_turtle(store, whole, prefixes)
    monkeypatch.setattr(serialize, "_SHOWN_IRIS", 3)
    forgetful = io.StringIO()
    serialize.write_turtle(store, forgetful, prefixes)
    assert forgetful.getvalue() == whole.getvalue()
    assert "s:96" in whole.getvalue() and "ex:lang" in whole.getvalue()
