"""``explain --error`` and ``explain --cloudtrail``: read the input, answer, print.

``--error -`` reads the message from standard input (a paste with quotes and newlines);
without ``--world`` the answer is the offline one (what the message means, which layer AWS
blamed, the likely causes and the read-only commands that confirm them). With a world the
message is evaluated in it. A CloudTrail file's malformed records are reported on standard
error with the file and their ``/Records/i`` pointer after the good ones are explained, and
the exit code is then 3.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from backup_access.cli.common import EXIT_EXPECTATION, EXIT_INPUT, current_output, echo_error
from backup_access.diagnose import Explanation
from backup_access.diagnose.incident import explain_cloudtrail, explain_error
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.documents import STDIN, load_document, read_text
from backup_access.engine.model import NamedPolicy
from backup_access.report.incident import offline_to_dict, render_offline
from backup_access.report.json_text import json_text
from backup_access.report.offline_markdown import render_offline_markdown
from backup_access.world import World

Emit = Callable[[list[tuple[str, Explanation]]], None]


def error_text(value: str) -> str:
    """The message: ``-`` reads standard input; a paste wrapped in quotes (a JSON string or
    a shell-quoted one) loses them. Nothing to read is a usage error, never an answer."""
    text = _unquoted(read_text(STDIN) if value == STDIN else value)
    if not text.strip():
        where = "read nothing from standard input" if value == STDIN else "the text is empty"
        raise click.UsageError(
            f"--error: {where}; paste the error message as AWS returned it (or give --error TEXT)"
        )
    return text


def _unquoted(text: str) -> str:
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        try:
            decoded = json.loads(stripped)
        except ValueError:
            return stripped[1:-1]
        return decoded if isinstance(decoded, str) else stripped
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == "'":
        return stripped[1:-1]
    return text


def offline(text: str, *, output_format: str, expect: str | None) -> None:
    """Print the offline answer; with ``--expect`` exit 1 (nothing was evaluated)."""
    answer = answer_offline(parse_error_message(text))
    if output_format == "json":
        click.echo(json_text(offline_to_dict(answer)))
    elif output_format == "markdown":
        click.echo(render_offline_markdown(answer))
    else:
        output = current_output()
        text = render_offline(answer, verbose=output.verbose)
        click.echo(text.split("\n", 1)[0] if output.quiet else text)
    if expect is not None:
        click.echo(f"expected {expect}, got unknown (no world was given)", err=True)
        sys.exit(EXIT_EXPECTATION)


def in_world(
    world: World, text: str, emit: Emit, *, session: tuple[NamedPolicy, ...] | None
) -> None:
    emit([("error message", explain_error(world, text, session=session))])


def cloudtrail(world: World, path: Path, emit: Emit) -> None:
    result = explain_cloudtrail(world, load_document(path), file=str(path))
    for error in result.errors:  # first: an exit-3 message starts with "error: "
        echo_error(error)
    for why in result.skipped:
        echo_error(f"skipped {path} at {why}", label="note")
    emit(list(result.explanations))
    if result.errors:
        click.echo(
            f"{len(result.errors)} malformed record(s) in {path}; the others were explained",
            err=True,
        )
        sys.exit(EXIT_INPUT)
