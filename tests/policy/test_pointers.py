"""Statements and conditions build their JSON pointers (RFC 6901) on demand
(policy/pointer.py); they must be the ones the document has, escaped, for a lone statement
as for a list, and errors must still name the exact place."""

from __future__ import annotations

import pytest

from backup_access.errors import PolicyError
from backup_access.policy.parse import parse_policy, parse_statement

TAGGED = {"StringEquals": {"aws:PrincipalTag/team": "backup", "aws:PrincipalOrgID": "o-a1b2c3d4e5"}}


def _statement(condition: object = TAGGED) -> dict[str, object]:
    return {"Effect": "Allow", "Action": "backup:*", "Resource": "*", "Condition": condition}


def test_a_listed_statement_and_its_conditions_are_located_by_index() -> None:
    policy = parse_policy({"Statement": [_statement(), _statement()]}, pointer="/policies/0")
    second = policy.statements[1]
    assert second.pointer == "/policies/0/Statement/1"
    assert [c.pointer for c in second.conditions] == [
        "/policies/0/Statement/1/Condition/StringEquals/aws:PrincipalTag~1team",
        "/policies/0/Statement/1/Condition/StringEquals/aws:PrincipalOrgID",
    ]


def test_a_lone_statement_is_the_statement_element_itself() -> None:
    policy = parse_policy({"Statement": _statement()})
    (statement,) = policy.statements
    assert statement.pointer == "/Statement"
    assert statement.conditions[1].pointer == "/Statement/Condition/StringEquals/aws:PrincipalOrgID"


def test_a_statement_parsed_alone_keeps_the_pointer_it_was_given() -> None:
    statement = parse_statement(_statement(), 4, "/vaults/0/shared_with")
    assert statement.index == 4
    assert statement.pointer == "/vaults/0/shared_with"
    assert statement.conditions[0].pointer.startswith("/vaults/0/shared_with/Condition/")


@pytest.mark.parametrize(
    ("statement", "pointer"),
    [
        (
            [_statement(), _statement({"StringEquals": {"aws:x": []}})],
            "/p/Statement/1/Condition/StringEquals/aws:x",
        ),
        (_statement({"Bool": {"a/b": [True, {"no": 1}]}}), "/p/Statement/Condition/Bool/a~1b/1"),
        ([{"Effect": "Allow", "Action": "backup", "Resource": "*"}], "/p/Statement/0/Action"),
        ({"Effect": "Maybe", "Action": "*", "Resource": "*"}, "/p/Statement/Effect"),
        ([_statement(), "text"], "/p/Statement/1"),
    ],
)
def test_errors_name_the_place_in_the_document(statement: object, pointer: str) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy({"Statement": statement}, pointer="/p")
    assert raised.value.pointer == pointer
