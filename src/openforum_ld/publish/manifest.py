"""What the build records for servers: the manifest's facts (shapes with the resources they
checked, the verdict, the dumps, the example queries), the redirect table and the labels that
search reads, all computed once here so that a server only reads them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import RDF as RDF_NS
from rdflib.namespace import RDFS as RDFS_NS
from rdflib.namespace import SH

from openforum_ld.iris import DCTERMS, slugify
from openforum_ld.publication import (
    DumpInfo,
    Example,
    Manifest,
    ShapeInfo,
    ShapeProperty,
    ValidationSummary,
)
from openforum_ld.rdf.serialize import has_blank_nodes
from openforum_ld.views.retired import RETIRED_FILTER, replacements, retired_iris
from openforum_ld.views.search import LABEL_PROPERTIES

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings
    from openforum_ld.iris import Iris
    from openforum_ld.load import Dataset
    from openforum_ld.publish.dumps import Dump
    from openforum_ld.store import SparqlStore
    from openforum_ld.validate import ValidationReport


def read_shapes(shapes: rdflib.Graph, store: SparqlStore) -> tuple[ShapeInfo, ...]:
    """The node shapes, their labels, comments and target classes, their property shapes'
    names and descriptions, and how many resources of the data each checked; sorted by label.
    `shapes` are those the data was validated against, its languages put in."""
    found = []
    for shape in set(shapes.subjects(RDF_NS.type, SH.NodeShape)):
        if not isinstance(shape, rdflib.URIRef):
            continue
        label = shapes.value(shape, RDFS_NS.label)
        comments = _by_language(shapes, shape, RDFS_NS.comment)
        comment = comments.get("en") or comments.get("") or next(iter(comments.values()), None)
        targets = tuple(sorted(str(t) for t in shapes.objects(shape, SH.targetClass)))
        nodes = 0
        if targets:
            values = " ".join(f"<{t}>" for t in targets)
            rows = store.select(
                f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }}"
            )
            nodes = int(rows[0]["n"].value)
        properties = [
            ShapeProperty(
                _by_language(shapes, node, SH.name), _by_language(shapes, node, SH.description)
            )
            for node in shapes.objects(shape, SH.property)
            if (node, SH.deactivated, rdflib.Literal(True)) not in shapes
        ]
        found.append(
            ShapeInfo(
                str(shape),
                str(label or shape),
                comment,
                targets,
                nodes,
                comments,
                tuple(
                    sorted(
                        (p for p in properties if p.names),
                        key=lambda p: (p.names.get("en") or min(p.names.values())).casefold(),
                    )
                ),
            )
        )
    return tuple(sorted(found, key=lambda s: s.label))


def _by_language(
    shapes: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef
) -> dict[str, str]:
    """The literal values of `predicate` on `node`, by language tag ("" for none)."""
    return {
        value.language or "": str(value)
        for value in shapes.objects(node, predicate)
        if isinstance(value, rdflib.Literal)
    }


def read_examples(directory: Path) -> tuple[Example, ...]:
    """The example queries, in file-name order, with their titles (`# title-fr: ...`)."""
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles = {}
        for line in text.splitlines()[:3]:
            match = re.match(r"# title(?:-(\w+))?: (.*)", line)
            if match:
                titles[match.group(1) or "en"] = match.group(2).strip()
        examples.append(Example(path.stem, titles, text))
    return tuple(examples)


def make_manifest(
    settings: Settings,
    dataset: Dataset,
    report: ValidationReport,
    shapes: tuple[ShapeInfo, ...],
    dumps: list[Dump],
    date: str,
) -> Manifest:
    """The manifest of the publication being built."""
    return Manifest(
        base=settings.base_uri,
        version=dataset.version,
        date=date,
        triples=dataset.store.default_graph_size(),
        graphs=tuple(dataset.data_graphs),
        license=settings.license,
        license_name=settings.license_name,
        dumps=tuple(
            DumpInfo(
                d.format.label + (" (gzip)" if d.gzipped else ""), d.path, d.media_type, d.size
            )
            for d in dumps
        ),
        shapes=shapes,
        validation=ValidationSummary(
            conforms=report.conforms,
            violations=len(report.violations),
            triples=int(report.stats.get("triples", 0)),
            entities=int(report.stats.get("entities", 0)),
        ),
        examples=read_examples(settings.queries_dir),
        blank_nodes=has_blank_nodes(dataset.store.oxigraph),
        publisher_name=settings.publisher_name,
        languages=settings.languages,
        publisher_url=settings.publisher_url,
        feedback=settings.feedback_url
        or (
            f"mailto:{settings.contact_email}?subject={{title}}&body={{iri}}"
            if settings.contact_email
            else ""
        ),
    )


def redirect_table(store: SparqlStore, iris: Iris) -> tuple[dict[str, str], list[str]]:
    """The paths that redirect to an entity, and the paths of the entities.

    A label or variant spelling of an entity, as a slug, redirects to it when no other entity
    of the kind has it; so does an IRI the data says it replaces (dcterms:replaces) or that is
    replaced (dcterms:isReplacedBy). A retired IRI is never taken by a variant spelling."""
    base = iris.base
    properties = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = store.select(
        f"SELECT DISTINCT ?s ?label WHERE {{ ?s ?p ?label FILTER(?p IN ({properties}) && isLiteral(?label)) "
        f'FILTER(STRSTARTS(STR(?s), "{base}id/")) {RETIRED_FILTER} }}'
    )
    canonical = {r["s"].value for r in rows}
    entities = {
        r["s"].value
        for r in store.select(
            f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{base}id/")) }}'
        )
        if iris.split_entity(r["s"].value)
    }
    candidates: dict[str, set[str]] = {}
    for row in rows:
        split = iris.split_entity(row["s"].value)
        if split is None:
            continue
        kind, slug = split
        variant = slugify(row["label"].value)
        if variant and variant != slug:
            candidates.setdefault(f"id/{kind}/{variant}", set()).add(row["s"].value)
    retired = retired_iris(store, base)
    taken = canonical | entities | {r.iri for r in retired}
    found = {
        path: next(iter(targets))
        for path, targets in candidates.items()
        if len(targets) == 1 and base + path not in taken
    }
    for row in store.select(f"SELECT ?new ?old WHERE {{ ?new <{DCTERMS}replaces> ?old }}"):
        old = row["old"].value
        if old.startswith(base) and old not in taken:
            found[old[len(base) :]] = row["new"].value
    found.update(replacements(retired))
    return found, sorted(iri[len(base) :] for iri in entities | canonical if iris.split_entity(iri))
