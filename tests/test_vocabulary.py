"""Every term the project uses exists in its vocabulary; the ontology documents its own."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DC, DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

from openforum_ld.iris import OFO, ONTOLOGY_IRI

from .conftest import LOCAL_BASE, ROOT

if TYPE_CHECKING:
    from pathlib import Path

VOCAB = ROOT / "vocab"
VOCAB_FILES = {
    "http://schema.org/": VOCAB / "schemaorg" / "schemaorg-current-http.ttl",
    "http://xmlns.com/foaf/0.1/": VOCAB / "foaf" / "foaf.ttl",
    "http://www.w3.org/ns/org#": VOCAB / "org" / "org.ttl",
    "http://www.w3.org/2004/02/skos/core#": VOCAB / "skos" / "skos.ttl",
    "http://www.w3.org/ns/prov#": VOCAB / "prov-o" / "prov-o.ttl",
    "http://rdfs.org/ns/void#": VOCAB / "void" / "void.ttl",
    "http://www.w3.org/ns/dcat#": VOCAB / "dcat" / "dcat3.ttl",
}
CLOSED_NAMESPACES = {str(ns): ns for ns in (DC, DCTERMS, RDF, RDFS, OWL, XSD, SH)}


@cache
def _defined(namespace: str) -> frozenset[str]:
    graph = rdflib.Graph().parse(VOCAB_FILES[namespace], format="turtle")
    return frozenset(str(s) for s in graph.subjects() if str(s).startswith(namespace))


@cache
def _ontology_terms() -> frozenset[str]:
    graph = rdflib.Graph().parse(ROOT / "ontology" / "openforum.ttl", format="turtle")
    return frozenset(str(s) for s in graph.subjects() if str(s).startswith(OFO))


def _exists(term: str) -> bool:
    if term.startswith(OFO):
        return term in _ontology_terms()
    for namespace, _path in VOCAB_FILES.items():
        if term.startswith(namespace):
            return term in _defined(namespace)
    for namespace, closed in CLOSED_NAMESPACES.items():
        if term.startswith(namespace):
            try:
                closed[term[len(namespace) :]]
            except (AttributeError, KeyError):
                return False
            return True
    return True  # a namespace the project does not reuse terms from


def _terms_in(path: Path) -> set[str]:
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
    terms = set()
    for quad in ox.parse(path=str(path), format=fmt, base_iri=LOCAL_BASE):
        terms.add(quad.predicate.value)
        if quad.predicate.value == str(RDF.type) and isinstance(quad.object, ox.NamedNode):
            terms.add(quad.object.value)
        if quad.predicate.value in (
            str(SH.path),
            str(SH.targetClass),
            str(SH["class"]),
            str(SH.ignoredProperties),
        ) and isinstance(quad.object, ox.NamedNode):
            terms.add(quad.object.value)
        if quad.predicate.value == str(RDF.first) and isinstance(quad.object, ox.NamedNode):
            terms.add(quad.object.value)
    return {t for t in terms if not t.startswith(LOCAL_BASE)}


FILES = (
    sorted((ROOT / "data").glob("*.trig"))
    + sorted((ROOT / "shapes").glob("*.ttl"))
    + [ROOT / "ontology" / "openforum.ttl"]
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_term_used_exists_in_its_vocabulary(path: Path) -> None:
    unknown = sorted(t for t in _terms_in(path) if not _exists(t))
    assert unknown == [], f"{path.name} uses terms its vocabularies do not define: {unknown}"


def test_schema_org_is_used_in_its_http_namespace_only() -> None:
    for path in FILES:
        assert "https://schema.org/" not in path.read_text(encoding="utf-8"), path


def test_every_ontology_term_is_documented_in_english_and_french() -> None:
    graph = rdflib.Graph().parse(ROOT / "ontology" / "openforum.ttl", format="turtle")
    terms = {s for s in graph.subjects(RDF.type, None) if str(s).startswith(OFO)}
    assert len(terms) >= 10
    for term in terms:
        for predicate in (RDFS.label, RDFS.comment):
            languages = {o.language for o in graph.objects(term, predicate)}
            assert {"en", "fr"} <= languages, f"{term} {predicate}"
        assert (term, RDFS.isDefinedBy, rdflib.URIRef(ONTOLOGY_IRI)) in graph, term
        parents = set(graph.objects(term, RDFS.subClassOf)) | set(
            graph.objects(term, RDFS.subPropertyOf)
        )
        # A term no standard term's meaning contains says why in an editorial note: the loader
        # states what each refinement entails in the data, so a loose one would be a false fact.
        refines = any(not str(p).startswith(OFO) and _exists(str(p)) for p in parents)
        assert refines or graph.value(term, SKOS.editorialNote), (
            f"{term} refines no standard term and does not say why"
        )


def test_the_ontology_namespace_is_fixed_and_not_under_the_data_base() -> None:
    text = (ROOT / "ontology" / "openforum.ttl").read_text(encoding="utf-8")
    assert "@prefix ofo: <https://w3id.org/openforum/ontology#> ." in text
    assert "@base" not in text
