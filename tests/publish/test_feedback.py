"""Where readers report a problem: a link on every page, with the entity's IRI filled in."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from openforum_ld import publish
from openforum_ld.views.pages import SiteInfo

if TYPE_CHECKING:
    from pathlib import Path

TRACKER = "https://tracker.example/new?title={title}&body={iri}"


def _feedback(page: Path) -> str | None:
    found = re.findall(r'<a class="feedback" href="([^"]+)"', page.read_text(encoding="utf-8"))
    return html.unescape(found[0]) if found else None


def test_the_link_names_what_it_reports_on_encoded() -> None:
    site = SiteInfo("lic", "CC", "v", "s", "http://x.example/", TRACKER)
    iri = "http://x.example/id/person/a-b"
    assert site.feedback_href(iri) == (
        "https://tracker.example/new?title="
        + quote(f"Problem with {iri}", safe="")
        + "&body="
        + quote(iri, safe="")
    )
    assert site.feedback_href(None) == site.feedback_href("http://x.example/")
    assert SiteInfo("lic", "CC", "v", "s").feedback_href(iri) is None


def test_the_default_publication_has_no_feedback_link(built_site: Path) -> None:
    assert _feedback(built_site / "id" / "person" / "john-maritim.html") is None


@pytest.mark.slow  # two builds
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"feedback_url": TRACKER}, "https://tracker.example/new?title="),
        ({"contact_email": "data@forum.example"}, "mailto:data@forum.example?subject="),
    ],
)
def test_every_page_links_to_the_feedback_channel_with_the_entity_filled_in(
    tmp_path: Path, settings, options: dict[str, str], expected: str
) -> None:
    out = tmp_path / "site"
    publish.build(settings.with_(**options), out)
    iri = settings.base_uri + "id/person/john-maritim"
    for page, about in (
        (out / "id" / "person" / "john-maritim.html", iri),
        (out / "id" / "person" / "john-maritim.fr.html", iri),
        (out / "index.html", settings.base_uri),
    ):
        link = _feedback(page)
        assert link is not None and link.startswith(expected), page
        assert quote(about, safe="") in link, page
