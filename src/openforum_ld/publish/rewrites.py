"""Rewrite rules that let a static web server answer for a publication as `openforum-ld serve`
does: an Apache `.htaccess` (mod_rewrite, mod_headers, mod_mime) and an nginx snippet
(`.nginx.conf`) that an operator includes in a `server { }` block.

Both come from the server's own tables (the offers of an entity IRI, the interface languages, the
media types of the published files) and the publication's redirect table, so a static host makes
the choices the server makes: content negotiation of entity IRIs, the interface language, the
variant spellings that redirect, the aliases of the description files, CORS and the 404 page.
What a static host cannot do is said at the top of each file.

Negotiation is a list of regular expressions on Accept (and Accept-Language), one per offer and
per band of q-values: from q=1 down to q=0.0x, the offers in the server's order within a band,
wildcards after exact types. That is werkzeug's choice whenever the q-values that decide differ
in their first decimal. Both servers apply the list from the least preferred line to the most
preferred, the last match winning: nginx has no "first match" for `if`, and Apache then needs no
guard on each rule.

Everything is written sorted and without dates, so the same publication gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from openforum_ld.errors import PublishError
from openforum_ld.i18n import DEFAULT_LANGUAGE, LANGUAGES
from openforum_ld.publication import media_type_of
from openforum_ld.views.offers import ENTITY_OFFERS
from openforum_ld.views.pages import CONTENT_SECURITY_POLICY
from openforum_ld.views.urls import page_in_language

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from openforum_ld.views.offers import Offer

HTACCESS = ".htaccess"
NGINX_CONF = ".nginx.conf"

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# Listing pages share the directory of the entity pages; their names are never entities.
_NAME = rf"(?!(?:index|page-[0-9]+)(?:\.|$)){_SLUG}"
# A dot-file or dot-directory, but .well-known/.
_HIDDEN = r"(?:^|/)\.(?!well-known/)"
_NOT_BLANK = r"\S"
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
_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "ETag, Link, Location"),
    ("Content-Security-Policy", f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Content-Type-Options", "nosniff"),
)
_NGINX_MOVED = 'if ($ofld_moved) { return 301 "$ofld_moved$ofld_suffix$is_args$args"; }'
_ALIASES = (("catalog", "catalog.ttl"), ("ontology", "ontology.ttl"))

# What neither server can do, for the top of both files.
_LIMITS = """\
What a static host cannot do that `openforum-ld serve` does:
- q-values are compared by their first decimal (0.85 and 0.8 count as equal, and then the
  server's order decides); parameters other than q are ignored, where the server wants them
  to match exactly.
- A variant spelling redirects only when it is in the redirect table as it is: the server also
  folds case, accents and punctuation into a slug before looking it up.
- An unknown entity gets the 404 page in HTML whatever was asked for; the server answers an
  RDF client with an empty document in its format.
- /catalog and /ontology are Turtle, /graph/{name} is TriG, whatever was asked for; the
  server converts them. ?format= takes a format's key (turtle, jsonld, nt, rdfxml, trig, nq,
  html) but not a media type. ?page= and ?incoming= are not read: the pages link to the files.
- There is no /sparql, /search or /healthz, no answer to CORS preflight requests (a GET
  with Accept and Accept-Language needs none), and ETags come from the files, not the data
  version.
- A page asked for by its file name (x.html, x.fr.html) is in that language unless ?lang=
  says otherwise: the pages' links to their translations name the files, so Accept-Language
  is only read for entity IRIs, the home page, listings, the validation page and the 404
  page."""


@dataclass(frozen=True)
class _Rule:
    """One line of a negotiation: a header matching `pattern` chooses `value`."""

    pattern: str
    value: str


@dataclass(frozen=True)
class _Site:
    """What the rules of one publication are written from."""

    base: str
    path: str  # the base's path: "/" or "/openforum/"
    redirects: tuple[tuple[str, str], ...]  # (slug path "kind/name", Location) sorted
    types: tuple[tuple[str, str], ...]  # (suffix, media type) sorted
    bare_files: tuple[tuple[str, str], ...]  # (path without a suffix, media type) sorted

    @property
    def regex_path(self) -> str:
        return _literal(self.path)


def write_rewrite_rules(root: Path, base: str, redirects: Mapping[str, str]) -> list[str]:
    """Write `.htaccess` (Apache) and `.nginx.conf` (nginx) into the publication `root`, for the
    publication's `base` and its redirect table (`id/{kind}/{name}` -> canonical IRI, as in
    `.server/index.sqlite`); return the paths written, relative to `root`."""
    site = _site(root, base, redirects)
    written = {HTACCESS: _htaccess(site), NGINX_CONF: _nginx_conf(site)}
    for name, text in written.items():
        (root / name).write_text(text, encoding="utf-8", newline="\n")
    return list(written)


# ---------------------------------------------------------------------------------- what to say


def _site(root: Path, base: str, redirects: Mapping[str, str]) -> _Site:
    path = urlsplit(base).path or "/"
    if not _SAFE_PATH.fullmatch(path):
        raise PublishError(
            f"cannot write rewrite rules for the base {base!r}: its path must end with '/' "
            "and hold only letters, digits and . _ ~ -"
        )
    entries = []
    for source, target in sorted(redirects.items()):
        match = re.fullmatch(rf"id/({_SLUG}/{_SLUG})", source)
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
    return _Site(
        base=base,
        path=path,
        redirects=tuple(entries),
        types=tuple((suffix, media_type_of("x" + suffix)) for suffix in sorted(suffixes)),
        bare_files=tuple(sorted(bare.items())),
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


def _page_suffix(language: str) -> str:
    """`.html` or `.fr.html`: the file suffix of a page in `language`."""
    return page_in_language("x.html", language)[1:]


def _html_suffixes() -> str:
    """A regular expression for the page suffixes in every language."""
    others = "|".join(_literal(code) for code in LANGUAGES if code != DEFAULT_LANGUAGE)
    return rf"(?:\.(?:{others}))?\.html" if others else r"\.html"


def _twin_suffixes() -> str:
    rdf = "|".join(_literal(o.format.suffix) for o in ENTITY_OFFERS if o.format is not None)
    return f"{_html_suffixes()}|{rdf}"


def _literal(text: str) -> str:
    """`text` as a regular expression matching itself (unlike re.escape, leaving `-` and `/`
    alone, so the rules stay readable)."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def _range(alternatives: Iterable[str], band: str) -> str:
    """A regular expression finding one of `alternatives` (regular expressions themselves) as
    a whole element of a comma-separated header, with a q-value in `band`."""
    choice = "|".join(alternatives)
    return rf"(?:^|,)\s*(?:{choice}){_PARAMETERS}{band}{_PARAMETERS}\s*(?:,|$)"


def _format_rules() -> list[_Rule]:
    """Accept -> the entity IRI's representation (`html` or a twin's suffix), most preferred
    first: by band of q-value, then exact types in the server's order, then wildcards."""
    wildcards = _wildcards(ENTITY_OFFERS)
    rules = []
    for band in _Q_BANDS:
        for offer in ENTITY_OFFERS:
            rules.append(_Rule(_range(map(_literal, offer.media_types), band), _value(offer)))
        for ranges, offer in wildcards:
            rules.append(_Rule(_range(map(_literal, ranges), band), _value(offer)))
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


def _value(offer: Offer) -> str:
    return "html" if offer.format is None else offer.format.suffix


def _language_rules() -> list[_Rule]:
    """Accept-Language -> the interface language, most preferred first, as werkzeug chooses:
    exact tags (and `*`, the first language) before primary subtags (`fr-CA` -> `fr`)."""
    exact = []
    fallback = []
    for band in _Q_BANDS:
        for code in LANGUAGES:
            exact.append(_Rule(_range([_literal(code)], band), code))
            fallback.append(_Rule(_range([rf"{_literal(code)}[-_][^\s,;]*"], band), code))
        exact.append(_Rule(_range([r"\*"], band), LANGUAGES[0]))
    return exact + fallback


# ---------------------------------------------------------------------------------------- nginx


def _nginx_conf(site: _Site) -> str:
    path = site.path
    rpath = site.regex_path
    entity = rf"^{rpath}id/({_SLUG}/{_NAME})({_twin_suffixes()})?$"
    iri = rf"^{rpath}id/{_SLUG}/{_NAME}$"
    docroot = "/srv/openforum" if path == "/" else "/srv/www"
    where = (
        "the publication directory"
        if path == "/"
        else f"the directory holding the publication as {path.strip('/')}/"
    )
    lines = [
        *_comment(
            f"""\
nginx rules for the openforum-ld publication of
{site.base}, written by openforum-ld.

Include this file inside the server {{ }} block that serves the publication, before any
location of your own, and set the block's `root` to
{where}.
The file takes the location {path}: the block must not have one. For example:

    server {{
        listen 80;
        server_name data.example.org;
        root {docroot};
        include {docroot}{path}.nginx.conf;
    }}

nginx allows `map` only in the http block, not here, so the choices are made with `set` and
`if` at server level: rewrite-module directives, the use of `if` that is safe. A list of `if`s
sets a variable from the least to the most preferred choice, so the last match wins.

{_LIMITS}
- There is no 406 page: nginx answers its own."""
        ),
        "",
        "# The entity a request is about, and the twin asked for by its suffix.",
        'set $ofld_entity "";',
        'set $ofld_suffix "";',
        f"if ($uri ~ {_nginx_str(entity)}) {{",
        "    set $ofld_entity $1;",
        "    set $ofld_suffix $2;",
        "}",
        "",
        "# Variant spellings of entity names (the publication's redirect table); the entity",
        "# locations send the redirect, with the headers every answer has.",
        'set $ofld_moved "";',
        *(
            f"if ($ofld_entity = {_nginx_str(name)}) {{ set $ofld_moved {_nginx_str(target)}; }}"
            for name, target in site.redirects
        ),
        "",
        "# The Link header of an entity's answers (none on a redirect, as from the server).",
        'set $ofld_links "";',
        f"if ($ofld_entity) {{ set $ofld_links {_nginx_str(_links(path, '$ofld_entity'))}; }}",
        'if ($ofld_moved) { set $ofld_links ""; }',
        "",
        "# The interface language: Accept-Language, then ?lang=.",
        f"set $ofld_lang {DEFAULT_LANGUAGE};",
        *(
            f"if ($http_accept_language ~* {_nginx_str(rule.pattern)}) "
            f"{{ set $ofld_lang {rule.value}; }}"
            for rule in reversed(_language_rules())
        ),
        *(f"if ($arg_lang = {code}) {{ set $ofld_lang {code}; }}" for code in LANGUAGES),
        f"set $ofld_html {_page_suffix(DEFAULT_LANGUAGE)};",
        *(
            f"if ($ofld_lang = {code}) {{ set $ofld_html {_page_suffix(code)}; }}"
            for code in LANGUAGES
            if code != DEFAULT_LANGUAGE
        ),
        "",
        "# ?lang= on a page asked for by its file name.",
        *(
            f"if ($arg_lang = {code}) {{ rewrite {_nginx_str(pattern)} "
            f"{_nginx_str('$1' + _page_suffix(code))}; }}"
            for code, pattern in _translations(rpath)
        ),
        "",
        "# The representation of an entity IRI: HTML without Accept, else from Accept, else 406.",
        'set $ofld_accept "";',
        f"if ($uri ~ {_nginx_str(iri)}) {{ set $ofld_accept $http_accept; }}",
        "set $ofld_format $ofld_html;",
        f"if ($ofld_accept ~ {_nginx_str(_NOT_BLANK)}) {{ set $ofld_format 406; }}",
        *(
            f"if ($ofld_accept ~* {_nginx_str(rule.pattern)}) "
            f"{{ set $ofld_format {_nginx_format(rule.value)}; }}"
            for rule in reversed(_format_rules())
        ),
        *(
            f"if ($arg_format = {offer.key}) {{ set $ofld_format {_nginx_format(_value(offer))}; }}"
            for offer in ENTITY_OFFERS
        ),
        "",
        f"location {path} {{",
        *_indent(_nginx_location_body(site)),
        "}",
        "",
    ]
    return "\n".join(lines)


def _nginx_location_body(site: _Site) -> list[str]:
    path = site.path
    rpath = site.regex_path
    charset_types = sorted(
        {media.split(";")[0] for _, media in site.types + site.bare_files if "charset=" in media}
    )
    negotiated_language = ["add_header Vary Accept-Language always;"]
    entity_headers = ["add_header Link $ofld_links always;"]
    body = [
        "# A types block replaces the inherited one: every type the publication has.",
        "types {",
        *(
            f"    {media.split(';')[0]} {suffix[1:]};"
            for media, suffix in sorted((m, s) for s, m in site.types)
        ),
        "}",
        "default_type application/octet-stream;",
        "charset utf-8;",
        f"charset_types {' '.join(charset_types)};",
        f"error_page 404 {_nginx_str(path + '404$ofld_html')};",
        *_nginx_headers(),
        "try_files $uri =404;",
        "",
        "# Nothing whose name starts with a dot but .well-known/: .server/ holds the store.",
        f"location ~ {_nginx_str(_HIDDEN)} {{ return 404; }}",
        "",
        "# The pages whose language is negotiated, and the aliases.",
        *_nginx_exact(path, f"try_files {path}index$ofld_html =404;", negotiated_language),
        *(
            line
            for alias in ("validation", "validation/")
            for line in _nginx_exact(
                path + alias,
                f"try_files {path}validation/index$ofld_html =404;",
                negotiated_language,
            )
        ),
        *(
            line
            for alias, file in _ALIASES
            for line in _nginx_exact(path + alias, f"try_files {path}{file} =404;")
        ),
        *_nginx_exact(path + "favicon.ico", f"try_files {path}static/favicon.ico =404;"),
        *(
            line
            for name, media in site.bare_files
            for line in _nginx_exact(
                path + name, f"default_type {media.split(';')[0]};", ["try_files $uri =404;"]
            )
        ),
        "",
        "# Entity IRIs, negotiated.",
        f"location ~ {_nginx_str(rf'^{rpath}id/{_SLUG}/{_NAME}$')} {{",
        f"    {_NGINX_MOVED}",
        "    if ($ofld_format = 406) { return 406; }",
        f"    try_files {path}id/$ofld_entity$ofld_format =404;",
        '    add_header Vary "Accept, Accept-Language" always;',
        *_indent(entity_headers),
        *_indent(_nginx_headers()),
        "}",
        "",
        "# Their pages and documents, by suffix.",
        f"location ~ {_nginx_str(rf'^{rpath}id/{_SLUG}/{_NAME}(?:{_twin_suffixes()})$')} {{",
        f"    {_NGINX_MOVED}",
        "    try_files $uri =404;",
        *_indent(entity_headers),
        *_indent(_nginx_headers()),
        "}",
        "",
        "# Listings, and the kinds without their slash.",
        f"location ~ {_nginx_str(rf'^{rpath}id/(?<ofld_kind>{_SLUG})/$')} {{",
        f"    try_files {path}id/$ofld_kind/index$ofld_html =404;",
        *_indent(negotiated_language),
        *_indent(_nginx_headers()),
        "}",
        f"location ~ {_nginx_str(rf'^{rpath}id/(?<ofld_kind>{_SLUG})$')} {{",
        f"    if (-d $document_root{path}id/$ofld_kind) "
        f"{{ return 301 {path}id/$ofld_kind/$is_args$args; }}",
        "    return 404;",
        "}",
        "",
        "# Named graphs.",
        f"location ~ {_nginx_str(rf'^{rpath}graph/(?<ofld_graph>{_SLUG})$')} {{",
        f"    try_files {path}graph/$ofld_graph.trig =404;",
        "}",
    ]
    return body


def _nginx_exact(uri: str, first: str, more: Sequence[str] = ()) -> list[str]:
    """An exact location; one that sets a header repeats the common ones (nginx inherits
    `add_header` only into locations that have none)."""
    if not more or not any(line.startswith("add_header") for line in more):
        return [f"location = {uri} {{ {' '.join([first, *more])} }}"]
    return [
        f"location = {uri} {{",
        f"    {first}",
        *_indent(more),
        *_indent(_nginx_headers()),
        "}",
    ]


def _nginx_headers() -> list[str]:
    return [f"add_header {name} {_nginx_str(value)} always;" for name, value in _HEADERS]


def _nginx_format(value: str) -> str:
    return "$ofld_html" if value == "html" else value


def _nginx_str(value: str) -> str:
    """A quoted nginx string. nginx reads a backslash before a quote, a backslash, t, n or r as
    an escape and keeps any other as it is: only those are doubled, so the regular expressions
    read as they are."""
    escaped = re.sub(r"\\(?=[\\\"'tnr]|$)", r"\\\\", value)
    return '"' + escaped.replace('"', '\\"') + '"'


def _translations(prefix: str) -> list[tuple[str, str]]:
    """For each language, a regular expression of the pages to turn into that language's (with
    the page's name without its suffix as $1): the main language's page has no language part,
    so only the others' pages turn into it."""
    others = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    tagged = "|".join(_literal(code) for code in others)
    return [
        (
            code,
            rf"^({prefix}.*?)\.(?:{tagged})\.html$"
            if code == DEFAULT_LANGUAGE
            else rf"^({prefix}.*?){_html_suffixes()}$",
        )
        for code in LANGUAGES
        if others
    ]


# --------------------------------------------------------------------------------------- Apache


def _htaccess(site: _Site) -> str:
    path = site.path
    entity = rf"^id/({_SLUG}/{_NAME})(?:{_twin_suffixes()})?$"
    iri = rf"^id/{_SLUG}/{_NAME}$"
    lines = [
        *_comment(
            f"""\
Apache httpd rules for the openforum-ld publication of
{site.base}, written by openforum-ld, for the publication directory,
served at {path}.

It needs mod_rewrite, mod_headers and mod_mime, and a <Directory> that allows it:
`AllowOverride All` (or FileInfo, Indexes and Options=MultiViews) and `Options FollowSymLinks`,
which mod_rewrite wants. Debian's stock configuration answers 403 for `.ht*` files before
these rules are read; they answer 404 for every other dot-file but .well-known/.

Rules in .htaccess run again after each internal rewrite, with the variables set before it
renamed REDIRECT_*, so the headers of a negotiated answer look for REDIRECT_OFLD_*. Lists of
conditions set a variable from the least to the most preferred choice: the last match wins.

{_LIMITS}"""
        ),
        "",
        "# MultiViews would answer entity IRIs with its own negotiation before these rules, and",
        "# mod_dir would redirect /validation to /validation/ after them.",
        "Options -MultiViews",
        "<IfModule mod_dir.c>",
        f'    <If "%{{REQUEST_URI}} =~ m#^{site.regex_path}validation$#">',
        "        DirectorySlash Off",
        "    </If>",
        "</IfModule>",
        "",
        "# Every type the publication has (.gz files are sent as they are, not decoded).",
        "RemoveEncoding .gz",
        *(f"AddType {media.split(';')[0]} {suffix}" for suffix, media in site.types),
        *(
            f"AddCharset {charset} {' '.join(suffixes)}"
            for charset, suffixes in _charsets(site.types).items()
        ),
        *(
            line
            for name, media in site.bare_files
            for line in (
                f"<Files {_apache_str(PurePosixPath(name).name)}>",
                f"    ForceType {_apache_str(media)}",
                "</Files>",
            )
        ),
        "",
        # A name no file has: the rules below turn it into the page in the reader's language.
        f"ErrorDocument 404 {path}404",
        "",
        *(f"Header always set {name} {_apache_str(value)}" for name, value in _HEADERS),
        f"Header always set Link {_apache_str(_links(path, '%{OFLD_ENTITY}e'))} env=OFLD_ENTITY",
        'Header always merge Vary "Accept, Accept-Language" env=REDIRECT_OFLD_NEGOTIATED',
        "Header always merge Vary Accept-Language env=REDIRECT_OFLD_LANGUAGE",
        "",
        "RewriteEngine On",
        f"RewriteBase {path}",
        "",
        "# The interface language: Accept-Language, then ?lang= (first: the 404 page needs it).",
        f"RewriteRule ^ - [E=OFLD_LANG:{DEFAULT_LANGUAGE}]",
        *(
            line
            for rule in reversed(_language_rules())
            for line in (
                f"RewriteCond %{{HTTP:Accept-Language}} {rule.pattern} [NC]",
                f"RewriteRule ^ - [E=OFLD_LANG:{rule.value}]",
            )
        ),
        *(
            line
            for code in LANGUAGES
            for line in (
                f"RewriteCond %{{QUERY_STRING}} (?:^|&)lang={code}(?:&|$)",
                f"RewriteRule ^ - [E=OFLD_LANG:{code}]",
            )
        ),
        f"RewriteRule ^ - [E=OFLD_HTML:{_page_suffix(DEFAULT_LANGUAGE)}]",
        *(
            line
            for code in LANGUAGES
            if code != DEFAULT_LANGUAGE
            for line in (
                f"RewriteCond %{{ENV:OFLD_LANG}} ={code}",
                f"RewriteRule ^ - [E=OFLD_HTML:{_page_suffix(code)}]",
            )
        ),
        "",
        "# The 404 page, in the language of the request it answers (its query is gone by now;",
        "# that request's variables are not, when the rules ran for it). Nested in an error's",
        "# answer, the rewrite keeps the status.",
        "RewriteCond %{ENV:REDIRECT_STATUS} =404",
        "RewriteCond %{ENV:REDIRECT_OFLD_HTML} (.+)",
        "RewriteRule ^404$ 404%1 [L]",
        "RewriteCond %{ENV:REDIRECT_STATUS} =404",
        "RewriteRule ^404$ 404%{ENV:OFLD_HTML} [L]",
        "",
        "# Nothing whose name starts with a dot but .well-known/: .server/ holds the store.",
        f"RewriteRule {_HIDDEN} - [R=404,L]",
        "",
        "# Variant spellings of entity names (the publication's redirect table).",
        *(
            f"RewriteRule ^id/{_literal(name)}({_twin_suffixes()})?$ "
            f"{_apache_target(target)}$1 [R=301,NE,L]"
            for name, target in site.redirects
        ),
        "",
        "# The entity a request is about, for the Link header (not on a redirect, as from the",
        "# server).",
        f"RewriteRule {entity} - [E=OFLD_ENTITY:$1]",
        "",
        "# A kind without its slash.",
        "RewriteCond %{REQUEST_FILENAME} -d",
        f"RewriteRule ^id/({_SLUG})$ {path}id/$1/ [R=301,L]",
        "",
        "# ?lang= on a page asked for by its file name.",
        *(
            line
            for code, pattern in _translations("")
            for line in (
                f"RewriteCond %{{QUERY_STRING}} (?:^|&)lang={code}(?:&|$)",
                # Per-directory rules run again on what they rewrite to: not to itself.
                *(
                    [f"RewriteCond %{{REQUEST_URI}} !{_literal(_page_suffix(code))}$"]
                    if code != DEFAULT_LANGUAGE
                    else []
                ),
                f"RewriteRule {pattern} $1{_page_suffix(code)} [L]",
            )
        ),
        "",
        "# The pages whose language is negotiated, and the aliases.",
        "RewriteRule ^$ index%{ENV:OFLD_HTML} [E=OFLD_LANGUAGE:1,L]",
        f"RewriteRule ^id/({_SLUG})/$ id/$1/index%{{ENV:OFLD_HTML}} [E=OFLD_LANGUAGE:1,L]",
        "RewriteRule ^validation/?$ validation/index%{ENV:OFLD_HTML} [E=OFLD_LANGUAGE:1,L]",
        *(f"RewriteRule ^{_literal(alias)}$ {file} [L]" for alias, file in _ALIASES),
        r"RewriteRule ^favicon\.ico$ static/favicon.ico [L]",
        f"RewriteRule ^graph/({_SLUG})$ graph/$1.trig [L]",
        "",
        "# Entity IRIs: HTML without Accept, else the choice from Accept, else 406.",
        f"RewriteRule {iri} - [E=OFLD_FORMAT:html]",
        r"RewriteCond %{HTTP:Accept} \S",
        f"RewriteRule {iri} - [E=OFLD_FORMAT:406]",
        *(
            line
            for rule in reversed(_format_rules())
            for line in (
                f"RewriteCond %{{HTTP:Accept}} {rule.pattern} [NC]",
                f"RewriteRule {iri} - [E=OFLD_FORMAT:{rule.value}]",
            )
        ),
        *(
            line
            for offer in ENTITY_OFFERS
            for line in (
                f"RewriteCond %{{QUERY_STRING}} (?:^|&)format={offer.key}(?:&|$)",
                f"RewriteRule {iri} - [E=OFLD_FORMAT:{_value(offer)}]",
            )
        ),
        "RewriteCond %{ENV:OFLD_FORMAT} =406",
        f"RewriteRule {iri} - [R=406,L]",
        "RewriteCond %{ENV:OFLD_FORMAT} =html",
        f"RewriteRule ^id/({_SLUG})/({_NAME})$ id/$1/$2%{{ENV:OFLD_HTML}} [E=OFLD_NEGOTIATED:1,L]",
        f"RewriteRule ^id/({_SLUG})/({_NAME})$ id/$1/$2%{{ENV:OFLD_FORMAT}} [E=OFLD_NEGOTIATED:1,L]",
        "",
        "# Any other directory: 404, as the server answers, rather than a listing or 403.",
        "RewriteCond %{REQUEST_FILENAME} -d",
        "RewriteRule ^ - [R=404,L]",
        "",
    ]
    return "\n".join(lines)


def _charsets(types: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for suffix, media in types:
        match = re.search(r";\s*charset=([^;\s]+)", media)
        if match:
            found.setdefault(match.group(1), []).append(suffix)
    return found


def _apache_str(value: str) -> str:
    """A quoted Apache argument: only a quote after a backslash is an escape there."""
    return '"' + value.replace('"', '\\"') + '"'


def _apache_target(target: str) -> str:
    """A redirect target in a RewriteRule substitution, where `$N` and `%N` are
    back-references."""
    return target.replace("\\", "\\\\").replace("$", "\\$").replace("%", "\\%")


# ---------------------------------------------------------------------------------- both files


def _links(path: str, entity: str) -> str:
    """The Link header of an entity's answers: every twin, as the server lists them."""
    links = [f'<{path}id/{entity}.html>; rel="alternate"; type="text/html"']
    links += [
        f'<{path}id/{entity}{offer.format.suffix}>; rel="alternate"; type="{offer.media_type}"'
        for offer in ENTITY_OFFERS
        if offer.format is not None
    ]
    return ", ".join(links)


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def _indent(lines: Iterable[str]) -> list[str]:
    return [f"    {line}" if line else "" for line in lines]
