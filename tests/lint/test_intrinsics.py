"""CloudFormation intrinsic functions with malformed arguments never crash lint (issue 11).

``!Sub`` with fewer than two list items once raised IndexError; the guard covers the class:
every intrinsic the linter knows, fed every malformed shape, resolves to opaque text.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from backup_access.lint import lint_text
from backup_access.lint.intrinsics import INTRINSIC_NAMES, is_opaque, resolve

MALFORMED: list[Any] = [
    [],
    ["only-one"],
    [1],
    ["a", "b", "c", "d"],
    [["nested"], {}],
    ["template ${X}", "not a mapping"],
    [{"Ref": "X"}, {}],
    {},
    {"a": 1},
    None,
    5,
    True,
    "",
]


@pytest.mark.parametrize("name", INTRINSIC_NAMES)
@pytest.mark.parametrize("argument", MALFORMED, ids=repr)
def test_malformed_argument_resolves_to_opaque_text(name: str, argument: Any) -> None:
    result = resolve({name: argument})
    if isinstance(argument, str):  # "" is a well-formed (empty) Sub template or Ref name
        assert isinstance(result, str)
    elif isinstance(result, str):
        assert is_opaque(result), result


@pytest.mark.parametrize("name", INTRINSIC_NAMES)
@pytest.mark.parametrize("argument", MALFORMED, ids=repr)
def test_malformed_argument_in_a_template_is_linted(name: str, argument: Any) -> None:
    template = {
        "Resources": {
            "Vault": {
                "Type": "AWS::Backup::BackupVault",
                "Properties": {
                    "AccessPolicy": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Deny",
                                "Principal": "*",
                                "Action": "backup:DeleteRecoveryPoint",
                                "Resource": {name: argument},
                            }
                        ],
                    }
                },
            }
        }
    }
    findings = lint_text(json.dumps(template), file="template.json")
    assert all(f.line >= 1 for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: !Sub []\n",
        "Resources:\n  K:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
        "      PolicyDocument:\n        Statement:\n          - Effect: Allow\n"
        "            Action: backup:ListBackupVaults\n            Resource: !Sub [only]\n",
    ],
    ids=["whole policy", "resource"],
)
def test_sub_with_fewer_than_two_items_regression(text: str) -> None:
    """The crash of issue 11: IndexError from ``!Sub`` with 0 or 1 list items."""
    lint_text(text, file="template.yaml")


def test_well_formed_sub_still_substitutes() -> None:
    value = {"Fn::Sub": ["arn:aws:iam::${Account}:root", {"Account": "123456789013"}]}
    assert resolve(value) == "arn:aws:iam::123456789013:root"
    assert resolve({"Fn::Sub": "a-${!Literal}-${Param}"}) == "a-${Literal}-${Param}"
