"""The home page: the forum and its agenda, what the dataset holds, and where to get it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.views.dataset_markup import (
    citation,
    citation_line,
    dataset_markup,
    landing_page_links,
)
from openforum_ld.views.diagrams import agenda_diagram_path
from openforum_ld.views.overview import count_kinds, forums
from openforum_ld.views.pages import Page
from openforum_ld.views.source_rights import documents_rights

if TYPE_CHECKING:
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls


def home_page(ctx: ViewContext, urls: Urls, language: str) -> Page:
    """The home page in `language`: each forum's agenda as a list, and as the diagram the build
    drew of it."""
    shown = forums(ctx.describer, language)
    return Page(
        "home.html",
        {
            "forums": shown,
            "agenda_diagrams": {
                forum.forum.iri: path
                for forum in shown
                if forum.agenda
                and (path := agenda_diagram_path(ctx, forum.forum.iri, language)) is not None
            },
            "counts": count_kinds(ctx.describer),
            "dumps": ctx.manifest.dumps,
            "dataset_markup": dataset_markup(ctx),
            "signposts": landing_page_links(ctx.iris.base, ctx.manifest),
            "citation": citation_line(ctx, citation(ctx), language),
            "releases_href": urls.file("releases/index.html"),
            "documents_rights": documents_rights(ctx, language),
        },
    )
