"""``backup-access simulate``: evaluate requests with every policy layer, like AWS does."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from backup_access.catalogue import ParameterKind
from backup_access.cli import main
from backup_access.cli.common import (
    EXIT_EXPECTATION,
    current_output,
    input_errors_exit_3,
    output_options,
    write,
)
from backup_access.cli.usage import (
    action_mistake,
    check_action,
    check_in_world,
    check_shape,
    one_world,
)
from backup_access.documents import load_document
from backup_access.engine import evaluate
from backup_access.fields import arn_problem, one_action, one_resource
from backup_access.policy.context import ContextValue
from backup_access.report.printable import printable
from backup_access.report.simulation import (
    expectation_met,
    markdown_decision,
    render_text,
    result_to_dict,
    to_json,
)
from backup_access.report.text import Style, TextReport
from backup_access.simulate.batch import cyclic_gc_paused, run_batch
from backup_access.simulate.request_file import EXPECTATIONS
from backup_access.world import Resolution, load_world, resolve
from backup_access.world.findings import is_assumption

_EXAMPLE = """\b
Example (in the repository's example organization):
  backup-access simulate --world examples/worlds/cross-account-copy \\
    --principal arn:aws:iam::111111111111:role/service-role/BackupCopyRole \\
    --action backup:CopyIntoBackupVault \\
    --resource arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou
"""


@main.command(epilog=_EXAMPLE)
@click.argument("request_file", type=click.Path(path_type=Path), required=False)
@click.option(
    "--world",
    type=click.Path(path_type=Path),
    multiple=True,
    callback=one_world,
    help="World file or directory (docs/world.md): evaluate one request resolved in it.",
)
@click.option("--principal", help="With --world: who calls (role, session, user, root ARN…).")
@click.option("--action", help="With --world: the action, e.g. backup:StartCopyJob.")
@click.option("--resource", help='With --world: the resource ARN, or "*".')
@click.option(
    "--context",
    "context_items",
    multiple=True,
    metavar="KEY=VALUE",
    help="With --world: a condition key (repeat a key for several values); wins over derived keys.",
)
@click.option(
    "--via-service",
    metavar="SERVICE",
    help="With --world: the call is made by this service for the caller (backup.amazonaws.com).",
)
@click.option("--resource-account", help='With --world: the resource\'s account, for "*".')
@click.option("--vault", help="With --world: the vault (name or ARN) holding a recovery point.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for people, json for machines (docs/output.md), markdown for a ticket.",
)
@output_options
@click.option(
    "--expect",
    type=click.Choice(EXPECTATIONS),
    help="Exit 1 unless every request gets this decision (denied = either kind of deny).",
)
@input_errors_exit_3
def simulate(
    request_file: Path | None,
    world: Path | None,
    principal: str | None,
    action: str | None,
    resource: str | None,
    context_items: tuple[str, ...],
    via_service: str | None,
    resource_account: str | None,
    vault: str | None,
    output_format: str,
    expect: str | None,
) -> None:
    """Evaluate REQUEST_FILE (one request, or a list of them) against every policy layer,
    or, with --world, one request whose policies and context are resolved in a world.

    Items of a list may carry `expect: allowed|denied|implicit_deny|explicit_deny`; any
    unmet expectation makes the exit code 1. Formats: docs/request.md, docs/world.md,
    docs/output.md.
    """
    world_options = (principal, action, resource, via_service, resource_account, vault)
    if world is not None:
        if request_file is not None:
            raise click.UsageError("give either REQUEST_FILE or --world, not both")
        needed = {"--principal": principal, "--action": action, "--resource": resource}
        missing = [option for option, value in needed.items() if not value]
        if missing or not (principal and action and resource):
            raise click.UsageError(f"--world needs {', '.join(missing)} too")
        one_action(action, file="--action")
        one_resource(resource, file="--resource")
        resource_problem = None if resource == "*" else arn_problem(resource)
        if resource_problem is not None:
            # The rule request files follow (fields.request_resource): an ARN, or "*".
            raise click.UsageError(f"--resource: {resource_problem}")
        check_action(action)
        loaded = load_world(world)
        check_shape("--principal", ParameterKind.PRINCIPAL, principal, loaded)
        check_in_world("--principal", ParameterKind.PRINCIPAL, principal, loaded)
        resolution = resolve(
            loaded,
            principal,
            action,
            resource,
            context=_parse_context(context_items),
            via_service=via_service,
            resource_account=resource_account,
            recovery_point_vault=vault,
        )
        _simulate_world(resolution, output_format, expect)
        return
    if request_file is None:
        raise click.UsageError(
            "give a REQUEST_FILE, or --world with --principal/--action/--resource"
        )
    if context_items or any(option is not None for option in world_options):
        raise click.UsageError("--principal, --action, --resource, --context… need --world")
    _simulate_file(request_file, output_format, expect)


def _parse_context(items: tuple[str, ...]) -> dict[str, ContextValue]:
    """``KEY=VALUE`` pairs; a key given more than once becomes multivalued."""
    values: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--context takes KEY=VALUE, got '{item}'")
        values.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else tuple(v) for k, v in values.items()}


def _simulate_world(resolution: Resolution, output_format: str, expect: str | None) -> None:
    decision = evaluate(resolution.request, resolution.policies)
    from backup_access.diagnose.reasons import policy_sources  # world mode only

    sources = policy_sources(resolution.policies)
    if output_format == "json":
        result = result_to_dict(decision, name=None, expect=expect)
        result["notes"] = list(resolution.notes)
        result["assumptions"] = list(resolution.assumptions)
        result["missing"] = list(resolution.missing)
        click.echo(to_json([result], batch=False))
    elif output_format == "markdown":
        click.echo(markdown_decision(decision, name=None, source=sources))
    else:
        options = current_output()
        report = TextReport(options)
        # Policies come from several files (world files, shipped data): each statement names
        # the file its policy is in, as explain does (fuzz s23 F8).
        render_text(
            decision,
            options,
            name=None,
            expect=expect,
            source=sources,
            report=report,
            incomplete=bool(resolution.missing),
            assumptions=resolution.assumptions,
        )
        for title, lines in (
            ("Missing from the world", resolution.missing),
            ("Notes", [n for n in resolution.notes if not is_assumption(n)]),
        ):
            if lines and not options.quiet:
                report.add((f"  {title}", Style.BOLD))
            for line in lines if not options.quiet else ():
                report.add(f"    - {line}", prose=True)
        write(report.render(), options)
    if expectation_met(decision, expect) is False:
        click.echo(
            f"1 of 1 expectations not met: expected {expect}, got {decision.value}", err=True
        )
        sys.exit(EXIT_EXPECTATION)


def _simulate_file(request_file: Path, output_format: str, expect: str | None) -> None:
    # A short-lived process: the collector stays paused while the batch is evaluated and
    # rendered, and what it built is frozen rather than rescanned (simulate/batch.py).
    with cyclic_gc_paused(freeze_survivors=True):
        _run_file(request_file, output_format, expect)


def _run_file(request_file: Path, output_format: str, expect: str | None) -> None:
    # Actions are checked against the actions AWS has, as --action is: a typo would
    # otherwise be denied, and an `expect: denied` pin would pass whatever the policies say.
    evaluated, batch = run_batch(
        load_document(request_file), source=str(request_file), check_action=action_mistake
    )
    results = []
    failures = []
    options = current_output()
    report = TextReport(options)
    markdown = []
    for index, (item, decision) in enumerate(evaluated):
        wanted = item.expect or expect
        results.append(result_to_dict(decision, name=item.name, expect=wanted))
        if expectation_met(decision, wanted) is False:
            failures.append(f"{item.name or f'#{index}'}: expected {wanted}, got {decision.value}")
        if output_format == "text":
            if index and not options.quiet:
                report.blank()
            render_text(
                decision,
                options,
                name=item.name,
                expect=wanted,
                source=str(request_file),
                report=report,
            )
        elif output_format == "markdown":
            markdown.append(markdown_decision(decision, name=item.name, source=str(request_file)))
    if output_format == "json":
        click.echo(to_json(results, batch=batch))
    elif output_format == "markdown":
        click.echo("\n".join(markdown), nl=False)
    else:
        write(report.render(), options)
    expected = sum(1 for item, _ in evaluated if (item.expect or expect) is not None)
    if failures:
        click.echo(f"{len(failures)} of {expected} expectations not met:", err=True)
        for failure in failures:
            click.echo(f"  {printable(failure)}", err=True)  # an item's name
        sys.exit(EXIT_EXPECTATION)
    if batch and expected and not options.quiet:
        # On standard error, beside the failure summary, so that stdout stays the report.
        unchecked = len(evaluated) - expected
        tail = f" ({unchecked} of {len(evaluated)} requests expect nothing)" if unchecked else ""
        click.echo(f"{expected} of {expected} expectations met{tail}", err=True)
