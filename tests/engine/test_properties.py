"""Properties of AWS policy evaluation that must hold for any policies
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
an explicit deny always wins; statement order and duplicated statements never matter;
adding an Allow never takes access away."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.engine import evaluate
from backup_access.engine.statement import (
    any_action_matches,
    evaluate_statement,
    not_matching_action,
)
from backup_access.engine.trace import LayerTrace, StatementTrace
from backup_access.simulate.request_file import parse_policies, parse_request
from tests.strategies import policy_sets, requests

DENY_ALL = {"Effect": "Deny", "Action": "*", "Resource": "*"}
ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def decide(request: dict[str, Any], raw: dict[str, Any]) -> tuple[str, list[str]]:
    parsed_request, management = parse_request(request)
    result = evaluate(parsed_request, parse_policies(raw, management=management)).to_dict()
    return result["decision"], result["blocked_by"]


@settings(max_examples=300, deadline=None)
@given(requests(), policy_sets(), st.sampled_from(["identity", "boundary", "session", "scp"]))
def test_explicit_deny_dominates(request: dict[str, Any], raw: dict[str, Any], layer: str) -> None:
    raw = copy.deepcopy(raw)
    deny = {"Version": "2012-10-17", "Statement": [DENY_ALL]}
    if layer == "scp":
        raw.setdefault("scp", [{"level": "r-ab12", "policies": []}])
        raw["scp"][-1]["policies"].append(deny)
    else:
        raw.setdefault(layer, []).append(deny)
    decision, blocked_by = decide(request, raw)
    assert decision == "explicit_deny"
    assert layer in blocked_by


@settings(max_examples=300, deadline=None)
@given(requests(), policy_sets(), st.randoms(use_true_random=False))
def test_statement_order_and_duplicates_do_not_matter(
    request: dict[str, Any], raw: dict[str, Any], rng: random.Random
) -> None:
    before = decide(request, raw)
    shuffled = copy.deepcopy(raw)
    documents = [*shuffled.get("identity", []), *shuffled.get("boundary", [])]
    documents += shuffled.get("session", [])
    if "resource" in shuffled:
        documents.append(shuffled["resource"])
    for level in shuffled.get("scp", []):
        documents += level["policies"]
    for document in documents:
        statements = document["Statement"]
        statements += [copy.deepcopy(rng.choice(statements))]
        rng.shuffle(statements)
    assert decide(request, shuffled) == before


@settings(max_examples=300, deadline=None)
@given(requests(), policy_sets(), st.sampled_from(["identity", "boundary", "session", "resource"]))
def test_adding_an_allow_never_removes_access(
    request: dict[str, Any], raw: dict[str, Any], layer: str
) -> None:
    before, _ = decide(request, raw)
    widened = copy.deepcopy(raw)
    if layer == "resource":
        statement = dict(ALLOW_ALL, Principal="*")
        widened.setdefault("resource", {"Version": "2012-10-17", "Statement": []})
        widened["resource"]["Statement"].append(statement)
    elif widened.get(layer):
        widened[layer][0]["Statement"].append(dict(ALLOW_ALL))
    else:
        widened.setdefault(layer, []).append({"Version": "2012-10-17", "Statement": [ALLOW_ALL]})
    after, _ = decide(request, widened)
    if before == "allowed":
        assert after == "allowed"
    if before == "explicit_deny":
        assert after == "explicit_deny"


@settings(max_examples=300, deadline=None)
@given(requests(), policy_sets())
def test_the_trace_explains_every_statement_as_evaluating_it_alone_does(
    request: dict[str, Any], raw: dict[str, Any]
) -> None:
    """The engine stops evaluating a layer once its verdict is certain (engine/layers.py);
    the statements it skipped are explained when the trace is read. Every statement of
    every policy evaluated must be in the trace, with what evaluating it alone gives."""
    parsed_request, management = parse_request(request)
    policies = parse_policies(raw, management=management)
    decision = evaluate(parsed_request, policies)
    traced = [e for e in decision.trace if isinstance(e, StatementTrace)]
    # Only a resource-based policy's Deny with NotPrincipal reads this (evaluate_statement).
    bounded = policies.boundary is not None
    for entry in traced:
        statement = entry.quoted
        expected = (
            evaluate_statement(statement, True, parsed_request, entry.layer, bounded)
            if any_action_matches_statement(statement, parsed_request.action)
            else not_matching_action(statement)
        )
        outcome, element, condition, match, detail = expected
        assert (entry.outcome, entry.element, entry.principal_match, entry.detail) == (
            outcome,
            element,
            match,
            detail,
        )
        if condition is None:
            assert entry.condition is None
        else:
            assert entry.condition is not None
            assert (entry.condition.matched, entry.condition.actual) == (
                condition.matched,
                condition.actual,
            )
    expected_count = sum(
        len(named.policy.statements)
        for layer in ("identity", "boundary", "session", "resource", "scp")
        if _layer_applies(decision, layer)
        for named in _named_policies(policies, layer)
    )
    assert len(traced) == expected_count


def any_action_matches_statement(statement: Any, action: str) -> bool:
    if statement.actions is not None:
        return any_action_matches(statement.actions, action)
    return not any_action_matches(statement.not_actions, action)


def _named_policies(policies: Any, layer: str) -> list[Any]:
    if layer == "scp":
        return [named for level in policies.scp or () for named in level.policies]
    if layer == "resource":
        return [policies.resource] if policies.resource is not None else []
    return list(getattr(policies, layer) or ())


def _layer_applies(decision: Any, layer: str) -> bool:
    """Whether the layer was evaluated (not exempt or inapplicable), from its summaries."""
    return any(
        isinstance(e, LayerTrace)
        and e.layer.value == layer
        and e.outcome.value in ("allowed", "implicit_deny", "explicit_deny")
        and e.note is None
        for e in decision.trace
    )
