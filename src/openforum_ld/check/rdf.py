"""Reading what a deployment sends: RDF in any common syntax (by media type, with rdflib),
SPARQL results, and the links of an HTML page."""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any, ClassVar
from urllib.parse import urldefrag, urljoin

from rdflib import Dataset, Graph
from rdflib.query import Result

#: RDF media types and the rdflib parser for each.
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/x-trig": "trig",
    "application/n-quads": "nquads",
    "text/x-nquads": "nquads",
    "text/n3": "n3",
    "text/rdf+n3": "n3",
    "application/trix": "trix",
    "application/trix+xml": "trix",
}
_QUADS = {"trig", "nquads", "trix"}
#: File name endings of RDF dumps, for files served with a generic media type.
RDF_SUFFIXES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".n3": "text/n3",
}
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: SPARQL result media types and the rdflib result parser for each.
RESULT_PARSERS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}

ContextLoader = Callable[[str], Any]


class RdfError(Exception):
    """A document that is not the RDF it claims to be; the message is the parser's."""


class RemoteContextError(Exception):
    """A JSON-LD document whose remote context is on another origin, so it cannot be read
    without contacting that origin."""


def is_rdf(media_type: str) -> bool:
    """True for a media type rdflib parses as RDF."""
    return media_type in RDF_PARSERS


def parse_rdf(
    data: bytes, media_type: str, base: str, load_context: ContextLoader | None = None
) -> Graph:
    """The triples of a document (of every graph, for quad formats). JSON-LD remote contexts
    are fetched with `load_context`, never by rdflib. RdfError when it does not parse."""
    parser = RDF_PARSERS.get(media_type)
    if parser is None:
        raise RdfError(f"{media_type or '(no media type)'} is not an RDF media type")
    if parser == "json-ld":
        data = _inline_contexts(data, load_context)
    try:
        with warnings.catch_warnings():
            # rdflib warns about its own deprecated Dataset API while parsing quads.
            warnings.simplefilter("ignore", DeprecationWarning)
            if parser in _QUADS:
                dataset = Dataset(default_union=True)
                dataset.parse(data=data, format=parser, publicID=base)
                graph = Graph()
                for s, p, o, _ in dataset.quads():
                    graph.add((s, p, o))
                return graph
            graph = Graph()
            graph.parse(data=data, format=parser, publicID=base)
            return graph
    except Exception as error:  # rdflib's parsers raise many kinds of error
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise RdfError(f"{type(error).__name__}: {message}"[:500]) from None


def _inline_contexts(data: bytes, load_context: ContextLoader | None) -> bytes:
    try:
        document = json.loads(data)
    except ValueError as error:
        raise RdfError(f"not JSON: {error}") from None
    cache: dict[str, Any] = {}

    def resolve(context: Any) -> Any:
        if isinstance(context, str):
            if context not in cache:
                loaded = load_context(context) if load_context else None
                if loaded is None:
                    raise RemoteContextError(context)
                cache[context] = resolve(loaded)
            return cache[context]
        if isinstance(context, list):
            return [resolve(c) for c in context]
        return context

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: resolve(v) if k == "@context" else walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return json.dumps(walk(document)).encode()


def context_of(document: bytes) -> Any:
    """The `@context` of a JSON-LD context document, None when it has none."""
    try:
        loaded = json.loads(document)
    except ValueError:
        return None
    return loaded.get("@context") if isinstance(loaded, dict) else None


def parse_results(data: bytes, media_type: str) -> Result:
    """SPARQL results in any of the four standard formats. RdfError when they do not parse."""
    parser = RESULT_PARSERS.get(media_type)
    if parser is None:
        raise RdfError(f"{media_type or '(no media type)'} is not a SPARQL results media type")
    try:
        return Result.parse(io.BytesIO(data), format=parser)
    except Exception as error:  # the result parsers raise many kinds of error
        raise RdfError(f"{type(error).__name__}: {error}"[:500]) from None


class _Links(HTMLParser):
    _ATTRIBUTES: ClassVar[dict[str, str]] = {
        "a": "href",
        "link": "href",
        "area": "href",
        "img": "src",
        "script": "src",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.found: list[str] = []
        self.is_html = False

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype html"):
            self.is_html = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("html", "body", "head"):
            self.is_html = True
        values = dict(attrs)
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        name = self._ATTRIBUTES.get(tag)
        if name and values.get(name):
            self.found.append(str(values[name]))


def html_links(data: bytes, url: str) -> tuple[bool, list[str]]:
    """Whether the bytes are an HTML page, and the absolute URLs (fragments removed) its links,
    stylesheets, images and scripts point to."""
    parser = _Links()
    parser.feed(data.decode("utf-8", "replace"))
    parser.close()
    base = urljoin(url, parser.base) if parser.base else url
    links = []
    for href in parser.found:
        if href.strip().lower().startswith(("mailto:", "javascript:", "data:", "tel:")):
            continue
        links.append(urldefrag(urljoin(base, href.strip()))[0])
    return parser.is_html, links
