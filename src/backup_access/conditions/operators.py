"""The base condition operators, one small record each.

A base operator compares ONE context value with the policy's values (any policy value
matching means a match: values in one condition are ORed). Negated operators (``...Not...``)
are the positive test inverted; what an absent key or a multivalued key does is decided in
``evaluate``, once for every family.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import ipaddress
import operator
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from backup_access.conditions.values import (
    is_padded,
    read_binary,
    read_bool,
    read_date,
    read_network,
    read_number,
)
from backup_access.policy.arn import arn_matches
from backup_access.policy.wildcard import Glob, glob_matches


class Family(StrEnum):
    STRING = "String"
    NUMERIC = "Numeric"
    DATE = "Date"
    BOOL = "Bool"
    BINARY = "Binary"
    IP = "IpAddress"
    ARN = "Arn"
    NULL = "Null"


class PolicyValueError(ValueError):
    """A policy value the operator cannot read (e.g. 'abc' for NumericEquals)."""


# A test receives the context value and one policy value (a string, or a compiled Glob for
# the wildcard operators) and says whether they match; it raises PolicyValueError when the
# policy value is unreadable, and returns False when the context value is.
Test = Callable[[str, Any], bool]


@dataclass(frozen=True, slots=True)
class BaseOperator:
    name: str
    family: Family
    test: Test
    negated: bool = False
    wildcards: bool = False  # policy values may hold * and ? (StringLike, ArnLike, ...)


def _string_equals(actual: str, expected: Any) -> bool:
    return bool(actual == expected)


def _string_equals_ignore_case(actual: str, expected: Any) -> bool:
    return bool(actual.casefold() == str(expected).casefold())


def _string_like(actual: str, expected: Any) -> bool:
    if isinstance(expected, Glob):
        return expected.matches(actual)
    return glob_matches(str(expected), actual)


def _numeric(compare: Callable[[Any, Any], bool]) -> Test:
    def test(actual: str, expected: Any) -> bool:
        wanted = read_number(str(expected))
        if wanted is None:
            raise PolicyValueError(f"'{expected}' is not a number")
        got = read_number(actual)
        return got is not None and compare(got, wanted)

    return test


def _date(compare: Callable[[Any, Any], bool]) -> Test:
    def test(actual: str, expected: Any) -> bool:
        wanted = read_date(str(expected))
        if wanted is None:
            raise PolicyValueError(f"'{expected}' is not an ISO 8601 date or epoch time")
        got = read_date(actual)
        return got is not None and compare(got, wanted)

    return test


def _bool(actual: str, expected: Any) -> bool:
    wanted = read_bool(str(expected))
    if wanted is None:
        raise PolicyValueError(f"'{expected}' is not true or false")
    got = read_bool(actual)
    if got is None and is_padded(actual) and read_bool(actual.strip()) is not None:
        # A request value " true" (typed into a request file): not trimmed, not guessed.
        raise PolicyValueError(f"the request's value {actual!r} has whitespace around it")
    return got is wanted


def _binary(actual: str, expected: Any) -> bool:
    wanted = read_binary(str(expected))
    if wanted is None:
        raise PolicyValueError(f"'{expected}' is not base64")
    return read_binary(actual) == wanted


def _ip(actual: str, expected: Any) -> bool:
    network = read_network(str(expected))
    if network is None:
        raise PolicyValueError(f"'{expected}' is not an IP address or CIDR block")
    try:
        address = ipaddress.ip_address(actual)
    except ValueError:
        return False
    return address.version == network.version and address in network


def _arn(actual: str, expected: Any) -> bool:
    if isinstance(expected, Glob):
        return expected.matches(actual)
    return arn_matches(str(expected), actual)


def _null(actual: str, expected: Any) -> bool:  # pragma: no cover - evaluated in evaluate
    raise AssertionError("Null is evaluated on presence, not on values")


def _family(
    family: Family, tests: dict[str, Test], negations: dict[str, str], wildcards: set[str]
) -> list[BaseOperator]:
    operators = [BaseOperator(n, family, t, wildcards=n in wildcards) for n, t in tests.items()]
    operators += [
        BaseOperator(neg, family, tests[pos], negated=True, wildcards=pos in wildcards)
        for neg, pos in negations.items()
    ]
    return operators


_ORDER = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "LessThanEquals": operator.le,
    "GreaterThan": operator.gt,
    "GreaterThanEquals": operator.ge,
}

BASE_OPERATORS: dict[str, BaseOperator] = {
    op.name.lower(): op
    for op in [
        *_family(
            Family.STRING,
            {
                "StringEquals": _string_equals,
                "StringEqualsIgnoreCase": _string_equals_ignore_case,
                "StringLike": _string_like,
            },
            {
                "StringNotEquals": "StringEquals",
                "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
                "StringNotLike": "StringLike",
            },
            {"StringLike"},
        ),
        *_family(
            Family.NUMERIC,
            {f"Numeric{k}": _numeric(v) for k, v in _ORDER.items()},
            {"NumericNotEquals": "NumericEquals"},
            set(),
        ),
        *_family(
            Family.DATE,
            {f"Date{k}": _date(v) for k, v in _ORDER.items()},
            {"DateNotEquals": "DateEquals"},
            set(),
        ),
        *_family(Family.BOOL, {"Bool": _bool}, {}, set()),
        *_family(Family.BINARY, {"BinaryEquals": _binary}, {}, set()),
        *_family(Family.IP, {"IpAddress": _ip}, {"NotIpAddress": "IpAddress"}, set()),
        *_family(
            Family.ARN,
            {"ArnEquals": _arn, "ArnLike": _arn},
            {"ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"},
            {"ArnEquals", "ArnLike"},
        ),
        *_family(Family.NULL, {"Null": _null}, {}, set()),
    ]
}
