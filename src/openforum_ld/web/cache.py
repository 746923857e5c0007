"""The one cache of a server process: finished responses, and SPARQL results from the second
time a query is asked, least recently used out first, within a byte budget. The publication
cannot change under a running server, so nothing kept here goes stale.

A hit is on the path of every cached page, so the cache is an ordered dict and nothing more:
two lookups a hit, where a general-purpose LRU cache took four and as many Python calls."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class _Entry:
    value: Any
    cost: int


class ResponseCache:
    """Values by key, each with its size in bytes; one value larger than a `share` of the budget
    is not kept, so a few large answers never push out everything else."""

    def __init__(self, capacity: int, share: int = 16, remembered: int = 65_536) -> None:
        self.capacity = capacity
        self._share = share
        self._entries: OrderedDict[Any, _Entry] = OrderedDict()  # least recently used first
        self._size = 0
        self._remembered = remembered
        self._asked: set[int] = set()

    def get(self, key: Any) -> Any | None:
        """The value kept for `key`, if any (it becomes the most recently used)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry.value

    def put(self, key: Any, value: Any, cost: int) -> None:
        """Keep `value` under `key`, unless caching is off or it is too large to be worth it."""
        if self.capacity <= 0 or cost > self.capacity // self._share:
            return
        self._keep(key, _Entry(value, cost))

    def put_on_repeat(self, key: Any, value: Any, cost: int) -> None:
        """Keep `value` as `put` does, but only when `key` was offered before: a stream of
        queries each asked once (a client adding a nonce, a crawler) then costs the cache
        nothing and never pushes out what is asked again and again. Only hashes of the keys
        offered are remembered, and they are forgotten all at once when there are too many."""
        if self.capacity <= 0 or cost > self.capacity // self._share:
            return
        asked = hash(key)
        if asked not in self._asked:
            if len(self._asked) >= self._remembered:
                self._asked.clear()
            self._asked.add(asked)
            return
        self._keep(key, _Entry(value, cost))

    def _keep(self, key: Any, entry: _Entry) -> None:
        entries = self._entries
        replaced = entries.pop(key, None)
        if replaced is not None:
            self._size -= replaced.cost
        entries[key] = entry
        self._size += entry.cost
        while self._size > self.capacity:
            _, dropped = entries.popitem(last=False)
            self._size -= dropped.cost

    @property
    def size(self) -> int:
        """The bytes kept."""
        return self._size
