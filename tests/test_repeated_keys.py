"""A key written twice in one object of an input file or a policy text is refused, with
where (documents.py ``refuse_repeated_keys``, ``SafeLoader.construct_mapping``). A reader
keeps one of the two values; which one IAM keeps is not documented
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html gives the
grammar, not what a repeated key means), so reading either could answer for a policy AWS
does not enforce: a repeated Effect turned an explicit Deny into an Allow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from backup_access.cli import main
from backup_access.documents import load_document, parse_text
from backup_access.errors import InputError, PolicyError
from backup_access.policy.parse import parse_policy

DENY_THEN_ALLOW = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny",\n'
    '  "Effect": "Allow", "Action": "*", "Resource": "*"}]}'
)


def test_a_json_file_naming_a_key_twice_is_refused_with_where(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(DENY_THEN_ALLOW)
    with pytest.raises(InputError) as caught:
        load_document(path)
    error = caught.value
    assert error.file == str(path)
    assert error.pointer == "/Statement/0/Effect"
    assert "'Effect' is written twice" in error.message
    assert "line 1, column 52" in error.message  # where the first value is
    assert "does not document which one IAM keeps" in error.message


def test_whitespace_before_the_colon_is_counted_too() -> None:
    with pytest.raises(InputError, match="'a' is written twice"):
        parse_text('{"a" : 1, "a"\n\t: 2}', source="t", json_only=True)


def test_a_yaml_mapping_naming_a_key_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text("Statement:\n  - Effect: Deny\n    Action: '*'\n    Effect: Allow\n")
    with pytest.raises(InputError) as caught:
        load_document(path)
    message = caught.value.message
    assert "'Effect' is written twice in one mapping" in message
    assert "line 2, column 5 and at line 4, column 5" in message


def test_a_yaml_merge_may_be_overridden() -> None:
    """``<<: *base`` brings keys in so that the mapping may override them."""
    text = "base: &base {Effect: Deny, Action: '*'}\nstatement:\n  <<: *base\n  Effect: Allow\n"
    loaded = parse_text(text, source="t")
    assert loaded == {
        "base": {"Effect": "Deny", "Action": "*"},
        "statement": {"Effect": "Allow", "Action": "*"},
    }


def test_yaml_keys_of_different_types_are_different_keys() -> None:
    assert parse_text("1: a\n'1': b\n", source="t") == {1: "a", "1": "b"}


def test_lint_keeps_reading_them_to_report_them() -> None:
    assert parse_text('{"a": 1, "a": 2}', source="t", json_only=True, keep_repeated_keys=True) == {
        "a": 2
    }
    assert parse_text("a: 1\na: 2\n", source="t", keep_repeated_keys=True) == {"a": 2}


def test_a_policy_given_as_text_is_checked_with_its_pointer() -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(DENY_THEN_ALLOW, pointer="/policies/identity/0")
    assert caught.value.pointer == "/policies/identity/0/Statement/0/Effect"
    assert "of the text" in caught.value.message


def test_simulate_refuses_a_request_whose_policy_repeats_effect(tmp_path: Path) -> None:
    """Before, the later value was read silently: ALLOWED, exit 0."""
    request = (
        '[{"request": {"principal": "arn:aws:iam::111111111111:role/Ops", '
        '"action": "backup:StartCopyJob", "resource": "*"}, '
        '"policies": {"identity": [' + DENY_THEN_ALLOW + "]}}]"
    )
    path = tmp_path / "requests.json"
    path.write_text(request)
    result = CliRunner().invoke(main, ["simulate", str(path)])
    assert result.exit_code == 3, result.output
    assert "/0/policies/identity/0/Statement/0/Effect" in result.stderr
    assert "written twice" in result.stderr
    assert "ALLOWED" not in result.stdout


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab":\\ \n{}'),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet='ab":\\ ', max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON, st.sampled_from([None, 1, 2]))
def test_text_without_a_repeated_key_always_reads_as_written(value: object, indent: int) -> None:
    """Quotes and colons inside strings (``\\":``) never pass for a repeated key."""
    assert parse_text(json.dumps(value, indent=indent), source="t", json_only=True) == value


@given(st.dictionaries(st.text(alphabet='ab":', max_size=3), st.integers(), min_size=1))
def test_any_key_written_twice_is_found(value: dict[str, int]) -> None:
    key = next(iter(value))
    text = json.dumps(value)[:-1] + f", {json.dumps(key)}: 0}}"
    with pytest.raises(InputError, match="is written twice"):
        parse_text(text, source="t", json_only=True)


MERGES = """\
deny: &deny {Effect: Deny}
allow: &allow {Effect: Allow}
action: &action {Action: backup:DeleteBackupVault}
statement:
"""


def test_two_merge_keys_in_one_mapping_are_a_repeat() -> None:
    with pytest.raises(InputError, match="'<<' is written twice in one mapping"):
        parse_text(MERGES + "  <<: *deny\n  <<: *allow\n  Resource: '*'\n", source="t")


def test_two_merges_bringing_one_key_with_different_values_are_refused() -> None:
    """The YAML merge draft lets the earlier mapping win; readers differ, and a Deny could
    turn into an Allow: refused like a repeat."""
    with pytest.raises(InputError, match="'Effect' is brought in by two merges"):
        parse_text(MERGES + "  <<: [*deny, *allow]\n  Resource: '*'\n", source="t")


def test_merges_that_do_not_collide_or_are_overridden_read_as_written() -> None:
    apart = parse_text(MERGES + "  <<: [*deny, *action]\n", source="t")
    assert isinstance(apart, dict)
    assert apart["statement"] == {"Effect": "Deny", "Action": "backup:DeleteBackupVault"}
    overridden = parse_text(MERGES + "  <<: [*deny, *allow]\n  Effect: Deny\n", source="t")
    assert isinstance(overridden, dict) and overridden["statement"] == {"Effect": "Deny"}
    same = parse_text(MERGES + "  <<: [*deny, *deny]\n", source="t")
    assert isinstance(same, dict) and same["statement"] == {"Effect": "Deny"}
