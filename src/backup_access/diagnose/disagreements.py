"""Where the world and AWS's message disagree, the layer AWS blamed first.

A disagreement usually means the world is out of date, or the request carried context the
world cannot know (session policies, VPC endpoint, source IP, tags).
"""

from __future__ import annotations

from backup_access.catalogue import CheckKind
from backup_access.diagnose import decoded
from backup_access.diagnose.families import MessageGate
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.policy.layer import Layer

# The check that stands for what AWS's message says about the real request, when the world
# does not reproduce the layer or the kind of deny AWS named. It comes first, so the first
# line, ``-q`` and ``--expect`` follow AWS (issue 13: "putting first the layer AWS itself
# blamed"). Message forms:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
REPORTED_CHECK = "message.aws-reported"
REPORTED_SOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"

# How the first disagreement opens when the world allows what AWS refused: the answer is
# then unknown, never "allowed", and this is its reason.
WORLD_ALLOWS = "AWS denied this but the world allows it: "
# The same for a job message that is not a permission problem (Vault Lock, an unsupported
# feature, Allowed AMIs): AWS refused the job, it denied no request.
WORLD_ALLOWS_JOB = "AWS refused this but the world allows it: "


def with_article(words: str) -> str:
    """``words`` with its indefinite article: "an identity-based", "a service control"."""
    return f"{'an' if words[:1].lower() in {'a', 'e', 'i', 'o', 'u'} else 'a'} {words}"


def context_unknown(*, session_given: bool) -> str:
    """What a request may carry that the world cannot know; session policies only when none
    were given (with --session-policy they were applied)."""
    if session_given:
        return (
            "the request carried context it cannot know (VPC endpoint, source IP, tags); the "
            "session policies given with --session-policy were applied, so check they are the "
            "ones the session was created with"
        )
    return (
        "the request carried context it cannot know (session policy, VPC endpoint, source IP, tags)"
    )


def request_disagreements(
    parsed: ParsedMessage, result: CheckResult, *, session_given: bool
) -> list[str]:
    """The denied request as the world evaluates it, against what the message says: the
    layer AWS blamed is compared first, then explicit/implicit, then the policy named."""
    if result.decision is CheckDecision.UNKNOWN:
        return []
    policy_type = parsed.policy_type
    said = ("an explicit deny" if parsed.explicit else "no allow") + (
        f" in {with_article(policy_type)} policy" if policy_type else ""
    )
    if result.decision is CheckDecision.ALLOWED:
        return [
            f"{WORLD_ALLOWS}the message reports {said}, but in the world the request is "
            f"allowed; the world may be incomplete or out of date, or "
            f"{context_unknown(session_given=session_given)}"
        ]
    out: list[str] = []
    if parsed.layer is not None and parsed.layer.value not in result.blocked_by:
        out.append(
            f"the message blames {with_article(policy_type or parsed.layer.value)} policy, the "
            f"world blames {', '.join(result.blocked_by)}"
        )
    if parsed.explicit is True and result.decision is not CheckDecision.EXPLICIT_DENY:
        out.append(
            "the message reports an explicit deny, but the world finds only an implicit deny "
            f"(blocked by {', '.join(result.blocked_by)})"
        )
    if parsed.explicit is False and result.decision is CheckDecision.EXPLICIT_DENY:
        out.append("the message reports no allow, but the world finds an explicit deny")
    sids = {m.sid for m in decoded.deciding_statements(parsed) if m.sid}
    if parsed.explicit and sids and result.decision is CheckDecision.EXPLICIT_DENY:
        found = {ref.sid for ref in result.statements if ref.effect.lower() == "deny"}
        if not sids & found:
            out.append(
                f"the decoded message names the Deny statement {', '.join(sorted(sids))}; in the "
                "world the Deny statements responsible are "
                f"{', '.join(sorted(s or 'without Sid' for s in found)) or 'not quoted'}"
            )
    if parsed.policy_arn and result.statements:
        named = {s.policy for s in result.statements}
        if not any(parsed.policy_arn in name or name in parsed.policy_arn for name in named):
            out.append(
                f"the message names policy {parsed.policy_arn}; in the world the statements "
                f"responsible are in {', '.join(sorted(named))}"
            )
    return out


def _reported_words(parsed: ParsedMessage) -> str:
    """AWS's own words for the deny: "an explicit deny in a service control policy", "an
    explicit deny by statement DenyBackupDelete (…)" (a decoded message names no layer)."""
    sids = "; ".join(m.words for m in decoded.deciding_statements(parsed))
    by = f" by statement {sids}" if sids else ""
    if parsed.layer is None:
        return f"an explicit deny{by}" if parsed.explicit else f"no allow{by}"
    if parsed.explicit:
        return f"an explicit deny in {with_article(parsed.layer.full_name)}{by}"
    return f"no {parsed.layer.full_name} allows it"


def _layer_names(layers: tuple[str, ...]) -> str:
    """``("identity",)`` → "the identity policies"; names the engine does not know stay."""
    names = []
    for value in layers:
        try:
            names.append(Layer(value).in_a_sentence)
        except ValueError:
            names.append(value)
    return " and ".join(names) or "no layer"


def reported_check(parsed: ParsedMessage, result: CheckResult) -> CheckResult | None:
    """What AWS's message says about the real request, as the first check, when the world
    denies the request too but not in the layer, or not with the kind of deny, AWS named.

    AWS's message is a fact about the request that was made; a world that does not reproduce
    it is out of date on exactly that point. The check's decision is AWS's (explicit or
    implicit deny), so ``--expect explicit_deny`` follows what AWS reported; the world's own
    finding stays the next check.
    """
    if not result.decision.denies or parsed.explicit is None:
        return None
    # a decoded message names no layer: only explicit against implicit can differ
    layer_differs = parsed.layer is not None and parsed.layer.value not in result.blocked_by
    world_explicit = result.decision is CheckDecision.EXPLICIT_DENY
    if not layer_differs and parsed.explicit == world_explicit:
        return None
    blamed = _layer_names(result.blocked_by)
    found = f"an explicit deny in {blamed}" if world_explicit else f"it not allowed by {blamed}"
    if parsed.explicit and not world_explicit:
        none_there = "no such deny"
    elif layer_differs and parsed.layer is not None:
        none_there = f"it allowed by {parsed.layer.in_a_sentence}"
    else:
        none_there = ""
    if none_there:
        world = (
            f"the world finds {none_there} (it may be out of date on exactly that point) "
            f"but finds {found}"
        )
    else:
        world = f"the world finds {found} instead (it may be out of date on exactly that point)"
    return CheckResult(
        id=REPORTED_CHECK,
        kind=CheckKind.PERMISSION,
        title="AWS reported",
        source=REPORTED_SOURCE,
        decision=CheckDecision.EXPLICIT_DENY if parsed.explicit else CheckDecision.IMPLICIT_DENY,
        reason=f"{_reported_words(parsed)}; {world}",
        principal=result.principal,
        action=result.action,
        resource=result.resource,
        notes=(
            "this check is AWS's own message about the real request, not an evaluation of the "
            "world: the world's evaluation is the next check",
        ),
    )


def gate_disagreements(parsed: ParsedMessage, result: CheckResult) -> list[str]:
    """A gate message the world contradicts: the world finds the gate open."""
    if result.decision is not CheckDecision.ALLOWED:
        return []
    if parsed.gate is MessageGate.ROLE_NOT_ASSUMABLE:
        return [
            f"the message reports that AWS Backup cannot assume role {parsed.role}, but in the "
            f"world it can ({result.reason}): the world may be out of date (the role's trust "
            "policy changed, or the role was deleted or recreated), or the trust policy's "
            "conditions depend on context the world cannot know (aws:SourceAccount, "
            "aws:SourceArn)"
        ]
    gate = parsed.gate.value if parsed.gate else parsed.family.value
    return [
        f"the message reports a closed gate ({gate}), but in the world {result.reason}: the "
        "world may be out of date"
    ]
