"""What can be read from a SPARQL query's text without parsing it: its form, whether it uses
SERVICE, and whether it is too complex to parse safely. Strings, IRIs and comments are blanked
first, since the words can appear inside them."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from itertools import accumulate

from openforum_ld.errors import QueryError

_NOT_KEYWORDS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
# A keyword, not part of a variable (?service), a prefixed name (ex:service, service:x) or a word.
_KEYWORD = r"(?<![\w:?$\-]){}(?![\w:\-])"
_SERVICE = re.compile(_KEYWORD.format("SERVICE"), re.IGNORECASE)
_FORM = re.compile(_KEYWORD.format("(SELECT|ASK|CONSTRUCT|DESCRIBE)"), re.IGNORECASE)
_FROM = re.compile(_KEYWORD.format("FROM"), re.IGNORECASE)
_GRAPH = re.compile(_KEYWORD.format("GRAPH"), re.IGNORECASE)
_BASE = re.compile(_KEYWORD.format("BASE"), re.IGNORECASE)
# Functions whose value differs from one execution to the next (SERVICE asks another
# endpoint, whose answer may change): a result that uses them must not be answered again.
_VARYING = re.compile(
    _KEYWORD.format(r"(?:RAND|NOW|UUID|STRUUID|BNODE)") + r"\s*\(|" + _KEYWORD.format("SERVICE"),
    re.IGNORECASE,
)

# Oxigraph parses and evaluates queries recursively: thousands of nested brackets or chained
# operators overflow a thread's stack, which aborts the whole process (measured: ~4,000 nested
# groups or ~3,000 chained BINDs on an 8 MB stack; 2,000 `+` on the 2 MB threads of `oxigraph
# serve`). Real queries stay far below these limits.
MAX_NESTING = 64
MAX_OPERATORS = 1000
_NOT_BRACKET = re.compile(r"[^{}()\[\]]+")
# Opening brackets count 2 and closing 0, so after n brackets the running sum minus n is the
# depth: C-level iteration, quick even on a megabyte of brackets.
_BRACKET_WEIGHTS = str.maketrans(dict.fromkeys("{([", "\x02") | dict.fromkeys("})]", "\x00"))
_OPERATOR = re.compile(
    r"\|\||&&|[.;,+\-*/|^!]|"
    + _KEYWORD.format("(?:UNION|OPTIONAL|MINUS|FILTER|BIND|GRAPH|SERVICE|EXISTS)"),
    re.IGNORECASE,
)


def keywords_only(query: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    return _NOT_KEYWORDS.sub(" ", query)


@dataclass(frozen=True)
class QueryOutline:
    """What the endpoint needs to know about a query before running it."""

    form: str | None  # "select", "ask", "graph" (CONSTRUCT, DESCRIBE), None if none is found
    uses_service: bool
    names_dataset: bool = False  # FROM or FROM NAMED
    uses_graph: bool = False  # GRAPH: it reads named graphs
    repeatable: bool = True  # the same query always gives the same result on the same data
    declares_base: bool = False  # BASE: relative IRIs resolve against the query's own base


def outline(query: str) -> QueryOutline:
    """The form of a query and whether it uses SERVICE, from one blanking pass; QueryError when
    it is too complex (see `check_complexity`)."""
    text = keywords_only(query)
    _check_complexity(text)
    match = _FORM.search(text)
    form = None if match is None else _form_name(match.group(1))
    # Looking for a word costs a regular expression a few microseconds a query (its guard
    # against `?service` and `ex:service` runs at every character); most queries hold none of
    # these words at all, which a plain substring search tells at once.
    upper = text.upper()

    def holds(pattern: re.Pattern[str], *words: str) -> bool:
        return any(word in upper for word in words) and pattern.search(text) is not None

    return QueryOutline(
        form,
        holds(_SERVICE, "SERVICE"),
        names_dataset=holds(_FROM, "FROM"),
        uses_graph=holds(_GRAPH, "GRAPH"),
        repeatable=not holds(_VARYING, "RAND", "NOW", "UUID", "BNODE", "SERVICE"),
        declares_base=holds(_BASE, "BASE"),
    )


def _form_name(keyword: str) -> str:
    return {"SELECT": "select", "ASK": "ask"}.get(keyword.upper(), "graph")


def check_complexity(query: str) -> None:
    """Refuse a query nested deeper than MAX_NESTING brackets or chaining more than MAX_OPERATORS
    operators and group keywords, with a QueryError that says which limit it passed."""
    _check_complexity(keywords_only(query))


def _check_complexity(text: str) -> None:
    # Most queries are short: fewer opening brackets than the depth allowed, fewer characters
    # than the operators allowed (each operator is at least one character), so neither limit
    # needs counting; counting costs the server a few percent of its time on a stream of them.
    if len(text) <= MAX_OPERATORS and sum(map(text.count, "{([")) <= MAX_NESTING:
        return
    weights = _NOT_BRACKET.sub("", text).translate(_BRACKET_WEIGHTS).encode()
    depth = max(map(operator.sub, accumulate(weights), range(1, len(weights) + 1)), default=0)
    if depth > MAX_NESTING:
        raise QueryError(
            f"the query nests brackets {depth:,} deep; this endpoint accepts at most {MAX_NESTING}"
        )
    operators = len(_OPERATOR.findall(text))
    if operators > MAX_OPERATORS:
        raise QueryError(
            f"the query chains {operators:,} operators, separators and group keywords "
            f"(. ; , + - * / | ^ ! && || UNION OPTIONAL MINUS FILTER BIND GRAPH SERVICE EXISTS); "
            f"this endpoint accepts at most {MAX_OPERATORS:,}. A long list of values is better "
            "given as VALUES"
        )
