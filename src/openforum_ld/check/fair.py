"""FAIR from the landing page alone: FAIR Signposting (typed links to the identifier to cite
and the metadata), schema.org `Dataset` markup as dataset search engines read it, and the
licence named on the data itself, not only in the catalog."""

from __future__ import annotations

import contextlib
import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from openforum_ld.check.client import describe
from openforum_ld.check.conneg import JENA
from openforum_ld.check.probe import ProbeList, SkipError, Verdict, failed, passed

if TYPE_CHECKING:
    import httpx

    from openforum_ld.check.discovery import Deployment

probes = ProbeList()

HTML = "text/html"
_DATASET_TYPES = {
    "Dataset",
    "schema:Dataset",
    "http://schema.org/Dataset",
    "https://schema.org/Dataset",
}
_LINK_PART = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")


class _HeadReader(HTMLParser):
    """The `<link rel>` elements and the JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: set[tuple[str, str]] = set()
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link":
            for rel in values.get("rel", "").split():
                self.links.add((rel.lower(), values.get("href", "")))
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data


def header_links(response: httpx.Response) -> set[tuple[str, str]]:
    """(rel, target) of every link in every `Link` header of a response."""
    found: set[tuple[str, str]] = set()
    for value in response.headers.get_list("link"):
        for target, params in _LINK_PART.findall(value):
            for param in params.split(";"):
                name, _, rel = param.strip().partition("=")
                if name.strip().lower() == "rel":
                    found.update((r.lower(), target) for r in rel.strip().strip('"').split())
    return found


def _landing(deployment: Deployment) -> tuple[httpx.Response, _HeadReader]:
    response = deployment.get(deployment.url, HTML)
    reader = _HeadReader()
    if response.is_success and "html" in response.headers.get("content-type", ""):
        reader.feed(response.text)
    return response, reader


@probes.add(
    "fair.signposting", "The landing page signposts the identifier to cite and its metadata"
)
def signposting(deployment: Deployment) -> Verdict:
    response, page = _landing(deployment)
    links = header_links(response) | page.links
    rels = {rel for rel, _ in links}
    missing = [rel for rel in ("cite-as", "describedby") if rel not in rels]
    if missing:
        return failed(
            f"{describe(response)}: no {' or '.join(missing)} link, in Link headers or <link> "
            f"elements (found: {', '.join(sorted(rels)) or 'none'})"
        )
    described = sorted(target for rel, target in links if rel == "describedby")
    return passed(f"{describe(response)}: cite-as, describedby {', '.join(described)}")


def _datasets(block: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(block)
    except ValueError:
        return []
    nodes = data if isinstance(data, list) else [data, *(data.get("@graph") or [])]
    found = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if _DATASET_TYPES & {str(t) for t in types}:
            found.append(node)
    return found


@probes.add("fair.dataset-markup", "The landing page describes the dataset in schema.org markup")
def dataset_markup(deployment: Deployment) -> Verdict:
    response, page = _landing(deployment)
    datasets = [node for block in page.json_ld for node in _datasets(block)]
    if not datasets:
        return failed(f"{describe(response)}: no JSON-LD of @type Dataset")
    node = datasets[0]
    downloads = node.get("distribution") or []
    downloads = downloads if isinstance(downloads, list) else [downloads]
    missing = [key for key in ("name", "description", "license") if not node.get(key)]
    if not any(isinstance(d, dict) and d.get("contentUrl") for d in downloads):
        missing.append("distribution with contentUrl")
    if missing:
        return failed(f"{describe(response)}: the Dataset lacks {', '.join(missing)}")
    return passed(
        f"{describe(response)}: Dataset {node['name']!r}, licence {node['license']}, "
        f"{len(downloads)} downloads"
    )


@probes.add(
    "fair.license", "The landing page and an entity's RDF name their licence in a Link header"
)
def license_header(deployment: Deployment) -> Verdict:
    responses = [deployment.get(deployment.url, HTML)]
    with contextlib.suppress(SkipError):  # no entity found: the landing page alone
        responses.append(deployment.get(deployment.entity(), JENA.accept))
    named = []
    for response in responses:
        licences = sorted(target for rel, target in header_links(response) if rel == "license")
        if not licences:
            return failed(f'{describe(response)}: no Link header with rel="license"')
        named.append(f"{describe(response)}: license {', '.join(licences)}")
    return passed("; ".join(named))
