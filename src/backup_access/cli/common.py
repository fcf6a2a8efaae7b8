"""Shared CLI plumbing: output options (format, colour, verbosity, wrapping) and mapping
input errors to exit code 3."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

from backup_access.errors import InputError
from backup_access.report.printable import printable
from backup_access.report.text import OutputOptions

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])

EXIT_EXPECTATION = 1
EXIT_USAGE = 2
EXIT_INPUT = 3

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people (colour on a terminal), json for machines.",
)


COLOR_CHOICES = ("auto", "always", "never")


def console() -> Console:
    """A rich console (lint's text output); rich is imported only by the commands using it."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """rich exits 1 (here: lint findings); the command line's one handler decides
            (``cli._LazyGroup.invoke``)."""
            self.quiet = True
            raise BrokenPipeError

    return _Console(highlight=False, soft_wrap=True)


_OUTPUT_KEY = "backup_access.output"


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> None:
    """Store an output option in the context chain's shared ``meta``; an option given after
    the operation name overrides the same option given before it."""
    if value is None or value is False:
        return
    assert param.name is not None
    ctx.meta.setdefault(_OUTPUT_KEY, {})[param.name] = value


def output_options(function: F) -> F:
    """``--color auto|always|never``, ``-v/--verbose`` and ``-q/--quiet`` for text output;
    read them back with ``current_output()``."""
    function = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        default=None,
        expose_value=False,
        callback=_remember,
        help="Print only the verdict line; the exit code says the rest.",
    )(function)
    function = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        default=None,
        expose_value=False,
        callback=_remember,
        help="Show every check in full, passing ones too, with the statements that decide it.",
    )(function)
    return click.option(
        "--color",
        type=click.Choice(COLOR_CHOICES),
        default=None,
        expose_value=False,
        callback=_remember,
        help="Colour text output: auto (the default) = on a terminal unless NO_COLOR is set.",
    )(function)


def current_output() -> OutputOptions:
    """The output options given to this command (see ``output_options``)."""
    given = click.get_current_context().meta.get(_OUTPUT_KEY, {})
    return resolve_output(
        given.get("color", "auto"),
        verbose=bool(given.get("verbose")),
        quiet=bool(given.get("quiet")),
    )


def is_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def resolve_output(
    color: str = "auto", *, verbose: bool = False, quiet: bool = False
) -> OutputOptions:
    """Colour and width for this run. Off a terminal nothing is wrapped (files and CI logs
    keep ARNs, URLs and JSON pointers whole); NO_COLOR (https://no-color.org) turns colour off
    unless ``--color always`` asks for it."""
    if verbose and quiet:
        raise click.UsageError("give -v/--verbose or -q/--quiet, not both")
    terminal = is_terminal()
    if color == "always":
        colored = True
    elif color == "never":
        colored = False
    else:
        colored = terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    width = shutil.get_terminal_size().columns if terminal else None
    return OutputOptions(color=colored, width=width, verbosity=1 if verbose else -1 if quiet else 0)


def write(text: str, options: OutputOptions) -> None:
    """Write rendered text as is (colour codes kept only when asked for)."""
    click.echo(text, nl=False, color=options.color)


def echo_error(message: object, *, label: str = "error") -> None:
    """``error: MESSAGE`` on standard error. An error quotes its input (a key, a value, a
    file name), so the message is printed escaped (``printable``): no raw terminal escape."""
    click.echo(f"{label}: {printable(str(message))}", err=True)


def input_errors_exit_3(function: F) -> F:
    """Print an ``InputError`` as ``file at pointer: message`` and exit 3."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except InputError as error:
            echo_error(error)
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]
