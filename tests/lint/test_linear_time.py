"""Every regular expression and name template in lint runs in linear time (issue 11).

Each guard times one function on an adversarial input of size n and of size 8n in the same
run and compares the two: a linear function takes about 8 times longer, a quadratic one 64
times. The bound (8 x 4 = 32) leaves room for noise without letting a quadratic one pass.
Measured as a ratio, never as an absolute time, so a slow machine does not fail it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from backup_access.lint import PolicyKind, aws_data, lint_text
from backup_access.lint.arn_template import compile_template
from backup_access.lint.intrinsics import resolve
from backup_access.lint.placeholders import find_placeholder
from backup_access.lint.positions import decode
from backup_access.lint.run import file_directives
from backup_access.lint.value_formats import format_problem
from tests.timing import BOUND, FACTOR, growth


def _vault_template_matches(text: str) -> object:
    template = compile_template(
        "arn:${Partition}:backup:${Region}:${Account}:backup-vault:${BackupVaultName}"
    )
    return template.matches(text)


def _policy_with_resource(resource: str) -> str:
    statement = {"Effect": "Allow", "Action": "backup:StartBackupJob", "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


CASES: dict[str, tuple[Callable[[str], object], Callable[[int], str], int]] = {
    # The reported hang: a 13 KB resource ARN through BA014's resource-type check.
    "BA014 resource ARN, end to end": (
        lambda text: lint_text(text, file="p.json"),
        lambda n: _policy_with_resource("arn:aws:backup:" + ":" * n + "backup-vault"),
        1_600,
    ),
    "ARN template, many partial matches": (
        _vault_template_matches,
        lambda n: "arn:aws:backup:" + ":backup-vault" * (n // 13) + "x",
        2_000,
    ),
    "condition key template": (
        aws_data.condition_key,
        lambda n: "kms:EncryptionContext:" + ":" * n,
        2_000,
    ),
    "Sub references": (
        lambda text: resolve({"Fn::Sub": text}),
        lambda n: "${!" * (n // 3) + "${" * (n // 2),
        2_000,
    ),
    "placeholders: unclosed variables and brackets": (
        find_placeholder,
        lambda n: "arn:aws:iam::" + "${" * (n // 4) + "<a" * (n // 4) + "[A" * (n // 8),
        2_000,
    ),
    "placeholders: digit runs and segments": (
        find_placeholder,
        lambda n: ("1" * 13 + ":o-x/") * (n // 18),
        2_000,
    ),
    "value formats: service principals and ids": (
        lambda text: [
            format_problem(f, text, like=False)
            for f in ("service-principal", "vpc-id", "account-id", "region")
        ],
        lambda n: "a" + ".amazonaws" * (n // 10) + "x",
        2_000,
    ),
    "key policy root principal": (
        lambda text: lint_text(text, file="k.json", kind=PolicyKind.KMS_KEY),
        lambda n: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws" + "a" * n + ":iam::1:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        ),
        1_000,
    ),
    "disable directives": (
        file_directives,
        lambda n: "backup-access: disable=" + " ," * (n // 2) + "\n" + "backup-access:" * 50,
        2_000,
    ),
    "JSON literal positions": (
        lambda text: decode(text, source="p.json", json_only=True),
        lambda n: '{"a": [' + ", ".join(["1.5e3"] * (n // 7)) + "]}",
        2_000,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_time_grows_linearly(name: str) -> None:
    run, make, size = CASES[name]
    ratio = growth(run, make, size)
    assert ratio < BOUND, f"{name}: {FACTOR}x the input took {ratio:.1f}x the time"


def test_text_longer_than_any_policy_is_not_matched() -> None:
    """Beyond the cap a template match is refused outright, whatever the text."""
    template = compile_template("arn:${Partition}:backup:${Region}:${Account}:backup-vault:*")
    long_arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:" + "v" * 30_000
    assert template.matches(long_arn[:200])
    assert not template.matches(long_arn)
