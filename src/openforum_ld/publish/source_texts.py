"""The source texts the data was read from, copied into the publication so that section pages
quote them and readers can download them: the server reads only the publication."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openforum_ld.errors import PublishError
from openforum_ld.views.source_text import SOURCES_DIR, source_file, text_lines

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.iris import Iris
    from openforum_ld.store import SparqlStore


def read_source_texts(store: SparqlStore, iris: Iris, sources_dir: Path) -> dict[str, bytes]:
    """The text of every source document whose sections have line ranges, by its path in the
    publication (`sources/{slug}.txt`), read from `sources_dir/{slug}.txt`.

    A document with no file there is published without its text (its sections' pages show
    none); a file shorter than a section's line range is an error, since the lines the data
    cites would not be the lines it was read from."""
    rows = store.select(
        """SELECT ?document (MAX(?last) AS ?end) WHERE {
             ?section a ofo:SourceSection ; schema:isPartOf ?document ; ofo:lastLine ?last .
           } GROUP BY ?document ORDER BY ?document"""
    )
    texts: dict[str, bytes] = {}
    for row in rows:
        document = row["document"].value
        path = source_file(iris, document)
        if path is None:
            continue
        file = sources_dir / path.removeprefix(f"{SOURCES_DIR}/")
        if not file.is_file():
            continue
        content = file.read_bytes()
        try:
            lines = text_lines(content.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise PublishError(f"{file} is not UTF-8 text (byte {error.start})") from None
        end = int(row["end"].value)
        if end > len(lines):
            raise PublishError(
                f"{file} has {len(lines)} lines, but a section of <{document}> ends at line "
                f"{end}: the data cites lines its source text does not have"
            )
        texts[path] = content
    return texts
