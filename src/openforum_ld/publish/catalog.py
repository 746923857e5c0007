"""What harvesters read about the dataset: a VoID description, a DCAT catalog (DCAT-AP 3), and a
PROV-O record of the build that made the publication."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld import __version__
from openforum_ld.iris import (
    DCAT,
    DCTERMS,
    FOAF,
    NAMESPACES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    VOID,
    XSD,
)
from openforum_ld.publish.forum_datasets import describe_forum_datasets
from openforum_ld.publish.forum_subsets import describe_forum_subsets
from openforum_ld.publish.linksets import EU_COUNTRY, covered_countries, describe_linksets
from openforum_ld.publish.portal_metadata import (
    describe_portal_facets,
    describe_rights_and_limits,
    describe_temporal_coverage,
    note_default_publisher,
)
from openforum_ld.rdf.formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE
from openforum_ld.rdf.graph import DESCRIPTION_PREFIXES, SPDX, VCARD, Graph, text, typed
from openforum_ld.views.retired import RETIRED_FILTER

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

    from openforum_ld.config import Settings
    from openforum_ld.load import Dataset
    from openforum_ld.publish.dumps import Dump

IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
FORMATS_NS = "http://www.w3.org/ns/formats/"

_EU_FORMAT = {
    TURTLE.key: "RDF_TURTLE",
    NTRIPLES.key: "RDF_N_TRIPLES",
    JSONLD.key: "JSON_LD",
    RDFXML.key: "RDF_XML",
    TRIG.key: "RDF_TRIG",
    NQUADS.key: "RDF_N_QUADS",
}
_W3C_FORMAT = {
    TURTLE.key: "Turtle",
    NTRIPLES.key: "N-Triples",
    JSONLD.key: "JSON-LD",
    RDFXML.key: "RDF_XML",
    TRIG.key: "TriG",
    NQUADS.key: "N-Quads",
}


@dataclass(frozen=True)
class PublicationIris:
    """The IRIs of the dataset-level resources, all under the base URI."""

    base: str

    @property
    def catalog(self) -> str:
        return self.base + "catalog#catalog"

    @property
    def dataset(self) -> str:
        return self.base + "catalog#dataset"

    @property
    def publisher(self) -> str:
        return self.base + "catalog#publisher"

    @property
    def contact(self) -> str:
        return self.base + "catalog#contact"

    @property
    def service(self) -> str:
        return self.base + "catalog#sparql"

    def distribution(self, dump: Dump) -> str:
        # dumps/x.ttl is #x-ttl; a release's releases/2026.1/x.ttl is #releases-2026-1-x-ttl.
        name = dump.path.removeprefix("dumps/")
        return self.base + "catalog#" + name.replace("/", "-").replace(".", "-")

    def checksum(self, dump: Dump) -> str:
        return self.distribution(dump) + "-sha256"

    @property
    def build(self) -> str:
        return self.base + "build.ttl#build"


def _count(dataset: Dataset, query: str) -> int:
    return int(dataset.store.select(query)[0]["n"].value)


def _forum_labels(dataset: Dataset) -> dict[str, str]:
    rows = dataset.store.select(
        "SELECT ?label WHERE { ?f a ofo:Forum ; skos:prefLabel ?label } ORDER BY ?label"
    )
    found: dict[str, str] = {}
    for row in rows:
        label = row["label"]
        assert isinstance(label, ox.Literal)
        found.setdefault(label.language or "en", label.value)
    return found


def _describe_dataset(
    graph: Graph,
    dataset: Dataset,
    settings: Settings,
    published: PublicationIris,
    date: str,
    issued: str,
) -> None:
    """Title, description, licence, dates and sources: what VoID and DCAT both say."""
    iri = published.dataset
    forums = _count(dataset, "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a ofo:Forum }")
    if forums > 1:
        # One forum's name would misname the whole; each forum has a dataset of its own.
        title, title_fr = f"{forums} civic forums", f"{forums} forums civiques"
        of_en, of_fr = f"of {forums} civic forums", f"de {forums} forums civiques"
        parts_en, parts_fr = "each forum, its agenda", "chaque forum, son programme"
    else:
        labels = _forum_labels(dataset)
        # Titled in the forum's main language, in which every entity has its preferred label.
        title = title_fr = labels.get(settings.main_language) or next(
            iter(labels.values()), "a civic forum"
        )
        of_en, of_fr = f"of the forum “{title}”", f"du forum « {title} »"
        parts_en, parts_fr = "the forum, its agenda", "le forum, son programme"
    graph.add(iri, DCTERMS + "title", text(f"{title}: linked open data"))
    graph.add(iri, DCTERMS + "title", text(f"{title_fr} : données ouvertes liées", "fr"))
    graph.add(
        iri,
        DCTERMS + "description",
        text(
            f"The proceedings {of_en} as linked open data: {parts_en}, "
            "talks, speakers, organizations, places, plans, commitments, laws, platforms, figures, "
            "conclusions and topics, each statement in a named graph that says which document and "
            "section it comes from."
        ),
    )
    graph.add(
        iri,
        DCTERMS + "description",
        text(
            f"Les actes {of_fr} en données ouvertes liées : {parts_fr}, "
            "les interventions, les intervenants, les organisations, les lieux, les plans, les "
            "engagements, les textes, les plateformes, les chiffres, les conclusions et les thèmes, "
            "chaque affirmation dans un graphe nommé qui indique le document et la section d'où elle vient.",
            "fr",
        ),
    )
    graph.add(iri, DCTERMS + "license", settings.license)
    graph.add(iri, DCTERMS + "publisher", published.publisher)
    graph.add(iri, DCTERMS + "modified", typed(date, "date"))
    graph.add(iri, DCTERMS + "issued", typed(issued, "date"))
    for row in dataset.store.select("SELECT ?d WHERE { ?d a ofo:SourceDocument } ORDER BY ?d"):
        graph.add(iri, PROV + "wasDerivedFrom", row["d"].value)
    graph.add(iri, FOAF + "homepage", settings.base_uri)


def void_description(
    dataset: Dataset, settings: Settings, dumps: list[Dump], date: str, issued: str
) -> Graph:
    """The VoID description: counts, partitions, vocabularies, dumps and the endpoint."""
    published = PublicationIris(settings.base_uri)
    graph = Graph()
    iri = published.dataset
    graph.add(iri, RDF + "type", VOID + "Dataset")
    _describe_dataset(graph, dataset, settings, published, date, issued)
    graph.add(published.publisher, RDF + "type", FOAF + "Organization")
    graph.add(published.publisher, FOAF + "name", text(settings.publisher_name, None))
    base = settings.base_uri
    graph.add(iri, VOID + "triples", typed(dataset.store.default_graph_size(), "integer"))
    graph.add(
        iri,
        VOID + "entities",
        typed(
            _count(
                dataset,
                f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o "
                f'FILTER(STRSTARTS(STR(?s), "{base}id/")) {RETIRED_FILTER} }}',
            ),
            "integer",
        ),
    )
    graph.add(
        iri,
        VOID + "distinctSubjects",
        typed(_count(dataset, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"), "integer"),
    )
    graph.add(
        iri,
        VOID + "distinctObjects",
        typed(_count(dataset, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"), "integer"),
    )
    graph.add(
        iri,
        VOID + "properties",
        typed(_count(dataset, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"), "integer"),
    )
    graph.add(
        iri,
        VOID + "classes",
        typed(_count(dataset, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"), "integer"),
    )
    graph.add(iri, VOID + "uriSpace", text(base + "id/", None))
    graph.add(iri, VOID + "rootResource", base)
    for number, row in enumerate(
        dataset.store.select(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
        )
    ):
        partition = ox.BlankNode(f"class{number}")
        graph.add(iri, VOID + "classPartition", partition)
        graph.add(partition, VOID + "class", row["c"].value)
        graph.add(partition, VOID + "entities", typed(int(row["n"].value), "integer"))
    for number, row in enumerate(
        dataset.store.select(
            "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
        )
    ):
        partition = ox.BlankNode(f"property{number}")
        graph.add(iri, VOID + "propertyPartition", partition)
        graph.add(partition, VOID + "property", row["p"].value)
        graph.add(partition, VOID + "triples", typed(int(row["n"].value), "integer"))
    used = {
        row["t"].value
        for row in dataset.store.select(
            "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }"
        )
    }
    for namespace in sorted(set(NAMESPACES.values())):
        if namespace not in (RDF, RDFS, XSD) and any(t.startswith(namespace) for t in used):
            graph.add(iri, VOID + "vocabulary", namespace)
    describe_linksets(graph, dataset, iri)
    describe_forum_subsets(graph, dataset, iri)
    for dump in dumps:
        graph.add(iri, VOID + "dataDump", base + dump.path)
    for kind in ("forum", "talk", "person"):
        rows = dataset.store.select(
            f'SELECT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{base}id/{kind}/")) }} ORDER BY ?s LIMIT 1'
        )
        if rows:
            graph.add(iri, VOID + "exampleResource", rows[0]["s"].value)
    for fmt in sorted({d.format.key for d in dumps}):
        graph.add(iri, VOID + "feature", FORMATS_NS + _W3C_FORMAT[fmt])
    if settings.endpoint_url:
        graph.add(iri, VOID + "sparqlEndpoint", settings.endpoint_url)
    return graph


def dcat_catalog(
    dataset: Dataset, settings: Settings, dumps: list[Dump], date: str, issued: str
) -> Graph:
    """The DCAT catalog a portal harvests: one catalog, one dataset, a distribution per dump and
    the SPARQL endpoint as a data service."""
    published = PublicationIris(settings.base_uri)
    base = settings.base_uri
    graph = Graph()
    catalog, iri = published.catalog, published.dataset

    graph.add(catalog, RDF + "type", DCAT + "Catalog")
    graph.add(
        catalog, DCTERMS + "title", text(f"{settings.publisher_name} linked open data catalog")
    )
    graph.add(
        catalog,
        DCTERMS + "title",
        text(f"Catalogue de données ouvertes liées de {settings.publisher_name}", "fr"),
    )
    graph.add(
        catalog,
        DCTERMS + "description",
        text("The datasets published by openforum-ld: civic forums as linked open data."),
    )
    graph.add(
        catalog,
        DCTERMS + "description",
        text(
            "Les jeux de données publiés par openforum-ld : des forums civiques en données ouvertes liées.",
            "fr",
        ),
    )
    graph.add(catalog, DCTERMS + "publisher", published.publisher)
    graph.add(catalog, DCTERMS + "license", settings.license)
    graph.add(catalog, DCTERMS + "modified", typed(date, "date"))
    graph.add(catalog, DCTERMS + "issued", typed(issued, "date"))
    graph.add(catalog, DCTERMS + "language", EU_LANGUAGE + "ENG")
    graph.add(catalog, FOAF + "homepage", base)
    graph.add(catalog, DCAT + "dataset", iri)
    graph.add(EU_LANGUAGE + "ENG", RDF + "type", DCTERMS + "LinguisticSystem")
    graph.add(EU_LANGUAGE + "ENG", SKOS + "inScheme", EU_LANGUAGE.rstrip("/"))

    graph.add(published.publisher, RDF + "type", FOAF + "Agent")
    graph.add(published.publisher, RDF + "type", FOAF + "Organization")
    graph.add(published.publisher, FOAF + "name", text(settings.publisher_name, None))
    graph.add(published.publisher, FOAF + "homepage", settings.publisher_url or base)
    note_default_publisher(graph, settings, published.publisher)

    graph.add(iri, RDF + "type", DCAT + "Dataset")
    _describe_dataset(graph, dataset, settings, published, date, issued)
    graph.add(iri, DCAT + "landingPage", base)
    graph.add(base, RDF + "type", FOAF + "Document")
    graph.add(iri, DCTERMS + "identifier", text(iri, None))
    graph.add(iri, DCTERMS + "language", EU_LANGUAGE + "ENG")
    graph.add(iri, DCAT + "contactPoint", published.contact)
    graph.add(published.contact, RDF + "type", VCARD + "Kind")
    graph.add(published.contact, VCARD + "fn", text(settings.publisher_name, None))
    if settings.contact_email:
        graph.add(published.contact, VCARD + "hasEmail", "mailto:" + settings.contact_email)
    graph.add(
        published.contact,
        VCARD + "hasURL",
        settings.contact_url
        or (settings.feedback_url if "{" not in settings.feedback_url else "")
        or settings.publisher_url
        or base,
    )
    _themes_and_keywords(graph, dataset, iri, catalog)
    for country in covered_countries(dataset):
        graph.add(iri, DCTERMS + "spatial", country)
        graph.add(country, RDF + "type", DCTERMS + "Location")
        graph.add(country, SKOS + "inScheme", EU_COUNTRY.rstrip("/"))
    describe_temporal_coverage(graph, dataset, iri)
    describe_forum_datasets(
        graph, dataset, base, iri, catalog, published.publisher, settings.license
    )
    describe_portal_facets(graph, settings, base, iri, catalog, published.publisher)
    describe_rights_and_limits(graph, dataset, settings.main_language, base, iri, catalog)

    graph.add(settings.license, RDF + "type", DCTERMS + "LicenseDocument")
    for dump in dumps:
        describe_distribution(graph, published, dump, settings)
    if settings.endpoint_url:
        service = published.service
        graph.add(catalog, DCAT + "service", service)
        graph.add(service, RDF + "type", DCAT + "DataService")
        graph.add(service, DCTERMS + "title", text("SPARQL 1.1 endpoint"))
        graph.add(service, DCTERMS + "title", text("Point d'accès SPARQL 1.1", "fr"))
        graph.add(service, DCAT + "endpointURL", settings.endpoint_url)
        graph.add(service, DCAT + "endpointDescription", settings.endpoint_url)
        graph.add(settings.endpoint_url, RDF + "type", RDFS + "Resource")
        graph.add(service, DCAT + "servesDataset", iri)
        graph.add(service, DCTERMS + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
        graph.add(service, DCTERMS + "license", settings.license)
        graph.add(service, DCTERMS + "publisher", published.publisher)
        graph.add("https://www.w3.org/TR/sparql11-protocol/", RDF + "type", DCTERMS + "Standard")
    return graph


def _themes_and_keywords(graph: Graph, dataset: Dataset, iri: str, catalog: str) -> None:
    rows = dataset.store.select(
        "SELECT ?scheme ?concept ?label WHERE { ?scheme a skos:ConceptScheme ; skos:hasTopConcept ?concept . "
        "?concept skos:prefLabel ?label } ORDER BY ?scheme ?concept"
    )
    for row in rows:
        scheme, concept, label = row["scheme"].value, row["concept"].value, row["label"]
        assert isinstance(label, ox.Literal)
        graph.add(catalog, DCAT + "themeTaxonomy", scheme)
        graph.add(scheme, RDF + "type", SKOS + "ConceptScheme")
        for title in dataset.store.select(f"SELECT ?t WHERE {{ <{scheme}> skos:prefLabel ?t }}"):
            graph.add(scheme, DCTERMS + "title", title["t"])
        graph.add(iri, DCAT + "theme", concept)
        graph.add(concept, RDF + "type", SKOS + "Concept")
        graph.add(concept, SKOS + "inScheme", scheme)
        graph.add(concept, SKOS + "prefLabel", label)
        graph.add(iri, DCAT + "keyword", label)


def describe_distribution(
    graph: Graph,
    published: PublicationIris,
    dump: Dump,
    settings: Settings,
    dataset: str | None = None,
) -> None:
    """A dump as a distribution of `dataset` (default: the current dataset): where to
    download it, its format, size, checksum and licence."""
    iri = published.distribution(dump)
    url = settings.base_uri + dump.path
    graph.add(dataset or published.dataset, DCAT + "distribution", iri)
    graph.add(iri, RDF + "type", DCAT + "Distribution")
    label = dump.format.label + (", gzip" if dump.gzipped else "")
    graph.add(iri, DCTERMS + "title", text(f"Dump in {label}"))
    graph.add(iri, DCTERMS + "title", text(f"Export en {label}", "fr"))
    graph.add(iri, DCAT + "accessURL", url)
    graph.add(iri, DCAT + "downloadURL", url)
    media_type = IANA + dump.format.media_type
    graph.add(iri, DCAT + "mediaType", media_type)
    graph.add(media_type, RDF + "type", DCTERMS + "MediaType")
    file_type = EU_FILE_TYPE + _EU_FORMAT[dump.format.key]
    graph.add(iri, DCTERMS + "format", file_type)
    graph.add(file_type, RDF + "type", DCTERMS + "MediaTypeOrExtent")
    graph.add(file_type, SKOS + "inScheme", EU_FILE_TYPE.rstrip("/"))
    if dump.gzipped:
        graph.add(iri, DCAT + "compressFormat", IANA + "application/gzip")
        graph.add(IANA + "application/gzip", RDF + "type", DCTERMS + "MediaType")
    graph.add(iri, DCAT + "byteSize", typed(dump.size, "nonNegativeInteger"))
    checksum = published.checksum(dump)
    graph.add(iri, SPDX + "checksum", checksum)
    graph.add(checksum, RDF + "type", SPDX + "Checksum")
    graph.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
    graph.add(SPDX + "checksumAlgorithm_sha256", RDF + "type", SPDX + "ChecksumAlgorithm")
    graph.add(checksum, SPDX + "checksumValue", typed(dump.sha256, "hexBinary"))
    graph.add(iri, DCTERMS + "license", settings.license)
    standard = (
        "https://www.w3.org/TR/"
        + {
            "turtle": "turtle/",
            "nt": "n-triples/",
            "jsonld": "json-ld11/",
            "rdfxml": "rdf-syntax-grammar/",
            "trig": "trig/",
            "nq": "n-quads/",
        }[dump.format.key]
    )
    graph.add(iri, DCTERMS + "conformsTo", standard)
    graph.add(standard, RDF + "type", DCTERMS + "Standard")


def write_build_record(
    settings: Settings,
    inputs: list[tuple[str, str, int]],
    outputs: Iterable[str],
    checksum: Callable[[str], tuple[str, int]],
    date: str,
    path: Path,
) -> None:
    """The PROV-O record of a build, as sorted Turtle at `path`: the activity, the software, what
    it used and what it made, each file with the SHA-256 and size `checksum` gives for it.

    A build at a million triples makes hundreds of thousands of files, so the record is written
    as it is made, one file at a time, rather than held as a graph."""
    from openforum_ld.rdf.serialize import TermWriter, block_order, kind_prefixes, turtle_statement

    published = PublicationIris(settings.base_uri)
    build = published.build
    software = settings.base_uri + "build.ttl#software"
    described = Graph()
    described.add(build, RDF + "type", PROV + "Activity")
    described.add(build, RDFS + "label", text("Build of the openforum-ld publication"))
    described.add(build, PROV + "endedAtTime", typed(f"{date}T00:00:00Z", "dateTime"))
    described.add(build, PROV + "wasAssociatedWith", software)
    described.add(software, RDF + "type", PROV + "SoftwareAgent")
    described.add(software, SCHEMA + "name", text("openforum-ld", None))
    described.add(software, SCHEMA + "softwareVersion", text(__version__, None))
    for index, (name, sha256, size) in enumerate(inputs, start=1):
        node = settings.base_uri + f"build.ttl#input-{index}"
        described.add(build, PROV + "used", node)
        described.add(node, RDF + "type", PROV + "Entity")
        described.add(node, SCHEMA + "name", text(name, None))
        described.add(node, SCHEMA + "sha256", text(sha256, None))
        described.add(node, DCAT + "byteSize", typed(size, "nonNegativeInteger"))

    # Subjects in the order `write_turtle` puts them: by their N-Triples form, so `<…/x.html>`
    # comes before `<…/x>`.
    files = sorted(outputs, key=lambda name: name + ">")
    generated = ox.NamedNode(PROV + "generated")
    activity = ox.NamedNode(build)

    def statements(subject: ox.NamedNode) -> Iterator[ox.Triple]:
        known = sorted(
            (q.triple for q in described.store.quads_for_subject(subject)), key=block_order
        )
        if subject != activity:
            return iter(known)
        made = (ox.Triple(activity, generated, ox.NamedNode(settings.base_uri + f)) for f in files)
        return heapq.merge(known, made, key=block_order)

    def file_statements(node: ox.NamedNode, name: str) -> list[ox.Triple]:
        sha256, size = checksum(name)
        made = [
            ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(PROV + "Entity")),
            ox.Triple(node, ox.NamedNode(PROV + "wasGeneratedBy"), activity),
            ox.Triple(node, ox.NamedNode(SCHEMA + "sha256"), text(sha256, None)),
            ox.Triple(node, ox.NamedNode(DCAT + "byteSize"), typed(size, "nonNegativeInteger")),
        ]
        return sorted(made, key=block_order)

    # Each subject with the file it describes, or "" for the activity, software and inputs.
    own = sorted({q.subject for q in described.store}, key=str)
    subjects = heapq.merge(
        ((str(s), s, "") for s in own),
        ((f"<{settings.base_uri}{f}>", ox.NamedNode(settings.base_uri + f), f) for f in files),
        key=lambda entry: entry[0],
    )
    writer = TermWriter({**DESCRIPTION_PREFIXES, **kind_prefixes(settings.base_uri)})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(writer.header())
        for _, subject, name in subjects:
            assert isinstance(subject, ox.NamedNode)
            triples = file_statements(subject, name) if name else statements(subject)
            out.writelines(turtle_statement(writer, subject, triples))
            out.write("\n")
