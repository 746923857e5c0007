"""What a person was at each forum, and what they did there, for the person's page.

A title, a post or a membership holds at the forum whose document states it: the graph a
statement sits in derives from a section of a document, and the document is about one forum.
Talks, moderated sections and statements belong to the forum they were given at (a talk's
section's forum; a statement's talk, or the forum itself for what its moderator said)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.views.overview import Entry

if TYPE_CHECKING:
    from openforum_ld.views.describe import Describer

# Each kind of thing the section shows, and the pattern that binds it to ?value and ?forum for
# the person <{person}>. Titles and posts come from the graphs of the forum's documents; talks,
# moderation and statements from the agenda.
_PATTERNS: dict[str, str] = {
    "titles": """GRAPH ?g {{ <{person}> schema:jobTitle ?value }}
                 ?g prov:wasDerivedFrom ?document .
                 ?document a ofo:SourceDocument ; schema:about ?forum .""",
    "posts": """GRAPH ?g {{ <{person}> org:holds ?value }}
                ?g prov:wasDerivedFrom ?document .
                ?document a ofo:SourceDocument ; schema:about ?forum .""",
    "memberships": """GRAPH ?g {{ ?membership org:member <{person}> ; org:organization ?value }}
                      ?g prov:wasDerivedFrom ?document .
                      ?document a ofo:SourceDocument ; schema:about ?forum .""",
    "talks": """?value schema:performer <{person}> ; schema:superEvent/schema:superEvent ?forum .""",
    "moderated": """?forum ofo:moderator <{person}> . BIND(?forum AS ?value)""",
    "moderated_sessions": """?value a ofo:AgendaSection ; ofo:moderator <{person}> ;
                                    schema:superEvent ?forum .""",
    "statements": """?value ofo:statedBy <{person}> ; ofo:statedIn ?where .
                     ?where (schema:superEvent)* ?forum .""",
}


@dataclass
class AtForum:
    """A person at one forum: the titles the forum's documents give them, their posts and
    memberships there, their talks, and what they said."""

    forum: Entry
    date: str | None
    titles: list[tuple[str, str | None]] = field(default_factory=list)  # (text, language)
    posts: list[Entry] = field(default_factory=list)
    memberships: list[Entry] = field(default_factory=list)
    talks: list[Entry] = field(default_factory=list)
    moderated: bool = False
    moderated_sessions: list[Entry] = field(default_factory=list)
    statements: list[Entry] = field(default_factory=list)


def at_each_forum(describer: Describer, person: str, language: str) -> list[AtForum]:
    """The forums `person` took part in, earliest first, with what they were and did at each."""
    # The forum's type is checked in each branch: joined after the union, it led pyoxigraph to
    # run the union once per forum of the data (40 ms a person at 1M triples, 1 ms this way).
    union = " UNION ".join(
        f'{{ {pattern.format(person=person)} ?forum a ofo:Forum . BIND("{what}" AS ?what) }}'
        for what, pattern in _PATTERNS.items()
    )
    rows = describer.store.select(
        f"""SELECT DISTINCT ?forum ?date ?what ?value WHERE {{
              {union}
              OPTIONAL {{ ?forum schema:startDate ?date }}
            }}"""
    )
    iris = [
        row[v].value for row in rows for v in ("forum", "value") if isinstance(row[v], ox.NamedNode)
    ]
    labels = describer.labels(iris, language)

    def entry(iri: str) -> Entry:
        return Entry(iri, *labels.get(iri, (iri.rsplit("/", 1)[-1], None)))

    forums: dict[str, AtForum] = {}
    for row in rows:
        iri = row["forum"].value
        at = forums.get(iri)
        if at is None:
            at = forums[iri] = AtForum(entry(iri), row["date"].value if "date" in row else None)
        what, value = row["what"].value, row["value"]
        if what == "titles":
            assert isinstance(value, ox.Literal)
            at.titles.append((value.value, value.language))
        elif what == "moderated":
            at.moderated = True
        else:
            getattr(at, what).append(entry(value.value))
    for at in forums.values():
        at.titles.sort()
        for entries in (at.posts, at.memberships, at.moderated_sessions, at.talks, at.statements):
            entries.sort(key=lambda e: (e.label.lower(), e.iri))
    return sorted(forums.values(), key=lambda a: (a.date or "", a.forum.iri))
