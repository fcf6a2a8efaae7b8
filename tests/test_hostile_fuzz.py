"""Fuzzing every command on malformed input, in-process (issue 11).

Valid inputs of each kind (request file, world, CloudTrail file, session policy, lint
policy, CloudFormation template, error text) are mutated by hypothesis: values replaced by
hostile ones (wrong types, patterns, huge or odd text, deep or empty containers), keys
dropped or added, the serialized text truncated or spliced with stray bytes. Whatever comes
in, the command must end with an exit code of the contract (0, 1, 2, 3; docs/output.md),
raise nothing but its own input error, and name the file for exit 3.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backup_access.cli import main

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "hostile"
WORLD = HOSTILE / "world-missing-ou-list"
ROLE = "arn:aws:iam::111111111111:role/Ops"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:prod"
OPERATION = ["create-vault", "--caller", ROLE, "--vault", VAULT]
ACTION_ON_VAULT = ["--action", "backup:DeleteBackupVault", "--resource", VAULT]
CONTRACT = {0, 1, 2, 3}
FUZZ = settings(
    # FUZZ_EXAMPLES=2000 for a deeper hunt; 30 a test keeps the suite quick.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Vaults",
            "Effect": "Allow",
            "Action": ["backup:CreateBackupVault", "backup-storage:MountCapsule"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
        }
    ],
}
VAULT_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "backup:DeleteRecoveryPoint",
            "Resource": "*",
            "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}},
        }
    ],
}
TEMPLATE = {
    "Resources": {
        "Vault": {
            "Type": "AWS::Backup::BackupVault",
            "Properties": {
                "BackupVaultName": {"Fn::Sub": "${AWS::StackName}-vault"},
                "AccessPolicy": {
                    **VAULT_POLICY,
                    "Statement": [
                        {
                            **VAULT_POLICY["Statement"][0],  # type: ignore[index]
                            "Resource": {
                                "Fn::Sub": [
                                    "arn:${AWS::Partition}:backup:${AWS::Region}:${Acct}:*",
                                    {"Acct": {"Ref": "AWS::AccountId"}},
                                ]
                            },
                        }
                    ],
                },
            },
        }
    }
}
SEEDS: dict[str, Any] = {
    "request": _load(ROOT / "examples" / "requests" / "cross-account-copy.yaml"),
    "world": _load(WORLD / "world.yaml"),
    "cloudtrail": json.loads(
        (ROOT / "tests" / "diagnose" / "fixtures" / "cloudtrail.json").read_text("utf-8")
    ),
    "policy": POLICY,
    "vault policy": VAULT_POLICY,
    "template": TEMPLATE,
}
MESSAGES = [
    "User: arn:aws:sts::111111111111:assumed-role/Ops/s is not authorized to perform: "
    f"backup:CreateBackupVault on resource: {VAULT} because no identity-based policy allows "
    "the backup:CreateBackupVault action",
    "User: arn:aws:iam::111111111111:role/Ops is not authorized to perform: "
    "backup-storage:MountCapsule with an explicit deny in a service control policy",
    "An error occurred (AccessDeniedException) when calling the CreateBackupVault operation: ",
    "Encoded authorization failure message: AbCd+/=",
]

# Values that have broken parsers before: wrong types, patterns, odd or huge text.
TRICKY = [
    None,
    True,
    0,
    -1,
    10**30,
    1.5e308,
    float("nan"),
    "",
    " ",
    "*",
    "?",
    "${",
    "${aws:username",
    "${*}",
    "arn:",
    "arn:aws:iam::*:role/*",
    "arn:aws:backup:us-east-1:111111111111:backup-vault:*",
    "backup:*",
    "111111111111",
    "o-",
    "r-",
    "ou-",
    "-",
    "\u0000",
    "\u202e",
    "é" * 3,
    ":" * 3000,
    "${" * 2000,
    "a" * 5000,
    [],
    {},
    [[[[[]]]]],
    {"": None},
    {"Fn::Sub": []},
    {"Fn::Sub": ["only"]},
    {"Fn::Sub": [1, 2, 3]},
    {"Ref": None},
    {"Fn::GetAtt": "x"},
    {"Fn::If": []},
]
scalars = st.one_of(
    st.sampled_from(TRICKY).map(copy.deepcopy),  # edits must not reach the shared list
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(["Statement", "Effect"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document (its root included)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _parent(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        value = value[step]
    return value


@st.composite
def mutated(draw: Any, seed: Any) -> Any:
    """``seed`` with one to four random edits."""
    value = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(list(_paths(value))))
        if not path:
            value = draw(values) if draw(st.booleans()) else value
            continue
        parent, last = _parent(value, path), path[-1]
        edit = draw(st.sampled_from(["replace", "drop", "add", "wrap"]))
        if edit == "replace":
            parent[last] = draw(values)
        elif edit == "drop":
            del parent[last]
        elif edit == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(values)
        elif edit == "add":
            parent.append(draw(values))
        else:
            parent[last] = [parent[last]] if draw(st.booleans()) else {"x": parent[last]}
    return value


def _json(value: Any) -> str:
    return json.dumps(value, default=str)


@st.composite
def serialized(draw: Any, value: Any) -> tuple[str, bytes]:
    """(file suffix, content): JSON, YAML, or either with its text cut or spliced."""
    suffix = draw(st.sampled_from([".json", ".yaml"]))
    if suffix == ".json":
        text = _json(value)
    else:
        try:
            text = yaml.safe_dump(value, allow_unicode=True)
        except yaml.YAMLError:
            text = _json(value)
    data = text.encode("utf-8", "surrogatepass")
    damage = draw(st.sampled_from(["none", "none", "cut", "splice"]))
    if damage != "none" and data:
        at = draw(st.integers(0, len(data)))
        if damage == "cut":
            data = data[:at]
        else:
            junk = draw(st.binary(max_size=8) | st.sampled_from([b"\xff", b"&a", b"*a", b"!!"]))
            data = data[:at] + junk + data[at:]
    return suffix, data


_FOLDER = Path(tempfile.mkdtemp(prefix="backup-access-fuzz-"))
_COUNTER = iter(range(10**9))


def _write(suffix: str, data: bytes) -> Path:
    path = _FOLDER / f"input-{next(_COUNTER)}{suffix}"
    path.write_bytes(data)
    return path


CODES: dict[int, int] = {}


def _check(args: list[str], file: Path | None) -> None:
    result = CliRunner().invoke(main, args)
    CODES[result.exit_code] = CODES.get(result.exit_code, 0) + 1
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}\n{file.read_bytes()[:2000]!r}" if file else repr(args)
    )
    assert result.exit_code in CONTRACT, result.output
    if result.exit_code == 3:
        assert result.stderr.startswith("error: ")
        if file is not None:
            assert str(file) in result.stderr, result.stderr
    if file is not None:
        file.unlink()


def _fuzz(seed: str, command: Callable[[str], list[str]]) -> Any:
    @FUZZ
    @given(st.data())
    def run(data: Any) -> None:
        suffix, content = data.draw(serialized(data.draw(mutated(SEEDS[seed]))))
        path = _write(suffix, content)
        _check(command(str(path)), path)

    return run


test_request_files = _fuzz("request", lambda p: ["simulate", p, "--format", "json"])
test_worlds_for_simulate = _fuzz(
    "world",
    lambda p: ["simulate", "--world", p, "--principal", ROLE, *ACTION_ON_VAULT],
)
test_worlds_for_explain = _fuzz("world", lambda p: ["explain", "--world", p, *OPERATION])
test_cloudtrail_files = _fuzz(
    "cloudtrail", lambda p: ["explain", "--world", str(WORLD), "--cloudtrail", p]
)
test_session_policies = _fuzz(
    "policy", lambda p: ["explain", "--world", str(WORLD), "--session-policy", p, *OPERATION]
)
test_lint_policies = _fuzz("vault policy", lambda p: ["lint", p, "--format", "json"])
test_lint_templates = _fuzz("template", lambda p: ["lint", p, "--format", "sarif"])


@FUZZ
@given(
    st.sampled_from(MESSAGES),
    st.text(max_size=60) | st.sampled_from([str(t) for t in TRICKY]),
    st.integers(0, 400),
)
def test_error_texts(message: str, junk: str, at: int) -> None:
    text = message[:at] + junk + message[at:]
    _check(["explain", "--world", str(WORLD), "--error", text, "--format", "json"], None)


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes_as_every_input(data: bytes) -> None:
    path = _write(".yaml", data)
    for args in (
        ["simulate", str(path)],
        ["lint", str(path)],
        ["explain", "--world", str(WORLD), "--session-policy", str(path), *OPERATION],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert result.exit_code in CONTRACT
        if result.exit_code == 3:
            assert str(path) in result.stderr
    path.unlink()
