"""One collection run: who is calling, which accounts and Regions, a thread pool over them,
and everything that was read or not, ready to be written as a world directory.

Order: the caller (sts:GetCallerIdentity); with ``--org`` the organization and AWS Backup's
organization setting from the calling account, then each member account entered through
sts:AssumeRole; per account its IAM, per account and Region its AWS Backup state, RAM shares,
EC2 Allowed AMIs and (optionally) CloudTrail AccessDenied events; last the KMS keys those
vaults and recovery points use, read in the account that owns each key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import boto3

from backup_access import __version__
from backup_access.collect.backup import BackupPart, read_backup, read_global_settings
from backup_access.collect.calls import (
    MISSING,
    READ_ERRORS,
    CallLog,
    Gap,
    Reader,
    error_code,
    error_text,
)
from backup_access.collect.cloudtrail import read_access_denied
from backup_access.collect.ec2 import ec2_section, read_allowed_images
from backup_access.collect.iam import IamPart, read_iam
from backup_access.collect.kms import read_key
from backup_access.collect.organization import (
    Member,
    OrganizationUnreadableError,
    read_organization,
)
from backup_access.collect.ram import read_vault_shares
from backup_access.collect.s3 import read_buckets
from backup_access.collect.session import UnknownProfileError, make_client, make_session
from backup_access.policy.arn import Arn
from backup_access.world.manifest import ORGANIZATION_KEY
from backup_access.world.model import AllowedImages

DEFAULT_ROLE = "OrganizationAccountAccessRole"
SESSION_NAME = "backup-access-collect"


class CollectError(Exception):
    """The run cannot start or cannot read what it must (the caller, the organization)."""


class Progress(Protocol):
    def planned(self, steps: int) -> None: ...

    def done(self, what: str) -> None: ...


class _Quiet:
    def planned(self, steps: int) -> None:
        pass

    def done(self, what: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class CollectOptions:
    """What to collect. ``regions`` empty: the session's Region; ``("all",)``: every Region
    where AWS Backup is offered (botocore's endpoint data). ``accounts``: with ``org``, the
    members to read; without, the accounts to read (the caller's directly, others through
    sts:AssumeRole into ``role_name``); empty: every member, or the caller's account."""

    profile: str | None = None
    regions: tuple[str, ...] = ()
    org: bool = False
    role_name: str = DEFAULT_ROLE
    accounts: tuple[str, ...] = ()
    workers: int = 8
    cloudtrail_days: int | None = None
    requests_per_second: float = 20.0  # per account
    recovery_point_limit: int = 1000
    follow_keys: bool = False  # also enter accounts that own keys the vaults use (--live)


@dataclass
class Collected:
    """Everything a run read, as world sections, plus the manifest."""

    organization: dict[str, Any] | None
    accounts: dict[str, dict[str, Any]]
    aws_policies: dict[str, Any]
    cloudtrail: dict[str, list[dict[str, Any]]]  # file name -> events
    manifest: dict[str, Any]
    actions: frozenset[str] = frozenset()


@dataclass
class _Account:
    reader: Reader
    name: str | None = None
    iam: IamPart | None = None
    backup: dict[str, BackupPart] = field(default_factory=dict)
    shares: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    images: dict[str, AllowedImages] = field(default_factory=dict)  # region -> Allowed AMIs
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # region -> id -> key
    keys_only: bool = False  # entered only to read keys its vaults' neighbours use
    s3: dict[str, Any] | None = None  # the world's ``s3`` section


def _status(state: _Account | None) -> str:
    if state is None:
        return "not collected"
    return "keys only" if state.keys_only else "collected"


def _regions(session: Any, wanted: tuple[str, ...]) -> list[str]:
    if wanted == ("all",):
        return sorted(session.get_available_regions("backup"))
    if wanted:
        return sorted(dict.fromkeys(wanted))
    return [session.region_name or "us-east-1"]


def _enter(base: Reader, account: str, role_name: str, make_session_for: Callable[..., Any]) -> Any:
    """A session in ``account`` through sts:AssumeRole, or None (and a gap) when refused."""
    role = f"arn:aws:iam::{account}:role/{role_name}"
    answer = base.call(
        base.client("sts"),
        "assume_role",
        part=f"account {account}",
        unknown=account,
        about=account,
        RoleArn=role,
        RoleSessionName=SESSION_NAME,
    )
    if answer is None or answer is MISSING:
        return None
    credentials = answer["Credentials"]
    return make_session_for(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=base.session.region_name,
    )


def _session_from_keys(**keys: Any) -> Any:
    """A session on the assumed role's temporary credentials (held in memory only)."""
    return boto3.Session(**keys)


def _org_membership(reader: Reader, log: CallLog) -> str | None:
    """For a single-account run: why the organization's SCPs and RCPs are unknown, if they
    are (the account is a member, or membership could not be read)."""
    client = reader.client("organizations")
    try:
        answer = client.describe_organization()
    except READ_ERRORS as error:
        if error_code(error) == "AWSOrganizationsNotInUseException":
            return None
        text = error_text(error)
        log.add_gap(
            Gap(
                reader.account,
                None,
                "organization",
                "organizations:DescribeOrganization",
                text,
                ORGANIZATION_KEY,
            )
        )
        return f"whether account {reader.account} is in an organization could not be read ({text})"
    organization = answer["Organization"]
    return (
        f"account {reader.account} is in organization {organization['Id']}, whose SCPs and RCPs "
        "were not collected: run `backup-access collect --org` from the management account"
    )


class _Run:
    def __init__(self, options: CollectOptions, progress: Progress, make: Callable[..., Any]):
        self.options = options
        self.progress = progress
        self.make = make
        self.log = CallLog(options.requests_per_second)
        self.now = dt.datetime.now(dt.UTC)

    def reader(self, account: str, session: Any) -> Reader:
        return Reader(account, session, self.log, self.make)

    def account_tasks(
        self, pool: ThreadPoolExecutor, state: _Account, regions: list[str]
    ) -> list[Future[None]]:
        def iam() -> None:
            state.iam = read_iam(state.reader)
            state.s3 = read_buckets(state.reader, regions[0])
            self.progress.done(f"{state.reader.account} IAM")

        def region_task(region: str) -> Callable[[], None]:
            def run() -> None:
                state.backup[region] = read_backup(
                    state.reader,
                    region,
                    now=self.now,
                    recovery_point_limit=self.options.recovery_point_limit,
                )
                shares = read_vault_shares(state.reader, region)
                state.shares[region] = shares or {}
                images = read_allowed_images(state.reader, region)
                if images is not None:
                    state.images[region] = images
                self.progress.done(f"{state.reader.account} {region}")

            return run

        futures = [pool.submit(iam)]
        futures += [pool.submit(region_task(r)) for r in regions]
        return futures

    def cloudtrail(
        self, pool: ThreadPoolExecutor, states: dict[str, _Account], regions: list[str]
    ) -> dict[str, Future[Any]]:
        if self.options.cloudtrail_days is None:
            return {}
        since = self.now - dt.timedelta(days=self.options.cloudtrail_days)
        out = {}
        for account, state in states.items():
            for region in regions:
                out[f"access-denied-{account}-{region}.json"] = pool.submit(
                    read_access_denied, state.reader, region, since=since
                )
        return out

    def keys(
        self,
        pool: ThreadPoolExecutor,
        states: dict[str, _Account],
        wanted: dict[tuple[str, str], set[str]],
    ) -> None:
        """Read each wanted key in the account that owns it (a gap when not collected)."""
        futures = []
        self.progress.planned(sum(len(v) for v in wanted.values()))
        for (account, region), arns in sorted(wanted.items()):
            owner = states.get(account)
            if owner is None:
                for arn in sorted(arns):
                    self.log.add_gap(
                        Gap(
                            account,
                            region,
                            f"KMS key {arn}",
                            "(not collected)",
                            f"account {account} was not collected",
                            None,
                        )
                    )
                    self.progress.done(arn)
                continue
            for arn in sorted(arns):
                futures.append((owner, region, pool.submit(read_key, owner.reader, region, arn)))
        for owner, region, future in futures:
            found = future.result()
            if found is not None:
                owner.keys.setdefault(region, {})[found[0]] = found[1]
            self.progress.done("key")


def _wanted_keys(states: dict[str, _Account]) -> dict[tuple[str, str], set[str]]:
    """The key ARNs vaults and recovery points use, by (owning account, Region)."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for state in states.values():
        for part in state.backup.values():
            for key in part.keys:
                parsed = Arn.parse(key)
                if parsed is not None and parsed.account and parsed.region:
                    wanted.setdefault((parsed.account, parsed.region), set()).add(key)
    return wanted


def _account_section(state: _Account) -> dict[str, Any]:
    section: dict[str, Any] = {}
    if state.name:
        section["name"] = state.name
    if state.iam is not None:
        section["iam"] = state.iam.section
    if state.s3 is not None:
        section["s3"] = state.s3
    regions: dict[str, Any] = {}
    for region in sorted({*state.backup, *state.keys, *state.images}):
        backup = state.backup.get(region)
        shares = state.shares.get(region, {})
        entry: dict[str, Any] = {}
        if backup is not None:
            for name, vault in backup.vaults.items():
                arn = f"arn:aws:backup:{region}:{state.reader.account}:backup-vault:{name}"
                if shares.get(arn):
                    vault["shared_with"] = shares[arn]
            section_backup = backup.section()
            if section_backup["vaults"] or len(section_backup) > 1:
                entry["backup"] = section_backup
        if state.keys.get(region):
            entry["kms"] = {"keys": dict(sorted(state.keys[region].items()))}
        if region in state.images:
            entry["ec2"] = ec2_section(state.images[region])
        if entry:
            regions[region] = entry
    if regions:
        section["regions"] = regions
    return section


@dataclass
class _Scope:
    """Who is calling, and which accounts the run covers."""

    caller_arn: str
    base: Reader
    regions: list[str]
    organization: dict[str, Any] | None
    targets: list[Member]
    unknown: dict[str, str]


def _identify(run: _Run, session: Any, options: CollectOptions) -> tuple[str, Reader, list[str]]:
    """The caller's ARN, a reader in its account, and the Regions to read."""
    try:
        base_session = session or make_session(options.profile, None)
    except UnknownProfileError as error:
        raise CollectError(str(error)) from None
    regions = _regions(base_session, options.regions)
    if session is None and base_session.region_name is None:
        # Global services (STS, IAM, Organizations) still need a Region to build clients.
        base_session = make_session(options.profile, regions[0])
    try:
        identity = run.log.attach(run.make(base_session, "sts", regions[0])).get_caller_identity()
    except READ_ERRORS as error:
        raise CollectError(
            f"cannot identify the caller (sts:GetCallerIdentity): {error_text(error)}"
        ) from None
    return identity["Arn"], run.reader(identity["Account"], base_session), regions


def caller_arn(profile: str | None = None) -> str:
    """The ARN of the principal ``profile``'s credentials (or the standard chain's) stand
    for, from sts:GetCallerIdentity; ``CollectError`` when it cannot be read."""
    try:
        session = make_session(profile, None)
        if session.region_name is None:
            session = make_session(profile, "us-east-1")
        identity = make_client(session, "sts", session.region_name).get_caller_identity()
    except UnknownProfileError as error:
        raise CollectError(str(error)) from None
    except READ_ERRORS as error:
        raise CollectError(
            f"cannot identify the caller (sts:GetCallerIdentity): {error_text(error)}"
        ) from None
    return str(identity["Arn"])


def _scope(run: _Run, base: Reader, caller_arn: str, regions: list[str]) -> _Scope:
    """The organization (with ``org``) and the accounts to read."""
    options, caller = run.options, base.account
    unknown: dict[str, str] = {}
    organization: dict[str, Any] | None = None
    members: list[Member] = [Member(caller, None, "ACTIVE")]
    if options.org:
        settings = read_global_settings(base, regions[0])
        try:
            part = read_organization(base, settings=settings)
        except OrganizationUnreadableError:
            gaps = [g for g in run.log.gaps if g.unknown == ORGANIZATION_KEY]
            why = gaps[-1].error if gaps else "unknown error"
            if gaps and gaps[-1].action == "(parse)":  # read, but not usable: not the caller's
                raise CollectError(
                    f"cannot use the organization read from account {caller}: "
                    f"{gaps[-1].part}: {why}"
                ) from None
            raise CollectError(
                f"cannot read the organization from account {caller}: {why} "
                "(run from the management account or a delegated administrator)"
            ) from None
        organization, members = part.section, part.members
    else:
        reason = _org_membership(base, run.log)
        if reason is not None:
            unknown[ORGANIZATION_KEY] = reason
        # other accounts are entered with --role-name, as members would be
        members += [Member(a, None, None) for a in sorted(set(options.accounts) - {caller})]
    chosen = set(options.accounts)
    targets = [m for m in members if not chosen or m.id in chosen]
    return _Scope(caller_arn, base, regions, organization, targets, unknown)


def _enter_accounts(run: _Run, scope: _Scope) -> dict[str, _Account]:
    """A reader for each target account that can be entered (the others are gaps)."""
    states: dict[str, _Account] = {}
    run.progress.planned(len(scope.targets))
    for member in sorted(scope.targets, key=lambda m: m.id):
        if member.status not in (None, "ACTIVE"):
            scope.unknown[member.id] = (
                f"account {member.id} was not collected: its status is {member.status}"
            )
        elif member.id == scope.base.account:
            states[member.id] = _Account(scope.base, member.name)
        else:
            entered = _enter(scope.base, member.id, run.options.role_name, _session_from_keys)
            if entered is not None:
                states[member.id] = _Account(run.reader(member.id, entered), member.name)
        run.progress.done(member.id)
    return states


def _read_accounts(
    run: _Run, scope: _Scope, states: dict[str, _Account]
) -> dict[str, list[dict[str, Any]] | None]:
    """IAM, AWS Backup, RAM (and CloudTrail) of every account, then the keys they use."""
    run.progress.planned(len(states) * (1 + len(scope.regions)))
    pool = ThreadPoolExecutor(max_workers=max(1, run.options.workers))
    try:
        futures: list[Future[None]] = []
        for state in states.values():
            futures += run.account_tasks(pool, state, scope.regions)
        trails = run.cloudtrail(pool, states, scope.regions)
        for future in futures:
            future.result()
        wanted = _wanted_keys(states)
        if run.options.follow_keys:  # enter the accounts that own keys the vaults use
            for account in sorted({owner for owner, _ in wanted} - set(states)):
                entered = _enter(scope.base, account, run.options.role_name, _session_from_keys)
                if entered is not None:
                    states[account] = _Account(run.reader(account, entered), keys_only=True)
        run.keys(pool, states, wanted)
        return {name: f.result() for name, f in trails.items()}
    finally:
        # On Ctrl-C or an error, queued work is dropped instead of run to the end.
        pool.shutdown(wait=True, cancel_futures=True)


def _manifest(
    run: _Run, scope: _Scope, states: dict[str, _Account], unknown: dict[str, str]
) -> dict[str, Any]:
    options = run.options
    return {
        "format": 1,
        "tool": f"backup-access {__version__}",
        "collected_at": run.now.isoformat().replace("+00:00", "Z"),
        "collected_by": scope.caller_arn,
        "organization": options.org,
        "regions": scope.regions,
        "accounts": {
            account: _status(states.get(account))
            for account in sorted({*(m.id for m in scope.targets), *states})
        },
        "role_name": options.role_name if options.org or options.accounts else None,
        "cloudtrail_days": options.cloudtrail_days,
        "gaps": [_gap_entry(g) for g in sorted(run.log.gaps, key=_gap_order)],
        "unknown": dict(sorted(unknown.items())),
        "backup_plans": {
            account: {r: p.plans for r, p in sorted(state.backup.items()) if p.plans}
            for account, state in sorted(states.items())
            if any(p.plans for p in state.backup.values())
        },
        "calls": sorted(run.log.actions),
    }


def collect(
    options: CollectOptions,
    *,
    progress: Progress | None = None,
    make: Callable[..., Any] | None = None,
    session: Any = None,
) -> Collected:
    """Read AWS as ``options`` say; raises ``CollectError`` when the caller cannot be
    identified or, with ``org``, the organization cannot be read."""
    run = _Run(options, progress or _Quiet(), make or make_client)
    caller_arn, base, regions = _identify(run, session, options)
    scope = _scope(run, base, caller_arn, regions)
    states = _enter_accounts(run, scope)
    cloudtrail = _read_accounts(run, scope, states)
    unknown = dict(scope.unknown)
    for gap in run.log.gaps:
        if gap.unknown is not None and gap.unknown not in unknown:
            unknown[gap.unknown] = _reason(gap, options.role_name)
    aws_policies: dict[str, Any] = {}
    for state in states.values():
        if state.iam is not None:
            for arn, doc in state.iam.aws_policies.items():
                aws_policies.setdefault(arn, doc)
    return Collected(
        organization=scope.organization,
        accounts={account: _account_section(states[account]) for account in sorted(states)},
        aws_policies=dict(sorted(aws_policies.items())),
        cloudtrail={name: events for name, events in sorted(cloudtrail.items()) if events},
        manifest=_manifest(run, scope, states, unknown),
        actions=frozenset(run.log.actions),
    )


def _reason(gap: Gap, role_name: str) -> str:
    if gap.action == "sts:AssumeRole":
        return (
            f"account {gap.account} could not be entered: sts:AssumeRole into role {role_name} "
            f"was refused ({gap.error})"
        )
    where = f" in {gap.region}" if gap.region else ""
    return f"{gap.part} of account {gap.account}{where}: {gap.action} failed ({gap.error})"


def _gap_entry(gap: Gap) -> dict[str, Any]:
    return {
        "account": gap.account,
        "region": gap.region,
        "part": gap.part,
        "action": gap.action,
        "error": gap.error,
        "unknown": gap.unknown,
    }


def _gap_order(gap: Gap) -> tuple[str, str, str, str]:
    return (gap.account, gap.region or "", gap.part, gap.action)
