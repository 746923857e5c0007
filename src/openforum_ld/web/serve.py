"""Starting the server: validate, build the dataset-level files, then run uvicorn."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import socket
import sys
import tempfile
from dataclasses import fields
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess

from openforum_ld import publish
from openforum_ld.config import ENV_PREFIX, Settings
from openforum_ld.errors import InvalidDataError
from openforum_ld.load import load_dataset
from openforum_ld.store import return_freed_memory
from openforum_ld.validate import validate_dataset
from openforum_ld.web.app import PUBLICATION_ENV, create_app


def default_workers() -> int:
    """One server process per CPU, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))  # the port is known (and reserved) now; it listens once data is valid
    sock.set_inheritable(True)
    return sock


def _export(settings: Settings) -> None:
    """Settings for server processes uvicorn starts: they read the environment."""
    for field in fields(Settings):
        value = getattr(settings, field.name)
        name = ENV_PREFIX + field.name.upper()
        if value is None:
            os.environ.pop(name, None)
        elif isinstance(value, bool):
            os.environ[name] = "true" if value else "false"
        else:
            os.environ[name] = str(value)


def run_server(settings: Settings, base_uri: str | None) -> None:
    """Validate and load the data, build the files the server publishes, and serve until stopped."""
    sock = _bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    settings = settings.with_(port=port, base_uri=base_uri or f"http://{shown_host}:{port}/")
    workdir = Path(tempfile.mkdtemp(prefix="openforum-ld-serve-"))
    try:
        dataset = load_dataset(
            settings.data_dir, settings.ontology_dir, settings.base_uri, settings.store_dir
        )
        report = validate_dataset(dataset, settings.shapes_dir)
        if not report.conforms:
            raise InvalidDataError(report)
        publication = workdir / "publication"
        publish.build(settings, publication, pages=False, dataset=dataset)
        workers = settings.workers or default_workers()
        where = f"SPARQL endpoint {settings.endpoint}" if settings.endpoint else "embedded store"
        sock.listen(2048)
        print(
            f"Serving {settings.base_uri} on http://{shown_host}:{port}/ ({workers} process(es), {where})",
            flush=True,
        )
        if workers == 1:
            config = uvicorn.Config(
                create_app(settings, publication, None if settings.endpoint else dataset),
                log_level="warning",
                access_log=False,
                lifespan="on",
            )
            del dataset
            # The socket object, not its descriptor: uvicorn would wrap a bare descriptor as
            # AF_UNIX, and the event loop then leaves Nagle's algorithm on for every connection,
            # which costs a delayed-ACK wait (~40 ms) per keep-alive response.
            uvicorn.Server(config).run(sockets=[sock])
        else:
            del dataset
            gc.collect()  # an on-disk store must be closed before the workers open it read-only
            # The supervisor only watches the server processes, which load the data themselves:
            # what it held goes back to the system (a gigabyte at a million triples).
            return_freed_memory()
            _export(settings)
            os.environ[PUBLICATION_ENV] = str(publication)
            config = uvicorn.Config(
                "openforum_ld.web.app:create_app_from_environment",
                factory=True,
                workers=workers,
                log_level="warning",
                access_log=False,
                lifespan="on",
            )
            Multiprocess(config, sockets=[sock]).run()
    finally:
        with contextlib.suppress(OSError):
            sock.close()
        shutil.rmtree(workdir, ignore_errors=True)
        sys.stdout.flush()
