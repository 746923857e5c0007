"""What the dataset says about one resource, read from the store: for pages and RDF documents.

`describe_resource` gives what a page shows (labels in the reader's language, values with the
source sections that state them, incoming links by property, paged); `resource_quads` gives
what an RDF document about the resource holds (its outgoing and incoming statements, each in the
graph that states it, and the labels of everything it links to).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import FOAF, ONTOLOGY_IRI, RDF, SCHEMA, SKOS, Iris
from openforum_ld.views.source_text import line_anchor

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from openforum_ld.rdf.terms import TermLabels
    from openforum_ld.store import SparqlStore, Term

PAGE_SIZE = 50
_PREF_LABEL = SKOS + "prefLabel"
_HIDDEN_LABEL = SKOS + "hiddenLabel"
_TYPE = RDF + "type"
_MENTIONS = SCHEMA + "mentions"
# The names of a resource: its title, and the names in other languages or scripts under it.
_NAMES = (_PREF_LABEL, SCHEMA + "name", FOAF + "name")
# Shown elsewhere on the page (title, type line, sources box), not in the property list.
_NOT_LISTED = {_TYPE, *_NAMES}
# A link's description (an rdf:Statement with its evidence) names the entity as its subject or
# object; it is shown with the link itself, not as a resource that links here.
_NOT_INCOMING = {_TYPE, RDF + "subject", RDF + "object"}


@dataclass(frozen=True)
class SourceRef:
    """A section of a source document that states something."""

    section: str
    label: str
    document: str
    document_label: str
    first_line: int | None
    last_line: int | None
    language: str | None = None  # of both labels: the forum's main language

    @property
    def anchor(self) -> str | None:
        """Where the section's lines start on its page, when it has a line range."""
        return None if self.first_line is None else line_anchor(self.first_line)


@dataclass(frozen=True)
class Value:
    """One value of a property: a literal, or a resource with its label."""

    term: Term
    text: str
    language: str | None = None
    iri: str | None = None
    local: bool = False
    sources: tuple[SourceRef, ...] = ()
    editorial: bool = False
    evidence: tuple[str, ...] = ()  # for a link to another dataset: the pages that confirm it


@dataclass(frozen=True)
class PropertyValues:
    """The values of one property, in a stable order."""

    predicate: str
    label: str
    values: tuple[Value, ...]

    @property
    def languages(self) -> list[str | None]:
        """The languages of the literal values, in order of first appearance."""
        seen: list[str | None] = []
        for value in self.values:
            if value.language not in seen:
                seen.append(value.language)
        return seen


@dataclass(frozen=True)
class IncomingGroup:
    """Resources that link to the described one with one property: a page of them, and a count."""

    predicate: str
    label: str
    count: int
    page: int
    values: tuple[Value, ...]

    @property
    def pages(self) -> int:
        """How many pages of PAGE_SIZE the links fill."""
        return max(1, math.ceil(self.count / PAGE_SIZE))


@dataclass
class Description:
    """Everything a page about one resource shows."""

    iri: str
    label: str
    label_language: str | None
    types: tuple[Value, ...]
    summary: Value | None
    # Its names that differ from the title, each once: in other languages, other scripts.
    other_names: tuple[Value, ...] = ()
    properties: list[PropertyValues] = field(default_factory=list)
    incoming: list[IncomingGroup] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        """Whether the dataset says anything about the resource."""
        return bool(self.types or self.properties or self.incoming)


class Describer:
    """Describes resources of one store; keeps the few lookups every page needs."""

    def __init__(
        self, store: SparqlStore, iris: Iris, terms: TermLabels, main_language: str = "en"
    ) -> None:
        self.store = store
        self.iris = iris
        self.terms = terms
        # The forum's main language: every entity has a label in it, so pages fall back to it.
        self.main_language = main_language
        self._not_hidden = f"FILTER(?g != <{ONTOLOGY_IRI}>)"  # the ontology's terms are not data
        self._sources = self._load_sources()
        self._superproperties = self._load_superproperties()

    def _load_superproperties(self) -> dict[str, set[str]]:
        """Each project property -> the properties it refines (`ofo:agendaOrder` ->
        `schema:position`): the loader states both, a page shows a value once."""
        # The direct axioms, followed along chains here: a property path with `+` is not
        # answered by every SPARQL server (Virtuoso 7.2 refuses this one).
        rows = self.store.select(
            f"""SELECT ?sub ?super WHERE {{
                 GRAPH <{ONTOLOGY_IRI}> {{ ?sub rdfs:subPropertyOf ?super }}
                 FILTER(isIRI(?sub) && isIRI(?super))
               }}"""
        )
        direct: dict[str, set[str]] = {}
        for row in rows:
            direct.setdefault(row["sub"].value, set()).add(row["super"].value)
        found: dict[str, set[str]] = {}
        for sub in direct:
            seen: set[str] = set()
            pending = list(direct[sub])
            while pending:
                parent = pending.pop()
                if parent not in seen and parent != sub:
                    seen.add(parent)
                    pending.extend(direct.get(parent, ()))
            found[sub] = seen
        return found

    def _load_sources(self) -> dict[str, SourceRef]:
        """Graph IRI -> the section it is taken from."""
        rows = self.store.select(
            """SELECT ?g ?section ?label ?document ?documentLabel ?first ?last WHERE {
                 ?g prov:wasDerivedFrom ?section .
                 ?section a ofo:SourceSection ; skos:prefLabel ?label ; schema:isPartOf ?document .
                 ?document skos:prefLabel ?documentLabel .
                 FILTER(lang(?label) = $main && lang(?documentLabel) = $main)
                 OPTIONAL { ?section ofo:firstLine ?first ; ofo:lastLine ?last }
               }""".replace("$main", language_literal(self.main_language))
        )
        sources = {}
        for row in rows:
            sources[row["g"].value] = SourceRef(
                section=row["section"].value,
                label=row["label"].value,
                document=row["document"].value,
                document_label=row["documentLabel"].value,
                first_line=int(row["first"].value) if "first" in row else None,
                last_line=int(row["last"].value) if "last" in row else None,
                language=self.main_language,
            )
        return sources

    def source_of(self, graph: str) -> SourceRef | None:
        """The section a graph's statements are taken from, if it has one."""
        return self._sources.get(graph)

    # ------------------------------------------------------------------ labels

    def labels(self, iris: list[str], language: str) -> dict[str, tuple[str, str | None]]:
        """The best label of each resource for a reader of `language`: that language, else
        the forum's main language, else any; (text, language)."""
        if not iris:
            return {}
        values = " ".join(f"<{iri}>" for iri in sorted(set(iris)))
        rows = self.store.select(
            f"SELECT ?x ?label WHERE {{ VALUES ?x {{ {values} }} "
            f"{{ ?x skos:prefLabel ?label }} UNION {{ ?x schema:name ?label }} }}"
        )
        found: dict[str, dict[str, str]] = {}
        for row in rows:
            label = row["label"]
            assert isinstance(label, ox.Literal)
            found.setdefault(row["x"].value, {}).setdefault(label.language or "", label.value)
        best = {}
        for iri, by_language in found.items():
            for candidate in (language, self.main_language, ""):
                if candidate in by_language:
                    best[iri] = (by_language[candidate], candidate or None)
                    break
            else:
                lang, text = sorted(by_language.items())[0]
                best[iri] = (text, lang or None)
        return best

    def label_of(self, iri: str, language: str) -> tuple[str, str | None]:
        """One resource's label, or its IRI's last segment when it has none."""
        return self.labels([iri], language).get(iri, (iri.rstrip("/").rsplit("/", 1)[-1], None))

    # ------------------------------------------------------------------ pages

    def describe_resource(
        self, iri: str, language: str = "en", page: int = 1, incoming_property: str | None = None
    ) -> Description:
        """What a page about `iri` shows, labels in `language` (with fallbacks).

        Incoming links come PAGE_SIZE at a time: `page` applies to `incoming_property`, or to
        every property when it is None."""
        subject = ox.NamedNode(iri)
        statements: dict[tuple[str, Term], set[str]] = {}
        rows = self.store.select(
            f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} {self._not_hidden} }}"
        )
        for row in rows:
            statements.setdefault((row["p"].value, row["o"]), set()).add(row["g"].value)
        linked = [o.value for (_, o) in statements if isinstance(o, ox.NamedNode)]
        labels = self.labels([iri, *linked], language)

        evidence = self._link_evidence(subject)
        by_predicate: dict[str, list[Value]] = {}
        for (predicate, obj), graphs in statements.items():
            value = self._value(obj, graphs, labels)
            pages = evidence.get((predicate, obj))
            if pages:
                value = replace(value, evidence=tuple(sorted(pages)))
            by_predicate.setdefault(predicate, []).append(value)
        _drop_entailed(by_predicate, self._superproperties)
        types = tuple(sorted(by_predicate.pop(_TYPE, []), key=lambda v: v.text.lower()))
        title, title_language = labels.get(iri, (iri.rsplit("/", 1)[-1], None))
        in_agenda = _agenda_order(self._agenda_orders(subject))
        properties = [
            PropertyValues(p, self.terms.label(p, language), tuple(sorted(values, key=in_agenda)))
            for p, values in by_predicate.items()
            if p not in _NOT_LISTED
        ]
        properties.sort(key=lambda group: (group.predicate == _HIDDEN_LABEL, group.label.lower()))
        description = Description(
            iri=iri,
            label=title,
            label_language=title_language,
            types=_distinct_by_text(
                Value(
                    v.term,
                    self.terms.label(v.iri, language) if v.iri else v.text,
                    iri=v.iri,
                    local=v.local,
                )
                for v in types
            ),
            summary=_summary(by_predicate, language, self.main_language),
            other_names=_other_names(by_predicate, title, language, self.main_language),
            properties=properties,
        )
        description.incoming = self._incoming(subject, language, page, incoming_property)
        description.sources = sorted(
            {ref for values in by_predicate.values() for v in values for ref in v.sources}
            | self._mentioned_in(subject),
            key=lambda ref: (ref.document_label, ref.first_line or 0),
        )
        return description

    def _value(
        self, term: Term, graphs: set[str], labels: dict[str, tuple[str, str | None]]
    ) -> Value:
        sources = tuple(
            sorted((self._sources[g] for g in graphs if g in self._sources), key=lambda r: r.label)
        )
        editorial = any(g.endswith("/graph/editorial") for g in graphs)
        if isinstance(term, ox.NamedNode):
            text, language = labels.get(term.value, (term.value, None))
            return Value(
                term, text, language, term.value, self.iris.is_local(term.value), sources, editorial
            )
        if isinstance(term, ox.Literal):
            return Value(term, term.value, term.language, sources=sources, editorial=editorial)
        return Value(term, str(term), sources=sources, editorial=editorial)

    def _agenda_orders(self, subject: ox.NamedNode) -> dict[str, int]:
        """The agenda order of each event of `subject`'s agenda: the talks of a section, the
        sections of a forum. A talk's order counts only in its own section, so it orders no
        other list (a person's talks come from several sections)."""
        rows = self.store.select(
            f"""SELECT ?event ?order WHERE {{
                  {{ ?event schema:superEvent {subject} }} UNION {{ {subject} schema:subEvent ?event }}
                  ?event ofo:agendaOrder ?order .
                }}"""
        )
        orders: dict[str, int] = {}
        for row in rows:
            order = row["order"]
            if isinstance(order, ox.Literal) and order.value.lstrip("-").isdigit():
                event = row["event"].value
                orders[event] = min(int(order.value), orders.get(event, int(order.value)))
        return orders

    def _link_evidence(self, subject: ox.NamedNode) -> dict[tuple[str, Term], set[str]]:
        """(property, value) -> the pages that confirm that link of `subject` to another
        dataset, from the rdf:Statement that describes it."""
        rows = self.store.select(
            f"""SELECT ?p ?o ?page WHERE {{
                  ?link rdf:subject {subject} ; rdf:predicate ?p ; rdf:object ?o ;
                        prov:wasDerivedFrom ?page .
                }}"""
        )
        found: dict[tuple[str, Term], set[str]] = {}
        for row in rows:
            found.setdefault((row["p"].value, row["o"]), set()).add(row["page"].value)
        return found

    def _incoming(
        self, subject: ox.NamedNode, language: str, page: int, only: str | None
    ) -> list[IncomingGroup]:
        counts = self.store.select(
            f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p {subject} }} GROUP BY ?p"
        )
        orders = self._agenda_orders(subject)
        in_agenda = _agenda_order(orders)
        groups = []
        for row in counts:
            predicate, count = row["p"].value, int(row["n"].value)
            if predicate in _NOT_INCOMING:
                continue
            this_page = page if only in (None, predicate) else 1
            this_page = min(max(1, this_page), max(1, math.ceil(count / PAGE_SIZE)))
            iris = self._linking(subject, predicate, this_page, orders)
            labels = self.labels(iris, language)
            values = tuple(
                sorted(
                    (
                        Value(
                            ox.NamedNode(s),
                            labels.get(s, (s, None))[0],
                            labels.get(s, (s, None))[1],
                            s,
                            self.iris.is_local(s),
                        )
                        for s in iris
                    ),
                    key=in_agenda,
                )
            )
            groups.append(
                IncomingGroup(
                    predicate,
                    self.terms.inverse_label(predicate, language),
                    count,
                    this_page,
                    values,
                )
            )
        by_predicate = {g.predicate: g for g in groups}
        for sub, supers in self._superproperties.items():
            if sub not in by_predicate:
                continue
            for parent in supers:
                # Dropped only when it says nothing more than the refining property does.
                entailed = by_predicate.get(parent)
                if entailed is not None and (entailed.count, entailed.values) == (
                    by_predicate[sub].count,
                    by_predicate[sub].values,
                ):
                    del by_predicate[parent]
        groups = sorted(by_predicate.values(), key=lambda g: g.label.lower())
        return groups

    def _linking(
        self, subject: ox.NamedNode, predicate: str, page: int, orders: dict[str, int]
    ) -> list[str]:
        """One page of the resources that link to `subject` with `predicate`. The events of its
        agenda (`orders`) come first, in agenda order on every page: for a forum or a section
        (few, with few links) every link is read and sorted here; for anything else the store
        pages through them."""
        start = (page - 1) * PAGE_SIZE
        query = f"SELECT DISTINCT ?s WHERE {{ ?s <{predicate}> {subject} }} ORDER BY ?s"
        if not orders:
            rows = self.store.select(f"{query} LIMIT {PAGE_SIZE} OFFSET {start}")
            return [row["s"].value for row in rows]
        every = [row["s"].value for row in self.store.select(query)]
        every.sort(key=lambda s: (s not in orders, orders.get(s, 0)))
        return every[start : start + PAGE_SIZE]

    def _mentioned_in(self, subject: ox.NamedNode) -> set[SourceRef]:
        rows = self.store.select(f"SELECT ?section WHERE {{ ?section schema:mentions {subject} }}")
        sections = {row["section"].value for row in rows}
        return {ref for ref in self._sources.values() if ref.section in sections}

    # ------------------------------------------------------------------ RDF documents

    def resource_quads(self, iri: str) -> list[ox.Quad]:
        """The statements about `iri` (outgoing and incoming), each in the graph that states it,
        and the labels of every resource they link to, each in the first graph that states it."""
        subject = ox.NamedNode(iri)
        rows = self.store.select(
            f"""SELECT ?s ?p ?o ?g WHERE {{
                  {{ GRAPH ?g {{ {subject} ?p ?o }} BIND({subject} AS ?s) }}
                  UNION
                  {{ GRAPH ?g {{ ?s ?p {subject} }} BIND({subject} AS ?o) }}
                  {self._not_hidden}
                }}"""
        )
        quads = {
            ox.Quad(row["s"], row["p"], row["o"], row["g"])  # type: ignore[arg-type]  # SPARQL gives IRIs here
            for row in rows
        }
        # A neighbour's label once, not once per graph: a topic named in every section would
        # otherwise give a section's document thousands of copies of the same labels.
        labels = self.store.select(
            f"""SELECT ?s ?o (MIN(STR(?g)) AS ?first) WHERE {{
                  {{ {subject} ?link ?s }} UNION {{ ?s ?link {subject} }}
                  FILTER(isIRI(?s) && ?link != rdf:type && ?s != {subject})
                  GRAPH ?g {{ ?s skos:prefLabel ?o }}
                  FILTER(isIRI(?g)) {self._not_hidden}
                }} GROUP BY ?s ?o"""
        )
        label = ox.NamedNode(_PREF_LABEL)
        quads.update(
            ox.Quad(row["s"], label, row["o"], ox.NamedNode(row["first"].value))  # type: ignore[arg-type]  # IRIs, as filtered
            for row in labels
        )
        return sorted(quads, key=str)

    def resource_store(self, iri: str) -> ox.Store:
        """A small store holding the document about `iri`, its union as the default graph."""
        store = ox.Store()
        quads = self.resource_quads(iri)
        store.bulk_extend(quads)
        store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads
        )
        return store


def _distinct_by_text(values: Iterable[Value]) -> tuple[Value, ...]:
    """One value per text: schema:Person and foaf:Person both read "person"."""
    seen: dict[str, Value] = {}
    for value in values:
        seen.setdefault(value.text, value)
    return tuple(seen.values())


def _value_order(value: Value) -> tuple[str, str, str]:
    return (value.language or "", value.text.lower(), str(value.term))


def _agenda_order(orders: dict[str, int]) -> Callable[[Value], tuple[int, int, str, str, str]]:
    """A sort key that puts the events of an agenda (`orders`: event -> agenda order) first, in
    agenda order, then everything else as `_value_order` does; ties go by label."""

    def key(value: Value) -> tuple[int, int, str, str, str]:
        order = orders.get(value.iri) if value.iri else None
        language, text, term = _value_order(value)
        if order is None:
            return (1, 0, language, text, term)
        return (0, order, text, language, term)

    return key


def _first_stated(value: Value) -> tuple[str, int, str]:
    """Where the sources first state a value: by document, then line; unsourced ones last."""
    places = [(ref.document, ref.first_line or 0) for ref in value.sources]
    document, line = min(places) if places else ("\uffff", 0)
    return (document, line, value.text)


def _drop_entailed(
    by_predicate: dict[str, list[Value]], superproperties: dict[str, set[str]]
) -> None:
    """Leave out a value of a property when a property refining it has the same value: the page
    shows `agenda order 2`, not also `position 2`. The RDF documents keep both."""
    for sub, supers in superproperties.items():
        stated = {v.term for v in by_predicate.get(sub, ())}
        if not stated:
            continue
        for parent in supers:
            if parent in by_predicate:
                kept = [v for v in by_predicate[parent] if v.term not in stated]
                if kept:
                    by_predicate[parent] = kept
                else:
                    del by_predicate[parent]


def language_literal(language: str) -> str:
    """A language tag as a SPARQL string literal, for lang(?x) = ...; anything but a tag's letters, digits and hyphens is
    refused, so nothing can leave the string."""
    if not language.replace("-", "").isalnum():
        raise ValueError(f"not a language tag: {language!r}")
    return f'"{language}"'


def _other_names(
    by_predicate: dict[str, list[Value]], title: str, language: str, main_language: str
) -> tuple[Value, ...]:
    """The names of a resource other than its title, each text once, in the language a reader of
    `language` would look for first when several languages write it alike; sorted by language."""
    preference = {language: 0, main_language: 1}
    names: dict[str, Value] = {}
    for predicate in _NAMES:
        for value in by_predicate.get(predicate, ()):
            if value.iri is not None or value.text == title:
                continue
            kept = names.get(value.text)
            rank = (preference.get(value.language or "", 2), value.language or "")
            if kept is None or rank < (preference.get(kept.language or "", 2), kept.language or ""):
                names[value.text] = value
    return tuple(sorted(names.values(), key=_value_order))


def _summary(
    by_predicate: dict[str, list[Value]], language: str, main_language: str
) -> Value | None:
    """The short description a page opens with: schema:description, then definitions and texts."""
    for predicate in (
        SCHEMA + "description",
        SKOS + "definition",
        SCHEMA + "text",
        SCHEMA + "abstract",
    ):
        # In a fixed order, not the store's: the same data always opens with the same text.
        values = sorted(by_predicate.get(predicate, []), key=_first_stated)
        for candidate in (language, main_language, None):
            for value in values:
                if value.language == candidate:
                    return value
        if values:
            return values[0]
    return None
