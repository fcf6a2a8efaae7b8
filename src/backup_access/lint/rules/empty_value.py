"""BA002: ``""`` where a value is needed, typically an asterisk lost when copying AWS examples
(the AWS Backup cross-account examples were published with ``"Principal": ""``)."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView

_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal")


def check(view: PolicyView) -> Iterator[Hit]:
    for statement in view.statements:
        for element in _ELEMENTS:
            for pointer, text in statement.strings(element):
                if text == "":
                    yield Hit(
                        pointer,
                        f"{element} is an empty string: AWS rejects it; "
                        f'write "*" (or the exact value) instead',
                    )
            if element.endswith("Principal"):
                for pointer, _, text in statement.principal_strings(element):
                    if text == "" and pointer.count("/") > statement.pointer.count("/") + 1:
                        yield Hit(
                            pointer,
                            f'{element} names an empty principal: write "*" '
                            "or an account, role or service",
                        )


RULE = Rule(
    id="BA002",
    severity=Severity.ERROR,
    title='Empty string where "*" or a value was meant',
    explanation='"Resource": "" and "Principal": "" appear in copies of AWS examples whose '
    'asterisks were lost; the policy is rejected. Use "*" (with a condition that narrows it).',
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    check=check,
    example=(
        '{"Effect": "Allow", "Principal": "", "Action": "backup:CopyIntoBackupVault", '
        '"Resource": "*"}'
    ),
    fix=(
        'Write "*" (narrowed by a condition such as aws:PrincipalOrgID) or the exact principal '
        "or resource."
    ),
)
