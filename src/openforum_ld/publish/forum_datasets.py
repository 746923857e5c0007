"""A dataset per forum in the DCAT catalog, beside the whole.

A publication may hold several forums. When it does, each is described as a `dcat:Dataset` of its own,
`{base}catalog#forum-{slug}`: its title, the days it was held, the countries its statements
speak of, the named graphs taken from its documents (`dct:hasPart`) and those documents
(`prov:wasDerivedFrom`); it is `dct:isPartOf` the whole dataset, which `dct:hasPart` each. The
forum of a graph is the one its document is about (`schema:about`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import DCAT, DCTERMS, PROV, RDF, SKOS
from openforum_ld.publish.linksets import EU_COUNTRY
from openforum_ld.rdf.graph import text

if TYPE_CHECKING:
    from openforum_ld.load import Dataset
    from openforum_ld.rdf.graph import Graph


@dataclass(frozen=True)
class ForumPart:
    """One forum of the publication, and the part of the data that comes from its documents."""

    forum: str
    slug: str
    labels: dict[str, str]  # language -> preferred label
    start: ox.Literal | None
    end: ox.Literal | None
    documents: tuple[str, ...]
    graphs: tuple[str, ...]
    countries: tuple[str, ...]


def forum_parts(dataset: Dataset) -> list[ForumPart]:
    """Every forum with an id of its own kind, earliest first."""
    rows = dataset.store.select(
        "SELECT ?f (SAMPLE(?s) AS ?start) (SAMPLE(?e) AS ?end) WHERE { ?f a ofo:Forum "
        "OPTIONAL { ?f schema:startDate ?s } OPTIONAL { ?f schema:endDate ?e } } "
        "GROUP BY ?f ORDER BY ?start ?f"
    )
    parts = []
    for row in rows:
        forum = row["f"].value
        split = dataset.iris.split_entity(forum)
        if split is None:
            continue
        parts.append(
            ForumPart(
                forum,
                split[1],
                _labels(dataset, forum),
                _literal(row.get("start")),
                _literal(row.get("end")),
                _values(
                    dataset,
                    f"SELECT DISTINCT ?v WHERE {{ ?v a ofo:SourceDocument ; schema:about <{forum}> }}",
                ),
                _values(
                    dataset,
                    "SELECT DISTINCT ?v WHERE { ?v a ofo:SourcedGraph ; prov:wasDerivedFrom ?d . "
                    f"?d a ofo:SourceDocument ; schema:about <{forum}> }}",
                ),
                _values(
                    dataset,
                    "SELECT DISTINCT ?v WHERE { ?section a ofo:SourceSection ; "
                    f"schema:isPartOf/schema:about <{forum}> ; schema:mentions ?place . "
                    f'?place skos:exactMatch ?v FILTER(STRSTARTS(STR(?v), "{EU_COUNTRY}")) }}',
                ),
            )
        )
    return parts


def forum_dataset_iri(base: str, part: ForumPart) -> str:
    """The IRI of the catalog's dataset for one forum."""
    return f"{base}catalog#forum-{part.slug}"


def forum_name(part: ForumPart) -> str:
    """The forum's English name, else its name in any language, else its slug."""
    return part.labels.get("en") or next(iter(part.labels.values()), part.slug)


def describe_forum_titles(graph: Graph, iri: str, part: ForumPart) -> None:
    """The titles of a forum's part of the data, in English and French."""
    name = forum_name(part)
    graph.add(iri, DCTERMS + "title", text(f"{name}: linked open data"))
    graph.add(
        iri,
        DCTERMS + "title",
        text(f"{part.labels.get('fr', name)} : données ouvertes liées", "fr"),
    )


def describe_forum_datasets(
    graph: Graph,
    dataset: Dataset,
    base: str,
    whole: str,
    catalog: str,
    publisher: str,
    license: str,
) -> None:
    """A dcat:Dataset per forum, part of `whole` and listed in `catalog`, when the publication
    holds more than one: the dataset of a single forum is the whole, and a harvester would list
    the same data twice."""
    parts = forum_parts(dataset)
    if len(parts) < 2:
        return
    for part in parts:
        iri = forum_dataset_iri(base, part)
        name = forum_name(part)
        graph.add(catalog, DCAT + "dataset", iri)
        graph.add(iri, RDF + "type", DCAT + "Dataset")
        graph.add(iri, DCTERMS + "identifier", text(iri, None))
        describe_forum_titles(graph, iri, part)
        graph.add(
            iri,
            DCTERMS + "description",
            text(
                f"The part of the dataset taken from the documents of the forum “{name}”: one "
                "named graph per section of each document."
            ),
        )
        graph.add(
            iri,
            DCTERMS + "description",
            text(
                f"La partie du jeu de données tirée des documents du forum « {part.labels.get('fr', name)} » : "
                "un graphe nommé par section de chaque document.",
                "fr",
            ),
        )
        graph.add(iri, DCTERMS + "publisher", publisher)
        graph.add(iri, DCTERMS + "license", license)
        graph.add(iri, DCTERMS + "isPartOf", whole)
        graph.add(whole, DCTERMS + "hasPart", iri)
        for named_graph in part.graphs:
            graph.add(iri, DCTERMS + "hasPart", named_graph)
        for document in part.documents:
            graph.add(iri, PROV + "wasDerivedFrom", document)
        for country in part.countries:
            graph.add(iri, DCTERMS + "spatial", country)
            graph.add(country, RDF + "type", DCTERMS + "Location")
            graph.add(country, SKOS + "inScheme", EU_COUNTRY.rstrip("/"))
        if part.start is not None:
            period = ox.BlankNode(f"forum-period-{part.slug}")
            graph.add(iri, DCTERMS + "temporal", period)
            graph.add(period, RDF + "type", DCTERMS + "PeriodOfTime")
            graph.add(period, DCAT + "startDate", part.start)
            graph.add(period, DCAT + "endDate", part.end or part.start)


def _labels(dataset: Dataset, forum: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for row in dataset.store.select(
        f"SELECT ?l WHERE {{ <{forum}> skos:prefLabel ?l }} ORDER BY ?l"
    ):
        label = row["l"]
        if isinstance(label, ox.Literal):
            labels.setdefault(label.language or "", label.value)
    return labels


def _literal(value: object) -> ox.Literal | None:
    return value if isinstance(value, ox.Literal) else None


def _values(dataset: Dataset, query: str) -> tuple[str, ...]:
    return tuple(sorted(row["v"].value for row in dataset.store.select(query)))
