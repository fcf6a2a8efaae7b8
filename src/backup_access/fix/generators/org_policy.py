"""FX-ORG-POLICY: an SCP or RCP blocks the request. A member account cannot change these:
the fix is a proposal for the organization's administrators, run in the management account.

- An explicit Deny is first passed by its own exception paths (``fix.exception_paths``): a
  tag on the one resource or principal that its negated ``aws:ResourceTag``/``aws:PrincipalTag``
  condition lets through (no policy change), then the destination vault or the request's
  value joined to its negated allow-list (a guardrail change to review). Only when none
  verifies does the Deny get an exception naming only the check's principal
  (``ArnNotEquals`` on ``aws:PrincipalArn``), the way AWS's own examples exempt an
  administration role
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html):
  the last resort, since the principal then escapes the guardrail on every resource.
- Without a Deny, some level of the organization path allows nothing for the action: SCPs
  and RCPs must allow at every level
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
  The narrowest change is one more statement, allowing exactly the action on the resource,
  in an allow-list policy already attached at each level that lacks it (its statements
  untouched); one policy attached at several such levels is edited once. Only where no
  such customer policy is attached, or the statement would take it past the 5,120-character
  SCP/RCP size quota, is a new policy created and attached there — each target holds at
  most 5 SCPs (and 5 RCPs), so a new policy is the last resort
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
"""

from __future__ import annotations

from collections import defaultdict

from backup_access.engine.model import Layer
from backup_access.fix.context import FixContext
from backup_access.fix.exception_paths import narrower_paths
from backup_access.fix.generators._common import denying
from backup_access.fix.limits import ORG_POLICY, exceeded
from backup_access.fix.merge import merge, sid_from
from backup_access.fix.model import (
    DenyException,
    DocumentEdit,
    DocumentTarget,
    Failure,
    FixKind,
    JsonDocument,
    Proposal,
)
from backup_access.fix.raw import find, join
from backup_access.fix.registry import Generator
from backup_access.fix.statements import action_words
from backup_access.fix.targets import account_of, principal_arn, split_statement_pointer, target_at
from backup_access.policy.wildcard import glob_matches
from backup_access.world import Organization
from backup_access.world.organization import account_path, org_policy, walk

ID = "FX-ORG-POLICY"
_DEFAULT_ACCOUNT_POLICIES = {"scp": ("FullAWSAccess",), "rcp": ("RCPFullAWSAccess",)}


def _level_allows(
    organization: Organization, names: tuple[str, ...], action: str, kind: str
) -> bool:
    """Whether a policy attached at a level has an Allow whose Action matches (conditions and
    resources aside: the verification re-evaluates everything)."""
    for name in names:
        try:
            policy = org_policy(organization, name)
        except KeyError:
            continue
        if policy.type.value != kind:
            continue
        for statement in policy.document.statements:
            if statement.effect.value != "Allow" or statement.actions is None:
                continue
            # policy.wildcard's matcher: linear on hostile patterns such as ``*?*?…X``,
            # where a ``.*`` regex backtracks (tests/fix/test_org_policy_actions.py).
            if any(glob_matches(a, action, ignore_case=True) for a in statement.actions):
                return True
    return False


def _lacking_levels(
    organization: Organization, account: str, action: str, kind: str
) -> list[tuple[str, str]]:
    """(level id, pointer of its policy list) of each level that allows nothing for action."""
    path = account_path(organization, account)
    if path is None:
        return []
    out = []
    for unit in path.units:
        if not _level_allows(organization, unit.policies, action, kind):
            out.append((unit.id, join(unit.location.pointer, "policies")))
    names = organization.account_policies.get(account, _DEFAULT_ACCOUNT_POLICIES[kind])
    if not _level_allows(organization, tuple(names), action, kind):
        out.append((account, join(organization.location.pointer, "account_policies", account)))
    return out


def _attached(organization: Organization, level: str) -> tuple[str, ...]:
    """The policy names attached at a level (an OU/root id or an account id)."""
    if level in organization.account_policies:
        return tuple(organization.account_policies[level])
    for path in walk(organization.root):
        if path[-1].id == level:
            return path[-1].policies
    return ()


def _extendable(
    context: FixContext, levels: list[tuple[str, str]], statement: JsonDocument, kind: str
) -> list[tuple[DocumentTarget, list[str]]]:
    """Existing customer policies attached at the lacking levels that can take ``statement``
    within the size quota: (target, the lacking levels it is attached at), the policy that
    covers the most levels first, each level covered once."""
    organization = context.world.organization
    assert organization is not None
    covers: dict[str, list[str]] = defaultdict(list)
    for level, _ in levels:
        for name in _attached(organization, level):
            if name in _DEFAULT_ACCOUNT_POLICIES[kind]:
                continue  # AWS managed: cannot be edited
            policy = organization.policies.get(name)
            if policy is not None and policy.type.value == kind:
                covers[name].append(level)
    out: list[tuple[DocumentTarget, list[str]]] = []
    left = {level for level, _ in levels}
    for name in sorted(covers, key=lambda n: (-len(covers[n]), n)):
        wanted = [level for level in covers[name] if level in left]
        pointer = join(organization.location.pointer, "policies", name, "document")
        document = find(context.raw, pointer)
        target = target_at(context.world, pointer)
        if not wanted or not isinstance(document, dict) or target is None:
            continue
        if exceeded(ORG_POLICY, [merge(document, (statement,)).document]) is not None:
            continue
        out.append((target, wanted))
        left -= set(wanted)
    return out


def _new_policy(
    organization: Organization,
    levels: list[tuple[str, str]],
    statement: JsonDocument,
    kind: str,
    action: str,
) -> DocumentEdit:
    name = sid_from("BackupAccessFix", kind, "Allow", action_words(action))
    fix_kind = FixKind.SCP if kind == "scp" else FixKind.RCP
    target = DocumentTarget(
        kind=fix_kind,
        arn=name,
        pointer=join(organization.location.pointer, "policies", name, "document"),
        account=organization.management_account or "the management account",
        label=f"new {kind.upper()} {name}",
        names=(("policy", name), ("type", kind), ("targets", ",".join(i for i, _ in levels))),
        attach_to=tuple(p for _, p in levels),
    )
    return DocumentEdit(target, (statement,))


def _allow_candidates(
    context: FixContext, failure: Failure, kind: str
) -> list[tuple[DocumentEdit, ...]]:
    """The statement in the attached allow-lists (new policies only where none can take it),
    then, as a fallback, one new policy attached at every lacking level."""
    check = failure.check
    organization = context.world.organization
    if organization is None or not (check.principal and check.action and check.resource):
        return []
    account = account_of(context.world, check.principal if kind == "scp" else check.resource)
    if account is None:
        return []
    levels = _lacking_levels(organization, account, check.action, kind)
    if not levels:
        return []
    statement: JsonDocument = {
        "Sid": sid_from("BackupAccessFix", "Allow", action_words(check.action)),
        "Effect": "Allow",
        "Action": check.action,
        "Resource": check.resource,
    }
    if kind == "rcp":
        statement["Principal"] = "*"
    new_everywhere = _new_policy(organization, levels, statement, kind, check.action)
    extended = _extendable(context, levels, statement, kind)
    if not extended:
        return [(new_everywhere,)]
    covered = {level for _, wanted in extended for level in wanted}
    edits = [DocumentEdit(target, (statement,)) for target, _ in extended]
    rest = [(level, pointer) for level, pointer in levels if level not in covered]
    if rest:
        edits.append(_new_policy(organization, rest, statement, kind, check.action))
    return [tuple(edits), (new_everywhere,)]


def _deny_edits(context: FixContext, failure: Failure) -> Proposal | None:
    """The Denies' own exception paths first, the principal's exemption last."""
    who = principal_arn(context.world, failure.check.principal or "")
    grouped: dict[DocumentTarget, list[DenyException]] = defaultdict(list)
    located = []
    for ref in denying(failure.check, failure.layer):
        split = split_statement_pointer(ref.pointer)
        if split is None or find(context.raw, split[0]) is None:
            continue
        target = target_at(context.world, split[0])
        statement = find(context.raw, ref.pointer)
        if target is not None:
            grouped[target].append(DenyException(split[1], who, ref.sid))
            if isinstance(statement, dict):
                located.append((target, ref, statement))
    if not grouped:
        return None
    exemption = tuple(DocumentEdit(t, exceptions=tuple(e)) for t, e in grouped.items())
    narrower = narrower_paths(context.world, failure.check, located, who)
    return Proposal(
        ID,
        failure,
        candidates=(*narrower.candidates, exemption),
        properties=narrower.tags,
        notes=narrower.notes,
        also=narrower.also,
    )


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if failure.layer not in (Layer.SCP.value, Layer.RCP.value):
        return None
    if denying(failure.check, failure.layer):
        return _deny_edits(context, failure)
    candidates = _allow_candidates(context, failure, failure.layer)
    return Proposal(ID, failure, candidates=tuple(candidates)) if candidates else None


GENERATOR = Generator(
    id=ID,
    title="For the organization's administrators: a narrow SCP/RCP exception or allow",
    source="https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html",
    propose=propose,
)
