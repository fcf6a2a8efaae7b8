"""The explanation channel: one entry per statement considered, one per layer decided.

Entries are immutable tuples of structured facts; their readable ``reason`` is composed only
when asked for, so evaluating stays cheap when nobody reads the trace.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from backup_access.conditions import ConditionOutcome
from backup_access.engine.model import Layer
from backup_access.policy.context import ContextValue
from backup_access.policy.model import Statement
from backup_access.policy.principal import PrincipalMatch

if TYPE_CHECKING:
    from backup_access.engine.model import Request


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
    PrincipalMatch.ROLE: "names the role (or IAM user) the principal's session belongs to",
    PrincipalMatch.EVERYONE: 'names everyone ("*")',
    PrincipalMatch.ACCOUNT: "names the principal's account (delegating to its IAM policies)",
}


def _values(value: ContextValue | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _element_reason(element: str | None, statement: Statement, request: Request) -> str:
    if element == "Action":
        return f"Action {list(statement.actions or ())} does not include {request.action}"
    if element == "NotAction":
        return f"{request.action} is excluded by NotAction {list(statement.not_actions or ())}"
    if element == "Resource":
        return f"Resource {list(statement.resources or ())} does not include {request.resource}"
    if element == "NotResource":
        return (
            f"{request.resource} is excluded by NotResource {list(statement.not_resources or ())}"
        )
    if element == "Principal":
        return f"Principal does not name {request.principal.arn}"
    if element == "NotPrincipal":
        return f"{request.principal.arn} is excluded by NotPrincipal"
    return f"{element} does not match"


class StatementTrace(NamedTuple):
    layer: Layer
    level: str | None
    policy: str
    statement: int
    sid: str | None
    effect: str
    outcome: Outcome
    element: str | None
    condition: ConditionOutcome | None
    principal_match: PrincipalMatch | None
    detail: str | None
    pointer: str
    quoted: Statement
    request: Request

    @property
    def matched(self) -> bool:
        return self.outcome is Outcome.MATCHED

    @property
    def reason(self) -> str:
        if self.outcome is Outcome.MATCHED:
            text = f"{self.effect} statement matches the request"
            if self.detail:
                text += f": {self.detail}"
            elif self.quoted.not_principal is not None:
                text += f"; its NotPrincipal does not exempt {self.request.principal.arn}"
            elif self.principal_match is not None and self.principal_match > PrincipalMatch.NONE:
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
        return self.detail or _element_reason(self.element, self.quoted, self.request)

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


_LAYER_NAMES = {
    Layer.SCP: "SCP",
    Layer.RCP: "RCP",
    Layer.IDENTITY: "identity-based policy",
    Layer.BOUNDARY: "permissions boundary",
    Layer.SESSION: "session policy",
    Layer.RESOURCE: "resource-based policy",
    Layer.ENDPOINT: "VPC endpoint policy",
    Layer.GRANT: "KMS grant",
    Layer.PROTECTED: "protection of AWS's own resources",
}


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiouAEIORS" else "a"


class LayerTrace(NamedTuple):
    """How one layer (or one level of an SCP/RCP chain) decided. ``note`` overrides the
    composed reason (exemptions, grants, the root user)."""

    layer: Layer
    outcome: LayerOutcome
    note: str | None = None
    level: str | None = None
    maybe_deny: bool = False

    @property
    def reason(self) -> str:
        if self.note is not None:
            return self.note
        name = _LAYER_NAMES[self.layer]
        where = f" at {self.level}" if self.level else ""
        if self.outcome is LayerOutcome.EXPLICIT_DENY:
            return f"{_article(name)} {name}{where} explicitly denies the request"
        if self.maybe_deny:
            return f"a Deny in {_article(name)} {name}{where} could not be evaluated: not allowed"
        if self.outcome is LayerOutcome.ALLOWED:
            return f"{_article(name)} {name}{where} allows the request"
        if self.level is not None:
            return (
                f"no {name} attached{where} allows the request; every level of the "
                "organization path must allow it"
            )
        return f"no {name} allows the request"

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
