"""Every regular expression of the message reader runs in time linear in its input (issue 11:
the old empty-403 pattern was quadratic on a run of punctuation), and the text is capped.

Each pattern of ``diagnose.unwrap``, ``diagnose.messages`` and the job gates' readers (found
by walking the modules, so a new one is covered) is timed on the most expensive of many
adversarial inputs — a pattern's prefixes repeated without their endings, runs of
punctuation — at size n and 8n in the same run. Linear work takes about 8 times longer,
quadratic about 64: the bound is 32. A ratio, never an absolute time. The repo-wide guard
(tests/test_regex_linear.py) times the entry points end to end.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from types import ModuleType

import pytest

from backup_access.diagnose import (
    feature_gate,
    job_fields,
    job_gates,
    job_heading,
    messages,
    unwrap,
)
from backup_access.diagnose.cloudtrail import read_cloudtrail
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.unwrap import MAX_MESSAGE_CHARS
from tests.timing import BOUND, FACTOR, seconds_per_call

SMALL = 2_000  # 8 x SMALL stays under MAX_MESSAGE_CHARS: the cap must not hide the growth
TRIGGERS = (
    "User: ",
    "User:x",
    "Principal: ",
    "arn:aws:",
    "arn:",
    "arn:aws:iam::",
    "arn:aws:kms:",
    "An error occurred (",
    "An error occurred (X) when calling the ",
    "operation error ",
    "operation error Backup: X, https response error StatusCode: 403, RequestID: ",
    "(Service: ",
    "(Service: X; Status Code: 400; Error Code: ",
    "(Service: X, Status Code: 400, Request ID: a, ",
    "status code: 403, request id: ",
    "httpStatusCode: 403, requestId: ",
    "Error: creating Backup ",
    "error creating Backup Vault (",
    "<Message>",
    "<Code>",
    '"errorMessage": "',
    '"errorMessage": "\\',
    'level=error msg="',
    "with an explicit deny in a ",
    "because no ",
    "authorization id: ",
    "Encoded authorization failure message: ",
    "describe resource ",
    'Resource handler returned message: "',
    "(RequestToken: a, HandlerErrorCode: ",
    "CREATE_FAILED | AWS::Backup::",
    "2024-01-01T00:00:00",
    "[ERROR] ",
    "at x (",
    "with x,",
    "XException:",
    "a",
    ":",
    "-",
    ".",
    "!",
    " ",
    "\t",
    "\\",
    '"',
    "(",
    '"DeleteAfterDays": "',
    "DeleteAfterDays=",
    "IamRoleArn:",
    "aaaaaa ",
    "ami-",
    "eu-west-",
    "Backup job ",
    "copy job 1234567890 ",
    "x Backup job failed ",
    "An AWS Backup ",
)


def _patterns(module: ModuleType) -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern):
            found.append((f"{module.__name__}.{name}", value))
        elif isinstance(value, dict):
            found.extend(
                (f"{module.__name__}.{name}[{key}]", item)
                for key, item in value.items()
                if isinstance(item, re.Pattern)
            )
    return found


PATTERNS = [
    *_patterns(unwrap),
    *_patterns(messages),
    *_patterns(job_fields),
    *_patterns(feature_gate),
    *_patterns(job_gates),
    *_patterns(job_heading),
]


def _text(trigger: str, size: int) -> str:
    return (trigger * (size // len(trigger) + 1))[:size]


def _ratio(function: Callable[[str], object], trigger: str) -> float:
    small = seconds_per_call(lambda: function(_text(trigger, SMALL)))
    large = seconds_per_call(lambda: function(_text(trigger, SMALL * FACTOR)))
    return large / small


def test_the_reader_has_patterns_to_check() -> None:
    assert len(PATTERNS) >= 20


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_each_pattern_is_linear_on_its_worst_input(name: str, pattern: re.Pattern[str]) -> None:
    def search(text: str) -> object:
        return pattern.search(text)

    worst = max(TRIGGERS, key=lambda t: _one(search, _text(t, SMALL * FACTOR)))
    ratio = _ratio(search, worst)
    assert ratio < BOUND, f"{name} on {worst!r}: {ratio:.1f}x for {FACTOR}x the input"


def _one(function: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "trigger",
    ["!", "-", ":", "User: ", "arn:", "An error occurred (", "x Backup job failed ", "12:00 "],
)
def test_parsing_a_paste_is_linear(trigger: str) -> None:
    ratio = _ratio(parse_error_message, trigger)
    assert ratio < BOUND, f"{trigger!r}: {ratio:.1f}x for {FACTOR}x the input"


def test_text_beyond_the_cap_is_cut_and_the_cut_is_said() -> None:
    parsed = parse_error_message("!" * (MAX_MESSAGE_CHARS * 50))
    assert any(f"{MAX_MESSAGE_CHARS:,}" in note for note in parsed.notes)
    capped = seconds_per_call(lambda: parse_error_message("!" * MAX_MESSAGE_CHARS))
    huge = seconds_per_call(lambda: parse_error_message("!" * (MAX_MESSAGE_CHARS * 50)))
    assert huge / capped < 8  # reading past the cap costs only the slice


def test_a_cloudtrail_file_costs_in_proportion_to_its_records() -> None:
    def trail(records: int) -> dict[str, object]:
        record = {
            "eventSource": "backup.amazonaws.com",
            "eventName": "StartBackupJob",
            "errorCode": "AccessDenied",
            "errorMessage": "!" * 2_000,
            "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::1:assumed-role/r/s"},
        }
        return {"Records": [record] * records}

    small, large = trail(4), trail(4 * FACTOR)
    ratio = seconds_per_call(lambda: read_cloudtrail(large)) / seconds_per_call(
        lambda: read_cloudtrail(small)
    )
    assert ratio < BOUND
