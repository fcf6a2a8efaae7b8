"""The ``Principal`` / ``NotPrincipal`` element of a statement.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
(who an element names and exempts is worked out in policy/principal.py).
"""

from __future__ import annotations

from functools import lru_cache

from backup_access.engine.model import Layer, Request
from backup_access.engine.result import StatementResult, new_result
from backup_access.engine.trace import Outcome
from backup_access.memo import MEMO_SIZE, memo
from backup_access.policy.model import Effect, PrincipalSpec, Statement
from backup_access.policy.principal import (
    Principal,
    PrincipalKind,
    PrincipalMatch,
    has_wildcard_arn,
    match_principal,
    not_principal_exemption,
)

_NONE = PrincipalMatch.NONE
_MATCHED = Outcome.MATCHED
_NO_PRINCIPAL_ELEMENT = new_result(
    Outcome.NOT_MATCHED,
    "Principal",
    None,
    None,
    "a resource policy statement without Principal applies to no one",
)
_NOT_PRINCIPAL_ALLOW = new_result(
    Outcome.UNSUPPORTED,
    "NotPrincipal",
    None,
    None,
    'NotPrincipal with "Effect": "Allow" is not supported by AWS '
    "(reference_policies_elements_notprincipal.html): this statement never grants",
)
_NO_PRINCIPAL = new_result(Outcome.NOT_MATCHED, "Principal", None, None, None)
_NO_NOT_PRINCIPAL = new_result(Outcome.NOT_MATCHED, "NotPrincipal", None, None, None)

# access_policies_boundaries.html: "The NotPrincipal element with a Deny effect will always
# deny any IAM principal that has a permissions boundary policy attached, regardless of the
# values specified in the NotPrincipal element." Boundaries attach to IAM users and roles.
_BOUNDED_KINDS = (PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION)
BOUNDARY_OVERRIDES_NOT_PRINCIPAL = (
    "NotPrincipal with Deny in a resource-based policy always denies an IAM user or role "
    "that has a permissions boundary attached, whatever NotPrincipal lists"
)


@memo
@lru_cache(maxsize=MEMO_SIZE)
def _principal_result(spec: PrincipalSpec, who: Principal, negated: bool) -> StatementResult:
    """How the element names ``who``: ``matched`` with the PrincipalMatch (for NotPrincipal:
    EVERYONE when the element does not exempt ``who``), ``not_matched``, or ``unsupported``
    for a wildcard principal ARN. Cached: a batch asks the same question again and again."""
    element = "NotPrincipal" if negated else "Principal"
    wildcard = has_wildcard_arn(spec)
    if wildcard is not None:
        return new_result(
            Outcome.UNSUPPORTED,
            element,
            None,
            None,
            f"{element} '{wildcard}' uses a wildcard, which AWS does not support in "
            'principal ARNs (only "*")',
        )
    if not negated:
        match = match_principal(spec, who)
        return _NO_PRINCIPAL if match is _NONE else new_result(_MATCHED, None, None, match, None)
    exemption = not_principal_exemption(spec, who)
    if exemption.exempt:
        return _NO_NOT_PRINCIPAL
    return new_result(_MATCHED, None, None, PrincipalMatch.EVERYONE, exemption.note)


_BOUNDARY_OVERRIDE = new_result(
    Outcome.MATCHED, None, None, PrincipalMatch.EVERYONE, BOUNDARY_OVERRIDES_NOT_PRINCIPAL
)


def principal_element(
    statement: Statement, request: Request, layer: Layer, boundary_attached: bool
) -> StatementResult | None:
    """None when the statement has no Principal element and needs none (identity-side
    layers); else a ``matched`` result carrying how the element names the requester, a
    ``not_matched`` one, or an ``unsupported`` one (a wildcard principal ARN, or
    NotPrincipal with Allow). ``boundary_attached``: the requester has a permissions
    boundary, which makes a resource-policy Deny with NotPrincipal apply to it whatever the
    element lists."""
    spec = statement.principal
    if spec is not None:
        return _principal_result(spec, request.principal, False)
    spec = statement.not_principal
    if spec is None:
        return _NO_PRINCIPAL_ELEMENT if layer is Layer.RESOURCE else None
    if statement.effect is Effect.ALLOW:
        # reference_policies_elements_notprincipal.html: "Using it with
        # "Effect":"Allow" is not supported." It never grants.
        return _NOT_PRINCIPAL_ALLOW
    who = request.principal
    result = _principal_result(spec, who, True)
    if (
        result is _NO_NOT_PRINCIPAL
        and boundary_attached
        and layer is Layer.RESOURCE
        and who.kind in _BOUNDED_KINDS
    ):
        return _BOUNDARY_OVERRIDE
    return result
