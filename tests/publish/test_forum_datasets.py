"""The catalog of a publication with two forums: a dataset per forum beside the whole, each
with its title, days, countries and graphs, still valid DCAT-AP 3."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyshacl
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from .test_catalog import _dcat_ap_shapes

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset

FORUMS = ("open-smart-regions-2020", "open-local-exchange-2021")


def _catalog(site: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(site / "catalog.ttl", format="turtle")


def test_the_two_forums_catalog_has_no_dcat_ap_violations(two_forums_site: Path) -> None:
    conforms, report, text = pyshacl.validate(
        _catalog(two_forums_site),
        shacl_graph=_dcat_ap_shapes(),
        inference="none",
        allow_warnings=True,
    )
    assert conforms, text
    assert list(report.subjects(RDF.type, SH.ValidationResult)) == []


def test_each_forum_is_a_dataset_part_of_the_whole(
    two_forums_site: Path, two_forums_dataset: Dataset
) -> None:
    catalog = _catalog(two_forums_site)
    base = two_forums_dataset.iris.base
    whole = rdflib.URIRef(base + "catalog#dataset")
    parts = {rdflib.URIRef(f"{base}catalog#forum-{slug}") for slug in FORUMS}
    assert set(catalog.objects(whole, DCTERMS.hasPart)) == parts
    listed = set(catalog.objects(rdflib.URIRef(base + "catalog#catalog"), DCAT.dataset))
    assert parts | {whole} <= listed
    for slug in FORUMS:
        part = rdflib.URIRef(f"{base}catalog#forum-{slug}")
        forum = f"{base}id/forum/{slug}"
        assert (part, RDF.type, DCAT.Dataset) in catalog
        assert (part, DCTERMS.isPartOf, whole) in catalog
        [label] = two_forums_dataset.store.select(
            f'SELECT ?l WHERE {{ <{forum}> skos:prefLabel ?l FILTER(lang(?l) = "en") }}'
        )
        titles = {str(t) for t in catalog.objects(part, DCTERMS.title)}
        assert f"{label['l'].value}: linked open data" in titles
        [date] = two_forums_dataset.store.select(
            f"SELECT ?d WHERE {{ <{forum}> schema:startDate ?d }}"
        )
        [period] = catalog.objects(part, DCTERMS.temporal)
        assert str(catalog.value(period, DCAT.startDate)) == date["d"].value
        graphs = two_forums_dataset.store.select(
            "SELECT ?g WHERE { ?g a ofo:SourcedGraph ; prov:wasDerivedFrom ?d . "
            f"?d a ofo:SourceDocument ; schema:about <{forum}> }}"
        )
        assert {str(g) for g in catalog.objects(part, DCTERMS.hasPart)} == {
            row["g"].value for row in graphs
        }
        assert graphs


def test_a_forum_covers_the_countries_its_sections_speak_of(
    two_forums_site: Path, two_forums_dataset: Dataset
) -> None:
    catalog = _catalog(two_forums_site)
    base = two_forums_dataset.iris.base
    [morocco] = two_forums_dataset.store.select(
        f"SELECT ?c WHERE {{ <{base}id/place/morocco> skos:exactMatch ?c "
        'FILTER(STRSTARTS(STR(?c), "http://publications.europa.eu/")) }'
    )
    second = rdflib.URIRef(f"{base}catalog#forum-open-local-exchange-2021")
    assert {str(c) for c in catalog.objects(second, DCTERMS.spatial)} == {morocco["c"].value}
    first = rdflib.URIRef(f"{base}catalog#forum-open-smart-regions-2020")
    assert len(set(catalog.objects(first, DCTERMS.spatial))) > 1


def test_a_publication_of_one_forum_has_no_second_dataset_of_it(built_site: Path) -> None:
    catalog = _catalog(built_site)
    assert not any("#forum-" in str(s) for s in catalog.subjects(RDF.type, DCAT.Dataset))
