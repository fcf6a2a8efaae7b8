"""Command line interface: ``backup-access`` and ``python -m backup_access``.

Each command lives in its own module and registers itself on ``main``. Exit codes
(docs/output.md): 0 success, 1 an expectation not met (or lint findings at ``--fail-on``),
2 usage error, 3 invalid input.
"""

from __future__ import annotations

import importlib
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


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use (see ``COMMANDS``)."""

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
