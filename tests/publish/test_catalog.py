"""The VoID description, the DCAT catalog and the build record, as harvesters read them."""

from __future__ import annotations

import hashlib
import io
from functools import partial
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, VOID

from openforum_ld.config import Settings
from openforum_ld.publish.catalog import DESCRIPTION_PREFIXES, write_build_record
from openforum_ld.publish.ledger import Ledger, checksum_of
from openforum_ld.rdf.serialize import kind_prefixes, write_turtle

from ..conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset

SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SCHEMA = rdflib.Namespace("http://schema.org/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCAT_AP = ROOT / "vocab" / "dcat-ap" / "3.0.1"


def _dcat_ap_shapes() -> rdflib.Graph:
    """The official DCAT-AP 3.0.1 shapes the issue names. Their node shapes refer to two
    property shapes the files do not define; one is defined in the release's ranges.ttl and is
    taken from there, the other is defined nowhere and is left out (pyshacl refuses dangling
    references)."""
    shapes = rdflib.Graph()
    shapes.parse(DCAT_AP / "shacl" / "dcat-ap-SHACL.ttl")
    shapes.parse(DCAT_AP / "html" / "shacl" / "range.ttl")
    ranges = rdflib.Graph().parse(DCAT_AP / "shacl" / "ranges.ttl")
    for shape, property_shape in list(shapes.subject_objects(SH.property)):
        if shapes.value(property_shape, SH.path) is None:
            if ranges.value(property_shape, SH.path) is not None:
                for triple in ranges.cbd(property_shape):
                    shapes.add(triple)
            else:
                shapes.remove((shape, SH.property, property_shape))
    return shapes


def _catalog(site: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(site / "catalog.ttl", format="turtle")


def test_the_catalog_has_no_dcat_ap_violations(built_site: Path) -> None:
    conforms, report, text = pyshacl.validate(
        _catalog(built_site), shacl_graph=_dcat_ap_shapes(), inference="none", allow_warnings=True
    )
    assert conforms, text
    assert list(report.subjects(RDF.type, SH.ValidationResult)) == []


def test_the_dcat_ap_check_catches_a_catalog_without_title(built_site: Path) -> None:
    catalog = _catalog(built_site)
    for node in catalog.subjects(RDF.type, DCAT.Catalog):
        catalog.remove((node, DCTERMS.title, None))
    conforms, _, text = pyshacl.validate(catalog, shacl_graph=_dcat_ap_shapes(), inference="none")
    assert not conforms and "title" in text


def test_a_harvester_finds_one_dataset_with_a_distribution_per_dump(built_site: Path) -> None:
    catalog = _catalog(built_site)
    [dataset] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    distributions = list(catalog.objects(dataset, DCAT.distribution))
    assert len(distributions) == 6
    for distribution in distributions:
        url = str(catalog.value(distribution, DCAT.downloadURL))
        assert url.startswith("http://127.0.0.1:8000/dumps/")
        path = built_site / url.removeprefix("http://127.0.0.1:8000/")
        assert path.is_file(), url
        assert int(catalog.value(distribution, DCAT.byteSize)) == path.stat().st_size
        checksum = catalog.value(distribution, SPDX.checksum)
        assert (
            str(catalog.value(checksum, SPDX.checksumValue))
            == hashlib.sha256(path.read_bytes()).hexdigest()
        )
        assert str(catalog.value(distribution, DCAT.mediaType)).startswith(
            "http://www.iana.org/assignments/media-types/"
        )
        assert catalog.value(distribution, DCTERMS.format) is not None
        assert (
            str(catalog.value(distribution, DCTERMS.license))
            == "https://creativecommons.org/licenses/by/4.0/"
        )


def test_the_catalog_carries_license_dates_publisher_contact_themes_and_the_endpoint(
    built_site: Path,
) -> None:
    catalog = _catalog(built_site)
    [dataset] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    assert str(catalog.value(dataset, DCTERMS.modified)) == "2020-12-01"
    assert catalog.value(dataset, DCTERMS.issued) is not None
    publisher = catalog.value(dataset, DCTERMS.publisher)
    assert str(catalog.value(publisher, rdflib.FOAF.name)) == "openforum-ld"
    assert catalog.value(dataset, DCAT.contactPoint) is not None
    themes = list(catalog.objects(dataset, DCAT.theme))
    keywords = {str(k) for k in catalog.objects(dataset, DCAT.keyword)}
    assert len(themes) >= 12
    assert {"openness", "open government", "civil society", "ouverture"} <= keywords
    [service] = list(catalog.subjects(RDF.type, DCAT.DataService))
    assert str(catalog.value(service, DCAT.endpointURL)) == "http://127.0.0.1:8000/sparql"


def test_void_counts_agree_with_the_store(built_site: Path, dataset: Dataset) -> None:
    void = rdflib.Graph().parse(built_site / "void.ttl", format="turtle")
    [node] = set(void.subjects(VOID.dataDump, None))  # not the datasets it links to
    assert int(void.value(node, VOID.triples)) == dataset.store.default_graph_size()
    assert int(void.value(node, VOID.entities)) >= 217
    assert str(void.value(node, VOID.uriSpace)) == "http://127.0.0.1:8000/id/"
    dumps = {str(d) for d in void.objects(node, VOID.dataDump)}
    assert len(dumps) == 6 and all(
        (built_site / d.removeprefix("http://127.0.0.1:8000/")).is_file() for d in dumps
    )
    assert len(list(void.objects(node, VOID.classPartition))) >= 20
    assert len(list(void.objects(node, VOID.propertyPartition))) >= 50
    vocabularies = {str(v) for v in void.objects(node, VOID.vocabulary)}
    assert {
        "http://schema.org/",
        "http://www.w3.org/ns/org#",
        "https://w3id.org/openforum/ontology#",
    } <= vocabularies
    assert str(void.value(node, VOID.sparqlEndpoint)) == "http://127.0.0.1:8000/sparql"
    assert set(void.objects(node, PROV.wasDerivedFrom)) == {
        rdflib.URIRef("http://127.0.0.1:8000/id/document/forum-report"),
        rdflib.URIRef("http://127.0.0.1:8000/id/document/forum-web-page"),
    }
    assert (built_site / ".well-known" / "void").read_bytes() == (
        built_site / "void.ttl"
    ).read_bytes()


def test_void_describes_a_linkset_per_target_and_property_with_its_count(
    built_site: Path, dataset: Dataset
) -> None:
    void = rdflib.Graph().parse(built_site / "void.ttl", format="turtle")
    [node] = set(void.subjects(VOID.dataDump, None))
    linksets = set(void.objects(node, VOID.subset))
    assert linksets and all((ls, RDF.type, VOID.Linkset) in void for ls in linksets)
    counted = {}
    for linkset in linksets:
        assert void.value(linkset, VOID.subjectsTarget) == node
        target = void.value(linkset, VOID.objectsTarget)
        space = str(void.value(target, VOID.uriSpace))
        predicate = str(void.value(linkset, VOID.linkPredicate))
        counted[(space, predicate)] = int(void.value(linkset, VOID.triples))
    # Each count is the number of such links in the store.
    for (space, predicate), triples in counted.items():
        [row] = dataset.store.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o "
            f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{space}")) }}'
        )
        assert int(row["n"].value) == triples
    wikidata = "http://www.wikidata.org/entity/"
    assert counted[(wikidata, "http://www.w3.org/2002/07/owl#sameAs")] >= 10
    assert (
        "http://publications.europa.eu/resource/authority/country/",
        "http://www.w3.org/2004/02/skos/core#exactMatch",
    ) in counted


def test_the_catalog_gives_the_countries_the_data_covers_from_the_eu_table(
    built_site: Path,
) -> None:
    catalog = rdflib.Graph().parse(built_site / "catalog.ttl", format="turtle")
    [dataset] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    spatial = {str(c) for c in catalog.objects(dataset, DCTERMS.spatial)}
    country = "http://publications.europa.eu/resource/authority/country/"
    assert {country + code for code in ("MAR", "GEO", "NGA", "KEN")} == spatial


def test_the_build_record_lists_inputs_and_outputs_with_their_hashes(built_site: Path) -> None:
    record = rdflib.Graph().parse(built_site / "build.ttl", format="turtle")
    [build] = list(record.subjects(RDF.type, PROV.Activity))
    inputs = list(record.objects(build, PROV.used))
    names = {str(record.value(i, SCHEMA.name)) for i in inputs}
    assert (
        "data/report-vii.trig" in names
        and "ontology/openforum.ttl" in names
        and "shapes/events.ttl" in names
    )
    outputs = list(record.objects(build, PROV.generated))
    assert len(outputs) > 1000
    for output in outputs:
        path = built_site / str(output).removeprefix("http://127.0.0.1:8000/")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == str(
            record.value(output, SCHEMA.sha256)
        ), path
    agent = record.value(build, PROV.wasAssociatedWith)
    from openforum_ld import __version__

    assert str(record.value(agent, SCHEMA.softwareVersion)) == __version__


def test_the_streamed_build_record_is_the_sorted_turtle_of_its_statements(tmp_path: Path) -> None:
    # The record is written file by file rather than held as a graph; it must be the very bytes
    # the sorted Turtle writer gives for the same statements, whatever the file names.
    base = "http://127.0.0.1:8000/"
    root = tmp_path / "site"
    # `<…/a.html>` sorts before `<…/a>`, and `build…` files fall among the record's own nodes.
    files = ["a", "a.html", "ab/c", "ab.html", "build", "build.ttl.html", "id/person/x", "id/x.ttl"]
    written = Ledger()
    for number, name in enumerate(files):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        content = b"x" * number
        (root / name).write_bytes(content)
        # Half the files are recorded with the checksum of what was written, half read back.
        written.add(name, checksum_of(content) if number % 2 else None)
    inputs = [(f"data/{n}.trig", f"{n:064x}", n) for n in range(1, 12)]
    settings = Settings(base_uri=base)
    write_build_record(
        settings,
        inputs,
        written.paths(),
        partial(written.checksum, root),
        "2020-11-20",
        tmp_path / "build.ttl",
    )

    record = rdflib.Graph().parse(tmp_path / "build.ttl", format="turtle")
    build = rdflib.URIRef(base + "build.ttl#build")
    assert {str(o) for o in record.objects(build, PROV.generated)} == {base + f for f in files}
    assert len(list(record.objects(build, PROV.used))) == len(inputs)
    for name in files:
        node = rdflib.URIRef(base + name)
        digest = hashlib.sha256((root / name).read_bytes()).hexdigest()
        assert str(record.value(node, SCHEMA.sha256)) == digest
        assert record.value(node, DCAT.byteSize).toPython() == (root / name).stat().st_size

    statements = ox.Dataset(ox.parse(path=tmp_path / "build.ttl", format=ox.RdfFormat.TURTLE))
    expected = io.StringIO()
    write_turtle(statements, expected, {**DESCRIPTION_PREFIXES, **kind_prefixes(base)})
    assert (tmp_path / "build.ttl").read_text(encoding="utf-8") == expected.getvalue()


EU = "http://publications.europa.eu/resource/authority/"
SKOS = rdflib.namespace.SKOS


def _catalog_for(dataset: Dataset, settings: Settings) -> rdflib.Graph:
    from openforum_ld.publish.catalog import dcat_catalog
    from openforum_ld.rdf.convert import rdflib_graph

    graph = dcat_catalog(dataset, settings, [], "2020-12-01", "2020-12-01")
    return rdflib_graph(graph.store)


def test_portals_find_frequency_access_rights_and_the_eu_data_theme(built_site: Path) -> None:
    catalog = _catalog(built_site)
    [catalog_node] = list(catalog.subjects(RDF.type, DCAT.Catalog))
    [dataset] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    assert catalog.value(dataset, DCTERMS.accrualPeriodicity) == rdflib.URIRef(
        EU + "frequency/IRREG"
    )
    assert catalog.value(dataset, DCTERMS.accessRights) == rdflib.URIRef(EU + "access-right/PUBLIC")
    scheme = rdflib.URIRef(EU + "data-theme")
    assert scheme in set(catalog.objects(catalog_node, DCAT.themeTaxonomy))
    government = rdflib.URIRef(EU + "data-theme/GOVE")
    assert government in set(catalog.objects(dataset, DCAT.theme))
    assert catalog.value(government, SKOS.inScheme) == scheme
    labels = {(str(x), x.language) for x in catalog.objects(government, SKOS.prefLabel)}
    assert labels == {
        ("Government and public sector", "en"),
        ("Gouvernement et secteur public", "fr"),
    }


def test_the_bundled_data_theme_table_holds_the_eu_codes_with_english_and_french_labels() -> None:
    from openforum_ld.publish.eu_vocabularies import data_themes

    themes = data_themes()
    assert set(themes) == {
        "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL",
        "INTR", "JUST", "OP_DATPRO", "REGI", "SOCI", "TECH", "TRAN",
    }  # fmt: skip
    for code, theme in themes.items():
        assert theme.iri == EU + "data-theme/" + code
        assert set(theme.labels) == {"en", "fr"}, code


def test_the_eu_concepts_the_catalog_uses_pass_dcat_ap_vocabulary_shapes(built_site: Path) -> None:
    # The controlled-vocabulary shapes also want EU corporate bodies as publishers and EU
    # concepts as every theme; those are not asked of this publication. What it takes from the
    # EU tables must be in them.
    shapes = rdflib.Graph().parse(DCAT_AP / "html" / "shacl" / "mdr-vocabularies.shape.ttl")
    catalog = _catalog(built_site)
    _, report, _ = pyshacl.validate(catalog, shacl_graph=shapes, inference="none")
    flagged = {
        str(node)
        for result in report.subjects(RDF.type, SH.ValidationResult)
        for node in (report.value(result, SH.focusNode), report.value(result, SH.value))
        if node is not None
    }
    used = {
        str(o)
        for _, p, o in catalog
        if isinstance(o, rdflib.URIRef) and str(o).startswith(EU) and p != SKOS.inScheme
    }
    assert {EU + "frequency/IRREG", EU + "access-right/PUBLIC", EU + "data-theme/GOVE"} <= used
    assert used & flagged == set()


def test_the_temporal_coverage_is_the_forum_day(built_site: Path, dataset: Dataset) -> None:
    catalog = _catalog(built_site)
    [dataset_node] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    [period] = list(catalog.objects(dataset_node, DCTERMS.temporal))
    [row] = dataset.store.select("SELECT ?d WHERE { ?f a ofo:Forum ; schema:startDate ?d }")
    assert str(catalog.value(period, DCAT.startDate)) == row["d"].value == "2020-11-20"
    assert str(catalog.value(period, DCAT.endDate)) == row["d"].value


def test_a_default_publisher_says_it_is_a_default_and_is_the_creator(built_site: Path) -> None:
    catalog = _catalog(built_site)
    [dataset] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    publisher = catalog.value(dataset, DCTERMS.publisher)
    assert catalog.value(dataset, DCTERMS.creator) == publisher
    notes = {str(n) for n in catalog.objects(publisher, rdflib.RDFS.comment)}
    assert any(
        n.startswith("Default publisher") and "OPENFORUM_LD_PUBLISHER_NAME" in n for n in notes
    ), notes


def test_a_configured_publisher_and_creator_are_named_without_a_default_note(
    dataset: Dataset, settings: Settings
) -> None:
    configured = settings.with_(
        publisher_name="Impact Data Office",
        creator_name="The forum's data editors",
        accrual_periodicity="ANNUAL",
        data_themes="GOVE REGI",
    )
    catalog = _catalog_for(dataset, configured)
    [dataset_node] = list(catalog.subjects(RDF.type, DCAT.Dataset))
    publisher = catalog.value(dataset_node, DCTERMS.publisher)
    assert str(catalog.value(publisher, rdflib.FOAF.name)) == "Impact Data Office"
    assert list(catalog.objects(publisher, rdflib.RDFS.comment)) == []
    creator = catalog.value(dataset_node, DCTERMS.creator)
    assert creator != publisher
    assert str(catalog.value(creator, rdflib.FOAF.name)) == "The forum's data editors"
    assert (creator, RDF.type, rdflib.FOAF.Agent) in catalog
    assert str(catalog.value(dataset_node, DCTERMS.accrualPeriodicity)) == EU + "frequency/ANNUAL"
    themes = {str(t) for t in catalog.objects(dataset_node, DCAT.theme)}
    assert {EU + "data-theme/GOVE", EU + "data-theme/REGI"} <= themes
    conforms, _, text = pyshacl.validate(
        catalog, shacl_graph=_dcat_ap_shapes(), inference="none", allow_warnings=True
    )
    assert conforms, text


def test_an_unknown_data_theme_or_frequency_is_a_clear_error(
    dataset: Dataset, settings: Settings
) -> None:
    from openforum_ld.errors import ConfigError

    with pytest.raises(ConfigError, match="'GOVT' is not an EU data theme; known: AGRI"):
        _catalog_for(dataset, settings.with_(data_themes="GOVT"))
    with pytest.raises(ConfigError, match="accrual_periodicity must be a code"):
        settings.with_(accrual_periodicity="every year")
