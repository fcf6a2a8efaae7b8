"""Options of ``explain`` and ``fix`` themselves given after the operation's name
(cli/group_options.py): moved in front of it, with their values, so that they mean what
they mean there; the operation's own options and their values stay put."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.cli.explain import explain
from backup_access.cli.fix import fix
from backup_access.cli.group_options import hoist_group_options

ROLE = "arn:aws:iam::111111111111:role/BackupOperator"


def _hoisted(group: click.Group, args: list[str]) -> list[str]:
    return hoist_group_options(group, click.Context(group), args)


def test_live_and_profile_after_the_operation_move_in_front_of_it() -> None:
    args = ["copy", "--caller", ROLE, "--live", "--profile", "ops"]
    assert _hoisted(explain, args) == ["--live", "--profile", "ops", "copy", "--caller", ROLE]


def test_values_written_with_equals_and_a_dash_value_move_whole() -> None:
    args = ["--format", "json", "copy", "--live-max-age=60", "--error", "-", "--caller", ROLE]
    assert _hoisted(explain, args) == [
        "--format",
        "json",
        "--live-max-age=60",
        "--error",
        "-",
        "copy",
        "--caller",
        ROLE,
    ]


def test_options_the_operation_takes_stay_where_they_are() -> None:
    args = ["copy", "--world", "w", "--format", "json", "-v", "--caller", ROLE]
    assert _hoisted(explain, args) == args
    assert _hoisted(fix, ["copy", "--scope", "org", "--write", "out"]) == [
        "copy",
        "--scope",
        "org",
        "--write",
        "out",
    ]


def test_an_operation_option_whose_value_looks_like_a_group_option_keeps_it() -> None:
    args = ["copy", "--caller", "--live"]
    assert _hoisted(explain, args) == args


def test_without_an_operation_nothing_moves() -> None:
    args = ["--error", "copy", "--live"]  # "copy" is --error's value here
    assert _hoisted(explain, args) == args
    assert _hoisted(explain, ["--", "copy", "--live"]) == ["--", "copy", "--live"]


@pytest.mark.parametrize("command", ["explain", "fix"])
def test_profile_after_the_operation_reaches_the_group(command: str) -> None:
    """explain's --profile is the group's; fix's operations take fix's own."""
    vault = "arn:aws:backup:us-east-1:111111111111:backup-vault:v"
    args = [command, "delete-vault", "--caller", ROLE, "--vault", vault, "--profile", "ops"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "--profile" in result.output and "--live" in result.output
    assert "takes no --profile" not in result.output


@pytest.mark.parametrize("command", ["explain", "fix"])
def test_error_after_the_operation_is_one_question_too_many(command: str) -> None:
    result = CliRunner().invoke(main, [command, "copy", "--error", "AccessDenied"])
    assert result.exit_code == 2
    assert "give an OPERATION, --error or --cloudtrail: one of them" in result.output


@pytest.mark.parametrize("command", ["explain", "fix"])
@pytest.mark.parametrize("live_first", [True, False])
def test_live_with_a_world_after_the_operation_is_refused(
    command: str, live_first: bool, tmp_path: Path
) -> None:
    """A --world given to the operation was silently ignored under --live before."""
    live = ["--live"]
    args = [command, *live, "copy"] if live_first else [command, "copy", *live]
    result = CliRunner().invoke(main, [*args, "--world", str(tmp_path), "--caller", ROLE])
    assert result.exit_code == 2
    assert "--live reads AWS: give it without --world" in result.output


def test_a_group_option_missing_its_value_at_the_end_says_so() -> None:
    """Moved in front of the operation, it would take the operation's name as its value
    (review finding F7: "No such option '--caller'")."""
    result = CliRunner().invoke(main, ["explain", "copy", "--caller", ROLE, "--profile"])
    assert result.exit_code == 2
    assert "Option '--profile' requires an argument." in result.output


@pytest.mark.parametrize("command", ["explain", "fix"])
@pytest.mark.parametrize("after", [True, False])
def test_live_max_age_without_live_is_a_usage_error(command: str, after: bool) -> None:
    """It was silently ignored (review finding F8)."""
    age = ["--live-max-age", "5"]
    args = [command, "copy", *age] if after else [command, *age, "copy"]
    result = CliRunner().invoke(main, [*args, "--caller", ROLE])
    assert result.exit_code == 2
    assert "--live-max-age says how old a --live world may be: use --live" in result.output
