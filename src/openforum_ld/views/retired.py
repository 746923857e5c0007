"""IRIs that were published and no longer name a live entity, and what they answer.

An IRI, once published, is never reused and keeps answering. The data says so of each one it
retires, with standard terms: `owl:deprecated true`, `prov:invalidatedAtTime` (when it went),
`dct:type` (the class of what it named), `rdfs:label` (its former name) and `skos:historyNote`
(why). One that was renamed or merged has `dct:isReplacedBy` its successor and redirects to it
(301); one that was dropped is *withdrawn* and answers 410 Gone with a tombstone: this page, or a
small RDF description of the retired IRI.

A retired IRI has no `rdf:type` (the shapes refuse one that has), so everything that lists
entities by their type (listings, search, the site map, the counts) leaves it out; queries that
enumerate subjects under `{base}id/` leave out what `RETIRED_FILTER` names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import DCTERMS, OWL, PROV, RDFS, SKOS
from openforum_ld.views.pages import Page

if TYPE_CHECKING:
    from openforum_ld.store import SparqlStore
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls

#: A SPARQL filter that leaves out the retired IRIs bound to `?s`.
RETIRED_FILTER = f"FILTER NOT EXISTS {{ ?s <{OWL}deprecated> true }}"
#: Where the URI policy is, under the base (a page in every interface language).
URI_POLICY = "uri-policy"


@dataclass(frozen=True)
class Retired:
    """A published IRI that names no live entity any more."""

    iri: str
    path: str  # under the base: id/{kind}/{slug}
    date: str  # when it went: an xsd:dateTime or xsd:date as written
    former_type: str | None
    labels: dict[str, str]  # language -> former label
    notes: dict[str, str]  # language -> why it went
    replaced_by: str | None

    def label(self, language: str, main_language: str = "en") -> str:
        """Its former name in `language`, else in the forum's main language (which the shapes
        require), else its path."""
        return self.labels.get(language) or self.labels.get(main_language) or self.path

    def note(self, language: str, main_language: str = "en") -> str:
        """Why it went, in `language`, else in the forum's main language."""
        return self.notes.get(language) or self.notes.get(main_language) or ""


def retired_iris(store: SparqlStore, base: str) -> list[Retired]:
    """Every retired IRI under `base`, sorted by IRI."""
    rows = store.select(
        f"SELECT ?s ?date ?type ?replacement WHERE {{ ?s <{OWL}deprecated> true "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/")) '
        f"OPTIONAL {{ ?s <{PROV}invalidatedAtTime> ?date }} "
        f"OPTIONAL {{ ?s <{DCTERMS}date> ?date }} "
        f"OPTIONAL {{ ?s <{DCTERMS}type> ?type }} "
        f"OPTIONAL {{ ?s <{DCTERMS}isReplacedBy> ?replacement }} }} ORDER BY ?s"
    )
    texts = _texts(store, base)
    found: dict[str, Retired] = {}
    for row in rows:
        iri = row["s"].value
        if iri in found:
            continue
        labels, notes = texts.get(iri, ({}, {}))
        found[iri] = Retired(
            iri=iri,
            path=iri[len(base) :],
            date=row["date"].value if "date" in row else "",
            former_type=row["type"].value if "type" in row else None,
            labels=labels,
            notes=notes,
            replaced_by=row["replacement"].value if "replacement" in row else None,
        )
    return list(found.values())


def _texts(store: SparqlStore, base: str) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    rows = store.select(
        f"SELECT ?s ?p ?text WHERE {{ ?s <{OWL}deprecated> true ; ?p ?text "
        f"FILTER(?p IN (<{RDFS}label>, <{SKOS}historyNote>) && isLiteral(?text)) "
        f'FILTER(STRSTARTS(STR(?s), "{base}id/")) }}'
    )
    texts: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for row in rows:
        text = row["text"]
        assert isinstance(text, ox.Literal)
        labels, notes = texts.setdefault(row["s"].value, ({}, {}))
        target = labels if row["p"].value == RDFS + "label" else notes
        target[text.language or "en"] = text.value
    return texts


def withdrawn(retired: list[Retired]) -> list[Retired]:
    """The retired IRIs that nothing replaces: they answer 410 Gone."""
    return [r for r in retired if r.replaced_by is None]


def replacements(retired: list[Retired]) -> dict[str, str]:
    """Path under the base -> the IRI that replaces it: they answer 301."""
    return {r.path: r.replaced_by for r in retired if r.replaced_by is not None}


def find_retired(ctx: ViewContext, iri: str) -> Retired | None:
    """The retired IRI `iri`, if it is one."""
    return next((r for r in retired_iris(ctx.store, ctx.iris.base) if r.iri == iri), None)


def tombstone_page(ctx: ViewContext, urls: Urls, language: str, retired: Retired) -> Page:
    """The page a withdrawn IRI answers with, status 410: what it named, when it went, why."""
    return Page(
        "tombstone.html",
        {
            "retired": retired,
            "label": retired.label(language, ctx.manifest.languages[0]),
            "note": retired.note(language, ctx.manifest.languages[0]),
            "former_type": (
                ctx.terms.label(retired.former_type, language) if retired.former_type else None
            ),
            "date": retired.date[:10],
            "policy_href": urls.file(URI_POLICY + ".html"),
            "rdf_href": urls.resource(retired.iri, ".ttl"),
        },
        status=410,
    )


def uri_policy_page(ctx: ViewContext, urls: Urls, language: str) -> Page:
    """The URI policy: what the IRIs name, that they last, and what a retired one answers."""
    base = ctx.iris.base
    retired = retired_iris(ctx.store, base)
    return Page(
        "uri-policy.html",
        {
            "base": base,
            "example": base + "id/person/example-name",
            "graph_example": base + "graph/editorial",
            "replaced": [r for r in retired if r.replaced_by is not None],
            "withdrawn": withdrawn(retired),
            "redirect_example": base + "id/person/example_name",
        },
    )
