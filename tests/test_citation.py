"""CITATION.cff: how to cite the forum's data, valid Citation File Format 1.2.0 and in agreement
with what the publication says of the dataset."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import yaml

from openforum_ld.config import DEFAULT_PUBLIC_BASE, RELEASE_VERSION

from .conftest import ROOT

if TYPE_CHECKING:
    from openforum_ld.load import Dataset

#: The keys CFF 1.2.0 allows at the top level of a file, and those it requires.
CFF_KEYS = {
    "abstract",
    "authors",
    "cff-version",
    "commit",
    "contact",
    "date-released",
    "doi",
    "identifiers",
    "keywords",
    "license",
    "license-url",
    "message",
    "preferred-citation",
    "references",
    "repository",
    "repository-artifact",
    "repository-code",
    "title",
    "type",
    "url",
    "version",
}
CFF_REQUIRED = {"authors", "cff-version", "message", "title"}
PERSON_OR_ENTITY_KEYS = {"name", "family-names", "given-names", "affiliation", "email", "website"}


def _citation() -> dict[str, object]:
    # CFF is YAML 1.2; a date is a string there, which PyYAML (YAML 1.1) would turn into a date.
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


def test_the_citation_file_is_valid_cff_1_2_0() -> None:
    citation = _citation()
    assert citation.keys() >= CFF_REQUIRED, CFF_REQUIRED - citation.keys()
    assert set(citation) <= CFF_KEYS, set(citation) - CFF_KEYS
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert isinstance(citation["message"], str) and citation["message"].strip()
    authors = citation["authors"]
    assert isinstance(authors, list) and authors
    for author in authors:
        assert isinstance(author, dict) and set(author) <= PERSON_OR_ENTITY_KEYS
        assert author.get("name") or author.get("family-names"), author
    for identifier in citation.get("identifiers", []):
        assert identifier["type"] in {"doi", "url", "swh", "other"}
        assert identifier["value"]
    assert isinstance(citation.get("keywords", []), list)


def test_the_citation_names_the_data_as_the_publication_does(dataset: Dataset) -> None:
    citation = _citation()
    [row] = dataset.store.select(
        'SELECT ?name WHERE { ?f a ofo:Forum ; skos:prefLabel ?name FILTER(lang(?name) = "en") }'
    )
    assert citation["title"] == f"{row['name'].value}: linked open data"
    assert citation["license"] == "CC-BY-4.0"  # the SPDX id of the data's default licence
    assert citation["url"] == DEFAULT_PUBLIC_BASE
    assert [a["name"] for a in citation["authors"]] == ["openforum-ld"]  # the default publisher


def test_a_release_in_the_citation_is_a_release_version_with_its_date() -> None:
    citation = _citation()
    assert ("version" in citation) == ("date-released" in citation)
    if "version" in citation:
        assert RELEASE_VERSION.fullmatch(str(citation["version"]))
        released = citation["date-released"]
        assert isinstance(released, datetime.date) or re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", str(released)
        )
