"""The resources of a kind, fifty a page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.iris import KINDS_BY_SLUG
from openforum_ld.views.diagrams import places_diagram_path
from openforum_ld.views.overview import Listing, list_kind, list_kind_pages
from openforum_ld.views.pages import NotFoundError, Page, kind_label

if TYPE_CHECKING:
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls


def listing_page(ctx: ViewContext, urls: Urls, language: str, kind: str, page: int = 1) -> Page:
    """One page of the resources of `kind`, by label in `language`."""
    found = KINDS_BY_SLUG.get(kind)
    if found is None:
        raise NotFoundError(f"There is no kind of resource called {kind!r}.")
    listing = list_kind(ctx.describer, found, language, page)
    if listing.count == 0:
        raise NotFoundError(f"The dataset has nothing about any resource of the kind {kind!r}.")
    if page > listing.pages:
        raise NotFoundError(f"The list of {kind} has {listing.pages} page(s).")
    return page_of(listing, language)


def listing_pages(ctx: ViewContext, kind: str, language: str) -> list[Page]:
    """Every page of the resources of `kind`, from one query, for the static site."""
    return [
        page_of(listing, language)
        for listing in list_kind_pages(ctx.describer, KINDS_BY_SLUG[kind], language)
    ]


def page_of(listing: Listing, language: str) -> Page:
    """The page showing one listing; the first page of places also shows the tree of places
    the build drew."""
    diagram = None
    if listing.kind.slug == "place" and listing.page == 1:
        diagram = places_diagram_path(language)
    return Page(
        "listing.html",
        {"listing": listing, "title": kind_label(listing.kind, language), "diagram": diagram},
    )
