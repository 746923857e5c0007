"""The names pages give to properties and classes, in English and French.

They come from `terms.ttl` (the reused vocabularies) and the project ontology (its Turtle files,
or the `ontology.ttl` a publication carries); a term neither names is shown by its local name,
split into words.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.iris import OFO, RDFS

if TYPE_CHECKING:
    from collections.abc import Iterable

_TERMS_FILE = Path(__file__).with_name("terms.ttl")
_LABEL = RDFS + "label"
_INVERSE = OFO + "inverseLabel"


class TermLabels:
    """Labels and inverse labels of vocabulary terms, by language."""

    def __init__(self, ontology_files: Iterable[Path] = ()) -> None:
        self._labels: dict[str, dict[str, str]] = {}
        self._inverse: dict[str, dict[str, str]] = {}
        for path in [_TERMS_FILE, *ontology_files]:
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                obj = quad.object
                if not isinstance(obj, ox.Literal) or not isinstance(quad.subject, ox.NamedNode):
                    continue
                table = {_LABEL: self._labels, _INVERSE: self._inverse}.get(quad.predicate.value)
                if table is not None:
                    table.setdefault(quad.subject.value, {})[obj.language or ""] = obj.value

    def label(self, iri: str, language: str) -> str:
        """How `iri` reads in `language` (English as a fallback)."""
        return _pick(self._labels.get(iri), language) or _local_words(iri)

    def inverse_label(self, iri: str, language: str) -> str:
        """How `iri` reads from its object back to its subject."""
        found = _pick(self._inverse.get(iri), language)
        if found:
            return found
        return f"{self.label(iri, language)} (←)"


def _pick(by_language: dict[str, str] | None, language: str) -> str | None:
    if not by_language:
        return None
    for candidate in (language, "en", ""):
        if candidate in by_language:
            return by_language[candidate]
    return next(iter(by_language.values()))


def _local_words(iri: str) -> str:
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower() or iri
