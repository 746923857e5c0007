"""SPARQL JSON results written by pyoxigraph, stopped at the row cap.

pyoxigraph writes a whole result in Rust, for a fraction of what writing it row by row in Python
costs (the endpoint's most common answer), but it cannot stop at a row cap. So its text is
watched as it comes: a text too short to hold more than `limit` rows is kept as it is; a longer
one has its rows counted as they arrive (a standard JSON decoder, from the start of the
bindings), and once it holds more than `limit` the writing is stopped and the text cut after the
last row allowed. Memory stays what the cap allows, as it does when rows are taken one at a
time, and the query is evaluated once.
"""

from __future__ import annotations

import json
from typing import IO, cast

import pyoxigraph as ox

# The shortest row pyoxigraph writes is "{}", and a comma comes before the next: a text of
# at most this many bytes a row allowed cannot hold more rows than allowed.
_SHORTEST_ROW = 3
_BINDINGS = '"bindings":['
_ENDING = "]}}"
_decoder = json.JSONDecoder()


class _CapReachedError(Exception):
    """Raised from the sink to stop pyoxigraph writing: the text holds more rows than allowed."""


class _RowCountingSink:
    """A file-like object pyoxigraph writes to, counting the rows of the text it is given."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        # Counting decodes the whole text so far: it is done when the text has doubled since
        # the last count, so the work stays in proportion to the text.
        self.count_at = _SHORTEST_ROW * limit + 1
        self.rows = 0
        self.next_row = 0  # where in the text the next row starts (0: not found yet)
        self.end_of_last_allowed = 0
        self.ended = False  # the closing bracket of the bindings was read
        self.cut: str | None = None

    def write(self, data: bytes) -> int:
        if self.cut is not None:  # pyoxigraph flushes what it holds after an error
            raise _CapReachedError
        self.parts.append(data)
        self.size += len(data)
        if self.size >= self.count_at:
            self.count()
            self.count_at = 2 * self.size
        return len(data)

    def flush(self) -> None:
        pass

    def text(self) -> str:
        # A character cut in two at the end of the bytes so far is left for the next count.
        return b"".join(self.parts).decode("utf-8", errors="ignore")

    def count(self) -> None:
        """Count the rows complete so far; raise _CapReachedError once there are more than allowed."""
        if self.ended:
            return
        text = self.text()
        if not self.next_row:
            start = text.find(_BINDINGS)
            if start < 0:
                return
            self.next_row = start + len(_BINDINGS)
            if text.startswith("]", self.next_row):
                self.ended = True
                return
        while True:
            try:
                _row, end = _decoder.raw_decode(text, self.next_row)
            except json.JSONDecodeError:
                return  # the row is not complete yet
            self.rows += 1
            if self.rows > self.limit:
                self.cut = text[: self.end_of_last_allowed] + _ENDING
                raise _CapReachedError
            self.end_of_last_allowed = end
            if not text.startswith(",", end):
                self.ended = True
                return
            self.next_row = end + 1


def engine_json(solutions: ox.QuerySolutions, limit: int) -> tuple[bytes, bool]:
    """The SPARQL JSON text of at most `limit` of `solutions`, written by pyoxigraph, and
    whether rows were left out."""
    sink = _RowCountingSink(limit)
    try:
        # pyoxigraph asks only for write() and flush().
        solutions.serialize(cast("IO[bytes]", sink), format=ox.QueryResultsFormat.JSON)
        if sink.size > _SHORTEST_ROW * limit:
            sink.count()  # the rows written since the last count
    except _CapReachedError:
        assert sink.cut is not None
        return sink.cut.encode(), True
    return b"".join(sink.parts), False
