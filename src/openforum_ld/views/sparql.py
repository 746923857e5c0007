"""The SPARQL query page: the editor, the example questions, and a query's results as a table
or as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openforum_ld.i18n import Translator
from openforum_ld.iris import linkable
from openforum_ld.rdf.formats import RDF_FORMATS, RESULTS_FORMATS
from openforum_ld.views.pages import Page

if TYPE_CHECKING:
    from openforum_ld.iris import Iris
    from openforum_ld.publication import Example
    from openforum_ld.views.urls import ServerUrls


def sparql_page(
    urls: ServerUrls,
    language: str,
    examples: tuple[Example, ...],
    graphs: tuple[str, ...],
    **shown: Any,
) -> Page:
    """The query page in `language`; `shown` is the query, its results or its problem, and the
    endpoint's limits."""
    t = Translator(language)
    formats = [{"key": "html", "label": t("format_html")}]
    formats += [{"key": f.key, "label": f.label} for f in RESULTS_FORMATS]
    formats += [{"key": f.key, "label": f.label} for f in RDF_FORMATS]
    return Page(
        "sparql.html",
        {
            "endpoint": urls.root + "sparql",
            "examples": [
                {"title": e.titles.get(language) or e.titles.get("en", e.name), "query": e.query}
                for e in examples
            ],
            "formats": formats,
            "graphs": graphs,
            **shown,
        },
    )


def results_table(results: dict[str, Any], urls: ServerUrls, iris: Iris) -> dict[str, Any]:
    """SPARQL JSON results as rows of cells a template can show."""
    if "boolean" in results:
        return {"variables": [], "rows": [], "boolean": results["boolean"]}
    variables = results["head"]["vars"]
    rows = []
    for binding in results["results"]["bindings"]:
        row = []
        for name in variables:
            term = binding.get(name)
            cell: dict[str, str | None] = {"text": "", "href": None, "language": None, "note": None}
            if term is None:
                pass
            elif term["type"] == "uri":
                value = term["value"]
                if iris.is_local(value):
                    href: str | None = urls.resource(value)
                else:
                    href = value if linkable(value) else None
                cell |= {"text": value, "href": href}
            elif term["type"] == "bnode":
                cell["text"] = "_:" + term["value"]
            else:
                note = term.get("xml:lang") or term.get("datatype", "").rsplit("#", 1)[-1] or None
                cell |= {"text": term["value"], "language": term.get("xml:lang"), "note": note}
            row.append(cell)
        rows.append(row)
    return {"variables": variables, "rows": rows, "boolean": None}
