"""AWS's size limits for the documents fixes write, and how a change that exceeds one is split.

- IAM (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): a
  managed policy holds at most 6,144 characters; the inline policies of a role together
  10,240, of a user 2,048, of a group 5,120; a role trust policy 2,048 by default (an
  adjustable quota); IAM does not count white space.
- AWS KMS key policies: at most 32 KB (32,768 bytes)
  (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
- AWS Organizations: an SCP or RCP holds at most 5,120 characters
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
- AWS Backup documents no size limit for a vault access policy
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultAccessPolicy.html):
  none is checked.

Sizes are measured on the compact JSON that ``fix --apply`` sends.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backup_access.fix.model import FixKind, SizeLimit

IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
KMS_FORMAT = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html"
ORG_QUOTAS = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html"


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    limit: int
    unit: str
    source: str
    split: str
    count_whitespace: bool
    in_bytes: bool = False


ROLE_INLINE = Limit(
    "role inline policies (all of a role's together)",
    10_240,
    "characters",
    IAM_QUOTAS,
    "put the new statements in a customer managed policy attached to the role instead",
    count_whitespace=False,
)
USER_INLINE = Limit(
    "user inline policies (all of a user's together)",
    2_048,
    "characters",
    IAM_QUOTAS,
    "put the new statements in a customer managed policy attached to the user instead",
    count_whitespace=False,
)
GROUP_INLINE = Limit(
    "group inline policies (all of a group's together)",
    5_120,
    "characters",
    IAM_QUOTAS,
    "put the new statements in a customer managed policy attached to the group instead",
    count_whitespace=False,
)
MANAGED = Limit(
    "managed policy",
    6_144,
    "characters",
    IAM_QUOTAS,
    "put the new statements in a second customer managed policy attached beside it",
    count_whitespace=False,
)
TRUST = Limit(
    "role trust policy (default quota)",
    2_048,
    "characters",
    IAM_QUOTAS,
    "ask for a higher 'Role trust policy length' quota, or merge statements with one principal",
    count_whitespace=False,
)
KEY_POLICY = Limit(
    "key policy",
    32_768,
    "bytes",
    KMS_FORMAT,
    "give the principals access through a KMS grant, or delegate to their account (its root "
    "as principal) and grant in IAM there",
    count_whitespace=True,
    in_bytes=True,
)
ORG_POLICY = Limit(
    "SCP/RCP",
    5_120,
    "characters",
    ORG_QUOTAS,
    "put the change in a second policy attached at the same level (at most 5 per target)",
    count_whitespace=True,
)


def compact(document: Any) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def measure(documents: Iterable[Any], limit: Limit) -> int:
    total = 0
    for document in documents:
        text = compact(document)
        if not limit.count_whitespace:
            text = "".join(c for c in text if not c.isspace())
        total += len(text.encode()) if limit.in_bytes else len(text)
    return total


def limit_for(kind: FixKind, *, holder: str = "role") -> Limit | None:
    """The limit for a document of ``kind``; ``holder``: role, user or group (inline)."""
    if kind is FixKind.IDENTITY_POLICY:
        return {"user": USER_INLINE, "group": GROUP_INLINE}.get(holder, ROLE_INLINE)
    if kind in (FixKind.MANAGED_POLICY, FixKind.BOUNDARY_POLICY):
        return MANAGED
    if kind is FixKind.TRUST_POLICY:
        return TRUST
    if kind is FixKind.KEY_POLICY:
        return KEY_POLICY
    if kind.is_organization_policy:
        return ORG_POLICY
    return None


def exceeded(limit: Limit | None, documents: Iterable[Any]) -> SizeLimit | None:
    """The limit the documents exceed together, or None."""
    if limit is None:
        return None
    size = measure(documents, limit)
    if size <= limit.limit:
        return None
    return SizeLimit(limit.name, limit.limit, size, limit.unit, limit.source, limit.split)
