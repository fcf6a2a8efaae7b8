"""The one reader every input goes through (documents.py): special files, byte caps, bad
UTF-8, long integers, deep nesting, aliases. Each refusal is an ``InputError`` that names the
file and, where the text has one, the line and column."""

from __future__ import annotations

import io
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backup_access import documents
from backup_access.documents import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    load_document,
    parse_text,
    read_bytes,
    read_text,
)
from backup_access.errors import InputError, PolicyError
from backup_access.policy.parse import parse_policy


def _error(text: str, *, json_only: bool = False) -> str:
    with pytest.raises(InputError) as caught:
        parse_text(text, source="in.yaml", json_only=json_only)
    assert caught.value.file == "in.yaml"
    return str(caught.value)


# --- integers longer than Python converts -------------------------------------------------


def test_long_integer_in_yaml_is_a_located_error() -> None:
    message = _error("a: 1\nb: " + "7" * 5000 + "\n")
    assert "line 2, column 4" in message
    assert "5,000" in message and "quote it" in message


def test_long_integer_in_json_is_a_located_error() -> None:
    message = _error('{\n  "a": "x",\n  "b": ' + "7" * 4301 + "\n}", json_only=True)
    assert "line 3, column 8" in message
    assert "4,301 digits" in message


def test_integers_up_to_the_limit_still_parse() -> None:
    assert parse_text("a: " + "7" * 4300, source="x") == {"a": int("7" * 4300)}
    quoted = parse_text('a: "' + "7" * 9000 + '"', source="x")
    assert quoted == {"a": "7" * 9000}


def test_long_sexagesimal_integer_is_refused_before_conversion() -> None:
    # YAML 1.1 reads 1:2:3 as base 60; a long one costs quadratic time to convert.
    assert "integer of" in _error("a: " + "1:2" * 3000)


# --- special files and byte caps ----------------------------------------------------------


def _finishes(function: Callable[[], object], seconds: float = 5.0) -> object:
    """Run ``function`` in a thread; fail (instead of hanging) if it does not return."""
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(function())
        except Exception as error:  # handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "the reader blocked"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "world.yaml"
    os.mkfifo(fifo)
    result = _finishes(lambda: read_text(fifo))
    assert isinstance(result, InputError)
    assert result.file == str(fifo) and "FIFO" in str(result)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_refused() -> None:
    result = _finishes(lambda: read_text("/dev/zero"))
    assert isinstance(result, InputError)
    assert "device" in str(result) and "/dev/zero" in str(result)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)
    with pytest.raises(InputError, match="not found"):
        read_text(tmp_path / "absent.json")
    with pytest.raises(InputError, match="not found"):
        read_text(tmp_path / "absent" / "x.json")


class _Endless(io.RawIOBase):
    """A stream that never ends (what ``cat /dev/zero |`` gives on standard input)."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        buffer[:] = b" " * len(buffer)
        self.served += len(buffer)
        return len(buffer)


def test_cap_is_enforced_while_reading_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    endless = _Endless()
    monkeypatch.setattr(documents.sys, "stdin", io.TextIOWrapper(io.BufferedReader(endless)))
    with pytest.raises(InputError, match="larger than 1 MB") as caught:
        read_bytes("-", limit=1_000_000)
    assert caught.value.file == "-"
    assert endless.served <= 1_000_000 + 2 * (1 << 20)  # stopped near the cap


def test_standard_input_is_read_for_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"a: [1, 2]\n"))
    monkeypatch.setattr(documents.sys, "stdin", stdin)
    assert load_document("-") == {"a": [1, 2]}


def test_cap_is_enforced_on_regular_files(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2000)
    with pytest.raises(InputError, match="larger than"):
        read_bytes(big, limit=1000)
    assert len(read_bytes(big, limit=2000)) == 2000


# --- text that is not UTF-8 or holds control characters ----------------------------------


def test_invalid_utf8_names_line_column_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "req.yaml"
    path.write_bytes(b"request:\n  action: b\xffad\n")
    with pytest.raises(InputError) as caught:
        read_text(path)
    message = str(caught.value)
    assert str(path) in message
    assert "byte 0xff at line 2, column 12 (byte offset 20)" in message


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert load_document(path) == {"a": 1}


def test_unacceptable_yaml_character_is_located() -> None:
    message = _error("a: b\nc: d\x07e\n")
    assert "line 2, column 5" in message and "#x0007" in message


# --- nesting ------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_json_nested_too_deep_is_located(depth: int) -> None:
    message = _error('{"a":\n' + "[" * depth + "]" * depth + "}", json_only=True)
    assert f"nested deeper than {MAX_DEPTH} levels at line 2, column {MAX_DEPTH}" in message


def test_json_nesting_at_the_limit_parses() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_text(text, source="x", json_only=True) is not None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_yaml_nested_too_deep_is_located(depth: int) -> None:
    message = _error("a:\n  " + "[" * depth + "]" * depth)
    assert "nested deeper than" in message and "line 2" in message


def test_braces_inside_json_strings_do_not_count_as_nesting() -> None:
    prefix = '["[[\\"[[", '  # 11 characters, one bracket outside the string
    text = prefix + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "]"
    message = _error(text, json_only=True)
    assert f"line 1, column {len(prefix) + MAX_DEPTH}" in message


# --- anchors and aliases ------------------------------------------------------------------


def test_aliases_share_one_object() -> None:
    value = parse_text("- policies: &p {identity: []}\n- policies: *p\n", source="x")
    assert isinstance(value, list)
    assert value[0]["policies"] is value[1]["policies"]


def test_alias_bomb_is_refused_quickly_at_its_line() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    started = time.perf_counter()
    message = _error("\n".join(lines))
    assert time.perf_counter() - started < 2.0
    assert f"more than {MAX_ALIAS_EXPANSION:,} nodes" in message
    assert "line 7" in message  # 9**6 nodes is the first level past the budget


def test_merge_key_chain_is_bounded_by_the_same_budget() -> None:
    # Each mapping merges the previous one: the work grows with the square of the chain.
    lines = ["m0: &m0 {k0: 0}"]
    lines += [f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: {i}}}" for i in range(1, 3000)]
    assert "aliases expand" in _error("\n".join(lines))


def test_recursive_alias_is_refused() -> None:
    assert "recursive" in _error("a: &x {b: [*x]}")


def test_undefined_alias_is_located() -> None:
    assert "line 1, column 4" in _error("a: *nowhere")


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!timestamp 2026-01-01", "!!set {a}"])
def test_tags_outside_json_types_are_refused(tag: str) -> None:
    assert "not supported" in _error(f"a: {tag}")


def test_dates_stay_text() -> None:
    assert parse_text("a: 2026-01-01T00:00:00Z", source="x") == {"a": "2026-01-01T00:00:00Z"}


def test_batch_items_sharing_policies_through_an_anchor_share_one_parse() -> None:
    """README: items whose ``policies`` are equal, through a YAML anchor or written out
    again, share one parse; different ones do not."""
    from backup_access.simulate.request_file import parse_request_file

    text = """
- request: {principal: "arn:aws:iam::111111111111:role/A", action: "backup:ListBackupVaults",
            resource: "*"}
  policies: &shared
    identity: [{Statement: {Effect: Allow, Action: "backup:*", Resource: "*"}}]
- request: {principal: "arn:aws:iam::111111111111:role/B", action: "backup:ListBackupJobs",
            resource: "*"}
  policies: *shared
- request: {principal: "arn:aws:iam::111111111111:role/C", action: "backup:ListBackupJobs",
            resource: "*"}
  policies:
    identity: [{Statement: {Effect: Allow, Action: "backup:*", Resource: "*"}}]
- request: {principal: "arn:aws:iam::111111111111:role/C", action: "backup:ListBackupJobs",
            resource: "*"}
  policies:
    identity: [{Statement: {Effect: Allow, Action: "backup:List*", Resource: "*"}}]
"""
    items, batch = parse_request_file(parse_text(text, source="b.yaml"), source="b.yaml")
    assert batch and len(items) == 4
    assert items[0].policies is items[1].policies
    assert items[2].policies is items[0].policies  # equal, written out again
    assert items[3].policies is not items[0].policies


# --- lone UTF-16 surrogates (fuzz s23 F1) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "json_only", "pointer", "surrogate"),
    [
        ('{"a": {"b": ["x", "arn:\\ud800"]}}', True, "/a/b/1", "\\ud800"),
        ('{"a": {"\\uDC00k": 1}}', True, "/a/\\udc00k", "\\udc00"),
        ('{"a": "\\ude00\\ud83d"}', True, "/a", "\\ude00"),  # a pair in the wrong order
        ('a:\n  - "\\ud800"\n', False, "/a/0", "\\ud800"),
        ('a: "\\U0000dfff"\n', False, "/a", "\\udfff"),
        ('"k\\ud800": 1\n', False, "/k\\ud800", "\\ud800"),
    ],
)
def test_a_lone_surrogate_is_refused_at_its_pointer(
    text: str, json_only: bool, pointer: str, surrogate: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_text(text, source="in.json", json_only=json_only)
    assert caught.value.file == "in.json"
    assert caught.value.pointer == pointer
    assert f"lone surrogate {surrogate} is not valid Unicode" in caught.value.message
    str(caught.value).encode("utf-8")  # the message itself can be written


@pytest.mark.parametrize("json_only", [True, False])
def test_a_surrogate_pair_reads_as_its_character_in_json_and_in_yaml(json_only: bool) -> None:
    # JSON text is YAML too (a JSON file not named .json, standard input): PyYAML keeps a
    # pair's halves as two characters; both readers must give the one character.
    text = '{"a\\ud83d\\ude00": "\\uD83D\\uDE00"}'
    assert parse_text(text, source="x", json_only=json_only) == {"a😀": "😀"}
    assert "lone surrogate \\ud800" in _error('a: "\\ud83d\\ude00\\ud800"')


def test_whole_characters_and_escaped_backslashes_still_read() -> None:
    assert parse_text('{"a": "\\ud83d\\ude00"}', source="x", json_only=True) == {"a": "😀"}
    assert parse_text('{"a": "\\\\ud800"}', source="x", json_only=True) == {"a": "\\ud800"}
    assert parse_text('a: "\\U0001F600 é"\n', source="x") == {"a": "😀 é"}


def test_a_surrogate_in_text_not_read_from_a_file_is_refused() -> None:
    # parse_text also reads text a caller decoded (a policy returned by an AWS API).
    message = _error('{"a": "x\ud800"}', json_only=True)
    assert "lone surrogate \\ud800" in message


def test_a_policy_given_as_json_text_is_checked_too() -> None:
    text = '{"Version": "2012-10-17", "Statement": [{"Sid": "\\ud800", "Effect": "Allow"}]}'
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, pointer="/p")
    assert caught.value.pointer == "/p/Statement/0/Sid"


def test_text_without_a_surrogate_escape_is_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check costs one search of the text unless an escape is there (32 MiB: ~25 ms)."""

    def walked(value: object) -> None:
        raise AssertionError("walked")

    monkeypatch.setattr(documents, "_first_surrogate", walked)
    assert parse_text('{"a": "\\u00e9 \\ud7ff \\ue000"}', source="x", json_only=True)
    with pytest.raises(AssertionError):
        parse_text('{"a": "\\ud800"}', source="x", json_only=True)


_SOME_SURROGATES = st.text(alphabet=st.sampled_from('a"\\é😀\ud800\udbff\udc00\udfff'), max_size=8)


@given(_SOME_SURROGATES, st.booleans(), st.booleans())
def test_any_decoded_string_either_encodes_or_is_refused(
    text: str, as_key: bool, json_only: bool
) -> None:
    """JSON written by ``json.dumps`` escapes every surrogate (``\\ud83d\\ude00`` for a pair);
    read as JSON or as YAML, what decodes must encode as UTF-8, or be refused."""
    document = json.dumps({text: 1} if as_key else {"k": [text]})
    try:
        value = parse_text(document, source="x", json_only=json_only)
    except InputError as error:
        assert "lone surrogate" in error.message
        assert any("\ud800" <= c <= "\udfff" for c in text)
    else:
        json.dumps(value, ensure_ascii=False).encode("utf-8")


# --- numbers YAML 1.1 and YAML 1.2 read differently (fuzz s23 F3) --------------------------


@pytest.mark.parametrize(
    ("literal", "form"),
    [
        ("012345670123", "leading zero"),  # an account id: YAML 1.1 reads octal 1402433619
        ("-017", "leading zero"),
        ("00", "leading zero"),
        ("190:20:30", "base 60"),
        ("190:20:30.5", "base 60"),
        ("0x1F", "hexadecimal"),
        ("0b101", "binary"),
        ("1_000", "'_' between digits"),
        ("1_000.5", "'_' between digits"),
    ],
)
def test_an_unquoted_number_yaml_readers_disagree_on_is_refused_at_its_line(
    literal: str, form: str
) -> None:
    for text in (f"a: x\nb: [1, {literal}]\n", f"a: x\n{literal}: 1\n"):
        message = _error(text)
        assert "invalid YAML at line 2, column" in message
        assert f"the unquoted number {literal} is written" in message and form in message
        assert f'quote it ("{literal}")' in message


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("0", 0),
        ("-0", 0),
        ("+7", 7),
        ("123456789012", 123456789012),
        ("1.5", 1.5),
        ("012345678901", "012345678901"),  # an 8 or 9 makes it text already
        ("0o17", "0o17"),  # not a YAML 1.1 integer: text
        ('"012345670123"', "012345670123"),
        ("'190:20:30'", "190:20:30"),
    ],
)
def test_plain_decimal_numbers_and_quoted_text_still_read(literal: str, value: object) -> None:
    assert parse_text(f"a: {literal}\n", source="x") == {"a": value}
