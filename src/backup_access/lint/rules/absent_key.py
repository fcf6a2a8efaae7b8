"""BA016: a condition that never matches as written, because its key is absent from the
requests the statement targets.

- ``Bool aws:MultiFactorAuthPresent false`` in a Deny: the key is present only in requests
  signed with temporary credentials, so requests signed with long-term access keys are not
  denied; ``BoolIfExists`` covers them.
- ``aws:SourceAccount``/``aws:SourceArn``/``aws:SourceOrgID``/``aws:SourceOrgPaths`` where no
  service principal can make the request (identity policies, SCPs, resource policies naming
  only IAM principals): AWS adds them only when a service principal calls on behalf of a
  resource.
- Service keys (``kms:ViaService`` on ``backup:`` actions) and ``aws:RequestTag``/
  ``aws:TagKeys`` on actions whose Service Authorization Reference entry does not list them.

Without IfExists a positive operator on an absent key is false (an Allow grants nothing, a
Deny never applies) and a negated one is true (a Deny applies to every request).
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
"""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.evaluate import Operator, SetOperator, read_operator
from backup_access.conditions.operators import Family
from backup_access.lint import aws_data
from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Condition, Effect, Statement

_SOURCE_KEYS = frozenset(
    {"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"}
)
_ACTION_LISTED_GLOBAL = ("aws:requesttag/", "aws:tagkeys")
_NO_SERVICE_CALLERS = frozenset({PolicyKind.IDENTITY, PolicyKind.SCP})


def _outcome(statement: Statement, operator: Operator) -> str:
    """What an absent key does to this statement, in words."""
    if operator.base.negated:
        if statement.effect is Effect.DENY:
            return "the negated operator is then true, so this Deny applies to every request"
        return "the negated operator is then always true, so the condition restricts nothing"
    if statement.effect is Effect.DENY:
        return "the condition is then false, so this Deny never applies"
    return "the condition is then false, so this Allow grants nothing"


def _judged(operator: Operator | str) -> Operator | None:
    """Operators whose result on an absent key is decided (not IfExists, Null, ForAllValues)."""
    if isinstance(operator, str) or operator.if_exists or operator.base.family is Family.NULL:
        return None
    if operator.set_operator is SetOperator.ALL:
        return None
    return operator


def _service_can_call(statement: Statement, kind: PolicyKind) -> bool:
    """Whether a service principal may be the caller this statement applies to."""
    if kind in _NO_SERVICE_CALLERS:
        return False
    principal = statement.principal
    if principal is None:
        return True  # NotPrincipal: everyone but some
    return principal.everyone or "*" in principal.aws or bool(principal.service)


def _actions_without_key(statement: Statement, key: str) -> list[str] | None:
    """The statement's actions when none of them carries ``key``; None when one may (or the
    actions are unknown, wildcards over services, or NotAction)."""
    if statement.actions is None:
        return None
    names: list[str] = []
    for written in statement.actions:
        if written == "*" or is_opaque(written):
            return None
        prefix = written.partition(":")[0].lower()
        matches = aws_data.matching_actions(written)
        if not matches:
            return None
        for details in matches:
            if any(t.matches(key) for t in aws_data.action_condition_keys(prefix, details)):
                return None
            names.append(f"{prefix}:{details['name']}")
    return names


def _checks_action_listing(key: str) -> bool:
    prefix = key.partition(":")[0].lower()
    if prefix == "aws":
        return key.lower().startswith(_ACTION_LISTED_GLOBAL)
    return aws_data.service_exists(prefix) and aws_data.condition_key(key) is not None


def _shown(names: list[str]) -> str:
    unique = sorted(set(names))
    return ", ".join(unique[:4]) + (f" and {len(unique) - 4} more" if len(unique) > 4 else "")


def _problem(
    condition: Condition, operator: Operator, statement: Statement, kind: PolicyKind
) -> str | None:
    key = condition.key.lower()
    if (
        key == "aws:multifactorauthpresent"
        and statement.effect is Effect.DENY
        and operator.base.family is Family.BOOL
        and not operator.base.negated
        and any(value.lower() == "false" for value in condition.values)
    ):
        return (
            f"{condition.operator} aws:MultiFactorAuthPresent false: the key is present only "
            "in requests signed with temporary credentials, so requests signed with long-term "
            "access keys are not denied; use BoolIfExists"
        )
    if key in _SOURCE_KEYS and not _service_can_call(statement, kind):
        return (
            f"{condition.key} is only in requests a service principal makes on behalf of a "
            "resource, and no service principal is subject to this statement; "
            f"{_outcome(statement, operator)}"
        )
    if _checks_action_listing(condition.key):
        actions = _actions_without_key(statement, condition.key)
        if actions:
            return (
                f"{condition.key} is never in requests for {_shown(actions)} (the Service "
                f"Authorization Reference lists no such key for them); "
                f"{_outcome(statement, operator)}"
            )
    return None


def check(view: PolicyView) -> Iterator[Hit]:
    for _, parsed in view.parsed():
        for condition in parsed.conditions:
            operator = _judged(read_operator(condition.operator))
            if operator is None or "${" in condition.key:
                continue
            problem = _problem(condition, operator, parsed, view.source.kind)
            if problem:
                yield Hit(condition.pointer, problem)


RULE = Rule(
    id="BA016",
    severity=Severity.WARNING,
    title="Condition that never matches as written",
    explanation="A key absent from a request makes a condition false (negated operators: "
    "true) unless the operator ends in IfExists. aws:MultiFactorAuthPresent is absent when "
    "long-term access keys sign the request; aws:SourceAccount and aws:SourceArn are absent "
    "unless a service principal calls; service keys and request tags are present only for "
    "the actions AWS lists them for.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
    check=check,
    example='{"Effect": "Deny", "Action": "backup:DeleteRecoveryPoint", "Resource": "*", '
    '"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}',
    fix="Use BoolIfExists for aws:MultiFactorAuthPresent in a Deny; use aws:PrincipalAccount / "
    "aws:PrincipalArn for requests made by principals; use a key the action lists "
    "(see the Service Authorization Reference).",
    judges_kind=True,
)
