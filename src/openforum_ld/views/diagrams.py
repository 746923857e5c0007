"""The diagrams the build draws once: each forum's agenda (sections, their talks, the talks'
speakers) and the places as a containment tree, as SVG files of the static site that the server
serves as they are. Pages show them as images; the lists on those pages say the same in text.

Every box links to its page relative to the diagram's own file (`../id/{kind}/{slug}.html`),
which the static site has and the server answers too. A diagram in another language than the
main one links to the same files with `?lang=`, which the server and the static hosts' rewrite
rules turn into the page in that language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from openforum_ld.iris import KINDS_BY_SLUG
from openforum_ld.views.svg import Column, NodeStyle, TreeNode, tree_svg
from openforum_ld.views.urls import StaticUrls

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.describe import Describer

DIAGRAM_DIR = "diagrams"
_SECTION = NodeStyle("#dceafa", "#0b57a4", bold=True)
_TALK = NodeStyle("#e3f4ee", "#0b6b57")
_SPEAKER = NodeStyle("#fdf1dc", "#9a5b00")
_PLACE = NodeStyle("#eef0f3", "#4d5661")


def _file(stem: str, language: str) -> str:
    suffix = "" if language == DEFAULT_LANGUAGE else f".{language}"
    return f"{DIAGRAM_DIR}/{stem}{suffix}.svg"


def agenda_diagram_path(ctx: ViewContext, forum: str, language: str) -> str | None:
    """Where the build writes the agenda diagram of `forum` in `language` (None for a forum
    not minted under the base, which has no page and no diagram)."""
    split = ctx.iris.split_entity(forum)
    return _file(f"agenda-{split[1]}", language) if split else None


def places_diagram_path(language: str) -> str:
    """Where the build writes the tree of places in `language`."""
    return _file("places", language)


def diagram_files(ctx: ViewContext) -> list[tuple[str, bytes]]:
    """Every diagram of the publication in every language: (path, SVG), in a fixed order."""
    files = []
    for language in LANGUAGES:
        for forum in forums_with_agenda(ctx):
            path = agenda_diagram_path(ctx, forum, language)
            assert path is not None  # the forums listed are local ones
            files.append((path, agenda_svg(ctx, forum, language, path)))
        if place_iris(ctx):
            path = places_diagram_path(language)
            files.append((path, places_svg(ctx, language, path)))
    return files


def _linker(ctx: ViewContext, path: str, language: str) -> Callable[[str], str]:
    """The link from the diagram at `path` to a resource's page in `language`."""
    urls = StaticUrls(ctx.iris, path)
    query = "" if language == DEFAULT_LANGUAGE else f"?lang={language}"

    def link(iri: str) -> str:
        return urls.resource(iri) + query

    return link


def _order(value: str) -> tuple[int, float, str]:
    """A sort key for an order number as the store gives it: numbers first, by value."""
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


# ---------------------------------------------------------------------------- the agenda


def forums_with_agenda(ctx: ViewContext) -> list[str]:
    """The forums (local ones) that have agenda sections, sorted."""
    rows = ctx.store.select(
        "SELECT DISTINCT ?forum WHERE { ?forum a ofo:Forum ; schema:subEvent ?section . "
        "?section ofo:agendaOrder ?order }"
    )
    return sorted(r["forum"].value for r in rows if ctx.iris.split_entity(r["forum"].value))


def agenda_tree(describer: Describer, forum: str, language: str) -> list[TreeNode]:
    """The sections of `forum` in agenda order, their talks in order, the talks' speakers by
    name; each once, however many order numbers or statements the store holds for it."""
    sections = describer.store.select(
        f"""SELECT ?section (MIN(?order) AS ?position) WHERE {{
              <{forum}> schema:subEvent ?section . ?section ofo:agendaOrder ?order
            }} GROUP BY ?section"""
    )
    section_iris = [r["section"].value for r in sections]
    talks = describer.store.select(
        f"""SELECT ?section ?talk (MIN(?order) AS ?position) WHERE {{
              VALUES ?section {{ {_values(section_iris)} }}
              ?section schema:subEvent ?talk . ?talk ofo:agendaOrder ?order
            }} GROUP BY ?section ?talk"""
    )
    talk_iris = sorted({r["talk"].value for r in talks})
    speakers = describer.store.select(
        f"""SELECT DISTINCT ?talk ?speaker WHERE {{
              VALUES ?talk {{ {_values(talk_iris)} }}
              ?talk schema:performer ?speaker FILTER(isIRI(?speaker))
            }}"""
    )
    labels = _labels(
        describer, [*section_iris, *talk_iris, *(r["speaker"].value for r in speakers)], language
    )
    speakers_of: dict[str, set[str]] = {}
    for row in speakers:
        speakers_of.setdefault(row["talk"].value, set()).add(row["speaker"].value)
    talks_of: dict[str, list[tuple[tuple[int, float, str], str]]] = {}
    for row in talks:
        talks_of.setdefault(row["section"].value, []).append(
            (_order(row["position"].value), row["talk"].value)
        )

    def by_label(iris: Iterable[str]) -> list[str]:
        return sorted(iris, key=lambda iri: (labels[iri].lower(), iri))

    ordered = sorted((_order(r["position"].value), r["section"].value) for r in sections)
    return [
        TreeNode(
            labels[section],
            section,
            [
                TreeNode(
                    labels[talk],
                    talk,
                    [TreeNode(labels[s], s) for s in by_label(speakers_of.get(talk, ()))],
                )
                for _, talk in sorted(talks_of.get(section, []))
            ],
        )
        for _, section in ordered
    ]


def agenda_svg(ctx: ViewContext, forum: str, language: str, path: str) -> bytes:
    """The agenda of `forum` as an SVG document written at `path`."""
    t = Translator(language)
    forum_label = ctx.describer.label_of(forum, language)[0]
    roots = agenda_tree(ctx.describer, forum, language)
    columns = (
        Column(220, _SECTION, t("diagram_sections")),
        Column(370, _TALK, t("diagram_talks")),
        Column(240, _SPEAKER, t("diagram_speakers")),
    )
    return tree_svg(
        roots,
        columns,
        link=_linker(ctx, path, language),
        title=t("diagram_agenda_title", forum=forum_label),
        description=t("diagram_agenda_description"),
        language=language,
    )


# ---------------------------------------------------------------------------- the places


def place_iris(ctx: ViewContext) -> list[str]:
    """Every place of the dataset, sorted."""
    kind = KINDS_BY_SLUG["place"]
    rows = ctx.store.select(
        f"SELECT DISTINCT ?p WHERE {{ ?p a <{kind.class_iri}> "
        f'FILTER(STRSTARTS(STR(?p), "{ctx.iris.kind_prefix(kind.slug)}")) }}'
    )
    return sorted(r["p"].value for r in rows)


def place_tree(ctx: ViewContext, language: str) -> list[TreeNode]:
    """The places as trees of `schema:containedInPlace`: places in no other place are roots
    (those containing others first), children by name. A place in two places is drawn under
    both; a containment the others imply (a town in a country it is in through its region) is
    left out, and a cycle is cut where it would close."""
    places = place_iris(ctx)
    rows = ctx.store.select(
        f"""SELECT DISTINCT ?child ?parent WHERE {{
              VALUES ?child {{ {_values(places)} }} VALUES ?parent {{ {_values(places)} }}
              ?child schema:containedInPlace ?parent FILTER(?child != ?parent)
            }}"""
    )
    parents: dict[str, set[str]] = {}
    for row in rows:
        parents.setdefault(row["child"].value, set()).add(row["parent"].value)
    children: dict[str, set[str]] = {}
    for child, direct in parents.items():
        for parent in direct:
            if not any(parent in _ancestors(other, parents) for other in direct - {parent}):
                children.setdefault(parent, set()).add(child)
    labels = _labels(ctx.describer, places, language)

    def by_label(iris: Iterable[str]) -> list[str]:
        return sorted(iris, key=lambda iri: (labels[iri].lower(), iri))

    def subtree(place: str, path: frozenset[str]) -> TreeNode:
        below = [c for c in by_label(children.get(place, ())) if c not in path]
        return TreeNode(labels[place], place, [subtree(c, path | {c}) for c in below])

    roots = [p for p in places if not parents.get(p)]
    roots.sort(key=lambda p: (not children.get(p), labels[p].lower(), p))
    return [subtree(root, frozenset({root})) for root in roots]


def places_svg(ctx: ViewContext, language: str, path: str) -> bytes:
    """The tree of places as an SVG document written at `path`."""
    t = Translator(language)
    roots = place_tree(ctx, language)
    return tree_svg(
        roots,
        [Column(220, _PLACE)],
        link=_linker(ctx, path, language),
        title=t("diagram_places_title"),
        description=t("diagram_places_description"),
        language=language,
    )


# ---------------------------------------------------------------------------- helpers


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _labels(describer: Describer, iris: list[str], language: str) -> dict[str, str]:
    found = describer.labels(iris, language)
    return {iri: found.get(iri, (iri.rstrip("/").rsplit("/", 1)[-1], None))[0] for iri in iris}


def _ancestors(place: str, parents: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(parents.get(place, ()))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen
