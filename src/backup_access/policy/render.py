"""Turn parsed statements back into policy JSON, to quote them in reports and fixes."""

from __future__ import annotations

from typing import Any

from backup_access.policy.model import Policy, PrincipalSpec, Statement


def _one_or_many(values: tuple[str, ...]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def principal_to_json(spec: PrincipalSpec) -> str | dict[str, Any]:
    if spec.everyone:
        return "*"
    out: dict[str, Any] = {}
    for key, values in (
        ("AWS", spec.aws),
        ("Service", spec.service),
        ("Federated", spec.federated),
        ("CanonicalUser", spec.canonical_user),
    ):
        if values:
            out[key] = _one_or_many(values)
    return out


def statement_to_json(statement: Statement) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if statement.sid is not None:
        out["Sid"] = statement.sid
    out["Effect"] = statement.effect.value
    if statement.principal is not None:
        out["Principal"] = principal_to_json(statement.principal)
    if statement.not_principal is not None:
        out["NotPrincipal"] = principal_to_json(statement.not_principal)
    for key, values in (
        ("Action", statement.actions),
        ("NotAction", statement.not_actions),
        ("Resource", statement.resources),
        ("NotResource", statement.not_resources),
    ):
        if values is not None:
            out[key] = _one_or_many(values)
    if statement.conditions:
        block: dict[str, dict[str, Any]] = {}
        for condition in statement.conditions:
            block.setdefault(condition.operator, {})[condition.key] = _one_or_many(condition.values)
        out["Condition"] = block
    return out


def policy_to_json(policy: Policy) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if policy.version is not None:
        out["Version"] = policy.version
    if policy.policy_id is not None:
        out["Id"] = policy.policy_id
    out["Statement"] = [statement_to_json(s) for s in policy.statements]
    return out
