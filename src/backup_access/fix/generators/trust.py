"""FX-TRUST: the role's trust policy does not let AWS Backup (or the principal) assume it.

Adds a statement trusting exactly the principal the check names — for a service role,
``backup.amazonaws.com`` with ``sts:AssumeRole``
(https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html). Roles AWS
owns cannot be changed: the alternative is a role of your own.

A service's trust statement is first tried with the role's confused-deputy protection:
``aws:SourceAccount`` and ``aws:SourceArn`` (and ``aws:SourceOrgID``) with the values the
check's request carries, and, for a key the request does not carry, the condition the role's
existing trust statements already put on it
(https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html).
Like every candidate, a statement is kept only if the patched world verifies it. AWS
Backup's pages do not say it sends ``aws:SourceAccount`` when it assumes a service role, so
a check turning on that key is unknown (diagnose/permission.py ``undocumented_key``): no
condition on it is written, and a note says how to add it and check it. The statement
without conditions comes last.
"""

from __future__ import annotations

from backup_access.diagnose.model import CheckResult
from backup_access.diagnose.permission import undocumented_key
from backup_access.fix.context import FixContext
from backup_access.fix.generators._common import denying, is_assume
from backup_access.fix.merge import sid_from, statements
from backup_access.fix.model import Alternative, DocumentEdit, Failure, JsonDocument, Proposal
from backup_access.fix.raw import find
from backup_access.fix.registry import Generator
from backup_access.fix.statements import principal_element
from backup_access.fix.targets import account_of, entity_of, is_protected, trust_target
from backup_access.world import Role

ID = "FX-TRUST"
# Confused-deputy keys, and the operator a new condition on each uses.
_DEPUTY_KEYS = (
    ("aws:SourceAccount", "StringEquals"),
    ("aws:SourceArn", "ArnLike"),
    ("aws:SourceOrgID", "StringEquals"),
)


def _existing(trust: object) -> dict[str, tuple[str, object]]:
    """key (lowercased) -> (operator, values) of the confused-deputy conditions the role's
    trust statements already hold (the first found)."""
    found: dict[str, tuple[str, object]] = {}
    listed = statements(trust) if isinstance(trust, dict) else []
    for statement in listed:
        block = statement.get("Condition") if isinstance(statement, dict) else None
        for operator, entries in (block or {}).items():
            for key, values in (entries or {}).items() if isinstance(entries, dict) else ():
                if any(key.lower() == k.lower() for k, _ in _DEPUTY_KEYS):
                    found.setdefault(key.lower(), (operator, values))
    return found


def _deputy_conditions(
    check: CheckResult, trust: object
) -> tuple[JsonDocument, JsonDocument, tuple[str, ...]]:
    """(the request's values and the existing statements' conditions on keys it lacks; the
    request's values only; notes for what could not be carried)."""
    existing = _existing(trust)
    full: JsonDocument = {}
    own: JsonDocument = {}
    notes: list[str] = []
    for key, operator in _DEPUTY_KEYS:
        if undocumented_key(key) is not None:
            continue  # a condition on it cannot be verified: the note says how to add it
        values = check.context_values(key)
        if values:
            value: object = values[0] if len(values) == 1 else list(values)
            own.setdefault(operator, {})[key] = value
            full.setdefault(operator, {})[key] = value
        elif key.lower() in existing:
            copied_operator, copied = existing[key.lower()]
            full.setdefault(copied_operator, {})[key] = copied
    notes.append(
        "if the trust statement proposed has no aws:SourceAccount condition, consider adding "
        "StringEquals aws:SourceAccount with the account whose jobs use the role, against the "
        "confused deputy (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html); "
        "AWS Backup's pages do not say it sends that key when it assumes a service role, so "
        "the tool cannot verify it: check that a job still runs after adding it"
    )
    return full, own, tuple(notes)


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "resource" or not is_assume(check) or denying(check, "resource"):
        return None
    if not (check.principal and check.action and check.resource):
        return None
    role = entity_of(context.world, check.resource)
    account = account_of(context.world, check.resource)
    if not isinstance(role, Role) or account is None:
        return None
    if is_protected(role):
        return Proposal(
            ID,
            failure,
            alternative=Alternative(
                role.arn,
                f"{role.arn} is a role AWS owns; its trust policy cannot be changed. Pass a "
                f"service role of your own that trusts {check.principal}.",
            ),
        )
    who = check.principal
    statement: JsonDocument = {
        "Sid": sid_from("Trust", who.split(".")[0].rsplit("/", 1)[-1]),
        "Effect": "Allow",
        "Principal": principal_element(who),
        "Action": check.action,
    }
    target = trust_target(role, account)
    notes: tuple[str, ...] = ()
    variants: list[JsonDocument] = []
    if who.endswith(".amazonaws.com"):
        full, own, notes = _deputy_conditions(check, find(context.raw, target.pointer))
        variants = [{**statement, "Condition": c} for c in (full, own) if c]
    variants.append(statement)  # last: verified when a condition cannot be
    unique = [v for n, v in enumerate(variants) if v not in variants[:n]]
    candidates = tuple((DocumentEdit(target, (v,)),) for v in unique)
    return Proposal(ID, failure, candidates=candidates, notes=notes)


GENERATOR = Generator(
    id=ID,
    title="Trust the service (or principal) in the role's trust policy",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html",
    propose=propose,
)
