"""The message-family package data: every family once, cited, and validated when read."""

from __future__ import annotations

import pytest

from backup_access.catalogue import load_catalogue
from backup_access.diagnose import families as module
from backup_access.diagnose.families import FamilyDataError, MessageFamily, families


def test_every_family_is_there_once_and_cites_https_sources() -> None:
    rows = families()
    assert [row.family for row in rows].count(MessageFamily.VAULT_NOT_EMPTY) == 1
    assert {row.family for row in rows} == set(MessageFamily)
    assert all(row.sources and row.meaning for row in rows)


def test_every_catalogue_reference_resolves() -> None:
    catalogue = load_catalogue()
    for row in families():
        for name in row.operations:
            assert name in catalogue.operations, (row.family, name)
        for hint in row.hints:
            if hint.check is not None:
                operation = catalogue.operations[hint.check.operation]
                assert any(
                    (hint.check.action and check.action == hint.check.action)
                    or (hint.check.gate is not None and check.gate is hint.check.gate)
                    for check in operation.checks
                ), (row.family, hint.title)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ({"family": "vault_not_empty", "kind": "gate", "meaning": "m", "sources": ["x"]}, "https"),
        (
            {
                "family": "vault_not_empty",
                "kind": "gate",
                "summary": "s",
                "meaning": "m",
                "sources": ["https://a"],
                "colour": "red",
            },
            "unknown keys",
        ),
        (
            {
                "family": "vault_not_empty",
                "kind": "gate",
                "summary": "s",
                "meaning": "m",
                "sources": ["https://a"],
                "hints": [{"title": "t", "layer": "trust", "why": "w"}],
            },
            "unknown layer",
        ),
        (
            {"family": "vault_not_empty", "kind": "gate", "meaning": "m", "sources": ["https://a"]},
            "summary",
        ),
        (
            {
                "family": "unrecognised",
                "kind": "unrecognised",
                "summary": "s",
                "meaning": "m",
                "sources": ["https://a"],
                "permission_problem": "maybe",
            },
            "true, false or null",
        ),
        (
            {
                "family": "vault_not_empty",
                "kind": "gate",
                "summary": "s",
                "meaning": "m",
                "sources": ["https://a"],
                "hints": [{"title": "t", "layer": "identity", "why": "w", "action": "Decrypt"}],
            },
            "IAM action",
        ),
    ],
)
def test_malformed_rows_are_refused(raw: dict[str, object], words: str) -> None:
    with pytest.raises(FamilyDataError, match=words):
        module._family(raw, "test")
