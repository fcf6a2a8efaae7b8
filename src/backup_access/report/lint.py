"""Render lint findings: text for a terminal, JSON (documented fields) and SARIF 2.1.0 for
code scanning (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from backup_access import __version__
from backup_access.lint import RULES, Finding, Severity
from backup_access.report.printable import printable
from backup_access.report.schema import SCHEMA_VERSION

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
INFORMATION_URI = "https://github.com/backup-access/backup-access"


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """The JSON shape of one finding (README "Lint")."""
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "pointer": finding.pointer,
        "message": finding.message,
        "title": finding.title,
        "policy": finding.policy,
        "origin": finding.origin,
        "kind": finding.kind,
        "kind_assumed": finding.kind_note or None,
    }


def findings_to_json(
    findings: Sequence[Finding], errors: Sequence[str] = (), skipped: Sequence[str] = ()
) -> str:
    """``skipped``: files found under a directory that hold no policy, template or plan."""
    return json.dumps(
        {
            "findings": [finding_to_dict(f) for f in findings],
            "errors": list(errors),
            "skipped": list(skipped),
            "schema_version": SCHEMA_VERSION,
        },
        indent=2,
    )


def _text(text: str) -> str:
    """Text from the linted files as rich prints it: control characters escaped
    (``printable``; rich writes an escape sequence as it is), markup escaped."""
    return escape(printable(text))


def render_text(
    console: Console,
    findings: Sequence[Finding],
    errors: Sequence[str] = (),
    skipped: Sequence[str] = (),
) -> None:
    """``file:line:column: BA020 error message (at pointer)``, one per line, then a summary.
    What the files hold (a Sid, a value, a name in the pointer) is printed escaped."""
    for finding in findings:
        where = f"{finding.file}:{finding.line}:{finding.column}"
        inside = finding.policy + finding.pointer
        origin = f" [{finding.origin}]" if finding.origin else ""
        console.print(
            f"{_text(where)}: [{_STYLE[finding.severity]}]{finding.rule} "
            f"{finding.severity.value}[/]{_text(origin)} {_text(finding.message)} "
            f"[dim](at {_text(inside or '/')})[/]"
        )
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    if findings:
        summary = ", ".join(f"{counts[s]} {s.value}" for s in reversed(Severity) if counts[s])
        console.print(f"{len(findings)} finding(s): {summary}")
    elif not errors:
        console.print("[green]✔ no findings[/]")
    if skipped:
        console.print(
            f"[dim]{len(skipped)} file(s) under the given directories hold no policy, "
            "template or plan and were skipped[/]"
        )


def findings_to_sarif(findings: Sequence[Finding], errors: Sequence[str] = ()) -> str:
    """A SARIF log with one run; every rule is described, findings point at file regions."""
    rule_index = {rule.id: index for index, rule in enumerate(RULES)}
    rules = [
        {
            "id": rule.id,
            "name": rule.title,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.explanation},
            "helpUri": rule.source,
            "help": {"text": f"{rule.explanation} See {rule.source}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        }
        for rule in RULES
    ]
    results = [
        {
            "ruleId": finding.rule,
            "ruleIndex": rule_index[finding.rule],
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(finding.file).as_posix()},
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    },
                    "logicalLocations": [
                        {"fullyQualifiedName": (finding.policy + finding.pointer) or "/"}
                    ],
                }
            ],
            "properties": {
                "pointer": finding.pointer,
                "policy": finding.policy,
                "kind": finding.kind,
            },
        }
        for finding in findings
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "backup-access",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "results": results,
    }
    if errors:
        run["invocations"] = [
            {
                "executionSuccessful": False,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": text}} for text in errors
                ],
            }
        ]
    return json.dumps({"$schema": _SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
