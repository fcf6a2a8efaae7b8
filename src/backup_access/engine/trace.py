"""The explanation channel: one entry per statement considered, one per layer decided.

Entries are immutable tuples of structured facts; their readable ``reason`` is composed only
when asked for, so evaluating stays cheap when nobody reads the trace.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from backup_access.conditions import ConditionOutcome
from backup_access.engine.model import Layer
from backup_access.memo import memo
from backup_access.policy.context import ContextValue
from backup_access.policy.model import Effect, Statement
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


@memo
@lru_cache(maxsize=4096)
def _element_reason(element: str | None, written: tuple[str, ...] | None, value: str) -> str:
    """Why an element left the request out; cached, since a batch repeats both sides."""
    listed = list(written or ())
    if element == "Action":
        return f"Action {listed} does not include {value}"
    if element == "NotAction":
        return f"{value} is excluded by NotAction {listed}"
    if element == "Resource":
        return f"Resource {listed} does not include {value}"
    if element == "NotResource":
        return f"{value} is excluded by NotResource {listed}"
    if element == "Principal":
        return f"Principal does not name {value}"
    if element == "NotPrincipal":
        return f"{value} is excluded by NotPrincipal"
    return f"{element} does not match"


def _written(element: str | None, statement: Statement) -> tuple[str, ...] | None:
    """What the statement writes in ``element`` (its Action, NotAction, Resource or
    NotResource list), for the reason that quotes it."""
    if element == "Action":
        return statement.actions
    if element == "NotAction":
        return statement.not_actions
    if element == "Resource":
        return statement.resources
    if element == "NotResource":
        return statement.not_resources
    return None


def statement_reason(
    statement: Statement,
    outcome: Outcome,
    element: str | None,
    condition: ConditionOutcome | None,
    principal_match: PrincipalMatch | None,
    detail: str | None,
    request: Request,
) -> str:
    """The readable reason of a statement's trace entry. The only request value it names is
    ``reason_request_value``'s, so the render memo's keys cannot miss one."""
    value = reason_request_value(statement, outcome, element, condition, detail, request)
    if outcome is Outcome.MATCHED:
        text = _MATCHES[statement.effect]
        if detail:
            return f"{text}: {detail}"
        if value is not None:
            return f"{text}; its NotPrincipal does not exempt {value}"
        if principal_match is not None and principal_match > PrincipalMatch.NONE:
            return f"{text}; its Principal {_PRINCIPAL_WORDS[principal_match]}"
        return text
    if condition is not None:
        c = condition.condition
        actual = _values(condition.actual)
        shown = "absent" if actual is None else actual
        prefix = "cannot evaluate" if outcome is Outcome.UNSUPPORTED else "fails"
        return (
            f"Condition {prefix}: {c.operator} {c.key} expects {list(c.values)}, "
            f"request has {shown} ({condition.reason})"
        )
    if detail or value is None:  # value is None here only when a detail says why
        return detail or ""
    return _element_reason(element, _written(element, statement), value)


def reason_request_value(
    statement: Statement,
    outcome: Outcome,
    element: str | None,
    condition: ConditionOutcome | None,
    detail: str | None,
    request: Request,
) -> str | None:
    """The one request value a statement's reason names for these facts (the action, the
    resource or the principal's ARN), or None when it names none: with the statement and
    the facts, all a statement's entry depends on (the render memo's key)."""
    if outcome is Outcome.MATCHED:
        if not detail and statement.not_principal is not None:
            return request.principal.arn
        return None
    if condition is not None or detail:
        return None
    if element == "Action" or element == "NotAction":
        return request.action
    if element == "Resource" or element == "NotResource":
        return request.resource
    return request.principal.arn


_MATCHES = {effect: f"{effect.value} statement matches the request" for effect in Effect}
# Plain strings for the JSON entries (an enum's .value costs a Python-level descriptor call).
_TEXT: dict[str, str] = {
    member: member.value for enum in (Layer, Outcome, LayerOutcome, Effect) for member in enum
}


def statement_entry(
    layer: Layer,
    level: str | None,
    policy: str,
    statement: Statement,
    outcome: Outcome,
    element: str | None,
    condition: ConditionOutcome | None,
    principal_match: PrincipalMatch | None,
    detail: str | None,
    request: Request,
    pointer: str,
) -> dict[str, Any]:
    """A statement's trace entry as JSON (engine_cases/README.md, "Trace entries");
    ``pointer`` is where the statement is in its file."""
    entry: dict[str, Any] = {
        "kind": "statement",
        "layer": _TEXT[layer],
        "policy": policy,
        "statement": statement.index,
        "sid": statement.sid,
        "effect": _TEXT[statement.effect],
        "matched": outcome is Outcome.MATCHED,
        "outcome": _TEXT[outcome],
        "reason": statement_reason(
            statement, outcome, element, condition, principal_match, detail, request
        ),
        "pointer": pointer,
    }
    if level is not None:
        entry["level"] = level
    if element is not None:
        entry["element"] = element
    if condition is not None:
        c = condition.condition
        entry["condition"] = {
            "operator": c.operator,
            "key": c.key,
            "expected": list(c.values),
            "actual": _values(condition.actual),
        }
    return entry


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
        return statement_reason(
            self.quoted,
            self.outcome,
            self.element,
            self.condition,
            self.principal_match,
            self.detail,
            self.request,
        )

    def to_dict(self) -> dict[str, Any]:
        return statement_entry(
            self.layer,
            self.level,
            self.policy,
            self.quoted,
            self.outcome,
            self.element,
            self.condition,
            self.principal_match,
            self.detail,
            self.request,
            self.pointer,
        )


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
        name = self.layer.short_name
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
            "layer": _TEXT[self.layer],
            "outcome": _TEXT[self.outcome],
            "reason": self.reason,
        }
        if self.level is not None:
            entry["level"] = self.level
        return entry


TraceEntry = StatementTrace | LayerTrace
