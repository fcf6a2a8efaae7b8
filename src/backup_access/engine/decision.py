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
from backup_access.engine.plan import GroupPlan, lets_action_through
from backup_access.engine.result import StatementResult
from backup_access.engine.statement import evaluate_statement, not_matching_action
from backup_access.engine.trace import (
    LayerTrace,
    Outcome,
    StatementTrace,
    TraceEntry,
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
    _trace: list[tuple[TraceEntry, ...]] = field(default_factory=list, repr=False, compare=False)

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """Every statement considered and every layer decided, in evaluation order."""
        if not self._trace:
            entries = [t for e in self.raw_trace for t in _entries(e, self.request)]
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
                    _render_layer(raw, request, entries)
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


def _render_layer(record: LayerRecord, request: Request, out: list[dict[str, Any]]) -> None:
    """The JSON entries of one layer: its statements, and its summaries (one after each
    group, or one for the layer). The entries of statements whose Action/NotAction leave
    the action out depend only on the plan, which keeps them (``LayerPlan.rendered``)."""
    plan = record.plan
    layer = plan.layer
    results = record.results
    rendered = plan.rendered
    for number, group in enumerate(plan.groups):
        level = group.level
        for named in group.policies:
            variables = named.policy.supports_variables
            for statement in named.policy.statements:
                key = id(statement)
                result = results.get(key)
                if result is None:
                    kept = rendered.get(key)
                    if kept is not None:
                        out.append(kept.copy())
                        continue
                    if not lets_action_through(statement, request.action):
                        kept = rendered[key] = _entry(
                            layer, level, named, statement, not_matching_action(statement), request
                        )
                        out.append(kept.copy())
                        continue
                    result = evaluate_statement(
                        statement, variables, request, layer, record.boundary_attached
                    )
                out.append(_entry(layer, level, named, statement, result, request))
        if plan.summarise_groups:
            out.append(record.summaries[number].to_dict())
    if not plan.summarise_groups:
        out += [summary.to_dict() for summary in record.summaries]


def _entry(
    layer: Layer,
    level: str | None,
    named: NamedPolicy,
    statement: Statement,
    result: StatementResult,
    request: Request,
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
    )


def _entries(entry: RawEntry, request: Request) -> list[TraceEntry]:
    if isinstance(entry, LayerTrace):
        return [entry]
    return _layer_entries(entry, request)


def _layer_entries(record: LayerRecord, request: Request) -> list[TraceEntry]:
    """One StatementTrace per statement of the layer's policies, in policy order, and the
    layer's summaries, in the order of ``_render_layer``."""
    plan = record.plan
    out: list[TraceEntry] = []
    for number, group in enumerate(plan.groups):
        for named, statement, result in _group_results(record, group, request):
            out.append(_statement_trace(plan.layer, group.level, named, statement, result, request))
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
        statement.pointer,
        statement,
        request,
    )
