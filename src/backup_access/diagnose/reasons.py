"""Why the engine decided as it did, in words and quoted statements.

For an explicit deny: the matching Deny statements. For an allow: the matching Allow
statements. For an implicit deny: per blocking layer, the Allow statements that name the
action but fail on resource, principal or a condition (the near misses, with the condition's
expected and actual values), or that no statement of the layer names the action at all.
"""

from __future__ import annotations

from backup_access.diagnose.model import StatementRef
from backup_access.engine import (
    Decision,
    DecisionValue,
    Layer,
    LayerOutcome,
    LayerTrace,
    Outcome,
    PolicySet,
    StatementTrace,
)
from backup_access.policy.render import statement_to_json

_ACTION_MISSES = ("Action", "NotAction")


def policy_sources(policies: PolicySet) -> dict[str, str]:
    """Policy name → the file it was defined in, for every policy in the set."""
    named = [*policies.identity, *(policies.boundary or ()), *(policies.session or ())]
    named += [*(policies.endpoint or ())]
    if policies.resource is not None:
        named.append(policies.resource)
    for chain in (policies.scp or (), policies.rcp or ()):
        for level in chain:
            named += level.policies
    return {p.name: p.source for p in named if p.source}


def statement_ref(entry: StatementTrace, sources: dict[str, str]) -> StatementRef:
    return StatementRef(
        layer=entry.layer.value,
        level=entry.level,
        policy=entry.policy,
        index=entry.statement,
        sid=entry.sid,
        effect=entry.effect,
        pointer=entry.pointer,
        source=sources.get(entry.policy),
        reason=entry.reason,
        quoted=statement_to_json(entry.quoted),
    )


def _statements(decision: Decision) -> list[StatementTrace]:
    return [e for e in decision.trace if isinstance(e, StatementTrace)]


def _near_misses(decision: Decision, layer: Layer) -> list[StatementTrace]:
    return [
        s
        for s in _statements(decision)
        if s.layer is layer
        and (
            s.outcome is Outcome.UNSUPPORTED
            or (s.effect == "Allow" and not s.matched and s.element not in _ACTION_MISSES)
        )
    ]


def statement_words(policy: str, level: str | None, index: int, sid: str | None) -> str:
    """How a reason names a statement: ``POLICY[ at LEVEL], statement N[ (SID)]``."""
    at = f" at {level}" if level else ""
    named = f" ({sid})" if sid else ""
    return f"{policy}{at}, statement {index}{named}"


def _short(entry: StatementTrace) -> str:
    return statement_words(entry.policy, entry.level, entry.statement, entry.sid)


def _missing_levels(decision: Decision, layer: Layer) -> list[str]:
    return [
        e.level
        for e in decision.trace
        if isinstance(e, LayerTrace)
        and e.layer is layer
        and e.level is not None
        and e.outcome is LayerOutcome.IMPLICIT_DENY
    ]


def _layer_sentence(
    decision: Decision, policies: PolicySet, layer: Layer
) -> tuple[str, list[StatementTrace]]:
    request = decision.request
    name = layer.long_name
    misses = _near_misses(decision, layer)
    text = f"no {name} allows {request.action} on {request.resource}"
    levels = _missing_levels(decision, layer)
    if levels:
        text = f"no {name} attached at {', '.join(levels)} allows {request.action}"
    if layer is Layer.RESOURCE and policies.resource is None:
        text += " (the resource has no resource-based policy)"
    if misses:
        text += "; nearest: " + "; ".join(f"{_short(m)}: {m.reason}" for m in misses)
    elif not levels:
        text += " (no statement there names the action)"
    return text, misses


def explain_decision(
    decision: Decision, policies: PolicySet
) -> tuple[str, tuple[StatementRef, ...]]:
    """A one-paragraph reason and the statements it quotes."""
    sources = policy_sources(policies)
    request = decision.request
    statements = _statements(decision)
    if decision.value is DecisionValue.EXPLICIT_DENY:
        denies = [s for s in statements if s.matched and s.effect == "Deny"]
        parts = [f"{s.layer.long_name} {_short(s)} denies it" for s in denies]
        reason = f"explicit deny: {'; '.join(parts)}"
        return reason, tuple(statement_ref(s, sources) for s in denies)
    if decision.value is DecisionValue.ALLOWED:
        allows = [s for s in statements if s.matched and s.effect == "Allow"]
        grants = [
            e.reason
            for e in decision.trace
            if isinstance(e, LayerTrace)
            and e.layer is Layer.GRANT
            and e.outcome is LayerOutcome.ALLOWED
        ]
        parts = [f"{s.layer.long_name} {_short(s)}" for s in allows if s.layer is not Layer.SCP]
        parts += [f"KMS grant {g}" for g in grants]
        reason = f"allowed by {'; '.join(parts)}" if parts else "allowed"
        refs = [s for s in allows if s.layer is not Layer.SCP and s.layer is not Layer.RCP]
        return reason, tuple(statement_ref(s, sources) for s in refs)
    sentences = []
    quoted: list[StatementTrace] = []
    for layer in decision.blocked_by:
        text, misses = _layer_sentence(decision, policies, layer)
        sentences.append(text)
        quoted += misses
    reason = f"implicit deny for {request.principal.arn}: " + "; and ".join(sentences)
    return reason, tuple(statement_ref(s, sources) for s in quoted)
