"""BA005: RCPs may only deny; ``Allow`` is reserved for the AWS-managed RCPFullAWSAccess."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, parsed in view.parsed():
        if parsed.effect is Effect.ALLOW:
            yield Hit(
                f"{statement.pointer}/Effect",
                "an RCP statement cannot Allow (only RCPFullAWSAccess does); write a Deny "
                "with conditions for what must not happen",
            )


RULE = Rule(
    id="BA005",
    severity=Severity.ERROR,
    title="Allow statement in a resource control policy",
    explanation="The effect Allow is only supported for the RCPFullAWSAccess policy, which AWS "
    "attaches everywhere; your own RCPs express restrictions as Deny statements.",
    source="https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html",
    check=check,
    example='An RCP with {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}',
    fix=(
        "Write the restriction as a Deny with conditions (e.g. deny kms:* unless "
        "aws:PrincipalOrgID is your organization); AWS attaches RCPFullAWSAccess itself."
    ),
    kinds=frozenset({PolicyKind.RCP}),
)
