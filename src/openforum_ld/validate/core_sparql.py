"""SHACL Core constraints compiled to SPARQL and evaluated on the store.

pyshacl needs the data as an rdflib graph and walks it focus node by focus node: on the forum
~1 s, at a million triples minutes. The constraint components the shapes use are each a
question the store answers for all focus nodes at once: a property shape's values that break
a value constraint (one query with a flag per component), its counts (one grouped query), and
the pairs of its comparisons. Regular expressions are checked with Python's `re`, as SHACL
processors in Python do (the store's engine has no look-around), and so is the lexical form of
a typed literal (rdflib's `ill_typed`, what pyshacl relies on).

A node shape using anything not compiled here is left to pyshacl, whole: `compile_core` says
which. Results go into the same sh:ValidationReport graph as pyshacl's, with the same focus
node, path, value, source shape and constraint component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib
import rdflib.collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from openforum_ld.rdf.convert import to_rdflib_term
from openforum_ld.validate.unchecked import SAYS_NOTHING_CHECKED

if TYPE_CHECKING:
    from collections.abc import Callable, Collection
    from concurrent.futures import Executor

    from rdflib.term import Node

    from openforum_ld.store import Store

    # One compiled check: runs its query, adds its results to the graph, says how many.
    Check = Callable[["_Data", rdflib.Graph], int]

#: Stands in a query for the classes whose instances are a class's (it and its subclasses, as
#: the data states them), written out when the query runs: matching rdf:type against a list is
#: twice as fast on the store as the path rdf:type/rdfs:subClassOf*.
_SUBCLASSES = re.compile(r"\{\{subclasses of <([^<>]*)>\}\}")
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: What a shape may say that this module reads or that checks nothing.
_NOT_CONSTRAINTS = SAYS_NOTHING_CHECKED | {
    SH.property,
    SH.sparql,  # those of node shapes that compile_core takes are run elsewhere
    *_TARGETS,
    rdflib.URIRef("https://w3id.org/openforum/shapes#forumLanguage"),
}
_VALUE_COMPONENTS = frozenset(
    {SH["class"], SH.datatype, SH.nodeKind, SH.minInclusive, SH["in"], SH.languageIn, SH["or"]}
)
_COUNT_COMPONENTS = frozenset(
    {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
)
_OTHER_PROPERTY_COMPONENTS = frozenset(
    {
        SH.pattern,
        SH.flags,
        SH.uniqueLang,
        SH.equals,
        SH.lessThanOrEquals,
        SH.hasValue,
        SH.minLength,
    }
)
_NODE_COMPONENTS = frozenset(
    {SH.nodeKind, SH.pattern, SH.flags, SH["or"], SH.closed, SH.ignoredProperties, SH.deactivated}
)
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_TEXT_DATATYPES = (XSD.string, RDF.langString)


class NotCompiledError(Exception):
    """A shape this module does not compile: pyshacl checks it."""


@dataclass
class CoreShapes:
    """The checks of the node shapes compiled to queries, one list per node shape, and those
    shapes."""

    checks: list[list[Check]] = field(default_factory=list)
    compiled: set[rdflib.term.Node] = field(default_factory=set)

    def left(self, shapes: rdflib.Graph) -> rdflib.Graph | None:
        """The shapes graph for pyshacl: the node shapes not compiled, or None when every
        shape that has a target is."""
        if (
            all(
                shape in self.compiled or not any((shape, t, None) in shapes for t in _TARGETS)
                for shape in shapes.subjects(RDF.type, SH.NodeShape)
            )
            and (None, RDF.type, RDFS.Class) not in shapes
        ):
            return None
        left = rdflib.Graph()
        for prefix, namespace in shapes.namespaces():
            left.bind(prefix, namespace)
        for triple in shapes:
            if triple[0] in self.compiled and triple[1] in _TARGETS:
                continue  # pyshacl finds no focus node for it: checked on the store
            left.add(triple)
        return left


def compile_core(shapes: rdflib.Graph, lifted: Collection[tuple[Node, Node]] = ()) -> CoreShapes:
    """The checks of every node shape this module can compile. `lifted` are the (shape,
    constraint) pairs of SPARQL-based constraints run elsewhere (`sparql_constraints`)."""
    core = CoreShapes()
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        sparql = set(shapes.objects(shape, SH.sparql))
        if any((shape, constraint) not in lifted for constraint in sparql):
            continue
        try:
            core.checks.append(_NodeShape(shapes, shape).checks())
        except NotCompiledError:
            continue
        core.compiled.add(shape)
    return core


def run_core(
    store: Store,
    shapes: rdflib.Graph,
    report: rdflib.Graph,
    lifted: Collection[tuple[Node, Node]] = (),
    pool: Executor | None = None,
) -> CoreShapes:
    """Run the compiled checks on the store's default graph, adding their results to the
    report; which shapes were compiled is returned. With a `pool`, the node shapes are checked
    in its threads (pyoxigraph runs a query without holding the GIL)."""
    core = compile_core(shapes, lifted)
    subclasses: dict[str, str] = {}

    def results(checks: list[Check]) -> rdflib.Graph:
        data, found = _Data(store, subclasses), rdflib.Graph()
        for check in checks:
            check(data, found)
        return found

    for found in (pool.map if pool is not None else map)(results, core.checks):
        report += found
    return core


@dataclass(frozen=True)
class _Result:
    focus: ox.NamedNode | ox.BlankNode | ox.Literal | rdflib.term.Node
    component: rdflib.URIRef
    path: rdflib.term.Node | None = None
    value: ox.NamedNode | ox.BlankNode | ox.Literal | rdflib.term.Node | None = None


class _NodeShape:
    """One named node shape: the queries of its own constraints and of its property shapes."""

    def __init__(self, shapes: rdflib.Graph, shape: rdflib.term.Node) -> None:
        self.shapes = shapes
        self.shape = shape
        self.focus = _focus_pattern(shapes, shape)

    def checks(self) -> list[Check]:
        shapes, shape = self.shapes, self.shape
        own = set(shapes.predicates(shape, None)) - _NOT_CONSTRAINTS
        if own - _NODE_COMPONENTS:
            raise NotCompiledError(shape)
        if _deactivated(shapes, shape):
            return []
        checks = []
        if own and self.focus is None:
            raise NotCompiledError(shape)  # a shape only other shapes point to (sh:node ...)
        for property_shape in shapes.objects(shape, SH.property):
            checks.extend(_PropertyShape(shapes, property_shape, shape, self.focus).checks())
        if self.focus is None:
            if checks:
                raise NotCompiledError(shape)
            return []
        checks.extend(self._own_checks(own))
        return checks

    def _own_checks(self, own: set[rdflib.term.Node]) -> list[Check]:
        shapes, shape, focus = self.shapes, self.shape, self.focus
        assert focus is not None
        flags: list[tuple[rdflib.URIRef, str]] = []
        kind = shapes.value(shape, SH.nodeKind)
        if kind is not None:
            flags.append((SH.NodeKindConstraintComponent, _node_kind(kind, "?this")))
        for members in shapes.objects(shape, SH["or"]):
            loose, _exact, lexical = _or_parts(shapes, members, "?this")
            if lexical:
                raise NotCompiledError(shape)
            flags.append((SH.OrConstraintComponent, loose))
        checks = []
        if flags:
            columns = _failing(flags)
            rows = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} BIND(?this AS ?value)"
            query = _select(rows, columns, [name for name, _ in columns])
            checks.append(self._emitter(query, [c for c, _ in flags], value="this"))
        if (shape, SH.pattern, None) in shapes:
            regex = _regex(shapes, shape)
            query = f"SELECT DISTINCT ?this WHERE {{ {focus} }}"
            checks.append(self._pattern_check(query, regex, pattern_on="this"))
        if _is_true(shapes.value(shape, SH.closed)):
            allowed = {str(p) for p in _list(shapes, shapes.value(shape, SH.ignoredProperties))}
            for property_shape in shapes.objects(shape, SH.property):
                path = shapes.value(property_shape, SH.path)
                if isinstance(path, rdflib.URIRef):
                    allowed.add(str(path))
            not_in = ", ".join(f"<{p}>" for p in sorted(allowed))
            query = (
                f"SELECT ?this ?path ?value WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}"
                f" ?this ?path ?value . FILTER(?path NOT IN ({not_in})) }}"
            )
            checks.append(self._closed_check(query))
        return checks

    def _emitter(self, query: str, components: list[rdflib.URIRef], value: str | None) -> Check:
        def check(store: _Data, report: rdflib.Graph) -> int:
            count = 0
            for row in store.select(query):
                for index, component in enumerate(components):
                    if _true(row.get(f"bad{index}")):
                        _add(
                            report,
                            self.shapes,
                            self.shape,
                            _Result(
                                row["this"], component, None, row.get(value) if value else None
                            ),
                        )
                        count += 1
            return count

        return check

    def _pattern_check(self, query: str, regex: re.Pattern[str], pattern_on: str) -> Check:
        def check(store: _Data, report: rdflib.Graph) -> int:
            count = 0
            for row in store.select(query):
                node = row[pattern_on]
                if isinstance(node, ox.BlankNode) or not regex.search(node.value):
                    result = _Result(row["this"], SH.PatternConstraintComponent, None, node)
                    _add(report, self.shapes, self.shape, result)
                    count += 1
            return count

        return check

    def _closed_check(self, query: str) -> Check:
        def check(store: _Data, report: rdflib.Graph) -> int:
            rows = store.select(query)
            for row in rows:
                path = to_rdflib_term(row["path"])
                result = _Result(row["this"], SH.ClosedConstraintComponent, path, row["value"])
                _add(report, self.shapes, self.shape, result)
            return len(rows)

        return check


class _PropertyShape:
    """One property shape of a node shape with targets."""

    def __init__(
        self,
        shapes: rdflib.Graph,
        shape: rdflib.term.Node,
        owner: rdflib.term.Node,
        focus: str | None,
    ) -> None:
        self.shapes = shapes
        self.shape = shape
        self.owner = owner
        self.focus = focus
        self.path = shapes.value(shape, SH.path)
        if self.path is None:
            raise NotCompiledError(shape)
        self.sparql_path = sparql_path(shapes, self.path)

    def checks(self) -> list[Check]:
        shapes, shape = self.shapes, self.shape
        own = set(shapes.predicates(shape, None)) - _NOT_CONSTRAINTS
        if (
            own
            - _VALUE_COMPONENTS
            - _COUNT_COMPONENTS
            - _OTHER_PROPERTY_COMPONENTS
            - {SH.deactivated}
        ):
            raise NotCompiledError(shape)
        if (shape, SH.sparql, None) in shapes:
            raise NotCompiledError(shape)  # only node shapes' SPARQL constraints run elsewhere
        if _deactivated(shapes, shape) or not own:
            return []
        if self.focus is None:
            raise NotCompiledError(shape)
        focus = f"{{ SELECT DISTINCT ?this WHERE {{ {self.focus} }} }}"
        values = f"{focus} ?this {self.sparql_path} ?value ."
        checks = []
        flags, rechecks = self._value_flags()
        lexical = [d for d in shapes.objects(shape, SH.datatype) if d not in _TEXT_DATATYPES]
        if flags:
            columns = _failing(flags)
            keep = [name for name, _ in columns]
            for j, datatype in enumerate(lexical):
                columns.append((f"typed{j}", f"sameTerm(DATATYPE(?value), <{datatype}>)"))
                keep.append(f"typed{j}")
            for k, (index, exact, members) in enumerate(rechecks):
                loose = flags[index][1]
                columns.append((f"recheck{k}", f"({loose}) && !COALESCE({exact}, false)"))
                keep.append(f"recheck{k}")
                columns += [(f"lex{k}_{m}", member) for m, member in enumerate(members)]
            query = _select(values, columns, keep)
            checks.append(self._value_check(query, flags, len(lexical), rechecks))
        counts = self._count_query(focus)
        if counts is not None:
            checks.append(self._count_check(*counts))
        if (shape, SH.pattern, None) in shapes:
            regex = _regex(shapes, shape)
            checks.append(self._pattern_check(f"SELECT ?this ?value WHERE {{ {values} }}", regex))
        min_length = shapes.value(shape, SH.minLength)
        if min_length is not None:
            n = _integer(min_length)
            query = (
                f"SELECT ?this ?value WHERE {{ {values} "
                f"FILTER(isBlank(?value) || STRLEN(STR(?value)) < {n}) }}"
            )
            checks.append(self._rows_check(query, SH.MinLengthConstraintComponent, value=True))
        if _is_true(shapes.value(shape, SH.uniqueLang)):
            query = (
                f'SELECT ?this ?lang WHERE {{ {values} FILTER(LANG(?value) != "") '
                "BIND(LCASE(LANG(?value)) AS ?lang) } GROUP BY ?this ?lang "
                "HAVING(COUNT(DISTINCT ?value) > 1)"
            )
            checks.append(self._rows_check(query, SH.UniqueLangConstraintComponent, value=False))
        for other in shapes.objects(shape, SH.equals):
            if not isinstance(other, rdflib.URIRef):
                raise NotCompiledError(shape)
            query = (
                f"SELECT ?this ?value WHERE {{ {{ {values} FILTER NOT EXISTS {{ ?this <{other}> ?value }} }}"
                f" UNION {{ {focus} ?this <{other}> ?value . FILTER NOT EXISTS {{ ?this {self.sparql_path} ?value }} }} }}"
            )
            checks.append(self._rows_check(query, SH.EqualsConstraintComponent, value=True))
        for other in shapes.objects(shape, SH.lessThanOrEquals):
            if not isinstance(other, rdflib.URIRef):
                raise NotCompiledError(shape)
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this <{other}> ?other . "
                "FILTER(!COALESCE(?value <= ?other, false)) }"
            )
            checks.append(
                self._rows_check(query, SH.LessThanOrEqualsConstraintComponent, value=True)
            )
        return checks

    def _value_flags(
        self,
    ) -> tuple[list[tuple[rdflib.URIRef, str]], list[tuple[int, str, list[str]]]]:
        """The value constraints as conditions on ?value; and for each sh:or with members of
        a datatype whose lexical forms are checked in Python, the flag's index, the condition
        of its other members and the conditions of those members."""
        shapes, shape = self.shapes, self.shape
        flags = []
        rechecks = []
        for cls in shapes.objects(shape, SH["class"]):
            flags.append((SH.ClassConstraintComponent, _instance_of("?value", cls)))
        for datatype in shapes.objects(shape, SH.datatype):
            flags.append((SH.DatatypeConstraintComponent, _has_datatype("?value", datatype)))
        for kind in shapes.objects(shape, SH.nodeKind):
            flags.append((SH.NodeKindConstraintComponent, _node_kind(kind, "?value")))
        for bound in shapes.objects(shape, SH.minInclusive):
            if not isinstance(bound, rdflib.Literal):
                raise NotCompiledError(shape)
            flags.append(
                (SH.MinInclusiveConstraintComponent, f"COALESCE(?value >= {bound.n3()}, false)")
            )
        for members in shapes.objects(shape, SH["in"]):
            flags.append((SH.InConstraintComponent, _in_condition(shapes, members, "?value")))
        for ranges in shapes.objects(shape, SH.languageIn):
            flags.append((SH.LanguageInConstraintComponent, _language_in(shapes, ranges, "?value")))
        for members in shapes.objects(shape, SH["or"]):
            loose, exact, lexical = _or_parts(shapes, members, "?value")
            if lexical:
                rechecks.append((len(flags), exact, lexical))
            flags.append((SH.OrConstraintComponent, loose))
        return flags, rechecks

    def _count_query(self, focus: str) -> tuple[str, list[tuple[rdflib.URIRef, str]]] | None:
        shapes, shape = self.shapes, self.shape
        binds = []
        aggregates = ["(COUNT(DISTINCT ?value) AS ?n)"]
        tests: list[tuple[rdflib.URIRef, str]] = []
        min_count = shapes.value(shape, SH.minCount)
        if min_count is not None:
            tests.append((SH.MinCountConstraintComponent, f"?n < {_integer(min_count)}"))
        max_count = shapes.value(shape, SH.maxCount)
        if max_count is not None:
            tests.append((SH.MaxCountConstraintComponent, f"?n > {_integer(max_count)}"))
        qualified = list(shapes.objects(shape, SH.qualifiedValueShape))
        if len(qualified) > 1:
            raise NotCompiledError(shape)
        if qualified:
            condition = _shape_condition(shapes, qualified[0], "?value")
            binds.append(f"BIND(IF({condition}, ?value, ?none) AS ?qualified)")
            aggregates.append("(COUNT(DISTINCT ?qualified) AS ?q)")
            low = shapes.value(shape, SH.qualifiedMinCount)
            if low is not None:
                tests.append((SH.QualifiedMinCountConstraintComponent, f"?q < {_integer(low)}"))
            high = shapes.value(shape, SH.qualifiedMaxCount)
            if high is not None:
                tests.append((SH.QualifiedMaxCountConstraintComponent, f"?q > {_integer(high)}"))
        for index, value in enumerate(shapes.objects(shape, SH.hasValue)):
            binds.append(
                f"BIND(IF(sameTerm(?value, {_sparql_term(value)}), ?value, ?none) AS ?has{index})"
            )
            aggregates.append(f"(COUNT(DISTINCT ?has{index}) AS ?h{index})")
            tests.append((SH.HasValueConstraintComponent, f"?h{index} = 0"))
        if not tests:
            return None
        flags = " ".join(f"BIND(({test}) AS ?bad{i})" for i, (_, test) in enumerate(tests))
        any_bad = " || ".join(f"?bad{i}" for i in range(len(tests)))
        # The conditions are bound after the OPTIONAL, on the focus nodes' values only: inside
        # it, pyoxigraph evaluated them on every value of the path in the data (3.9 s -> 0.2 s
        # for a shape of a few hundred focus nodes at 1M triples). An unbound ?value leaves
        # every IF(..., ?value, ?none) unbound either way.
        query = (
            f"SELECT * WHERE {{ {{ SELECT ?this {' '.join(aggregates)} WHERE {{ {focus} "
            f"OPTIONAL {{ ?this {self.sparql_path} ?value }} {' '.join(binds)} }} "
            f"GROUP BY ?this }} {flags} FILTER({any_bad}) }}"
        )
        return query, tests

    def _count_check(self, query: str, tests: list[tuple[rdflib.URIRef, str]]) -> Check:
        def check(store: _Data, report: rdflib.Graph) -> int:
            count = 0
            for row in store.select(query):
                for index, (component, _) in enumerate(tests):
                    if _true(row.get(f"bad{index}")):
                        self._add(report, _Result(row["this"], component, self.path))
                        count += 1
            return count

        return check

    def _value_check(
        self,
        query: str,
        flags: list[tuple[rdflib.URIRef, str]],
        lexical: int,
        rechecks: list[tuple[int, str, list[str]]],
    ) -> Check:
        def check(store: _Data, report: rdflib.Graph) -> int:
            count = 0
            for row in store.select(query):
                value = row["value"]
                failed = [c for i, (c, _) in enumerate(flags) if _true(row.get(f"bad{i}"))]
                for j in range(lexical):
                    # Of the datatype asked for: its lexical form must be one of the type's.
                    if _true(row.get(f"typed{j}")) and _ill_typed(value):
                        failed.append(SH.DatatypeConstraintComponent)
                for k, (_, _, members) in enumerate(rechecks):
                    if _true(row.get(f"recheck{k}")) and not any(
                        _true(row.get(f"lex{k}_{m}")) and not _ill_typed(value)
                        for m in range(len(members))
                    ):
                        failed.append(SH.OrConstraintComponent)
                for component in dict.fromkeys(failed):
                    self._add(report, _Result(row["this"], component, self.path, value))
                    count += 1
            return count

        return check

    def _pattern_check(self, query: str, regex: re.Pattern[str]) -> Check:
        def check(store: _Data, report: rdflib.Graph) -> int:
            count = 0
            for row in store.select(query):
                value = row["value"]
                if isinstance(value, ox.BlankNode) or not regex.search(value.value):
                    result = _Result(row["this"], SH.PatternConstraintComponent, self.path, value)
                    self._add(report, result)
                    count += 1
            return count

        return check

    def _rows_check(self, query: str, component: rdflib.URIRef, value: bool) -> Check:
        def check(store: _Data, report: rdflib.Graph) -> int:
            rows = store.select(query)
            for row in rows:
                self._add(
                    report,
                    _Result(row["this"], component, self.path, row["value"] if value else None),
                )
            return len(rows)

        return check

    def _add(self, report: rdflib.Graph, result: _Result) -> None:
        _add(report, self.shapes, self.shape, result, self.owner)


def _select(pattern: str, columns: list[tuple[str, str]], keep: list[str]) -> str:
    """The rows of `pattern` with each column bound to its condition (an error counting as
    false), where one of the `keep` columns is true."""
    binds = " ".join(
        f"BIND(COALESCE({condition}, false) AS ?{name})" for name, condition in columns
    )
    return f"SELECT * WHERE {{ {pattern} {binds} FILTER({' || '.join('?' + k for k in keep)}) }}"


def _failing(flags: list[tuple[rdflib.URIRef, str]]) -> list[tuple[str, str]]:
    """A column bad<i> for each flag: true where its condition does not hold."""
    return [(f"bad{i}", f"!COALESCE({condition}, false)") for i, (_, condition) in enumerate(flags)]


def _add(
    report: rdflib.Graph,
    shapes: rdflib.Graph,
    shape: rdflib.term.Node,
    result: _Result,
    owner: rdflib.term.Node | None = None,
) -> None:
    node = rdflib.BNode()
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.focusNode, _rdflib(result.focus)))
    severity = shapes.value(shape, SH.severity) or SH.Violation
    report.add((node, SH.resultSeverity, severity))
    report.add((node, SH.sourceShape, shape))
    report.add((node, SH.sourceConstraintComponent, result.component))
    if result.path is not None:
        report.add((node, SH.resultPath, result.path))
    if result.value is not None:
        report.add((node, SH.value, _rdflib(result.value)))
    messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, rdflib.Literal)]
    for message in messages or [rdflib.Literal(_default_message(result.component))]:
        report.add((node, SH.resultMessage, message))


def _rdflib(term: object) -> rdflib.term.Node:
    if isinstance(term, rdflib.term.Node):
        return term
    return to_rdflib_term(term)  # type: ignore[arg-type]


_DEFAULT_MESSAGES = {
    "ClassConstraintComponent": "the value is not an instance of the class the shape asks for",
    "DatatypeConstraintComponent": "the value is not a literal of the datatype the shape asks for",
    "NodeKindConstraintComponent": "the node is not of the kind the shape asks for",
    "MinCountConstraintComponent": "fewer values than the shape asks for",
    "MaxCountConstraintComponent": "more values than the shape allows",
    "PatternConstraintComponent": "the value does not match the shape's pattern",
    "ClosedConstraintComponent": "a property the closed shape does not allow",
    "OrConstraintComponent": "the value conforms to none of the shapes of sh:or",
}


def _default_message(component: rdflib.URIRef) -> str:
    name = str(component).rsplit("#", 1)[-1]
    return _DEFAULT_MESSAGES.get(name, f"does not conform ({name})")


def _true(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.value == "true"


def _ill_typed(value: object) -> bool:
    if not isinstance(value, ox.Literal):
        return False
    return rdflib.Literal(value.value, datatype=value.datatype.value).ill_typed is True


def _deactivated(shapes: rdflib.Graph, shape: rdflib.term.Node) -> bool:
    return _is_true(shapes.value(shape, SH.deactivated))


def _is_true(term: object) -> bool:
    return isinstance(term, rdflib.Literal) and term.toPython() is True


def _integer(term: object) -> int:
    if not isinstance(term, rdflib.Literal) or not isinstance(term.toPython(), int):
        raise NotCompiledError(term)
    return int(term.toPython())


def _list(shapes: rdflib.Graph, head: rdflib.term.Node | None) -> list[rdflib.term.Node]:
    return [] if head is None else list(rdflib.collection.Collection(shapes, head))


def _regex(shapes: rdflib.Graph, shape: rdflib.term.Node) -> re.Pattern[str]:
    patterns = list(shapes.objects(shape, SH.pattern))
    if len(patterns) != 1:
        raise NotCompiledError(shape)
    flags = 0
    for letter in str(shapes.value(shape, SH.flags) or ""):
        flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(
            letter, 0
        )
    try:
        return re.compile(str(patterns[0]), flags)
    except re.error:
        raise NotCompiledError(shape) from None  # pyshacl reports the shape that cannot be applied


def _sparql_term(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef | rdflib.Literal):
        return term.n3()
    raise NotCompiledError(term)


def _focus_pattern(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str | None:
    """A pattern binding ?this to the shape's focus nodes; None for a shape with no target."""
    patterns = []
    classes = " ".join(_subclasses(c) for c in shapes.objects(shape, SH.targetClass))
    if classes:
        patterns.append(f"{{ VALUES ?focusType {{ {classes} }} ?this <{RDF.type}> ?focusType }}")
    patterns += [
        f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{p}> [] }} }}"
        for p in shapes.objects(shape, SH.targetSubjectsOf)
    ]
    patterns += [
        f"{{ SELECT DISTINCT ?this WHERE {{ [] <{p}> ?this }} }}"
        for p in shapes.objects(shape, SH.targetObjectsOf)
    ]
    patterns += [
        f"{{ BIND({_sparql_term(n)} AS ?this) }}" for n in shapes.objects(shape, SH.targetNode)
    ]
    if (shape, RDF.type, RDFS.Class) in shapes:
        raise NotCompiledError(shape)  # an implicit class target
    return " UNION ".join(patterns) if patterns else None


def sparql_path(shapes: rdflib.Graph, path: rdflib.term.Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, rdflib.URIRef):
        return path.n3()
    for kind, operator in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = shapes.value(path, kind)
        if inner is not None:
            return f"({sparql_path(shapes, inner)}){operator}"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^({sparql_path(shapes, inverse)})"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, m) for m in _list(shapes, alternatives)) + ")"
    members = _list(shapes, path)
    if not members:
        raise NotCompiledError(path)
    return "(" + "/".join(sparql_path(shapes, m) for m in members) + ")"


def _instance_of(variable: str, cls: rdflib.term.Node) -> str:
    if not isinstance(cls, rdflib.URIRef):
        raise NotCompiledError(cls)
    return f"EXISTS {{ VALUES ?instanceType {{ {_subclasses(cls)} }} {variable} <{RDF.type}> ?instanceType }}"


def _subclasses(cls: rdflib.term.Node) -> str:
    if not isinstance(cls, rdflib.URIRef) or "<" in cls or ">" in cls:
        raise NotCompiledError(cls)
    return f"{{{{subclasses of <{cls}>}}}}"


class _Data:
    """The store, as the checks query it: with the classes of each query written out."""

    def __init__(self, store: Store, subclasses: dict[str, str] | None = None) -> None:
        self.store = store
        # Shared by the threads checking node shapes: at worst two of them ask the same.
        self._subclasses: dict[str, str] = {} if subclasses is None else subclasses
        # The last answer: property shapes of one path and focus, each with a sh:pattern (clean
        # text: two patterns on 13 properties), ask for the same values one after the other.
        self._last: tuple[str, list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]] = (
            "",
            [],
        )

    def select(self, query: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        if query != self._last[0]:
            self._last = (query, self.store.select(_SUBCLASSES.sub(self._written_out, query)))
        return self._last[1]

    def _written_out(self, match: re.Match[str]) -> str:
        cls = match.group(1)
        if cls not in self._subclasses:
            rows = self.store.select(
                f"SELECT DISTINCT ?class WHERE {{ ?class <{RDFS.subClassOf}>* <{cls}> }}"
            )
            found = {row["class"].value for row in rows if isinstance(row["class"], ox.NamedNode)}
            self._subclasses[cls] = " ".join(f"<{c}>" for c in sorted(found | {cls}))
        return self._subclasses[cls]


def _has_datatype(variable: str, datatype: rdflib.term.Node) -> str:
    """A literal of the datatype, by its datatype IRI (the lexical form is checked apart)."""
    if not isinstance(datatype, rdflib.URIRef):
        raise NotCompiledError(datatype)
    if datatype == RDF.langString:
        return f'(isLiteral({variable}) && LANG({variable}) != "")'
    return f"(isLiteral({variable}) && sameTerm(DATATYPE({variable}), <{datatype}>))"


def _node_kind(kind: rdflib.term.Node, variable: str) -> str:
    if kind not in _NODE_KINDS:
        raise NotCompiledError(kind)
    return _NODE_KINDS[kind].format(v=variable)  # type: ignore[index]


def _in_condition(shapes: rdflib.Graph, members: rdflib.term.Node, variable: str) -> str:
    terms = [f"sameTerm({variable}, {_sparql_term(m)})" for m in _list(shapes, members)]
    return "(" + (" || ".join(terms) or "false") + ")"


def _language_in(shapes: rdflib.Graph, ranges: rdflib.term.Node, variable: str) -> str:
    tests = [f'langMatches(LANG({variable}), "{r}")' for r in _list(shapes, ranges)]
    return f'(isLiteral({variable}) && LANG({variable}) != "" && ({" || ".join(tests) or "false"}))'


def _or_parts(
    shapes: rdflib.Graph, members: rdflib.term.Node, variable: str
) -> tuple[str, str, list[str]]:
    """An sh:or as conditions: all its members (a datatype's lexical form unchecked), those
    whose condition is exact, and those of a datatype whose lexical form is to be checked."""
    exact: list[str] = []
    lexical: list[str] = []
    for member in _list(shapes, members):
        condition, checks_lexical = _member(shapes, member, variable)
        (lexical if checks_lexical else exact).append(condition)
    if not exact and not lexical:
        raise NotCompiledError(members)
    return (
        "(" + " || ".join(exact + lexical) + ")",
        "(" + (" || ".join(exact) or "false") + ")",
        lexical,
    )


def _shape_condition(shapes: rdflib.Graph, member: rdflib.term.Node, variable: str) -> str:
    condition, checks_lexical = _member(shapes, member, variable)
    if checks_lexical:
        raise NotCompiledError(member)
    return condition


def _member(shapes: rdflib.Graph, member: rdflib.term.Node, variable: str) -> tuple[str, bool]:
    """Whether `variable` conforms to a small inline shape (a member of sh:or, a qualified
    value shape): a conjunction of the constraints compiled here; and whether it holds only
    if the value's lexical form is also one of its datatype's."""
    tests = []
    checks_lexical = False
    path = shapes.value(member, SH.path)
    for predicate, obj in shapes.predicate_objects(member):
        if predicate in (RDF.type, SH.path, SH.name, SH.description, SH.message):
            continue
        if predicate == SH["class"]:
            tests.append(_instance_of(variable, obj))
        elif predicate == SH.datatype:
            tests.append(_has_datatype(variable, obj))
            checks_lexical = checks_lexical or obj not in _TEXT_DATATYPES
        elif predicate == SH.hasValue:
            tests.append(f"sameTerm({variable}, {_sparql_term(obj)})")
        elif predicate == SH.languageIn:
            tests.append(_language_in(shapes, obj, variable))
        elif predicate == SH.pattern and (member, SH.flags, None) not in shapes:
            text = rdflib.Literal(str(obj)).n3()
            tests.append(f"(!isBlank({variable}) && REGEX(STR({variable}), {text}))")
        elif predicate == SH.minCount and path is not None and _integer(obj) == 1:
            tests.append(f"EXISTS {{ {variable} {sparql_path(shapes, path)} [] }}")
        else:
            raise NotCompiledError(member)
    if not tests:
        raise NotCompiledError(member)
    return "(" + " && ".join(tests) + ")", checks_lexical
