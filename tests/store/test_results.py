"""The endpoint's result writers: what they write must read back, with a standard parser, as the
solutions the query gave, in every results format, and stop at the row cap."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openforum_ld.rdf.formats import ResultsFormat
from openforum_ld.store import Store
from openforum_ld.store.embedded import QueryResult, Term
from openforum_ld.store.results import write_result

XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}

# Text a literal may hold: quotes, backslashes, control characters, non-ASCII, and characters
# outside the Basic Multilingual Plane. XML 1.0 cannot carry most control characters at all.
any_texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)
xml_texts = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
        st.sampled_from("\t\n\r "),
    ),
    max_size=20,
)
iris = st.builds(
    lambda path: ox.NamedNode("http://example.org/" + path),
    st.text(st.sampled_from("abcé日-_~0123456789"), max_size=10),
)
blank_nodes = st.builds(ox.BlankNode, st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True))


def rows_of(texts: st.SearchStrategy[str]) -> st.SearchStrategy[list[list[Term | None]]]:
    literals = st.one_of(
        st.builds(ox.Literal, texts),
        st.builds(
            lambda value, language: ox.Literal(value, language=language),
            texts,
            st.sampled_from(["en", "fr", "ar-MA", "zh-Hant"]),
        ),
        st.builds(
            lambda n: ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")), st.integers()
        ),
    )
    triple_terms = st.builds(ox.Triple, iris, iris, st.one_of(iris, literals))
    terms = st.one_of(st.none(), iris, literals, blank_nodes, triple_terms)
    return st.lists(st.lists(terms, min_size=3, max_size=3), max_size=6)


VARIABLES = ["s", "label", "value"]


def _reference_term(t: Term) -> dict[str, object]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        parts = {"subject": t.subject, "predicate": t.predicate, "object": t.object}
        return {"type": "triple", "value": {k: _reference_term(v) for k, v in parts.items()}}
    found = {"type": "literal", "value": t.value}
    if t.language:
        found["xml:lang"] = t.language
    elif t.datatype.value != XSD + "string":
        found["datatype"] = t.datatype.value
    return found


def _reference_json(rows: list[list[Term | None]]) -> bytes:
    """The standard structure of SPARQL JSON results, as json.dumps writes it."""
    bindings = [
        {name: _reference_term(t) for name, t in zip(VARIABLES, row, strict=True) if t is not None}
        for row in rows
    ]
    document = {"head": {"vars": VARIABLES}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode()


def _result(rows: list[list[Term | None]]) -> QueryResult:
    """pyoxigraph's own solutions holding `rows`."""
    solutions = ox.parse_query_results(_reference_json(rows), format=ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    return QueryResult("select", solutions)


def _read_back(body: bytes, key: str) -> list[list[Term | None]]:
    if key == "xml":
        return _read_xml(body)
    solutions = ox.parse_query_results(body, format=FORMATS[key])
    assert isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == VARIABLES
    return [list(solution) for solution in solutions]


_SPARQL = "{http://www.w3.org/2005/sparql-results#}"


def _read_xml(body: bytes) -> list[list[Term | None]]:
    """SPARQL XML results read with the standard library's XML parser: pyoxigraph's reader
    drops a carriage return, and the text of a literal that is only whitespace."""
    root = ElementTree.fromstring(body)
    names = [v.get("name") for v in root.iter(_SPARQL + "variable")]
    assert names == VARIABLES
    rows = []
    for result in root.iter(_SPARQL + "result"):
        found = {b.get("name"): _xml_term(b[0]) for b in result.findall(_SPARQL + "binding")}
        rows.append([found.get(name) for name in VARIABLES])
    return rows


def _xml_term(element: ElementTree.Element) -> Term:
    tag = element.tag.removeprefix(_SPARQL)
    text = element.text or ""
    if tag == "uri":
        return ox.NamedNode(text)
    if tag == "bnode":
        return ox.BlankNode(text)
    if tag == "triple":
        subject, predicate, object_ = (
            element.find(_SPARQL + p)[0] for p in ("subject", "predicate", "object")
        )  # type: ignore[index]
        return ox.Triple(_xml_term(subject), _xml_term(predicate), _xml_term(object_))  # type: ignore[arg-type]
    assert tag == "literal"
    language = element.get("{http://www.w3.org/XML/1998/namespace}lang")
    if language:
        return ox.Literal(text, language=language)
    datatype = element.get("datatype")
    return ox.Literal(text, datatype=ox.NamedNode(datatype) if datatype else None)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("key", sorted(FORMATS))
def test_results_read_back_as_the_solutions_written(key: str, data: st.DataObject) -> None:
    rows = data.draw(rows_of(xml_texts if key == "xml" else any_texts))
    fmt = ResultsFormat(FORMATS[key], key, key)
    written = write_result(_result(rows), fmt, 100, "http://example.org/")
    assert not written.truncated
    if key == "tsv":
        # TSV writes blank nodes by label and pyoxigraph reads them back under new ones.
        rows = [[_without_blank_label(t) for t in row] for row in rows]
        back = [[_without_blank_label(t) for t in row] for row in _read_back(written.body, key)]
        assert back == rows
    else:
        assert _read_back(written.body, key) == rows


def _without_blank_label(term: Term | None) -> object:
    return "_:" if isinstance(term, ox.BlankNode) else term


# Text that looks like the JSON around it, and long text that crosses pyoxigraph's 8 KB writes,
# with characters of two, three and four bytes to be cut in two there.
tricky_texts = st.one_of(
    any_texts,
    st.sampled_from(['},{"', '"}]}}', '"bindings":[', "{}", "\\", '\\"']),
    st.builds(lambda n, text: text * n, st.integers(200, 3000), st.sampled_from(["é", "日", "😀"])),
)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("key", sorted(FORMATS))
def test_a_result_keeps_exactly_the_rows_the_cap_allows(key: str, data: st.DataObject) -> None:
    """Every format stops at the cap, whatever the rows hold and wherever the writes are cut,
    and says whether rows were left out."""
    rows = data.draw(
        st.lists(
            st.lists(
                st.one_of(
                    st.none(), st.builds(ox.Literal, xml_texts if key == "xml" else tricky_texts)
                ),
                min_size=3,
                max_size=3,
            ),
            max_size=12,
        )
    )
    limit = data.draw(st.integers(1, len(rows) + 2))
    fmt = ResultsFormat(FORMATS[key], key, key)
    written = write_result(_result(rows), fmt, limit, "http://example.org/")
    assert written.truncated == (len(rows) > limit)
    assert _read_back(written.body, key) == rows[:limit]
    if key == "json":
        assert json.loads(written.body)["head"]["vars"] == VARIABLES


@pytest.mark.parametrize("size", [1, 2, 10, 3000])
def test_rows_without_a_value_count_against_the_cap(size: int) -> None:
    """The shortest rows there are ({} in JSON) are counted as any other."""
    fmt = ResultsFormat(ox.QueryResultsFormat.JSON, "json", "json")
    empty = [[None, None, None]] * (size + 1)
    written = write_result(_result(empty), fmt, size, "http://example.org/")
    assert written.truncated
    assert json.loads(written.body)["results"]["bindings"] == [{}] * size
    whole = write_result(_result(empty[:size]), fmt, size, "http://example.org/")
    assert not whole.truncated
    assert json.loads(whole.body)["results"]["bindings"] == [{}] * size


@pytest.mark.parametrize("limit", [1, 7, 20, 39, 40, 41, 10_000])
def test_a_long_result_is_cut_after_the_last_row_allowed(limit: int) -> None:
    """Rows over many of pyoxigraph's writes: the cap falls anywhere among them."""
    fmt = ResultsFormat(ox.QueryResultsFormat.JSON, "json", "json")
    rows: list[list[Term | None]] = [
        [ox.NamedNode(f"http://example.org/{n}"), ox.Literal(f"{n} " + "ab}," * 300), None]
        for n in range(40)
    ]
    written = write_result(_result(rows), fmt, limit, "http://example.org/")
    assert written.truncated == (limit < 40)
    assert _read_back(written.body, "json") == rows[:limit]


def test_a_result_stops_at_the_row_cap_and_says_so() -> None:
    store = Store()
    store.update(
        "INSERT DATA { "
        + " ".join(f"<http://example.org/{n}> <http://example.org/p> {n} ." for n in range(10))
        + " }"
    )
    fmt = ResultsFormat(ox.QueryResultsFormat.JSON, "json", "json")
    query = "SELECT ?s ?n WHERE { ?s ?p ?n } ORDER BY ?n"
    capped = write_result(store.query(query), fmt, 4, "http://example.org/")
    assert capped.truncated
    bindings = json.loads(capped.body)["results"]["bindings"]
    assert [b["n"]["value"] for b in bindings] == ["0", "1", "2", "3"]
    whole = write_result(store.query(query), fmt, 10, "http://example.org/")
    assert not whole.truncated
    assert len(json.loads(whole.body)["results"]["bindings"]) == 10
