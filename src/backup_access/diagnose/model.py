"""What a diagnosis returns: one result per check and the operation's verdict (Contract 3).

JSON shape (``Explanation.to_dict``)::

    {"operation", "verdict": "allowed"|"denied"|"unknown",
     "checks": [{"id", "kind", "principal", "action", "resource", "decision", "blocked_by",
                 "reason", "title", "source", "resource_policy", "statements", "missing",
                 "notes"}],
     "fixes": [], "parameters": {...}, "skipped": [{"id", "why"}], "notes", "missing",
     "disagreements"}

``statements`` quote the policy statements responsible for a permission check's decision,
each with its layer, org level, policy, index, Sid, JSON pointer and file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backup_access.catalogue import CheckKind
from backup_access.world.findings import is_assumption


class CheckDecision(StrEnum):
    ALLOWED = "allowed"
    IMPLICIT_DENY = "implicit_deny"  # permission checks: the engine's decisions
    EXPLICIT_DENY = "explicit_deny"
    DENIED = "denied"  # setting checks: the gate is closed
    UNKNOWN = "unknown"  # the world lacks data the answer depends on

    @property
    def denies(self) -> bool:
        return self in (
            CheckDecision.IMPLICIT_DENY,
            CheckDecision.EXPLICIT_DENY,
            CheckDecision.DENIED,
        )


class Verdict(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LayerStep:
    """How one layer, or one level of an SCP/RCP chain (root, an OU, the account), decided a
    permission check's request, in the engine's order: the path a report can draw."""

    layer: str
    level: str | None
    outcome: str  # the engine's layer outcome: allowed, implicit_deny, explicit_deny, …

    @property
    def blocks(self) -> bool:
        return self.outcome in ("implicit_deny", "explicit_deny")


@dataclass(frozen=True, slots=True)
class StatementRef:
    """A policy statement quoted as the reason for a decision, with where it lives."""

    layer: str
    level: str | None
    policy: str
    index: int
    sid: str | None
    effect: str
    pointer: str
    source: str | None
    reason: str
    quoted: dict[str, Any]

    @property
    def location(self) -> str:
        level = f" @ {self.level}" if self.level else ""
        sid = f" ({self.sid})" if self.sid else ""
        return f"{self.layer}{level} › {self.policy} › statement {self.index}{sid}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "level": self.level,
            "policy": self.policy,
            "statement": self.index,
            "sid": self.sid,
            "effect": self.effect,
            "pointer": self.pointer,
            "source": self.source,
            "reason": self.reason,
            "quoted": self.quoted,
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    id: str
    kind: CheckKind
    title: str
    source: str  # the AWS page the requirement comes from
    decision: CheckDecision
    reason: str
    principal: str | None = None
    action: str | None = None
    resource: str | None = None
    resource_policy: str | None = None
    blocked_by: tuple[str, ...] = ()
    statements: tuple[StatementRef, ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # The request context the engine evaluated (the catalogue's keys filled, such as
    # ``iam:PassedToService``, and those the world derives, such as
    # ``kms:GrantIsForAWSResource``), key → values: a fix writes conditions the request meets.
    # Not in the JSON form, whose fields Contract 3 fixes.
    context: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The engine's layer-by-layer path, for drawing it (``explain --format markdown``); not in
    # the JSON form, whose fields Contract 3 fixes; derived from the decision, so not compared.
    path: tuple[LayerStep, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "decision": self.decision.value,
            "blocked_by": list(self.blocked_by),
            "reason": self.reason,
            "title": self.title,
            "source": self.source,
            "resource_policy": self.resource_policy,
            "statements": [s.to_dict() for s in self.statements],
            "missing": list(self.missing),
            "notes": list(self.notes),
        }

    def context_values(self, key: str) -> tuple[str, ...]:
        """The values the check's request carries for ``key`` (case-insensitive), () if none."""
        return next((v for k, v in self.context if k.lower() == key.lower()), ())


@dataclass(frozen=True, slots=True)
class Skipped:
    """A catalogue check that does not apply to this request, and why."""

    id: str
    why: str


def verdict_of(checks: tuple[CheckResult, ...]) -> Verdict:
    """Denied when any check denies; unknown when none does but one is unknown."""
    if any(c.decision.denies for c in checks):
        return Verdict.DENIED
    if any(c.decision is CheckDecision.UNKNOWN for c in checks):
        return Verdict.UNKNOWN
    return Verdict.ALLOWED


@dataclass(frozen=True, slots=True)
class Explanation:
    operation: str
    verdict: Verdict
    checks: tuple[CheckResult, ...]
    parameters: tuple[tuple[str, str], ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    fixes: tuple[Any, ...] = field(default=())
    # --error / --cloudtrail: where the world disagrees with what AWS reported
    disagreements: tuple[str, ...] = ()
    # why the verdict is unknown when no check was evaluated (a masked or unrecognised
    # --error message); the first line says it
    unevaluated: str | None = None

    @property
    def assumptions(self) -> tuple[str, ...]:
        """The notes that stand in for data a hand-written world lacks: the verdict rests on
        them, so reports show them beside it."""
        return tuple(note for note in self.notes if is_assumption(note))

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "verdict": self.verdict.value,
            "checks": [c.to_dict() for c in self.checks],
            "fixes": list(self.fixes),
            "parameters": dict(self.parameters),
            "skipped": [{"id": s.id, "why": s.why} for s in self.skipped],
            "notes": list(self.notes),
            "assumptions": list(self.assumptions),
            "missing": list(self.missing),
            "disagreements": list(self.disagreements),
        }
