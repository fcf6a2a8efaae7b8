"""Weigh what the world lacks against a permission check's decision.

What can be missing, and what it can do to a decision (``Resolution.missing``):
- data that may grant as well as deny — an identity policy, a boundary, a resource policy
  (vault access policy, key policy and grants, trust policy), a whole account: an allow may
  become a deny (a Deny there) and an implicit deny an allow (an Allow there). Only an
  explicit deny stands, since an explicit deny wins whatever else applies
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
- SCPs and RCPs (``GuardrailGap``): they never grant — "SCPs alone are not sufficient to
  grant permissions"
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
  "No permissions are granted by an RCP"
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
  Unread, they can only move a decision towards deny: a denial made on what is known stands,
  and an allow stands only when the guardrails cannot apply to the request at all (SCPs do
  not affect service-linked roles or the management account, RCPs neither, nor services
  that do not support them). Those exemptions are the engine's (``engine/evaluate.py``):
  the allow is evaluated again with every unread layer denying everything, and stands if the
  engine still allows it;
- the organization's id and OU paths, read with its policies: the keys AWS sets from them
  (``aws:PrincipalOrgID`` …) are absent from the request, which is not a fact — a decision
  that turns on them is unknown, whatever its value.
"""

from __future__ import annotations

from dataclasses import replace

from backup_access.diagnose.judgement import Judgement
from backup_access.diagnose.model import CheckDecision
from backup_access.diagnose.passrole import stands_without, turns_on
from backup_access.engine import Decision, DecisionValue, Layer, LayerOutcome, LayerTrace, evaluate
from backup_access.engine.model import OrgLevel, PolicySet
from backup_access.world import Resolution

_NEVER_GRANT = "SCPs and RCPs never grant: unread ones can only add a denial"
_UNREAD_LEVEL = "(unread)"


def _unknown(judged: Judgement) -> Judgement:
    lacks = "; ".join(judged.missing)
    return Judgement(
        CheckDecision.UNKNOWN,
        f"unknown (the world lacks: {lacks}); with what is known, {judged.reason}",
        judged.missing,
    )


def _denying_everything(policies: PolicySet, layers: set[Layer]) -> PolicySet:
    """``policies`` with one more level on each chain of ``layers`` that allows nothing (a
    level with no policy attached denies, orgs_manage_policies_scps_evaluation.html): the
    most the unread SCPs or RCPs could do."""
    unread = OrgLevel(_UNREAD_LEVEL, ())
    scp, rcp = policies.scp, policies.rcp
    if Layer.SCP in layers:
        scp = (*(scp or ()), unread)
    if Layer.RCP in layers:
        rcp = (*(rcp or ()), unread)
    return replace(policies, scp=scp, rcp=rcp)


def _why_not_applied(decision: Decision, layers: set[Layer]) -> tuple[str, ...]:
    """The engine's reasons the guardrail layers did not apply (exempt, not applicable)."""
    skipped = (LayerOutcome.EXEMPT, LayerOutcome.NOT_APPLICABLE)
    return tuple(
        dict.fromkeys(
            entry.reason
            for entry in decision.trace
            if isinstance(entry, LayerTrace) and entry.layer in layers and entry.outcome in skipped
        )
    )


def _names(layers: set[Layer]) -> str:
    return " and ".join(
        f"{layer.short_name}s" for layer in (Layer.SCP, Layer.RCP) if layer in layers
    )


def weigh_missing(resolution: Resolution, decision: Decision, judged: Judgement) -> Judgement:
    """``judged`` (the decision on what is known) given ``judged.missing``: it stands, or is
    unknown, by the rules of this module's docstring."""
    if not judged.missing:
        return judged
    by_text = {gap.missing: gap for gap in resolution.guardrail_gaps}
    gaps = [by_text[item] for item in judged.missing if item in by_text]
    hidden = tuple(dict.fromkeys(key for gap in gaps for key in gap.hidden_keys))
    explicit = decision.value is DecisionValue.EXPLICIT_DENY
    if explicit and (not hidden or stands_without(decision, hidden)):
        return judged  # a Deny that does not read the unread organization's keys wins
    if not explicit and len(gaps) < len(judged.missing):
        return _unknown(judged)  # something that may also grant is missing
    statements = turns_on(decision, hidden) if hidden else ()
    if statements:
        named = ", ".join(sorted({s.sid or f"{s.policy} #{s.statement}" for s in statements}))
        keys = {c.key.lower() for s in statements for c in s.quoted.conditions}
        keys |= {s.condition.condition.key.lower() for s in statements if s.condition is not None}
        deciding = " and ".join(key for key in hidden if key.lower() in keys)
        unknown = _unknown(judged)
        return unknown._replace(
            reason=f"{unknown.reason}; statement {named} turns on {deciding}, which AWS sets "
            "from the organization the collector could not read"
        )
    lacks = "; ".join(judged.missing)
    if decision.value is DecisionValue.IMPLICIT_DENY:
        return judged._replace(
            reason=f"{judged.reason}; the denial stands whatever the world lacks "
            f"({_NEVER_GRANT}): {lacks}"
        )
    layers = {layer for gap in gaps for layer in gap.layers}
    probe = evaluate(resolution.request, _denying_everything(resolution.policies, layers))
    if probe.value is not DecisionValue.ALLOWED:
        unknown = _unknown(judged)
        blocking = _names(layers & set(probe.blocked_by))
        return unknown._replace(
            reason=f"{unknown.reason}; the unread {blocking} apply to this request and may deny it"
        )
    why = "; ".join(_why_not_applied(probe, layers)) or "they do not apply to this request"
    return judged._replace(
        reason=f"{judged.reason}; what the world lacks cannot change that ({why}): {lacks}"
    )
