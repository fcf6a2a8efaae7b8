"""Name the tool's own proposals in a reason: a diagnosis of a patched world quotes the
statements a fix added as it quotes the user's (``role/R inline BackupAccessFix, statement 0``),
which reads as if the policy were in the user's world. A reason about a patched world says
instead "the tool's proposed inline policy BackupAccessFix of role R (not in your world)", or
that a statement of an existing document is one the tool proposed adding.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from backup_access.diagnose.model import CheckResult, Explanation, StatementRef
from backup_access.diagnose.reasons import statement_words
from backup_access.fix.merge import statements
from backup_access.fix.model import DocumentTarget, FixKind
from backup_access.fix.raw import find
from backup_access.fix.targets import split_statement_pointer, target_at
from backup_access.world import World


def proposed_document_name(target: DocumentTarget | None, policy: str) -> str:
    """``the tool's proposed inline policy NAME of role R`` (the document's label otherwise)."""
    if target is None:
        return f"the tool's proposed {policy}"
    names = dict(target.names)
    if target.kind is FixKind.IDENTITY_POLICY and "policy" in names:
        holder = next((f"{k} {names[k]}" for k in ("role", "user", "group") if k in names), "")
        of = f" of {holder}" if holder else ""
        return f"the tool's proposed inline policy {names['policy']}{of}"
    return f"the tool's proposed {target.label}"


def _words(
    ref: StatementRef, original: dict[str, Any], patched: dict[str, Any], world: World
) -> str | None:
    """What to call a quoted statement the tool added (None: it is the user's own)."""
    split = split_statement_pointer(ref.pointer)
    if split is None:
        return None
    document_pointer, index = split
    now = find(patched, document_pointer)
    if not isinstance(now, dict):
        return None
    listed = statements(now)
    if index >= len(listed):
        return None
    before = find(original, document_pointer)
    if not isinstance(before, dict):
        named = proposed_document_name(target_at(world, document_pointer), ref.policy)
        level = f" at {ref.level}" if ref.level else ""
        sid = f" ({ref.sid})" if ref.sid else ""
        return f"{named}{level} (not in your world), statement {ref.index}{sid}"
    if listed[index] in statements(before):
        return None
    mine = statement_words(ref.policy, ref.level, ref.index, ref.sid)
    return f"{mine}, a statement the tool proposed (not in your world)"


def name_proposals(
    check: CheckResult, original: dict[str, Any], patched: dict[str, Any], world: World
) -> CheckResult:
    """``check`` (diagnosed on ``patched``, the world ``world`` was read from) with every
    statement its reason quotes that is not in ``original`` named as the tool's proposal."""
    reason = check.reason
    for ref in check.statements:
        words = _words(ref, original, patched, world)
        if words is not None:
            quoted = statement_words(ref.policy, ref.level, ref.index, ref.sid)
            # not followed by a digit: "statement 1" is not "statement 12"
            reason = re.sub(re.escape(quoted) + r"(?!\d)", words.replace("\\", "\\\\"), reason)
    return check if reason == check.reason else replace(check, reason=reason)


def name_proposals_in(
    explanation: Explanation, original: dict[str, Any], patched: dict[str, Any], world: World
) -> Explanation:
    """``name_proposals`` on every check of a diagnosis of ``patched``."""
    checks = tuple(name_proposals(c, original, patched, world) for c in explanation.checks)
    return explanation if checks == explanation.checks else replace(explanation, checks=checks)
