"""The catalogue's package data: complete, unique, sourced, and validated on load."""

from __future__ import annotations

from typing import Any

import pytest

from backup_access.catalogue import (
    CatalogueError,
    CheckKind,
    load_catalogue,
    operation_names,
)
from backup_access.catalogue.loader import parse_operation
from backup_access.catalogue.templates import placeholders

REQUIRED_OPERATIONS = {
    "create-vault",
    "create-lag-vault",
    "delete-vault",
    "put-vault-policy",
    "backup",
    "copy",
    "restore",
    "create-plan",
    "create-selection",
    "delete-recovery-point",
    "share-vault",
}


def _all_checks() -> list[Any]:
    return [c for o in load_catalogue().operations.values() for c in o.checks]


def test_every_required_operation_is_catalogued() -> None:
    assert set(operation_names()) >= REQUIRED_OPERATIONS


def test_check_ids_are_unique_and_prefixed_by_their_operation() -> None:
    ids = [c.id for c in _all_checks()]
    assert len(ids) == len(set(ids))
    for operation in load_catalogue().operations.values():
        assert all(c.id.startswith(operation.name + ".") for c in operation.checks)


@pytest.mark.parametrize("check", _all_checks(), ids=lambda c: c.id)
def test_every_check_cites_an_aws_url(check: Any) -> None:
    assert check.source.startswith("https://")
    assert any(
        host in check.source for host in ("docs.aws.amazon.com", "repost.aws", "aws.amazon.com")
    )


def test_every_operation_cites_a_url_and_describes_itself() -> None:
    for operation in load_catalogue().operations.values():
        assert operation.source.startswith("https://")
        assert operation.description and operation.title and operation.api


def test_permission_checks_name_who_what_where_and_settings_a_gate() -> None:
    for check in _all_checks():
        if check.kind is CheckKind.PERMISSION:
            assert check.principal and check.action and check.resource
            assert ":" in check.action
        else:
            assert check.gate is not None


def test_templates_only_refer_to_parameters() -> None:
    for operation in load_catalogue().operations.values():
        names = {p.name for p in operation.parameters}
        for check in operation.checks:
            for template in (check.principal, check.resource, check.recovery_point_vault):
                for name, _ in placeholders(template or ""):
                    assert name in names, (check.id, name)


def test_copy_covers_every_cross_account_requirement() -> None:
    ids = {c.id for c in load_catalogue().operation("copy").checks}
    assert {
        "copy.start-copy-job",
        "copy.pass-role",
        "copy.copy-into-destination-vault",
        "copy.same-organization",
        "copy.cross-account-backup-enabled",
        "copy.destination-vault-not-default",
        "copy.source-key-customer-managed",
        "copy.destination-slr-describe-source-key",
    } <= ids


def test_create_vault_needs_mount_capsule_on_star_and_the_kms_actions() -> None:
    checks = {c.id: c for c in load_catalogue().operation("create-vault").checks}
    assert checks["create-vault.mount-capsule"].resource == "*"
    kms = {c.action for c in checks.values() if c.action and c.action.startswith("kms:")}
    assert kms == {
        "kms:CreateGrant",
        "kms:DescribeKey",
        "kms:RetireGrant",
        "kms:Decrypt",
        "kms:GenerateDataKey",
    }


def _operation(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": "op",
        "title": "t",
        "api": "Api",
        "source": "https://docs.aws.amazon.com/x",
        "parameters": {"caller": {"help": "h", "required": True, "kind": "principal"}},
        "checks": [
            {
                "id": "op.a",
                "kind": "permission",
                "title": "t",
                "actor": "caller",
                "action": "backup:X",
                "resource": "*",
                "source": "https://docs.aws.amazon.com/y",
            }
        ],
    }
    raw.update(changes)
    return raw


def test_a_valid_operation_parses() -> None:
    operation = parse_operation(_operation(), {}, "op.yaml")
    assert operation.checks[0].principal == "{caller}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra": 1}, "unknown keys"),
        ({"checks": [{**_operation()["checks"][0], "source": None}]}, "cites a source"),
        ({"checks": [{**_operation()["checks"][0], "source": "NOPE"}]}, "unknown source tag"),
        ({"checks": [{**_operation()["checks"][0], "id": "other.a"}]}, "must start with"),
        ({"checks": [{**_operation()["checks"][0], "resource": "{vault}"}]}, "unknown parameter"),
        ({"checks": [{**_operation()["checks"][0], "resource": "{caller.x}"}]}, "attribute"),
        ({"checks": [{**_operation()["checks"][0], "action": None}]}, "needs principal"),
        (
            {"checks": [{"id": "op.s", "kind": "setting", "title": "t", "source": "SAR-B"}]},
            "needs a gate",
        ),
    ],
)
def test_malformed_operations_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_operation(_operation(**change), {"SAR-B": "https://docs.aws.amazon.com/z"}, "op")


def test_docs_catalogue_md_is_up_to_date() -> None:
    from pathlib import Path

    from backup_access.catalogue.markdown import render_markdown

    docs = Path(__file__).parents[2] / "docs" / "catalogue.md"
    assert docs.read_text() == render_markdown(), (
        "regenerate docs/catalogue.md with render_markdown() (see its header)"
    )
