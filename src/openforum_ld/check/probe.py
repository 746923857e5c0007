"""A probe is one named check: a small function of the deployment that returns a verdict.
Each group's module keeps its probes in a `ProbeList`, in the order they run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openforum_ld.check.report import Outcome

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openforum_ld.check.discovery import Deployment


@dataclass(frozen=True)
class Verdict:
    """How a probe came out, and the evidence: what was sent and what came back."""

    outcome: Outcome
    detail: str


class SkipError(Exception):
    """Raised by a probe that does not apply; the message is the reason."""


def passed(detail: str) -> Verdict:
    """A passing verdict."""
    return Verdict(Outcome.PASS, detail)


def failed(detail: str) -> Verdict:
    """A failing verdict."""
    return Verdict(Outcome.FAIL, detail)


def skipped(reason: str) -> Verdict:
    """A verdict for a check that does not apply."""
    return Verdict(Outcome.SKIP, reason)


def combine(verdicts: list[Verdict], nothing: str) -> Verdict:
    """One verdict for a check over several things (dumps, links): it fails when one fails (the
    detail lists the failures), passes when one passes and none fails (the detail lists them
    all), and is skipped when all are (or there are none)."""
    if not verdicts:
        return skipped(nothing)
    detail = "\n".join(v.detail for v in verdicts)
    failures = [v.detail for v in verdicts if v.outcome is Outcome.FAIL]
    if failures:
        others = len(verdicts) - len(failures)
        return failed(
            "\n".join(failures + ([f"({others} more passed or were skipped)"] if others else []))
        )
    if any(v.outcome is Outcome.PASS for v in verdicts):
        return passed(detail)
    return skipped(detail)


ProbeFunction = Callable[["Deployment"], Verdict]


@dataclass(frozen=True)
class Probe:
    """A check: its stable id, its group, what it checks, and the function that does it."""

    id: str
    title: str
    run: ProbeFunction

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]


class ProbeList:
    """The probes of one group, in the order they run."""

    def __init__(self) -> None:
        self._probes: list[Probe] = []

    def __iter__(self) -> Iterator[Probe]:
        return iter(self._probes)

    def add(self, probe_id: str, title: str) -> Callable[[ProbeFunction], ProbeFunction]:
        """Register the decorated function as the probe `probe_id`."""

        def register(function: ProbeFunction) -> ProbeFunction:
            self._probes.append(Probe(probe_id, title, function))
            return function

        return register

    def append(self, probe: Probe) -> None:
        """Register a probe built elsewhere (one per client, say)."""
        self._probes.append(probe)
