"""The Apache `.htaccess` (mod_rewrite, mod_headers, mod_mime)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from openforum_ld.i18n import DEFAULT_LANGUAGE, LANGUAGES
from openforum_ld.publish.rewrites.rules import (
    ALIASES,
    ENTITY_PLACEHOLDER,
    HEADERS,
    HIDDEN,
    LIMITS,
    NAME,
    RELEASE,
    RESOURCE,
    SLUG,
    Site,
    comment_lines,
    format_rules,
    html_suffixes,
    language_rules,
    link_header,
    offer_value,
    page_suffix,
    page_translations,
    regex_literal,
    twin_suffixes,
)
from openforum_ld.views.offers import ENTITY_OFFERS
from openforum_ld.views.retired import URI_POLICY

if TYPE_CHECKING:
    from collections.abc import Iterable


def htaccess(site: Site) -> str:
    path = site.path
    entity = rf"^({RESOURCE})(?:{twin_suffixes()})?$"
    iri = rf"^{RESOURCE}$"
    lines = [
        *comment_lines(
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

{LIMITS}"""
        ),
        "",
        "# MultiViews would answer entity IRIs with its own negotiation before these rules, and",
        "# mod_dir would redirect /validation to /validation/ after them (and so for the other",
        "# dataset pages).",
        "Options -MultiViews",
        "<IfModule mod_dir.c>",
        f'    <If "%{{REQUEST_URI}} =~ m#^{site.regex_path}(validation|not-in-sources)$#">',
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
        f"ErrorDocument 410 {path}410",
        "",
        *(f"Header always set {name} {_apache_str(value)}" for name, value in HEADERS),
        f"Header always set Link {_apache_str(link_header(path, '%{OFLD_ENTITY}e'))} env=OFLD_ENTITY",
        *_signpost_headers(site),
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
            for rule in reversed(language_rules())
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
        f"RewriteRule ^ - [E=OFLD_HTML:{page_suffix(DEFAULT_LANGUAGE)}]",
        *(
            line
            for code in LANGUAGES
            if code != DEFAULT_LANGUAGE
            for line in (
                f"RewriteCond %{{ENV:OFLD_LANG}} ={code}",
                f"RewriteRule ^ - [E=OFLD_HTML:{page_suffix(code)}]",
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
        "# A withdrawn IRI's tombstone or record, chosen when the request was gone, kept 410.",
        "RewriteCond %{ENV:REDIRECT_STATUS} =410",
        "RewriteCond %{ENV:REDIRECT_OFLD_NEGOTIATED} =1",
        "RewriteCond %{ENV:REDIRECT_OFLD_GONE} (.+)",
        "RewriteRule ^410$ %1 [E=OFLD_TOMBSTONE:1,E=OFLD_NEGOTIATED:1,L]",
        "RewriteCond %{ENV:REDIRECT_STATUS} =410",
        "RewriteCond %{ENV:REDIRECT_OFLD_GONE} (.+)",
        "RewriteRule ^410$ %1 [E=OFLD_TOMBSTONE:1,L]",
        "",
        "# Nothing whose name starts with a dot but .well-known/: .server/ holds the store.",
        f"RewriteRule {HIDDEN} - [R=404,L]",
        "",
        "# Variant spellings of entity names (the publication's redirect table).",
        *(
            f"RewriteRule ^id/{regex_literal(name)}({twin_suffixes()})?$ "
            f"{_apache_target(target)}$1 [R=301,NE,L]"
            for name, target in site.redirects
        ),
        "",
        "# A withdrawn IRI's twins: 410 Gone, with the twin (ErrorDocument 410), which is the",
        "# same file: not gone again when the rules run for it. The IRI itself is below.",
        *(
            line
            for name in site.withdrawn
            for line in (
                "RewriteCond %{ENV:REDIRECT_OFLD_TOMBSTONE} !=1",
                f"RewriteRule ^id/{regex_literal(name)}(?:{twin_suffixes()})$ - [E=OFLD_GONE:$0,G]",
            )
        ),
        "",
        "# The entity or graph a request is about, for the Link header (not on a redirect, as",
        "# from the server).",
        "RewriteCond %{ENV:REDIRECT_OFLD_TOMBSTONE} !=1",
        f"RewriteRule {entity} - [E=OFLD_ENTITY:$1]",
        "RewriteCond %{ENV:REDIRECT_OFLD_TOMBSTONE} !=1",
        rf"RewriteRule ^(id/{SLUG}/{NAME})(?:{twin_suffixes()})?$ - [E=OFLD_ID:$1]",
        "# The home page (and, when the rules run again, the file it was rewritten to).",
        rf"RewriteRule ^(?:index{html_suffixes()})?$ - [E=OFLD_HOME:1]",
        "",
        "# A kind, and the releases, without their slash.",
        "RewriteCond %{REQUEST_FILENAME} -d",
        f"RewriteRule ^id/({SLUG})$ {path}id/$1/ [R=301,L]",
        f"RewriteRule ^releases$ {path}releases/ [R=301,L]",
        "",
        "# ?lang= on a page asked for by its file name.",
        *(
            line
            for code, pattern in page_translations("")
            for line in (
                f"RewriteCond %{{QUERY_STRING}} (?:^|&)lang={code}(?:&|$)",
                # Per-directory rules run again on what they rewrite to: not to itself.
                *(
                    [f"RewriteCond %{{REQUEST_URI}} !{regex_literal(page_suffix(code))}$"]
                    if code != DEFAULT_LANGUAGE
                    else []
                ),
                f"RewriteRule {pattern} $1{page_suffix(code)} [L]",
            )
        ),
        "",
        "# The pages whose language is negotiated, and the aliases.",
        "RewriteRule ^$ index%{ENV:OFLD_HTML} [E=OFLD_LANGUAGE:1,L]",
        f"RewriteRule ^id/({SLUG})/$ id/$1/index%{{ENV:OFLD_HTML}} [E=OFLD_LANGUAGE:1,L]",
        "RewriteRule ^validation/?$ validation/index%{ENV:OFLD_HTML} [E=OFLD_LANGUAGE:1,L]",
        "RewriteRule ^not-in-sources/?$ not-in-sources/index%{ENV:OFLD_HTML} [E=OFLD_LANGUAGE:1,L]",
        f"RewriteRule ^{URI_POLICY}$ {URI_POLICY}%{{ENV:OFLD_HTML}} [E=OFLD_LANGUAGE:1,L]",
        f"RewriteRule ^releases/((?:{RELEASE}/)?)$ releases/$1index%{{ENV:OFLD_HTML}} "
        "[E=OFLD_LANGUAGE:1,L]",
        *(f"RewriteRule ^{regex_literal(alias)}$ {file} [L]" for alias, file in ALIASES),
        r"RewriteRule ^favicon\.ico$ static/favicon.ico [L]",
        "",
        "# Entity and graph IRIs: HTML without Accept, else the choice from Accept, else 406.",
        f"RewriteRule {iri} - [E=OFLD_FORMAT:html]",
        r"RewriteCond %{HTTP:Accept} \S",
        f"RewriteRule {iri} - [E=OFLD_FORMAT:406]",
        *(
            line
            for rule in reversed(format_rules())
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
                f"RewriteRule {iri} - [E=OFLD_FORMAT:{offer_value(offer)}]",
            )
        ),
        "RewriteCond %{ENV:OFLD_FORMAT} =406",
        f"RewriteRule {iri} - [R=406,L]",
        *(
            line
            for name in site.withdrawn
            for line in (
                "# A withdrawn IRI: 410 Gone, with the tombstone or the record negotiated.",
                "RewriteCond %{ENV:OFLD_FORMAT} =html",
                f"RewriteRule ^id/{regex_literal(name)}$ - "
                "[E=OFLD_GONE:$0%{ENV:OFLD_HTML},E=OFLD_NEGOTIATED:1,G]",
                f"RewriteRule ^id/{regex_literal(name)}$ - "
                "[E=OFLD_GONE:$0%{ENV:OFLD_FORMAT},E=OFLD_NEGOTIATED:1,G]",
            )
        ),
        "RewriteCond %{ENV:OFLD_FORMAT} =html",
        f"RewriteRule ^({RESOURCE})$ $1%{{ENV:OFLD_HTML}} [E=OFLD_NEGOTIATED:1,L]",
        f"RewriteRule ^({RESOURCE})$ $1%{{ENV:OFLD_FORMAT}} [E=OFLD_NEGOTIATED:1,L]",
        "",
        "# Any other directory: 404, as the server answers, rather than a listing or 403.",
        "RewriteCond %{REQUEST_FILENAME} -d",
        "RewriteRule ^ - [R=404,L]",
        "",
    ]
    return "\n".join(lines)


def _signpost_headers(site: Site) -> list[str]:
    """FAIR Signposting: the server's links on the home page and on entity IRIs (the licence
    included, which the server sends from its middleware); a tombstone links to the URI
    policy."""
    help_link = f'<{site.path}{URI_POLICY}>; rel="help"'
    lines = [f"Header always set Link {_apache_str(help_link)} env=REDIRECT_OFLD_TOMBSTONE"]
    if site.home_links:
        lines.append(f"Header always set Link {_apache_str(site.home_links)} env=OFLD_HOME")
    if site.entity_links:
        links = site.entity_links.replace(ENTITY_PLACEHOLDER, "%{OFLD_ID}e")
        lines.append(f"Header always append Link {_apache_str(links)} env=OFLD_ID")
    return lines


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
