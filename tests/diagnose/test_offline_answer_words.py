"""The offline answer's first line and claims, from a new user's trial: unrecognised text is
not called "not a permission problem", empty input is a usage error, control characters in
the echoed paste are escaped, and the first line reads as words, not a family id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.report.incident import render_offline
from tests.diagnose.test_message_corpus import BY_ID, CORPUS

WORLD = Path(__file__).resolve().parents[2] / "examples" / "worlds" / "create-vault"


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["explain", *args], input=stdin)


def test_unrecognised_text_gives_no_verdict_on_the_cause() -> None:
    result = run("--error", "hello world")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "? UNKNOWN (no world given): not recognised"
    assert "not a permission problem" not in result.stdout
    assert "cannot tell what caused it, nor whether a policy is to blame" in result.stdout
    assert any(line.startswith("What to do: paste the whole error") for line in lines)

    data = json.loads(run("--error", "hello world", "--format", "json").stdout)
    assert data["verdict"] == "unknown"
    assert data["permission_problem"] is None  # nobody can tell
    assert data["blame"]["layer"] is None and data["blame"]["says"].startswith("unknown")
    assert data["causes"] == []


@pytest.mark.parametrize("stdin", ["", "   \n\t\n", '""'])
def test_nothing_on_standard_input_is_a_usage_error(stdin: str) -> None:
    result = run("--error", "-", stdin=stdin)
    assert result.exit_code == 2, result.output
    assert "read nothing from standard input" in result.stderr
    with_world = run("--world", str(WORLD), "--error", "-", stdin=stdin)
    assert with_world.exit_code == 2 and "read nothing" in with_world.stderr


def test_an_empty_error_argument_is_a_usage_error() -> None:
    result = run("--error", "  ")
    assert result.exit_code == 2
    assert "--error: the text is empty" in result.stderr


def test_control_characters_in_the_paste_are_escaped_not_echoed() -> None:
    result = run("--error", "-", stdin="\x00" * 50 + "\x1b[2Jboom\u202e")
    assert result.exit_code == 0, result.output
    said = next(line for line in result.stdout.splitlines() if "AWS said:" in line)
    assert said == "  AWS said: " + "\\x00" * 50 + "\\x1b[2Jboom\\u202e"
    assert not any(c in result.stdout for c in "\x00\x1b\u202e")


def test_first_line_names_the_layer_and_deny_in_words() -> None:
    expected = {
        "scp-explicit-with-policy-arn": "access denied by an SCP (explicit deny)",
        "boundary-implicit": "access denied: no allow in a permissions boundary (implicit deny)",
        "role-trust-implicit": "access denied: no allow in the role's trust policy (implicit deny)",
        "old-form-no-policy-type": "access denied (AWS does not say which policy)",
        "empty-403-cli": "access denied with no message at all (HTTP 403)",
        "tag-get-resources-terraform": (
            "the selection's role may not list resources by tag (tag:GetResources)"
        ),
    }
    for entry_id, words in expected.items():
        first = render_offline(answer_offline(parse_error_message(BY_ID[entry_id]["text"])))
        assert first.splitlines()[0].endswith(f": {words}"), (entry_id, first.splitlines()[0])


def test_no_first_line_shows_a_family_id() -> None:
    for entry in CORPUS:
        answer = answer_offline(parse_error_message(entry["text"]))
        first = render_offline(answer).splitlines()[0]
        family = answer.message.family.value
        if "_" in family:  # one-word ids ("unrecognised") are words already
            assert family.replace("_", " ") not in first, (entry["id"], first)
            assert family not in first, (entry["id"], first)
