"""Fuzz the linter: arbitrary JSON values and YAML/JSON text give findings or a clean
``InputError``, never another exception."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backup_access.errors import InputError
from backup_access.lint import PolicyKind, lint_text

_KEYS = st.sampled_from(
    [
        "Version",
        "Statement",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "Principal",
        "AWS",
        "NotPrincipal",
        "Condition",
        "StringEquals",
        "ForAnyValue:StringLike",
        "aws:PrincipalOrgPaths",
        "Resources",
        "Type",
        "Properties",
        "AccessPolicy",
        "KeyPolicy",
        "Fn::Sub",
        "Ref",
        "Fn::If",
        "format_version",
        "planned_values",
        "root_module",
        "resources",
        "values",
        "policy",
        "Policy",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(
        [
            "*",
            "",
            "Allow",
            "Deny",
            "backup:*",
            "2012-10-17",
            "AWS::Backup::BackupVault",
            "o-xxxxxxxx/r-xx/*",
            "${aws:username}",
            "arn:aws:iam::111122223333:root",
        ]
    ),
    st.text(max_size=20),
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(_KEYS | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_JSON, kind=st.none() | st.sampled_from(list(PolicyKind)))
def test_arbitrary_json_gives_findings_or_input_error(
    value: object, kind: PolicyKind | None
) -> None:
    try:
        findings = lint_text(json.dumps(value), file="fuzz.json", kind=kind)
    except InputError as error:
        assert error.file == "fuzz.json"
        return
    for finding in findings:
        assert finding.line >= 1 and finding.column >= 1


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), name=st.sampled_from(["fuzz.yaml", "fuzz.json", "fuzz"]))
def test_arbitrary_text_gives_findings_or_input_error(text: str, name: str) -> None:
    try:
        lint_text(text, file=name)
    except InputError as error:
        assert error.file == name


def test_yaml_alias_bomb_is_an_input_error() -> None:
    """Aliases are allowed within documents.py's expansion budget; a bomb is refused."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    text = "\n".join([*lines, "Statement: *a7", ""])
    with pytest.raises(InputError, match="aliases expand"):
        lint_text(text, file="bomb.yaml")


def test_deep_nesting_is_an_input_error() -> None:
    text = '{"Statement": ' + "[" * 5000 + "]" * 5000 + "}"
    try:
        lint_text(text, file="deep.json")
    except InputError as error:
        assert "deep" in str(error)
    else:
        raise AssertionError("expected an InputError")


@pytest.mark.parametrize(
    "value",
    [
        {"format_version": "1.2", "planned_values": True},
        {"format_version": "1.2", "planned_values": {"root_module": {"resources": "x"}}},
        {"format_version": "1.2", "values": {"root_module": {"child_modules": [1, None]}}},
        {"Resources": {"A": 5, "B": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": 3}}}},
        {"Resources": {"B": {"Type": "AWS::IAM::Role", "Properties": {"Policies": "p"}}}},
        {"Statement": 5},
        {"Statement": [None, [], "x"]},
        {"Policy": "[]"},
        {
            "Resources": {
                "V": {
                    "Type": "AWS::Backup::BackupVault",
                    "Properties": {
                        "AccessPolicy": {
                            "Statement": [
                                {
                                    "Effect": "Deny",
                                    "Principal": "*",
                                    "Action": {"Fn::Sub": []},
                                    "Resource": {"Fn::Sub": ["x"]},
                                }
                            ]
                        }
                    },
                }
            }
        },
    ],
)
def test_odd_shapes_found_by_fuzzing(value: object) -> None:
    """Regressions: each once raised something other than findings or an InputError."""
    with contextlib.suppress(InputError):
        lint_text(json.dumps(value), file="odd.json")
