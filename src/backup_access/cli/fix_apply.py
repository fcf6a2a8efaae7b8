"""``fix --apply``: apply the account-level document changes of a fix plan to AWS.

For each fix it can apply (an inline, managed or boundary policy, a trust policy, a vault
access policy, a key policy) it reads the live document first and refuses when it differs
from the document the fix was computed on (someone changed it meanwhile) or when the
credentials are not those of the fix's account; asks once for confirmation (``--yes`` for
scripts); saves every document it replaces to a backup file and prints how to restore it;
applies through boto3; re-reads and compares (``fix_reexplain`` then re-runs the diagnosis
on the accounts collected again). It never applies SCP or RCP changes (the organization's
administrators make those), settings or alternatives: it lists them.

AWS errors are reported per fix, never raised: a live document that cannot be read means
nothing is applied (exit 4); a write AWS refuses stops the run there, and every change made
before it is reported with its restore command (exit 5, ``EXIT_PARTIAL``).

The live documents are read and written by ``backup_access.cli.live_documents``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import click

from backup_access.cli.live_documents import (
    ApplyError,
    LiveDocuments,
    LiveError,
    restore_command,
)
from backup_access.collect.calls import READ_ERRORS, error_text
from backup_access.collect.session import UnknownProfileError, make_session
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
#: ``fix --apply`` stopped at a change AWS refused (or whose outcome is not known): the
#: changes made before it stay applied and are listed with their restore commands.
EXIT_PARTIAL = 5
EXIT_AWS = 4  # as ``collect``'s: AWS could not be read (here: a live document)


class Step(StrEnum):
    """Where applying one fix failed."""

    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class Applied:
    """A change written to AWS; ``matches`` is None when it could not be re-read."""

    fix: Fix
    backup: Path | None
    restore: str
    matches: bool | None
    reread_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.fix.id,
            "target": self.fix.target,
            "backup": None if self.backup is None else str(self.backup),
            "restore": self.restore,
            "reread_matches": self.matches,
            "reread_error": self.reread_error,
        }


@dataclass(frozen=True, slots=True)
class Failed:
    """A fix whose live document could not be read, or whose write failed. ``written`` is
    False when AWS refused the write, None when its outcome is not known (then the previous
    document is kept in ``backup`` and ``restore`` says how to put it back)."""

    fix: Fix
    step: Step
    error: str
    written: bool | None = False
    backup: Path | None = None
    restore: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.fix.id,
            "target": self.fix.target,
            "step": self.step.value,
            "error": self.error,
            "written": self.written,
            "backup": None if self.backup is None else str(self.backup),
            "restore": self.restore,
        }


@dataclass(frozen=True, slots=True)
class ApplyOutcome:
    """What ``--apply`` did: the changes applied, the fix that failed (and those not
    attempted after it), or why nothing was applied (``refused``)."""

    applied: tuple[Applied, ...] = ()
    refused: str | None = None
    failed: tuple[Failed, ...] = ()
    not_attempted: tuple[Fix, ...] = ()

    @property
    def exit_code(self) -> int:
        """0; 1 refused; 4 a live document could not be read; 5 a write failed."""
        if any(f.step is Step.WRITE for f in self.failed):
            return EXIT_PARTIAL
        if self.failed:
            return EXIT_AWS
        return 1 if self.refused is not None else 0


@dataclass(frozen=True, slots=True)
class Checked:
    """The fixes whose live document is the one they were computed on, with it, and the
    fixes whose live document could not be read."""

    ready: list[tuple[Fix, Any]]
    unreadable: list[Failed]


def check_fixes(live: LiveDocuments, fixes: list[Fix]) -> Checked:
    """Each fix with the live document it replaces, and those AWS would not let us read;
    ``ApplyError`` when any must not be applied (another account's, or the live document is
    not the one it was computed on)."""
    account = live.account()
    ready, unreadable = [], []
    for fix in fixes:
        if fix.account != account:
            raise ApplyError(
                f"{fix.id} changes account {fix.account}, but the credentials are of account "
                f"{account}: run --apply with credentials of {fix.account} (--profile)"
            )
        try:
            current = live.read(fix)
        except LiveError as error:
            unreadable.append(Failed(fix, Step.READ, str(error)))
            continue
        if current != fix.previous:
            raise ApplyError(
                f"{fix.id}: the live {fix.kind.value} of {fix.target} differs from the one the fix "
                "was computed on (it changed meanwhile, or the world is out of date): collect the "
                "world again and re-run fix; nothing was applied"
            )
        ready.append((fix, current))
    return Checked(ready, unreadable)


def in_account(fixes: list[Fix], account: str) -> tuple[list[Fix], list[Fix]]:
    """(the fixes of ``account``, the others): one run applies one account's changes."""
    mine = [f for f in fixes if f.account == account]
    return mine, [f for f in fixes if f.account != account]


def _save(fix: Fix, current: Any, backups: Path) -> Path | None:
    """Save the document ``fix`` replaces (None: it creates one)."""
    if current is None:
        return None
    backups.mkdir(parents=True, exist_ok=True)
    backup = backups / (fix.file or f"{fix.id}.json")
    backup.write_text(pretty(current))
    return backup


def _discard(backup: Path | None) -> None:
    """Remove the backup of a write AWS refused (and its folder, if left empty)."""
    if backup is None:
        return
    backup.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # other backups are in it
        backup.parent.rmdir()


def apply_fixes(live: LiveDocuments, checked: list[tuple[Fix, Any]], backups: Path) -> ApplyOutcome:
    """Save each replaced document, apply, re-read and compare; stop at the first write
    that fails (the changes made before it stay, each with its restore command)."""
    done: list[Applied] = []
    for index, (fix, current) in enumerate(checked):
        backup = _save(fix, current, backups)
        try:
            live.write(fix)
        except LiveError as error:
            if error.refused:
                _discard(backup)
                failed = Failed(fix, Step.WRITE, str(error), written=False)
            else:
                failed = Failed(
                    fix, Step.WRITE, str(error), None, backup, restore_command(fix, backup)
                )
            rest = tuple(f for f, _ in checked[index + 1 :])
            return ApplyOutcome(tuple(done), failed=(failed,), not_attempted=rest)
        try:
            matches: bool | None = live.read(fix) == fix.document
            reread_error = None
        except LiveError as error:
            matches, reread_error = None, str(error)
        done.append(Applied(fix, backup, restore_command(fix, backup), matches, reread_error))
    return ApplyOutcome(tuple(done))


def _not_applicable(fixes: list[Fix]) -> None:
    for fix in fixes:
        if fix.kind not in APPLICABLE:
            why = {
                FixKind.SCP: "an SCP: for the organization's administrators, never applied here",
                FixKind.RCP: "an RCP: for the organization's administrators, never applied here",
                FixKind.SETTING: "a setting: run the commands shown",
                FixKind.ALTERNATIVE: "an alternative: no document to apply",
            }[fix.kind]
            click.echo(f"not applied: {fix.id} ({why})", err=True)


def _caller(profile: str | None) -> tuple[LiveDocuments, str]:
    try:
        live = LiveDocuments(make_session(profile))
        return live, live.account()
    except (UnknownProfileError, *READ_ERRORS) as error:
        why = str(error) if isinstance(error, UnknownProfileError) else error_text(error)
        click.echo(f"error: nothing applied: cannot read AWS as the caller: {why}", err=True)
        raise SystemExit(EXIT_AWS) from None


def apply_plans(
    plans: list[FixPlan], *, yes: bool, profile: str | None, backup_dir: Path | None = None
) -> ApplyOutcome:
    fixes = [f for plan in plans for f in plan.fixes]
    _not_applicable(fixes)
    applicable = [f for f in fixes if f.kind in APPLICABLE]
    if not applicable:
        click.echo("nothing to apply", err=True)
        return ApplyOutcome()
    live, account = _caller(profile)
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
    if checked.unreadable:
        for failed in checked.unreadable:
            click.echo(
                f"cannot read: {failed.fix.id} {failed.fix.target}: {failed.error}", err=True
            )
        click.echo(
            f"error: nothing applied: {len(checked.unreadable)} live document(s) could not be "
            "read, so they cannot be compared with the ones the fixes were computed on",
            err=True,
        )
        return ApplyOutcome(failed=tuple(checked.unreadable))
    if not yes and not click.confirm(
        f"Apply {len(checked.ready)} change(s) shown above to AWS?", default=False, err=True
    ):
        click.echo("nothing applied", err=True)
        return ApplyOutcome()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    outcome = apply_fixes(live, checked.ready, backup_dir or Path("backup-access-backups") / stamp)
    report(outcome)
    return outcome


def report(outcome: ApplyOutcome) -> None:
    """On stderr: each change made and how to restore it, then the one that failed."""
    for applied in outcome.applied:
        if applied.matches is None:
            state = f"applied, but could not be re-read ({applied.reread_error})"
        else:
            state = (
                "applied, re-read: matches" if applied.matches else "applied, but re-read DIFFERS"
            )
        click.echo(f"{applied.fix.id} {applied.fix.target}: {state}", err=True)
        if applied.backup is not None:
            click.echo(f"  previous document saved to {applied.backup}", err=True)
        click.echo(f"  to restore: {applied.restore}", err=True)
    for failed in outcome.failed:
        if failed.written is None:
            click.echo(
                f"{failed.fix.id} {failed.fix.target}: FAILED, it may or may not have been "
                f"written: {failed.error}",
                err=True,
            )
            if failed.backup is not None:
                click.echo(f"  previous document saved to {failed.backup}", err=True)
            click.echo(f"  if it was written, to restore: {failed.restore}", err=True)
        else:
            click.echo(
                f"{failed.fix.id} {failed.fix.target}: NOT applied, AWS refused it: {failed.error}",
                err=True,
            )
    for fix in outcome.not_attempted:
        click.echo(f"{fix.id} {fix.target}: not attempted (a change before it failed)", err=True)
    if outcome.failed:
        click.echo(
            f"error: partly applied: {len(outcome.applied)} of "
            f"{len(outcome.applied) + len(outcome.failed) + len(outcome.not_attempted)} "
            "change(s) made; those made stay applied (the restore commands are above)",
            err=True,
        )
