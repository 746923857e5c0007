"""The bare ASGI apps `bench/request_path.py` measures our server against: what the same ASGI
server can do with nothing of ours in the way.

- `pages`: the bytes of a cached entity page, status, headers and body as our server sent
  them, from memory (HTML unless the request's Accept names Turtle); `BARE_PAGES` names the
  JSON file `request_path.py` wrote them to.
- `query`: the body of a POST run as a SPARQL query on the publication's store, opened
  read-only in this process (`BARE_STORE`), its results serialized as SPARQL JSON, in the
  event loop's thread: no time limit, no worker, nothing but pyoxigraph.

Run by `uvicorn bare_apps:pages` (or granian) with `--app-dir bench`; not part of the package.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox

Scope = dict[str, Any]


def _load_pages() -> dict[str, tuple[int, list[tuple[bytes, bytes]], bytes]]:
    path = os.environ.get("BARE_PAGES")
    if not path:
        return {}
    stored = json.loads(Path(path).read_text())
    return {
        kind: (
            page["status"],
            [(name.encode("latin-1"), value.encode("latin-1")) for name, value in page["headers"]],
            base64.b64decode(page["body"]),
        )
        for kind, page in stored.items()
    }


_PAGES = _load_pages()


async def pages(scope: Scope, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    kind = "html"
    for name, value in scope["headers"]:
        if name == b"accept" and b"turtle" in value:
            kind = "ttl"
    status, headers, body = _PAGES[kind]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_STORE_PATH = os.environ.get("BARE_STORE")
_STORE = ox.Store.read_only(_STORE_PATH) if _STORE_PATH else None
_JSON_HEADERS = [(b"content-type", b"application/sparql-results+json")]


async def query(scope: Scope, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    assert _STORE is not None
    results = _STORE.query(body.decode("utf-8"))
    assert isinstance(results, ox.QuerySolutions)
    data = results.serialize(format=ox.QueryResultsFormat.JSON)
    await send({"type": "http.response.start", "status": 200, "headers": _JSON_HEADERS})
    await send({"type": "http.response.body", "body": data})
