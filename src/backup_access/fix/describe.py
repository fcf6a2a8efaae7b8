"""Say in plain words what a change newly allows: who gains which actions on which
resources, under which conditions, so the user can judge it."""

from __future__ import annotations

from typing import Any

from backup_access.fix.merge import Merged, statements
from backup_access.fix.model import ConditionJoin, DocumentTarget, FixKind, JsonDocument
from backup_access.world import World


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _conditions(statement: JsonDocument) -> str:
    block = statement.get("Condition") or {}
    parts = []
    for operator, entries in block.items():
        for key, values in entries.items():
            parts.append(f"{key} {operator} {', '.join(_list(values))}")
    return f" when {' and '.join(parts)}" if parts else ""


def _who(principal: Any, statement: JsonDocument) -> str:
    if principal == "*" or principal == {"AWS": "*"}:
        condition = statement.get("Condition") or {}
        text = str(condition)
        if "aws:PrincipalOrgID" in text:
            return "any principal of the organization"
        if "aws:PrincipalOrgPaths" in text:
            return "any principal of an account under the OU path"
        return "ANYONE (no principal restriction)"
    if isinstance(principal, dict):
        out = []
        for kind, values in principal.items():
            for value in _list(values):
                if kind == "Service":
                    out.append(f"the AWS service {value}")
                elif value.endswith(":root"):
                    account = value.split(":")[4]
                    out.append(f"principals of account {account} (those its IAM policies allow)")
                else:
                    out.append(value)
        return ", ".join(out)
    return str(principal)


def _statement(target: DocumentTarget, statement: JsonDocument, world: World) -> str:
    actions = ", ".join(_list(statement.get("Action")))
    resources = ", ".join(_list(statement.get("Resource"))) or target.arn
    conditions = _conditions(statement)
    kind = target.kind
    if kind is FixKind.IDENTITY_POLICY:
        return f"{target.arn} may call {actions} on {resources}{conditions}"
    if kind is FixKind.BOUNDARY_POLICY:
        bounded = _bounded_by(world, target)
        return (
            f"boundary {target.label} now permits {actions} on {resources}{conditions} for every "
            f"principal it bounds ({bounded}); a boundary grants nothing by itself"
        )
    if kind is FixKind.MANAGED_POLICY:
        return (
            f"every principal {target.label} is attached to may call {actions} on "
            f"{resources}{conditions}"
        )
    if kind.is_organization_policy:
        levels = dict(target.names).get("targets", "")
        return (
            f"{target.kind.value.upper()}s at {levels or 'its levels'} now permit {actions} on "
            f"{resources}{conditions}; they grant nothing by themselves"
        )
    who = _who(statement.get("Principal"), statement)
    on = target.arn if resources in ("*", "") else resources
    if kind is FixKind.TRUST_POLICY:
        return f"{who} may assume {target.arn} ({actions}){conditions}"
    return f"{who} may call {actions} on {on}{conditions}"


def _bounded_by(world: World, target: DocumentTarget) -> str:
    holder = world.accounts.get(target.account)
    if holder is None:
        return "unknown"
    names = {target.arn, dict(target.names).get("policy", "")}
    found = [r.arn for r in holder.roles.values() if r.boundary in names]
    found += [u.arn for u in holder.users.values() if u.boundary in names]
    return ", ".join(sorted(found)) or "none in the world"


def _exception(target: DocumentTarget, statement: JsonDocument) -> str:
    principals = []
    for operator, entries in (statement.get("Condition") or {}).items():
        if operator in ("ArnNotEquals", "StringNotEquals"):
            for key, values in entries.items():
                if key.lower() in ("aws:principalarn", "aws:principalservicename"):
                    principals.extend(_list(values))
    sid = statement.get("Sid")
    name = f"statement {sid}" if sid else "a statement"
    actions = ", ".join(_list(statement.get("Action") or statement.get("NotAction")))
    return (
        f"{', '.join(principals)} {'is' if len(principals) == 1 else 'are'} no longer denied "
        f"{actions} by {name} of {target.label}; it still applies to everyone else"
    )


def _joined(target: DocumentTarget, join: ConditionJoin, document: JsonDocument) -> str:
    listed = statements(document)
    statement = listed[join.index] if join.index < len(listed) else {}
    actions = ", ".join(_list(statement.get("Action") or statement.get("NotAction")))
    name = f"statement {join.sid}" if join.sid else f"statement {join.index}"
    values = ", ".join(join.values)
    return (
        f"requests whose {join.key} is {values} are no longer denied {actions} by {name} of "
        f"{target.label} (its {join.operator} list now holds {values}), for every principal "
        "it covers; it still applies to every other value"
    )


def newly_allows(target: DocumentTarget, merged: Merged, world: World) -> list[str]:
    out = [_statement(target, s, world) for s in merged.added]
    out += [_exception(target, s) for s in merged.edited]
    out += [_joined(target, j, merged.document) for j in merged.joined]
    return out
