"""A section's page shows its source text marked with the language the document is in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import html5lib
import pyoxigraph as ox
from click.testing import CliRunner

from openforum_ld.cli import main

from ..example_project import BASE, build

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element


def test_a_sections_text_is_marked_with_its_documents_language(tmp_path: Path) -> None:
    folder = tmp_path / "foro"
    result = CliRunner().invoke(
        main, ["init", str(folder), "--yaml", "--languages", "es,en", "--base-uri", BASE]
    )
    assert result.exit_code == 0, result.output
    site = build(folder)
    store = ox.Store()
    store.load(path=site / "dumps" / "openforum.trig", format=ox.RdfFormat.TRIG)
    rows = list(
        store.query(
            "SELECT ?section ?language WHERE { GRAPH ?g { ?section "
            "<http://schema.org/isPartOf> ?document } GRAPH ?h { ?document "
            "<http://schema.org/inLanguage> ?language } }"
        )
    )
    assert rows
    for row in rows:
        section, language = row["section"].value, row["language"].value  # type: ignore[union-attr]
        assert language == "es"  # the forum's texts are in Spanish: not the interface's English
        path = section.removeprefix(BASE)
        for page in (f"{path}.html", f"{path}.fr.html"):
            tree: Element = html5lib.parse((site / page).read_bytes(), namespaceHTMLElements=False)
            [text] = [p for p in tree.iter("pre") if p.get("class") == "source-lines"]
            assert text.get("lang") == language, page
