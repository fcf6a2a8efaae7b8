"""The parser's contract on arbitrary input: a Policy or a PolicyError with a pointer,
never another exception (reference_policies_grammar.html)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.errors import PolicyError
from backup_access.policy import parse_policy

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
element_names = st.sampled_from(
    [
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Sid",
        "Bogus",
    ]
)
statement_like = st.dictionaries(element_names, json_values, max_size=6)
policy_like = st.fixed_dictionaries(
    {"Statement": st.one_of(statement_like, st.lists(statement_like, max_size=3), json_values)},
    optional={
        "Version": st.sampled_from(["2012-10-17", "2008-10-17", "2020-01-01"]),
        "Id": json_values,
    },
)


def _parse(document: Any) -> None:
    try:
        parse_policy(document, pointer="/doc")
    except PolicyError as error:
        assert error.pointer.startswith("/doc")
        assert error.message


@settings(max_examples=500, deadline=None)
@given(json_values)
def test_arbitrary_json_gives_policy_or_policy_error(document: Any) -> None:
    _parse(document)


@settings(max_examples=500, deadline=None)
@given(policy_like)
def test_policy_shaped_json_gives_policy_or_policy_error(document: Any) -> None:
    _parse(document)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_policy_or_policy_error(text: str) -> None:
    _parse(text)
