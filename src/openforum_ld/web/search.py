"""Search over every label, variant spellings included, ignoring case, accents and punctuation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import FOAF, SCHEMA, SKOS

if TYPE_CHECKING:
    from openforum_ld.iris import Iris
    from openforum_ld.store import SparqlStore

LABEL_PROPERTIES = (
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "hiddenLabel",
    SCHEMA + "name",
    SCHEMA + "alternateName",
    FOAF + "name",
)


def normalise(text: str) -> str:
    """Lowercase ASCII words: "Tangier-Tétouan-Al Hoceïma" and "tangier tetouan al hoceima" meet."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", ascii_text.casefold()).split())


@dataclass(frozen=True)
class Hit:
    """An entity a search found, with the label that matched."""

    iri: str
    matched: str
    exact: bool


@dataclass
class SearchIndex:
    """Normalised labels of every local entity."""

    entries: list[tuple[str, str, str]]  # (normalised label, label, entity IRI)

    @classmethod
    def build(cls, store: SparqlStore, iris: Iris) -> SearchIndex:
        properties = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        rows = store.select(
            f"SELECT DISTINCT ?s ?label WHERE {{ ?s ?p ?label FILTER(?p IN ({properties}) && isLiteral(?label)) "
            f'FILTER(STRSTARTS(STR(?s), "{iris.base}id/")) }}'
        )
        entries = []
        for row in rows:
            label = row["label"]
            if isinstance(label, ox.Literal):
                entries.append((normalise(label.value), label.value, row["s"].value))
        return cls(sorted(set(entries)))

    def search(self, query: str, limit: int = 100) -> list[Hit]:
        """Entities whose labels contain every word of the query: exact matches first, then
        labels that start with the query, then the rest; one hit per entity."""
        wanted = normalise(query)
        if not wanted:
            return []
        words = wanted.split()
        ranked: dict[str, tuple[int, str]] = {}
        for normal, label, iri in self.entries:
            if normal == wanted:
                rank = 0
            elif normal.startswith(wanted):
                rank = 1
            elif all(word in normal for word in words):
                rank = 2
            else:
                continue
            if iri not in ranked or rank < ranked[iri][0]:
                ranked[iri] = (rank, label)
        hits = sorted(ranked.items(), key=lambda item: (item[1][0], normalise(item[1][1]), item[0]))
        return [Hit(iri, label, rank == 0) for iri, (rank, label) in hits[:limit]]
