"""``backup-access simulate``: evaluate requests with every policy layer, like AWS does."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from backup_access.cli import main
from backup_access.cli.common import (
    EXIT_EXPECTATION,
    console,
    format_option,
    input_errors_exit_3,
)
from backup_access.documents import load_document
from backup_access.engine import evaluate
from backup_access.report.simulation import (
    expectation_met,
    render_text,
    result_to_dict,
    to_json,
)
from backup_access.simulate.request_file import EXPECTATIONS, parse_request_file


@main.command()
@click.argument("request_file", type=click.Path(path_type=Path))
@format_option
@click.option(
    "--expect",
    type=click.Choice(EXPECTATIONS),
    help="Exit 1 unless every request gets this decision (denied = either kind of deny).",
)
@input_errors_exit_3
def simulate(request_file: Path, output_format: str, expect: str | None) -> None:
    """Evaluate REQUEST_FILE (one request, or a list of them) against every policy layer.

    Items of a list may carry `expect: allowed|denied|implicit_deny|explicit_deny`; any
    unmet expectation makes the exit code 1.
    """
    items, batch = parse_request_file(load_document(request_file), source=str(request_file))
    results = []
    failures = []
    out = console()
    for index, item in enumerate(items):
        decision = evaluate(item.request, item.policies)
        wanted = item.expect or expect
        results.append(result_to_dict(decision, name=item.name, expect=wanted))
        if expectation_met(decision, wanted) is False:
            failures.append(f"{item.name or f'#{index}'}: expected {wanted}, got {decision.value}")
        if output_format == "text":
            if index:
                out.print()
            render_text(out, decision, name=item.name, expect=wanted, source=str(request_file))
    if output_format == "json":
        click.echo(to_json(results, batch=batch))
    if failures:
        click.echo(f"{len(failures)} of {len(items)} expectations not met:", err=True)
        for failure in failures:
            click.echo(f"  {failure}", err=True)
        sys.exit(EXIT_EXPECTATION)
