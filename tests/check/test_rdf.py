"""Reading what a deployment sends: RDF by media type, JSON-LD contexts, results, HTML links."""

from __future__ import annotations

import json

import pytest
from rdflib import URIRef

from openforum_ld.check.rdf import (
    RdfError,
    RemoteContextError,
    html_links,
    parse_rdf,
    parse_results,
)

BASE = "http://127.0.0.1:8000/id/thing/a"
TRIPLE = f'<{BASE}> <http://schema.org/name> "A" .'


@pytest.mark.parametrize(
    ("media_type", "document"),
    [
        ("text/turtle", f'@prefix s: <http://schema.org/> . <{BASE}> s:name "A" .'),
        ("application/n-triples", TRIPLE),
        ("application/n-quads", TRIPLE[:-1] + " <http://127.0.0.1:8000/graph/g> ."),
        ("application/trig", f"<http://127.0.0.1:8000/graph/g> {{ {TRIPLE} }}"),
        (
            "application/rdf+xml",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns:s="http://schema.org/"><rdf:Description rdf:about="{BASE}"><s:name>A</s:name>'
            "</rdf:Description></rdf:RDF>",
        ),
        ("application/ld+json", json.dumps({"@id": BASE, "http://schema.org/name": "A"})),
    ],
)
def test_parse_rdf_reads_each_syntax_by_media_type(media_type: str, document: str) -> None:
    graph = parse_rdf(document.encode(), media_type, BASE)
    assert set(graph.subjects()) == {URIRef(BASE)}


def test_parse_rdf_says_why_a_document_does_not_parse() -> None:
    with pytest.raises(RdfError, match="BadSyntax"):
        parse_rdf(b"@prefix broken", "text/turtle", BASE)
    with pytest.raises(RdfError, match="text/html is not an RDF media type"):
        parse_rdf(b"<html></html>", "text/html", BASE)


def test_parse_rdf_fetches_json_ld_contexts_only_through_the_loader() -> None:
    document = json.dumps(
        {"@context": "http://127.0.0.1:8000/context.jsonld", "@id": BASE, "name": "A"}
    )
    asked = []

    def load(url: str) -> object:
        asked.append(url)
        return {"name": "http://schema.org/name"}

    graph = parse_rdf(document.encode(), "application/ld+json", BASE, load)
    assert asked == ["http://127.0.0.1:8000/context.jsonld"]
    assert len(graph) == 1
    with pytest.raises(RemoteContextError, match=r"context\.jsonld"):
        parse_rdf(document.encode(), "application/ld+json", BASE, lambda url: None)


def test_parse_results_reads_the_four_formats() -> None:
    assert parse_results(b'{"head":{},"boolean":true}', "application/sparql-results+json").askAnswer
    rows = parse_results(b"s\r\nhttp://a/\r\n", "text/csv")
    assert len(list(rows)) == 1
    rows = parse_results(b"?s\n<http://a/>\n", "text/tab-separated-values")
    assert len(list(rows)) == 1
    with pytest.raises(RdfError):
        parse_results(b"<not xml", "application/sparql-results+xml")


def test_html_links_resolves_against_the_page_and_its_base() -> None:
    page = (
        b'<!DOCTYPE html><html><head><link rel="stylesheet" href="/static/style.css"></head>'
        b'<body><a href="b#x">b</a> <a href="mailto:a@b.c">mail</a> <img src="i.png">'
        b'<a href="https://elsewhere.org/">away</a></body></html>'
    )
    is_html, links = html_links(page, "http://127.0.0.1:8000/id/thing/a")
    assert is_html
    assert links == [
        "http://127.0.0.1:8000/static/style.css",
        "http://127.0.0.1:8000/id/thing/b",
        "http://127.0.0.1:8000/id/thing/i.png",
        "https://elsewhere.org/",
    ]
    _, links = html_links(b'<base href="/other/"><a href="x">x</a>', "http://127.0.0.1:8000/a/b")
    assert links == ["http://127.0.0.1:8000/other/x"]
    assert html_links(b"@prefix s: <http://schema.org/> .", "http://127.0.0.1:8000/")[0] is False
