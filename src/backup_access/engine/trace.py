"""The explanation channel: one entry per statement considered, one per layer decided.

Entries hold structured facts; their readable ``reason`` is composed only when asked for,
so evaluating stays cheap when nobody reads the trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from backup_access.conditions import ConditionOutcome
from backup_access.engine.model import Layer
from backup_access.policy.context import ContextValue
from backup_access.policy.model import Statement
from backup_access.policy.principal import PrincipalMatch


class Outcome(StrEnum):
    MATCHED = "matched"
    NOT_MATCHED = "not_matched"
    UNSUPPORTED = "unsupported"


class LayerOutcome(StrEnum):
    ALLOWED = "allowed"
    IMPLICIT_DENY = "implicit_deny"
    EXPLICIT_DENY = "explicit_deny"
    EXEMPT = "exempt"
    NOT_APPLICABLE = "not_applicable"


_PRINCIPAL_WORDS = {
    PrincipalMatch.PRINCIPAL: "names the principal itself",
    PrincipalMatch.ROLE: "names the role the principal's session belongs to",
    PrincipalMatch.EVERYONE: 'names everyone ("*")',
    PrincipalMatch.ACCOUNT: "names the principal's account (delegating to its IAM policies)",
}


def _values(value: ContextValue | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


@dataclass(frozen=True, slots=True)
class StatementTrace:
    layer: Layer
    level: str | None
    policy: str
    statement: int
    sid: str | None
    effect: str
    outcome: Outcome
    element: str | None = None
    condition: ConditionOutcome | None = None
    principal_match: PrincipalMatch | None = None
    detail: str | None = None
    pointer: str = ""
    quoted: Statement | None = None

    @property
    def matched(self) -> bool:
        return self.outcome is Outcome.MATCHED

    @property
    def reason(self) -> str:
        if self.outcome is Outcome.MATCHED:
            text = f"{self.effect} statement matches the request"
            if self.principal_match is not None and self.principal_match > PrincipalMatch.NONE:
                text += f"; its Principal {_PRINCIPAL_WORDS[self.principal_match]}"
            return text
        if self.condition is not None:
            c = self.condition.condition
            actual = _values(self.condition.actual)
            shown = "absent" if actual is None else actual
            prefix = "cannot evaluate" if self.outcome is Outcome.UNSUPPORTED else "fails"
            return (
                f"Condition {prefix}: {c.operator} {c.key} expects {list(c.values)}, "
                f"request has {shown} ({self.condition.reason})"
            )
        return self.detail or f"{self.element} does not match"

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "kind": "statement",
            "layer": self.layer.value,
            "policy": self.policy,
            "statement": self.statement,
            "sid": self.sid,
            "effect": self.effect,
            "matched": self.matched,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "pointer": self.pointer,
        }
        if self.level is not None:
            entry["level"] = self.level
        if self.element is not None:
            entry["element"] = self.element
        if self.condition is not None:
            c = self.condition.condition
            entry["condition"] = {
                "operator": c.operator,
                "key": c.key,
                "expected": list(c.values),
                "actual": _values(self.condition.actual),
            }
        return entry


@dataclass(frozen=True, slots=True)
class LayerTrace:
    layer: Layer
    outcome: LayerOutcome
    reason: str
    level: str | None = None

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "kind": "layer",
            "layer": self.layer.value,
            "outcome": self.outcome.value,
            "reason": self.reason,
        }
        if self.level is not None:
            entry["level"] = self.level
        return entry


TraceEntry = StatementTrace | LayerTrace
