"""The pairs left uncompared by the near-name search are certainly less alike than asked."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from openforum_ld.validate.alike_candidates import alike_candidates
from openforum_ld.validate.near_names import THRESHOLD

# A small alphabet, so that near pairs are common.
_NAMES = st.lists(
    st.text(alphabet="aeinrst -", min_size=1, max_size=24), min_size=1, max_size=40, unique=True
)


def _ratio(a: str, b: str) -> float:
    """The ratio as the near-name search computes it: `b` against `a`."""
    return difflib.SequenceMatcher(None, b, a, autojunk=False).ratio()


@given(_NAMES, st.sampled_from([0.5, 0.75, 0.8, THRESHOLD, 0.95, 1.0]))
@settings(max_examples=400, deadline=None)
def test_every_pair_that_reaches_the_threshold_is_compared(
    names: list[str], threshold: float
) -> None:
    compared = dict(alike_candidates(names, threshold))
    assert list(compared) == sorted(names)
    for a in names:
        assert compared[a][0] == a
        later = [b for b in names if b > a]
        assert set(compared[a][1:]) <= set(later)
        for b in later:
            if _ratio(a, b) >= threshold:
                assert b in compared[a], (a, b, _ratio(a, b))


def test_a_spelling_variant_is_compared_and_an_unlike_name_is_not() -> None:
    names = [
        "organisation for economic co operation and development",
        "organization for economic co operation and development",
        "open government partnership",
    ]
    compared = dict(alike_candidates(names, THRESHOLD))
    assert compared[names[0]] == [names[0], names[1]]
    assert compared[names[2]] == [names[2]]
