"""Command line interface: ``backup-access`` and ``python -m backup_access``.

Each command lives in its own module and registers itself on ``main``. Exit codes
(docs/output.md): 0 success, 1 an expectation not met (or lint findings at ``--fail-on``),
2 usage error, 3 invalid input.
"""

from __future__ import annotations

import click

from backup_access import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="backup-access")
def main() -> None:
    """Explain and fix AWS Backup "Access Denied"."""


def _register_commands() -> None:
    # Imported for their side effect of adding commands to ``main``.
    import backup_access.cli.explain
    import backup_access.cli.fix  # noqa: F401
    from backup_access.cli import collect, lint, simulate  # noqa: F401


_register_commands()
