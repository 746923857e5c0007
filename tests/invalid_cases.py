"""The invalid test cases: the small valid dataset with one SPARQL Update applied to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import NAMESPACES, Iris
from openforum_ld.load import Dataset, attach_provenance, load_dataset
from openforum_ld.store import Store

from .conftest import LOCAL_BASE, TEST_DATA

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings

_KIND_PREFIXES = {
    "forum": "forum",
    "session": "session",
    "talk": "talk",
    "event": "event",
    "person": "person",
    "post": "post",
    "membership": "membership",
    "organization": "organization",
    "place": "place",
    "programme": "programme",
    "strategy": "strategy",
    "plan": "action-plan",
    "commitment": "commitment",
    "law": "law",
    "platform": "platform",
    "figure": "figure",
    "conclusion": "conclusion",
    "milestone": "milestone",
    "topic": "topic",
    "scheme": "scheme",
    "document": "document",
    "section": "section",
}


@dataclass(frozen=True)
class InvalidCase:
    """One file of tests/data/invalid: the shape it must violate and the words of the message."""

    path: Path
    shape: str
    message: str
    update: str

    @property
    def name(self) -> str:
        return self.path.stem


def invalid_cases() -> list[InvalidCase]:
    cases = []
    for path in sorted((TEST_DATA / "invalid").glob("*.ru")):
        lines = path.read_text(encoding="utf-8").splitlines()
        shape = lines[0].removeprefix("# shape:").strip()
        message = lines[1].removeprefix("# message:").strip()
        cases.append(InvalidCase(path, shape, message, "\n".join(lines[2:])))
    return cases


def sparql_prefixes() -> str:
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in NAMESPACES.items()]
    lines += [f"PREFIX {p}: <id/{kind}/>" for p, kind in _KIND_PREFIXES.items()]
    lines.append("PREFIX graph: <graph/>")
    return "\n".join(lines) + "\n"


def load_broken(case: InvalidCase, settings: Settings) -> Dataset:
    """The valid test dataset with the case's update applied before provenance is attached."""
    valid = load_dataset(TEST_DATA / "valid", settings.ontology_dir, LOCAL_BASE)
    mentions = Iris(LOCAL_BASE).mentions_graph
    store = Store()
    store.add_quads(
        q
        for q in valid.store.oxigraph.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != mentions
    )
    store.oxigraph.update(sparql_prefixes() + case.update, base_iri=LOCAL_BASE)
    attach_provenance(store, Iris(LOCAL_BASE))
    return Dataset(store, Iris(LOCAL_BASE), valid.files, "broken")
