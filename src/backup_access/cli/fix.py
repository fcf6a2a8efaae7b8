"""``backup-access fix``: explain's diagnosis, then the least-privilege change for every
failing check, merged into the existing documents and proven on a patched copy of the world.

    fix --world W OPERATION [options]   same operations and options as explain
    fix --world W --error "TEXT"
    fix --world W --cloudtrail FILE     one plan per AccessDenied record, each on top of
                                        the previous one's changes

``--scope account|ou|org`` (destination vault policies; default the narrowest that works),
``--write DIR`` (each new document as a file, named as the printed commands expect),
``--patched-world FILE`` (the world with every change applied, for ``explain --world``),
``--apply`` (live AWS; see ``backup_access.cli.fix_apply``). ``--expect`` applies to the
verdict after the fixes. Exit codes as explain: 0, 1 expectation not met, 2 usage, 3 input;
with ``--apply`` also 1 refused (a live document changed), 4 a live document could not be
read (nothing applied), 5 a write failed (what was applied before it is listed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from backup_access.catalogue import Operation, load_catalogue, operation_names
from backup_access.cli import main
from backup_access.cli.common import EXIT_EXPECTATION, current_output, input_errors_exit_3, write
from backup_access.cli.explain import (
    Settings,
    common_options,
    load_settings_world,
    operation_command,
    session_of,
    settings_for,
)
from backup_access.cli.group_options import hoist_group_options
from backup_access.cli.live import (
    DEFAULT_MAX_AGE,
    LIVE_KEY,
    Seconds,
    given_on_command_line,
    use_live_world,
)
from backup_access.cli.usage import unknown_operation
from backup_access.diagnose import Explanation, explain_operation
from backup_access.documents import load_document
from backup_access.fix import FixPlan, Scope, merge_documents, plan_fixes
from backup_access.report.explain import expectation_met
from backup_access.report.fix import plan_to_dict, pretty, render_plan
from backup_access.report.printable import printable
from backup_access.world import World
from backup_access.world.loader import world_files

if TYPE_CHECKING:  # boto3 is imported only when --apply is used
    from backup_access.cli.fix_apply import Applied, Failed
    from backup_access.cli.fix_reexplain import Reexplained

Diagnose = Callable[[World], Explanation]


@dataclass(frozen=True, slots=True)
class FixOptions:
    scope: Scope | None = None
    write_dir: Path | None = None
    patched_world: Path | None = None
    apply: bool = False
    yes: bool = False
    profile: str | None = None
    backup_dir: Path | None = None


def _fix_options(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--scope",
                type=click.Choice([s.value for s in Scope]),
                default=None,
                help="Whom a destination vault policy lets in: the source account, its OU or "
                "the organization (default: the narrowest that verifies).",
            ),
            click.option(
                "--write",
                "write_dir",
                type=click.Path(path_type=Path, file_okay=False),
                default=None,
                help="Write each new document to DIR (the file names the commands use).",
            ),
            click.option(
                "--patched-world",
                type=click.Path(path_type=Path, dir_okay=False),
                default=None,
                help="Write the world with every change applied to FILE (JSON, docs/world.md).",
            ),
            click.option(
                "--apply",
                "apply_",
                is_flag=True,
                default=None,
                help="Apply the account-level document changes in AWS (live credentials); "
                "never SCPs/RCPs.",
            ),
            click.option(
                "--yes", is_flag=True, default=None, help="With --apply: do not ask to confirm."
            ),
            click.option(
                "--profile",
                default=None,
                help="With --live or --apply: the AWS profile to read and apply with.",
            ),
            click.option(
                "--backup-dir",
                type=click.Path(path_type=Path, file_okay=False),
                default=None,
                help="With --apply: where to save the documents it replaces "
                "(default backup-access-backups/TIMESTAMP).",
            ),
        ]
    ):
        function = option(function)
    return function


def _options(ctx: click.Context, values: dict[str, Any]) -> FixOptions:
    """This command's fix options over those given to ``fix`` itself."""
    parent: FixOptions = ctx.meta.get("backup_access.fix", FixOptions())
    scope = values.pop("scope", None)
    options = FixOptions(
        scope=Scope(scope) if scope else parent.scope,
        write_dir=values.pop("write_dir", None) or parent.write_dir,
        patched_world=values.pop("patched_world", None) or parent.patched_world,
        apply=bool(values.pop("apply_", None) or parent.apply),
        yes=bool(values.pop("yes", None) or parent.yes),
        profile=values.pop("profile", None) or parent.profile,
        backup_dir=values.pop("backup_dir", None) or parent.backup_dir,
    )
    ctx.meta["backup_access.fix"] = options
    return options


def _profile_in_use(ctx: click.Context, options: FixOptions) -> None:
    """--profile names the credentials --live reads and --apply writes with: without either
    it would be silently ignored. --apply without --yes asks on a terminal: a piped answer
    ("echo y |") is refused, so that only a person or an explicit --yes applies changes."""
    if options.profile and not options.apply and ctx.meta.get(LIVE_KEY) is None:
        raise click.UsageError(
            "--profile says how --live reads and --apply writes AWS: give it with one of them"
        )
    if options.apply and not options.yes and not stdin_is_terminal():
        raise click.UsageError(
            "--apply asks for confirmation on a terminal, and stdin is not one: run it from a "
            "terminal, or review the plan first (without --apply) and confirm with --yes"
        )


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def world_json(path: Path) -> dict[str, Any]:
    """The world's JSON (its files merged), which fixes are applied to."""
    return merge_documents(load_document(file) for file in world_files(path))


def run_plans(
    settings: Settings,
    options: FixOptions,
    items: list[tuple[str, Explanation, Diagnose]],
    *,
    batch: bool,
    world: World | None = None,
    question: tuple[object, ...] = (),
) -> None:
    """Plan, print, write; with ``--apply`` apply, then re-explain on the accounts collected
    again (``question``: the texts whose ARNs name them)."""
    assert settings.world is not None
    raw = world_json(settings.world)
    plans: list[tuple[str, Explanation, FixPlan]] = []
    for title, explanation, diagnose in items:
        plan = plan_fixes(raw, explanation, diagnose, scope=options.scope, world=world)
        plans.append((title, explanation, plan))
        raw = plan.patched
    json_after_apply = options.apply and (settings.output_format or "text") == "json"
    if not json_after_apply:
        _emit(plans, settings, batch=batch, write_dir=options.write_dir)
    elif not options.yes:  # the JSON reports what was applied: show the diffs before asking
        for title, _, plan in plans:
            click.echo(render_plan(plan, title=title, color=False, quiet=False), err=True)
    if options.write_dir is not None:
        _write_documents(options.write_dir, plans)
    if options.patched_world is not None:
        options.patched_world.write_text(pretty(raw))
        click.echo(f"patched world written to {options.patched_world}", err=True)
    if options.apply:
        outcome = _apply_and_reexplain(
            plans, [d for _, _, d in items], options, question, to_stderr=json_after_apply
        )
        if json_after_apply:
            _emit(plans, settings, batch=batch, after_apply=outcome)
        if outcome.exit_code:
            sys.exit(outcome.exit_code)
    expect = settings.expect
    missed = [t for t, _, p in plans if expectation_met(p.after, expect) is False]
    if missed:
        titles = printable(", ".join(missed))  # a title can quote CloudTrail
        click.echo(f"expected {expect} after the fixes, not met for: {titles}", err=True)
        sys.exit(EXIT_EXPECTATION)


@dataclass(frozen=True, slots=True)
class AfterApply:
    """``--apply``'s result: what it applied, and each plan re-explained on the live account
    (empty when nothing was applied)."""

    applied: tuple[Applied, ...]
    refused: str | None
    reexplained: tuple[Reexplained, ...]
    failed: tuple[Failed, ...] = ()
    not_attempted: tuple[str, ...] = ()  # fix ids
    exit_code: int = 0

    def to_dict(self, plan: FixPlan, index: int) -> dict[str, Any]:
        ids = {f.id for f in plan.fixes}
        return {
            "applied": [a.to_dict() for a in self.applied if a.fix.id in ids],
            "refused": self.refused,
            "failed": [f.to_dict() for f in self.failed if f.fix.id in ids],
            "not_attempted": [i for i in self.not_attempted if i in ids],
            "reexplained": self.reexplained[index].to_dict() if self.reexplained else None,
        }


def _apply_and_reexplain(
    plans: list[tuple[str, Explanation, FixPlan]],
    diagnoses: list[Diagnose],
    options: FixOptions,
    question: tuple[object, ...],
    *,
    to_stderr: bool,
) -> AfterApply:
    from backup_access.cli.fix_apply import apply_plans
    from backup_access.cli.fix_reexplain import reexplain

    outcome = apply_plans(
        [p for _, _, p in plans],
        yes=options.yes,
        profile=options.profile,
        backup_dir=options.backup_dir,
    )
    failed = (outcome.failed, tuple(f.id for f in outcome.not_attempted), outcome.exit_code)
    if not outcome.applied:
        return AfterApply((), outcome.refused, (), *failed)
    texts = [*question, *(a.fix.target for a in outcome.applied)]
    after = reexplain(texts, diagnoses, profile=options.profile)
    for (title, _, _), result in zip(plans, after, strict=True):
        prefix = f"{title}: " if len(plans) > 1 else ""
        click.echo(prefix + result.headline, err=to_stderr)
    return AfterApply(outcome.applied, outcome.refused, tuple(after), *failed)


def _emit(
    plans: list[tuple[str, Explanation, FixPlan]],
    settings: Settings,
    *,
    batch: bool,
    write_dir: Path | None = None,
    after_apply: AfterApply | None = None,
) -> None:
    where = str(write_dir) if write_dir is not None else None
    if (settings.output_format or "text") == "json":
        items = [plan_to_dict(e, p, expect=settings.expect) for _, e, p in plans]
        if after_apply is not None:
            for index, (item, (_, _, plan)) in enumerate(zip(items, plans, strict=True)):
                item["after_apply"] = after_apply.to_dict(plan, index)
        from backup_access.report.json_text import json_text

        click.echo(json_text(items if batch else items[0]))
        return
    if settings.output_format == "markdown":
        from backup_access.report.fix_markdown import markdown_fix_plan

        click.echo(
            "\n".join(
                markdown_fix_plan(plan, title=title, write_dir=where) for title, _, plan in plans
            )
        )
        return
    output = current_output()
    for index, (title, _, plan) in enumerate(plans):
        text = render_plan(
            plan, title=title, color=output.color, quiet=output.quiet, write_dir=where
        )
        write(("\n" if index and not output.quiet else "") + text, output)


def _write_documents(directory: Path, plans: list[tuple[str, Explanation, FixPlan]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for _, _, plan in plans:
        for fix in plan.fixes:
            if fix.kind.is_document and fix.document is not None:
                path = directory / (fix.file or f"{fix.id}.json")
                path.write_text(pretty(fix.document))
                written.append(path)
    click.echo(f"{len(written)} document(s) written to {directory}", err=True)


def _records(world: World, document: object, path: Path) -> list[tuple[str, Explanation]]:
    """explain's CloudTrail explanations of a parsed CloudTrail file, one per record."""
    from backup_access.diagnose import incident

    explain_cloudtrail = getattr(incident, "explain_cloudtrail", None)
    if explain_cloudtrail is not None:
        return list(explain_cloudtrail(world, document, file=str(path)).explanations)
    return list(incident.explain_cloudtrail_file(world, path))  # type: ignore[attr-defined]


def _run_operation(operation: Operation, settings: Settings, values: dict[str, Any]) -> None:
    ctx = click.get_current_context()
    options = _options(ctx, values)
    _profile_in_use(ctx, options)
    use_live_world(ctx, settings, values.values(), profile=options.profile)
    world = load_settings_world(settings)
    session = session_of(settings)

    def diagnose(candidate: World) -> Explanation:
        return explain_operation(candidate, operation.name, values, session=session)

    title = f"{operation.name} ({operation.api})"
    run_plans(
        settings,
        options,
        [(title, diagnose(world), diagnose)],
        batch=False,
        world=world,
        question=tuple(values.values()),
    )


class _FixOperations(click.Group):
    """explain's operations as subcommands of ``fix``, built on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(operation_names())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_group_options(self, ctx, args))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in operation_names():
            raise unknown_operation(name, operation_names())  # lists them, suggests the nearest
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in operation_names():
            return None
        return operation_command(
            load_catalogue().operation(cmd_name), runner=_run_operation, options=_fix_options
        )


@main.group(
    cls=_FixOperations, invoke_without_command=True, subcommand_metavar="OPERATION [options]"
)
@common_options
@_fix_options
@click.option("--error", "error_text", metavar="TEXT", help="An AWS access-denied message.")
@click.option(
    "--cloudtrail",
    type=click.Path(path_type=Path),
    help='A CloudTrail file ({"Records": [...]} or lookup-events output).',
)
@click.option(
    "--live",
    is_flag=True,
    help="Read the accounts the question names from AWS (read-only, cached, as explain --live) "
    "instead of --world.",
)
@click.option(
    "--live-max-age",
    type=Seconds(),
    default=DEFAULT_MAX_AGE,
    show_default=True,
    metavar="SECONDS",
    help="With --live: reuse a cached live world younger than this (0: always read AWS).",
)
@click.pass_context
@input_errors_exit_3
def fix(ctx: click.Context, /, **values: Any) -> None:
    """Propose the least-privilege change for every failing check of an explanation, merged
    into the existing documents, and prove it by re-running the diagnosis on a patched copy
    of the world.

    Give an OPERATION with its options (see `fix OPERATION --help`), or --error TEXT, or
    --cloudtrail FILE.
    """
    error_text = values.pop("error_text")
    cloudtrail = values.pop("cloudtrail")
    settings = Settings(
        values.pop("world"),
        values.pop("output_format"),
        values.pop("expect"),
        values.pop("session_policies"),
    )
    ctx.obj = settings
    live, live_max_age = values.pop("live"), values.pop("live_max_age")
    if live:
        if settings.world is not None or cloudtrail is not None:
            raise click.UsageError("--live reads AWS: give it without --world and --cloudtrail")
        ctx.meta[LIVE_KEY] = live_max_age
    elif given_on_command_line(ctx, "live_max_age"):
        raise click.UsageError("--live-max-age says how old a --live world may be: use --live")
    options = _options(ctx, values)
    if ctx.invoked_subcommand is not None:
        if error_text is not None or cloudtrail is not None:
            raise click.UsageError("give an OPERATION, --error or --cloudtrail: one of them")
        return
    _profile_in_use(ctx, options)
    if (error_text is None) == (cloudtrail is None):
        raise click.UsageError("give an OPERATION, --error TEXT or --cloudtrail FILE (one)")
    from backup_access.diagnose.incident import explain_error

    if error_text is not None:
        use_live_world(ctx, settings, [error_text], profile=options.profile)
    world = load_settings_world(settings)
    if error_text is not None:
        session = session_of(settings)

        def diagnose(candidate: World) -> Explanation:
            return explain_error(candidate, error_text, session=session)

        items: list[tuple[str, Explanation, Diagnose]] = [
            ("error message", diagnose(world), diagnose)
        ]
        run_plans(settings, options, items, batch=False, world=world, question=(error_text,))
        return
    assert cloudtrail is not None
    document = load_document(cloudtrail)
    records: list[tuple[str, Explanation, Diagnose]] = []
    for index, (title, explanation) in enumerate(_records(world, document, cloudtrail)):

        def record(candidate: World, index: int = index) -> Explanation:
            return _records(candidate, document, cloudtrail)[index][1]

        records.append((title, explanation, record))
    run_plans(settings, options, records, batch=True, world=world, question=(document,))


__all__ = ["FixOptions", "fix", "settings_for"]
