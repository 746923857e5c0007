"""Texts an organizer need not type twice (the mapping's `fill` rules).

The shapes ask for a preferred label on every entity and a FOAF name on every person, while the
name is what people type. When none of an entity's rows gives a text of the filled property in
some language, the first of its source properties given in that language is copied into the
node of the row that gave it, so the statement sits in that row's graph, with its provenance,
and a result of the shapes about it points at the cell that was typed.
"""

from __future__ import annotations

from typing import Any

Node = dict[str, Any]


def fill_texts(
    nodes: list[Node], fills: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[tuple[int, str, str]]:
    """Add the filled texts to the nodes of one entity (its rows' nodes, in a fixed order); returns
    what was filled: (index of the node, filled property, the property it was filled from)."""
    filled = []
    for prop, sources in fills:
        have = {value.get("@language") for node in nodes for value in node.get(prop, [])}
        for source in sources:
            for index, node in enumerate(nodes):
                for value in list(node.get(source, [])):
                    language = value.get("@language")
                    if language is None or language in have:
                        continue
                    node.setdefault(prop, []).append(
                        {"@value": value["@value"], "@language": language}
                    )
                    have.add(language)
                    filled.append((index, prop, source))
    return filled
