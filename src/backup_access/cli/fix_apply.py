"""``fix --apply``: apply the account-level document changes of a fix plan to AWS.

For each fix it can apply (an inline, managed or boundary policy, a trust policy, a vault
access policy, a key policy) it reads the live document first and refuses when it differs
from the document the fix was computed on (someone changed it meanwhile) or when the
credentials are not those of the fix's account; asks once for confirmation (``--yes`` for
scripts); saves every document it replaces to a backup file and prints how to restore it;
applies through boto3; re-reads and compares (``fix_reexplain`` then re-runs the diagnosis
on the accounts collected again). It never applies SCP or RCP changes (the organization's
administrators make those), settings or alternatives: it lists them.

boto3 clients come only from ``backup_access.collect.session``. Calls: IAM GetRolePolicy /
PutRolePolicy / GetRole / UpdateAssumeRolePolicy / GetPolicy / GetPolicyVersion /
CreatePolicyVersion, KMS GetKeyPolicy / PutKeyPolicy, Backup
GetBackupVaultAccessPolicy / PutBackupVaultAccessPolicy, STS GetCallerIdentity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from botocore.exceptions import BotoCoreError, ClientError

from backup_access.collect.session import UnknownProfileError, make_client, make_session
from backup_access.fix import Fix, FixKind, FixPlan
from backup_access.report.fix import pretty

APPLICABLE = frozenset(
    {
        FixKind.IDENTITY_POLICY,
        FixKind.MANAGED_POLICY,
        FixKind.BOUNDARY_POLICY,
        FixKind.TRUST_POLICY,
        FixKind.VAULT_POLICY,
        FixKind.KEY_POLICY,
    }
)
_NOT_FOUND = (
    "NoSuchEntity",
    "NoSuchEntityException",
    "ResourceNotFoundException",
    "NotFoundException",
)


class ApplyError(Exception):
    """A fix that must not be applied, and why."""


@dataclass(frozen=True, slots=True)
class Applied:
    fix: Fix
    backup: Path | None
    restore: str
    matches: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.fix.id,
            "target": self.fix.target,
            "backup": None if self.backup is None else str(self.backup),
            "restore": self.restore,
            "reread_matches": self.matches,
        }


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    """What ``--apply`` did: the changes applied, or why nothing was (``refused`` exits 1
    once the report is printed)."""

    applied: tuple[Applied, ...] = ()
    refused: str | None = None


def _code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _decode(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class LiveDocuments:
    """Read and write the live documents fixes target, with one session."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._clients: dict[tuple[str, str | None], Any] = {}

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = make_client(self.session, service, region)
        return self._clients[key]

    def account(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])

    def read(self, fix: Fix) -> Any:
        names = dict(fix.names)
        try:
            return self._read(fix, names)
        except Exception as error:  # botocore's ClientError, by code
            if _code(error) in _NOT_FOUND:
                return None
            raise

    def _read(self, fix: Fix, names: dict[str, str]) -> Any:
        if fix.kind is FixKind.IDENTITY_POLICY:
            holder = next(k for k in ("role", "user", "group") if k in names)
            call = getattr(self.client("iam"), f"get_{holder}_policy")
            found = call(**{f"{holder.title()}Name": names[holder], "PolicyName": names["policy"]})
            return _decode(found["PolicyDocument"])
        if fix.kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
            arn = names["policy_arn"]
            version = self.client("iam").get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
            found = self.client("iam").get_policy_version(PolicyArn=arn, VersionId=version)
            return _decode(found["PolicyVersion"]["Document"])
        if fix.kind is FixKind.TRUST_POLICY:
            return _decode(
                self.client("iam").get_role(RoleName=names["role"])["Role"][
                    "AssumeRolePolicyDocument"
                ]
            )
        if fix.kind is FixKind.VAULT_POLICY:
            backup = self.client("backup", fix.region)
            found = backup.get_backup_vault_access_policy(BackupVaultName=names["vault"])
            return _decode(found.get("Policy"))
        if fix.kind is FixKind.KEY_POLICY:
            kms = self.client("kms", fix.region)
            return _decode(kms.get_key_policy(KeyId=names["key"], PolicyName="default")["Policy"])
        raise ApplyError(f"{fix.kind.value} cannot be applied")

    def write(self, fix: Fix) -> None:
        names = dict(fix.names)
        text = json.dumps(fix.document, separators=(",", ":"))
        if fix.kind is FixKind.IDENTITY_POLICY:
            holder = next(k for k in ("role", "user", "group") if k in names)
            getattr(self.client("iam"), f"put_{holder}_policy")(
                **{f"{holder.title()}Name": names[holder]},
                PolicyName=names["policy"],
                PolicyDocument=text,
            )
        elif fix.kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
            self.client("iam").create_policy_version(
                PolicyArn=names["policy_arn"], PolicyDocument=text, SetAsDefault=True
            )
        elif fix.kind is FixKind.TRUST_POLICY:
            self.client("iam").update_assume_role_policy(
                RoleName=names["role"], PolicyDocument=text
            )
        elif fix.kind is FixKind.VAULT_POLICY:
            self.client("backup", fix.region).put_backup_vault_access_policy(
                BackupVaultName=names["vault"], Policy=text
            )
        elif fix.kind is FixKind.KEY_POLICY:
            self.client("kms", fix.region).put_key_policy(
                KeyId=names["key"], PolicyName="default", Policy=text
            )


def restore_command(fix: Fix, backup: Path | None) -> str:
    """How to put back the document a fix replaced (or remove the one it created)."""
    names = dict(fix.names)
    region = f" --region {fix.region}" if fix.region else ""
    file = f"file://{backup}" if backup is not None else ""
    if fix.kind is FixKind.IDENTITY_POLICY:
        holder = next(k for k in ("role", "user", "group") if k in names)
        base = f"--{holder}-name {names[holder]} --policy-name {names['policy']}"
        if backup is None:
            return f"aws iam delete-{holder}-policy {base}"
        return f"aws iam put-{holder}-policy {base} --policy-document {file}"
    if fix.kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
        return (
            f"aws iam create-policy-version --policy-arn {names['policy_arn']} "
            f"--policy-document {file} --set-as-default"
        )
    if fix.kind is FixKind.TRUST_POLICY:
        return (
            f"aws iam update-assume-role-policy --role-name {names['role']} "
            f"--policy-document {file}"
        )
    if fix.kind is FixKind.VAULT_POLICY:
        if backup is None:
            return (
                "aws backup delete-backup-vault-access-policy "
                f"--backup-vault-name {names['vault']}{region}"
            )
        return (
            f"aws backup put-backup-vault-access-policy --backup-vault-name {names['vault']} "
            f"--policy {file}{region}"
        )
    return (
        f"aws kms put-key-policy --key-id {names['key']} --policy-name default "
        f"--policy {file}{region}"
    )


def check_fixes(live: LiveDocuments, fixes: list[Fix]) -> list[tuple[Fix, Any]]:
    """Each fix with the live document it replaces; ``ApplyError`` when any must not be
    applied (another account's, or the live document is not the one it was computed on)."""
    account = live.account()
    out = []
    for fix in fixes:
        if fix.account != account:
            raise ApplyError(
                f"{fix.id} changes account {fix.account}, but the credentials are of account "
                f"{account}: run --apply with credentials of {fix.account} (--profile)"
            )
        current = live.read(fix)
        if current != fix.previous:
            raise ApplyError(
                f"{fix.id}: the live {fix.kind.value} of {fix.target} differs from the one the fix "
                "was computed on (it changed meanwhile, or the world is out of date): collect the "
                "world again and re-run fix; nothing was applied"
            )
        out.append((fix, current))
    return out


def in_account(fixes: list[Fix], account: str) -> tuple[list[Fix], list[Fix]]:
    """(the fixes of ``account``, the others): one run applies one account's changes."""
    mine = [f for f in fixes if f.account == account]
    return mine, [f for f in fixes if f.account != account]


def apply_fixes(
    live: LiveDocuments, checked: list[tuple[Fix, Any]], backups: Path
) -> list[Applied]:
    """Save each replaced document, apply, re-read and compare."""
    out = []
    for fix, current in checked:
        backup = None
        if current is not None:
            backups.mkdir(parents=True, exist_ok=True)
            backup = backups / (fix.file or f"{fix.id}.json")
            backup.write_text(pretty(current))
        live.write(fix)
        out.append(
            Applied(fix, backup, restore_command(fix, backup), live.read(fix) == fix.document)
        )
    return out


def apply_plans(
    plans: list[FixPlan], *, yes: bool, profile: str | None, backup_dir: Path | None = None
) -> ApplyOutcome:
    fixes = [f for plan in plans for f in plan.fixes]
    applicable = [f for f in fixes if f.kind in APPLICABLE]
    for fix in fixes:
        if fix.kind not in APPLICABLE:
            why = {
                FixKind.SCP: "an SCP: for the organization's administrators, never applied here",
                FixKind.RCP: "an RCP: for the organization's administrators, never applied here",
                FixKind.SETTING: "a setting: run the commands shown",
                FixKind.ALTERNATIVE: "an alternative: no document to apply",
            }[fix.kind]
            click.echo(f"not applied: {fix.id} ({why})", err=True)
    if not applicable:
        click.echo("nothing to apply", err=True)
        return ApplyOutcome()
    try:
        live = LiveDocuments(make_session(profile))
        account = live.account()
    except (UnknownProfileError, BotoCoreError, ClientError) as error:
        from backup_access.cli.collect import EXIT_AWS

        click.echo(f"error: nothing applied: cannot read AWS as the caller: {error}", err=True)
        raise SystemExit(EXIT_AWS) from None
    applicable, elsewhere = in_account(applicable, account)
    for fix in elsewhere:
        click.echo(
            f"not applied: {fix.id} changes account {fix.account}; run --apply again with its "
            "credentials (--profile)",
            err=True,
        )
    if not applicable:
        click.echo("nothing to apply with these credentials", err=True)
        return ApplyOutcome()
    try:
        checked = check_fixes(live, applicable)
    except ApplyError as error:
        click.echo(f"refused: {error}", err=True)
        return ApplyOutcome(refused=str(error))
    if not yes and not click.confirm(
        f"Apply {len(checked)} change(s) shown above to AWS?", default=False, err=True
    ):
        click.echo("nothing applied", err=True)
        return ApplyOutcome()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backups = backup_dir or Path("backup-access-backups") / stamp
    done = apply_fixes(live, checked, backups)
    for applied in done:
        state = "applied, re-read: matches" if applied.matches else "applied, but re-read DIFFERS"
        click.echo(f"{applied.fix.id} {applied.fix.target}: {state}", err=True)
        if applied.backup is not None:
            click.echo(f"  previous document saved to {applied.backup}", err=True)
        click.echo(f"  to restore: {applied.restore}", err=True)
    return ApplyOutcome(tuple(done))
