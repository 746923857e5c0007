"""Search over every label, variant spellings included, ignoring case, accents and punctuation.

Labels come from the publication's index (embedded store) or, behind a remote endpoint, from
one query to it; either way they are ranked here: exact matches first, then labels that start
with the query, then labels that hold every word of it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from openforum_ld.iris import FOAF, SCHEMA, SKOS
from openforum_ld.views.pages import Page
from openforum_ld.views.retired import RETIRED_FILTER

if TYPE_CHECKING:
    from collections.abc import Iterable

    from openforum_ld.iris import Iris
    from openforum_ld.store import SparqlStore
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls

LABEL_PROPERTIES = (
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "hiddenLabel",
    SCHEMA + "name",
    SCHEMA + "alternateName",
    FOAF + "name",
)
#: The most hits a search returns.
MOST_HITS = 100


def normalise(text: str) -> str:
    """Casefolded words without their marks, in any script: "Tangier-Tétouan-Al Hoceïma" and
    "tangier tetouan al hoceima" meet, and so do "سلمى" and "سَلمى" (vowel signs are marks too).
    Anything but letters and digits separates words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return " ".join(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", bare)).split())


@dataclass(frozen=True)
class Hit:
    """An entity a search found, with the label that matched."""

    iri: str
    matched: str
    exact: bool


class LabelSearch(Protocol):
    """Where labels are looked up: (normalised label, label, IRI) of those with every word."""

    def labels_containing(self, words: list[str]) -> list[tuple[str, str, str]]: ...


def entity_labels(store: SparqlStore, iris: Iris) -> list[tuple[str, str, str]]:
    """(normalised label, label, IRI) of every label of every local entity, sorted."""
    properties = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = store.select(
        f"SELECT DISTINCT ?s ?label WHERE {{ ?s ?p ?label FILTER(?p IN ({properties}) && isLiteral(?label)) "
        f'FILTER(STRSTARTS(STR(?s), "{iris.base}id/")) {RETIRED_FILTER} }}'
    )
    entries = set()
    for row in rows:
        label = row["label"]
        if isinstance(label, ox.Literal):
            entries.add((normalise(label.value), label.value, row["s"].value))
    return sorted(entries)


@dataclass
class LabelList:
    """Labels held in memory (read once from a remote endpoint)."""

    entries: list[tuple[str, str, str]]

    def labels_containing(self, words: list[str]) -> list[tuple[str, str, str]]:
        return [entry for entry in self.entries if all(word in entry[0] for word in words)]


def search(labels: LabelSearch, query: str, limit: int = MOST_HITS) -> list[Hit]:
    """Entities whose labels contain every word of the query, best first, one hit each."""
    wanted = normalise(query)
    if not wanted:
        return []
    return rank(wanted, labels.labels_containing(wanted.split()), limit)


def rank(wanted: str, found: Iterable[tuple[str, str, str]], limit: int) -> list[Hit]:
    """Exact matches first, then labels that start with the query, then the rest."""
    ranked: dict[str, tuple[int, str]] = {}
    # In a fixed order, whatever order the labels came in: the same label wins every time.
    for normal, label, iri in sorted(found):
        rank = 0 if normal == wanted else 1 if normal.startswith(wanted) else 2
        if iri not in ranked or rank < ranked[iri][0]:
            ranked[iri] = (rank, label)
    hits = sorted(ranked.items(), key=lambda item: (item[1][0], normalise(item[1][1]), item[0]))
    return [Hit(iri, label, rank == 0) for iri, (rank, label) in hits[:limit]]


def search_results(
    ctx: ViewContext, urls: Urls, language: str, hits: list[Hit]
) -> list[dict[str, Any]]:
    """The hits as pages and JSON show them: IRI, link, label in `language`, matched label and
    the language it is in."""
    labels = ctx.describer.labels([hit.iri for hit in hits], language)
    matched = _matched_languages(ctx, hits)
    return [
        {
            "iri": hit.iri,
            "href": urls.resource(hit.iri),
            "label": labels.get(hit.iri, (hit.matched, None))[0],
            "language": labels.get(hit.iri, (hit.matched, None))[1],
            "matched": hit.matched,
            "matched_language": matched.get((hit.iri, hit.matched)),
            "kind": (ctx.iris.split_entity(hit.iri) or ("", ""))[0],
        }
        for hit in hits
    ]


def _matched_languages(ctx: ViewContext, hits: list[Hit]) -> dict[tuple[str, str], str]:
    """(IRI, label) -> the language the label that matched is in, when it has one (the index
    keeps the text only); the first in tag order when several languages write it alike."""
    if not hits:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted({hit.iri for hit in hits}))
    properties = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = ctx.store.select(
        f"SELECT DISTINCT ?s ?label WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?label "
        f"FILTER(?p IN ({properties}) && isLiteral(?label)) }}"
    )
    found: dict[tuple[str, str], str] = {}
    for row in rows:
        label = row["label"]
        if isinstance(label, ox.Literal) and label.language:
            key = (row["s"].value, label.value)
            if key not in found or label.language < found[key]:
                found[key] = label.language
    return found


def search_page(query: str, results: list[dict[str, Any]]) -> Page:
    """The page of search results."""
    return Page("search.html", {"query": query, "results": results})
