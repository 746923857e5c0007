"""The publication `serve` without SITE serves: built for the server's own address into the
cache directory, under a key of everything the build reads, and built again only when one of
those changes. The build runs in a process of its own, so the server's processes never hold
what building takes (the rdflib copy pyshacl validates, the store being written)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import fields
from typing import TYPE_CHECKING

from openforum_ld import __version__
from openforum_ld.config import ENV_PREFIX
from openforum_ld.errors import OpenForumError, PublicationError
from openforum_ld.load import check_sources
from openforum_ld.publication import in_use, read_manifest
from openforum_ld.validate import load_shapes

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.config import Settings

#: Settings a build reads besides its directories.
_BUILD_SETTINGS = (
    "dataset_name",
    "license",
    "license_name",
    "publisher_name",
    "publisher_url",
    "contact_email",
    "contact_url",
    "creator_name",
    "accrual_periodicity",
    "data_themes",
    "sparql_endpoint",
    "issued",
    "release",
    "feedback_url",
    "languages",
)
_DIRECTORIES = ("data_dir", "ontology_dir", "shapes_dir", "queries_dir", "sources_dir")
#: Publications kept in the cache besides the one being served.
_KEPT = 3


class BuildFailedError(OpenForumError):
    """The build `serve` ran did not make a publication; it has said why, so nothing more is
    printed."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def inputs_key(settings: Settings, base: str) -> str:
    """A hash of what the build reads: the files of its directories, the base, the settings it
    uses, SOURCE_DATE_EPOCH and the program's version."""
    digest = hashlib.sha256(f"openforum-ld {__version__}\n{base}\n".encode())
    digest.update(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for name in _BUILD_SETTINGS:
        digest.update(f"{name}={getattr(settings, name)}\n".encode())
    for name in _DIRECTORIES:
        directory = getattr(settings, name)
        digest.update(f"[{name}]\n".encode())
        if not directory.is_dir():
            continue
        for path in sorted(p for p in directory.iterdir() if p.is_file()):
            digest.update(path.name.encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


def cached_publication(settings: Settings, base: str) -> Path:
    """The path of a finished publication of the inputs for `base`, built now if needed, with
    the build's progress on standard error."""
    publications = settings.cache_dir / "publications"
    path = publications / inputs_key(settings, base) / "site"
    try:
        read_manifest(path)
    except PublicationError:
        _build(settings, base, path)
    _forget_old(publications, keep=path.parent)
    return path


def _build(settings: Settings, base: str, path: Path) -> None:
    # A file that cannot be read or parsed is reported here, in one line, before a build starts.
    check_sources(
        settings.data_dir, settings.ontology_dir, base, settings.sources_dir, settings.languages
    )
    load_shapes(settings.shapes_dir)
    if sys.stderr.isatty():
        print(f"Building the publication for {base} in {path}", file=sys.stderr, flush=True)
    env = dict(os.environ)
    for field in fields(settings):
        value = getattr(settings, field.name)
        if value is not None and field.name in (*_BUILD_SETTINGS, *_DIRECTORIES):
            shown = " ".join(value) if isinstance(value, tuple) else str(value)
            env[ENV_PREFIX + field.name.upper()] = shown
    path.parent.mkdir(parents=True, exist_ok=True)
    # The progress bar goes to standard error as it comes. What the build prints on standard
    # output (its summary, or the validation report) is held: standard output's first line
    # says where the server listens, so a summary goes to standard error; a report of invalid
    # data goes where `build` prints it, since nothing will be served.
    done = subprocess.run(
        [sys.executable, "-m", "openforum_ld", "build", "--out", str(path), "--base-uri", base],
        env=env,
        stdout=subprocess.PIPE,
        check=False,
    )
    if done.returncode != 0:
        sys.stdout.buffer.write(done.stdout)
        sys.stdout.flush()
        raise BuildFailedError("the publication could not be built", done.returncode)
    if sys.stderr.isatty():
        sys.stderr.buffer.write(done.stdout)
        sys.stderr.flush()


def _forget_old(publications: Path, keep: Path) -> None:
    """Remove all but the most recent publications of the cache that no server reads."""
    others = sorted(
        (p for p in publications.iterdir() if p.is_dir() and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[_KEPT:]:
        if not in_use(old / "site"):
            shutil.rmtree(old, ignore_errors=True)
