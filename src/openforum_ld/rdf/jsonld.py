"""Compact JSON-LD against the project's published context, written one node at a time.

The context is a fixed table of short keys, so web developers can rely on `name`, `about` or
`prefLabel` whatever the data holds. A value that does not fit its key's definition (a plain
string under a language-map key, a literal under an IRI key) is written under the compact IRI of
its property instead, as a JSON-LD compactor would.
"""

from __future__ import annotations

import functools
import itertools
import json
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from openforum_ld.iris import FOAF, NAMESPACES, OFO, ORG, PROV, RDF, SCHEMA, SKOS, XSD
from openforum_ld.rdf.serialize import (
    TermWriter,
    about_blocks,
    blocks,
    canonical,
    kind_prefixes,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from openforum_ld.rdf.serialize import GraphName, Source, Subject

_LANG = "lang"  # a language map: {"en": "…", "fr": "…"}
_ID = "id"  # an IRI
_PLAIN = "plain"  # a literal written as a JSON value or value object

_SCHEMA_LANG = (
    "name alternateName description abstract text headline jobTitle honorificPrefix unitText "
    "variableMeasured roleName creativeWorkStatus"
)
_SCHEMA_ID = (
    "about affiliation areaServed attendee containedInPlace contributor creator funder hasPart "
    "isPartOf location mentions observationAbout organizer parentOrganization performer publisher "
    "spatialCoverage subEvent superEvent legislationJurisdiction license"
)
_SCHEMA_PLAIN = "position value startDate endDate temporalCoverage encodingFormat inLanguage legislationIdentifier"

#: key -> (property IRI, kind of value)
TERMS: dict[str, tuple[str, str]] = {
    **{k: (SCHEMA + k, _LANG) for k in _SCHEMA_LANG.split()},
    **{k: (SCHEMA + k, _ID) for k in _SCHEMA_ID.split()},
    **{k: (SCHEMA + k, _PLAIN) for k in _SCHEMA_PLAIN.split()},
    "memberOf": (SCHEMA + "memberOf", _ID),
    **{
        k: (SKOS + k, _LANG)
        for k in ["prefLabel", "altLabel", "hiddenLabel", "definition", "editorialNote"]
    },
    **{
        k: (SKOS + k, _ID)
        for k in ["broader", "narrower", "inScheme", "topConceptOf", "hasTopConcept"]
    },
    **{
        k: (ORG + k, _ID)
        for k in [
            "holds",
            "heldBy",
            "postIn",
            "unitOf",
            "hasUnit",
            "subOrganizationOf",
            "hasSubOrganization",
            "linkedTo",
            "member",
        ]
    },
    # "organization" is the prefix of organization IRIs, so org:organization takes another key.
    "membershipIn": (ORG + "organization", _ID),
    "orgMemberOf": (ORG + "memberOf", _ID),
    **{k: (PROV + k, _ID) for k in ["wasDerivedFrom", "wasAttributedTo", "wasGeneratedBy"]},
    "foafName": (FOAF + "name", _LANG),
    **{
        k: (OFO + k, _ID)
        for k in ["moderator", "leadOrganizer", "commitmentArea", "assists", "partnerOf"]
    },
    **{k: (OFO + k, _PLAIN) for k in ["agendaOrder", "commitmentCount", "firstLine", "lastLine"]},
}
_KEY_OF = {iri: key for key, (iri, _) in TERMS.items()}


def build_context(base: str) -> dict[str, Any]:
    """The JSON-LD context published as `context.jsonld`: prefixes, then one key per property."""
    context: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    prefixes = {**NAMESPACES, **kind_prefixes(base)}
    clashes = prefixes.keys() & TERMS.keys()
    assert not clashes, f"context keys that are also prefixes: {clashes}"
    for prefix, namespace in prefixes.items():
        context[prefix] = namespace
    for key, (iri, kind) in sorted(TERMS.items()):
        definition: dict[str, str] = {"@id": iri}
        if kind == _ID:
            definition["@type"] = "@id"
        elif kind == _LANG:
            definition["@container"] = "@language"
        context[key] = definition
    return context


@functools.lru_cache(maxsize=4)
def _context_text(base: str) -> str:
    """The context as every document under `base` writes it inline, indented one level: the
    same long text in every entity's document, laid out once."""
    return json.dumps(build_context(base), ensure_ascii=False, indent=1).replace("\n", "\n ")


class NodeWriter:
    """Turns one subject and its triples into a compact node object."""

    def __init__(self, base: str) -> None:
        self.terms = TermWriter({**NAMESPACES, **kind_prefixes(base)})

    def compact(self, iri: str) -> str:
        shown = self.terms.iri(iri)
        return shown[1:-1] if shown.startswith("<") else shown

    def node(self, subject: Subject, triples: Iterable[ox.Triple]) -> dict[str, Any]:
        node: dict[str, Any] = {"id": self._subject(subject)}
        types: list[str] = []
        values: dict[str, list[Any]] = {}
        languages: dict[str, dict[str, list[str]]] = {}
        for triple in triples:
            predicate, obj = triple.predicate.value, triple.object
            if predicate == RDF + "type" and isinstance(obj, ox.NamedNode):
                types.append(self.compact(obj.value))
                continue
            key = _KEY_OF.get(predicate)
            kind = TERMS[key][1] if key else None
            if kind == _LANG and isinstance(obj, ox.Literal) and obj.language:
                languages.setdefault(key, {}).setdefault(obj.language, []).append(obj.value)  # type: ignore[arg-type]
            elif kind == _ID and isinstance(obj, ox.NamedNode):
                values.setdefault(key, []).append(self.compact(obj.value))  # type: ignore[arg-type]
            elif kind == _PLAIN and isinstance(obj, ox.Literal) and not obj.language:
                values.setdefault(key, []).append(self._literal(obj))  # type: ignore[arg-type]
            else:
                values.setdefault(self.compact(predicate), []).append(self._value(obj))
        if types:
            node["type"] = types if len(types) > 1 else types[0]
        for key, by_language in languages.items():
            values[key] = [
                {
                    lang: texts if len(texts) > 1 else texts[0]
                    for lang, texts in sorted(by_language.items())
                }
            ]
        for key in sorted(values):
            found = values[key]
            node[key] = found if len(found) > 1 else found[0]
        return node

    def _subject(self, subject: Subject) -> str:
        return (
            self.compact(subject.value)
            if isinstance(subject, ox.NamedNode)
            else f"_:{subject.value}"
        )

    def _value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
        if isinstance(term, ox.NamedNode):
            return {"@id": self.compact(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            return self._literal(term)
        raise TypeError(f"cannot write {term!r} in JSON-LD")

    def _literal(self, literal: ox.Literal) -> Any:
        datatype = literal.datatype.value
        if datatype == XSD + "string":
            return literal.value
        if datatype == XSD + "integer" and literal.value.lstrip("+-").isdigit():
            return int(literal.value)
        if datatype == XSD + "boolean" and literal.value in ("true", "false"):
            return literal.value == "true"
        return {"@value": literal.value, "@type": self.compact(datatype)}


def write_jsonld(
    store: Source,
    out: IO[str],
    base: str,
    graph: GraphName | None = None,
    about: Sequence[ox.Triple] = (),
) -> int:
    """One graph (the default graph unless named) as a compact JSON-LD document with the context
    inline: the nodes `about` the document itself, then one node per subject in sorted order;
    returns the triple count.

    It is written a node at a time, laid out as `json.dumps(document, indent=1)` lays it out,
    so a dump of a million triples is never held as one object, and a small document reads the
    same whether it came from here or from the standard library."""
    source = canonical(store)
    writer = NodeWriter(base)
    out.write('{\n "@context": ' + _context_text(base) + ',\n "@graph": [')
    count = 0
    first = True
    for subject, block in itertools.chain(
        about_blocks(about), blocks(source, graph if graph is not None else ox.DefaultGraph())
    ):
        node = json.dumps(writer.node(subject, block), ensure_ascii=False, indent=1)
        out.write(("\n  " if first else ",\n  ") + node.replace("\n", "\n  "))
        count += len(block)
        first = False
    out.write("]\n}\n" if first else "\n ]\n}\n")
    return count


def document(base: str, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """A compact JSON-LD document of a few nodes, with the context inline."""
    return {"@context": build_context(base), "@graph": nodes}


def schema_org_node(
    describer_labels: dict[str, str], subject: str, triples: Iterable[ox.Triple]
) -> dict[str, Any]:
    """The schema.org JSON-LD a page embeds for search engines: the resource's schema.org types
    and properties, linked resources by IRI and name. Templates write it with `tojson`, which
    escapes `<`, `>` and `&`, so no value can close the <script> element."""
    node: dict[str, Any] = {"@context": "https://schema.org", "@id": subject}
    types: list[str] = []
    properties: dict[str, list[Any]] = {}
    for triple in triples:
        if not isinstance(triple.subject, ox.NamedNode) or triple.subject.value != subject:
            continue
        predicate, obj = triple.predicate.value, triple.object
        if (
            predicate == RDF + "type"
            and isinstance(obj, ox.NamedNode)
            and obj.value.startswith(SCHEMA)
        ):
            types.append(obj.value[len(SCHEMA) :])
        elif predicate.startswith(SCHEMA):
            key = predicate[len(SCHEMA) :]
            if isinstance(obj, ox.NamedNode):
                linked: dict[str, Any] = {"@id": obj.value}
                if obj.value in describer_labels:
                    linked["name"] = describer_labels[obj.value]
                properties.setdefault(key, []).append(linked)
            elif isinstance(obj, ox.Literal):
                properties.setdefault(key, []).append(_schema_literal(obj))
    if types:
        node["@type"] = sorted(types) if len(types) > 1 else types[0]
    for key in sorted(properties):
        values = properties[key]
        node[key] = values if len(values) > 1 else values[0]
    return node


def _schema_literal(literal: ox.Literal) -> Any:
    if literal.language and literal.language != "en":
        return {"@value": literal.value, "@language": literal.language}
    if literal.datatype.value == XSD + "integer" and literal.value.lstrip("+-").isdigit():
        return int(literal.value)
    return literal.value
