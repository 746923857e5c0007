"""The validation page: every shape, what it checks and how many resources it checked, and
whether the data conforms. Its figures are the ones the build recorded when it validated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.views.pages import Page

if TYPE_CHECKING:
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls


def validation_page(ctx: ViewContext, urls: Urls, language: str) -> Page:
    """The validation page in `language`."""
    verdict = ctx.manifest.validation
    shapes = [
        {
            "anchor": shape.anchor,
            "label": shape.label,
            "comment": shape.comment or "",
            "targets": [ctx.terms.label(target, language) for target in shape.targets],
            "nodes": shape.nodes,
        }
        for shape in ctx.manifest.shapes
    ]
    return Page(
        "validation.html",
        {
            "conforms": verdict.conforms,
            "violations": verdict.violations,
            "shapes": shapes,
            "stats": {
                "triples": verdict.triples,
                "entities": verdict.entities,
                "focus_nodes": verdict.focus_nodes,
                "value_nodes": verdict.value_nodes,
            },
            "catalog_href": urls.file("catalog.ttl"),
            "report_href": urls.file("validation/report.ttl"),
        },
    )
