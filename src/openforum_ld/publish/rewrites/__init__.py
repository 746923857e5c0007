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

from typing import TYPE_CHECKING

from openforum_ld.publish.rewrites.apache import htaccess
from openforum_ld.publish.rewrites.nginx import nginx_conf
from openforum_ld.publish.rewrites.rules import site_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from openforum_ld.publication import Manifest

HTACCESS = ".htaccess"
NGINX_CONF = ".nginx.conf"


def write_rewrite_rules(
    root: Path,
    base: str,
    redirects: Mapping[str, str],
    withdrawn: Iterable[str] = (),
    manifest: Manifest | None = None,
) -> list[str]:
    """Write `.htaccess` (Apache) and `.nginx.conf` (nginx) into the publication `root`, for the
    publication's `base`, its redirect table (`id/{kind}/{name}` -> canonical IRI, as in
    `.server/index.sqlite`) and its withdrawn IRIs (`id/{kind}/{name}`, answering 410 with their
    tombstone); with the `manifest`, the home page and entity IRIs send the server's FAIR
    Signposting `Link` headers too. Return the paths written, relative to `root`."""
    site = site_of(root, base, redirects, withdrawn, manifest)
    written = {HTACCESS: htaccess(site), NGINX_CONF: nginx_conf(site)}
    for name, text in written.items():
        (root / name).write_text(text, encoding="utf-8", newline="\n")
    return list(written)
