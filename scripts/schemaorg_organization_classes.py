#!/usr/bin/env python3
"""Write shapes/schemaorg-organizations.ttl: every schema.org class an organization may carry.

    python scripts/schemaorg_organization_classes.py

The list is schema:Organization and its subclasses, as the schema.org release vendored in
vocab/schemaorg/ states them (rdfs:subClassOf, transitively). Run it again when that release
is updated; tests/validate/test_organization_classes.py fails while the two differ.
"""

from __future__ import annotations

from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "vocab" / "schemaorg" / "schemaorg-current-http.ttl"
SHAPES = ROOT / "shapes" / "schemaorg-organizations.ttl"
SCHEMA = rdflib.Namespace("http://schema.org/")


def organization_classes(vocabulary: Path = VOCABULARY) -> list[str]:
    """The local names of schema:Organization and its subclasses, sorted."""
    graph = rdflib.Graph().parse(vocabulary)
    classes = set(graph.transitive_subjects(rdflib.RDFS.subClassOf, SCHEMA.Organization))
    return sorted(str(c).removeprefix(str(SCHEMA)) for c in classes)


def shapes_text(names: list[str]) -> str:
    members = ",\n".join(f"                    schema:{name}" for name in names)
    return f"""# The schema.org classes an organization may carry: schema:Organization and its {len(names) - 1}
# subclasses in the vendored schema.org release. Written by
# scripts/schemaorg_organization_classes.py; do not edit by hand.
#
# A SPARQL constraint rather than a qualified sh:in of SHACL Core: pyshacl builds a full result
# for each class a value shape rejects, and an organization's FOAF and W3C ORG classes all are,
# each naming the whole list (0.3 s more to validate the forum). (SHACL allows no VALUES here.)
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ofsh: <https://w3id.org/openforum/shapes#> .

ofsh:SchemaOrganizationClass a sh:SPARQLConstraint ;
    rdfs:comment "schema:Organization or one of its subclasses."@en ;
    sh:message "an organization needs a schema.org organization class (schema:Organization or a subclass)" ;
    sh:prefixes ofsh: ;
    sh:select \"\"\"
        SELECT $this WHERE {{
            FILTER NOT EXISTS {{
                $this a ?type .
                FILTER(?type IN (
{members}
                ))
            }}
        }}\"\"\" .
"""


if __name__ == "__main__":
    SHAPES.write_text(shapes_text(organization_classes()), encoding="utf-8")
    print(f"Wrote {SHAPES.relative_to(ROOT)}")
