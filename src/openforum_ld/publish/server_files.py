"""`.server/`: what a server needs beside the static site, written at the end of a build. The
manifest comes last of all the build writes, so a publication without one was never finished."""

from __future__ import annotations

import gc
import itertools
from typing import TYPE_CHECKING

import pyoxigraph as ox

from openforum_ld.publication import INDEX, MANIFEST, SERVER_DIR, STORE_DIR, write_index
from openforum_ld.publish.manifest import redirect_table
from openforum_ld.views.retired import retired_iris, withdrawn
from openforum_ld.views.search import entity_labels

#: Quads handed to the bulk loader at once when the store is copied to disk.
_COPY_BATCH = 50_000

if TYPE_CHECKING:
    from pathlib import Path

    from openforum_ld.load import Dataset
    from openforum_ld.publication import Manifest


def write_server_files(root: Path, dataset: Dataset) -> tuple[dict[str, str], list[str]]:
    """Write the on-disk store and the index under `root/.server`; return the redirect table
    (path -> IRI) and the paths of the withdrawn IRIs, which the rewrite rules for static hosts
    use too."""
    server = root / SERVER_DIR
    server.mkdir(parents=True, exist_ok=True)
    copy_store(dataset.store.oxigraph, server / STORE_DIR)
    redirects, entities = redirect_table(dataset.store, dataset.iris)
    gone = [r.path for r in withdrawn(retired_iris(dataset.store, dataset.iris.base))]
    labels = entity_labels(dataset.store, dataset.iris)
    write_index(server / INDEX, redirects, entities, labels, gone)
    return redirects, gone


def write_manifest(root: Path, manifest: Manifest) -> None:
    """Write `.server/manifest.json`, the mark of a finished publication: the last file."""
    (root / SERVER_DIR / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")


def copy_store(source: ox.Store, target: Path, batch: int = _COPY_BATCH) -> None:
    """Every quad of `source` into a new on-disk store at `target`, closed when this returns.

    The bulk loader writes sorted files that the store takes in whole, rather than one
    transaction per batch; blank nodes keep their labels. It holds what it is given until it
    writes it, so it is given the quads `batch` at a time. Copying the 3.4 million quads of a
    million triples' build, side by side: 250,000 at a time took 27.6 s and 421 MB at its
    peak above the process; 100,000, 23.8 s and 127 MB; 50,000, 21.9-23.6 s and 84-117 MB;
    20,000, 26.1 s and 39 MB."""
    store = ox.Store(str(target))
    quads = source.quads_for_pattern(None, None, None, None)
    while chunk := list(itertools.islice(quads, batch)):
        store.bulk_extend(chunk)
    store.flush()
    store.optimize()
    del store
    gc.collect()  # the store is closed when its last reference goes: before anyone opens it
