"""FAIR from the landing page alone: FAIR Signposting (typed links to the identifier to cite
and the metadata), schema.org `Dataset` markup as dataset search engines read it, the
licence named on the data itself, not only in the catalog; and releases a citation can name,
each with files that are there and match their checksums."""

from __future__ import annotations

import contextlib
import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from openforum_ld.check.client import describe
from openforum_ld.check.conneg import JENA
from openforum_ld.check.discovery import DCAT
from openforum_ld.check.dumps import downloads
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


@probes.add(
    "fair.release-versioning",
    "The catalog names the releases (DCAT 3 versions), and each release's files download "
    "with the checksums it states",
)
def release_versioning(deployment: Deployment) -> Verdict:
    document, _ = deployment.catalog
    if document is None or document.graph is None:
        return failed("no DCAT catalog (see dcat.reachable), so no release is stated")
    graph = document.graph
    series = sorted(set(graph.subjects(DCAT.hasVersion, None)), key=str)
    if not series:
        return failed(
            "the catalog states no release: no dataset has a dcat:hasVersion (a versioned "
            "dataset names each release, and its latest with dcat:hasCurrentVersion)"
        )
    problems: list[str] = []
    named: list[str] = []
    files: list[str] = []
    for dataset in series:
        versions = set(graph.objects(dataset, DCAT.hasVersion))
        current = graph.value(dataset, DCAT.hasCurrentVersion)
        if current is None:
            problems.append(f"{dataset.n3()} has versions but no dcat:hasCurrentVersion")
        elif current not in versions:
            problems.append(
                f"{dataset.n3()}: its dcat:hasCurrentVersion {current.n3()} is not one of its "
                "dcat:hasVersion"
            )
        for version in sorted(versions, key=str):
            label = graph.value(version, DCAT.version)
            if label is None:
                problems.append(f"{version.n3()} has no dcat:version")
            else:
                named.append(str(label))
            previous = graph.value(version, DCAT.previousVersion)
            if previous is not None and previous not in versions:
                problems.append(
                    f"{version.n3()}: its dcat:previousVersion {previous.n3()} is not a "
                    f"version of {dataset.n3()}"
                )
            urls = sorted(
                str(url)
                for distribution in graph.objects(version, DCAT.distribution)
                for url in graph.objects(distribution, DCAT.downloadURL)
            )
            if not urls:
                problems.append(f"{version.n3()} has no distribution with a dcat:downloadURL")
            files.extend(urls)
    found = {download.dump.url: download for download in downloads(deployment)}
    verified = 0
    for url in files:
        download = found.get(url)
        if download is None:
            continue  # on another origin: the check does not download it
        if download.problem is not None:
            problems.append(download.problem)
        elif download.dump.checksum is None:
            problems.append(f"<{url}> of a release states no spdx:checksum")
        elif download.complete and download.digest != download.dump.checksum:
            problems.append(
                f"{download.exchange}: {download.dump.algorithm} {download.digest}, "
                f"spdx:checksumValue says {download.dump.checksum}"
            )
        else:
            verified += 1
    if problems:
        return failed("\n".join(problems))
    return passed(
        f"releases {', '.join(sorted(named))}; {verified} of their {len(files)} files "
        "downloaded and match their checksums"
    )
