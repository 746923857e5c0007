"""The source texts, verbatim: the build copies each source document's text into the
publication (`sources/{slug}.txt`, beside the data it was read into), and a section's page quotes
its lines from there, numbered as `ofo:firstLine` and `ofo:lastLine` count them.

The texts are published as files rather than as literals in the data: they are the evidence the
statements are checked against, so a reader downloads exactly the bytes the editors read, the
dumps and SPARQL results do not carry every line of the report a second time, and the line
numbers keep meaning what they mean in the file.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.views.search import LABEL_PROPERTIES

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from openforum_ld.iris import Iris
    from openforum_ld.views.context import ViewContext
    from openforum_ld.views.describe import SourceRef

#: Where the publication keeps the source texts.
SOURCES_DIR = "sources"
# The properties that name a resource the way the texts write it (variants and misspellings
# included: each is written in the graph of the section where it occurs): search's own.
_NAMES = LABEL_PROPERTIES
# Shorter names (initials, two-letter acronyms) would be found inside other words and names.
_SHORTEST_NAME = 3


def source_file(iris: Iris, document: str) -> str | None:
    """The publication's file holding the text of a source document (`id/document/{slug}`)."""
    split = iris.split_entity(document)
    if split is None or split[0] != "document":
        return None
    return f"{SOURCES_DIR}/{split[1]}.txt"


def text_lines(text: str) -> tuple[str, ...]:
    """A text's lines as line numbers count them: split at line feeds only (str.splitlines
    also splits at form feeds and Unicode separators, which would shift the numbers)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


class SourceTexts:
    """The source texts of one publication, each read once, when a page first quotes it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lines: dict[str, tuple[str, ...] | None] = {}
        self._lock = threading.Lock()

    def lines(self, path: str) -> tuple[str, ...] | None:
        """The lines of the publication's file `path` (`sources/....txt`); None when the build
        had no text for that document."""
        with self._lock:
            if path not in self._lines:
                try:
                    text = (self.root / path).read_text(encoding="utf-8")
                except FileNotFoundError:
                    self._lines[path] = None
                else:
                    self._lines[path] = text_lines(text)
            return self._lines[path]


@dataclass(frozen=True)
class SourceLine:
    """One line of a source text, with its number in the file."""

    number: int
    text: str

    @property
    def anchor(self) -> str:
        """The fragment identifier of the line on its section's page."""
        return line_anchor(self.number)


@dataclass(frozen=True)
class SectionText:
    """The lines of a source section, as the file has them."""

    file: str
    first: int
    last: int
    lines: tuple[SourceLine, ...]
    language: str  # the document's schema:inLanguage, else the forum's main language


def line_anchor(number: int) -> str:
    """`L123`: the id of a line on a section's page."""
    return f"L{number}"


def published_text(ctx: ViewContext, document: str) -> str | None:
    """The publication's file holding a source document's text, if the build had it."""
    path = source_file(ctx.iris, document)
    if path is None or ctx.texts is None or ctx.texts.lines(path) is None:
        return None
    return path


def section_text(ctx: ViewContext, section: str) -> SectionText | None:
    """The verbatim text of a section that has a line range in a document with a published
    text; None for any other resource."""
    rows = ctx.store.select(
        f"""SELECT ?document ?first ?last ?language WHERE {{
              <{section}> a ofo:SourceSection ; schema:isPartOf ?document ;
                ofo:firstLine ?first ; ofo:lastLine ?last .
              OPTIONAL {{ ?document schema:inLanguage ?language FILTER(isLiteral(?language)) }}
            }} ORDER BY ?language LIMIT 1"""
    )
    if not rows or ctx.texts is None:
        return None
    path = source_file(ctx.iris, rows[0]["document"].value)
    if path is None:
        return None
    first, last = int(rows[0]["first"].value), int(rows[0]["last"].value)
    lines = ctx.texts.lines(path)
    if lines is None:
        return None
    return SectionText(
        path,
        first,
        last,
        tuple(SourceLine(n, lines[n - 1]) for n in range(first, min(last, len(lines)) + 1)),
        rows[0]["language"].value if "language" in rows[0] else ctx.describer.main_language,
    )


def mention_anchors(ctx: ViewContext, iri: str, sources: Iterable[SourceRef]) -> dict[str, str]:
    """For each section that has a text, the anchor of the first of its lines that names the
    resource (a label, variant or misspelling of it, as a whole word, case and spacing aside).
    A section where no single line names it (a name broken over two lines, or only implied) is
    left out: links to it go to its first line."""
    if ctx.texts is None:
        return {}
    pattern = name_patterns(ctx, [iri]).get(iri)
    if pattern is None:
        return {}
    anchors = {}
    for source in sources:
        path = source_file(ctx.iris, source.document)
        lines = ctx.texts.lines(path) if path is not None else None
        if lines is None or source.first_line is None or source.last_line is None:
            continue
        for number in range(source.first_line, min(source.last_line, len(lines)) + 1):
            if pattern.search(lines[number - 1]):
                anchors[source.section] = line_anchor(number)
                break
    return anchors


def naming_lines(ctx: ViewContext, text: SectionText, iris: Iterable[str]) -> dict[str, SourceLine]:
    """For each resource, the first line of the section's text that names it, if one does."""
    found = {}
    for iri, pattern in name_patterns(ctx, iris).items():
        for line in text.lines:
            if pattern.search(line.text):
                found[iri] = line
                break
    return found


def name_patterns(ctx: ViewContext, iris: Iterable[str]) -> dict[str, re.Pattern[str]]:
    """For each resource with a name of at least three characters, a regular expression that
    finds any of its names as whole words, case and spacing aside, the longest first."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    properties = ", ".join(f"<{p}>" for p in _NAMES)
    values = " ".join(f"<{iri}>" for iri in wanted)
    rows = ctx.store.select(
        f"SELECT DISTINCT ?s ?name WHERE {{ VALUES ?s {{ {values} }} "
        f"?s ?p ?name FILTER(?p IN ({properties}) && isLiteral(?name)) }}"
    )
    names: dict[str, set[str]] = {}
    for row in rows:
        name = " ".join(row["name"].value.split())
        if len(name) >= _SHORTEST_NAME:
            names.setdefault(row["s"].value, set()).add(name)
    return {
        iri: re.compile(
            "|".join(
                r"(?<!\w)" + r"\s+".join(re.escape(word) for word in name.split()) + r"(?!\w)"
                for name in sorted(found, key=lambda n: (-len(n), n))
            ),
            re.IGNORECASE,
        )
        for iri, found in names.items()
    }
