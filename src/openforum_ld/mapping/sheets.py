"""The mapping shipped with the package: sheets, their columns, and how a column key reads."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from openforum_ld.iris import NAMESPACES, XSD
from openforum_ld.rdf.jsonld import TERMS

#: What a value of each literal kind is typed as.
LITERAL_DATATYPES = {
    "date": XSD + "date",
    "year": XSD + "gYear",
    "integer": XSD + "integer",
    "string": XSD + "string",
    "language": XSD + "string",
}
VALUE_KINDS = {"text", "ref", "iri", *LITERAL_DATATYPES}
#: The keys every row may have besides its columns.
ROW_KEYS = ("id", "source", "type")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Column:
    """One column: its key, the property it states and what its values are."""

    key: str
    property: str
    value: str
    to: tuple[str, ...] = ()
    values: tuple[str, ...] = ()  # the only values it takes, when given
    language: str | None = None  # a text column's language whatever the forum's, if any


@dataclass(frozen=True)
class Sheet:
    """One sheet: the kind of its rows (None: rows whose id is an IRI), classes and columns."""

    name: str
    kind: str | None
    classes: tuple[str, ...]
    columns: tuple[Column, ...]
    #: Texts that stand in for a missing one: (property, the properties whose text fills it).
    fills: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @functools.cached_property
    def by_property(self) -> dict[str, Column]:
        return {c.property: c for c in self.columns}


@dataclass(frozen=True)
class Key:
    """A column key as written: its property, and the language or datatype it carries."""

    property: str
    language: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Mapping:
    """Every sheet, and the prefixes column keys and values may use."""

    sheets: tuple[Sheet, ...]
    prefixes: dict[str, str]
    #: The labels of generated graph descriptions: "section" and "sources", by language.
    graph_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @functools.cached_property
    def by_name(self) -> dict[str, Sheet]:
        return {s.name: s for s in self.sheets}

    @functools.cached_property
    def by_kind(self) -> dict[str, Sheet]:
        return {s.kind: s for s in self.sheets if s.kind is not None}

    @functools.cached_property
    def text_properties(self) -> frozenset[str]:
        """The properties whose context term is a language map: their values are text."""
        return frozenset(iri for iri, kind in TERMS.values() if kind == "lang")

    @functools.cached_property
    def generic(self) -> Sheet:
        """The sheet of rows no kind describes (their id is an IRI)."""
        return next(s for s in self.sheets if s.kind is None)

    def expand(self, name: str) -> str | None:
        """A context term or compact IRI as a full IRI; None when it is neither."""
        if name in TERMS:
            return TERMS[name][0]
        prefix, colon, local = name.partition(":")
        if colon and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return None

    @functools.cached_property
    def _keys_read(self) -> dict[str, Key | str]:
        return {}

    def read_key(self, key: str) -> Key | str:
        """A column key, or why it cannot be read."""
        found = self._keys_read.get(key)
        if found is None:
            found = self._keys_read[key] = self._read_key(key)
        return found

    def _read_key(self, key: str) -> Key | str:
        name, _, datatype = key.partition("^^")
        name, at, language = name.partition("@")
        prop = self.expand(name)
        if prop is None:
            return f"unknown column {key!r}: not a term of the context nor a known compact IRI"
        if at and not _LANGUAGE_TAG.match(language):
            return f"column {key!r}: {language!r} is not a language tag"
        if datatype:
            full = self.expand(datatype)
            if full is None:
                return f"column {key!r}: unknown datatype {datatype!r}"
            return Key(prop, datatype=full)
        return Key(prop, language=language or None)

    def compact(self, iri: str) -> str:
        """The shortest key for a property or class: its context term, else a compact IRI."""
        return _compact(iri, self.prefixes)


def is_language_tag(text: str) -> bool:
    return bool(_LANGUAGE_TAG.match(text))


@functools.cache
def _key_of() -> dict[str, str]:
    return {iri: key for key, (iri, _) in TERMS.items()}


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    key = _key_of().get(iri)
    if key is not None:
        return key
    for prefix, namespace in sorted(prefixes.items(), key=lambda p: -len(p[1])):
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and re.fullmatch(r"[\w.-]+", local):
            return f"{prefix}:{local}"
    return iri


def _fills_sheet(sheets: str | list[str], entry: dict[str, Any]) -> bool:
    """Whether a fill rule is for a sheet: `all` the sheets of a kind, or those listed."""
    if sheets == "all":
        return entry["kind"] is not None
    return entry["sheet"] in sheets


@functools.cache
def load_mapping() -> Mapping:
    """The mapping shipped in the package."""
    text = resources.files(__package__).joinpath("sheets.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    prefixes = {**NAMESPACES, **data.get("prefixes", {})}
    sheets = []
    for entry in data["sheets"]:
        columns = []
        for column in entry["columns"]:
            prop = TERMS[column["key"]][0] if column["key"] in TERMS else None
            if prop is None:
                prefix, _, local = column["key"].partition(":")
                prop = prefixes[prefix] + local
            assert column["value"] in VALUE_KINDS, column
            columns.append(
                Column(
                    column["key"],
                    prop,
                    column["value"],
                    tuple(column.get("to", ())),
                    tuple(column.get("values", ())),
                    column.get("language"),
                )
            )
        classes = []
        for name in entry["classes"]:
            prefix, _, local = name.partition(":")
            classes.append(prefixes[prefix] + local)
        fills = tuple(
            (TERMS[rule["key"]][0], tuple(TERMS[key][0] for key in rule["from"]))
            for rule in data.get("fill", [])
            if _fills_sheet(rule["sheets"], entry)
        )
        sheets.append(Sheet(entry["sheet"], entry["kind"], tuple(classes), tuple(columns), fills))
    return Mapping(tuple(sheets), prefixes, data.get("graph_labels", {}))
