"""The validation page: every shape, what it checks and how many resources it checked, and
whether the data conforms. Its figures are the ones the build recorded when it validated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.views.pages import Page

if TYPE_CHECKING:
    from openforum_ld.publication import ShapeInfo
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.urls import Urls


@dataclass(frozen=True)
class ShapeText:
    """A text of the shapes as a reader of some language gets it, and the language it is in
    (None when the shapes do not say)."""

    text: str
    language: str | None


def shape_text(by_language: dict[str, str], language: str) -> ShapeText | None:
    """The text in `language`, else in English (the shapes are written in English, and
    translated in part), else untagged, else in any language; None when there is none."""
    for candidate in (language, "en", ""):
        if candidate in by_language:
            return ShapeText(by_language[candidate], candidate or None)
    if not by_language:
        return None
    found = min(by_language)
    return ShapeText(by_language[found], found or None)


def shape_comment(shape: ShapeInfo, language: str) -> ShapeText | None:
    """What a node shape checks, in words, for a reader of `language`."""
    return shape_text(shape.comments, language) or (
        ShapeText(shape.comment, "en") if shape.comment else None
    )


def _properties(shape: ShapeInfo, language: str) -> list[tuple[ShapeText, ShapeText | None]]:
    """A shape's property shapes as (name, description) for a reader of `language`, in the
    order of the names shown, then of their descriptions (two shapes may share a name: the
    order must not depend on the order the shapes were read in)."""
    shown = [
        (name, shape_text(p.descriptions, language))
        for p in shape.properties
        if (name := shape_text(p.names, language)) is not None
    ]
    return sorted(
        shown,
        key=lambda item: (item[0].text.casefold(), item[1].text if item[1] is not None else ""),
    )


def validation_page(ctx: ViewContext, urls: Urls, language: str) -> Page:
    """The validation page in `language`: each shape's comment and its property shapes'
    names and descriptions in that language where the shapes give it, else in English, each
    marked with the language it is in."""
    verdict = ctx.manifest.validation
    shapes = [
        {
            "anchor": shape.anchor,
            "label": shape.label,
            "comment": shape_comment(shape, language),
            "properties": _properties(shape, language),
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
            "languages": ctx.manifest.languages,
            "catalog_href": urls.file("catalog.ttl"),
            "report_href": urls.file("validation/report.ttl"),
        },
    )
