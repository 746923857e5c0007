"""A store that answers a SELECT it was asked already from memory. The build asks the same
questions about an entity for its page in each language and for its documents (its labels, its
incoming links, the sections that mention it); it remembers the answers while it writes one
entity's files and forgets them before the next, so memory stays bounded."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from openforum_ld.store.embedded import QueryResult, SparqlStore, Value


class RememberingStore:
    """Wraps a store; `select` answers are kept until `forget`. Callers read the rows they get
    and never change them, so one answer can be handed to every caller. Not for a store that
    changes, nor for threads: the build's processes each have their own."""

    def __init__(self, store: SparqlStore) -> None:
        self.store = store
        self._answers: dict[str, list[dict[str, Value]]] = {}

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Asked of the store every time: a result is read once, as it streams."""
        return self.store.query(
            sparql, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri
        )

    def select(self, sparql: str) -> list[dict[str, Value]]:
        """The rows of a SELECT, from memory when the same text was asked since `forget`."""
        rows = self._answers.get(sparql)
        if rows is None:
            rows = self._answers[sparql] = self.store.select(sparql)
        return rows

    def forget(self) -> None:
        """Drop every remembered answer."""
        self._answers.clear()
