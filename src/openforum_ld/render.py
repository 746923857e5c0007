"""Terms and results shown to people: compact IRIs, plain literals, aligned tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import NAMESPACES, XSD

if TYPE_CHECKING:
    from openforum_ld.store import QueryResult, Term

_CELL_WIDTH = 72
_PLAIN_DATATYPES = {XSD + "string", XSD + "integer", XSD + "decimal", XSD + "date", XSD + "gYear"}


def show_term(term: Term | None, base: str) -> str:
    """A term as a person reads it: <id/...> for local IRIs, prefix:name, "text"@lang, 53."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, namespace in NAMESPACES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        if iri.startswith(base):
            return f"<{iri[len(base) :]}>"
        return f"<{iri}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        if term.datatype.value in _PLAIN_DATATYPES:
            return term.value
        return f"{term.value}^^{show_term(term.datatype, base)}"
    return str(term)


def _fit(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"


def render_table(result: QueryResult, base: str) -> str:
    """SELECT solutions as an aligned text table with a row count; ASK as "yes" or "no"."""
    if result.form == "ask":
        return "yes" if result.boolean else "no"
    header = result.variables
    rows = [[_fit(show_term(term, base)) for term in row] for row in result.rows()]
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
