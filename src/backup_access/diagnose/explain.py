"""Diagnose an operation: bind its parameters, apply each catalogue check, give a verdict.

``explain_operation(world, "copy", {"caller": …, "role": …, …})`` → ``Explanation``. Checks
come out in catalogue order (stable); notes and missing data are de-duplicated and sorted.
"""

from __future__ import annotations

from collections.abc import Mapping

from backup_access.catalogue import Check, CheckKind, load_catalogue
from backup_access.diagnose.binding import Binding, bind
from backup_access.diagnose.gate_outcome import GateOutcome
from backup_access.diagnose.gates import evaluate_gate
from backup_access.diagnose.model import CheckResult, Explanation, Skipped, verdict_of
from backup_access.diagnose.permission import evaluate_permission
from backup_access.diagnose.predicates import applies
from backup_access.engine.model import NamedPolicy
from backup_access.errors import RequestError
from backup_access.world import World


def evaluate_setting(binding: Binding, check: Check) -> CheckResult:
    return setting_result(check, evaluate_gate(binding, check))


def setting_result(check: Check, outcome: GateOutcome) -> CheckResult:
    """A setting check's result from its gate's outcome: a denying setting blocks as
    ``setting``."""
    return CheckResult(
        id=check.id,
        kind=check.kind,
        title=check.title,
        source=check.source,
        decision=outcome.decision,
        reason=outcome.reason,
        blocked_by=("setting",) if outcome.decision.denies else (),
        missing=outcome.missing,
    )


def evaluate_check(binding: Binding, check: Check) -> CheckResult:
    if check.kind is CheckKind.PERMISSION:
        return evaluate_permission(binding, check)
    return evaluate_setting(binding, check)


def explain_operation(
    world: World,
    operation: str,
    parameters: Mapping[str, str | None],
    *,
    session: tuple[NamedPolicy, ...] | None = None,
) -> Explanation:
    """Every check ``operation`` needs, evaluated in ``world``; ``session`` are the session
    policies of the caller's session. ``RequestError`` on an unknown operation or bad
    parameters."""
    catalogue = load_catalogue()
    if operation not in catalogue.operations:
        known = ", ".join(sorted(catalogue.operations))
        raise RequestError(f"unknown operation '{operation}' (known: {known})")
    spec = catalogue.operation(operation)
    binding = bind(world, spec, parameters, session=session)
    results: list[CheckResult] = []
    skipped: list[Skipped] = []
    for check in spec.checks:
        ok, why = applies(binding, check)
        if ok:
            results.append(evaluate_check(binding, check))
        else:
            skipped.append(Skipped(check.id, why))
    checks = tuple(results)
    return Explanation(
        operation=operation,
        verdict=verdict_of(checks),
        checks=checks,
        parameters=tuple(sorted(binding.values.items())),
        skipped=tuple(skipped),
        notes=tuple(sorted({n for c in checks for n in c.notes})),
        missing=tuple(sorted({m for c in checks for m in c.missing})),
    )
