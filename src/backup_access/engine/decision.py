"""The answer for one request: the decision, every blocking layer, and the trace.

The trace is kept raw while evaluating (one record per layer: its plan and the results of
the statements it needed) and turned into one entry per statement only when read, so that
evaluating stays cheap when nobody reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from backup_access.engine.condition_match import own_outcome
from backup_access.engine.layers import LayerRecord, RawEntry
from backup_access.engine.model import DecisionValue, Layer, NamedPolicy, Request
from backup_access.engine.plan import (
    GroupPlan,
    LayerPlan,
    RenderMemo,
    RenderStep,
    lets_action_through,
)
from backup_access.engine.result import (
    MATCHED,
    NO_NOT_RESOURCE,
    NO_RESOURCE,
    StatementResult,
)
from backup_access.engine.statement import evaluate_statement, not_matching_action
from backup_access.engine.trace import (
    LayerTrace,
    Outcome,
    StatementTrace,
    TraceEntry,
    reason_request_value,
    statement_entry,
)
from backup_access.policy.model import Statement


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for one request: the decision, every blocking layer, and the trace."""

    request: Request
    value: DecisionValue
    blocked_by: tuple[Layer, ...]
    raw_trace: tuple[RawEntry, ...] = field(repr=False, compare=False)
    # Where the policy set sits in its file, put before each statement's pointer: a request
    # file parses an item's policies relative to the item, so that items whose policies are
    # equal share one parse (simulate/request_file.py). Empty for absolute pointers.
    policies_pointer: str = field(default="", repr=False, compare=False)
    _trace: list[tuple[TraceEntry, ...]] = field(default_factory=list, repr=False, compare=False)

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """Every statement considered and every layer decided, in evaluation order."""
        if not self._trace:
            request, prefix = self.request, self.policies_pointer
            entries = [t for e in self.raw_trace for t in _entries(e, request, prefix)]
            self._trace.append(tuple(entries))
        return self._trace[0]

    @property
    def allowed(self) -> bool:
        return self.value is DecisionValue.ALLOWED

    @property
    def unsupported(self) -> tuple[str, ...]:
        return tuple(
            e.reason
            for e in self.trace
            if isinstance(e, StatementTrace) and e.outcome is Outcome.UNSUPPORTED
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``simulate --format json``). Rendered straight from the raw
        trace, with the same entries as ``trace``'s, without building its objects."""
        request = self.request
        if self._trace:
            entries = [entry.to_dict() for entry in self._trace[0]]
        else:
            entries = []
            for raw in self.raw_trace:
                if isinstance(raw, LayerTrace):
                    entries.append(raw.to_dict())
                else:
                    _render_layer(raw, request, self.policies_pointer, entries)
        return {
            "decision": _TEXT[self.value],
            "blocked_by": [_TEXT[layer] for layer in self.blocked_by],
            "request": {
                "principal": request.principal.arn,
                "action": request.action,
                "resource": request.resource,
                "resource_account": request.resource_account,
                "context": request.context.as_json(),
            },
            "unsupported": [
                e["reason"]
                for e in entries
                if e["outcome"] == "unsupported" and e["kind"] == "statement"
            ],
            "trace": entries,
        }


_TEXT: dict[str, str] = {member: member.value for enum in (Layer, DecisionValue) for member in enum}


def _group_results(
    record: LayerRecord, group: GroupPlan, request: Request
) -> Iterator[tuple[NamedPolicy, Statement, StatementResult]]:
    """Every statement of the group's policies in policy order, with its result: the one the
    verdict needed, or, for the others, worked out now with the same inputs (those whose
    Action/NotAction leave the action out say so)."""
    layer = record.plan.layer
    results = record.results
    for named in group.policies:
        variables = named.policy.supports_variables
        for statement in named.policy.statements:
            result = results.get(id(statement))
            if result is None:
                result = (
                    evaluate_statement(
                        statement, variables, request, layer, record.boundary_attached
                    )
                    if lets_action_through(statement, request.action)
                    else not_matching_action(statement)
                )
            yield named, statement, result


def _render_layer(
    record: LayerRecord, request: Request, prefix: str, out: list[dict[str, Any]]
) -> None:
    """The JSON entries of one layer: its statements, and its summaries (one after each
    group, or one for the layer). ``prefix`` (``policies_pointer``) goes before each
    statement's pointer."""
    kept = record.plan.kept
    if kept.rendered_once or kept.use.shared:
        _render_from_memo(record, request, prefix, out)
        return
    kept.rendered_once = True
    plan = record.plan
    layer = plan.layer
    for number, group in enumerate(plan.groups):
        level = group.level
        for named, statement, result in _group_results(record, group, request):
            out.append(_entry(layer, level, named, statement, result, request, prefix))
        if plan.summarise_groups:
            out.append(record.summaries[number].to_dict())
    if not plan.summarise_groups:
        out += [summary.to_dict() for summary in record.summaries]


def _render_from_memo(
    record: LayerRecord, request: Request, prefix: str, out: list[dict[str, Any]]
) -> None:
    """``_render_layer`` for a plan rendered before: its statements come from the memo's
    steps (``_steps``), and each entry is rendered once per key (``_memo_entry``), kept
    with the statement's own pointer, and copied."""
    plan = record.plan
    layer = plan.layer
    results = record.results
    kept = plan.kept
    summaries = kept.summaries
    for number, steps in enumerate(kept.steps or _steps(plan, request)):
        for step in steps:
            entry = step.left_out
            if entry is None:
                statement = step.statement
                result = results.get(id(statement))
                if result is None:
                    result = evaluate_statement(
                        statement, step.variables, request, layer, record.boundary_attached
                    )
                entry = _memo_entry(step, layer, result, request, kept)
            copied = entry.copy()
            if prefix:
                copied["pointer"] = prefix + step.pointer
            out.append(copied)
        if plan.summarise_groups:
            out.append(_summary(record.summaries[number], summaries))
    if not plan.summarise_groups:
        out += [_summary(summary, summaries) for summary in record.summaries]


def _memo_entry(
    step: RenderStep, layer: Layer, result: StatementResult, request: Request, kept: RenderMemo
) -> dict[str, Any]:
    """The step's entry for ``result``, rendered on first use. It is kept under what it
    depends on besides the statement: nothing for a match without NotPrincipal (a fixed
    reason), the resource for a Resource or NotResource that leaves it out (the reason
    names it), and for any other result everything ``_result_key`` lists."""
    statement = step.statement
    key: object
    if result is MATCHED and statement.not_principal is None:
        key = None
    elif result is NO_RESOURCE or result is NO_NOT_RESOURCE:
        key = request.resource
    else:
        key = _result_key(statement, result, request)
    entry = step.entries.get(key)
    if entry is None:
        entry = step.entries[key] = _entry(
            layer, step.level, step.named, statement, result, request, ""
        )
        if result.condition is not None:
            kept.held.append(result.condition)
    return entry


def _result_key(
    statement: Statement, result: StatementResult, request: Request
) -> tuple[object, ...]:
    """Everything an entry depends on besides the statement: the result's facts, a shared
    condition outcome by its identity (the memo holds it, so the id stays its own), and
    the request value the reason names (``reason_request_value``)."""
    outcome, element, condition, principal_match, detail = result
    return (
        outcome,
        element,
        id(condition),
        principal_match,
        detail,
        reason_request_value(statement, outcome, element, condition, detail, request),
    )


def _steps(plan: LayerPlan, request: Request) -> list[tuple[RenderStep, ...]]:
    """The plan's statements in trace order, per group (``RenderMemo.steps``), made once;
    the entry of a statement whose Action/NotAction leaves the plan's action out (the plan
    is for one action) is rendered now, since it is the same for every request."""
    steps = plan.kept.steps
    layer = plan.layer
    for group in plan.groups:
        through = {id(c.statement) for c in (*group.denies, *group.allows)}
        level = group.level
        steps.append(
            tuple(
                [
                    RenderStep(
                        named,
                        statement,
                        level,
                        None
                        if id(statement) in through
                        else _entry(
                            layer,
                            level,
                            named,
                            statement,
                            not_matching_action(statement),
                            request,
                            "",
                        ),
                    )
                    for named in group.policies
                    for statement in named.policy.statements
                ]
            )
        )
    return steps


def _summary(summary: LayerTrace, entries: dict[object, dict[str, Any]]) -> dict[str, Any]:
    """A layer summary's entry: its fields are all it depends on, so the memo keeps it."""
    entry = entries.get(summary)
    if entry is None:
        entry = entries[summary] = summary.to_dict()
    return entry.copy()


def _entry(
    layer: Layer,
    level: str | None,
    named: NamedPolicy,
    statement: Statement,
    result: StatementResult,
    request: Request,
    prefix: str,
) -> dict[str, Any]:
    condition = result.condition
    if condition is not None:
        condition = own_outcome(condition, statement)
    return statement_entry(
        layer,
        level,
        named.name,
        statement,
        result.outcome,
        result.element,
        condition,
        result.principal_match,
        result.detail,
        request,
        prefix + statement.pointer if prefix else statement.pointer,
    )


def _entries(entry: RawEntry, request: Request, prefix: str) -> list[TraceEntry]:
    if isinstance(entry, LayerTrace):
        return [entry]
    return _layer_entries(entry, request, prefix)


def _layer_entries(record: LayerRecord, request: Request, prefix: str) -> list[TraceEntry]:
    """One StatementTrace per statement of the layer's policies, in policy order, and the
    layer's summaries, in the order of ``_render_layer``."""
    plan = record.plan
    out: list[TraceEntry] = []
    for number, group in enumerate(plan.groups):
        for named, statement, result in _group_results(record, group, request):
            out.append(
                _statement_trace(plan.layer, group.level, named, statement, result, request, prefix)
            )
        if plan.summarise_groups:
            out.append(record.summaries[number])
    if not plan.summarise_groups:
        out += record.summaries
    return out


def _statement_trace(
    layer: Layer,
    level: str | None,
    named: NamedPolicy,
    statement: Statement,
    result: StatementResult,
    request: Request,
    prefix: str,
) -> StatementTrace:
    condition = result.condition
    if condition is not None:
        condition = own_outcome(condition, statement)
    return StatementTrace(
        layer,
        level,
        named.name,
        statement.index,
        statement.sid,
        statement.effect.value,
        result.outcome,
        result.element,
        condition,
        result.principal_match,
        result.detail,
        prefix + statement.pointer,
        statement,
        request,
    )
