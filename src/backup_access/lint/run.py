"""Lint files: find their policies, run every enabled rule, locate each finding in the file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from backup_access.documents import read_text
from backup_access.errors import InputError
from backup_access.lint.extract import extract
from backup_access.lint.model import Finding, PolicyKind, PolicySource
from backup_access.lint.positions import decode
from backup_access.lint.rules import RULES, RULES_BY_ID
from backup_access.lint.view import read_policy

# ``# backup-access: disable=BA020,BA031`` anywhere in a file turns those rules off for it.
_DIRECTIVE = re.compile(r"backup-access:[ \t]*disable=([A-Za-z0-9_, \t]+)")


def check_rule_ids(ids: Iterable[str]) -> frozenset[str]:
    """Upper-cased rule ids, or an ``InputError`` naming the unknown ones."""
    wanted = frozenset(rule.strip().upper() for rule in ids if rule.strip())
    unknown = sorted(wanted - RULES_BY_ID.keys())
    if unknown:
        raise InputError(
            f"unknown rule id(s): {', '.join(unknown)} (see `backup-access lint --list-rules`)"
        )
    return wanted


def file_directives(text: str) -> frozenset[str]:
    """Rule ids a file disables for itself."""
    found: set[str] = set()
    for match in _DIRECTIVE.finditer(text):
        found.update(
            part.strip().upper()
            for part in match.group(1).replace(" ", ",").split(",")
            if part.strip()
        )
    return frozenset(found)


def lint_text(
    text: str, *, file: str, kind: PolicyKind | None = None, disabled: frozenset[str] = frozenset()
) -> list[Finding]:
    """Findings for one file's text, sorted by position. Bad input raises ``InputError``."""
    json_only = file.lower().endswith(".json")
    try:
        value, positions = decode(text, source=file, json_only=json_only)
        sources = extract(value, positions, kind=kind)
    except InputError as error:
        raise error.located(file=file) from None
    off = disabled | file_directives(text)
    findings = [
        finding for source in sources for finding in lint_source(source, file=file, disabled=off)
    ]
    return sorted(findings, key=Finding.sort_key)


def lint_source(
    source: PolicySource, *, file: str, disabled: frozenset[str] = frozenset()
) -> list[Finding]:
    """Run the enabled rules on one policy found in ``file``."""
    view = read_policy(source)
    off = disabled | source.disabled
    findings = []
    for rule in RULES:
        if rule.id in off or not rule.applies_to(view):
            continue
        for hit in rule.check(view):
            position = source.locate(hit.pointer)
            findings.append(
                Finding(
                    rule.id,
                    rule.severity,
                    file,
                    position.line,
                    position.column,
                    hit.pointer,
                    hit.message,
                    policy=source.pointer,
                    origin=source.origin,
                    title=rule.title,
                )
            )
    return findings


def lint_paths(
    paths: Sequence[str | Path],
    *,
    kind: PolicyKind | None = None,
    disabled: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Findings for every file, in file order then position."""
    findings: list[Finding] = []
    for path in paths:
        findings.extend(lint_text(read_text(path), file=str(path), kind=kind, disabled=disabled))
    return findings
