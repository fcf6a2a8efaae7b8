"""``backup-access lint PATH…``: catch broken policies before they are deployed."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click
from rich.console import Console
from rich.markup import escape

from backup_access.cli import main
from backup_access.cli.common import EXIT_EXPECTATION, EXIT_INPUT, console, echo_error
from backup_access.cli.config import project_config
from backup_access.errors import InputError
from backup_access.lint import RULES, RULES_BY_ID, PolicyKind, Rule, check_rule_ids
from backup_access.lint.files import (
    FAIL_LEVELS,
    LintSettings,
    lint_inputs,
    parse_glob_kind,
    parse_glob_rules,
    parse_kind,
    settings_from_mapping,
)
from backup_access.report.lint import findings_to_json, findings_to_sarif, render_text


@main.command("lint")
@click.argument("inputs", nargs=-1, metavar="[PATH|-]...")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in PolicyKind]),
    help="What a bare policy document is (default: detected; findings say when it is assumed).",
)
@click.option(
    "--kind-for",
    multiple=True,
    metavar="GLOB=KIND",
    help="The kind of bare policies in files matching GLOB (e.g. 'scps/*.json=scp'); "
    "repeatable, the last match wins.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for machines, sarif for code scanning.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default=None,
    help="Exit 1 when a finding of this severity or worse exists (default: error).",
)
@click.option("--disable", multiple=True, metavar="ID[,ID]", help="Turn rules off for this run.")
@click.option(
    "--disable-for",
    multiple=True,
    metavar="GLOB=ID[,ID]",
    help="Turn rules off for files matching GLOB (e.g. 'examples/*.json=BA020').",
)
@click.option(
    "--skip-non-policy",
    is_flag=True,
    help="Skip named files that hold no policy, template or plan instead of failing "
    "(for pre-commit, which passes every JSON and YAML file).",
)
@click.option("--list-rules", is_flag=True, help="Print the rules and exit.")
@click.option("--explain", "explain_id", metavar="ID", help="Print one rule's page and exit.")
def lint_command(
    inputs: tuple[str, ...],
    kind: str | None,
    kind_for: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    disable: tuple[str, ...],
    disable_for: tuple[str, ...],
    skip_non_policy: bool,
    list_rules: bool,
    explain_id: str | None,
) -> None:
    """Lint policy documents, CloudFormation templates and Terraform plans (JSON or YAML).

    PATH is a file, a directory (every .json, .yaml, .yml and .template file under it that
    holds a policy, template or plan) or - for standard input. Each finding names the rule,
    the file, line and column, and the JSON pointer inside the policy. A file can turn rules
    off for itself with a comment `backup-access: disable=BA020`, say what kind of policy it
    holds with `backup-access: kind=scp`, or in CloudFormation use
    `Metadata: {backup-access: {disable: [BA020]}}` on the template or a resource.
    """
    out = console()
    if list_rules:
        for rule in RULES:
            out.print(f"{rule.id} {rule.severity.value:<7} {escape(rule.title)}  ({rule.source})")
        return
    if explain_id is not None:
        explained = RULES_BY_ID.get(explain_id.strip().upper())
        if explained is None:
            raise click.BadParameter(
                f"unknown rule id '{explain_id}' (see `backup-access lint --list-rules`)",
                param_hint="--explain",
            )
        render_rule_page(out, explained)
        return
    if not inputs:
        raise click.UsageError("give at least one file, directory or - (standard input)")
    settings = settings_from_options(
        kind=kind,
        kind_for=kind_for,
        fail_on=fail_on,
        disable=disable,
        disable_for=disable_for,
    )
    try:  # .backup-access.toml or [tool.backup-access] in pyproject.toml; options win
        configured = project_config()
        if configured.lint:
            source = f"{configured.source} (lint)"
            file_settings = settings_from_mapping(configured.lint, source=source)
            settings = file_settings.overridden_by(settings, fail_on_given=fail_on is not None)
    except InputError as error:
        echo_error(error)
        sys.exit(EXIT_INPUT)
    sys.exit(
        run_lint(inputs, settings, output_format=output_format, skip_non_policy=skip_non_policy)
    )


def settings_from_options(
    *,
    kind: str | None,
    kind_for: tuple[str, ...],
    fail_on: str | None,
    disable: tuple[str, ...],
    disable_for: tuple[str, ...],
) -> LintSettings:
    """The command line's lint settings; a bad value is a usage error (exit 2).

    To combine with a configuration file: ``file_settings.overridden_by(these,
    fail_on_given=fail_on is not None)`` (see ``lint.files.settings_from_mapping``).
    """
    return LintSettings(
        disabled=_option(
            "--disable",
            lambda: check_rule_ids(part for value in disable for part in value.split(",")),
        ),
        disabled_for=_option(
            "--disable-for", lambda: tuple(parse_glob_rules(text) for text in disable_for)
        ),
        kind=_option("--kind", lambda: parse_kind(kind) if kind else None),
        kind_for=_option("--kind-for", lambda: tuple(parse_glob_kind(text) for text in kind_for)),
        fail_on=fail_on or "error",
    )


_T = TypeVar("_T")


def _option(hint: str, read: Callable[[], _T]) -> _T:
    """An option's value; a bad one is a usage error that names the option."""
    try:
        return read()
    except InputError as error:
        raise click.BadParameter(error.message, param_hint=hint) from None


def run_lint(
    inputs: tuple[str, ...] | list[str],
    settings: LintSettings,
    *,
    output_format: str,
    skip_non_policy: bool = False,
) -> int:
    """Lint, print the report, and return the exit code (0, 1 past ``fail_on``, 3 input)."""
    result = lint_inputs(inputs, settings, skip_non_policy=skip_non_policy)
    errors = [str(error) for error in result.errors]
    if output_format == "json":
        click.echo(findings_to_json(result.findings, errors, result.skipped))
    elif output_format == "sarif":
        click.echo(findings_to_sarif(result.findings, errors))
    else:
        render_text(console(), result.findings, errors, result.skipped)
    for text in errors:
        echo_error(text)
    if errors:
        return EXIT_INPUT
    return EXIT_EXPECTATION if settings.fails(result.findings) else 0


def render_rule_page(out: Console, rule: Rule) -> None:
    """``lint --explain``: why the rule exists, an example, the fix, the AWS source."""
    kinds = ", ".join(sorted(k.value for k in rule.kinds)) or "every kind of policy"
    out.print(f"[bold]{rule.id}[/] {escape(rule.title)}")
    out.print(f"severity: {rule.severity.value}   applies to: {kinds}")
    out.print()
    out.print("[bold]Why[/]")
    out.print(escape(rule.explanation))
    if rule.example:
        out.print()
        out.print("[bold]Example[/] (flagged)")
        out.print(escape(rule.example), highlight=False)
    if rule.fix:
        out.print()
        out.print("[bold]Fix[/]")
        out.print(escape(rule.fix))
    out.print()
    out.print(f"[bold]AWS source[/] {rule.source}")
