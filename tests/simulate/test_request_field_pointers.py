"""A bad request names the field at fault, and an empty request file says it is empty
(new-user finding L3): the pointer went to ``/request`` for a bad principal, and an empty
file was "a request item must be an object"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main

ROLE = "arn:aws:iam::111111111111:role/Ops"


def _simulate(tmp_path: Path, text: str) -> str:
    path = tmp_path / "request.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["simulate", str(path)])
    assert result.exit_code == 3, result.output
    return result.stderr


def _request(principal: str, action: str, resource: str, extra: str = "") -> str:
    return (
        f"request:\n  principal: {principal}\n  action: {action}\n  resource: '{resource}'\n"
        f"{extra}policies: {{identity: []}}\n"
    )


@pytest.mark.parametrize(
    ("text", "pointer", "said"),
    [
        (
            _request("'12345'", "backup:ListBackupVaults", "*"),
            "/request/principal",
            "not a principal",
        ),
        (
            _request("12345", "backup:ListBackupVaults", "*"),
            "/request/principal",
            "must be a string, found the number 12345",
        ),
        (_request(ROLE, "ListBackupVaults", "*"), "/request/action", "service:Action"),
        (
            _request(ROLE, "backup:ListBackupVaults", "arn:aws:backup:us-east-1:12:backup-vault:v"),
            "/request/resource",
            "not a 12-digit account id",
        ),
        (
            _request(ROLE, "backup:ListBackupVaults", "*", "  resource_account: '12'\n"),
            "/request/resource_account",
            "not a 12-digit account id",
        ),
    ],
)
def test_the_field_at_fault_is_named(tmp_path: Path, text: str, pointer: str, said: str) -> None:
    stderr = _simulate(tmp_path, text)
    assert f"at {pointer}:" in stderr and said in stderr


def test_an_item_of_a_list_is_named_with_its_index(tmp_path: Path) -> None:
    item = _request("12345", "backup:ListBackupVaults", "*").replace("\n", "\n  ")
    stderr = _simulate(
        tmp_path,
        f"- {_request(ROLE, 'backup:ListBackupVaults', '*')}".replace("\n", "\n  ") + f"\n- {item}",
    )
    assert "at /1/request/principal:" in stderr


@pytest.mark.parametrize("text", ["", "# only a comment\n", "null\n"])
def test_an_empty_file_says_so(tmp_path: Path, text: str) -> None:
    stderr = _simulate(tmp_path, text)
    assert "the file holds no requests (the file is empty, or null)" in stderr
