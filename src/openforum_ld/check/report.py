"""What a conformance check found: one result per check, rendered as text for people and as
JSON for scripts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """How a check came out. SKIP is for a check that does not apply (its reason says why)."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckResult:
    """One check: what it is, how it came out, and what was sent and what came back."""

    id: str
    group: str
    title: str
    outcome: Outcome
    detail: str

    def to_dict(self) -> dict[str, str]:
        """The result as the JSON report writes it."""
        return {
            "id": self.id,
            "group": self.group,
            "title": self.title,
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


@dataclass
class CheckReport:
    """Every check run against one deployment, with what discovery found."""

    url: str
    started: str
    checks: list[CheckResult] = field(default_factory=list)
    discovered: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0
    requests: int = 0

    @property
    def failures(self) -> list[CheckResult]:
        """The checks that failed."""
        return [c for c in self.checks if c.outcome is Outcome.FAIL]

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.failures

    def counts(self) -> dict[str, int]:
        """How many checks passed, failed and were skipped."""
        found = {outcome.value: 0 for outcome in Outcome}
        for check in self.checks:
            found[check.outcome.value] += 1
        return {**found, "total": len(self.checks)}

    def to_json(self) -> str:
        """The report for scripts: a stable structure, keys in a fixed order."""
        return json.dumps(
            {
                "url": self.url,
                "started": self.started,
                "seconds": round(self.seconds, 3),
                "requests": self.requests,
                "ok": self.ok,
                "summary": self.counts(),
                "discovered": self.discovered,
                "checks": [c.to_dict() for c in self.checks],
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_text(self) -> str:
        """The report for people: one line per check by group, details under failures and
        reasons beside skips, and the counts at the end."""
        lines = [f"Checking {self.url}"]
        for key, value in self.discovered.items():
            if isinstance(value, list):
                more = ", ..." if len(value) > 1 else ""
                shown = f"{len(value)}" + (f" ({value[0]}{more})" if value else "")
            else:
                shown = str(value) if value is not None else "none found"
            lines.append(f"  {key}: {shown}")
        width = max((len(c.id) for c in self.checks), default=0)
        group = None
        for check in self.checks:
            if check.group != group:
                group = check.group
                lines += ["", group]
            lines.append(f"  {check.outcome.name}  {check.id.ljust(width)}  {check.title}")
            if check.outcome is Outcome.FAIL:
                lines += [f"        {line}" for line in check.detail.splitlines()]
            elif check.outcome is Outcome.SKIP:
                lines.append(f"        skipped: {check.detail}")
        counts = self.counts()
        lines += [
            "",
            f"{counts['total']} checks: {counts['pass']} passed, {counts['fail']} failed, "
            f"{counts['skip']} skipped ({self.requests} requests, {self.seconds:.1f} s)",
        ]
        return "\n".join(lines)
