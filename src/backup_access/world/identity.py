"""The identity side of a request: who the principal is in the world, and its policies.

Identity policies of a user are its inline and attached policies plus those of its groups;
of a role, its inline and attached policies
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html).
When a request names AWS Backup's service-linked role and the world does not list it, AWS's
default one is assumed: path ``/aws-service-role/backup.amazonaws.com/`` with the managed
policy AWSBackupServiceLinkedRolePolicyForBackup
(https://docs.aws.amazon.com/aws-backup/latest/devguide/using-service-linked-roles.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.engine.model import NamedPolicy
from backup_access.fields import at
from backup_access.policy.model import Policy
from backup_access.policy.principal import Principal, PrincipalKind
from backup_access.world.findings import Findings
from backup_access.world.lookup import managed_policy, suggest_aws_arn
from backup_access.world.model import Account, Location, Role, User, World

BACKUP_SLR_NAME = "AWSServiceRoleForBackup"
BACKUP_SLR_PATH = "/aws-service-role/backup.amazonaws.com/"
BACKUP_SLR_POLICY = (
    "arn:aws:iam::aws:policy/aws-service-role/AWSBackupServiceLinkedRolePolicyForBackup"
)


@dataclass(frozen=True, slots=True)
class Identity:
    """The world's record of the principal (None for roots, services, unknown principals)."""

    entity: Role | User | None
    account: Account | None
    policies: tuple[NamedPolicy, ...]
    boundary: tuple[NamedPolicy, ...] | None


def default_backup_slr(account: str) -> Role:
    """AWS's own AWSServiceRoleForBackup, as AWS creates it in every account that uses Backup."""
    return Role(
        name=BACKUP_SLR_NAME,
        arn=f"arn:aws:iam::{account}:role{BACKUP_SLR_PATH}{BACKUP_SLR_NAME}",
        path=BACKUP_SLR_PATH,
        trust=None,
        policies=(BACKUP_SLR_POLICY,),
        inline={},
        boundary=None,
        tags={},
        location=Location("AWS default service-linked role"),
    )


def _inline(prefix: str, inline: dict[str, Policy], location: Location) -> list[NamedPolicy]:
    return [
        NamedPolicy(
            f"{prefix} inline {name}",
            document,
            at(at(location.pointer, "inline"), name),
            location.source,
        )
        for name, document in sorted(inline.items())
    ]


def _attached(
    world: World,
    account: Account,
    refs: tuple[str, ...],
    owner: str,
    findings: Findings,
    *,
    what: str = "policy",
) -> list[NamedPolicy]:
    out = []
    for ref in refs:
        found = managed_policy(world, account, ref)
        if found is None:
            hint = suggest_aws_arn(ref)
            findings.lack(
                f"{what} {ref} of {owner}: its document is unknown (not shipped with "
                "backup-access and not in the world's aws_managed_policies)"
                + (f"; did you mean {hint}?" if hint else "")
            )
            continue
        out.append(
            NamedPolicy(found.arn, found.document, found.location.pointer, found.location.source)
        )
    return out


def _find_entity(
    world: World, principal: Principal, findings: Findings
) -> tuple[Role | User | None, Account | None]:
    account = world.accounts.get(principal.account or "")
    name = principal.name or ""
    if principal.kind in (PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION):
        role = account.roles.get(name) if account else None
        if role is None and name == BACKUP_SLR_NAME and principal.account:
            findings.note(
                f"{principal.account}'s {BACKUP_SLR_NAME} is not in the world: assumed AWS's "
                f"default service-linked role with {BACKUP_SLR_POLICY}"
            )
            return default_backup_slr(principal.account), account
        if role is None:
            where = f"account {principal.account}" + ("" if account else " (not in the world)")
            findings.lack(f"role {name} of {where}: its policies are unknown")
        elif principal.kind is PrincipalKind.ROLE and principal.arn != role.arn:
            findings.note(f"{principal.arn} is taken to be the world's role {role.arn}")
        return role, account
    if principal.kind is PrincipalKind.USER:
        user = account.users.get(name) if account else None
        if user is None:
            where = f"account {principal.account}" + ("" if account else " (not in the world)")
            findings.lack(f"user {name} of {where}: its policies are unknown")
        return user, account
    return None, account


def resolve_identity(world: World, principal: Principal, findings: Findings) -> Identity:
    entity, account = _find_entity(world, principal, findings)
    if entity is None or principal.account is None:
        return Identity(None, account, (), None)
    home = account or Account(principal.account, None, {}, {}, {}, {}, {})
    kind = "role" if isinstance(entity, Role) else "user"
    owner = f"{kind}/{entity.name}"
    policies = _inline(owner, entity.inline, entity.location)
    policies += _attached(world, home, entity.policies, owner, findings)
    if isinstance(entity, User):
        for group_name in entity.groups:
            group = home.groups[group_name]
            policies += _inline(f"group/{group.name}", group.inline, group.location)
            policies += _attached(world, home, group.policies, f"group/{group.name}", findings)
    unique = {named.name: named for named in policies}
    boundary: tuple[NamedPolicy, ...] | None = None
    if entity.boundary is not None:
        found = _attached(
            world, home, (entity.boundary,), owner, findings, what="permissions boundary"
        )
        boundary = tuple(found) if found else None
    return Identity(entity, account, tuple(unique.values()), boundary)
