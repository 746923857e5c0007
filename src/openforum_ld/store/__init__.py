"""The store: SPARQL over an embedded pyoxigraph store, in memory or on disk, and the query
results the rest of the program reads. It knows nothing of HTTP."""

from __future__ import annotations

from openforum_ld.store.embedded import (
    QueryForm,
    QueryResult,
    SparqlStore,
    Store,
    Term,
    Value,
    process_running,
    return_freed_memory,
)

__all__ = [
    "QueryForm",
    "QueryResult",
    "SparqlStore",
    "Store",
    "Term",
    "Value",
    "process_running",
    "return_freed_memory",
]
