"""Content negotiation with real clients' Accept headers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from openforum_ld.check.conneg import AGENTS, acceptable

if TYPE_CHECKING:
    from openforum_ld.check import CheckReport


def test_acceptable_reads_q_values_and_wildcards() -> None:
    assert acceptable("text/turtle, */*;q=0.1", "text/html")
    assert not acceptable("text/turtle", "text/html")
    assert not acceptable("text/html;q=0, */*", "text/html")


@pytest.mark.parametrize("agent", [a for a in AGENTS if a.wants == "rdf"], ids=lambda a: a.key)
def test_rdf_clients_accept_turtle_or_what_they_ask_for(agent: object) -> None:
    accept = agent.accept  # type: ignore[attr-defined]
    assert acceptable(accept, "text/turtle") or accept in (
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
    )
    assert not acceptable(accept, "text/html") or "*/*" in accept


def test_conneg_details_say_what_was_sent_and_what_came_back(conformant: CheckReport) -> None:
    details = {c.id: c.detail for c in conformant.checks}
    entity = conformant.url + "id/thing/a"
    assert details["conneg.firefox"] == (
        f"GET {entity} (Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8)"
        " -> 200 text/html; charset=utf-8: an HTML page"
    )
    assert details["conneg.jsonld"].startswith(
        f"GET {entity} (Accept: application/ld+json) -> 200 application/ld+json: "
    )
    assert details["conneg.not-acceptable"] == (
        f"GET {entity} (Accept: application/x-nonexistent) -> 406 text/plain; charset=utf-8"
    )
