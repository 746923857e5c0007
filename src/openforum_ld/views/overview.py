"""The dataset as a whole, read from the store: counts per kind, the forums and their agenda,
and the members of a kind, for the home page and the class listings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import KINDS, KINDS_BY_SLUG, Kind
from openforum_ld.views.describe import PAGE_SIZE

if TYPE_CHECKING:
    from openforum_ld.views.describe import Describer


@dataclass(frozen=True)
class KindCount:
    """How many resources of a kind the dataset holds."""

    kind: Kind
    count: int


@dataclass(frozen=True)
class Entry:
    """A resource in a list: its IRI and label."""

    iri: str
    label: str
    language: str | None


@dataclass(frozen=True)
class AgendaTalk:
    """A talk in the agenda, with its speakers."""

    talk: Entry
    speakers: tuple[Entry, ...]


@dataclass(frozen=True)
class AgendaSection:
    """A section of the agenda, with its talks in order."""

    section: Entry
    talks: tuple[AgendaTalk, ...]


@dataclass(frozen=True)
class Text:
    """A text and the language it is in (None when it has no language tag)."""

    text: str
    language: str | None


@dataclass
class ForumOverview:
    """A forum as the home page presents it."""

    forum: Entry
    date: str | None
    descriptions: list[Text] = field(default_factory=list)  # in one language
    agenda: list[AgendaSection] = field(default_factory=list)


@dataclass(frozen=True)
class Listing:
    """One page of the resources of a kind."""

    kind: Kind
    count: int
    page: int
    entries: tuple[Entry, ...]

    @property
    def pages(self) -> int:
        """How many pages the kind fills."""
        return max(1, math.ceil(self.count / PAGE_SIZE))


def count_kinds(describer: Describer) -> list[KindCount]:
    """The number of resources of every kind the dataset holds, in the kinds' order."""
    found: dict[str, int] = {}
    for kind in KINDS:
        rows = describer.store.select(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{kind.class_iri}> "
            f'FILTER(STRSTARTS(STR(?s), "{describer.iris.kind_prefix(kind.slug)}")) }}'
        )
        found[kind.slug] = int(rows[0]["n"].value)
    return [KindCount(KINDS_BY_SLUG[slug], n) for slug, n in found.items() if n]


def list_kind(describer: Describer, kind: Kind, language: str, page: int = 1) -> Listing:
    """One page of the resources of a kind, sorted by label."""
    entries = _sorted_entries(describer, kind, language)
    pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * PAGE_SIZE
    return Listing(kind, len(entries), page, tuple(entries[start : start + PAGE_SIZE]))


def list_kind_pages(describer: Describer, kind: Kind, language: str) -> list[Listing]:
    """Every page of the resources of a kind, from one query (a query a page reads the whole
    kind once per page: quadratic in its size)."""
    entries = _sorted_entries(describer, kind, language)
    pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
    return [
        Listing(kind, len(entries), page, tuple(entries[start : start + PAGE_SIZE]))
        for page, start in enumerate(range(0, pages * PAGE_SIZE, PAGE_SIZE), start=1)
    ]


def _sorted_entries(describer: Describer, kind: Kind, language: str) -> list[Entry]:
    prefix = describer.iris.kind_prefix(kind.slug)
    rows = describer.store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a <{kind.class_iri}> FILTER(STRSTARTS(STR(?s), "{prefix}")) }}'
    )
    iris = [r["s"].value for r in rows]
    labels = describer.labels(iris, language)
    return sorted(
        (Entry(iri, *labels.get(iri, (iri[len(prefix) :], None))) for iri in iris),
        key=lambda e: (e.label.lower(), e.iri),
    )


def forums(describer: Describer, language: str) -> list[ForumOverview]:
    """Every forum with its date, description and agenda, earliest first."""
    rows = describer.store.select(
        "SELECT ?f (SAMPLE(?d) AS ?date) WHERE { ?f a ofo:Forum OPTIONAL { ?f schema:startDate ?d } } "
        "GROUP BY ?f ORDER BY ?date ?f"
    )
    overviews = []
    for row in rows:
        iri = row["f"].value
        label, lang = describer.label_of(iri, language)
        overview = ForumOverview(
            Entry(iri, label, lang), row["date"].value if "date" in row else None
        )
        overview.descriptions = _descriptions(describer, iri, language)
        overview.agenda = _agenda(describer, iri, language)
        overviews.append(overview)
    return overviews


def _descriptions(describer: Describer, iri: str, language: str) -> list[Text]:
    """The forum's descriptions in one language, the one a reader of `language` reads best:
    that language, else the forum's main language, else untagged, else the first there is. A
    forum described in several paragraphs keeps them all, the longest first."""
    rows = describer.store.select(f"SELECT DISTINCT ?d WHERE {{ <{iri}> schema:description ?d }}")
    texts = []
    for row in rows:
        literal = row["d"]
        assert isinstance(literal, ox.Literal)
        texts.append(Text(literal.value, literal.language))
    texts.sort(key=lambda t: (-len(t.text), t.language or "", t.text))
    found = {text.language for text in texts}
    for candidate in (language, describer.main_language, None):
        if candidate in found:
            return [text for text in texts if text.language == candidate]
    return [text for text in texts if text.language == texts[0].language] if texts else []


def _agenda(describer: Describer, forum: str, language: str) -> list[AgendaSection]:
    rows = describer.store.select(
        f"""SELECT ?section ?sectionOrder ?talk ?talkOrder ?speaker WHERE {{
              <{forum}> schema:subEvent ?section .
              ?section ofo:agendaOrder ?sectionOrder .
              OPTIONAL {{ ?section schema:subEvent ?talk . ?talk ofo:agendaOrder ?talkOrder .
                         OPTIONAL {{ ?talk schema:performer ?speaker }} }}
            }} ORDER BY ?sectionOrder ?talkOrder ?speaker"""
    )
    iris = [r[v].value for r in rows for v in ("section", "talk", "speaker") if v in r]
    labels = describer.labels(iris, language)

    def entry(iri: str) -> Entry:
        return Entry(iri, *labels.get(iri, (iri.rsplit("/", 1)[-1], None)))

    sections: dict[str, dict[str, list[Entry]]] = {}
    for row in rows:
        talks = sections.setdefault(row["section"].value, {})
        if "talk" in row:
            speakers = talks.setdefault(row["talk"].value, [])
            if "speaker" in row:
                speakers.append(entry(row["speaker"].value))
    return [
        AgendaSection(
            entry(section), tuple(AgendaTalk(entry(t), tuple(s)) for t, s in talks.items())
        )
        for section, talks in sections.items()
    ]
