"""Links: local IRIs in the samples' RDF and same-origin links in their pages, bounded."""

from __future__ import annotations

from openforum_ld.check import Outcome

from .tiny import check_tiny


def test_links_are_followed_up_to_the_limit() -> None:
    report = check_tiny(max_links=1)
    found = {c.id: c for c in report.checks}
    assert found["links.html"].outcome is Outcome.PASS
    assert found["links.html"].detail == (
        "followed 1 of 5 same-origin links in their pages (--max-links 1)"
    )
    assert found["links.rdf"].detail == "followed 1 of 1 local IRIs in their RDF"


def test_links_name_the_dangling_link_and_where_it_is() -> None:
    report = check_tiny("dangling-link")
    detail = next(c.detail for c in report.checks if c.id == "links.rdf")
    url = report.url
    assert detail.splitlines() == [
        "followed 2 of 2 local IRIs in their RDF; 1 do not resolve:",
        f"HEAD {url}id/thing/gone (Accept: text/turtle,application/n-triples;q=0.9,"
        "application/rdf+xml;q=0.7,application/trig,application/n-quads;q=0.9,"
        "application/ld+json;q=0.8,*/*;q=0.5) -> 404 text/plain; charset=utf-8 "
        f"(in the RDF of <{url}id/thing/a>)",
    ]
