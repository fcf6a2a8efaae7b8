"""IAM wildcard matching: ``*`` any run of characters, ``?`` exactly one, whole-string match
(reference_policies_elements_action.html, reference_policies_elements_resource.html)."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.policy.arn import arn_matches
from backup_access.policy.wildcard import glob_matches

alphabet = st.text(alphabet="ab:/*?", max_size=12)
texts = st.text(alphabet="ab:/", max_size=12)


def oracle(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


@settings(max_examples=2000, deadline=None)
@given(alphabet, texts)
def test_glob_agrees_with_a_regex_oracle(pattern: str, text: str) -> None:
    assert glob_matches(pattern, text) == oracle(pattern, text)


@settings(max_examples=500, deadline=None)
@given(alphabet, texts)
def test_case_insensitive_glob_agrees_with_oracle(pattern: str, text: str) -> None:
    assert glob_matches(pattern.upper(), text, ignore_case=True) == oracle(pattern, text)


def test_hostile_pattern_is_fast() -> None:
    # A regex translation backtracks exponentially on this; the greedy matcher does not.
    pattern = "*a" * 40 + "*b"
    text = "a" * 5000
    started = time.perf_counter()
    assert not glob_matches(pattern, text)
    assert time.perf_counter() - started < 1.0


def test_arn_segments_are_matched_separately() -> None:
    # ArnLike: "Each of the six colon-delimited components of the ARN is checked separately"
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    vault = "arn:aws:backup:us-east-1:222222222222:backup-vault:central"
    assert arn_matches("arn:aws:backup:*:222222222222:backup-vault:*", vault)
    assert arn_matches("arn:aws:backup:us-east-?:222222222222:backup-vault:central", vault)
    assert not arn_matches("arn:aws:backup:*:111111111111:backup-vault:*", vault)
    assert not arn_matches("arn:aws:backup:us-east-1:222222222222:backup-vault:Central", vault)
    assert arn_matches("*", vault)
