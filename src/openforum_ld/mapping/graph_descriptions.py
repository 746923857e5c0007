"""Descriptions of the named graphs that rows name as their source and no row describes.

A forum's organizers list its documents and sections; a row whose `source` is the id of a
section is stated in that section's graph, and the graph is described here as the shipped data
describes its graphs (`data/sources.trig`): an `ofo:SourcedGraph` derived from the section and
from the document the section is part of, labelled from the section's own label. The rows of
the documents and sections name the source `sources`, the graph that holds them: it is described
too, derived from the documents, as is `editorial`, the graph of what the editors add to them. Each description is a JSON-LD node like those the rows make,
stated in `graph/sources`, so it goes through the same parser and the same shapes.
"""

from __future__ import annotations

from typing import Any

from openforum_ld.iris import PROV, SCHEMA, SKOS

#: The source of the rows of documents and sections, and the graph every description is in.
SOURCES = "sources"
#: The source of what the editors add themselves (translations, notes, labels they construct).
EDITORIAL = "editorial"

_LABEL = SKOS + "prefLabel"
_DERIVED_FROM = PROV + "wasDerivedFrom"
_PART_OF = SCHEMA + "isPartOf"
_ENTITY = PROV + "Entity"

Node = dict[str, Any]


def wording_for(language: str, wordings: dict[str, str]) -> str | None:
    """The wording of a label in a language, or in its primary language (`pt` for `pt-br`)."""
    tag = language.lower()
    return wordings.get(tag) or wordings.get(tag.split("-")[0])


def section_graph(
    graph: str,
    section: str,
    section_nodes: list[Node],
    classes: tuple[str, ...],
    wordings: dict[str, str],
) -> Node:
    """The description of the graph of `section`, from the nodes the rows made of the section:
    derived from it and from its document, and labelled in each language the section is."""
    documents = sorted(
        {
            value["@id"]
            for node in section_nodes
            for value in node.get(_PART_OF, [])
            if "@id" in value
        }
    )
    labels = {}
    for node in section_nodes:
        for value in node.get(_LABEL, []):
            language = value.get("@language")
            if language is None or language in labels:
                continue
            wording = wording_for(language, wordings) or "{section}"
            labels[language] = wording.format(section=value["@value"])
    return {
        "@id": graph,
        "@type": list(classes),
        _DERIVED_FROM: [{"@id": section}, *({"@id": d} for d in documents)],
        _LABEL: [{"@value": text, "@language": lang} for lang, text in sorted(labels.items())],
    }


def sources_graph(
    graph: str, documents: list[str], languages: tuple[str, ...], wordings: dict[str, str]
) -> Node:
    """The description of the graph of the documents and sections: derived from the documents
    (their titles and the line ranges of their sections are read off them), labelled in the
    forum's languages that have a wording, else in English."""
    labels = {lang: text for lang in languages if (text := wording_for(lang, wordings))}
    if not labels:
        labels = {"en": wordings["en"]}
    return {
        "@id": graph,
        "@type": [_ENTITY],
        _DERIVED_FROM: [{"@id": d} for d in sorted(set(documents))],
        _LABEL: [{"@value": text, "@language": lang} for lang, text in sorted(labels.items())],
    }
