"""One table: each non-policy gate a message names → how the world checks it.

A handler evaluates what the world can (a setting, a role's trust, a key's manager, a
role's permission) and says what it cannot. Sources are those of the message families
(``diagnose.families``).
"""

from __future__ import annotations

from backup_access.catalogue import Gate
from backup_access.diagnose import message_checks
from backup_access.diagnose.families import MessageGate
from backup_access.diagnose.feature_gate import feature_supported
from backup_access.diagnose.gate_answer import GateAnswer, Handler, checked, meaning, note_only
from backup_access.diagnose.job_gates import backup_not_created, copy_service_denied, source_ami
from backup_access.diagnose.key_gates import job_key_checks
from backup_access.diagnose.lock_gate import retention_in_lock
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckDecision
from backup_access.diagnose.restore_gate import restore_job_checks
from backup_access.policy.arn import Arn
from backup_access.world import Role, World
from backup_access.world.model import VaultType
from backup_access.world.organization import account_path

_BACKUP_POLICY = "AWSBackupServiceRolePolicyForBackup"
_RESTORE_POLICY = "AWSBackupServiceRolePolicyForRestores"
_S3_POLICIES = {
    False: "AWSBackupServiceRolePolicyForS3Backup",
    True: "AWSBackupServiceRolePolicyForS3Restore",
}
_API_GS = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html"
_KMS_AMK = "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key"


def _cross_account_setting(world: World, parsed: ParsedMessage) -> GateAnswer:
    result = message_checks.setting(
        world,
        Gate.CROSS_ACCOUNT_BACKUP_ENABLED,
        "The organization's cross-account backup setting is enabled",
        _API_GS,
    )
    return checked(parsed, result)


def _role_trust(world: World, parsed: ParsedMessage) -> GateAnswer:
    if not parsed.role or parsed.masked:
        return note_only(world, parsed)
    return checked(parsed, message_checks.trust(world, parsed.role))


def _key_manager(world: World, parsed: ParsedMessage) -> GateAnswer:
    with_job = job_key_checks(world, parsed)  # the job around the message names the rest
    if with_job is not None:
        return with_job
    note = key_inaccessible_note(parsed.key)
    if not parsed.key or any(m.field.startswith("key") for m in parsed.masked):
        return GateAnswer(notes=(note,))
    result = message_checks.setting(
        world,
        Gate.KEY_CUSTOMER_MANAGED,
        "The key the message names is a customer managed key (AWS managed keys cannot be shared)",
        _KMS_AMK,
        {"key": parsed.key},
    )
    if result.decision.denies:  # an AWS managed key: the world reproduces the message
        return GateAnswer((result,), (note,))
    # A customer managed key does not contradict the message: its key policy is then the
    # likely cause, which the message's missing principal leaves to `explain copy --key`.
    return GateAnswer(notes=(note, f"in the world {result.reason}"))


def _role_tags(world: World, parsed: ParsedMessage) -> GateAnswer:
    """The selection's role calling tag:GetResources (a call on "*": it has no resource type)."""
    if not parsed.role or parsed.masked:
        return note_only(world, parsed)
    result = message_checks.permission(world, parsed.role, "tag:GetResources", "*")
    return checked(parsed, result)


def _role_permissions(world: World, parsed: ParsedMessage) -> GateAnswer:
    """A pasted restore job: the restore role's checks in the world; otherwise what the
    message names, with the role's policies as the world records them."""
    if not parsed.role:
        return note_only(world, parsed)
    with_job = restore_job_checks(world, parsed)
    if with_job is not None:
        policies = role_permissions_note(world, parsed.role, parsed.text, evaluated=True)
        return GateAnswer(
            with_job.checks,
            (*with_job.notes, policies),
            with_job.disagreements,
            with_job.unevaluated,
        )
    return GateAnswer(notes=(role_permissions_note(world, parsed.role, parsed.text),))


def _sharing_restricted(world: World, parsed: ParsedMessage) -> GateAnswer:
    answer = _cross_account_setting(world, parsed)
    return GateAnswer(answer.checks, (meaning(parsed),), answer.disagreements)


def _organization(world: World, parsed: ParsedMessage) -> GateAnswer:
    """Which accounts of the world are in its organization: a copy between one inside and one
    outside (or between two organizations) is what the message reports."""
    base = GateAnswer(notes=(meaning(parsed),))
    organization = world.organization
    if organization is None:
        return GateAnswer(notes=(*base.notes, "the world records no organization"))
    outside = sorted(a for a in world.accounts if account_path(organization, a) is None)
    inside = sorted(a for a in world.accounts if a not in outside)
    said = f"in the world, organization {organization.id} holds {', '.join(inside) or 'no account'}"
    if outside:
        said += f"; {', '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside it"
        return GateAnswer(notes=(*base.notes, said))
    return GateAnswer(
        notes=(*base.notes, said),
        disagreements=(
            f"the message reports accounts in different organizations, but {said} (every "
            "account of the world): the world may be out of date, or the copy involves an "
            "account the world does not hold",
        ),
    )


def _default_key_vaults(world: World, parsed: ParsedMessage) -> GateAnswer:
    """The world's vaults a cross-account copy cannot go into: the Default vault, and vaults
    encrypted with aws/backup (no key recorded means aws/backup)."""
    base = GateAnswer(notes=(meaning(parsed),))
    refused = sorted(
        vault.arn
        for account in world.accounts.values()
        for region in account.regions.values()
        for vault in region.vaults.values()
        if vault.type is not VaultType.LOGICALLY_AIR_GAPPED  # an AWS-owned key by default
        and (vault.name == "Default" or vault.key is None or "alias/aws/backup" in vault.key)
    )
    listed = ", ".join(refused) if refused else "none"
    return GateAnswer(
        notes=(
            *base.notes,
            f"in the world, the vaults that cannot receive a cross-account copy (the Default "
            f"vault, or encrypted with aws/backup): {listed}",
        )
    )


def _s3_describe(world: World, parsed: ParsedMessage) -> GateAnswer:
    """The bucket the message names, where the world holds it, and which roles there AWS
    Backup may assume, with or without the S3 backup policy (the public report of this
    message was fixed by attaching it)."""
    base = note_only(world, parsed)
    resource = parsed.resource or ""
    if not resource.startswith("arn:aws:s3:::"):
        return base
    bucket = resource.removeprefix("arn:aws:s3:::").split("/", 1)[0]
    holders = [a for a in world.accounts.values() if bucket in a.buckets]
    if len(holders) != 1:
        where = "is not in the world" if not holders else "is in several accounts of the world"
        return GateAnswer(notes=(*base.notes, f"bucket {bucket} {where}"))
    (account,) = holders
    described: list[str] = []
    for role in sorted(account.roles.values(), key=lambda r: r.name):
        if role.service_linked:
            continue
        if message_checks.trust(world, role.arn).decision is not CheckDecision.ALLOWED:
            continue
        names = [ref.rsplit("/", 1)[-1] for ref in role.policies]
        has = _S3_POLICIES[False] in names
        described.append(f"{role.name} ({'has' if has else 'lacks'} {_S3_POLICIES[False]})")
    roles = ", ".join(described) or "none"
    return GateAnswer(
        notes=(
            meaning(parsed),
            f"in the world, bucket {bucket} is in account {account.id}; roles there that AWS "
            f"Backup may assume: {roles}",
        )
    )


HANDLERS: dict[MessageGate, Handler] = {
    MessageGate.CROSS_ACCOUNT_BACKUP_DISABLED: _cross_account_setting,
    MessageGate.VAULT_POLICY_SHARING_RESTRICTED: _sharing_restricted,
    MessageGate.ROLE_NOT_ASSUMABLE: _role_trust,
    MessageGate.ROLE_INSUFFICIENT_PERMISSIONS: _role_permissions,
    MessageGate.SELECTION_ROLE_CANNOT_LIST_TAGS: _role_tags,
    MessageGate.KMS_KEY_INACCESSIBLE: _key_manager,
    MessageGate.DEFAULT_KEY_NOT_ACCESSIBLE: _key_manager,
    MessageGate.AWS_MANAGED_KEY_NOT_SHAREABLE: _key_manager,
    MessageGate.NOT_SAME_ORGANIZATION: _organization,
    MessageGate.DESTINATION_VAULT_DEFAULT_KEY: _default_key_vaults,
    MessageGate.RESOURCE_DESCRIBE_DENIED: _s3_describe,
    MessageGate.BACKUP_SERVICE_ACCESS_DENIED: copy_service_denied,
    MessageGate.RECOVERY_POINT_NOT_CREATED: backup_not_created,
    MessageGate.RETENTION_OUT_OF_RANGE: retention_in_lock,
    MessageGate.UNSUPPORTED_FEATURE: feature_supported,
    MessageGate.SOURCE_AMI_NOT_FOUND: source_ami,
}


def answer_gate(world: World, parsed: ParsedMessage) -> GateAnswer:
    """The world's answer to a gate message (every gate has a handler: see the test)."""
    if parsed.gate is None:
        return note_only(world, parsed)
    return HANDLERS[parsed.gate](world, parsed)


def _role_entity(world: World, role: str) -> Role | None:
    arn = Arn.parse(role)
    if arn is None or arn.resource_type != "role" or arn.account not in world.accounts:
        return None
    return world.accounts[arn.account].roles.get(arn.resource.rsplit("/", 1)[-1])


def role_permissions_note(world: World, role: str, text: str, *, evaluated: bool = False) -> str:
    """What to look at for a message about the service role's own permissions: it names no
    action or resource, so nothing can be evaluated from it alone (``evaluated``: the job
    around it was); say which AWS managed policy grants what AWS Backup does with the role,
    and what the world shows attached to it."""
    restore = "restore" in text.lower()
    policy = _RESTORE_POLICY if restore else _BACKUP_POLICY
    what = "restore" if restore else "back up"
    alone = (
        "names no action or resource itself (the job's checks above are evaluated instead)"
        if evaluated
        else "names no action or resource, so the world cannot evaluate it"
    )
    note = (
        f"the message is about what role {role} may do once AWS Backup has assumed it (not its "
        f"trust policy) and {alone}: check "
        f"the role's permissions for the type of resource to {what}, e.g. the AWS managed "
        f"{policy} ({_S3_POLICIES[restore]} for Amazon S3), and the KMS key policy of an "
        "encrypted resource"
    )
    entity = _role_entity(world, role)
    if entity is None:
        return f"{note}; role {role} is not in the world"
    attached = [ref.rsplit("/", 1)[-1] for ref in entity.policies] + sorted(entity.inline)
    listed = ", ".join(attached) or "no policies"
    if any(name in (policy, _S3_POLICIES[restore]) for name in attached):
        after = (
            "look at what the resource itself requires (its KMS key policy, a resource policy "
            "that denies the role)"
        )
    else:
        after = f"none of them is {policy}: attach it or grant the same actions"
    return f"{note}; in the world the role has {listed}: {after}"


def key_inaccessible_note(key: str | None) -> str:
    """What to run for a job message saying a KMS key is not accessible: it names no
    principal, so the world cannot evaluate the key's use as it stands."""
    named = f"KMS key {key}" if key else "the KMS key"
    option = f"--key {key}" if key else "--key KEY"
    return (
        f"the message says AWS Backup could not use {named} but names no principal, and the "
        "paste gives no job naming its role and vaults (paste aws backup describe-copy-job "
        "output to have the job's key checks evaluated), so the world cannot evaluate it: the "
        "service role uses the key of the resource it backs up "
        "or restores, the destination account's AWSServiceRoleForBackup the source key of a "
        f"cross-account copy; run `explain backup`, `explain restore` or `explain copy` with "
        f"{option} to check the key policy and the role's policies"
    )
