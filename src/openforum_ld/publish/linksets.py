"""The dataset's links to other datasets, as harvesters read them: a VoID linkset per target
dataset and link property, and the countries of the EU authority table for DCAT's dct:spatial.

The links themselves are data (`graph/editorial`, each with the page that confirms it); this
module only counts and describes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.iris import DCTERMS, FOAF, NAMESPACES, RDF, SKOS, VOID
from openforum_ld.rdf.graph import Graph, text, typed

if TYPE_CHECKING:
    from openforum_ld.load import Dataset

EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"


@dataclass(frozen=True)
class LinkTarget:
    """Another dataset the data links to: where its IRIs start, and how to name it."""

    key: str
    title: str
    uri_space: str
    homepage: str


LINK_TARGETS = (
    LinkTarget(
        "wikidata", "Wikidata", "http://www.wikidata.org/entity/", "https://www.wikidata.org/"
    ),
    LinkTarget(
        "eu-countries",
        "EU Vocabularies: Countries and territories",
        EU_COUNTRY,
        "https://op.europa.eu/en/web/eu-vocabularies/dataset/-/resource/dataset/country",
    ),
)


def describe_linksets(graph: Graph, dataset: Dataset, dataset_iri: str) -> None:
    """Add a void:Linkset for each target dataset and link property the data uses, with the
    number of links, as a subset of `dataset_iri`."""
    base = dataset.iris.base
    for target in LINK_TARGETS:
        rows = dataset.store.select(
            "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
            f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{target.uri_space}") '
            f'&& STRSTARTS(STR(?s), "{base}id/")) }} GROUP BY ?p ORDER BY ?p'
        )
        if not rows:
            continue
        target_iri = f"{dataset_iri}-{target.key}"
        graph.add(target_iri, RDF + "type", VOID + "Dataset")
        graph.add(target_iri, DCTERMS + "title", text(target.title, None))
        graph.add(target_iri, VOID + "uriSpace", text(target.uri_space, None))
        graph.add(target_iri, FOAF + "homepage", target.homepage)
        for row in rows:
            predicate = row["p"].value
            linkset = f"{dataset_iri}-{target.key}-{_curie_slug(predicate)}"
            graph.add(dataset_iri, VOID + "subset", linkset)
            graph.add(linkset, RDF + "type", VOID + "Linkset")
            graph.add(linkset, VOID + "subjectsTarget", dataset_iri)
            graph.add(linkset, VOID + "objectsTarget", target_iri)
            graph.add(linkset, VOID + "linkPredicate", predicate)
            graph.add(linkset, VOID + "triples", typed(int(row["n"].value), "integer"))


def _curie_slug(iri: str) -> str:
    """`owl-sameAs` for owl:sameAs: two vocabularies may share a local name."""
    for prefix, namespace in NAMESPACES.items():
        if iri.startswith(namespace):
            return f"{prefix}-{iri.removeprefix(namespace)}"
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def covered_countries(dataset: Dataset) -> list[str]:
    """The countries of the EU authority table that the data's places match, for dct:spatial."""
    rows = dataset.store.select(
        f"SELECT DISTINCT ?c WHERE {{ ?place <{SKOS}exactMatch> ?c "
        f'FILTER(STRSTARTS(STR(?c), "{EU_COUNTRY}")) }} ORDER BY ?c'
    )
    return [row["c"].value for row in rows]
