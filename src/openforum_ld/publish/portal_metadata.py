"""What portals sort, filter and trust a dataset by, for the DCAT catalog: its coverage in time,
how often it changes, who may access it, its EU data themes, who made it, the rights statement
that keeps the editors' data apart from the texts it quotes, the page of what the sources leave
out, and a default publisher that says it is one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.config import ENV_PREFIX
from openforum_ld.iris import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS
from openforum_ld.publish.eu_vocabularies import (
    ACCESS_RIGHT_SCHEME,
    DATA_THEME_SCHEME,
    FREQUENCY_SCHEME,
    PUBLIC_ACCESS,
    data_theme_scheme_label,
    frequency,
    themes_for,
)
from openforum_ld.rdf.graph import text
from openforum_ld.views.not_in_sources import NOT_IN_SOURCES_PATH

if TYPE_CHECKING:
    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset
    from openforum_ld.rdf.graph import Graph


def describe_temporal_coverage(graph: Graph, dataset: Dataset, iri: str) -> None:
    """The days of the forums the proceedings record, from the first one's start to the last
    one's end (a forum without an end date lasted its start day)."""
    rows = dataset.store.select(
        "SELECT (MIN(?start) AS ?first) (MAX(COALESCE(?end, ?start)) AS ?last) WHERE { "
        "?f a ofo:Forum ; schema:startDate ?start OPTIONAL { ?f schema:endDate ?end } }"
    )
    if not rows or rows[0].get("first") is None:
        return
    period = ox.BlankNode("forum-period")
    graph.add(iri, DCTERMS + "temporal", period)
    graph.add(period, RDF + "type", DCTERMS + "PeriodOfTime")
    graph.add(period, DCAT + "startDate", rows[0]["first"])
    graph.add(period, DCAT + "endDate", rows[0]["last"])


def describe_portal_facets(
    graph: Graph, settings: Settings, base: str, iri: str, catalog: str, publisher: str
) -> None:
    """What portals sort and filter by: how often the data changes, who may access it, its EU
    data themes (the table declared as a theme taxonomy, each theme with its labels) and who
    made it. Each EU concept names its table, as DCAT-AP's vocabulary shapes ask."""
    periodicity = frequency(settings.accrual_periodicity)
    graph.add(iri, DCTERMS + "accrualPeriodicity", periodicity)
    graph.add(periodicity, RDF + "type", DCTERMS + "Frequency")
    graph.add(periodicity, SKOS + "inScheme", FREQUENCY_SCHEME)
    graph.add(iri, DCTERMS + "accessRights", PUBLIC_ACCESS)
    graph.add(PUBLIC_ACCESS, RDF + "type", DCTERMS + "RightsStatement")
    graph.add(PUBLIC_ACCESS, SKOS + "inScheme", ACCESS_RIGHT_SCHEME)
    graph.add(catalog, DCAT + "themeTaxonomy", DATA_THEME_SCHEME)
    graph.add(DATA_THEME_SCHEME, RDF + "type", SKOS + "ConceptScheme")
    graph.add(DATA_THEME_SCHEME, DCTERMS + "title", text(data_theme_scheme_label()))
    for theme in themes_for(settings.data_themes):
        graph.add(iri, DCAT + "theme", theme.iri)
        graph.add(theme.iri, RDF + "type", SKOS + "Concept")
        graph.add(theme.iri, SKOS + "inScheme", DATA_THEME_SCHEME)
        for language, label in sorted(theme.labels.items()):
            graph.add(theme.iri, SKOS + "prefLabel", text(label, language or None))
    if settings.creator_name:
        creator = base + "catalog#creator"
        graph.add(iri, DCTERMS + "creator", creator)
        graph.add(creator, RDF + "type", FOAF + "Agent")
        graph.add(creator, FOAF + "name", text(settings.creator_name, None))
    else:
        graph.add(iri, DCTERMS + "creator", publisher)


def describe_rights_and_limits(
    graph: Graph, dataset: Dataset, main_language: str, base: str, iri: str, catalog: str
) -> None:
    """The rights statement that separates the editors' data (under the licence) from the
    source texts the publication quotes, with what each source document states of its rights
    (dc:rights) or, when none does, that the data states nothing of them; and the page of what
    the sources leave out, as the dataset's documentation."""
    rights = base + "catalog#rights"
    for node in (catalog, iri):
        graph.add(node, DCTERMS + "rights", rights)
    graph.add(rights, RDF + "type", DCTERMS + "RightsStatement")
    english = _documents_rights(dataset, "en", main_language)
    graph.add(
        rights,
        RDFS + "label",
        text(
            "The data (the editors' statements, labels, links and notes) is under the licence "
            "given. The source texts it quotes are published as they are under sources/, so "
            "that each statement can be checked against them; "
            + (
                "what each says of its rights, as the data states it: "
                + " ".join(f"“{title}”: {_sentence(statement)}" for title, statement in english)
                if english
                else "the data states nothing of their rights."
            )
        ),
    )
    french = _documents_rights(dataset, "fr", main_language)
    graph.add(
        rights,
        RDFS + "label",
        text(
            "Les données (affirmations, libellés, liens et notes des éditeurs) sont sous la "
            "licence indiquée. Les textes sources qu'elles citent sont publiés tels quels sous "
            "sources/, pour que chaque affirmation puisse être vérifiée ; "
            + (
                "ce que chacun dit de ses droits, tel que les données l'indiquent : "
                + " ".join(f"« {title} » : {_sentence(statement)}" for title, statement in french)
                if french
                else "les données n'indiquent rien de leurs droits."
            ),
            "fr",
        ),
    )
    page = base + NOT_IN_SOURCES_PATH
    graph.add(iri, FOAF + "page", page)
    graph.add(page, RDF + "type", FOAF + "Document")
    graph.add(page, DCTERMS + "title", text("Not in the sources"))
    graph.add(page, DCTERMS + "title", text("Absent des sources", "fr"))
    graph.add(
        page,
        DCTERMS + "description",
        text(
            "What a reader might look for and the source texts do not say, so neither does the data."
        ),
    )


def _sentence(text: str) -> str:
    """`text` ending as a sentence does, so that several follow one another."""
    stripped = " ".join(text.split())
    return stripped if stripped.endswith((".", "!", "?", "…")) else stripped + "."


def _documents_rights(dataset: Dataset, language: str, main_language: str) -> list[tuple[str, str]]:
    """(title, rights statement) of each source document that states its rights, both in
    `language`, else in the forum's main language, else in any; in title order."""
    rows = dataset.store.select(
        "SELECT ?document ?value ?kind WHERE { ?document a ofo:SourceDocument . "
        '{ ?document skos:prefLabel ?value BIND("title" AS ?kind) } UNION '
        '{ ?document <http://purl.org/dc/elements/1.1/rights> ?value BIND("rights" AS ?kind) } }'
    )
    found: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        value = row["value"]
        assert isinstance(value, ox.Literal)
        by_language = found.setdefault(row["document"].value, {}).setdefault(row["kind"].value, {})
        by_language.setdefault(value.language or "", value.value)

    def best(by_language: dict[str, str]) -> str:
        for candidate in (language, main_language, ""):
            if candidate in by_language:
                return by_language[candidate]
        return by_language[min(by_language)]

    return sorted(
        (best(kinds.get("title") or {"": document}), best(kinds["rights"]))
        for document, kinds in found.items()
        if "rights" in kinds
    )


def note_default_publisher(graph: Graph, settings: Settings, publisher: str) -> None:
    """A publication whose operator named no publisher says so, rather than pass the default
    name off as a real one."""
    if not settings.publisher_is_default:
        return
    graph.add(
        publisher,
        RDFS + "comment",
        text(
            f"Default publisher: “{settings.publisher_name}” is the software's name, not a "
            "publisher's; the operator of this publication has not set "
            f"{ENV_PREFIX}PUBLISHER_NAME."
        ),
    )
    graph.add(
        publisher,
        RDFS + "comment",
        text(
            f"Éditeur par défaut : « {settings.publisher_name} » est le nom du logiciel, pas "
            "celui d'un éditeur ; l'exploitant de cette publication n'a pas défini "
            f"{ENV_PREFIX}PUBLISHER_NAME.",
            "fr",
        ),
    )
