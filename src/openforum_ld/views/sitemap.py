"""The site map and robots.txt: the canonical address of every page a crawler should see."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from openforum_ld.views.overview import count_kinds
from openforum_ld.views.retired import URI_POLICY

if TYPE_CHECKING:
    from openforum_ld.views.context import ViewContext


def sitemap_xml(ctx: ViewContext) -> bytes:
    """The home page, the URI policy, every listing, every entity IRI and every named graph,
    dated with the publication; the releases' page, and each release's, dated with the
    release."""
    base = ctx.iris.base
    rows = ctx.store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{base}id/")) }}'
    )
    entities = [r["s"].value for r in rows if ctx.iris.split_entity(r["s"].value)]
    listings = [f"{base}id/{count.kind.slug}/" for count in count_kinds(ctx.describer)]
    graphs = sorted(g for g in ctx.manifest.graphs if g.startswith(base + "graph/"))
    addresses = [base, base + URI_POLICY, *listings, *sorted(set(entities)), *graphs]
    date = ctx.manifest.date
    dated = [(address, date) for address in [*addresses, base + "releases/"]]
    dated += [(f"{base}{r.directory}", r.date) for r in ctx.manifest.releases]
    entries = "".join(
        f"  <url><loc>{escape(address)}</loc><lastmod>{day}</lastmod></url>\n"
        for address, day in dated
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n"
    ).encode()


def robots_txt(base: str) -> bytes:
    """Everything may be crawled but the query services, which answer anything."""
    root = urlsplit(base).path or "/"
    return (
        f"User-agent: *\nAllow: {root}\nDisallow: {root}sparql\nDisallow: {root}search\n"
        f"Sitemap: {base}sitemap.xml\n"
    ).encode()
