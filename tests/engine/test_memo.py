"""The engine's caches never change what it says, only how fast.

Matching is cached by value across policies and requests: the outcome of a condition is
shared by every condition written the same way that sees the same values. Each trace entry
must still name its own statement and condition location.
"""

from __future__ import annotations

from backup_access.engine import evaluate, make_request
from backup_access.engine.model import Layer
from backup_access.engine.trace import StatementTrace
from backup_access.simulate.request_file import parse_policies

ORG_CONDITION = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}


def _policy(sid: str, padding: int) -> dict[str, object]:
    """The same conditional statement, after ``padding`` others, so its pointer differs."""
    filler = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}] * padding
    statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": "backup:*",
        "Resource": "*",
        "Condition": ORG_CONDITION,
    }
    return {"Version": "2012-10-17", "Statement": [*filler, statement]}


def _condition_traces(org: str) -> list[StatementTrace]:
    request = make_request(
        "arn:aws:iam::111111111111:role/Backup",
        "backup:StartBackupJob",
        "*",
        context={"aws:PrincipalOrgID": org},
    )
    # Parsed anew on each call, as a request file's items are (the cold path).
    policies = parse_policies({"identity": [_policy("First", 0), _policy("Second", 2)]})
    decision = evaluate(request, policies)
    return [
        e
        for e in decision.trace
        if isinstance(e, StatementTrace) and e.layer is Layer.IDENTITY and e.sid is not None
    ]


def test_a_shared_condition_outcome_points_at_each_policys_own_condition() -> None:
    for _ in range(2):  # the second time, both outcomes come from the shared cache
        traces = _condition_traces("o-zzzzzzzzzz")
        assert [t.sid for t in traces] == ["First", "Second"]
        assert [t.condition.condition.pointer for t in traces if t.condition] == [
            "/policies/identity/0/Statement/0/Condition/StringEquals/aws:PrincipalOrgID",
            "/policies/identity/1/Statement/2/Condition/StringEquals/aws:PrincipalOrgID",
        ]
        assert all(t.condition and t.condition.actual == "o-zzzzzzzzzz" for t in traces)
        assert not any(t.matched for t in traces)


def test_the_shared_outcome_follows_the_value_of_the_key() -> None:
    assert all(t.matched for t in _condition_traces("o-a1b2c3d4e5"))
    assert not any(t.matched for t in _condition_traces("o-zzzzzzzzzz"))
    assert all(t.matched for t in _condition_traces("o-a1b2c3d4e5"))


def _tag_decision(team_tag: str, resource_tag: str) -> str:
    """A condition whose value is a policy variable: its shared outcome must follow the
    variable's value too, not only its own key's (reference_policies_variables.html)."""
    request = make_request(
        "arn:aws:iam::111111111111:role/Backup",
        "backup:StartBackupJob",
        "*",
        context={"aws:PrincipalTag/team": team_tag, "aws:ResourceTag/team": resource_tag},
    )
    statement = {
        "Effect": "Allow",
        "Action": "backup:*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
    }
    policies = parse_policies({"identity": [{"Version": "2012-10-17", "Statement": [statement]}]})
    return evaluate(request, policies).value.value


def test_a_shared_outcome_follows_the_values_of_the_variables_it_reads() -> None:
    assert _tag_decision("backup", "backup") == "allowed"
    assert _tag_decision("platform", "backup") == "implicit_deny"
    assert _tag_decision("platform", "platform") == "allowed"
    assert _tag_decision("backup", "platform") == "implicit_deny"


def _lru_caches() -> dict[str, object]:
    """Every functools.lru_cache function defined in the evaluation core's modules."""
    import functools
    import importlib
    import pkgutil

    import backup_access.conditions
    import backup_access.engine
    import backup_access.policy

    found: dict[str, object] = {}
    for package in (backup_access.policy, backup_access.conditions, backup_access.engine):
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, functools._lru_cache_wrapper) and (
                    value.__module__ == info.name
                ):
                    found[f"{info.name}.{name}"] = value
    return found


def test_clear_caches_empties_every_memo_of_the_core() -> None:
    """One clear_caches() owns every memo: each lru_cache of policy/, conditions/ and
    engine/ is registered with it, and so is the shared condition-outcome table."""
    from backup_access import memo
    from backup_access.engine.condition_match import _SHARED_OUTCOMES
    from backup_access.memo import clear_caches

    _condition_traces("o-zzzzzzzzzz")  # fills the caches
    caches = _lru_caches()
    assert len(caches) >= 15, sorted(caches)
    unregistered = [
        name
        for name, cache in caches.items()
        if not any(clear == cache.cache_clear for clear in memo._CLEARERS)  # type: ignore[attr-defined]
    ]
    assert unregistered == [], "register these with backup_access.memo.memo"
    assert _SHARED_OUTCOMES
    clear_caches()
    still_filled = {
        name: cache.cache_info().currsize  # type: ignore[attr-defined]
        for name, cache in caches.items()
        if cache.cache_info().currsize  # type: ignore[attr-defined]
    }
    assert still_filled == {}, "caches not registered with backup_access.memo.memo"
    assert not _SHARED_OUTCOMES
    # The answers are the same from a cold start.
    assert [t.sid for t in _condition_traces("o-zzzzzzzzzz")] == ["First", "Second"]
