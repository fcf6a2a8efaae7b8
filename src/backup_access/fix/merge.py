"""Merge a change into a policy document: new Allow statements beside the existing ones, each
with its own Sid, never a duplicate; an existing Deny narrowed by a condition that exempts
one principal. Every other statement is kept as it is (equal as a JSON value).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backup_access.fix.model import ConditionJoin, DenyException, JsonDocument
from backup_access.policy.model import VERSION_2012

_SID_SAFE = re.compile(r"[^A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Merged:
    document: JsonDocument
    added: tuple[JsonDocument, ...]  # statements actually added (duplicates left out)
    edited: tuple[JsonDocument, ...]  # existing Deny statements after their edit
    skipped: tuple[str, ...]  # why a requested change was not made
    joined: tuple[ConditionJoin, ...] = ()  # values joined to an existing Deny's condition

    @property
    def changed(self) -> bool:
        return bool(self.added or self.edited or self.joined)


def sid_from(*parts: str) -> str:
    """A Sid from words: alphanumeric only, as IAM requires of Sids."""
    words = []
    for part in parts:
        for word in re.split(r"[^A-Za-z0-9]+", part):
            if word:
                words.append(word[0].upper() + word[1:])
    return _SID_SAFE.sub("", "".join(words))[:100] or "BackupAccessFix"


def statements(document: JsonDocument) -> list[Any]:
    found = document.get("Statement")
    if found is None:
        return []
    return list(found) if isinstance(found, list) else [found]


def _without_sid(statement: Any) -> Any:
    if isinstance(statement, dict):
        return {k: v for k, v in statement.items() if k != "Sid"}
    return statement


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _same_but_action(a: JsonDocument, b: JsonDocument) -> bool:
    keys = {"Sid", "Action"}
    return {k: v for k, v in a.items() if k not in keys} == {
        k: v for k, v in b.items() if k not in keys
    }


def combine(new: Iterable[JsonDocument]) -> list[JsonDocument]:
    """New statements that differ only in their actions become one statement."""
    out: list[JsonDocument] = []
    for statement in new:
        for kept in out:
            if _same_but_action(kept, statement):
                actions = _as_list(kept["Action"])
                for action in _as_list(statement["Action"]):
                    if action.lower() not in {a.lower() for a in actions}:
                        actions.append(action)
                kept["Action"] = actions[0] if len(actions) == 1 else actions
                break
        else:
            out.append(copy.deepcopy(statement))
    return out


def _unique_sid(sid: str, taken: set[str]) -> str:
    if sid not in taken:
        return sid
    number = 2
    while f"{sid}{number}" in taken:
        number += 1
    return f"{sid}{number}"


def _exempt(statement: JsonDocument, principal: str) -> JsonDocument:
    """The Deny with one more condition: it no longer applies to ``principal``. Conditions of
    a statement are ANDed, so the Deny keeps applying to everyone else exactly as before."""
    edited = copy.deepcopy(statement)
    if principal.endswith(".amazonaws.com"):
        operator, key = "StringNotEquals", "aws:PrincipalServiceName"
    else:
        operator, key = "ArnNotEquals", "aws:PrincipalArn"
    block = edited.setdefault("Condition", {})
    entries = block.setdefault(operator, {})
    existing = next((k for k in entries if k.lower() == key.lower()), None)
    if existing is None:
        entries[key] = principal
    else:
        values = _as_list(entries[existing])
        if principal not in values:
            values.append(principal)
        entries[existing] = values
    return edited


def _join(statement: JsonDocument, join: ConditionJoin) -> JsonDocument:
    """The Deny with ``join.values`` added to its ``join.operator`` ``join.key`` list (the
    operator block and key matched as written; a key not there yet is added to the block)."""
    edited = copy.deepcopy(statement)
    block = edited.setdefault("Condition", {})
    operator = next((o for o in block if o.lower() == join.operator.lower()), join.operator)
    entries = block.setdefault(operator, {})
    key = next((k for k in entries if k.lower() == join.key.lower()), join.key)
    values = _as_list(entries[key]) if key in entries else []
    for value in join.values:
        if value not in values:
            values.append(value)
    entries[key] = values[0] if len(values) == 1 else values
    return edited


def _deny_at(existing: list[Any], index: int, skipped: list[str]) -> JsonDocument | None:
    """The Deny statement an exception or a join edits; None, saying why in ``skipped``,
    when the document has no Deny there."""
    if index >= len(existing) or not isinstance(existing[index], dict):
        skipped.append(f"statement {index} is not in the document")
        return None
    statement: JsonDocument = existing[index]
    if str(statement.get("Effect")) != "Deny":
        skipped.append(f"statement {index} is not a Deny")
        return None
    return statement


def merge(
    document: JsonDocument | None,
    add: Iterable[JsonDocument],
    exceptions: Iterable[DenyException] = (),
    joins: Iterable[ConditionJoin] = (),
) -> Merged:
    """``document`` with ``add`` appended, ``exceptions`` and ``joins`` applied; ``None``
    starts a new document. The input is not modified."""
    result: JsonDocument = (
        copy.deepcopy(document) if document is not None else {"Version": VERSION_2012}
    )
    existing = statements(result)
    skipped: list[str] = []
    edited: list[JsonDocument] = []
    for exception in exceptions:
        statement = _deny_at(existing, exception.index, skipped)
        if statement is None:
            continue
        changed = _exempt(statement, exception.principal)
        if changed != statement:
            existing[exception.index] = changed
            edited.append(changed)
    joined: list[ConditionJoin] = []
    for join in joins:
        statement = _deny_at(existing, join.index, skipped)
        if statement is None:
            continue
        changed = _join(statement, join)
        if changed != statement:
            existing[join.index] = changed
            joined.append(join)
    plain = [_without_sid(s) for s in existing]
    taken = {str(s.get("Sid")) for s in existing if isinstance(s, dict) and "Sid" in s}
    fresh: list[JsonDocument] = []
    for statement in add:
        if _without_sid(statement) in plain:
            skipped.append(f"an equal statement is already there ({statement.get('Sid')})")
        else:
            fresh.append(statement)
    added: list[JsonDocument] = []
    for statement in combine(fresh):
        if _without_sid(statement) in plain:
            skipped.append(f"an equal statement is already there ({statement.get('Sid')})")
            continue
        statement["Sid"] = _unique_sid(str(statement.get("Sid") or "BackupAccessFix"), taken)
        ordered = {"Sid": statement["Sid"], **{k: v for k, v in statement.items() if k != "Sid"}}
        taken.add(ordered["Sid"])
        plain.append(_without_sid(ordered))
        existing.append(ordered)
        added.append(ordered)
    if added or edited or joined or "Statement" in result:
        result["Statement"] = existing
    return Merged(result, tuple(added), tuple(edited), tuple(skipped), tuple(joined))


def _principal_words(statement: JsonDocument) -> str:
    """Who a statement names, as words for a Sid ("" for an identity policy's statement or
    a ``"*"`` narrowed by conditions)."""
    principal = statement.get("Principal")
    if not isinstance(principal, dict) or len(principal) != 1:
        return ""
    value = next(iter(principal.values()))
    if not isinstance(value, str):
        return ""
    if value.endswith(":root"):
        return "account " + value.split(":")[-2]
    if value.endswith(".amazonaws.com"):
        return value.split(".")[0] + " service"
    return value.rsplit("/", 1)[-1].split(":")[-1]


def _group_sid(statement: JsonDocument, fallback: str) -> str:
    actions = [str(a) for a in _as_list(statement.get("Action"))]
    services = dict.fromkeys(a.split(":", 1)[0] for a in actions)
    who = _principal_words(statement)
    if who:
        return sid_from("Allow", " and ".join(services), "for", who)
    if statement.get("Principal") is None:
        return sid_from("Allow", " and ".join(services), "actions")
    return fallback


def combine_added(previous: JsonDocument | None, document: JsonDocument) -> JsonDocument | None:
    """``document`` with the statements the fixes appended after ``previous``'s combined:
    those that share effect, principal, resource and conditions become one statement (one
    per principal, with a Sid naming it). Statements ``previous`` had are kept as they are
    (equal as JSON values); None when nothing combines."""
    kept = len(statements(previous)) if previous is not None else 0
    current = statements(document)
    before, ours = current[:kept], current[kept:]
    if len(ours) < 2 or not all(isinstance(s, dict) and "Action" in s for s in ours):
        return None
    combined = combine(ours)
    if len(combined) == len(ours):
        return None
    plain = [_without_sid(s) for s in before]
    taken = {str(s.get("Sid")) for s in before if isinstance(s, dict) and "Sid" in s}
    out: list[JsonDocument] = []
    for statement in combined:
        if _without_sid(statement) in plain:
            continue  # never a duplicate of a statement the document already had
        sid = str(statement.get("Sid") or "BackupAccessFix")
        if len(_as_list(statement["Action"])) > 1:
            sid = _group_sid(statement, sid)
        sid = _unique_sid(sid, taken)
        taken.add(sid)
        plain.append(_without_sid(statement))
        out.append({"Sid": sid, **{k: v for k, v in statement.items() if k != "Sid"}})
    result = copy.deepcopy(document)
    result["Statement"] = [*before, *out]
    return result
