"""The nginx snippet (`.nginx.conf`), included in the operator's `server { }` block."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from openforum_ld.i18n import DEFAULT_LANGUAGE, LANGUAGES
from openforum_ld.publish.rewrites.rules import (
    ALIASES,
    ENTITY_PLACEHOLDER,
    HEADERS,
    HIDDEN,
    LIMITS,
    NAME,
    NGINX_MOVED,
    NOT_BLANK,
    RELEASE,
    RESOURCE,
    SLUG,
    Site,
    comment_lines,
    format_rules,
    indented,
    language_rules,
    link_header,
    offer_value,
    page_suffix,
    page_translations,
    twin_suffixes,
)
from openforum_ld.views.offers import ENTITY_OFFERS
from openforum_ld.views.retired import URI_POLICY

if TYPE_CHECKING:
    from collections.abc import Sequence


def nginx_conf(site: Site) -> str:
    path = site.path
    help_link = f'<{path}{URI_POLICY}>; rel="help"'
    rpath = site.regex_path
    entity = rf"^{rpath}({RESOURCE})({twin_suffixes()})?$"
    iri = rf"^{rpath}{RESOURCE}$"
    docroot = "/srv/openforum" if path == "/" else "/srv/www"
    where = (
        "the publication directory"
        if path == "/"
        else f"the directory holding the publication as {path.strip('/')}/"
    )
    lines = [
        *comment_lines(
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

{LIMITS}
- There is no 406 page: nginx answers its own."""
        ),
        "",
        "# The entity or graph a request is about, and the twin asked for by its suffix.",
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
            f"if ($ofld_entity = {_nginx_str('id/' + name)}) "
            f"{{ set $ofld_moved {_nginx_str(target)}; }}"
            for name, target in site.redirects
        ),
        "",
        "# Withdrawn IRIs and their twins: 410 Gone, with the tombstone.",
        'set $ofld_gone "";',
        *(
            f"if ($ofld_entity = {_nginx_str('id/' + name)}) {{ set $ofld_gone $ofld_entity; }}"
            for name in site.withdrawn
        ),
        "",
        "# The Link header of an entity's or a graph's answers (none on a redirect or a",
        "# tombstone, as from the server), with an entity's signposts.",
        'set $ofld_links "";',
        f"if ($ofld_entity) {{ set $ofld_links {_nginx_str(link_header(path, '$ofld_entity'))}; }}",
        *(
            [
                f"if ($ofld_entity ~ {_nginx_str('^id/')}) {{ set $ofld_links "
                f"{_nginx_str(link_header(path, '$ofld_entity') + ', ' + links)}; }}"
            ]
            if (links := site.entity_links.replace(ENTITY_PLACEHOLDER, "$ofld_entity"))
            else []
        ),
        'if ($ofld_moved) { set $ofld_links ""; }',
        'if ($ofld_gone) { set $ofld_links ""; }',
        "",
        "# The interface language: Accept-Language, then ?lang=.",
        f"set $ofld_lang {DEFAULT_LANGUAGE};",
        *(
            f"if ($http_accept_language ~* {_nginx_str(rule.pattern)}) "
            f"{{ set $ofld_lang {rule.value}; }}"
            for rule in reversed(language_rules())
        ),
        *(f"if ($arg_lang = {code}) {{ set $ofld_lang {code}; }}" for code in LANGUAGES),
        f"set $ofld_html {page_suffix(DEFAULT_LANGUAGE)};",
        *(
            f"if ($ofld_lang = {code}) {{ set $ofld_html {page_suffix(code)}; }}"
            for code in LANGUAGES
            if code != DEFAULT_LANGUAGE
        ),
        "",
        "# ?lang= on a page asked for by its file name.",
        *(
            f"if ($arg_lang = {code}) {{ rewrite {_nginx_str(pattern)} "
            f"{_nginx_str('$1' + page_suffix(code))}; }}"
            for code, pattern in page_translations(rpath)
        ),
        "",
        "# The representation of an entity or graph IRI: HTML without Accept, else from Accept,",
        "# else 406.",
        'set $ofld_accept "";',
        f"if ($uri ~ {_nginx_str(iri)}) {{ set $ofld_accept $http_accept; }}",
        "set $ofld_format $ofld_html;",
        f"if ($ofld_accept ~ {_nginx_str(NOT_BLANK)}) {{ set $ofld_format 406; }}",
        *(
            f"if ($ofld_accept ~* {_nginx_str(rule.pattern)}) "
            f"{{ set $ofld_format {_nginx_format(rule.value)}; }}"
            for rule in reversed(format_rules())
        ),
        *(
            f"if ($arg_format = {offer.key}) {{ set $ofld_format {_nginx_format(offer_value(offer))}; }}"
            for offer in ENTITY_OFFERS
        ),
        "",
        "# What a withdrawn IRI answers with its 410: the twin asked for by its suffix, else the",
        "# tombstone or the record negotiated (the IRI's own files).",
        'set $ofld_gone_file "";',
        'set $ofld_gone_vary "";',
        "if ($ofld_gone) { set $ofld_gone_file $ofld_gone$ofld_format; }",
        'if ($ofld_gone) { set $ofld_gone_vary "Accept, Accept-Language"; }',
        "set $ofld_gone_twin $ofld_gone$ofld_suffix;",
        f"if ($ofld_gone_twin ~ {_nginx_str(r'^id/[^.]+[.]')}) "
        "{ set $ofld_gone_file $ofld_gone_twin; }",
        f'if ($ofld_gone_twin ~ {_nginx_str(r"^id/[^.]+[.]")}) {{ set $ofld_gone_vary ""; }}',
        "",
        f"location {path} {{",
        *indented(_nginx_location_body(site)),
        "}",
        "",
        "location @ofld_gone {",
        *indented(_nginx_types(site)),
        f"    try_files {path}$ofld_gone_file =404;",
        f"    add_header Link {_nginx_str(help_link)} always;",
        "    add_header Vary $ofld_gone_vary always;",
        *indented(_nginx_headers()),
        "}",
        "",
    ]
    return "\n".join(lines)


def _nginx_location_body(site: Site) -> list[str]:
    path = site.path
    rpath = site.regex_path
    negotiated_language = ["add_header Vary Accept-Language always;"]
    entity_headers = ["add_header Link $ofld_links always;"]
    body = [
        *_nginx_types(site),
        f"error_page 404 {_nginx_str(path + '404$ofld_html')};",
        "error_page 410 @ofld_gone;",
        *_nginx_headers(),
        "try_files $uri =404;",
        "",
        "# Nothing whose name starts with a dot but .well-known/: .server/ holds the store.",
        f"location ~ {_nginx_str(HIDDEN)} {{ return 404; }}",
        "",
        "# The pages whose language is negotiated, and the aliases.",
        *_nginx_exact(
            path,
            f"try_files {path}index$ofld_html =404;",
            [
                *negotiated_language,
                *(
                    [f"add_header Link {_nginx_str(site.home_links)} always;"]
                    if site.home_links
                    else []
                ),
            ],
        ),
        *_nginx_exact(
            path + URI_POLICY,
            f"try_files {path}{URI_POLICY}$ofld_html =404;",
            negotiated_language,
        ),
        *(
            line
            for page in ("validation", "not-in-sources")
            for alias in (page, page + "/")
            for line in _nginx_exact(
                path + alias,
                f"try_files {path}{page}/index$ofld_html =404;",
                negotiated_language,
            )
        ),
        *(
            line
            for alias, file in ALIASES
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
        f"location ~ {_nginx_str(rf'^{rpath}id/{SLUG}/{NAME}$')} {{",
        f"    {NGINX_MOVED}",
        "    if ($ofld_format = 406) { return 406; }",
        "    if ($ofld_gone) { return 410; }",
        f"    try_files {path}$ofld_entity$ofld_format =404;",
        '    add_header Vary "Accept, Accept-Language" always;',
        *indented(entity_headers),
        *indented(_nginx_headers()),
        "}",
        "",
        "# Their pages and documents, by suffix.",
        f"location ~ {_nginx_str(rf'^{rpath}id/{SLUG}/{NAME}(?:{twin_suffixes()})$')} {{",
        f"    {NGINX_MOVED}",
        "    if ($ofld_gone) { return 410; }",
        "    try_files $uri =404;",
        *indented(entity_headers),
        *indented(_nginx_headers()),
        "}",
        "",
        "# The releases, and each release's page.",
        *_nginx_exact(path + "releases", f"return 301 {path}releases/$is_args$args;"),
        f"location ~ {_nginx_str(rf'^{rpath}releases/(?<ofld_release>(?:{RELEASE}/)?)$')} {{",
        f"    try_files {path}releases/${{ofld_release}}index$ofld_html =404;",
        *indented(negotiated_language),
        *indented(_nginx_headers()),
        "}",
        "",
        "# Listings, and the kinds without their slash.",
        f"location ~ {_nginx_str(rf'^{rpath}id/(?<ofld_kind>{SLUG})/$')} {{",
        f"    try_files {path}id/$ofld_kind/index$ofld_html =404;",
        *indented(negotiated_language),
        *indented(_nginx_headers()),
        "}",
        f"location ~ {_nginx_str(rf'^{rpath}id/(?<ofld_kind>{SLUG})$')} {{",
        f"    if (-d $document_root{path}id/$ofld_kind) "
        f"{{ return 301 {path}id/$ofld_kind/$is_args$args; }}",
        "    return 404;",
        "}",
        "",
        "# Named graphs, negotiated as entities are, and their pages and documents by suffix.",
        f"location ~ {_nginx_str(rf'^{rpath}graph/{SLUG}$')} {{",
        "    if ($ofld_format = 406) { return 406; }",
        f"    try_files {path}$ofld_entity$ofld_format =404;",
        '    add_header Vary "Accept, Accept-Language" always;',
        *indented(entity_headers),
        *indented(_nginx_headers()),
        "}",
        f"location ~ {_nginx_str(rf'^{rpath}graph/{SLUG}(?:{twin_suffixes()})$')} {{",
        "    try_files $uri =404;",
        *indented(entity_headers),
        *indented(_nginx_headers()),
        "}",
    ]
    return body


def _nginx_types(site: Site) -> list[str]:
    """A types block replaces the inherited one: every type the publication has, and the
    charset of the textual ones."""
    charset_types = sorted(
        {media.split(";")[0] for _, media in site.types + site.bare_files if "charset=" in media}
    )
    return [
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
    ]


def _nginx_exact(uri: str, first: str, more: Sequence[str] = ()) -> list[str]:
    """An exact location; one that sets a header repeats the common ones (nginx inherits
    `add_header` only into locations that have none)."""
    if not more or not any(line.startswith("add_header") for line in more):
        return [f"location = {uri} {{ {' '.join([first, *more])} }}"]
    return [
        f"location = {uri} {{",
        f"    {first}",
        *indented(more),
        *indented(_nginx_headers()),
        "}",
    ]


def _nginx_headers() -> list[str]:
    return [f"add_header {name} {_nginx_str(value)} always;" for name, value in HEADERS]


def _nginx_format(value: str) -> str:
    return "$ofld_html" if value == "html" else value


def _nginx_str(value: str) -> str:
    """A quoted nginx string. nginx reads a backslash before a quote, a backslash, t, n or r as
    an escape and keeps any other as it is: only those are doubled, so the regular expressions
    read as they are."""
    escaped = re.sub(r"\\(?=[\\\"'tnr]|$)", r"\\\\", value)
    return '"' + escaped.replace('"', '\\"') + '"'
