"""What a non-policy gate answers: open, closed or unknown, with the sentence saying why."""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.diagnose.model import CheckDecision


@dataclass(frozen=True, slots=True)
class GateOutcome:
    decision: CheckDecision
    reason: str
    missing: tuple[str, ...] = ()


def gate_open(reason: str) -> GateOutcome:
    return GateOutcome(CheckDecision.ALLOWED, reason)


def gate_closed(reason: str) -> GateOutcome:
    return GateOutcome(CheckDecision.DENIED, reason)


def gate_unknown(reason: str, collect: str) -> GateOutcome:
    """Unknown: ``collect`` says what data would decide it."""
    return GateOutcome(CheckDecision.UNKNOWN, reason, (collect,))
