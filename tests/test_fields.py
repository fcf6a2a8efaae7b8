"""The shared field validators that world and request files both use (fields.py)."""

from __future__ import annotations

import pytest

from backup_access.errors import RequestError
from backup_access.fields import context_values, mapping, scalar_text, string_or_number, tags


def test_a_required_mapping_refuses_null_where_an_optional_one_is_empty() -> None:
    assert mapping(None, "/x", "context") == {}
    with pytest.raises(RequestError, match="request must be an object") as error:
        mapping(None, "", "request", required=True)
    assert error.value.pointer == "/"
    with pytest.raises(RequestError, match="keys must be strings"):
        mapping({1: "a"}, "/x", "context", required=True)


def test_scalars_are_written_as_aws_holds_them() -> None:
    assert [scalar_text(v, "/v", "bad") for v in (True, False, 3, 1.5, "x")] == [
        "true",
        "false",
        "3",
        "1.5",
        "x",
    ]
    with pytest.raises(RequestError, match="bad") as error:
        scalar_text({"a": 1}, "/v", "bad")
    assert error.value.pointer == "/v"


def test_a_string_or_an_unquoted_number_is_text_but_a_boolean_is_not() -> None:
    assert string_or_number("arn:aws:iam::111111111111:root", "/p", "principal").startswith("arn")
    assert string_or_number(111111111111, "/p", "principal") == "111111111111"
    for value in (True, 1.5, None, ["a"]):
        with pytest.raises(RequestError, match="principal must be a string"):
            string_or_number(value, "/p", "principal")


def test_context_values_keep_strings_and_write_scalars_and_lists() -> None:
    plain = {"aws:SourceAccount": "111111111111"}
    assert context_values(plain, "/c") is plain
    assert context_values({"k": True, "l": ["a", 2]}, "/c") == {"k": "true", "l": ("a", "2")}
    with pytest.raises(RequestError, match="context values must be strings") as error:
        context_values({"l": ["a", {"x": 1}]}, "/c")
    assert error.value.pointer == "/c/l/1"
    with pytest.raises(RequestError, match="context must be an object"):
        context_values(None, "/c")


def test_tags_share_the_scalar_rule() -> None:
    assert tags({"backup": True, "tier": 2}, "/t") == {"backup": "true", "tier": "2"}
    with pytest.raises(RequestError, match="tag values must be strings") as error:
        tags({"a": ["x"]}, "/t")
    assert error.value.pointer == "/t/a"
