"""The superclasses and superproperties of the project's own terms, stated in the data.

`ontology/` says that every `ofo:` term refines a term of a reused vocabulary (`ofo:Talk`
rdfs:subClassOf `schema:Event`, `ofo:agendaOrder` rdfs:subPropertyOf `schema:position`). A client
that knows only schema.org or FOAF, and does no reasoning, would still miss a talk or its position,
so the loader states what those axioms entail (RDFS rules rdfs9 and rdfs7, followed along
subClassOf and subPropertyOf chains): each inferred statement goes into the named graph of the
statement it follows from, so its source is the same.

Only the project's own terms are followed. Axioms of the reused vocabularies (schema.org's own
class tree, say) are theirs to apply, and domains and ranges (rdfs2, rdfs3) are not applied: the
dataset stays what the texts say plus these mappings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import OFO, ONTOLOGY_IRI, RDF

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openforum_ld.store import Store

RDF_TYPE = ox.NamedNode(RDF + "type")

# Inferred quads are added a batch at a time, so that Python never holds them all at once.
_BATCH = 50_000


def superterms(store: Store, relation: str) -> dict[ox.NamedNode, list[ox.NamedNode]]:
    """Every `ofo:` term the ontology graph gives a super term by `relation` (`rdfs:subClassOf`
    or `rdfs:subPropertyOf`), with all its super terms along chains of that relation."""
    rows = store.select(
        f"""SELECT DISTINCT ?term ?super WHERE {{
          GRAPH <{ONTOLOGY_IRI}> {{ ?term {relation}+ ?super }}
          FILTER(isIRI(?term) && isIRI(?super) && ?super != ?term
                 && STRSTARTS(STR(?term), "{OFO}"))
        }} ORDER BY ?term ?super"""
    )
    found: dict[ox.NamedNode, list[ox.NamedNode]] = {}
    for row in rows:
        term, parent = row["term"], row["super"]
        assert isinstance(term, ox.NamedNode) and isinstance(parent, ox.NamedNode)
        found.setdefault(term, []).append(parent)
    return found


def materialize_superterms(store: Store) -> int:
    """State in each data graph the superclasses and superproperties the ontology gives the
    `ofo:` terms that graph uses, where the graph does not already state them; return how many
    quads were added. Run before the default graph is made the union, so the union has them."""
    ox_store = store.oxigraph
    added = 0
    batch: set[ox.Quad] = set()
    for quad in _entailed(store):
        # A quad two axioms entail (or two chains) is added once; one already stated, never.
        if quad in batch or quad in ox_store:
            continue
        batch.add(quad)
        if len(batch) >= _BATCH:
            store.add_quads(batch)
            added += len(batch)
            batch = set()
    store.add_quads(batch)
    return added + len(batch)


def _entailed(store: Store) -> Iterator[ox.Quad]:
    """The quads the ontology's axioms on `ofo:` terms entail in the data graphs, stated or not."""
    ox_store = store.oxigraph
    ontology = ox.NamedNode(ONTOLOGY_IRI)
    for term, parents in superterms(store, "rdfs:subPropertyOf").items():
        for stated in ox_store.quads_for_pattern(None, term, None, None):
            if stated.graph_name != ontology and not isinstance(stated.graph_name, ox.DefaultGraph):
                for parent in parents:
                    yield ox.Quad(stated.subject, parent, stated.object, stated.graph_name)
    for term, parents in superterms(store, "rdfs:subClassOf").items():
        for stated in ox_store.quads_for_pattern(None, RDF_TYPE, term, None):
            if stated.graph_name != ontology and not isinstance(stated.graph_name, ox.DefaultGraph):
                for parent in parents:
                    yield ox.Quad(stated.subject, RDF_TYPE, parent, stated.graph_name)
