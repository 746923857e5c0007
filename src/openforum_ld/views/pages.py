"""HTML pages: a view returns a `Page` (a template and what it shows), and one renderer turns
it into HTML for the static site and the server alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2

from openforum_ld import __version__
from openforum_ld.config import DEFAULT_PUBLISHER
from openforum_ld.i18n import LANGUAGES, Translator
from openforum_ld.iris import linkable

if TYPE_CHECKING:
    from openforum_ld.iris import Kind
    from openforum_ld.publication import Manifest
    from openforum_ld.views.urls import Urls

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


@dataclass(frozen=True)
class SiteInfo:
    """What every page's footer says about the publication."""

    license: str
    license_name: str
    data_version: str
    software_version: str
    base: str = ""
    feedback: str = ""  # where to report a problem: a URL with {iri} and {title} to fill in
    publisher: str = ""
    publisher_is_default: bool = False  # the operator named none: pages say so

    @classmethod
    def of(cls, manifest: Manifest) -> SiteInfo:
        """What a publication's pages say of it, from its manifest."""
        return cls(
            manifest.license,
            manifest.license_name,
            manifest.version,
            __version__,
            manifest.base,
            manifest.feedback,
            manifest.publisher_name,
            manifest.publisher_name in ("", DEFAULT_PUBLISHER),
        )

    def feedback_href(self, iri: str | None) -> str | None:
        """The link that reports a problem with `iri` (the dataset's base when None), or None
        when the publisher gave nowhere to report."""
        if not self.feedback:
            return None
        about = iri or self.base
        return self.feedback.replace("{iri}", quote(about, safe="")).replace(
            "{title}", quote(f"Problem with {about}", safe="")
        )


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
class Page:
    """What a view gives: the template, what it shows, and the page's other representations.
    Nothing in it depends on the reader's language but the labels the view chose."""

    template: str
    context: dict[str, Any]
    alternates: tuple[Alternate, ...] = ()
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class NotFoundError(Exception):
    """What a view was asked for is not in the data; the message says what is missing."""


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("openforum_ld.views", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=False,
    lstrip_blocks=False,
    # The templates are the package's own: not looked at on disk again for every page.
    auto_reload=False,
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
# The schema.org JSON-LD a page embeds keeps its keys in the order they were written.
_ENVIRONMENT.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}


# Scripts written right to left (ISO 15924 codes), and the languages usually written in one.
_RIGHT_TO_LEFT_SCRIPTS = frozenset(
    {"adlm", "arab", "aran", "hebr", "mand", "mend", "nkoo", "rohg", "samr", "syrc", "thaa", "yezi"}
)
_RIGHT_TO_LEFT_LANGUAGES = frozenset(
    {
        "ar",
        "arc",
        "ckb",
        "dv",
        "fa",
        "he",
        "iw",
        "ks",
        "mzn",
        "pnb",
        "prs",
        "ps",
        "sd",
        "syr",
        "ug",
        "ur",
        "yi",
    }
)


def text_direction(language: str | None) -> str:
    """The `dir` of a text in `language` (a BCP 47 tag): "rtl" for a right-to-left script, else
    "auto". Said outright, an Arabic name that starts with a digit or a Latin letter, which
    `dir="auto"` would lay out left to right, still reads right to left."""
    if not language:
        return "auto"
    subtags = language.lower().split("-")
    script = next((tag for tag in subtags[1:] if len(tag) == 4 and tag.isalpha()), None)
    if script is not None:
        return "rtl" if script in _RIGHT_TO_LEFT_SCRIPTS else "auto"
    return "rtl" if subtags[0] in _RIGHT_TO_LEFT_LANGUAGES else "auto"


_ENVIRONMENT.filters["text_direction"] = text_direction


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

    def render(self, page: Page) -> str:
        """A view's page as HTML."""
        return _ENVIRONMENT.get_template(page.template).render(
            lang=self.language,
            t=self.t,
            urls=self.urls,
            site=self.site,
            alternates=page.alternates,
            translations=self.translations,
            kind_label=lambda kind: kind_label(kind, self.language),
            **page.context,
        )

    def error(self, status: int, message: str | None = None) -> str:
        """An error page (404 and others)."""
        if status == 404:
            title, text = self.t("not_found_title"), message or self.t("not_found_text")
        else:
            title, text = self.t("error_title", status=status), message or ""
        return self.render(Page("error.html", {"title": title, "message": text}, status=status))
