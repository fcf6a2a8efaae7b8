"""``explain --live``: the accounts a question names are collected from moto's server into the
user's cache directory, reused while young, and explained on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.cli.live import cache_root, touched
from tests.aws.server import MotoEndpoint
from tests.collect.organization import ROLE_PATH, Built, build_organization


@pytest.fixture
def org(aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return build_organization()


def explain(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["explain", "--live", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_touched_accounts_and_regions_come_from_the_arns() -> None:
    question = touched(
        [
            "arn:aws:iam::222222222222:role/ops/Admin",
            "arn:aws:backup:eu-west-1:333333333333:backup-vault:central",
            None,
            "User: arn:aws:sts::222222222222:assumed-role/Admin/s is not authorized",
        ]
    )
    assert question.accounts == ("222222222222", "333333333333")
    assert question.regions == ("eu-west-1",)


def test_live_operation_collects_the_touched_accounts_then_reuses_the_cache(
    org: Built, tmp_path: Path
) -> None:
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    args = ("delete-vault", "--caller", role, "--vault", org.vault_arn, "--format", "json")
    code, stdout, stderr = explain(*args)
    assert code == 0, stderr
    answer = json.loads(stdout)
    assert answer["verdict"] == "denied"
    check = next(c for c in answer["checks"] if c["action"] == "backup:DeleteBackupVault")
    assert check["blocked_by"] == ["scp"]  # the organization's SCP on the OU was read
    assert "collected now" in stderr
    [cached] = list(cache_root().iterdir())
    assert str(cached).startswith(str(tmp_path / "cache"))
    manifest = json.loads((cached / "manifest.json").read_text())
    assert manifest["accounts"] == {org.prod: "collected"}  # only the account touched
    assert manifest["regions"] == ["us-east-1"]
    again_code, again_stdout, again_stderr = explain(*args)
    assert again_code == 0
    assert json.loads(again_stdout)["verdict"] == "denied"
    assert "(cached)" in again_stderr and "s ago" in again_stderr


def test_live_max_age_zero_reads_aws_again(org: Built) -> None:
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    args = ("delete-vault", "--caller", role, "--vault", org.vault_arn, "--format", "json")
    assert explain(*args)[0] == 0
    code, _, stderr = explain("--live-max-age", "0", *args)
    assert code == 0 and "collected now" in stderr


def test_live_error_message(org: Built) -> None:
    message = (
        f"User: arn:aws:sts::{org.prod}:assumed-role/BackupAdmin/jo is not authorized to "
        f"perform: backup:DeleteBackupVault on resource: {org.vault_arn} with an explicit "
        "deny in a service control policy"
    )
    code, stdout, stderr = explain("--error", message, "--format", "json")
    assert code == 0, stderr
    assert "collected now" in stderr
    answer = json.loads(stdout)
    assert answer["verdict"] == "denied"
    assert any(c.get("blocked_by") == ["scp"] for c in answer["checks"])


def test_live_refuses_world_and_a_question_without_arns(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["explain", "--live", "--world", str(tmp_path), "--error", "AccessDenied"]
    )
    assert result.exit_code == 2 and "--live reads AWS" in result.output
    result = CliRunner().invoke(main, ["explain", "--live", "--error", "AccessDenied"])
    assert result.exit_code == 2 and "needs ARNs" in result.output


def test_live_follows_a_vault_key_into_the_account_that_owns_it(org: Built) -> None:
    import boto3

    from tests.collect.organization import REGION, member_session

    sts = boto3.client("sts", region_name=REGION)
    key = member_session(sts, org.vault_account).client("kms").create_key()["KeyMetadata"]
    member_session(sts, org.prod).client("backup").create_backup_vault(
        BackupVaultName="xkey", EncryptionKeyArn=key["Arn"]
    )
    vault = f"arn:aws:backup:{REGION}:{org.prod}:backup-vault:xkey"
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    code, _, stderr = explain(
        "delete-vault", "--caller", role, "--vault", vault, "--format", "json"
    )
    assert code == 0, stderr
    [cached] = list(cache_root().iterdir())
    manifest = json.loads((cached / "manifest.json").read_text())
    assert manifest["accounts"] == {org.prod: "collected", org.vault_account: "keys only"}
    owner = json.loads((cached / f"account-{org.vault_account}.json").read_text())
    keys = owner["accounts"][org.vault_account]["regions"][REGION]["kms"]["keys"]
    assert list(keys) == [key["KeyId"]]
    assert "iam" not in owner["accounts"][org.vault_account]  # its roles stay unknown


def _profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A credentials file holding one named profile (moto's fake keys), as ``aws configure
    --profile NAME`` writes it."""
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[{name}]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
        "aws_session_token = testing\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))


def test_live_reads_with_the_profile_given_each_in_its_own_cache(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _profile(tmp_path, monkeypatch, "backup-audit")
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    args = ("delete-vault", "--caller", role, "--vault", org.vault_arn, "--format", "json")
    code, stdout, stderr = explain("--profile", "backup-audit", *args)
    assert code == 0, stderr
    assert json.loads(stdout)["verdict"] == "denied" and "collected now" in stderr
    code, _, stderr = explain(*args)  # the standard chain: not the profile's cache
    assert code == 0 and "collected now" in stderr
    assert len(list(cache_root().iterdir())) == 2


def test_an_unknown_profile_is_a_clear_error(org: Built, tmp_path: Path) -> None:
    """botocore raises ProfileNotFound when the session is made; the tool says which profile
    and exits 4 (AWS could not be read), for explain --live, fix --live, collect and
    fix --apply (which then applies nothing)."""
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    question = ["delete-vault", "--caller", role, "--vault", org.vault_arn]
    for args in (
        ["explain", "--live", "--profile", "nope", *question],
        ["fix", "--live", "--profile", "nope", *question],
        ["collect", "--profile", "nope", "--out", str(tmp_path / "world")],
        [
            "fix",
            "--world",
            str(Path(__file__).parents[2] / "examples" / "worlds" / "create-vault"),
            "create-vault",
            "--caller",
            "arn:aws:iam::111111111111:role/BackupOperator",
            "--vault",
            "arn:aws:backup:us-east-1:111111111111:backup-vault:new-vault",
            "--apply",
            "--yes",
            "--profile",
            "nope",
        ],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 4, (args, result.output)
        assert "AWS profile 'nope'" in result.stderr and "Traceback" not in result.output


def test_profile_without_live_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["explain", "--profile", "p", "--error", "AccessDenied"])
    assert result.exit_code == 2 and "give it with --live" in result.output


def test_fix_profile_without_live_or_apply_is_a_usage_error() -> None:
    world = str(Path(__file__).parents[2] / "examples" / "worlds" / "create-vault")
    question = [
        "create-vault",
        "--caller",
        "arn:aws:iam::111111111111:role/BackupOperator",
        "--vault",
        "arn:aws:backup:us-east-1:111111111111:backup-vault:new-vault",
    ]
    for args in (
        ["fix", "--world", world, *question, "--profile", "p"],
        ["fix", "--world", world, "--profile", "p", *question],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "give it with one of them" in result.output, args


def test_live_given_after_the_operation_reads_aws_the_same(org: Built) -> None:
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    args = ["explain", "delete-vault", "--caller", role, "--vault", org.vault_arn]
    result = CliRunner().invoke(main, [*args, "--format", "json", "--live"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    check = next(c for c in answer["checks"] if c["action"] == "backup:DeleteBackupVault")
    assert check["blocked_by"] == ["scp"]
    assert "collected now" in result.stderr


def _user_keys(name: str) -> dict[str, str]:
    """An IAM user of the management account with its own access key (moto answers
    sts:GetCallerIdentity with the user's ARN)."""
    import boto3

    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
    }


def test_each_identity_has_its_own_cache_and_the_line_says_who_collected(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same environment (no profile, same endpoint, same question), two principals: what
    # one of them could read must never answer the other.
    keys = {name: _user_keys(name) for name in ("alice", "bob")}
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    args = ("delete-vault", "--caller", role, "--vault", org.vault_arn, "-q")

    def as_user(name: str) -> str:
        for variable, value in keys[name].items():
            monkeypatch.setenv(variable, value)
        code, _, stderr = explain(*args)
        assert code == 0, stderr
        return stderr

    alice = f"arn:aws:iam::{org.management}:user/alice"
    assert f"collected now for account(s) {org.prod} by {alice}" in as_user("alice")
    bob = as_user("bob")
    assert "(cached)" not in bob and f"by arn:aws:iam::{org.management}:user/bob" in bob
    assert len(list(cache_root().iterdir())) == 2
    again = as_user("alice")
    assert f"by {alice} (cached)" in again
    for directory in cache_root().iterdir():
        assert "alice" not in directory.name and "bob" not in directory.name
        for file in directory.rglob("*"):
            text = file.read_text() if file.is_file() else ""
            for name in keys:
                assert keys[name]["AWS_SECRET_ACCESS_KEY"] not in text


def test_a_usage_mistake_under_live_is_said_before_reading_aws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def no_aws(*_: object, **__: object) -> None:
        raise AssertionError("AWS was read")

    monkeypatch.setattr("backup_access.cli.live.live_world", no_aws)
    vault = "arn:aws:backup:us-east-1:111111111111:backup-vault:v"
    result = CliRunner().invoke(
        main, ["explain", "--live", "delete-vault", "--caller", "BackupOperator", "--vault", vault]
    )
    assert result.exit_code == 2, result.output
    assert "--caller needs an ARN, not the bare name 'BackupOperator'" in result.output


@pytest.mark.parametrize("command", ["explain", "fix"])
@pytest.mark.parametrize("value", ["abc", "-5", "1.5"])
def test_live_max_age_says_it_wants_seconds(command: str, value: str) -> None:
    result = CliRunner().invoke(main, [command, "--live", "--live-max-age", value, "--error", "x"])
    assert result.exit_code == 2
    assert f"'{value}' is not a number of seconds (a whole number, 0 or more)" in result.output
