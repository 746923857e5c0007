"""What can be read from a SPARQL query's text without parsing it: its form, and whether it uses
SERVICE. Strings, IRIs and comments are blanked first, since the words can appear inside them."""

from __future__ import annotations

import re

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


def keywords_only(query: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    return _NOT_KEYWORDS.sub(" ", query)


def uses_service(query: str) -> bool:
    """Whether the query calls another endpoint with SERVICE."""
    return _SERVICE.search(keywords_only(query)) is not None


def query_form(query: str) -> str:
    """ "select", "ask" or "graph" (CONSTRUCT, DESCRIBE): the first form keyword after the prologue."""
    match = _FORM.search(keywords_only(query))
    if match is None:
        raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return {"SELECT": "select", "ASK": "ask"}.get(match.group(1).upper(), "graph")
