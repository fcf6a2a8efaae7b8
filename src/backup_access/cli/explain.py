"""``backup-access explain``: will an AWS Backup operation work, and if not, what blocks it.

    explain --world W OPERATION [options]   one subcommand per catalogue operation
    explain --world W --error "TEXT"        an AWS error message, checked against W
    explain --error "TEXT" | --error -      no world: what it means, the layer AWS blamed,
                                            likely causes and the commands that confirm them
    explain --world W --cloudtrail FILE     each AccessDenied record of a CloudTrail file

``--session-policy FILE`` (repeatable) gives the session policies of the caller's session (the
operation's ``--caller``, or the principal the ``--error`` message names): a world holds none.

Exit codes (docs/output.md): 0 whatever the verdict, 1 when ``--expect`` is not met, 2 usage
error, 3 invalid input (world file, parameter values, CloudTrail file), 4 with ``--live``
when AWS cannot be read (no credentials).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from backup_access.catalogue import Operation, load_catalogue, operation_names
from backup_access.cli import main
from backup_access.cli.common import (
    EXIT_EXPECTATION,
    current_output,
    input_errors_exit_3,
    output_options,
    write,
)
from backup_access.cli.config import default_world
from backup_access.cli.group_options import hoist_group_options
from backup_access.cli.live import (
    DEFAULT_MAX_AGE,
    LIVE_KEY,
    LIVE_PROFILE_KEY,
    Seconds,
    given_on_command_line,
    use_live_world,
)
from backup_access.cli.usage import (
    check_missing,
    check_operation_values,
    one_world,
    unknown_operation,
    with_pages,
    worked_example,
    wrong_option,
)
from backup_access.diagnose import Explanation, explain_operation
from backup_access.diagnose.per_type import explain_each_type, needs_type
from backup_access.documents import load_document
from backup_access.engine.model import NamedPolicy
from backup_access.errors import InputError
from backup_access.policy.layer import Layer
from backup_access.policy.parse import parse_policy
from backup_access.policy.use import check_use
from backup_access.report.explain import (
    EXPECTATIONS,
    expectation_met,
    explanation_to_dict,
    render_explanation,
    to_json,
)
from backup_access.report.printable import printable
from backup_access.world import World, load_world

_EXPECT = EXPECTATIONS


def _common_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--world, --format, --expect and --session-policy, accepted before or after the
    operation name."""
    function = click.option(
        "--session-policy",
        "session_policies",
        type=click.Path(path_type=Path),
        multiple=True,
        help=(
            "A JSON or YAML policy document that applies to the caller's session (sts:AssumeRole "
            "Policy / PolicyArns); repeat for several."
        ),
    )(function)
    function = click.option(
        "--expect",
        type=click.Choice(_EXPECT),
        default=None,
        help=(
            "Exit 1 unless the verdict is this: denied = any denial, explicit_deny = a check "
            "denied by an explicit Deny (an unknown verdict meets none)."
        ),
    )(function)
    function = output_options(function)
    function = click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json", "markdown"]),
        default=None,
        help=(
            "text (default) for people; json for machines (docs/output.md); markdown to paste "
            "into a ticket or pull request."
        ),
    )(function)
    return click.option(
        "--world",
        type=click.Path(path_type=Path),
        multiple=True,
        callback=one_world,
        help="World file or directory (docs/world.md); default: the configuration file's.",
    )(function)


class _Settings:
    """Options given to ``explain`` itself, which a subcommand's own options override."""

    def __init__(
        self,
        world: Path | None,
        output_format: str | None,
        expect: str | None,
        session_policies: tuple[Path, ...] = (),
    ):
        self.world = world
        self.output_format = output_format
        self.expect = expect
        self.session_policies = session_policies


def _settings(
    ctx: click.Context,
    world: Path | None,
    fmt: str | None,
    expect: str | None,
    session_policies: tuple[Path, ...] = (),
) -> _Settings:
    parent = ctx.find_object(_Settings) or _Settings(None, None, None)
    if world is not None and ctx.meta.get(LIVE_KEY) is not None:
        raise click.UsageError("--live reads AWS: give it without --world and --cloudtrail")
    if world is not None and parent.world is not None and world != parent.world:
        raise click.UsageError(
            f"--world given twice ({parent.world} before the operation, {world} after it); "
            "give it once — put several files in one directory to merge them"
        )
    return _Settings(
        world or parent.world,
        fmt or parent.output_format,
        expect or parent.expect,
        (*parent.session_policies, *session_policies),
    )


def _session(settings: _Settings) -> tuple[NamedPolicy, ...] | None:
    """The session policies given with --session-policy, checked as identity-style policies
    (no Principal, a Resource); None when none were given."""
    if not settings.session_policies:
        return None
    out = []
    for path in settings.session_policies:
        try:
            policy = check_use(parse_policy(load_document(path)), Layer.IDENTITY)
        except InputError as error:
            raise error.located(file=str(path)) from None
        out.append(NamedPolicy(str(path), policy, "", str(path)))
    return tuple(out)


def _load(settings: _Settings) -> World:
    world = settings.world or default_world()  # --world wins over the configuration file
    if world is None:
        raise click.UsageError(
            "explain needs --world FILE (a world file or directory), or world = … in "
            ".backup-access.toml / [tool.backup-access] of pyproject.toml"
        )
    return load_world(world)


def emit(explanations: list[tuple[str, Explanation]], settings: _Settings, *, batch: bool) -> None:
    """Print explanations; exit 1 when any misses ``--expect``."""
    fmt = settings.output_format or "text"
    expect = settings.expect
    if fmt == "json":
        click.echo(
            to_json([explanation_to_dict(e, expect=expect) for _, e in explanations], batch=batch)
        )
    elif fmt == "markdown":
        from backup_access.report.explain_markdown import markdown_explanation

        click.echo("\n".join(markdown_explanation(e, title=title) for title, e in explanations))
    else:
        options = current_output()
        for index, (title, explanation) in enumerate(explanations):
            report = render_explanation(explanation, options, expect=expect, title=title)
            write(("\n" if index else "") + report.render(), options)
    failures = [
        f"{title or e.operation}: expected {expect}, got {e.verdict}"
        for title, e in explanations
        if expectation_met(e, expect) is False
    ]
    if failures:
        click.echo(f"{len(failures)} of {len(explanations)} expectations not met:", err=True)
        for failure in failures:
            click.echo(f"  {printable(failure)}", err=True)  # a title quotes CloudTrail
        sys.exit(EXIT_EXPECTATION)


OperationRunner = Callable[[Operation, "_Settings", dict[str, Any]], None]


def _operation_command(
    operation: Operation,
    runner: OperationRunner | None = None,
    options: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None,
) -> click.Command:
    """The subcommand for ``operation``; ``fix`` passes its own ``runner`` (given the
    operation, the settings and the parameter values) and ``options``."""

    def run(**values: Any) -> None:
        ctx = click.get_current_context()
        settings = _settings(
            ctx,
            values.pop("world"),
            values.pop("output_format"),
            values.pop("expect"),
            values.pop("session_policies"),
        )
        if runner is not None:
            check_operation_values(operation, values, None)
            runner(operation, settings, values)
            return
        check_missing(operation, values)
        if ctx.meta.get(LIVE_KEY) is not None:  # the shapes before reading AWS, not after
            check_operation_values(operation, values, None)
        use_live_world(ctx, settings, values.values())
        world = _load(settings)
        check_operation_values(operation, values, world)
        if needs_type(operation.name, values):  # one answer per resource type in the vault
            each = explain_each_type(world, operation.name, values, session=_session(settings))
            emit(list(each), settings, batch=True)
            return
        explanation = explain_operation(world, operation.name, values, session=_session(settings))
        title = f"{operation.name} ({operation.api})"
        emit([(title, explanation)], settings, batch=False)

    command: Callable[..., Any] = input_errors_exit_3(run)
    if options is not None:
        command = options(command)
    command = _common_options(command)
    for parameter in reversed(operation.parameters):
        # Not required for click: every missing option is reported at once
        # (check_operation_values), not the first alone.
        command = click.option(
            parameter.option,
            parameter.name,
            metavar=parameter.metavar,
            help=parameter.help + ("  [required]" if parameter.required else ""),
        )(command)
    checks = "\n".join(f"  {c.id}" for c in operation.checks)
    help_text = (
        f"{operation.title} ({operation.api}).\n\n{with_pages(operation.description)}\n\n"
        f"\b\nChecks:\n{checks}\n\nSource: {operation.source}"
    )
    return click.command(
        cls=_OperationCommand,
        name=operation.name,
        help=help_text,
        short_help=operation.title,
        epilog=worked_example(operation),
    )(command)


# What ``fix`` reuses: it takes explain's arguments and options (Contract 3).
operation_command = _operation_command
Settings = _Settings
common_options = _common_options
settings_for = _settings
load_settings_world = _load
session_of = _session


class _OperationCommand(click.Command):
    """An operation's subcommand: an option it does not take names the operations that do."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as error:
            catalogue = load_catalogue()
            takers = [
                name
                for name in operation_names()
                if any(p.option == error.option_name for p in catalogue.operation(name).parameters)
            ]
            own = [p.option for p in catalogue.operation(self.name or "").parameters]
            raise wrong_option(self.name or "", error.option_name, takers, own) from None


class _Operations(click.Group):
    """Subcommands built from the catalogue on first use (nothing loads at import)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_group_options(self, ctx, args))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in operation_names():
            raise unknown_operation(name, operation_names())
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(operation_names())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in operation_names():
            return None
        return _operation_command(load_catalogue().operation(cmd_name))


@main.group(cls=_Operations, invoke_without_command=True, subcommand_metavar="OPERATION [options]")
@_common_options
@click.option(
    "--error",
    "error_text",
    metavar="TEXT",
    help="An AWS error message as pasted ('-' reads standard input); without --world, the "
    "offline answer: what it means, the layer AWS blamed, likely causes and commands.",
)
@click.option(
    "--cloudtrail",
    type=click.Path(path_type=Path),
    help='A CloudTrail file ({"Records": [...]} or lookup-events output).',
)
@click.option(
    "--live",
    is_flag=True,
    help="Read the accounts the question names from AWS (read-only, cached) instead of --world.",
)
@click.option(
    "--live-max-age",
    type=Seconds(),
    default=DEFAULT_MAX_AGE,
    show_default=True,
    metavar="SECONDS",
    help="With --live: reuse a cached live world younger than this (0: always read AWS).",
)
@click.option(
    "--profile",
    default=None,
    help="With --live: the AWS profile to read with (default: the standard credential chain).",
)
@click.pass_context
@input_errors_exit_3
def explain(
    ctx: click.Context,
    world: Path | None,
    output_format: str | None,
    expect: str | None,
    error_text: str | None,
    cloudtrail: Path | None,
    session_policies: tuple[Path, ...],
    live: bool,
    live_max_age: int,
    profile: str | None,
) -> None:
    """Say whether an AWS Backup operation is allowed in a world, and if not exactly which
    layer, policy, statement or setting blocks it.

    Give an OPERATION with its options (see `explain OPERATION --help`), or --error TEXT, or
    --cloudtrail FILE.
    """
    settings = _Settings(world, output_format, expect, session_policies)
    ctx.obj = settings
    if live:
        if world is not None or cloudtrail is not None:
            raise click.UsageError("--live reads AWS: give it without --world and --cloudtrail")
        ctx.meta[LIVE_KEY] = live_max_age
        ctx.meta[LIVE_PROFILE_KEY] = profile
    elif profile is not None:
        raise click.UsageError("--profile says how --live reads AWS: give it with --live")
    elif given_on_command_line(ctx, "live_max_age"):
        raise click.UsageError("--live-max-age says how old a --live world may be: use --live")
    if ctx.invoked_subcommand is not None:
        if error_text is not None or cloudtrail is not None:
            raise click.UsageError("give an OPERATION, --error or --cloudtrail: one of them")
        return
    if error_text is not None and cloudtrail is not None:
        raise click.UsageError("give --error or --cloudtrail, not both")
    if error_text is None and cloudtrail is None:
        raise click.UsageError("give an OPERATION, --error TEXT or --cloudtrail FILE")
    if cloudtrail is not None and session_policies:
        raise click.UsageError(
            "--session-policy applies to one caller's session: give an OPERATION or --error"
        )
    from backup_access.cli import incident

    if error_text is not None:
        text = incident.error_text(error_text)
        use_live_world(ctx, settings, [text])
        if settings.world is None and default_world() is None:  # no world: the offline answer
            fmt = settings.output_format or "text"
            incident.offline(text, output_format=fmt, expect=settings.expect)
            return
        session = _session(settings)
        incident.in_world(
            _load(settings), text, lambda e: emit(e, settings, batch=False), session=session
        )
        return
    assert cloudtrail is not None
    incident.cloudtrail(_load(settings), cloudtrail, lambda e: emit(e, settings, batch=True))
