"""The forum's languages put into the shapes: a constraint marked `ofsh:forumLanguage N` is
written for the shipped forum (English first, French second) and asks, once put in, for the
Nth language of the forum being validated; with fewer languages than N it is deactivated. The
shapes' comments name those languages as their messages do, by tag in quotes and brackets
(`("en")`), and are rewritten alike, so that what the pages say a shape checks is what it
checks; a tag of a language the forum does not have is left out."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import rdflib
import rdflib.collection
from rdflib.namespace import RDFS, SH

if TYPE_CHECKING:
    from collections.abc import Sequence

FORUM_LANGUAGE = rdflib.URIRef("https://w3id.org/openforum/shapes#forumLanguage")
# The shipped shapes name the shipped forum's languages in constraints and their messages.
_WRITTEN_FOR = ("en", "fr")
_TAG_IN_COMMENT = re.compile(r' \("(' + "|".join(_WRITTEN_FOR) + r')"\)')


def put_in_forum_languages(shapes: rdflib.Graph, languages: Sequence[str]) -> None:
    """Rewrite, in place, every constraint marked with ofsh:forumLanguage for `languages`."""
    if tuple(languages[:2]) == _WRITTEN_FOR:
        return
    _put_in_comments(shapes, languages)
    for constraint, position in list(shapes.subject_objects(FORUM_LANGUAGE)):
        assert isinstance(position, rdflib.Literal)
        index = int(position.toPython()) - 1
        written = _WRITTEN_FOR[index]
        if index >= len(languages):
            shapes.add((constraint, SH.deactivated, rdflib.Literal(True)))
            continue
        wanted = languages[index]
        for holder in (constraint, *shapes.objects(constraint, SH.qualifiedValueShape)):
            for head in list(shapes.objects(holder, SH.languageIn)):
                # The old list stays behind, unreferenced: nothing reads a list by itself.
                shapes.remove((holder, SH.languageIn, head))
                new_head = rdflib.BNode()
                rdflib.collection.Collection(shapes, new_head, [rdflib.Literal(wanted)])
                shapes.add((holder, SH.languageIn, new_head))
        for predicate in (SH.select, SH.message):
            for text in list(shapes.objects(constraint, predicate)):
                assert isinstance(text, rdflib.Literal)
                changed = re.sub(rf'"{written}"', f'"{wanted}"', str(text))
                shapes.remove((constraint, predicate, text))
                shapes.add((constraint, predicate, rdflib.Literal(changed, lang=text.language)))


def _put_in_comments(shapes: rdflib.Graph, languages: Sequence[str]) -> None:
    """Rewrite, in place, the tags the shapes' comments name for `languages`, all at once (a
    forum whose languages are French then English swaps them)."""

    def put_in(match: re.Match[str]) -> str:
        index = _WRITTEN_FOR.index(match.group(1))
        return f' ("{languages[index]}")' if index < len(languages) else ""

    for shape, comment in list(shapes.subject_objects(RDFS.comment)):
        if not isinstance(comment, rdflib.Literal):
            continue
        changed = _TAG_IN_COMMENT.sub(put_in, str(comment))
        if changed != str(comment):
            shapes.remove((shape, RDFS.comment, comment))
            shapes.add((shape, RDFS.comment, rdflib.Literal(changed, lang=comment.language)))
