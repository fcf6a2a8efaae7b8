"""lint reads a YAML scalar as every other command does (``documents.SafeLoader``): a number
YAML 1.1 and 1.2 read differently is refused by both with the same message (fuzz s23 F3:
``012345670123`` was octal 1402433619 for simulate and text for lint), and what one reads,
the other reads alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from backup_access.cli import main
from backup_access.documents import parse_text
from backup_access.errors import InputError
from backup_access.lint.positions import decode

POLICY = """\
Version: "2012-10-17"
Statement:
  - Effect: Deny
    Action: backup:DeleteBackupVault
    Resource: "*"
    Condition: {{StringEquals: {{aws:PrincipalAccount: {value}}}}}
"""


@pytest.mark.parametrize("value", ["012345670123", "190:20:30", "0x1F", "1_000"])
def test_lint_and_simulate_refuse_the_same_number_with_the_same_message(
    tmp_path: Path, value: str
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY.format(value=value))
    request = tmp_path / "request.yaml"
    request.write_text(
        "request: {principal: 'arn:aws:iam::111111111111:role/R', action: "
        "backup:DeleteBackupVault, resource: '*', resource_account: '111111111111'}\n"
        f"policies: {{identity: [{{Version: '2012-10-17', Statement: [{{Effect: Deny, "
        f"Action: '*', Resource: '*', Condition: {{StringEquals: {{k: {value}}}}}}}]}}]}}\n"
    )
    lint = CliRunner().invoke(main, ["lint", str(policy)])
    assert lint.exit_code == 3
    assert f"{policy}: invalid YAML at line 6, column " in lint.stderr
    assert f'quote it ("{value}")' in lint.stderr
    simulate = CliRunner().invoke(main, ["simulate", str(request)])
    assert simulate.exit_code == 3
    assert _problem(lint.stderr) == _problem(simulate.stderr)


def _problem(message: str) -> str:
    """The message after ``invalid YAML at line L, column C: ``."""
    return message.split(", column ", 1)[1].split(": ", 1)[1]


def test_quoted_the_account_id_is_linted() -> None:
    decoded = decode(POLICY.format(value='"012345670123"'), source="p.yaml", json_only=False)
    condition = decoded.value["Statement"][0]["Condition"]["StringEquals"]
    assert condition == {"aws:PrincipalAccount": "012345670123"}


_SCALAR = st.text(alphabet="0123456789_:.+-xbeE", min_size=1, max_size=12) | st.sampled_from(
    [".inf", "-.inf", ".nan", "yes", "off", "~", "null", "0o17", "'012'", '"\\ud83d\\ude00"']
)


@given(_SCALAR)
def test_lint_reads_every_scalar_as_the_other_commands_do(scalar: str) -> None:
    text = f"a: {scalar}\n{scalar}: b\n"
    try:
        expected = parse_text(text, source="x")
    except InputError as error:
        with pytest.raises(InputError) as caught:
            decode(text, source="x", json_only=False)
        assert caught.value.message == error.message
        return
    read = decode(text, source="x", json_only=False).value
    assert repr(read["a"]) == repr(expected["a"])  # repr: nan == nan, 1 is not 1.0
    assert list(read) == [str(key) for key in expected]
