"""BA004: without ``"Version": "2012-10-17"`` policy variables are plain text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping

from backup_access.lint.model import Severity
from backup_access.lint.placeholders import is_iam_variable
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import VERSION_2008, VERSION_2012

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")  # [^{}]: linear


def check(view: PolicyView) -> Iterator[Hit]:
    version = view.version
    if not isinstance(view.source.document, Mapping):
        return  # not a policy at all: BA001 says so
    if version == VERSION_2012 or version not in (None, VERSION_2008):
        return  # other values are grammar errors (BA001)
    names = _VARIABLE.findall(json.dumps(view.source.document.get("Statement")))
    variables = sorted({f"${{{name}}}" for name in names if is_iam_variable(name)})
    references = sorted({f"${{{name}}}" for name in names if not is_iam_variable(name)})
    where = "/Version" if version else ""
    written = f"Version {version}" if version else "no Version"
    if variables:
        yield Hit(
            where,
            f"{written}: the policy variables in it ({', '.join(variables[:3])}) are matched "
            f'as literal text; use "Version": "{VERSION_2012}"',
        )
    elif references and view.source.templated:
        yield Hit(
            where,
            f'{written}: write "Version": "{VERSION_2012}" ({", ".join(references[:3])} '
            "are CloudFormation !Sub references, resolved before IAM sees the policy, not IAM "
            "policy variables)",
        )
    else:
        yield Hit(
            where,
            f'{written}: write "Version": "{VERSION_2012}" so that new language '
            "features (policy variables) work",
        )


RULE = Rule(
    id="BA004",
    severity=Severity.WARNING,
    title="Policy without Version 2012-10-17",
    explanation="Without Version 2012-10-17 (missing, or 2008-10-17), AWS treats ${...} policy "
    "variables as literal text, so conditions and resources using them never match.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
    check=check,
    example=(
        '{"Statement": [{"Effect": "Allow", "Action": "backup:*", "Resource": '
        '"arn:aws:backup:*:*:backup-vault:${aws:username}"}]}'
    ),
    fix='Add "Version": "2012-10-17" at the top of the policy.',
)
