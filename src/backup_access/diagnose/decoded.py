"""The statements a decoded authorization message says decided the request.

``aws sts decode-authorization-message`` prints JSON whose ``matchedStatements.items`` list
the policy statements that matched the request (each with ``statementId``, ``effect``,
``actions``, ``resources``). For an explicit deny they are the Deny statements that decided
it: the most precise evidence AWS gives. AWS's API page documents what the decoded message
holds (explicit deny or missing allow, principal, action, resource, condition values) but
not the ``matchedStatements`` field itself, so it is read when present and never required:
https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from backup_access.diagnose.families import MessageFamily
from backup_access.diagnose.messages import ParsedMessage

SOURCE = "https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html"
UNDOCUMENTED = (
    "AWS's DecodeAuthorizationMessage page does not document the matchedStatements field; "
    "the statements are read as the decoded message gives them"
)


@dataclass(frozen=True, slots=True)
class MatchedStatement:
    """One statement of ``matchedStatements``: its Sid (None when it has none), effect,
    actions and resources as the decoded message lists them."""

    sid: str | None
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]

    @property
    def words(self) -> str:
        """``DenyBackupDelete (Deny backup:DeleteRecoveryPoint on *)``."""
        effect = self.effect.capitalize()
        actions = ", ".join(self.actions) or "(actions not given)"
        resources = ", ".join(self.resources) or "(resources not given)"
        name = self.sid or "a statement without Sid"
        return f"{name} ({effect} {actions} on {resources})"

    def to_dict(self) -> dict[str, object]:
        return {
            "sid": self.sid,
            "effect": self.effect,
            "actions": list(self.actions),
            "resources": list(self.resources),
        }


def inner_document(parsed: ParsedMessage) -> dict[str, object] | None:
    """The decoded JSON object (the inner ``DecodedMessage`` when the paste wraps it)."""
    if parsed.family is not MessageFamily.DECODED_AUTHORIZATION:
        return None
    try:
        data = json.loads(parsed.text)
        if isinstance(data, dict) and isinstance(data.get("DecodedMessage"), str):
            data = json.loads(data["DecodedMessage"])
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _values(block: object) -> tuple[str, ...]:
    items = block.get("items") if isinstance(block, dict) else None
    if not isinstance(items, list):
        return ()
    return tuple(str(item["value"]) for item in items if isinstance(item, dict) and "value" in item)


def matched_statements(parsed: ParsedMessage) -> tuple[MatchedStatement, ...]:
    """The statements the decoded message says matched; () when it lists none."""
    data = inner_document(parsed)
    matched = data.get("matchedStatements") if data else None
    items = matched.get("items") if isinstance(matched, dict) else None
    if not isinstance(items, list):
        return ()
    out: list[MatchedStatement] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        sid = item.get("statementId")
        effect = item.get("effect")
        out.append(
            MatchedStatement(
                sid=sid if isinstance(sid, str) and sid else None,
                effect=effect if isinstance(effect, str) else "unknown",
                actions=_values(item.get("actions")),
                resources=_values(item.get("resources")),
            )
        )
    return tuple(out)


def deciding_statements(parsed: ParsedMessage) -> tuple[MatchedStatement, ...]:
    """The matched statements that decided the request: its Deny statements for an explicit
    deny (all matched statements when none says Deny)."""
    matched = matched_statements(parsed)
    if parsed.explicit:
        denies = tuple(m for m in matched if m.effect.upper() == "DENY")
        return denies or matched
    return matched


def echo(parsed: ParsedMessage) -> str | None:
    """The decoded message as one line of JSON, without the escaping of its wrapper."""
    data = inner_document(parsed)
    if data is None:
        return None
    return json.dumps(data, separators=(", ", ": "), ensure_ascii=False)
