"""The README's main command stays true: it runs and shows what the README says it shows."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).parents[1]


def _main_command() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1]
    first_block = re.search(r"```sh\n(.*?)\n```", quick_start, re.S)
    assert first_block, "the Quick start has no sh block"
    command = first_block.group(1).split("&& backup-access ", 1)[1]
    return shlex.split(command)


def test_readme_main_command_explains_the_denied_copy() -> None:
    args = _main_command()
    assert args[:3] == ["explain", "--world", "examples/worlds/cross-account-copy"]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        text = CliRunner().invoke(main, args)
        as_json = CliRunner().invoke(main, [*args[:3], "--format", "json", *args[3:]])
    finally:
        os.chdir(cwd)
    assert text.exit_code == 0, text.output
    assert "copy.copy-into-destination-vault" in text.output
    assert "AllowCopyFromWorkloadsOU" in text.output
    report = json.loads(as_json.output)
    assert report["verdict"] == "denied"
    failing = [c for c in report["checks"] if c["decision"] != "allowed"]
    assert [(c["id"], c["blocked_by"]) for c in failing] == [
        ("copy.copy-into-destination-vault", ["resource"])
    ]
