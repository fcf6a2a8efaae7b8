"""Properties of every fix, over generated worlds (a source, a destination and an outside
account, random identity, trust, vault, key and SCP statements) and the failing checks of a
cross-account copy and a restore in them:

- no fix removes or changes an existing Allow statement (only a blocking Deny is edited, and
  only by adding a condition);
- no fix grants anything to a principal outside the organization unless the failing check
  itself names that principal;
- the patched world differs from the world only where a fix says it changes something.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backup_access.diagnose import Explanation, explain_operation
from backup_access.fix import FixKind, plan_fixes, world_from_json
from backup_access.fix.raw import find
from backup_access.world import World

ORG = "o-a1b2c3d4e5"
SOURCE, DEST, OUTSIDE, MANAGEMENT = "111111111111", "222222222222", "333333333333", "999999999999"
SOURCE_KEY = "1111aaaa-0000-4000-8000-000000000001"
DEST_KEY = "2222bbbb-0000-4000-8000-000000000002"
SOURCE_KEY_ARN = f"arn:aws:kms:us-east-1:{SOURCE}:key/{SOURCE_KEY}"
SOURCE_VAULT = f"arn:aws:backup:us-east-1:{SOURCE}:backup-vault:prod"
DEST_VAULT = f"arn:aws:backup:us-east-1:{DEST}:backup-vault:central"
OPERATOR = f"arn:aws:iam::{SOURCE}:role/BackupOperator"
COPY_ROLE = f"arn:aws:iam::{SOURCE}:role/service-role/BackupCopyRole"
MEMBERS = {SOURCE, DEST, MANAGEMENT}

ACTIONS = [
    "backup:StartCopyJob",
    "backup:StartRestoreJob",
    "iam:PassRole",
    "backup:CopyFromBackupVault",
    "backup:CopyIntoBackupVault",
    "kms:DescribeKey",
    "kms:CreateGrant",
    "kms:ReEncryptFrom",
    "kms:Decrypt",
    "backup:*",
    "kms:*",
]
PRINCIPALS = [
    {"AWS": f"arn:aws:iam::{SOURCE}:root"},
    {"AWS": f"arn:aws:iam::{OUTSIDE}:root"},
    {"AWS": f"arn:aws:iam::{OUTSIDE}:role/Partner"},
    {"AWS": COPY_ROLE},
    "*",
]
CONDITIONS = [
    None,
    {"StringEquals": {"aws:PrincipalOrgID": ORG}},
    {"StringEquals": {"aws:PrincipalOrgID": "o-other12345"}},
    {"StringNotEquals": {"aws:PrincipalAccount": SOURCE}},
]


@st.composite
def statements(draw: Any, *, resource_policy: bool, resource: str) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": draw(st.sampled_from(["A", "B", "C", "Keep"])) + str(draw(st.integers(0, 99))),
        "Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"])),
    }
    if resource_policy:
        statement["Principal"] = draw(st.sampled_from(PRINCIPALS))
    actions = draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3, unique=True))
    statement["Action"] = actions[0] if len(actions) == 1 else actions
    statement["Resource"] = draw(st.sampled_from(["*", resource]))
    condition = draw(st.sampled_from(CONDITIONS))
    if condition is not None:
        statement["Condition"] = condition
    return statement


def documents(*, resource_policy: bool, resource: str, min_size: int = 0) -> Any:
    return st.lists(
        statements(resource_policy=resource_policy, resource=resource),
        min_size=min_size,
        max_size=4,
    ).map(lambda items: {"Version": "2012-10-17", "Statement": items})


@st.composite
def worlds(draw: Any) -> dict[str, Any]:
    root_policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    scp = draw(documents(resource_policy=False, resource="*"))
    trust_principal = draw(st.sampled_from(["backup.amazonaws.com", "ec2.amazonaws.com"]))
    key_root = {
        "Sid": "EnableIam",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{SOURCE}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    source_key_policy = draw(documents(resource_policy=True, resource="*"))
    if draw(st.booleans()):
        source_key_policy["Statement"].insert(0, key_root)
    return {
        "organization": {
            "id": ORG,
            "management_account": MANAGEMENT,
            "cross_account_backup": draw(st.booleans()),
            "policies": {
                "Guard": {
                    "type": "scp",
                    "document": {
                        **scp,
                        "Statement": [*scp["Statement"], *root_policy["Statement"]],
                    },
                }
            },
            "root": {
                "id": "r-a1b2",
                "policies": ["FullAWSAccess"],
                "accounts": [MANAGEMENT],
                "ous": [
                    {
                        "id": "ou-a1b2-11111111",
                        "name": "Workloads",
                        "policies": ["Guard"],
                        "accounts": [SOURCE],
                        "ous": [],
                    },
                    {
                        "id": "ou-a1b2-22222222",
                        "name": "Backup",
                        "policies": ["FullAWSAccess"],
                        "accounts": [DEST],
                        "ous": [],
                    },
                ],
            },
        },
        "accounts": {
            SOURCE: {
                "iam": {
                    "roles": {
                        "BackupOperator": {
                            "inline": {
                                "Mine": draw(
                                    documents(
                                        resource_policy=False, resource=SOURCE_VAULT, min_size=1
                                    )
                                )
                            }
                        },
                        "BackupCopyRole": {
                            "path": "/service-role/",
                            "trust": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Sid": "Trust",
                                        "Effect": "Allow",
                                        "Principal": {"Service": trust_principal},
                                        "Action": "sts:AssumeRole",
                                    }
                                ],
                            },
                            "inline": {
                                "Copy": draw(
                                    documents(
                                        resource_policy=False, resource=DEST_VAULT, min_size=1
                                    )
                                )
                            },
                        },
                    }
                },
                "regions": {
                    "us-east-1": {
                        "backup": {
                            "vaults": {
                                "prod": {
                                    "key": SOURCE_KEY,
                                    "access_policy": draw(
                                        documents(resource_policy=True, resource="*")
                                    ),
                                }
                            }
                        },
                        "kms": {
                            "keys": {
                                SOURCE_KEY: {
                                    "aliases": ["alias/prod"],
                                    "manager": "customer",
                                    "policy": source_key_policy,
                                }
                            }
                        },
                    }
                },
            },
            DEST: {
                "regions": {
                    "us-east-1": {
                        "backup": {
                            "vaults": {
                                "central": {
                                    "key": DEST_KEY,
                                    "access_policy": draw(
                                        documents(resource_policy=True, resource=DEST_VAULT)
                                    ),
                                }
                            }
                        },
                        "kms": {
                            "keys": {
                                DEST_KEY: {
                                    "manager": "customer",
                                    "policy": {
                                        "Version": "2012-10-17",
                                        "Statement": [
                                            {
                                                **key_root,
                                                "Principal": {"AWS": f"arn:aws:iam::{DEST}:root"},
                                            }
                                        ],
                                    },
                                }
                            }
                        },
                    }
                }
            },
        },
    }


COPY = {
    "caller": OPERATOR,
    "role": COPY_ROLE,
    "recovery_point": "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    "source_vault": SOURCE_VAULT,
    "destination_vault": DEST_VAULT,
    "key": SOURCE_KEY_ARN,
}


def _statements(document: Any) -> list[Any]:
    if not isinstance(document, dict):
        return []
    found = document.get("Statement", [])
    return found if isinstance(found, list) else [found]


def _values(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    if principal is None:
        return []
    if principal == "*":
        return ["*"]
    return [v for values in principal.values() for v in _values(values)]


def _in_organization(principal: str, statement: dict[str, Any]) -> bool:
    if principal == "*":
        text = str(statement.get("Condition", {}))
        return f"'aws:PrincipalOrgID': '{ORG}'" in text or f"{ORG}/" in text
    if principal.endswith(".amazonaws.com"):
        return True
    parts = principal.split(":")
    return len(parts) > 4 and parts[4] in MEMBERS


def _named_by_checks(principal: str, explanation: Explanation, checks: tuple[str, ...]) -> bool:
    return any(c.principal == principal for c in explanation.checks if c.id in checks)


def _check(world_json: dict[str, Any], operation: str, parameters: dict[str, str]) -> None:
    world: World = world_from_json(world_json)

    def diagnose(candidate: World) -> Explanation:
        return explain_operation(candidate, operation, parameters)

    before = diagnose(world)
    plan = plan_fixes(world_json, before, diagnose)
    for fix in plan.fixes:
        event(f"{fix.kind.value}{' (edits a Deny)' if fix.edits_existing else ''}")
    touched = set()
    for fix in plan.fixes:
        if not fix.kind.is_document:
            if fix.pointer:
                touched.add(fix.pointer)
            continue
        assert fix.pointer is not None
        touched.add(fix.pointer)
        old, new = _statements(fix.previous), _statements(fix.document)
        assert len(new) >= len(old), "a fix dropped a statement"
        for index, statement in enumerate(old):
            if statement.get("Effect") == "Allow":
                assert new[index] == statement, f"{fix.id} changed an existing Allow"
            elif new[index] != statement:
                assert fix.edits_existing
                assert {k: v for k, v in new[index].items() if k != "Condition"} == {
                    k: v for k, v in statement.items() if k != "Condition"
                }
                for operator, entries in statement.get("Condition", {}).items():
                    for key, value in entries.items():
                        kept = new[index]["Condition"][operator][key]
                        assert set(_values(value)) <= set(_values(kept))
        for statement in new[len(old) :]:
            assert statement["Effect"] == "Allow"
            for principal in _principals(statement):
                assert _in_organization(principal, statement) or _named_by_checks(
                    principal, plan.before, fix.checks
                ), f"{fix.id} grants {principal}, outside the organization"
            if fix.kind is FixKind.IDENTITY_POLICY:
                assert _named_by_checks(fix.target, plan.before, fix.checks)
    # Nothing else in the world changed.
    original, patched = copy.deepcopy(world_json), copy.deepcopy(plan.patched)
    for pointer in touched:
        for document in (original, patched):
            parent, _, last = pointer.rpartition("/")
            holder = find(document, parent)
            if isinstance(holder, dict):
                holder.pop(last, None)
    for document in (original, patched):
        for level in find(document, "/organization/root/ous") or []:
            level["policies"] = [
                p for p in level["policies"] if not p.startswith("BackupAccessFix")
            ]
        find(document, "/organization/policies") and [
            document["organization"]["policies"].pop(name)
            for name in list(document["organization"]["policies"])
            if name.startswith("BackupAccessFix")
        ]
        document["organization"].pop("account_policies", None)
    assert original == patched


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_copy_fixes_keep_allows_and_stay_in_the_organization(world_json: dict[str, Any]) -> None:
    _check(world_json, "copy", COPY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_restore_fixes_keep_allows_and_stay_in_the_organization(world_json: dict[str, Any]) -> None:
    recovery_point = f"arn:aws:backup:us-east-1:{SOURCE}:recovery-point:rp-1"
    _check(
        world_json,
        "restore",
        {
            "caller": OPERATOR,
            "role": COPY_ROLE,
            "recovery_point": recovery_point,
            "vault": SOURCE_VAULT,
        },
    )
