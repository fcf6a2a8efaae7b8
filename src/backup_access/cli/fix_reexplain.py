"""``fix --apply``, last step: collect the question's accounts again and re-run its diagnosis.

What was applied is proven on the live account, not only on the patched copy of the world:
the accounts and Regions the question and the changed documents name are collected now
(read-only, ``explain --live``'s collector with the cache bypassed) and every plan's own
diagnosis is run on that world. When AWS cannot be read from here the applied changes stay
as they are (nothing is rolled back) and the report says the verdict after them is not known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from backup_access.diagnose import Explanation
from backup_access.diagnose.model import CheckDecision
from backup_access.world import World, load_world

Diagnose = Callable[[World], Explanation]


@dataclass(frozen=True, slots=True)
class Reexplained:
    """One plan's diagnosis on the world collected after applying; ``explanation`` is None
    when the accounts could not be collected (``error`` says why)."""

    world: Path | None
    explanation: Explanation | None
    error: str | None = None

    @property
    def headline(self) -> str:
        if self.explanation is None:
            return (
                "not re-explained: the accounts could not be read after applying "
                f"({self.error}); the changes stay applied, run explain --live to re-check"
            )
        verdict = self.explanation.verdict.value
        checks = self.explanation.checks
        # An unknown check did not fail: the world lacks what would decide it.
        unknown = [c.id for c in checks if c.decision is CheckDecision.UNKNOWN]
        failing = [
            f"{c.id} ({c.decision.value})"
            for c in checks
            if c.decision not in (CheckDecision.ALLOWED, CheckDecision.UNKNOWN)
        ]
        parts = [f"still failing: {', '.join(failing)}"] if failing else []
        if unknown:
            parts.append(f"not known (the world lacks what decides them): {', '.join(unknown)}")
        if not parts:
            return f"re-explained on the live account: {verdict}"
        return (
            f"re-explained on the live account: {verdict}; {'; '.join(parts)} "
            f"(explain --world {self.world} gives the reasons)"
        )

    def to_dict(self) -> dict[str, Any]:
        explanation = self.explanation
        return {
            "collected": explanation is not None,
            "world": None if self.world is None else str(self.world),
            "error": self.error,
            "verdict": None if explanation is None else explanation.verdict.value,
            "still_failing": []
            if explanation is None
            else [
                {
                    "check": c.id,
                    "decision": c.decision.value,
                    "blocked_by": list(c.blocked_by),
                    "reason": c.reason,
                }
                for c in explanation.checks
                if c.decision is not CheckDecision.ALLOWED
            ],
            "missing": [] if explanation is None else list(explanation.missing),
        }


def reexplain(
    texts: Iterable[object], diagnoses: list[Diagnose], *, profile: str | None
) -> list[Reexplained]:
    """Each diagnosis re-run on the question's accounts, collected now."""
    from backup_access.cli.live import collect_question
    from backup_access.collect.run import CollectError

    try:
        directory = collect_question(texts, profile=profile)
        world = load_world(directory)
    except (CollectError, click.UsageError) as error:
        why = error.format_message() if isinstance(error, click.UsageError) else str(error)
        return [Reexplained(None, None, why) for _ in diagnoses]
    return [Reexplained(directory, diagnose(world)) for diagnose in diagnoses]
