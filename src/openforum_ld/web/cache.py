"""The one cache of a server process: finished responses, and SPARQL results from the second
time a query is asked, least recently used out first, within a byte budget (cachetools' LRU
cache). The publication cannot change
under a running server, so nothing kept here goes stale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache


@dataclass(frozen=True)
class _Entry:
    value: Any
    cost: int


def _cost(entry: _Entry) -> int:
    return entry.cost


class ResponseCache:
    """Values by key, each with its size in bytes; one value larger than a `share` of the budget
    is not kept, so a few large answers never push out everything else."""

    def __init__(self, capacity: int, share: int = 16, remembered: int = 65_536) -> None:
        self.capacity = capacity
        self._share = share
        self._entries: LRUCache[Any, _Entry] = LRUCache(max(capacity, 1), getsizeof=_cost)
        self._remembered = remembered
        self._asked: set[int] = set()

    def get(self, key: Any) -> Any | None:
        """The value kept for `key`, if any (it becomes the most recently used)."""
        entry = self._entries.get(key)
        return None if entry is None else entry.value

    def put(self, key: Any, value: Any, cost: int) -> None:
        """Keep `value` under `key`, unless caching is off or it is too large to be worth it."""
        if self.capacity <= 0 or cost > self.capacity // self._share:
            return
        self._entries[key] = _Entry(value, cost)

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
        self._entries[key] = _Entry(value, cost)

    @property
    def size(self) -> int:
        """The bytes kept."""
        return int(self._entries.currsize)
