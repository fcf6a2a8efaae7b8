"""KMS grants as a source of allow next to the key policy.

https://docs.aws.amazon.com/kms/latest/developerguide/grants.html: a grant lets its grantee
principal perform the grant's operations on the key, subject to its constraints on the
encryption context; its retiring principal (and the grantee when RetireGrant is among the
operations) may retire it.
"""

from __future__ import annotations

from typing import NamedTuple

from backup_access.engine.model import Grant, Request
from backup_access.policy.principal import Principal

_CONTEXT_PREFIX = "kms:encryptioncontext:"


def _same_principal(grantee: str, principal: Principal) -> bool:
    if grantee == principal.arn:
        return True
    return (
        principal.role_arn is not None
        and grantee.rsplit("/", 1)[-1] == principal.name
        and (grantee.startswith(f"arn:aws:iam::{principal.account}:role/"))
    )


def _encryption_context(request: Request) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for key in request.context:
        if key.lower().startswith(_CONTEXT_PREFIX):
            value = request.context[key]
            pairs[key[len(_CONTEXT_PREFIX) :]] = (
                value if isinstance(value, str) else ",".join(value)
            )
    return pairs


class GrantVerdict(NamedTuple):
    """Whether a grant lets the request in, and why (or why not), for the trace."""

    allows: bool
    reason: str


def grant_allows(grant: Grant, request: Request) -> GrantVerdict:
    """Whether ``grant`` allows the request, and why (or why not)."""
    service, _, operation = request.action.partition(":")
    if service.lower() != "kms":
        return GrantVerdict(False, "grants only cover KMS operations")
    operations = {op.lower() for op in grant.operations}
    if (
        operation.lower() == "retiregrant"
        and grant.retiring_principal is not None
        and (_same_principal(grant.retiring_principal, request.principal))
    ):
        return GrantVerdict(True, f"{request.principal.arn} is the grant's retiring principal")
    if not _same_principal(grant.grantee, request.principal):
        return GrantVerdict(False, f"grantee is {grant.grantee}, not {request.principal.arn}")
    if operation.lower() not in operations:
        return GrantVerdict(
            False, f"grant operations {list(grant.operations)} do not include {operation}"
        )
    context = _encryption_context(request)
    if grant.encryption_context_equals is not None and context != dict(
        grant.encryption_context_equals
    ):
        return GrantVerdict(
            False,
            f"grant requires encryption context exactly {dict(grant.encryption_context_equals)},"
            f" request has {context}",
        )
    if grant.encryption_context_subset is not None and not all(
        context.get(k) == v for k, v in grant.encryption_context_subset
    ):
        return GrantVerdict(
            False,
            f"grant requires encryption context to include {dict(grant.encryption_context_subset)}"
            f", request has {context}",
        )
    return GrantVerdict(True, f"grant lets {grant.grantee} perform {operation}")
