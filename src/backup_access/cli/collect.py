"""``backup-access collect``: read AWS (read-only) into a world directory (docs/collect.md).

The collector and boto3 are imported when the command runs, not when the CLI starts, so that
``backup-access --help`` and the offline commands do not pay for them.

Exit codes: 0 the world was written (parts that could not be read are listed in its
manifest and on stderr), 2 usage error, 3 invalid ``--out``, 4 AWS could not be read at all
(no credentials, the caller cannot be identified, the organization cannot be read).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from backup_access.cli import main
from backup_access.cli.common import EXIT_INPUT, echo_error, format_option
from backup_access.errors import InputError

if TYPE_CHECKING:
    from backup_access.collect.run import Collected, CollectOptions

EXIT_AWS = 4


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


class _Bar:
    """A rich progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("collecting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("", total=0)

    def planned(self, steps: int) -> None:
        task = self.progress.tasks[0]
        self.progress.update(self.task, total=(task.total or 0) + steps)

    def done(self, what: str) -> None:
        self.progress.update(self.task, advance=1, description=what)


def run_collect(options: CollectOptions, out: Path) -> Collected:
    """Collect and write ``out``; the progress bar only on a terminal."""
    from backup_access.collect.run import collect
    from backup_access.collect.writer import check_target, write_world

    check_target(out)
    if sys.stderr.isatty():
        bar = _Bar()
        with bar.progress:
            collected = collect(options, progress=bar)
    else:
        collected = collect(options)
    write_world(out, collected)
    return collected


def _summary(collected: Collected, out: Path) -> dict[str, Any]:
    manifest = collected.manifest
    return {
        "out": str(out),
        "collected_by": manifest["collected_by"],
        "regions": manifest["regions"],
        "accounts": manifest["accounts"],
        "gaps": manifest["gaps"],
        "unknown": manifest["unknown"],
    }


def _check_scope(regions: tuple[str, ...], accounts: tuple[str, ...]) -> None:
    """Usage errors, before any AWS call, for a Region AWS does not have or an account id
    that is not 12 digits (explain's checks of the same values)."""
    from backup_access.cli.usage import is_account_id, mistake, region_mistake

    if "all" in regions and len(regions) > 1:
        raise click.UsageError("--regions takes a list of Regions or 'all', not both")
    for region in regions:
        error = None if region == "all" else region_mistake("--regions", region)
        if error is not None:
            raise error
    for account in accounts:
        if not is_account_id(account):
            raise mistake(f"--accounts: '{account}' is not a 12-digit account id")


@main.command()
@click.option("--profile", help="AWS profile (default: the standard credential chain).")
@click.option(
    "--regions",
    metavar="R1,R2|all",
    help="Regions to read (default: the profile's Region; 'all': every AWS Backup Region).",
)
@click.option("--org", is_flag=True, help="Read the organization and every member account.")
@click.option(
    "--role-name",
    default="OrganizationAccountAccessRole",
    show_default=True,
    help="Role assumed in each other account (members with --org, or --accounts).",
)
@click.option(
    "--accounts",
    metavar="ID,…",
    help="Only these accounts: members with --org; without it, accounts entered with "
    "--role-name (the caller's own is read directly).",
)
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option(
    "--rate",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="At most this many API requests a second to each account (AWS throttles per account).",
)
@click.option(
    "--cloudtrail-days",
    type=click.IntRange(1, 90),
    default=None,
    help="Also save AccessDenied events of the last N days (for explain --cloudtrail).",
)
@click.option(
    "--max-recovery-points",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Recovery points listed per vault (0: none).",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="World directory.")
@format_option
def collect(
    profile: str | None,
    regions: str | None,
    org: bool,
    role_name: str,
    accounts: str | None,
    workers: int,
    rate: float,
    cloudtrail_days: int | None,
    max_recovery_points: int,
    out: Path,
    output_format: str,
) -> None:
    """Read AWS (read-only) into a world directory: organization.json, one
    account-ID.json per account and manifest.json (what could not be read, and why)."""
    from backup_access.collect.run import CollectError, CollectOptions

    wanted, chosen = _list(regions), _list(accounts)
    _check_scope(wanted, chosen)
    options = CollectOptions(
        profile=profile,
        regions=wanted,
        org=org,
        role_name=role_name,
        accounts=chosen,
        workers=workers,
        cloudtrail_days=cloudtrail_days,
        requests_per_second=rate,
        recovery_point_limit=max_recovery_points,
    )
    try:
        collected = run_collect(options, out)
    except InputError as error:
        echo_error(error)
        sys.exit(EXIT_INPUT)
    except CollectError as error:
        echo_error(error)
        sys.exit(EXIT_AWS)
    summary = _summary(collected, out)
    if output_format == "json":
        click.echo(json.dumps(summary, indent=2, sort_keys=True))
    else:
        count = sum(1 for state in summary["accounts"].values() if state == "collected")
        click.echo(
            f"wrote {out}: {count} account(s), Region(s) {', '.join(summary['regions'])}, "
            f"as {summary['collected_by']}"
        )
    if summary["gaps"]:
        click.echo(f"{len(summary['gaps'])} part(s) could not be read:", err=True)
        for gap in summary["gaps"]:
            where = f" {gap['region']}" if gap["region"] else ""
            click.echo(
                f"  {gap['account']}{where} {gap['part']}: {gap['action']}: {gap['error']}",
                err=True,
            )
    if summary["unknown"]:
        click.echo(
            f"{len(summary['unknown'])} part(s) unknown: questions touching them answer unknown:",
            err=True,
        )
        for key, reason in summary["unknown"].items():
            click.echo(f"  {key}: {reason}", err=True)
