"""Command line interface: ``backup-access`` and ``python -m backup_access``.

Each command lives in its own module and registers itself on ``main``. Exit codes
(docs/output.md): 0 success, 1 an expectation not met (or lint findings at ``--fail-on``),
2 usage error, 3 invalid input, 4 AWS could not be read (collect, explain --live); 141 when
the reader of standard output went away.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from typing import Any

import click

from backup_access import __version__

# Each command's module, imported (and registering the command on ``main``) only when the
# command runs or is asked for: ``backup-access --help`` then imports none of them, and
# a command imports only what it uses. The summary is what ``--help`` lists, the first
# sentence of the command's own help (a test keeps them equal).
COMMANDS: dict[str, tuple[str, str]] = {
    "collect": (
        "backup_access.cli.collect",
        "Read AWS (read-only) into a world directory: organization.json, one account-ID.json "
        "per account and manifest.json (what could not be read, and why).",
    ),
    "explain": (
        "backup_access.cli.explain",
        "Say whether an AWS Backup operation is allowed in a world, and if not exactly which "
        "layer, policy, statement or setting blocks it.",
    ),
    "fix": (
        "backup_access.cli.fix",
        "Propose the least-privilege change for every failing check of an explanation, merged "
        "into the existing documents, and prove it by re-running the diagnosis on a patched "
        "copy of the world.",
    ),
    "lint": (
        "backup_access.cli.lint",
        "Lint policy documents, CloudFormation templates and Terraform plans (JSON or YAML).",
    ),
    "simulate": (
        "backup_access.cli.simulate",
        "Evaluate REQUEST_FILE (one request, or a list of them) against every policy layer, "
        "or, with --world, one request whose policies and context are resolved in a world.",
    ),
}


# A reader that closes the pipe early (``| head -1``) ends the command quietly with the
# status a shell reports for a process stopped by SIGPIPE (128 + 13), as other command-line
# tools do: not 1, which here means an unmet expectation or lint findings, and not 0, since
# the output was cut short.
EXIT_BROKEN_PIPE = 141

# Error handlers with which a stream fails on a lone surrogate (surrogateescape writes only
# U+DC80..U+DCFF, the bytes it decoded).
STRICT_ERRORS = ("strict", "surrogateescape")


def _discard_stdout() -> None:
    """Point standard output at the null device, so that flushing what is left (at exit)
    cannot fail again; a stream without a file descriptor (tests) is left alone."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _escape_unencodable() -> None:
    """Standard output and error write what they cannot encode as its escape (``\\ud800``)
    instead of failing: the reports escape what they quote (``report.printable``), and this
    is the last line of defence for any other text, a lone surrogate above all (from a JSON
    ``\\ud800`` escape, AWS, or an argument Python decoded with ``surrogateescape``), which no
    UTF-8 stream can write and which would otherwise end the command with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        # stderr is already backslashreplace; a stream that is no TextIOWrapper is left alone
        if isinstance(stream, io.TextIOWrapper) and stream.errors in STRICT_ERRORS:
            with contextlib.suppress(ValueError, OSError):  # closed, or cannot flush
                stream.reconfigure(errors="backslashreplace")


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use (see ``COMMANDS``)."""

    def invoke(self, ctx: click.Context) -> Any:
        """Every command, with a closed standard output handled once for all, and text that
        cannot be encoded written escaped (``_escape_unencodable``)."""
        _escape_unencodable()
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # buffered output fails here, not at interpreter exit
        except click.ClickException as error:
            # A usage error quotes the argument it refuses ("AWS has no action '…'"): click
            # prints it, escaped like every other message.
            from backup_access.report.printable import printable

            error.message = printable(error.message)  # type: ignore[misc]  # click: Final
            raise
        except BrokenPipeError:
            _discard_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """``backup-access --help`` and ``--version`` print here, before any command runs."""
        try:
            try:
                return super().make_context(info_name, args, parent, **extra)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            _discard_stdout()
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name][0])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: Any) -> None:
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        rows = [
            (
                name,
                click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)
                if name in COMMANDS and name not in self.commands
                else self.commands[name].get_short_help_str(limit),
            )
            for name in self.list_commands(ctx)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _main() -> None:
    """Explain and fix AWS Backup "Access Denied"."""


main = click.version_option(__version__, prog_name="backup-access")(
    _LazyGroup(
        "main",
        callback=_main,
        help=_main.__doc__,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
)
