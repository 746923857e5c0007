"""Our application as an ASGI app another server can import, for `bench/request_path.py`:
`granian --interface asgi ours_asgi:app` with `OURS_SITE` naming a built publication. Each
server process opens the publication and, at its start, the store for its query threads. Not
how `openforum-ld serve` runs (its supervisor forks uvicorn processes and replaces one a
runaway query retired; granian does not replace a worker that stops): only to measure what
another ASGI server does with the same application."""

from __future__ import annotations

import os
from pathlib import Path

from openforum_ld.config import Settings
from openforum_ld.publication import Publication
from openforum_ld.web.app import create_app

app = create_app(Settings.load(), Publication.open(Path(os.environ["OURS_SITE"])))
