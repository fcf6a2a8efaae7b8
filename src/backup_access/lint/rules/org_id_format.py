"""BA021: an organization id that cannot exist (``aws:PrincipalOrgID`` and friends)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backup_access.lint.condition_walks import values_of_keys
from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView

_ORG_KEYS = frozenset(
    {"aws:principalorgid", "aws:resourceorgid", "aws:sourceorgid", "aws:vpceorgid"}
)
# https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
ORG_ID = re.compile(r"o-[a-z0-9]{10,32}")


def check(view: PolicyView) -> Iterator[Hit]:
    for _, _, condition, pointer, value in values_of_keys(view, _ORG_KEYS):
        like = "like" in condition.operator.lower()
        if is_opaque(value) or (like and any(c in value for c in "*?")):
            continue
        if not ORG_ID.fullmatch(value):
            yield Hit(
                pointer,
                f"'{value}' is not an organization id (o- followed by 10 to 32 lowercase "
                f"letters or digits) for {condition.key}",
            )


RULE = Rule(
    id="BA021",
    severity=Severity.ERROR,
    title="Malformed organization id",
    explanation="Organization ids look like o-a1b2c3d4e5; anything else never matches "
    "aws:PrincipalOrgID, so an organization-wide allow grants nothing.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid",
    check=check,
    example='"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}',
    fix=(
        "Copy the organization id from `aws organizations describe-organization` (o- and 10 to "
        "32 lowercase letters or digits)."
    ),
)
