"""A subset per forum in the VoID description, beside the whole.

When a publication holds several forums, the VoID description of the whole dataset gives a
`void:subset` per forum with the statistics the whole has: triples, entities, distinct subjects
and objects, properties, classes, and the class and property partitions. With one forum it gives
none, as the catalog gives no dataset per forum: the subset would be the whole again.

The subset is the catalog's dataset of that forum, `{base}catalog#forum-{slug}`, not an IRI of
its own: VoID and DCAT describe one part of the data, so a harvester that reads both finds one
resource, typed `void:Dataset` in one document and `dcat:Dataset` in the other, as the whole is.
Its named graphs are given as the catalog gives them (`dct:hasPart`); each graph is itself
described as a `void:Dataset`, with its size, at its own IRI.

What a forum's subset counts: the statements of its named graphs, the graphs derived from the
documents about that forum, taken together as one set (a statement two of its graphs make counts
once). So:

- an entity both forums' graphs describe (a person who spoke at both, a country) counts in each
  forum's entities and distinct subjects, with what that forum's graphs say of it; the subsets'
  counts may therefore add up to more than the whole's;
- the shared graphs, `graph/editorial`, `graph/sources` and the loader's `graph/mentions`, belong
  to no forum: their statements are counted in the whole only, so the subsets' triples add up to
  less than the whole's;
- an entity is counted unless it is withdrawn (`owl:deprecated`), whichever graph says so, as the
  whole's count does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import DCTERMS, RDF, VOID
from openforum_ld.publish.forum_datasets import (
    ForumPart,
    describe_forum_titles,
    forum_dataset_iri,
    forum_parts,
)
from openforum_ld.rdf.graph import typed
from openforum_ld.views.retired import RETIRED_FILTER

if TYPE_CHECKING:
    from openforum_ld.load import Dataset
    from openforum_ld.rdf.graph import Graph


def describe_forum_subsets(graph: Graph, dataset: Dataset, whole: str) -> None:
    """A void:subset of `whole` per forum, with its statistics, when there is more than one."""
    parts = forum_parts(dataset)
    if len(parts) < 2:
        return
    base = dataset.iris.base
    for part in parts:
        iri = forum_dataset_iri(base, part)
        graph.add(whole, VOID + "subset", iri)
        graph.add(iri, RDF + "type", VOID + "Dataset")
        describe_forum_titles(graph, iri, part)
        for named_graph in part.graphs:
            graph.add(iri, DCTERMS + "hasPart", named_graph)
        _describe_statistics(graph, dataset, iri, part)


def _describe_statistics(graph: Graph, dataset: Dataset, iri: str, part: ForumPart) -> None:
    # The graphs are read by name from the store (GRAPH ?g), so every statement keeps the graph
    # it is in; DISTINCT makes the forum's graphs one set. A FILTER outside GRAPH reads the
    # default graph, the union, where a withdrawal may be stated by any graph.
    values = "VALUES ?g { " + " ".join(f"<{g}>" for g in part.graphs) + " }"
    statements = f"{values} GRAPH ?g {{ ?s ?p ?o }}"
    distinct = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {statements} }}"
    base = dataset.iris.base

    def count(query: str) -> ox.Literal:
        return typed(int(dataset.store.select(query)[0]["n"].value), "integer")

    graph.add(iri, VOID + "triples", count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {distinct} }}"))
    graph.add(
        iri,
        VOID + "entities",
        count(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {statements} "
            f'FILTER(STRSTARTS(STR(?s), "{base}id/")) {RETIRED_FILTER} }}'
        ),
    )
    for prop, variable in (
        ("distinctSubjects", "s"),
        ("distinctObjects", "o"),
        ("properties", "p"),
    ):
        graph.add(
            iri,
            VOID + prop,
            count(f"SELECT (COUNT(DISTINCT ?{variable}) AS ?n) WHERE {{ {statements} }}"),
        )
    typing = f"{values} GRAPH ?g {{ ?s a ?c }}"
    graph.add(
        iri, VOID + "classes", count(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {typing} }}")
    )
    classes = dataset.store.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {typing} }} GROUP BY ?c ORDER BY ?c"
    )
    for number, row in enumerate(classes):
        partition = ox.BlankNode(f"forum-{part.slug}-class{number}")
        graph.add(iri, VOID + "classPartition", partition)
        graph.add(partition, VOID + "class", row["c"].value)
        graph.add(partition, VOID + "entities", typed(int(row["n"].value), "integer"))
    properties = dataset.store.select(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {distinct} }} GROUP BY ?p ORDER BY ?p"
    )
    for number, row in enumerate(properties):
        partition = ox.BlankNode(f"forum-{part.slug}-property{number}")
        graph.add(iri, VOID + "propertyPartition", partition)
        graph.add(partition, VOID + "property", row["p"].value)
        graph.add(partition, VOID + "triples", typed(int(row["n"].value), "integer"))
