"""HTML pages, rendered by the same Jinja2 templates for the static site and the server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import jinja2

from openforum_ld.i18n import LANGUAGES, Translator
from openforum_ld.iris import KINDS, Kind, linkable

if TYPE_CHECKING:
    from openforum_ld.views.describe import Description, IncomingGroup
    from openforum_ld.views.overview import ForumOverview, KindCount, Listing

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


class Urls(Protocol):
    """Where pages link to: relative files for the static site, paths for the server."""

    def resource(self, iri: str, suffix: str = ".html") -> str: ...
    def listing(self, kind: str, page: int = 1) -> str: ...
    def home(self) -> str: ...
    def file(self, path: str) -> str: ...
    def asset(self, name: str) -> str: ...
    def sparql(self, query: str | None = None) -> str | None: ...
    def incoming(self, iri: str, predicate_key: str, page: int) -> str: ...


@dataclass(frozen=True)
class SiteInfo:
    """What every page's footer says about the publication."""

    license: str
    license_name: str
    data_version: str
    software_version: str


@dataclass(frozen=True)
class Alternate:
    """Another representation of the same page."""

    label: str
    media_type: str
    href: str


@dataclass(frozen=True)
class Translation:
    """The same page in another interface language."""

    language: str
    name: str
    href: str


@dataclass(frozen=True)
class ShapeLink:
    """A SHACL shape a resource conforms to."""

    label: str
    comment: str | None
    href: str


@dataclass(frozen=True)
class TypeLink:
    """A type of a resource, linked to its kind's listing when it defines one."""

    text: str
    kind: str | None


@dataclass(frozen=True)
class DumpLink:
    """A downloadable file on the home page."""

    label: str
    path: str
    media_type: str
    size: int


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("openforum_ld.views", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=False,
    lstrip_blocks=False,
)


# Pages load only their own scripts, styles and images, so data shown in them cannot run code
# even if it slipped past escaping. Pages carry it in a <meta> element for static hosting; the
# server also sends it as a header, with frame-ancestors, which only a header can set.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'"
)
_ENVIRONMENT.tests["linkable"] = linkable
_ENVIRONMENT.globals["content_security_policy"] = CONTENT_SECURITY_POLICY


def kind_label(kind: Kind, language: str) -> str:
    """A kind's plural name in a language."""
    return kind.label_fr if language == "fr" else kind.label_en


def predicate_key(predicate: str) -> str:
    """A short, file-name-safe key for a property, used in the URLs of incoming-link pages."""
    from openforum_ld.iris import NAMESPACES, slugify

    for prefix, namespace in NAMESPACES.items():
        if predicate.startswith(namespace):
            return slugify(f"{prefix}-{predicate[len(namespace) :]}")
    return slugify(predicate)


class PageRenderer:
    """Renders pages in one interface language with one URL policy."""

    def __init__(
        self,
        urls: Urls,
        language: str,
        site: SiteInfo,
        translations: list[Translation] | None = None,
    ) -> None:
        self.urls = urls
        self.language = language if language in LANGUAGES else "en"
        self.t = Translator(self.language)
        self.site = site
        self.translations = translations or []

    def _render(
        self, template: str, alternates: list[Alternate] | None = None, **context: Any
    ) -> str:
        return _ENVIRONMENT.get_template(template).render(
            lang=self.language,
            t=self.t,
            urls=self.urls,
            site=self.site,
            alternates=alternates or [],
            translations=self.translations,
            kind_label=lambda kind: kind_label(kind, self.language),
            **context,
        )

    def entity(
        self,
        description: Description,
        *,
        shapes: list[ShapeLink],
        alternates: list[Alternate],
        schema_org: str,
        sparql_href: str | None = None,
    ) -> str:
        """The page about one resource."""
        kinds = {kind.class_iri: kind.slug for kind in KINDS}
        types = [TypeLink(v.text, kinds.get(v.iri or "")) for v in description.types]

        def incoming_url(group: IncomingGroup, page: int) -> str:
            return self.urls.incoming(description.iri, predicate_key(group.predicate), page)

        return self._render(
            "entity.html",
            alternates=alternates,
            description=description,
            types=types,
            shapes=shapes,
            schema_org=schema_org,
            sparql_href=sparql_href,
            incoming_url=incoming_url,
        )

    def home(
        self,
        forums: list[ForumOverview],
        counts: list[KindCount],
        dumps: list[DumpLink],
        *,
        catalog_path: str,
        void_path: str,
    ) -> str:
        """The home page: the forum, its agenda, what the dataset holds and where to get it."""
        return self._render(
            "home.html",
            forums=forums,
            counts=counts,
            dumps=dumps,
            catalog_path=catalog_path,
            void_path=void_path,
        )

    def listing(self, listing: Listing) -> str:
        """One page of the resources of a kind."""
        return self._render(
            "listing.html", listing=listing, title=kind_label(listing.kind, self.language)
        )

    def validation(
        self,
        *,
        conforms: bool,
        violations: int,
        shapes: list[dict[str, Any]],
        stats: dict[str, Any],
        report_href: str,
    ) -> str:
        """The validation page: the shapes, what each checks, and whether the data conforms."""
        return self._render(
            "validation.html",
            conforms=conforms,
            violations=violations,
            shapes=shapes,
            stats=stats,
            report_href=report_href,
        )

    def search(self, *, query: str, results: list[dict[str, Any]]) -> str:
        """Search results."""
        return self._render("search.html", query=query, results=results)

    def sparql(self, **context: Any) -> str:
        """The SPARQL query page, with results when a query was run."""
        return self._render("sparql.html", **context)

    def error(self, status: int, message: str | None = None) -> str:
        """An error page (404 and others)."""
        if status == 404:
            title, text = self.t("not_found_title"), message or self.t("not_found_text")
        else:
            title, text = self.t("error_title", status=status), message or ""
        return self._render("error.html", title=title, message=text)
