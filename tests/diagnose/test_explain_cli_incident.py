"""explain --error / --cloudtrail wiring, with the parsers replaced by stubs of their API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from tests.diagnose.fixtures.worlds import OPERATOR, ORG, SOURCE_VAULT

DENIED = SimpleNamespace(
    kind="access_denied",
    principal=OPERATOR,
    action="backup:DeleteBackupVault",
    resource=SOURCE_VAULT,
    explicit=True,
    policy_type="service control",
    policy_arn=None,
    gate=None,
)


@pytest.fixture
def parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = ModuleType("backup_access.diagnose.messages")
    messages.parse_error_message = lambda text: DENIED  # type: ignore[attr-defined]
    trail = ModuleType("backup_access.diagnose.cloudtrail")

    def parse_cloudtrail(document: Any) -> list[Any]:
        return [
            SimpleNamespace(
                principal=OPERATOR,
                action="backup:DeleteBackupVault",
                resource=SOURCE_VAULT,
                message=DENIED,
                via_service=None,
                event_time=record["eventTime"],
                event_name=record["eventName"],
            )
            for record in document["Records"]
        ]

    trail.parse_cloudtrail = parse_cloudtrail  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "backup_access.diagnose.messages", messages)
    monkeypatch.setitem(sys.modules, "backup_access.diagnose.cloudtrail", trail)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["explain", "--world", str(ORG), *args])


@pytest.mark.usefixtures("parsers")
def test_error_message_is_checked_against_the_world() -> None:
    result = run("--error", "User: … is not authorized …", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["operation"] == "error-message"
    assert data["verdict"] == "allowed"
    assert data["checks"][0]["id"] == "message.request"
    assert data["disagreements"]
    assert run("--error", "x", "--expect", "denied").exit_code == 1
    text = run("--error", "x").output
    assert "The world disagrees with the message" in text


@pytest.mark.usefixtures("parsers")
def test_cloudtrail_file_gives_one_explanation_per_record(tmp_path: Path) -> None:
    trail = tmp_path / "trail.json"
    records = [
        {"eventTime": "2026-01-01T00:00:00Z", "eventName": "DeleteBackupVault"},
        {"eventTime": "2026-01-02T00:00:00Z", "eventName": "DeleteBackupVault"},
    ]
    trail.write_text(json.dumps({"Records": records}))
    result = run("--cloudtrail", str(trail), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["operation"] for d in data] == ["cloudtrail", "cloudtrail"]


@pytest.mark.parametrize(
    "args",
    [
        ("--error", "x", "--cloudtrail", "f.json"),
        ("--error", "x", "delete-vault", "--caller", OPERATOR, "--vault", SOURCE_VAULT),
    ],
)
def test_error_and_cloudtrail_usage(args: tuple[str, ...]) -> None:
    assert run(*args).exit_code == 2


def test_missing_cloudtrail_file_is_bad_input(parsers: None, tmp_path: Path) -> None:
    assert run("--cloudtrail", str(tmp_path / "absent.json")).exit_code == 3
