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

from openforum_ld.iris import OFO, ONTOLOGY_IRI

if TYPE_CHECKING:
    from openforum_ld.store import Store


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


def materialize_superterms(store: Store) -> None:
    """State in each data graph the superclasses and superproperties the ontology gives the
    `ofo:` terms that graph uses. Run before the default graph is made the union, so the union
    has them."""
    # One update per (term, super term) pair: the store finds the term's statements by its index
    # and inserts in place. At a million triples that took 0.25 s, where one update for every
    # axiom at once took 1 s and a loop over the quads in Python 0.4 s (bench/materialize.py).
    # A quad already stated is not added twice: the store is a set.
    for relation, stated, entailed in (
        ("rdfs:subPropertyOf", "?s {term} ?o", "?s {parent} ?o"),
        ("rdfs:subClassOf", "?s a {term}", "?s a {parent}"),
    ):
        for term, parents in superterms(store, relation).items():
            for parent in parents:
                store.update(
                    f"INSERT {{ GRAPH ?g {{ {entailed.format(parent=parent)} }} }} "
                    f"WHERE {{ GRAPH ?g {{ {stated.format(term=term)} }} "
                    f"FILTER(?g != <{ONTOLOGY_IRI}>) }}"
                )
