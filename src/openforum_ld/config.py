"""One Settings object, one table of settings; environment variables are OPENFORUM_LD_<NAME>."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from openforum_ld.errors import ConfigError

ENV_PREFIX = "OPENFORUM_LD_"
DEFAULT_PUBLIC_BASE = "https://w3id.org/openforum/"
#: The publisher a publication names when its operator names none; it says so where it shows.
DEFAULT_PUBLISHER = "openforum-ld"
#: A language tag of BCP 47 (RFC 5646): language, script, region, variants, extensions, private use.
LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+",
    re.IGNORECASE,
)
#: A release's version: numbers a path, an IRI and a sort all read alike (2026.1, 2026.1.2).
RELEASE_VERSION = re.compile(r"(0|[1-9][0-9]{0,8})(\.(0|[1-9][0-9]{0,8})){1,2}")

_PACKAGE_DIR = Path(__file__).resolve().parent
_PROJECT_DIR = _PACKAGE_DIR.parents[1]
_DEFAULT_CACHE_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "openforum-ld"
)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, on Linux), at least one."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
    sources_dir: Path = _setting(
        bundled_dir("sources"), "directory of the source texts the data cites by line"
    )
    base_uri: str = _setting(DEFAULT_PUBLIC_BASE, "base URI the entity IRIs are published under")
    store_dir: Path | None = _setting(
        None, "directory of an on-disk store (default: an in-memory store)"
    )
    site_dir: Path = _setting(Path("site"), "directory `build` writes the publication into")
    dataset_name: str = _setting("openforum", "file name of the dumps (dumps/<name>.ttl, ...)")
    license: str = _setting(
        "https://creativecommons.org/licenses/by/4.0/", "licence of the published data (an IRI)"
    )
    license_name: str = _setting("CC BY 4.0", "short name of the licence, for pages")
    publisher_name: str = _setting(
        DEFAULT_PUBLISHER, "name of the publisher, in the DCAT catalog and on the pages"
    )
    publisher_url: str = _setting("", "home page of the publisher (default: the base URI)")
    creator_name: str = _setting(
        "", "the editors of the data, as the catalog's dct:creator (default: the publisher)"
    )
    accrual_periodicity: str = _setting(
        "IRREG",
        "how often the data is updated, a code of the EU frequency table (IRREG: when the "
        "editors correct or add to it)",
    )
    data_themes: str = _setting(
        "GOVE", "EU data themes of the dataset, codes of the EU data-theme table, space-separated"
    )
    contact_email: str = _setting("", "e-mail address of the catalog's contact point")
    contact_url: str = _setting("", "web page of the contact point (default: the base URI)")
    feedback_url: str = _setting(
        "",
        "where readers report a problem, e.g. an issue tracker's new-issue URL; {iri} and {title} "
        "are filled in (default: a mail to contact_email, else no link)",
    )
    sparql_endpoint: str = _setting(
        "", "URL of the SPARQL endpoint to advertise (default: <base URI>sparql; 'none' for none)"
    )
    issued: str = _setting("", "first publication date, YYYY-MM-DD (default: the data's date)")
    release: str = _setting(
        "",
        "version of the release `build` publishes, e.g. 2026.1: its dumps are kept for good at "
        "releases/<version>/ (default: none, the data is published as unreleased)",
    )
    host: str = _setting("127.0.0.1", "address `serve` listens on")
    port: int = _setting(8000, "port `serve` listens on (0 picks a free one)")
    build_workers: int = _setting(
        0, "processes that write the build's dumps and its entity and graph pages (0: one per CPU)"
    )
    workers: int = _setting(0, "server processes (0: one per CPU, at most 4)")
    query_workers: int = _setting(
        0,
        "queries each server process runs at once, in threads or worker processes (0: one per "
        "CPU, at least 2)",
    )
    query_isolation: str = _setting(
        "threads",
        "where queries run: 'threads' of the server process, which answers 503 to a query that "
        "outlives the time limit, then stops and is replaced; or 'processes', query workers "
        "that are killed and replaced instead (a round trip to another process per query)",
    )
    cpu_affinity: str = _setting(
        "auto",
        "'on': each server process runs on its own share of the CPUs, so a query's thread and "
        "the event loop that waits for it share a CPU's caches; 'off': the system places them; "
        "'auto': on when there are at least as many server processes as CPUs",
    )
    timeout: float = _setting(30.0, "seconds a query may run before it is stopped")
    row_limit: int = _setting(10_000, "most rows (or triples) a query result returns")
    max_body: int = _setting(1_048_576, "largest request body accepted, in bytes")
    response_cache: int = _setting(
        134_217_728,
        "bytes of finished responses and SPARQL results each server process keeps (0: none)",
    )
    federation: bool = _setting(False, "let queries use SERVICE to call other endpoints")
    endpoint: str = _setting(
        "", "an existing SPARQL endpoint to query instead of the publication's store"
    )
    endpoint_default_graph: str = _setting(
        "",
        "the graph the endpoint holds the union in; a query that names no dataset is sent with "
        "it as default-graph-uri (default: <base URI>graph/union; 'none' for none)",
    )
    languages: tuple[str, ...] = _setting(
        ("en", "fr"),
        "languages of the forum's data, BCP 47 tags separated by spaces, its main language "
        "first: every entity needs a preferred label in the main language, and pages fall back "
        "to it when a label is missing in the reader's language",
    )
    cache_dir: Path = _setting(
        _DEFAULT_CACHE_DIR, "where `serve` without a publication builds one for its address"
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_uri", normalise_base_uri(self.base_uri))
        if self.issued and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.issued):
            raise ConfigError(f"issued must be a date YYYY-MM-DD, got {self.issued!r}")
        if self.release and not RELEASE_VERSION.fullmatch(self.release):
            raise ConfigError(
                f"release must be a version of two or three numbers separated by dots, "
                f"such as 2026.1 or 2026.1.2, got {self.release!r}"
            )
        if self.timeout <= 0 or self.row_limit <= 0 or self.max_body <= 0:
            raise ConfigError("timeout, row_limit and max_body must be positive")
        if self.query_isolation not in ("threads", "processes"):
            raise ConfigError(
                f"query_isolation must be 'threads' or 'processes', got {self.query_isolation!r}"
            )
        if self.cpu_affinity not in ("auto", "on", "off"):
            raise ConfigError(
                f"cpu_affinity must be 'auto', 'on' or 'off', got {self.cpu_affinity!r}"
            )
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, got {self.port}")
        if self.endpoint and urlsplit(self.endpoint).scheme not in ("http", "https"):
            raise ConfigError(f"endpoint must be an http(s) URL, got {self.endpoint!r}")
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", self.accrual_periodicity):
            raise ConfigError(
                "accrual_periodicity must be a code of the EU frequency table (e.g. IRREG), "
                f"got {self.accrual_periodicity!r}"
            )
        if not self.languages or not all(LANGUAGE_TAG.fullmatch(t) for t in self.languages):
            raise ConfigError(
                "languages must be BCP 47 language tags, the main language first, "
                f"got {' '.join(self.languages)!r}"
            )
        object.__setattr__(self, "languages", tuple(t.lower() for t in self.languages))
        if self.contact_email and "@" not in self.contact_email:
            raise ConfigError(
                f"contact_email must be an e-mail address, got {self.contact_email!r}"
            )

    @property
    def main_language(self) -> str:
        """The language every entity has a preferred label in."""
        return self.languages[0]

    def endpoint_default_graph_for(self, base: str) -> str | None:
        """The default-graph-uri sent with queries that name no dataset, if any."""
        if self.endpoint_default_graph.lower() == "none":
            return None
        return self.endpoint_default_graph or base + "graph/union"

    @property
    def publisher_is_default(self) -> bool:
        """Whether the operator left the publisher's name unset."""
        return self.publisher_name == DEFAULT_PUBLISHER

    @property
    def endpoint_url(self) -> str | None:
        """The SPARQL endpoint the publication advertises, if any."""
        if self.sparql_endpoint.lower() == "none":
            return None
        return self.sparql_endpoint or self.base_uri + "sparql"

    @classmethod
    def load(cls, *, project: bool = True, **overrides: Any) -> Settings:
        """Defaults, then the openforum.toml of the forum project folder the working directory
        is in (unless `project` is false), then OPENFORUM_LD_* environment variables, then
        non-None overrides."""
        from openforum_ld.project import find_project

        values: dict[str, Any] = {}
        found = find_project(Path.cwd()) if project else None
        if found is not None:
            bundled = {f.name: f.default for f in fields(cls) if isinstance(f.default, Path)}
            values.update(found.directories(bundled))
            values.update(found.settings)
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
        if default is False:
            shown = "off"
        elif isinstance(default, tuple):
            shown = " ".join(default)
        if default == _DEFAULT_CACHE_DIR:
            shown = "$XDG_CACHE_HOME/openforum-ld (~/.cache/openforum-ld)"
        elif isinstance(default, Path) and default.is_absolute():
            shown = f"<project>/{default.name}"
        elif default == "":
            shown = "(see description)"
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
    if "tuple" in text:
        return tuple(raw.replace(",", " ").split())
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
