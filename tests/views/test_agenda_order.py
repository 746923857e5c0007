"""Lists of an agenda's events on entity pages: a section's talks and a forum's sections come
in agenda order (ofo:agendaOrder), not in the order of their labels."""

from __future__ import annotations

import gzip
import re
from typing import TYPE_CHECKING

import pytest

from ..example_project import build, example_project

if TYPE_CHECKING:
    from pathlib import Path

SESSION = "example-session"
# Talks added to the example session after its own, whose labels sort before it in English
# and in French: alphabetical order and agenda order differ in both languages.
ADDED_TALKS = {
    "open-budgets-talk": ("A second talk: open budgets", "Deuxième intervention : budgets ouverts"),
    "closing-talk": ("Closing words", "Clôture"),
}


@pytest.fixture(scope="module")
def agenda_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project with two more talks in its session, agenda orders 2 and 3."""
    folder = example_project(tmp_path_factory.mktemp("agenda") / "next-forum")
    sheet = folder / "data" / "forum.yaml"
    text = sheet.read_text(encoding="utf-8")
    rows = "".join(
        f"- id: {slug}\n  source: example-minutes-1\n"
        f"  prefLabel@en: '{english}'\n  prefLabel@fr: '{french}'\n"
        f"  name@en: '{english}'\n  name@fr: '{french}'\n"
        f"  superEvent: {SESSION}\n  agendaOrder: '{order}'\n  performer: example-person\n"
        for order, (slug, (english, french)) in enumerate(ADDED_TALKS.items(), start=2)
    )
    assert "\nevents:\n" in text and "  subEvent: example-talk\n" in text
    text = text.replace("\nevents:\n", f"\n{rows}events:\n", 1)
    text = text.replace(
        "  subEvent: example-talk\n", f"  subEvent: [example-talk, {', '.join(ADDED_TALKS)}]\n", 1
    )
    sheet.write_text(text, encoding="utf-8")
    return build(folder)


def _agenda(site: Path) -> list[str]:
    """The session's talks in agenda order, as the data gives it (from the N-Triples dump)."""
    dump = gzip.decompress((site / "dumps" / "openforum.nt.gz").read_bytes()).decode()
    found = re.findall(
        r'<[^>]*/id/talk/([a-z0-9-]+)> <https://w3id.org/openforum/ontology#agendaOrder> "(\d+)"',
        dump,
    )
    return [slug for slug, _ in sorted(set(found), key=lambda item: int(item[1]))]


def _talks_in(html: str) -> list[str]:
    """The talks a part of a page links to, in the order it shows them, each once."""
    shown: list[str] = []
    for slug in re.findall(r'href="[^"]*/talk/([a-z0-9-]+)(?:\.fr)?\.html"', html):
        if slug not in shown:
            shown.append(slug)
    return shown


@pytest.mark.parametrize("page", [f"{SESSION}.html", f"{SESSION}.fr.html"])
def test_a_sections_talks_are_listed_in_agenda_order(agenda_site: Path, page: str) -> None:
    agenda = _agenda(agenda_site)
    assert len(agenda) == 3 and agenda != sorted(agenda)
    html = (agenda_site / "id" / "session" / page).read_text(encoding="utf-8")
    properties = html[html.index('id="properties"') : html.index('id="incoming"')]
    incoming = html[html.index('id="incoming"') : html.index('id="sources"')]
    assert _talks_in(properties) == agenda
    assert _talks_in(incoming) == agenda


@pytest.mark.parametrize("page", ["example-minutes-1.html", "example-minutes-1.fr.html"])
def test_a_graphs_statements_give_a_sections_talks_in_agenda_order(
    agenda_site: Path, page: str
) -> None:
    """On the page of the graph that states the section, its sub-events are in agenda order."""
    html = (agenda_site / "graph" / page).read_text(encoding="utf-8")
    sections = html.split('<section class="subject">')
    [session] = [
        s
        for s in sections
        if re.search(rf'<h3[^>]*><a href="[^"]*/session/{SESSION}(?:\.fr)?\.html"', s)
    ]
    assert _talks_in(session) == _agenda(agenda_site)
