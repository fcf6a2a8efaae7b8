"""``fix --apply`` when AWS refuses a read or a write, against moto's server with the refusal
injected at botocore's ``before-send`` event (moto 5.2.6 does not enforce IAM by default):
each failure is reported per fix with AWS's error code and message, every change already
made is listed with its restore command, no backup is kept for a write that did not happen,
the re-explanation still runs for what was applied, and the exit code says what happened
(4: a live document could not be read, nothing applied; 5: applied in part). A write whose
outcome is not known (an AWS server error) is tested with botocore's Stubber, which answers
it without botocore's retries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.cli.fix_apply import EXIT_PARTIAL, Step, apply_fixes
from backup_access.cli.live_documents import LiveDocuments, LiveError
from tests.aws.server import MotoEndpoint
from tests.collect.faults import Fault, inject, json_error
from tests.fix.test_apply import REGION, _client, _create_vault, _setup, _vault_fix

SECRET = "SECRETKEYMARKER"
TOKEN = "SECRETTOKENMARKER"
REFUSED = "User: arn:aws:iam::123456789012:user/applier is not authorized to perform: kms:{}"


@pytest.fixture
def marked(aws: MotoEndpoint, monkeypatch: pytest.MonkeyPatch) -> MotoEndpoint:
    """moto with marker credentials: no output or file may ever contain them."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    return aws


def _inject_apply(monkeypatch: pytest.MonkeyPatch, *faults: Fault) -> None:
    """Every client ``--apply`` makes (not the re-explaining collector's) carries ``faults``."""
    inject(monkeypatch, *faults, maker="backup_access.cli.live_documents.make_client")


def _no_secrets(result: Any, *folders: Path) -> None:
    texts = [result.stdout, result.stderr]
    texts += [p.read_text() for f in folders if f.exists() for p in f.rglob("*") if p.is_file()]
    for text in texts:
        assert SECRET not in text and TOKEN not in text


def _run(world: Path, key_id: str, backups: Path, *extra: str) -> Any:
    args = [*_create_vault(world, key_id), "--apply", "--yes", "--backup-dir", str(backups)]
    return CliRunner().invoke(main, [*args, *extra])


def test_a_refused_write_reports_what_was_applied_and_how_to_restore_it(
    marked: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    world, key_id = _setup(marked, tmp_path)
    refused = Fault(
        "before-send.kms.PutKeyPolicy",
        lambda: json_error(400, "AccessDeniedException", REFUSED.format("PutKeyPolicy")),
    )
    _inject_apply(monkeypatch, refused)
    backups = tmp_path / "backups"
    result = _run(world, key_id, backups, "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert refused.answered == 1  # a refusal is not retried
    out = json.loads(result.stdout)
    fixes = {f["kind"]: f for f in out["fixes"]}
    after = out["after_apply"]
    # the identity policy was written before the key policy was refused
    assert [a["id"] for a in after["applied"]] == [fixes["identity_policy"]["id"]]
    live = _client("iam").get_role_policy(RoleName="Operator", PolicyName="BackupAccessFix")
    assert live["PolicyDocument"] == fixes["identity_policy"]["document"]
    [failed] = after["failed"]
    assert failed["id"] == fixes["key_policy"]["id"] and failed["step"] == "write"
    assert failed["written"] is False and failed["backup"] is None
    assert failed["error"].startswith("kms:PutKeyPolicy: AccessDeniedException: User: ")
    assert "to restore: aws iam delete-role-policy --role-name Operator" in result.stderr
    assert "NOT applied, AWS refused it: kms:PutKeyPolicy: AccessDeniedException" in result.stderr
    assert "error: partly applied: 1 of 2 change(s) made" in result.stderr
    # no backup of the key policy that was never replaced
    assert not backups.exists() or not list(backups.rglob("*"))
    live_key = json.loads(
        _client("kms").get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    )
    assert live_key == fixes["key_policy"]["previous"]
    # the re-explanation ran on what was applied
    assert after["reexplained"]["collected"] is True
    assert "re-explained on the live account" in result.stderr
    assert "Traceback" not in result.output
    _no_secrets(result, backups, tmp_path / "cache")


def test_text_output_of_a_partial_apply(
    aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    world, key_id = _setup(aws, tmp_path)
    refused = Fault(
        "before-send.kms.PutKeyPolicy",
        lambda: json_error(400, "AccessDeniedException", REFUSED.format("PutKeyPolicy")),
    )
    _inject_apply(monkeypatch, refused)
    result = _run(world, key_id, tmp_path / "backups")
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "applied, re-read: matches" in result.stderr
    assert "re-explained on the live account" in result.stdout


def test_an_unreadable_live_document_applies_nothing_and_exits_4(
    marked: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    world, key_id = _setup(marked, tmp_path)
    refused = Fault(
        "before-send.kms.GetKeyPolicy",
        lambda: json_error(400, "AccessDeniedException", REFUSED.format("GetKeyPolicy")),
    )
    _inject_apply(monkeypatch, refused)
    backups = tmp_path / "backups"
    result = _run(world, key_id, backups, "--format", "json")
    assert result.exit_code == 4, result.output
    after = json.loads(result.stdout)["after_apply"]
    assert after["applied"] == [] and after["reexplained"] is None
    [failed] = after["failed"]
    assert failed["step"] == "read"
    assert failed["error"].startswith("kms:GetKeyPolicy: AccessDeniedException: User: ")
    assert "cannot read: F-" in result.stderr
    assert "error: nothing applied: 1 live document(s) could not be read" in result.stderr
    assert _client("iam").list_role_policies(RoleName="Operator")["PolicyNames"] == ["Own"]
    assert not backups.exists()
    _no_secrets(result, backups)


def test_a_call_the_endpoint_lacks_is_a_read_failure_not_a_traceback(
    aws: MotoEndpoint,
) -> None:
    # moto 5.2.6 answers GetBackupVaultAccessPolicy with an HTML 404 page.
    from backup_access.collect.session import make_session

    live = LiveDocuments(make_session())
    with pytest.raises(LiveError) as raised:
        live.read(_vault_fix(None))
    assert str(raised.value).startswith("backup:GetBackupVaultAccessPolicy: 404: ")
    assert raised.value.refused


def test_a_write_with_an_unknown_outcome_keeps_the_backup(tmp_path: Path) -> None:
    # Stubber: a server error answered once, without botocore's retries (moto cannot be made
    # to fail one call with a 500).
    client = boto3.client(
        "backup", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    live = LiveDocuments(session=None)
    live._clients[("backup", REGION)] = client
    previous = {"Version": "2012-10-17", "Statement": [{"Sid": "Old", "Effect": "Deny"}]}
    fix = _vault_fix(previous)
    with Stubber(client) as stub:
        stub.add_client_error(
            "put_backup_vault_access_policy",
            service_error_code="ServiceUnavailableException",
            service_message="try again",
            http_status_code=503,
        )
        outcome = apply_fixes(live, [(fix, previous)], tmp_path / "b")
    assert outcome.applied == ()
    [failed] = outcome.failed
    assert failed.step is Step.WRITE and failed.written is None
    assert failed.backup is not None and json.loads(failed.backup.read_text()) == previous
    assert failed.restore is not None and f"file://{failed.backup}" in failed.restore
    assert outcome.exit_code == EXIT_PARTIAL


def test_a_refused_write_of_the_only_change_leaves_no_backup(tmp_path: Path) -> None:
    # Stubber: moto 5.2.6 has no PutBackupVaultAccessPolicy to refuse.
    client = boto3.client(
        "backup", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    live = LiveDocuments(session=None)
    live._clients[("backup", REGION)] = client
    previous = {"Version": "2012-10-17", "Statement": []}
    with Stubber(client) as stub:
        stub.add_client_error(
            "put_backup_vault_access_policy",
            service_error_code="AccessDeniedException",
            service_message="no",
            http_status_code=403,
        )
        outcome = apply_fixes(live, [(_vault_fix(previous), previous)], tmp_path / "b")
    [failed] = outcome.failed
    assert failed.written is False and failed.backup is None
    assert not (tmp_path / "b").exists()
    assert outcome.exit_code == EXIT_PARTIAL
