"""The EU Publications Office's authority tables the catalog cites: data themes (kept offline in
`vocabularies/data-theme.ttl`, with their labels), frequencies and access rights. DCAT-AP asks
for their concepts by IRI, and its controlled-vocabulary shapes check each one's skos:inScheme."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from openforum_ld.errors import ConfigError
from openforum_ld.iris import SKOS

AUTHORITY = "http://publications.europa.eu/resource/authority/"
DATA_THEME_SCHEME = AUTHORITY + "data-theme"
FREQUENCY_SCHEME = AUTHORITY + "frequency"
ACCESS_RIGHT_SCHEME = AUTHORITY + "access-right"
#: The publication is open to all, with no login and no fee.
PUBLIC_ACCESS = ACCESS_RIGHT_SCHEME + "/PUBLIC"

_DATA_THEMES = Path(__file__).resolve().parent / "vocabularies" / "data-theme.ttl"


@dataclass(frozen=True)
class Concept:
    """A concept of an authority table, with its preferred label in each language."""

    iri: str
    scheme: str
    labels: dict[str, str]


@cache
def _data_theme_table() -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(_DATA_THEMES), format=ox.RdfFormat.TURTLE)
    return store


@cache
def data_themes() -> dict[str, Concept]:
    """The data themes by code (GOVE, REGI, ...), from the copy in the package."""
    graph = _data_theme_table()
    themes: dict[str, Concept] = {}
    notation, pref_label = ox.NamedNode(SKOS + "notation"), ox.NamedNode(SKOS + "prefLabel")
    for quad in graph.quads_for_pattern(None, notation, None):
        assert isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal)
        labels = {
            q.object.language or "": q.object.value
            for q in graph.quads_for_pattern(quad.subject, pref_label, None)
            if isinstance(q.object, ox.Literal)
        }
        themes[quad.object.value] = Concept(quad.subject.value, DATA_THEME_SCHEME, labels)
    return themes


def data_theme_scheme_label() -> str:
    """The data-theme table's English name, as the copy in the package gives it."""
    [quad] = _data_theme_table().quads_for_pattern(
        ox.NamedNode(DATA_THEME_SCHEME), ox.NamedNode(SKOS + "prefLabel"), None
    )
    assert isinstance(quad.object, ox.Literal)
    return quad.object.value


def themes_for(codes: str) -> list[Concept]:
    """The data themes a setting names (codes separated by spaces or commas); a ConfigError
    naming the known codes when one is not in the table."""
    known = data_themes()
    chosen = []
    for code in codes.replace(",", " ").split():
        if code.upper() not in known:
            raise ConfigError(
                f"data_themes: {code!r} is not an EU data theme; known: {', '.join(sorted(known))}"
            )
        chosen.append(known[code.upper()])
    return chosen


def frequency(code: str) -> str:
    """The IRI of a frequency of the EU table (IRREG, ANNUAL, NEVER, ...)."""
    return f"{FREQUENCY_SCHEME}/{code}"
