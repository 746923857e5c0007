"""What a harvester reads on the landing page: the dataset as schema.org `Dataset` JSON-LD (the
markup Google Dataset Search reads), and the FAIR Signposting links that lead from the landing
page to the metadata, the licence and the data.

Every URL here is absolute, under the publication's base: harvesters resolve nothing against the
page that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from openforum_ld.i18n import Translator
from openforum_ld.iris import OWL, SCHEMA, SKOS
from openforum_ld.publication import release_address, release_iri
from openforum_ld.rdf.formats import rdf_format
from openforum_ld.views.describe import language_literal

if TYPE_CHECKING:
    from openforum_ld.publication import Manifest, Release
    from openforum_ld.views.context import ViewContext

# The dataset's IRI in the catalog and VoID (publish/catalog.py names it the same way).
DATASET_FRAGMENT = "catalog#dataset"
# The descriptions harvesters read, in Turtle (the build writes both).
DESCRIBED_BY = (("catalog.ttl", "text/turtle"), ("void.ttl", "text/turtle"))


@dataclass(frozen=True)
class SignpostLink:
    """One typed link of FAIR Signposting: an HTTP `Link` header and a `<link>` element."""

    href: str
    rel: str
    media_type: str | None = None

    def header_value(self) -> str:
        typed = f'; type="{self.media_type}"' if self.media_type else ""
        return f'<{self.href}>; rel="{self.rel}"{typed}'


def landing_page_links(base: str, manifest: Manifest) -> list[SignpostLink]:
    """The landing page's signposts: its persistent identifier, its types, the metadata that
    describes it, its licence and each download."""
    links = [
        SignpostLink(base, "cite-as"),
        SignpostLink("https://schema.org/AboutPage", "type"),
        SignpostLink("https://schema.org/Dataset", "type"),
        *(SignpostLink(base + path, "describedby", media) for path, media in DESCRIBED_BY),
        SignpostLink(manifest.license, "license"),
    ]
    links += [SignpostLink(base + d.path, "item", d.media_type) for d in manifest.dumps]
    return links


def release_links(base: str, release: Release, manifest: Manifest) -> list[SignpostLink]:
    """A release's page's signposts: the address to cite, the metadata that describes it (the
    catalog, its record), its licence and each of its files."""
    page = release_address(base, release.version)
    links = [
        SignpostLink(page, "cite-as"),
        SignpostLink("https://schema.org/Dataset", "type"),
        SignpostLink(base + "catalog.ttl", "describedby", "text/turtle"),
        SignpostLink(page + "release.json", "describedby", "application/json"),
        SignpostLink(manifest.license, "license"),
    ]
    for file in release.files:
        media = "application/gzip" if file.gzipped else rdf_format(file.format).media_type
        links.append(SignpostLink(page + file.name, "item", media))
    return links


def entity_links(iri: str, manifest: Manifest) -> list[SignpostLink]:
    """An entity page's signposts: the IRI to cite, the RDF that describes it, the licence."""
    return [
        SignpostLink(iri, "cite-as"),
        SignpostLink(iri + ".ttl", "describedby", "text/turtle"),
        SignpostLink(iri + ".jsonld", "describedby", "application/ld+json"),
        SignpostLink(manifest.license, "license"),
    ]


@dataclass(frozen=True)
class Citation:
    """How to cite the data: who, when, what, which version, where."""

    author: str
    year: str
    title: str
    version: str  # "" when the data cited is not a release
    url: str
    date: str


def citation(ctx: ViewContext, release: Release | None = None) -> Citation:
    """The citation of `release`, or else of the latest release, or else of the dataset as it
    is now (with its date, since it may change)."""
    manifest = ctx.manifest
    chosen = release or manifest.latest_release
    author = manifest.publisher_name or "openforum-ld"
    title = dataset_title(ctx)
    if chosen is None:
        return Citation(author, manifest.date[:4], title, "", ctx.iris.base, manifest.date)
    url = release_address(ctx.iris.base, chosen.version)
    return Citation(author, chosen.date[:4], title, chosen.version, url, chosen.date)


def citation_text(cited: Citation, language: str) -> str:
    """The citation as one line of text, in the style of APA for data sets."""
    translate = Translator(language)
    if cited.version:
        return translate(
            "citation_text",
            author=cited.author,
            year=cited.year,
            title=cited.title,
            version=cited.version,
            url=cited.url,
        )
    return translate(
        "citation_text_unreleased",
        author=cited.author,
        year=cited.year,
        title=cited.title,
        date=cited.date,
        url=cited.url,
    )


@dataclass(frozen=True)
class CitationLine:
    """A citation as a page shows it: the text around the title, and the title, whose forum
    name is marked with the language it is written in."""

    before: str
    title_before: str
    name: str
    name_language: str | None
    title_after: str
    after: str


def citation_line(ctx: ViewContext, cited: Citation, language: str) -> CitationLine:
    """`cited` for a reader of `language`: its title names the forum as the data does in that
    language (else in the forum's main language), in the words of the reader's language."""
    marker = "\x00"
    text = citation_text(replace(cited, title=marker), language)
    before, _, after = text.partition(marker)
    forum = _forum_name(ctx, language)
    if forum is None:
        return CitationLine(before, cited.title, "", None, "", after)
    name, name_language = forum
    title_before, _, title_after = Translator(language)("dataset_title", forum=marker).partition(
        marker
    )
    return CitationLine(before, title_before, name, name_language, title_after, after)


def _forum_name(ctx: ViewContext, language: str) -> tuple[str, str | None] | None:
    """The name of the forum the dataset is about, as a reader of `language` reads it; None
    when the data holds several forums or none (its title then names no forum)."""
    rows = ctx.store.select("SELECT DISTINCT ?f WHERE { ?f a ofo:Forum } ORDER BY ?f LIMIT 2")
    if len(rows) != 1:
        return None
    forum = rows[0]["f"].value
    return ctx.describer.labels([forum], language).get(forum)


def dataset_markup(ctx: ViewContext) -> dict[str, Any]:
    """The dataset as schema.org `Dataset` JSON-LD, in English (the language of its
    description in the catalog)."""
    base = ctx.iris.base
    manifest = ctx.manifest
    forum = _forum(ctx)
    name = dataset_title(ctx)
    publisher: dict[str, Any] = {
        "@type": "Organization",
        "name": manifest.publisher_name or "openforum-ld",
        "url": manifest.publisher_url or base,
    }
    markup: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": base + DATASET_FRAGMENT,
        "name": name,
        "description": (
            f"The proceedings of the forum “{forum['name'] if forum else name}” as linked open "
            "data: the forum, its agenda, talks, speakers, organizations, places, plans, "
            "commitments, laws, platforms, figures, conclusions and topics, each statement in a "
            "named graph that says which document and section it comes from."
        ),
        "url": base,
        "identifier": base + DATASET_FRAGMENT,
        "license": manifest.license,
        "isAccessibleForFree": True,
        "inLanguage": list(manifest.languages),
        "creator": publisher,
        "publisher": publisher,
        # The release the data is, when it is one; else the version of the data itself.
        "version": manifest.release or manifest.version,
        "citation": citation_text(citation(ctx), "en"),
        "dateModified": manifest.date,
        "keywords": _keywords(ctx),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": dump.label,
                "contentUrl": base + dump.path,
                "encodingFormat": dump.media_type,
                "contentSize": f"{dump.size} B",
            }
            for dump in manifest.dumps
        ],
    }
    if manifest.latest_release is not None:
        markup["hasPart"] = [
            {
                "@type": "Dataset",
                "@id": release_iri(base, release.version),
                "url": release_address(base, release.version),
                "version": release.version,
                "datePublished": release.date,
            }
            for release in manifest.releases
        ]
    if forum and forum.get("date"):
        markup["temporalCoverage"] = forum["date"]
    places = _countries(ctx)
    if places:
        markup["spatialCoverage"] = places
    return markup


def dataset_title(ctx: ViewContext) -> str:
    """The dataset's title, as the catalog gives it in English."""
    forum = _forum(ctx)
    return f"{forum['name']}: linked open data" if forum else "Linked open data of a civic forum"


def _main(ctx: ViewContext) -> str:
    """The forum's main language, in which every entity has a label, as a SPARQL literal."""
    return language_literal(ctx.manifest.languages[0])


def _forum(ctx: ViewContext) -> dict[str, str] | None:
    rows = ctx.store.select(
        "SELECT ?f ?name (SAMPLE(?d) AS ?date) WHERE { ?f a ofo:Forum ; skos:prefLabel ?name "
        f"FILTER(lang(?name) = {_main(ctx)}) OPTIONAL {{ ?f schema:startDate ?d }} }} GROUP BY ?f ?name "
        "ORDER BY ?f LIMIT 1"
    )
    if not rows:
        return None
    found = {"name": rows[0]["name"].value}
    if "date" in rows[0]:
        found["date"] = rows[0]["date"].value
    return found


def _keywords(ctx: ViewContext) -> list[str]:
    rows = ctx.store.select(
        f"SELECT DISTINCT ?label WHERE {{ ?f a ofo:Forum ; <{SCHEMA}about> ?topic . "
        f"?topic <{SKOS}prefLabel> ?label FILTER(lang(?label) = {_main(ctx)}) }} ORDER BY ?label"
    )
    return [row["label"].value for row in rows]


def _countries(ctx: ViewContext) -> list[dict[str, Any]]:
    """The countries the data describes, with the Wikidata item each is the same as."""
    rows = ctx.store.select(
        f"SELECT ?place ?name (SAMPLE(?same) AS ?item) WHERE {{ ?place a <{SCHEMA}Country> ; "
        f"<{SKOS}prefLabel> ?name FILTER(lang(?name) = {_main(ctx)}) "
        f"OPTIONAL {{ ?place <{OWL}sameAs> ?same }} }} GROUP BY ?place ?name ORDER BY ?name"
    )
    countries = []
    for row in rows:
        country: dict[str, Any] = {"@type": "Country", "name": row["name"].value}
        if "item" in row:
            country["sameAs"] = row["item"].value
        countries.append(country)
    return countries
