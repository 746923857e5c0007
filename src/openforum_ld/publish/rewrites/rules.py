"""What both files say, and how: the publication's facts, the negotiation table drawn from the
server's own offers, and the small writers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from openforum_ld.errors import PublishError
from openforum_ld.i18n import DEFAULT_LANGUAGE, LANGUAGES
from openforum_ld.publication import media_type_of
from openforum_ld.views.dataset_markup import entity_links, landing_page_links
from openforum_ld.views.offers import ENTITY_OFFERS
from openforum_ld.views.pages import CONTENT_SECURITY_POLICY
from openforum_ld.views.urls import page_in_language

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from openforum_ld.publication import Manifest
    from openforum_ld.views.offers import Offer

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# Listing pages share the directory of the entity pages; their names are never entities.
NAME = rf"(?!(?:index|page-[0-9]+)(?:\.|$)){SLUG}"
# What is negotiated: an entity IRI's path or a named graph's (no capturing group inside).
RESOURCE = rf"(?:id/{SLUG}/{NAME}|graph/{SLUG})"
# A dot-file or dot-directory, but .well-known/.
HIDDEN = r"(?:^|/)\.(?!well-known/)"
#: A release's version, as a directory of releases/ (config.RELEASE_VERSION).
RELEASE = r"[0-9]+(?:\.[0-9]+){1,2}"
NOT_BLANK = r"\S"
# A base path is written into regular expressions and redirect targets as it is.
_SAFE_PATH = re.compile(r"/(?:[A-Za-z0-9._~-]+/)*")
# A media range's parameters other than q (accepted whatever they are: see the file comments).
_PARAMETERS = r"(?:\s*;(?!\s*q\s*=)[^;,]*)*"
# The q-values of a media range, in bands by first decimal: 1 (or none), 0.9x ... 0.1x, then
# 0.0x but not 0, which refuses.
_Q_BANDS: tuple[str, ...] = (
    r"(?:\s*;\s*q\s*=\s*1(?:\.0{0,3})?)?",
    *(rf"\s*;\s*q\s*=\s*0?\.{digit}[0-9]{{0,2}}" for digit in "987654321"),
    r"\s*;\s*q\s*=\s*0?\.0(?:0[1-9]|[1-9][0-9]?)",
)
HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "ETag, Link, Location"),
    ("Content-Security-Policy", f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Content-Type-Options", "nosniff"),
)
#: Stands for an entity's path under the base in `Site.entity_links`; each server writes its
#: own variable there.
ENTITY_PLACEHOLDER = "{entity}"
NGINX_MOVED = 'if ($ofld_moved) { return 301 "$ofld_moved$ofld_suffix$is_args$args"; }'
ALIASES = (("catalog", "catalog.ttl"), ("ontology", "ontology.ttl"))

# What neither server can do, for the top of both files.
LIMITS = """\
What a static host cannot do that `openforum-ld serve` does:
- q-values are compared by their first decimal (0.85 and 0.8 count as equal, and then the
  server's order decides); parameters other than q are ignored, where the server wants them
  to match exactly.
- A variant spelling redirects only when it is in the redirect table as it is: the server also
  folds case, accents and punctuation into a slug before looking it up.
- An unknown entity gets the 404 page in HTML whatever was asked for; the server answers an
  RDF client with an empty document in its format. A withdrawn IRI answers 410 as from the
  server, but without the licence in a Link header.
- /catalog and /ontology are Turtle whatever was asked for; the server converts them. ?format= takes a format's key (turtle, jsonld, nt, rdfxml, trig, nq,
  html) but not a media type. ?page= and ?incoming= are not read: the pages link to the files.
- There is no /sparql, /search or /healthz, no answer to CORS preflight requests (a GET
  with Accept and Accept-Language needs none), and ETags come from the files, not the data
  version.
- A page asked for by its file name (x.html, x.fr.html) is in that language unless ?lang=
  says otherwise: the pages' links to their translations name the files, so Accept-Language
  is only read for entity and graph IRIs, the home page, listings, the validation page, the
  releases' pages and the 404 page."""


@dataclass(frozen=True)
class Rule:
    """One line of a negotiation: a header matching `pattern` chooses `value`."""

    pattern: str
    value: str


@dataclass(frozen=True)
class Site:
    """What the rules of one publication are written from."""

    base: str
    path: str  # the base's path: "/" or "/openforum/"
    redirects: tuple[tuple[str, str], ...]  # (slug path "kind/name", Location) sorted
    types: tuple[tuple[str, str], ...]  # (suffix, media type) sorted
    bare_files: tuple[tuple[str, str], ...]  # (path without a suffix, media type) sorted
    withdrawn: tuple[str, ...] = ()  # slug paths "kind/name" that answer 410, sorted
    home_links: str = ""  # the home page's Link header, as the server sends it
    entity_links: str = ""  # an entity IRI's signposts, with ENTITY_PLACEHOLDER for its path

    @property
    def regex_path(self) -> str:
        return regex_literal(self.path)


def site_of(
    root: Path,
    base: str,
    redirects: Mapping[str, str],
    withdrawn: Iterable[str] = (),
    manifest: Manifest | None = None,
) -> Site:
    path = urlsplit(base).path or "/"
    if not _SAFE_PATH.fullmatch(path):
        raise PublishError(
            f"cannot write rewrite rules for the base {base!r}: its path must end with '/' "
            "and hold only letters, digits and . _ ~ -"
        )
    entries = []
    for source, target in sorted(redirects.items()):
        match = re.fullmatch(rf"id/({SLUG}/{SLUG})", source)
        # The server looks up only slug-shaped paths (others are slugified first, which a
        # static host cannot do), so no other entry can ever be reached.
        if match is not None:
            entries.append((match.group(1), _location(base, path, target)))
    suffixes = {".html", *(offer.format.suffix for offer in ENTITY_OFFERS if offer.format)}
    bare: dict[str, str] = {}
    for file in _published_files(root):
        relative = file.relative_to(root).as_posix()
        suffix = PurePosixPath(relative).suffix
        if suffix:
            suffixes.add(suffix)
        else:
            bare[relative] = media_type_of(file.name)
    gone = sorted(
        match.group(1) for p in withdrawn if (match := re.fullmatch(rf"id/({SLUG}/{SLUG})", p))
    )
    home = entity = ""
    if manifest is not None:
        # The same links as the server's: its route sends these, its middleware the licence.
        home = ", ".join(link.header_value() for link in landing_page_links(base, manifest))
        entity = ", ".join(
            link.header_value() for link in entity_links(base + ENTITY_PLACEHOLDER, manifest)
        )
    return Site(
        base=base,
        path=path,
        redirects=tuple(entries),
        types=tuple((suffix, media_type_of("x" + suffix)) for suffix in sorted(suffixes)),
        bare_files=tuple(sorted(bare.items())),
        withdrawn=tuple(gone),
        home_links=home,
        entity_links=entity,
    )


def _published_files(root: Path) -> Iterable[Path]:
    """The files a static host serves: none under a dot-directory but `.well-known/`."""
    for file in sorted(root.rglob("*")):
        parts = file.relative_to(root).parts
        hidden = any(p.startswith(".") for p in parts if p != ".well-known")
        if file.is_file() and not hidden:
            yield file


def _location(base: str, path: str, target: str) -> str:
    """Where a variant spelling redirects: a path under the base, as the server says it."""
    if target.startswith(base):
        return path + quote(target[len(base) :])
    # Already an IRI: only the characters the two configuration languages give a meaning to.
    return quote(target, safe=":/?#[]@!&'()*+,;=%~")


def page_suffix(language: str) -> str:
    """`.html` or `.fr.html`: the file suffix of a page in `language`."""
    return page_in_language("x.html", language)[1:]


def html_suffixes() -> str:
    """A regular expression for the page suffixes in every language."""
    others = "|".join(regex_literal(code) for code in LANGUAGES if code != DEFAULT_LANGUAGE)
    return rf"(?:\.(?:{others}))?\.html" if others else r"\.html"


def twin_suffixes() -> str:
    rdf = "|".join(regex_literal(o.format.suffix) for o in ENTITY_OFFERS if o.format is not None)
    return f"{html_suffixes()}|{rdf}"


def regex_literal(text: str) -> str:
    """`text` as a regular expression matching itself (unlike re.escape, leaving `-` and `/`
    alone, so the rules stay readable)."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def _range(alternatives: Iterable[str], band: str) -> str:
    """A regular expression finding one of `alternatives` (regular expressions themselves) as
    a whole element of a comma-separated header, with a q-value in `band`."""
    choice = "|".join(alternatives)
    return rf"(?:^|,)\s*(?:{choice}){_PARAMETERS}{band}{_PARAMETERS}\s*(?:,|$)"


def format_rules() -> list[Rule]:
    """Accept -> the entity IRI's representation (`html` or a twin's suffix), most preferred
    first: by band of q-value, then exact types in the server's order, then wildcards."""
    wildcards = _wildcards(ENTITY_OFFERS)
    rules = []
    for band in _Q_BANDS:
        for offer in ENTITY_OFFERS:
            rules.append(
                Rule(_range(map(regex_literal, offer.media_types), band), offer_value(offer))
            )
        for ranges, offer in wildcards:
            rules.append(Rule(_range(map(regex_literal, ranges), band), offer_value(offer)))
    return rules


def _wildcards(offers: Sequence[Offer]) -> list[tuple[list[str], Offer]]:
    """The media ranges `type/*` then `*/*`, each with the offer the server picks for it
    alone (the first with a matching media type), neighbours with the same pick together."""
    majors = sorted({media.split("/")[0] for offer in offers for media in offer.media_types})
    picks = [
        (
            f"{major}/*",
            next(o for o in offers if any(m.startswith(major + "/") for m in o.media_types)),
        )
        for major in majors
    ]
    picks.append(("*/*", offers[0]))
    grouped: list[tuple[list[str], Offer]] = []
    for media_range, offer in picks:
        if grouped and grouped[-1][1] is offer:
            grouped[-1][0].append(media_range)
        else:
            grouped.append(([media_range], offer))
    return grouped


def offer_value(offer: Offer) -> str:
    return "html" if offer.format is None else offer.format.suffix


def language_rules() -> list[Rule]:
    """Accept-Language -> the interface language, most preferred first, as werkzeug chooses:
    exact tags (and `*`, the first language) before primary subtags (`fr-CA` -> `fr`)."""
    exact = []
    fallback = []
    for band in _Q_BANDS:
        for code in LANGUAGES:
            exact.append(Rule(_range([regex_literal(code)], band), code))
            fallback.append(Rule(_range([rf"{regex_literal(code)}[-_][^\s,;]*"], band), code))
        exact.append(Rule(_range([r"\*"], band), LANGUAGES[0]))
    return exact + fallback


def link_header(path: str, resource: str) -> str:
    """The Link header of an entity's or a graph's answers (`resource` is its path under the
    base, `id/kind/name` or `graph/name`): every twin, as the server lists them."""
    links = [f'<{path}{resource}.html>; rel="alternate"; type="text/html"']
    links += [
        f'<{path}{resource}{offer.format.suffix}>; rel="alternate"; type="{offer.media_type}"'
        for offer in ENTITY_OFFERS
        if offer.format is not None
    ]
    return ", ".join(links)


def comment_lines(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def indented(lines: Iterable[str]) -> list[str]:
    return [f"    {line}" if line else "" for line in lines]


def page_translations(prefix: str) -> list[tuple[str, str]]:
    """For each language, a regular expression of the pages to turn into that language's (with
    the page's name without its suffix as $1): the main language's page has no language part,
    so only the others' pages turn into it."""
    others = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    tagged = "|".join(regex_literal(code) for code in others)
    return [
        (
            code,
            rf"^({prefix}.*?)\.(?:{tagged})\.html$"
            if code == DEFAULT_LANGUAGE
            else rf"^({prefix}.*?){html_suffixes()}$",
        )
        for code in LANGUAGES
        if others
    ]
