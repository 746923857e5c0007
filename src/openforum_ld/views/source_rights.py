"""What is known of a source text's rights, and how to cite it, for the pages of source
documents and their sections and for the home page. The data states it on the document
(dc:rights, in words), and a section's page shows its document's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.views.source_text import published_text

if TYPE_CHECKING:
    from openforum_ld.views.context import ViewContext

DC_RIGHTS = "http://purl.org/dc/elements/1.1/rights"


@dataclass(frozen=True)
class SourceRights:
    """A source document's rights statement in the reader's language, and its citation."""

    document: str
    title: str
    title_language: str | None
    statement: str
    statement_language: str | None
    address: str | None  # where the publication keeps the text, to cite


def documents_rights(ctx: ViewContext, language: str) -> list[SourceRights]:
    """What each source document states of its rights, for the home page: the documents that
    state some, in title order; the others say nothing the page could repeat."""
    rows = ctx.store.select(
        f"SELECT DISTINCT ?document WHERE {{ ?document a ofo:SourceDocument ; <{DC_RIGHTS}> ?r }}"
    )
    found = [source_rights(ctx, row["document"].value, language) for row in rows]
    return sorted(
        (rights for rights in found if rights is not None), key=lambda r: (r.title, r.document)
    )


def source_rights(ctx: ViewContext, iri: str, language: str) -> SourceRights | None:
    """The rights of the source document `iri` is, or is a section of; None for any other
    resource, or a document that states none."""
    rows = ctx.store.select(
        f"""SELECT ?document ?rights WHERE {{
              {{ <{iri}> a ofo:SourceDocument BIND(<{iri}> AS ?document) }}
              UNION {{ <{iri}> a ofo:SourceSection ; schema:isPartOf ?document }}
              ?document <{DC_RIGHTS}> ?rights .
            }}"""
    )
    by_language: dict[str, tuple[str, ox.Literal]] = {}
    for row in rows:
        rights = row["rights"]
        assert isinstance(rights, ox.Literal)
        by_language.setdefault(rights.language or "", (row["document"].value, rights))
    chosen = (
        by_language.get(language)
        or by_language.get(ctx.describer.main_language)
        or next(iter(by_language.values()), None)
    )
    if chosen is None:
        return None
    document, statement = chosen
    title, title_language = ctx.describer.labels([document], language).get(
        document, (document, None)
    )
    text_file = published_text(ctx, document)
    return SourceRights(
        document,
        title,
        title_language,
        statement.value,
        statement.language,
        ctx.iris.base + text_file if text_file else None,
    )
