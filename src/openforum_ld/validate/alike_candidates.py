"""Which pairs of strings may reach a difflib ratio, without computing it for every pair.

Comparing every name of a kind with every other was quadratic: at a million triples, 9,500
people's names made 45 million pairs, and `validate` spent minutes in difflib. A pair reaches
`threshold` only if it is nearly the same string, and such strings share an exact piece at
nearly the same place, which a dictionary finds.

Why that holds: difflib's ratio is 2M / (la + lb), where M is the size of its matching blocks
(in order in both strings, never adjacent in both). Let U = la + lb - 2M be the characters of
either string left out of the blocks. Cut `b` into U + 1 pieces: a piece is broken only by a
left-out character of `b` inside it, or by the boundary between two blocks that are adjacent in
`b` (then characters of `a` were left out between them). There are at most U of these, so one
piece is whole: it is written in `a` too, shifted by at most U places. A ratio of at least
`threshold` means U <= (1 - threshold)(la + lb), and (as the ratio is at most
2 min(la, lb) / (la + lb)) la is at most lb (2 - threshold) / threshold: so cutting `b` into
pieces by the largest U any partner allows leaves a whole piece for every pair that counts.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

#: Rounding guard: a bound computed in floating point is widened, never narrowed.
_EPSILON = 1e-9


def alike_candidates(names: Collection[str], threshold: float) -> Iterator[tuple[str, list[str]]]:
    """Each name, in sorted order, with itself and the names after it whose difflib ratio with
    it (either way round) may reach `threshold`; every pair left out is certainly below it."""
    ordered = sorted(names)
    position = {name: i for i, name in enumerate(ordered)}
    pieces: dict[tuple[int, int, str], list[str]] = {}
    uncut: list[str] = []  # too short to cut into enough pieces: compared with every name
    for name in ordered:
        cuts = _cuts(len(name), threshold) if threshold > 0 else None
        if cuts is None:
            uncut.append(name)
            continue
        for index, (start, end) in enumerate(cuts):
            pieces.setdefault((len(name), index, name[start:end]), []).append(name)
    for i, a in enumerate(ordered):
        found = {b for b in uncut if position[b] > i}
        if threshold <= 0:
            yield a, [a, *sorted(found, key=position.__getitem__)]
            continue
        for length in _partner_lengths(len(a), threshold):
            cuts = _cuts(length, threshold)
            if cuts is None:
                continue
            shift = _most_left_out(length, threshold)
            for index, (start, end) in enumerate(cuts):
                for at in range(
                    max(start - shift, 0), min(start + shift, len(a) - (end - start)) + 1
                ):
                    for b in pieces.get((length, index, a[at : at + end - start]), ()):
                        if position[b] > i:
                            found.add(b)
        yield a, [a, *sorted(found, key=position.__getitem__)]


def _partner_lengths(length: int, threshold: float) -> range:
    """The lengths of the strings whose ratio with one of `length` may reach `threshold`."""
    shortest = math.ceil(length * threshold / (2 - threshold) - _EPSILON)
    longest = math.floor(length * (2 - threshold) / threshold + _EPSILON)
    return range(max(shortest, 0), longest + 1)


def _most_left_out(length: int, threshold: float) -> int:
    """The most characters a pair may leave out of its matching blocks and still reach
    `threshold`, over every partner of a string of `length`."""
    both = length * 2 / threshold  # the longest partner is length (2 - t) / t
    return math.floor((1 - threshold) * both + _EPSILON)


def _cuts(length: int, threshold: float) -> list[tuple[int, int]] | None:
    """Where a string of `length` is cut into pieces, one more than `_most_left_out`, as even as
    can be; None when some piece would be empty."""
    count = _most_left_out(length, threshold) + 1
    if count > length:
        return None
    size, longer = divmod(length, count)
    cuts, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < longer else 0)
        cuts.append((start, end))
        start = end
    return cuts
