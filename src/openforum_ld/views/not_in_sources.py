"""The "not in the sources" page: what a reader might look for about each forum and its source
texts do not say, so the data does not say it either. The data states the list itself
(`ofo:notInSources` on the forum), so the page, the dumps and SPARQL all give the same one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import OFO
from openforum_ld.views.overview import Entry
from openforum_ld.views.pages import Page

if TYPE_CHECKING:
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls

#: Where the build writes the page (in the main language; `.fr.html` beside it).
NOT_IN_SOURCES_PATH = "not-in-sources/index.html"


@dataclass(frozen=True)
class ForumGaps:
    """One forum and what its sources leave out, in the reader's language."""

    forum: Entry
    items: tuple[str, ...]
    language: str


def not_in_sources(ctx: ViewContext, language: str) -> list[ForumGaps]:
    """Each forum with what its sources do not say, in `language` (else in the forum's main
    language, else in any)."""
    rows = ctx.store.select(
        f"SELECT ?forum ?item WHERE {{ ?forum a ofo:Forum ; <{OFO}notInSources> ?item }}"
    )
    by_forum: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        item = row["item"]
        assert isinstance(item, ox.Literal)
        by_forum.setdefault(row["forum"].value, {}).setdefault(item.language or "", []).append(
            item.value
        )
    labels = ctx.describer.labels(list(by_forum), language)
    found = []
    for forum in sorted(by_forum):
        texts = by_forum[forum]
        # The reader's language, else the forum's main language, else any it is written in.
        candidates = (language, ctx.manifest.languages[0], *sorted(texts))
        shown = next(c for c in candidates if c in texts)
        label, label_language = labels.get(forum, (forum, None))
        found.append(
            ForumGaps(
                Entry(forum, label, label_language),
                tuple(sorted(texts.get(shown, []), key=str.casefold)),
                shown,
            )
        )
    return found


def not_in_sources_page(ctx: ViewContext, urls: Urls, language: str) -> Page:
    """The "not in the sources" page in `language`, with the source documents it is about."""
    documents = [
        row["d"].value
        for row in ctx.store.select("SELECT ?d WHERE { ?d a ofo:SourceDocument } ORDER BY ?d")
    ]
    labels = ctx.describer.labels(documents, language)
    return Page(
        "not_in_sources.html",
        {
            "forums": not_in_sources(ctx, language),
            "documents": [Entry(d, *labels.get(d, (d, None))) for d in documents],
        },
    )
