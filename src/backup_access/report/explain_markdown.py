"""``explain --format markdown``: the verdict line, the failing checks with their statements
quoted, and a Mermaid flowchart of the blocking check's path through the layers and the
operation's settings, the blocking node marked."""

from __future__ import annotations

from collections.abc import Iterable

from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation
from backup_access.report.markdown import (
    PathNode,
    document,
    escape,
    inline_code,
    mermaid_path,
    statement_block,
)
from backup_access.report.words import (
    CHECK_MARK,
    VERDICT_LABEL,
    first_blocking,
    headline,
    humanise,
    layer_name,
    parameter_names,
    parameters_heading,
    shown_parameters,
)

_ORDER = ("scp", "rcp", "endpoint", "identity", "boundary", "session", "resource")
_ORG = ("scp", "rcp")


def _org_nodes(check: CheckResult, layer: str) -> list[PathNode]:
    """Organization policies level by level (root → OUs → account), as the engine decided
    them: the levels that do not allow (an explicit Deny, or no policy attached there allows)
    are marked. A check without the engine's path (hand-built) falls back to the levels its
    quoted statements name, then to one node."""
    blocked = layer in check.blocked_by
    steps = [s for s in check.path if s.layer == layer and s.level]
    if steps:
        return [_node(check, layer_name(layer, level=s.level), blocked and s.blocks) for s in steps]
    levels = list(dict.fromkeys(r.level for r in check.statements if r.layer == layer and r.level))
    if not levels:
        return [_node(check, layer_name(layer), blocked)]
    return [_node(check, layer_name(layer, level=level), blocked) for level in levels]


def _node(check: CheckResult, label: str, in_blocked_by: bool) -> PathNode:
    """A layer of the check's path. An unknown check lists in ``blocked_by`` the layers
    it could not decide ("Unknown at"): those are drawn unknown, not denied."""
    unknown = in_blocked_by and check.decision is CheckDecision.UNKNOWN
    return PathNode(label, in_blocked_by and not unknown, unknown)


def check_path(check: CheckResult, settings: Iterable[CheckResult] = ()) -> str:
    """The flowchart of one permission check's request, then the settings it depends on."""
    present = set(check.blocked_by) | {r.layer for r in check.statements}
    present |= {"identity"} if check.principal and check.principal.startswith("arn:") else set()
    present |= {s.layer for s in check.path if s.layer in _ORG and s.level}
    if check.resource_policy:
        present.add("resource")
    nodes: list[PathNode] = []
    for layer in _ORDER:
        if layer not in present:
            continue
        if layer in _ORG:
            nodes.extend(_org_nodes(check, layer))
        else:
            nodes.append(_node(check, layer_name(layer, check), layer in check.blocked_by))
    for setting in settings:
        unknown = setting.decision is CheckDecision.UNKNOWN
        nodes.append(PathNode(f"setting: {setting.title}", setting.decision.denies, unknown))
    start = check.principal or "caller"
    end = f"{check.action} on {check.resource}" if check.action else check.title
    return mermaid_path(start, nodes, end)


def _check_section(
    check: CheckResult, quoted: set[tuple[str | None, str, str]], names: list[str]
) -> list[str]:
    out = [f"#### {CHECK_MARK[check.decision]} {inline_code(check.id)} — {escape(check.title)}"]
    out.append("")
    if check.action:
        out.append(
            f"{inline_code(check.principal or '')} → {inline_code(check.action)} on "
            f"{inline_code(check.resource or '')}"
        )
        out.append("")
    if check.blocked_by:
        layers = ", ".join(layer_name(layer, check) for layer in check.blocked_by)
        label = "Unknown at" if check.decision is CheckDecision.UNKNOWN else "Blocked by"
        out.append(f"{label}: **{escape(layers)}**")
        out.append("")
    reason = check.reason.split("; nearest: ", 1)[0] if check.statements else check.reason
    out.append(escape(humanise(reason, names)))
    out.append("")
    for ref in check.statements:
        key = (ref.source, ref.policy, ref.pointer)
        if key in quoted:
            out.append(f"{inline_code(ref.location)}: {escape(ref.reason)} (quoted above)")
        else:
            quoted.add(key)
            out.append(statement_block(ref))
        out.append("")
    out.append(f"AWS page: <{check.source}>")
    out.append("")
    return out


def markdown_explanation(explanation: Explanation, *, title: str = "") -> str:
    """An explanation as Markdown (see the module docstring)."""
    label = VERDICT_LABEL[explanation.verdict]
    out = [f"### {label} {escape(title or explanation.operation)}", ""]
    answer = headline(explanation, title).split(" — ", 1)[-1]
    out += [f"**{escape(answer)}**", ""]
    failing = [c for c in explanation.checks if c.decision is not CheckDecision.ALLOWED]
    quoted: set[tuple[str | None, str, str]] = set()
    for check in failing:
        out += _check_section(check, quoted, parameter_names(explanation))
    blocking = first_blocking(explanation)
    permission = blocking if blocking is not None and blocking.action else None
    if permission is None:
        permission = next((c for c in explanation.checks if c.action), None)
    if permission is not None:
        settings = [c for c in explanation.checks if c.kind.value == "setting"]
        out += ["#### Path of the request", "", check_path(permission, settings), ""]
    passing = [c for c in explanation.checks if c.decision is CheckDecision.ALLOWED]
    if passing:
        out += [f"<details><summary>Passing checks ({len(passing)})</summary>", ""]
        out += [f"- ✔ {inline_code(c.id)} — {escape(c.title)}" for c in passing]
        out += ["", "</details>", ""]
    extra: list[tuple[str, list[str]]] = [
        (
            "Not applicable",
            [
                f"{s.id}: {humanise(s.why, parameter_names(explanation))}"
                for s in explanation.skipped
            ],
        ),
        ("Missing from the world", list(explanation.missing)),
        ("Assumptions", list(explanation.notes)),
        ("The world disagrees with the message", list(explanation.disagreements)),
    ]
    for heading, items in extra:
        if items:
            out += [f"**{heading}**", ""] + [f"- {escape(i)}" for i in items] + [""]
    parameters = shown_parameters(explanation)
    if parameters:
        out += [f"**{parameters_heading(explanation)}**", ""]
        out += [
            f"- {escape(k) if k.endswith(':') else inline_code(k)} {inline_code(v)}"
            for k, v in parameters
        ] + [""]
    return document("\n".join(out).rstrip() + "\n")
