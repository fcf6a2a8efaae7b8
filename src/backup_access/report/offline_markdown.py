"""``explain --error … --format markdown`` without a world: the offline answer for a ticket
or a pull request — headings, what AWS said in a fenced block (a paste may hold anything),
the ranked causes, and each confirming command in a fenced ``sh`` block under the account it
must run in. Same content as the text answer (``report.incident.render_offline``)."""

from __future__ import annotations

from backup_access.diagnose.offline import Cause, OfflineAnswer
from backup_access.report.markdown import document, escape, fenced, inline_code
from backup_access.report.printable import printable


def _evidence(answer: OfflineAnswer) -> list[str]:
    parsed, evidence = answer.message, answer.message.evidence
    found = [
        ("pasted from", " › ".join(evidence.wrappers) if evidence.wrappers else None),
        ("operation", evidence.operation),
        ("operation named by", evidence.operation_from if evidence.operation else None),
        ("error code", evidence.error_code),
        ("HTTP status", str(evidence.status_code) if evidence.status_code else None),
        ("request id", evidence.request_id),
        ("tool resource", evidence.tool_resource),
        ("resource type", evidence.resource_type),
        ("authorization id", parsed.authorization_id),
    ]
    return [f"- {label}: {inline_code(value)}" for label, value in found if value]


def _cause(cause: Cause) -> list[str]:
    lines = [
        f"#### {cause.rank}. {escape(cause.title)}",
        "",
        f"- layer: {inline_code(cause.layer)}",
        f"- why: {escape(cause.why)}",
    ]
    if cause.check:
        lines.append(f"- check: {inline_code(cause.check)}")
    if cause.source:
        lines.append(f"- source: <{cause.source}>")
    for command in cause.confirm:
        lines += [
            "",
            f"In {escape(command.account)} ({escape(command.shows)}):",
            "",
            fenced(command.command, "sh"),
        ]
    lines.append("")
    return lines


def render_offline_markdown(answer: OfflineAnswer) -> str:
    """The offline answer as Markdown; commands and ARNs are never wrapped or cut."""
    parsed = answer.message
    api = f" ({inline_code(answer.api)})" if answer.api else ""
    lines = [f"## ? UNKNOWN (no world given){api}: {escape(answer.summary)}", ""]
    if parsed.text:
        lines += ["AWS said:", "", fenced(printable(parsed.text)), ""]
    lines += [f"**What it means:** {escape(answer.meaning)}", ""]
    if answer.permission_problem is None:
        lines += [
            "**Not recognised:** backup-access cannot tell what caused it, nor whether a "
            "policy is to blame.",
            "",
        ]
    elif not answer.permission_problem:
        lines += ["**This is not a permission problem:** no policy is to blame.", ""]
    lines += [f"**Layer AWS blamed:** {escape(answer.blame.says)}", ""]
    if parsed.action:
        lines += [
            f"**Request:** {inline_code(parsed.principal or '?')} → {inline_code(parsed.action)}"
            f" on {inline_code(parsed.resource or '(no resource named)')}",
            "",
        ]
    evidence = _evidence(answer)
    masked = [
        f"- the {m.field} is unknown ({inline_code(m.value)} is {escape(m.why)})"
        for m in parsed.masked
    ]
    if evidence or masked:
        lines += ["### Evidence from the paste", "", *evidence, *masked, ""]
    if answer.causes:
        lines += ["### Likely causes, most likely first", ""]
    for cause in answer.causes:
        lines += _cause(cause)
    if answer.other_checks:
        name = inline_code(answer.api) if answer.api else "the operation"
        lines += [
            f"### Other checks of {name}",
            "",
            "They cannot produce this message, but the call needs them too once it gets past "
            "this denial.",
            "",
        ]
    for cause in answer.other_checks:
        lines += _cause(cause)
    if answer.todo:
        lines += [f"**What to do:** {escape(answer.todo)}", ""]
    if answer.sources:
        lines += ["Sources:", "", *(f"- <{source}>" for source in answer.sources), ""]
    if answer.notes:
        lines += ["Notes:", "", *(f"- {escape(note)}" for note in answer.notes), ""]
    lines.append("Give `--world` (or `--live`) to evaluate it against your accounts.")
    return document("\n".join(lines))
