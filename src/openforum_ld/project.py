"""A forum project folder: a directory holding `openforum.toml`, its `data/` and `sources/`.

Run inside such a folder, or anywhere below it, the commands read the forum of the folder and
its settings instead of the forum shipped with the package. The file is checked key by key so
that a mistake is reported at its line: `openforum.toml:LINE: ...`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from openforum_ld.config import LANGUAGE_TAG, RELEASE_VERSION
from openforum_ld.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

PROJECT_FILE = "openforum.toml"

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class _Key:
    """One key of openforum.toml: the setting it gives and the kind of value it takes."""

    setting: str
    kind: str  # "url", "text", "email", "release", "languages"
    help: str


#: Every key openforum.toml may hold, by its dotted name; nothing else is accepted.
PROJECT_KEYS: dict[str, _Key] = {
    "base_uri": _Key("base_uri", "url", "base URI the forum's IRIs are published under"),
    "languages": _Key(
        "languages",
        "languages",
        "the languages of the forum's data, BCP 47 tags, its main language first",
    ),
    "release": _Key("release", "release", "version of the release `build` publishes"),
    "licence.url": _Key("license", "url", "licence of the published data (an IRI)"),
    "licence.name": _Key("license_name", "text", "short name of the licence, for pages"),
    "publisher.name": _Key("publisher_name", "text", "name of the publisher"),
    "publisher.url": _Key("publisher_url", "url", "home page of the publisher"),
    "contact.email": _Key("contact_email", "email", "e-mail address of the contact point"),
    "contact.url": _Key("contact_url", "url", "web page of the contact point"),
    "contact.feedback_url": _Key(
        "feedback_url", "url", "where readers report a problem ({iri} and {title} filled in)"
    ),
}


@dataclass(frozen=True)
class Project:
    """A forum project folder and the settings its openforum.toml gives."""

    root: Path
    settings: dict[str, Any]

    @property
    def file(self) -> Path:
        """The folder's openforum.toml."""
        return self.root / PROJECT_FILE

    def directories(self, bundled: dict[str, Path]) -> dict[str, Path]:
        """The folder's own data and sources; its ontology, shapes and queries where it has
        them, else the package's (`bundled`, by setting name)."""
        chosen = {
            "data_dir": self.root / "data",
            "sources_dir": self.root / "sources",
            "site_dir": self.root / "site",
        }
        for setting, name in (
            ("ontology_dir", "ontology"),
            ("shapes_dir", "shapes"),
            ("queries_dir", "queries"),
        ):
            own = self.root / name
            chosen[setting] = own if own.is_dir() else bundled[setting]
        return chosen


def find_project(start: Path) -> Project | None:
    """The project folder holding `start`, looking upward like git; None outside any."""
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return read_project(folder)
    return None


def read_project(root: Path) -> Project:
    """The settings of root/openforum.toml, each checked; an error names the file and line."""
    path = root / PROJECT_FILE
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProjectFileError(f"cannot be read: {error}", shown) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line, column = _decode_error(str(error), text)
        raise ProjectFileError(message, shown, line, column) from None
    lines = _key_lines(text)
    settings: dict[str, Any] = {}
    for dotted, value in _flatten(document):
        line = lines.get(dotted) or lines.get(dotted.split(".")[0]) or 1
        key = PROJECT_KEYS.get(dotted)
        inside = [k.removeprefix(dotted + ".") for k in PROJECT_KEYS if k.startswith(dotted + ".")]
        if key is None and inside:
            raise ProjectFileError(
                f"{dotted} is a table: [{dotted}] with {', '.join(inside)}", shown, line
            )
        if key is None:
            raise ProjectFileError(
                f"unknown key {dotted!r}; the keys are: {', '.join(PROJECT_KEYS)}", shown, line
            )
        try:
            settings[key.setting] = _checked(dotted, key.kind, value)
        except ConfigError as error:
            raise ProjectFileError(str(error), shown, line) from None
    return Project(root, settings)


class ProjectFileError(ConfigError):
    """openforum.toml cannot be used; reported as FILE:LINE[:COLUMN]: message."""

    def __init__(
        self, message: str, path: str, line: int | None = None, column: int | None = None
    ) -> None:
        where = path + "".join(f":{n}" for n in (line, column) if n is not None)
        super().__init__(f"{where}: {message}")


def _shown(path: Path) -> str:
    """The file as its reader would name it: relative to the working directory if possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def _decode_error(text: str, document: str) -> tuple[str, int | None, int | None]:
    if text.endswith(" (at end of document)"):
        return (
            text.removesuffix(" (at end of document)") + " at the end of the file",
            len(document.splitlines()),
            None,
        )
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", text)
    if found is None:
        return text, None, None
    return text[: found.start()], int(found[1]), int(found[2])


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items = []
    for name, value in table.items():
        dotted = prefix + name
        if isinstance(value, dict) and dotted not in PROJECT_KEYS:
            items.extend(_flatten(value, dotted + "."))
        else:
            items.append((dotted, value))
    return items


_TABLE = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(r"\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """The line each dotted key (and each table) is written on; tomllib does not say."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TABLE.match(line):
            table = _dotted(header[1])
            lines.setdefault(table, number)
        elif assignment := _ASSIGNMENT.match(line):
            key = _dotted(assignment[1])
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def _dotted(written: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in written.split("."))


def _checked(key: str, kind: str, value: Any) -> Any:
    if kind == "languages":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"{key} must be a list of language tags, the main language first, "
                f'such as ["es", "en"]; got {value!r}'
            )
        for tag in value:
            if not LANGUAGE_TAG.fullmatch(tag):
                raise ConfigError(
                    f"{key}: {tag!r} is not a BCP 47 language tag (such as es, pt-BR)"
                )
        return tuple(tag.lower() for tag in value)
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be a string, got {type(value).__name__} {value!r}")
    if kind == "url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"{key} must be an absolute http(s) URL, got {value!r}")
    elif kind == "email" and not _EMAIL.fullmatch(value):
        raise ConfigError(f"{key} must be an e-mail address, got {value!r}")
    elif kind == "release" and not RELEASE_VERSION.fullmatch(value):
        raise ConfigError(f"{key} must be a version such as 2026.1 or 2026.1.2, got {value!r}")
    return value
