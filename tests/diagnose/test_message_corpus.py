"""The corpus of pasted messages (tests/diagnose/messages/*.yaml): each entry is a message as
people post it, the page or public report it is written from, the fields the parser must
yield, and what the offline answer (no world) must rank first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backup_access.diagnose.families import MessageFamily
from backup_access.diagnose.messages import ParsedMessage, parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.engine.model import Layer

CORPUS_DIR = Path(__file__).parent / "messages"


def _load() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            entries.append({**entry, "file": path.name})
    return entries


CORPUS = _load()
BY_ID = {entry["id"]: entry for entry in CORPUS}
_EVIDENCE = (
    "operation",
    "error_code",
    "status_code",
    "request_id",
    "tool_resource",
    "resource_type",
)
_MESSAGE = (
    "principal",
    "action",
    "resource",
    "explicit",
    "policy_type",
    "policy_arn",
    "authorization_id",
    "role",
    "key",
)


def _value(parsed: ParsedMessage, name: str) -> object:
    if name in ("kind", "family", "gate", "layer"):
        value = getattr(parsed, name)
        return value.value if value is not None else None
    if name in _EVIDENCE:
        return getattr(parsed.evidence, name)
    return getattr(parsed, name)


def test_the_corpus_is_large_cited_and_has_unique_ids() -> None:
    assert len(CORPUS) >= 60
    assert len(BY_ID) == len(CORPUS)
    for entry in CORPUS:
        assert str(entry["source"]).startswith("https://"), entry["id"]
        assert entry["expect"], entry["id"]


def test_every_family_and_wrapper_is_in_the_corpus() -> None:
    families = {parse_error_message(e["text"]).family for e in CORPUS}
    assert families == set(MessageFamily)
    wrappers = {w for e in CORPUS for w in parse_error_message(e["text"]).evidence.wrappers}
    assert wrappers >= {
        "terraform",
        "cdk",
        "cloudformation",
        "log",
        "cloudtrail-json",
        "xml",
        "go-sdk-v2",
        "aws-cli",
        "java-sdk",
        "go-sdk-v1",
        "js-sdk",
    }
    masked = [e["id"] for e in CORPUS if parse_error_message(e["text"]).masked]
    assert len(masked) >= 8


@pytest.mark.parametrize("entry", CORPUS, ids=[e["id"] for e in CORPUS])
def test_each_message_yields_its_fields(entry: dict[str, Any]) -> None:
    parsed = parse_error_message(entry["text"])
    for name, expected in entry["expect"].items():
        if name == "masked":
            assert sorted(m.field for m in parsed.masked) == sorted(expected), name
        elif name == "wrappers":
            assert set(expected) <= set(parsed.evidence.wrappers), parsed.evidence.wrappers
        elif name == "job":  # the job around a job message (diagnose.job_fields)
            for field, value in expected.items():
                assert getattr(parsed.job, field) == value, field
        else:
            assert name in (*_EVIDENCE, *_MESSAGE, "kind", "family", "gate", "layer"), name
            assert _value(parsed, name) == expected, name


_READ_ONLY = ("get-", "list-", "describe-", "simulate-", "lookup-", "decode-")


@pytest.mark.parametrize(
    "entry", [e for e in CORPUS if "offline" in e], ids=[e["id"] for e in CORPUS if "offline" in e]
)
def test_each_offline_answer_ranks_its_likely_cause_first(entry: dict[str, Any]) -> None:
    answer = answer_offline(parse_error_message(entry["text"]))
    expected = entry["offline"]
    first = answer.causes[0] if answer.causes else None
    if "permission_problem" in expected:
        assert answer.permission_problem is expected["permission_problem"]
    if "blame" in expected:
        assert answer.blame.layer == expected["blame"]
    if "first_layer" in expected:
        assert first is not None and first.layer == expected["first_layer"]
    if "first_check" in expected:
        assert first is not None and first.check == expected["first_check"]
    if "first_title" in expected:
        assert first is not None and expected["first_title"] in first.title
    if "operation" in expected:
        assert answer.operation == expected["operation"]
    if "first_command" in expected:
        assert first is not None and first.confirm
        assert first.confirm[0].command.startswith(expected["first_command"])
    if answer.permission_problem and first is not None and first.layer != "none":
        assert first.confirm, "a permission cause comes with commands to confirm it"


@pytest.mark.parametrize("entry", CORPUS, ids=[e["id"] for e in CORPUS])
def test_offline_commands_only_read_and_say_where_to_run(entry: dict[str, Any]) -> None:
    answer = answer_offline(parse_error_message(entry["text"]))
    for cause in answer.causes:
        assert cause.layer in {*(layer.value for layer in Layer), "setting", "none"}
        for command in cause.confirm:
            assert command.account and command.shows
            words = command.command.split()
            if words[0] == "aws":
                assert words[2].startswith(_READ_ONLY), command.command
            else:
                assert words[:2] == ["terraform", "version"]


def test_a_non_permission_error_is_never_blamed_on_a_policy() -> None:
    for entry in CORPUS:
        answer = answer_offline(parse_error_message(entry["text"]))
        if not answer.permission_problem:
            assert answer.blame.layer is None
            assert answer.blame.says.startswith("not a permission problem") or (
                answer.message.family is MessageFamily.UNRECOGNISED
            )


def test_docs_list_every_family_and_wrapper() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    for family in MessageFamily:
        assert f"| `{family.value}` |" in doc, family
    wrappers = {w for e in CORPUS for w in parse_error_message(e["text"]).evidence.wrappers}
    for wrapper in wrappers:
        assert f"`{wrapper}`" in doc, wrapper


def test_every_family_has_an_offline_answer_checked_for_layer_and_first_cause() -> None:
    checked: set[MessageFamily] = set()
    for entry in CORPUS:
        expected = entry.get("offline", {})
        if "first_layer" in expected or expected.get("permission_problem", True) is not True:
            checked.add(parse_error_message(entry["text"]).family)
    assert checked == set(MessageFamily)
