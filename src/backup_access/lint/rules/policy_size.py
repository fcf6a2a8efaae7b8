"""BA009: a policy larger than AWS accepts for its kind, even with every space removed.

- SCPs and RCPs: 5,120 characters (AWS Organizations quotas,
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html);
- KMS key policies: 32 KiB, 32,768 bytes (PutKeyPolicy,
  https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html);
- identity policies: 10,240 characters, the most any IAM identity policy can hold (a role's
  inline policies together); a managed policy holds 6,144 (IAM quotas; IAM does not count
  whitespace, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).

The size is measured on the minified document, so only a policy AWS must refuse is reported;
CloudFormation references (``${Name}``) are left out of the count, as their values are not
known here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView

_REFERENCE = re.compile(r"\$\{[^{}]*\}")  # [^{}]: linear
# kind → (limit, unit, what the limit is)
_LIMITS = {
    PolicyKind.SCP: (5_120, "characters", "an SCP"),
    PolicyKind.RCP: (5_120, "characters", "an RCP"),
    PolicyKind.KMS_KEY: (32_768, "bytes", "a KMS key policy"),
    PolicyKind.IDENTITY: (
        10_240,
        "characters",
        "any identity policy (a managed policy holds 6,144; a role's inline policies 10,240 "
        "together)",
    ),
}


def minified_size(document: object, unit: str, *, templated: bool) -> int:
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    if templated:
        text = _REFERENCE.sub("", text)
    return len(text.encode("utf-8")) if unit == "bytes" else len(text)


def check(view: PolicyView) -> Iterator[Hit]:
    limit, unit, what = _LIMITS[view.source.kind]
    size = minified_size(view.source.document, unit, templated=view.source.templated)
    if size > limit:
        yield Hit(
            "",
            f"the policy is {size:,} {unit} even without whitespace; AWS accepts at most "
            f"{limit:,} for {what}: split it or use wildcards and NotAction sparingly",
        )


RULE = Rule(
    id="BA009",
    severity=Severity.ERROR,
    title="Policy larger than AWS accepts",
    explanation="AWS refuses a policy document above its size quota: 5,120 characters for "
    "SCPs and RCPs, 32 KiB for a KMS key policy, 6,144 characters for an IAM managed policy "
    "and 10,240 for a role's inline policies together (whitespace not counted by IAM).",
    source="https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
    check=check,
    example="An SCP listing 400 actions one by one (about 12,000 characters)",
    fix="Split the policy (up to five SCPs per target), replace action lists by wildcards "
    "where that grants nothing unintended, or move statements to another policy.",
    kinds=frozenset(_LIMITS),
)
