"""``backup-access lint FILE…``: catch broken policies before they are deployed."""

from __future__ import annotations

import fnmatch
import sys

import click

from backup_access.cli import main
from backup_access.cli.common import EXIT_EXPECTATION, EXIT_INPUT, console
from backup_access.documents import read_text
from backup_access.errors import InputError
from backup_access.lint import RULES, Finding, PolicyKind, Severity, check_rule_ids, lint_text
from backup_access.report.lint import findings_to_json, findings_to_sarif, render_text

_FAIL_ON = ["error", "warning", "info", "never"]


@main.command("lint")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice([k.value for k in PolicyKind]),
    help="What a bare policy document is (default: detected; SCPs and RCPs need it).",
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
    type=click.Choice(_FAIL_ON),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this severity or worse exists.",
)
@click.option("--disable", multiple=True, metavar="ID[,ID]", help="Turn rules off for this run.")
@click.option(
    "--disable-for",
    multiple=True,
    metavar="GLOB=ID[,ID]",
    help="Turn rules off for files matching GLOB (e.g. 'examples/*.json=BA020').",
)
@click.option("--list-rules", is_flag=True, help="Print the rules and exit.")
def lint_command(
    files: tuple[str, ...],
    kind: str | None,
    output_format: str,
    fail_on: str,
    disable: tuple[str, ...],
    disable_for: tuple[str, ...],
    list_rules: bool,
) -> None:
    """Lint policy documents, CloudFormation templates and Terraform plans (JSON or YAML).

    Each finding names the rule, the file, line and column, and the JSON pointer inside the
    policy. A file can turn rules off for itself with a comment
    `backup-access: disable=BA020`, or in CloudFormation with
    `Metadata: {backup-access: {disable: [BA020]}}` on the template or a resource.
    """
    out = console()
    if list_rules:
        for rule in RULES:
            out.print(f"{rule.id} {rule.severity.value:<7} {rule.title}  ({rule.source})")
        return
    if not files:
        raise click.UsageError("give at least one file to lint")
    try:
        disabled = check_rule_ids(_split(disable))
        per_file = [_glob_rules(text) for text in disable_for]
    except InputError as error:
        raise click.BadParameter(error.message) from None
    findings: list[Finding] = []
    errors: list[str] = []
    policy_kind = PolicyKind(kind) if kind else None
    for file in files:
        off = disabled.union(*(ids for glob, ids in per_file if fnmatch.fnmatch(file, glob)))
        try:
            findings.extend(lint_text(read_text(file), file=file, kind=policy_kind, disabled=off))
        except InputError as error:
            errors.append(str(error.located(file=error.file or file)))
    if output_format == "json":
        click.echo(findings_to_json(findings, errors))
    elif output_format == "sarif":
        click.echo(findings_to_sarif(findings, errors))
    else:
        render_text(out, findings, errors)
    for text in errors:
        click.echo(f"error: {text}", err=True)
    if errors:
        sys.exit(EXIT_INPUT)
    if fail_on != "never" and any(f.severity.rank >= Severity(fail_on).rank for f in findings):
        sys.exit(EXIT_EXPECTATION)


def _split(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",")]


def _glob_rules(text: str) -> tuple[str, frozenset[str]]:
    glob, separator, ids = text.rpartition("=")
    if not separator or not glob:
        raise InputError(f"--disable-for expects GLOB=ID[,ID], got '{text}'")
    return glob, check_rule_ids(ids.split(","))
