"""The landing page as harvesters read it: schema.org Dataset markup and FAIR Signposting."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import html5lib

from openforum_ld.publication import read_manifest

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset


def _markup(page: str) -> dict:
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(script)


def test_the_home_page_describes_the_dataset_as_google_dataset_search_reads_it(
    built_site: Path, dataset: Dataset
) -> None:
    manifest = read_manifest(built_site)
    base = manifest.base
    markup = _markup((built_site / "index.html").read_text(encoding="utf-8"))
    assert markup["@context"] == "https://schema.org/" and markup["@type"] == "Dataset"
    assert markup["name"].startswith("Open Smart Regions: Convergence for Openness")
    assert len(markup["description"]) > 50
    assert markup["license"] == manifest.license and markup["url"] == base
    assert markup["version"] == manifest.version and markup["dateModified"] == manifest.date
    assert markup["creator"]["@type"] == "Organization" and markup["publisher"]["name"]
    # Every download, by its absolute URL, media type and size: the files the build wrote.
    downloads = {d["contentUrl"]: d for d in markup["distribution"]}
    assert len(downloads) == len(manifest.dumps) > 0
    for dump in manifest.dumps:
        found = downloads[base + dump.path]
        assert found["encodingFormat"] == dump.media_type
        assert (built_site / dump.path).stat().st_size == dump.size
    # Coverage comes from the data: the forum's date, the countries with their Wikidata items.
    [row] = dataset.store.select("SELECT ?d WHERE { ?f a ofo:Forum ; schema:startDate ?d }")
    assert markup["temporalCoverage"] == row["d"].value
    countries = {c["name"]: c.get("sameAs") for c in markup["spatialCoverage"]}
    assert countries["Morocco"] == "http://www.wikidata.org/entity/Q1028"
    assert {"transparency", "integrity", "citizen participation"} <= set(markup["keywords"])


def test_the_home_and_entity_pages_signpost_their_metadata_and_licence(built_site: Path) -> None:
    manifest = read_manifest(built_site)
    base = manifest.base
    home = html5lib.parse(
        (built_site / "index.html").read_text(encoding="utf-8"), namespaceHTMLElements=False
    )
    links = {(e.get("rel"), e.get("href")) for e in home.iterfind(".//head/link")}
    assert {
        ("cite-as", base),
        ("describedby", base + "catalog.ttl"),
        ("describedby", base + "void.ttl"),
        ("license", manifest.license),
        ("type", "https://schema.org/Dataset"),
    } <= links
    assert (built_site / "catalog.ttl").is_file() and (built_site / "void.ttl").is_file()
    person = base + "id/person/john-maritim"
    page = html5lib.parse(
        (built_site / "id" / "person" / "john-maritim.html").read_text(encoding="utf-8"),
        namespaceHTMLElements=False,
    )
    links = {(e.get("rel"), e.get("href")) for e in page.iterfind(".//head/link")}
    assert {
        ("cite-as", person),
        ("describedby", person + ".ttl"),
        ("describedby", person + ".jsonld"),
        ("license", manifest.license),
    } <= links
