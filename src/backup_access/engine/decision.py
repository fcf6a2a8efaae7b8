"""The answer for one request: the decision, every blocking layer, and the trace.

The trace is kept raw while evaluating (one record per layer: its plan and the results of
the statements it needed) and turned into one entry per statement only when read, so that
evaluating stays cheap when nobody reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backup_access.engine.condition_match import own_outcome
from backup_access.engine.layers import LayerRecord, RawEntry
from backup_access.engine.model import DecisionValue, Layer, NamedPolicy, Request
from backup_access.engine.plan import lets_action_through
from backup_access.engine.result import StatementResult
from backup_access.engine.statement import evaluate_statement, not_matching_action
from backup_access.engine.trace import LayerTrace, Outcome, StatementTrace, TraceEntry
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
        request = self.request
        return {
            "decision": self.value.value,
            "blocked_by": [layer.value for layer in self.blocked_by],
            "request": {
                "principal": request.principal.arn,
                "action": request.action,
                "resource": request.resource,
                "resource_account": request.resource_account,
                "context": {
                    k: v if isinstance(v, str) else list(v)
                    for k, v in request.context.as_dict().items()
                },
            },
            "unsupported": list(self.unsupported),
            "trace": [entry.to_dict() for entry in self.trace],
        }


def _entries(entry: RawEntry, request: Request) -> list[TraceEntry]:
    if isinstance(entry, LayerTrace):
        return [entry]
    return _layer_entries(entry, request)


def _layer_entries(record: LayerRecord, request: Request) -> list[TraceEntry]:
    """One StatementTrace per statement of the layer's policies, in policy order, and the
    layer's summaries. Statements the verdict did not need are evaluated now, with the same
    inputs; those whose Action/NotAction leave the action out say so."""
    plan = record.plan
    out: list[TraceEntry] = []
    for number, group in enumerate(plan.groups):
        for named in group.policies:
            variables = named.policy.supports_variables
            for statement in named.policy.statements:
                result = record.results.get(id(statement))
                if result is None:
                    result = (
                        evaluate_statement(
                            statement, variables, request, plan.layer, record.boundary_attached
                        )
                        if lets_action_through(statement, request.action)
                        else not_matching_action(statement)
                    )
                out.append(
                    _statement_trace(plan.layer, group.level, named, statement, result, request)
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
