"""Hypothesis strategies for requests and policy sets drawn from a small AWS Backup vocabulary,
so that random statements often match and the layer logic is exercised."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

SOURCE = "111111111111"
DEST = "222222222222"
VAULT = f"arn:aws:backup:us-east-1:{DEST}:backup-vault:central"
LOCAL_VAULT = f"arn:aws:backup:us-east-1:{SOURCE}:backup-vault:local"
KEY = f"arn:aws:kms:us-east-1:{SOURCE}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

principals = st.sampled_from(
    [
        f"arn:aws:iam::{SOURCE}:role/BackupOperator",
        f"arn:aws:sts::{SOURCE}:assumed-role/BackupOperator/session",
        f"arn:aws:iam::{SOURCE}:user/alice",
        f"arn:aws:iam::{DEST}:role/Central",
    ]
)
actions = st.sampled_from(
    ["backup:CopyIntoBackupVault", "backup:StartCopyJob", "backup:DeleteBackupVault", "kms:Decrypt"]
)
resources = st.sampled_from([VAULT, LOCAL_VAULT, KEY, "*"])
contexts = st.fixed_dictionaries(
    {},
    optional={
        "aws:PrincipalOrgID": st.sampled_from(["o-a1b2c3d4e5", "o-other"]),
        "aws:PrincipalOrgPaths": st.lists(
            st.sampled_from(["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", "o-a1b2c3d4e5/r-ab12/"]),
            max_size=2,
        ),
        "aws:SecureTransport": st.sampled_from(["true", "false"]),
    },
)

_conditions = st.sampled_from(
    [
        None,
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"Bool": {"aws:SecureTransport": "true"}},
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-*"}},
        {"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}},
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-other"}},
        {"Null": {"aws:PrincipalOrgID": "true"}},
    ]
)


@st.composite
def statements(draw: Any, *, with_principal: bool = False, effect: str | None = None) -> Any:
    statement: dict[str, Any] = {
        "Effect": effect or draw(st.sampled_from(["Allow", "Deny"])),
        draw(st.sampled_from(["Action", "Action", "NotAction"])): draw(
            st.sampled_from(["*", "backup:*", "backup:Copy*", "kms:*", "backup:StartCopyJob"])
        ),
        draw(st.sampled_from(["Resource", "Resource", "NotResource"])): draw(
            st.sampled_from(["*", VAULT, "arn:aws:backup:*:*:backup-vault:*", KEY])
        ),
    }
    if with_principal:
        statement["Principal"] = draw(
            st.sampled_from(
                [
                    "*",
                    {"AWS": SOURCE},
                    {"AWS": f"arn:aws:iam::{SOURCE}:role/BackupOperator"},
                    {"AWS": f"arn:aws:iam::{DEST}:root"},
                ]
            )
        )
    condition = draw(_conditions)
    if condition:
        statement["Condition"] = condition
    return statement


def policies(*, with_principal: bool = False) -> Any:
    return st.lists(statements(with_principal=with_principal), min_size=1, max_size=4).map(
        lambda s: {"Version": "2012-10-17", "Statement": s}
    )


@st.composite
def policy_sets(draw: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"identity": draw(st.lists(policies(), max_size=2))}
    if draw(st.booleans()):
        raw["boundary"] = [draw(policies())]
    if draw(st.booleans()):
        raw["session"] = [draw(policies())]
    if draw(st.booleans()):
        raw["resource"] = draw(policies(with_principal=True))
    if draw(st.booleans()):
        raw["scp"] = [
            {"level": level, "policies": draw(st.lists(policies(), max_size=2))}
            for level in ("r-ab12", "ou-ab12-11111111", SOURCE)
        ]
    return raw


@st.composite
def requests(draw: Any) -> dict[str, Any]:
    return {
        "principal": draw(principals),
        "action": draw(actions),
        "resource": draw(resources),
        "resource_account": DEST,
        "context": draw(contexts),
    }
