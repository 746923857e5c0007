"""The releases as readers see them: the citation on the home page, the list of releases, a
release's page with its files and notes, in English and French."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import html5lib

from openforum_ld.publication import read_manifest

from .test_dataset_markup import _markup

if TYPE_CHECKING:
    from pathlib import Path

    from ..conftest import ReleasedSite

XHTML = "{http://www.w3.org/1999/xhtml}"


def _text(path: Path) -> str:
    """The visible text of a page's main element, its white space collapsed."""
    tree = html5lib.parse(path.read_text(encoding="utf-8"))
    [main] = tree.iter(f"{XHTML}main")
    return re.sub(r"\s+", " ", "".join(main.itertext()))


def test_the_home_page_says_how_to_cite_the_latest_release(released_site: ReleasedSite) -> None:
    manifest = read_manifest(released_site.out)
    english = _text(released_site.out / "index.html")
    assert "Cite this dataset" in english
    title = _markup((released_site.out / "index.html").read_text(encoding="utf-8"))["name"]
    assert (
        f"openforum-ld (2021). {title} (version 2026.2) [Data set]. {manifest.base}releases/2026.2/"
    ) in english
    french = _text(released_site.out / "index.fr.html")
    assert "Citer ce jeu de données" in french
    assert f"(version 2026.2) [Jeu de données]. {manifest.base}releases/2026.2/" in french


def test_without_a_release_the_citation_names_the_data_and_its_date(built_site: Path) -> None:
    manifest = read_manifest(built_site)
    text = _text(built_site / "index.html")
    assert f"[Data set], as published on {manifest.date}. {manifest.base}" in text
    assert "(version" not in text


def test_the_dataset_markup_gives_the_release_and_the_citation(
    released_site: ReleasedSite,
) -> None:
    base = read_manifest(released_site.out).base
    markup = _markup((released_site.out / "index.html").read_text(encoding="utf-8"))
    assert markup["version"] == "2026.2"
    assert markup["citation"].endswith(f"(version 2026.2) [Data set]. {base}releases/2026.2/")
    parts = {part["version"]: part for part in markup["hasPart"]}
    assert sorted(parts) == ["2026.1", "2026.2"]
    assert parts["2026.1"]["url"] == base + "releases/2026.1/"
    assert parts["2026.1"]["datePublished"] == "2020-12-01"


def test_the_releases_page_lists_every_release_newest_first(released_site: ReleasedSite) -> None:
    text = _text(released_site.out / "releases" / "index.html")
    assert text.index("2026.2 (the current data)") < text.index("2026.1")
    assert "1 added, 1 removed, 3 changed" in text and "The first release." in text
    french = _text(released_site.out / "releases" / "index.fr.html")
    assert "1 ajoutées, 1 retirées, 3 modifiées" in french


def test_a_release_page_shows_its_files_checksums_and_notes(released_site: ReleasedSite) -> None:
    page = released_site.out / "releases" / "2026.2" / "index.html"
    text = _text(page)
    base = read_manifest(released_site.out).base
    sums = (released_site.out / "releases" / "2026.2" / "SHA256SUMS").read_text()
    for line in sums.splitlines():
        digest, name = line.split("  ")
        assert f"{name}" in text and digest in text
    assert "Added (1) Example Civic Lab " + base + released_site.added in text
    assert "Removed (1) Conclusion 12" in text
    assert f"Tarik Nesh-Nash {base}{released_site.changed} — changed: job title" in text
    html = page.read_text(encoding="utf-8")
    # The entities of the data link to their pages; the removed one has none to link to.
    assert 'href="../../id/organization/example-civic-lab.html"' in html
    assert 'href="../../id/conclusion/12.html"' not in html
    assert "Modifiées (3)" in _text(page.with_name("index.fr.html"))


def test_the_site_map_lists_the_releases_with_their_dates(released_site: ReleasedSite) -> None:
    base = read_manifest(released_site.out).base
    sitemap = (released_site.out / "sitemap.xml").read_text(encoding="utf-8")
    for address, day in (
        (f"{base}releases/2026.1/", "2020-12-01"),
        (f"{base}releases/2026.2/", "2021-01-01"),
        (f"{base}releases/", "2021-01-01"),
    ):
        assert f"<url><loc>{address}</loc><lastmod>{day}</lastmod></url>" in sitemap
