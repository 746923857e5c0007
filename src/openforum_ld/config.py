"""One Settings object, one table of settings; environment variables are OPENFORUM_LD_<NAME>."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from openforum_ld.errors import ConfigError

ENV_PREFIX = "OPENFORUM_LD_"
DEFAULT_PUBLIC_BASE = "https://w3id.org/openforum/"

_PACKAGE_DIR = Path(__file__).resolve().parent
_PROJECT_DIR = _PACKAGE_DIR.parents[1]


def bundled_dir(name: str) -> Path:
    """Where a project directory (data, ontology, shapes, ...) is, in a checkout or a wheel."""
    in_checkout = _PROJECT_DIR / name
    if (_PROJECT_DIR / "pyproject.toml").is_file() and in_checkout.is_dir():
        return in_checkout
    return _PACKAGE_DIR / "_bundle" / name


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every setting of the program; the CLI, the environment and tests build one of these."""

    data_dir: Path = _setting(bundled_dir("data"), "directory of the dataset's TriG/Turtle files")
    ontology_dir: Path = _setting(
        bundled_dir("ontology"), "directory of the project ontology (Turtle files)"
    )
    shapes_dir: Path = _setting(
        bundled_dir("shapes"), "directory of the SHACL shapes (Turtle files)"
    )
    queries_dir: Path = _setting(bundled_dir("queries"), "directory of the example SPARQL queries")
    base_uri: str = _setting(DEFAULT_PUBLIC_BASE, "base URI the entity IRIs are published under")
    store_dir: Path | None = _setting(
        None, "directory of an on-disk store (default: an in-memory store)"
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_uri", normalise_base_uri(self.base_uri))

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Defaults, then OPENFORUM_LD_* environment variables, then non-None overrides."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            env = os.environ.get(ENV_PREFIX + f.name.upper())
            if env is not None and env != "":
                values[f.name] = _coerce(f.name, f.type, env)
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)


def settings_table() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for docs and --help."""
    rows = []
    for f in fields(Settings):
        default = f.default
        shown = "(in-memory)" if default is None else str(default)
        if isinstance(default, Path):
            shown = f"<project>/{default.name}"
        rows.append((ENV_PREFIX + f.name.upper(), shown, f.metadata["help"]))
    return rows


def normalise_base_uri(value: str) -> str:
    """An absolute http(s) URI ending in "/", so that relative IRIs resolve beneath it."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base URI must be an absolute http(s) URI, got {value!r}")
    if parts.query or parts.fragment:
        raise ConfigError(f"base URI must not have a query or fragment, got {value!r}")
    return value if value.endswith("/") else value + "/"


def _coerce(name: str, annotation: Any, raw: str) -> Any:
    text = str(annotation)
    if "Path" in text:
        return Path(raw)
    if "int" in text:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(
                f"{ENV_PREFIX}{name.upper()} must be an integer, got {raw!r}"
            ) from None
    if "float" in text:
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{name.upper()} must be a number, got {raw!r}") from None
    if "bool" in text:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw
