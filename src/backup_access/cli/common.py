"""Shared CLI plumbing: output format option and mapping input errors to exit code 3."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
from rich.console import Console

from backup_access.errors import InputError

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


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def input_errors_exit_3(function: F) -> F:
    """Print an ``InputError`` as ``file at pointer: message`` and exit 3."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except InputError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]
