"""Plan fixes: for every failing check, ask the generators, keep the narrowest change that
stops the blocking layer, apply it to a copy of the world, re-run the diagnosis; repeat until
nothing fixable is left. Then build one ``Fix`` per changed document or setting, proven on
the patched world.

Greedy on purpose: a change is kept only when the diagnosis of the patched world shows it
worked (the layer no longer blocks the check, or fewer of its Denies apply), so a change
made unnecessary by an earlier one (e.g. an identity allow once a key policy names the
principal) is never proposed.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import jsonpatch

from backup_access.diagnose.disagreements import WORLD_ALLOWS, WORLD_ALLOWS_JOB
from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation, Verdict
from backup_access.errors import InputError
from backup_access.fix.apply import apply_edit, apply_setting
from backup_access.fix.commands import commands, document_file
from backup_access.fix.context import FixContext, Scope
from backup_access.fix.describe import newly_allows
from backup_access.fix.limits import exceeded, limit_for
from backup_access.fix.merge import Merged, combine_added
from backup_access.fix.model import (
    Alternative,
    Audience,
    DocumentEdit,
    DocumentTarget,
    Failure,
    Fix,
    FixKind,
    JsonDocument,
    Proposal,
    SettingChange,
    Unfixed,
)
from backup_access.fix.proposed import name_proposals, name_proposals_in
from backup_access.fix.raw import find, put, world_from_json
from backup_access.fix.registry import Generator, generator, generators
from backup_access.fix.targets import org_attachments
from backup_access.world import World

Diagnose = Callable[[World], Explanation]
_GENERATORS = generators()  # discovered at import: a duplicate id fails here
_MAX_STEPS = 60
FALLBACK_GENERATOR = "FX-ALT-GATE"  # answers any closed gate; others take precedence
_LAYER_ORDER = ("scp", "rcp", "resource", "identity", "boundary", "session", "endpoint", "setting")
# Controlling access to AWS resources with tags: what a tag change relies on
_TAG_SOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html"
_KMS_LAYER_ORDER = ("scp", "rcp", "resource", "identity", "boundary", "session", "endpoint")


@dataclass(frozen=True, slots=True)
class FixPlan:
    """Fixes for one diagnosis, and the diagnosis of the world with all of them applied."""

    before: Explanation
    after: Explanation
    fixes: tuple[Fix, ...]
    unfixed: tuple[Unfixed, ...]
    patched: dict[str, Any]  # the world JSON with every change applied
    notes: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        return self.after.verdict is Verdict.ALLOWED or self.allows_what_aws_denied

    @property
    def allows_what_aws_denied(self) -> bool:
        """A fix for an error message: every check passes in the patched world, and what is
        left unknown is only that the world now allows what AWS's message denied. The
        message tells of the world before the change, so that is the change working, not
        the world being out of date."""
        after = self.after
        return (
            self.before.verdict is not Verdict.UNKNOWN  # the world denied it before the change
            and after.verdict is Verdict.UNKNOWN
            and bool(after.disagreements)
            and after.disagreements[0].startswith((WORLD_ALLOWS, WORLD_ALLOWS_JOB))
            and all(c.decision is CheckDecision.ALLOWED for c in after.checks)
        )

    @property
    def summary(self) -> str:
        if self.before.verdict is Verdict.ALLOWED:
            return "allowed already: nothing to fix"
        if self.allows_what_aws_denied:
            return (
                "verified: allowed after the change (the error message tells of the world "
                "before it, so the patched world now disagrees with it as it should)"
            )
        if self.after.verdict is Verdict.ALLOWED:
            org = any(f.audience is Audience.ORGANIZATION for f in self.fixes)
            tail = " (including changes only the organization's administrators can make)"
            return "verified: allowed after the change" + (tail if org else "")
        return f"not verified: the operation is still {self.after.verdict.value} after the changes"

    def remaining(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.after.checks if c.decision is not CheckDecision.ALLOWED)

    def to_dict(self) -> JsonDocument:
        return {
            "summary": self.summary,
            "verified": self.verified,
            "verdict_before": self.before.verdict.value,
            "verdict_after": self.after.verdict.value,
            "still_blocking": [
                {
                    "check": c.id,
                    "decision": c.decision.value,
                    "blocked_by": list(c.blocked_by),
                    "reason": c.reason,
                }
                for c in self.remaining()
            ],
            "unfixed": [u.to_dict() for u in self.unfixed],
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class _Step:
    """A change kept by the planner."""

    proposal: Proposal
    edits: tuple[DocumentEdit, ...] = ()
    merged: list[Merged] = field(default_factory=list)
    setting: SettingChange | None = None  # the setting or property (tag) change kept


def _layers(check: CheckResult) -> list[str]:
    order = _KMS_LAYER_ORDER if (check.action or "").lower().startswith("kms:") else _LAYER_ORDER
    layers = list(check.blocked_by) or (["setting"] if check.decision.denies else [])
    denied = {s.layer for s in check.statements if s.effect == "Deny"}
    return sorted(
        layers,
        key=lambda layer: (layer not in denied, order.index(layer) if layer in order else 99),
    )


def _failures(explanation: Explanation) -> list[Failure]:
    return [
        Failure(check, layer)
        for check in explanation.checks
        if check.decision.denies
        for layer in _layers(check)
    ]


def _deny_count(check: CheckResult, layer: str) -> int:
    return sum(1 for s in check.statements if s.layer == layer and s.effect == "Deny")


def _progress(failure: Failure, after: Explanation) -> bool:
    found = next((c for c in after.checks if c.id == failure.check.id), None)
    if found is None or not found.decision.denies:
        return True
    if failure.layer not in found.blocked_by:
        return failure.layer != "setting" or not found.decision.denies
    return _deny_count(found, failure.layer) < _deny_count(failure.check, failure.layer)


class _Planner:
    def __init__(
        self,
        raw: dict[str, Any],
        diagnose: Diagnose,
        scope: Scope | None,
        before: Explanation,
        like: World | None,
    ) -> None:
        self.original = raw  # the user's world: what is not in it is the tool's proposal
        self.raw = copy.deepcopy(raw)
        self.diagnose = diagnose
        self.scope = scope
        self.like = like
        self.world = world_from_json(self.raw, like=like)
        self.current = diagnose(self.world)
        self.before = before
        self.steps: list[_Step] = []
        self.alternatives: list[Proposal] = []
        self.unfixed: list[Unfixed] = []
        self.notes: list[str] = []

    def context(self) -> FixContext:
        return FixContext(self.world, self.raw, self.current, self.scope)

    def _try_property(self, failure: Failure, change: SettingChange, proposal: Proposal) -> str:
        """Keep a property change (a tag) if the diagnosis of the patched world shows it
        worked; else the reason it did not ("" when kept)."""
        trial = copy.deepcopy(self.raw)
        apply_setting(trial, change)
        try:
            world = world_from_json(trial, like=self.like)
        except InputError as error:
            return f"the changed world is invalid: {error}"
        after = self.diagnose(world)
        if _progress(failure, after):
            self._keep(_Step(proposal, setting=change), trial, world, after)
            return ""
        found = next((c for c in after.checks if c.id == failure.check.id), None)
        return name_proposals(found, self.original, trial, world).reason if found else "?"

    def _try(self, failure: Failure, proposal: Proposal) -> bool:
        last_reason = ""
        for change in proposal.properties:
            last_reason = self._try_property(failure, change, proposal)
            if not last_reason:
                return True
        for candidate in proposal.candidates:
            trial = copy.deepcopy(self.raw)
            merged = [apply_edit(trial, edit) for edit in candidate]
            if not any(m.changed for m in merged):
                continue
            try:
                world = world_from_json(trial, like=self.like)
            except InputError as error:
                last_reason = f"the changed document is invalid: {error}"
                continue
            after = self.diagnose(world)
            if _progress(failure, after):
                self._keep(_Step(proposal, candidate, merged), trial, world, after)
                return True
            found = next((c for c in after.checks if c.id == failure.check.id), None)
            if found is not None:
                last_reason = name_proposals(found, self.original, trial, world).reason
        if proposal.candidates or proposal.properties:
            self.unfixed.append(
                Unfixed(
                    failure.check.id,
                    failure.layer,
                    f"{proposal.generator}: no proposed change stopped the {failure.layer} layer "
                    f"from blocking{': ' + last_reason if last_reason else ''}",
                )
            )
        return False

    def _keep(self, step: _Step, raw: dict[str, Any], world: World, after: Explanation) -> None:
        self.steps.append(step)
        self.raw, self.world, self.current = raw, world, after
        if step.proposal.also is not None:
            self.alternatives.append(replace(step.proposal, alternative=step.proposal.also))
        if not step.edits and step.proposal.setting is not None:  # others' go with their fix
            self.notes.extend(step.proposal.notes)

    def _setting(self, proposal: Proposal, setting: SettingChange) -> bool:
        trial = copy.deepcopy(self.raw)
        apply_setting(trial, setting)
        world = world_from_json(trial, like=self.like)
        self._keep(_Step(proposal, setting=setting), trial, world, self.diagnose(world))
        return True

    def handle(self, failure: Failure) -> None:
        context = self.context()
        proposals = [p for g in _GENERATORS if (p := g.propose(context, failure)) is not None]
        if not proposals:
            self.unfixed.append(Unfixed(failure.check.id, failure.layer, _no_generator(failure)))
            return
        for proposal in proposals:
            if proposal.setting is not None and self._setting(proposal, proposal.setting):
                return
            if (proposal.candidates or proposal.properties) and self._try(failure, proposal):
                return
        alternatives = [p for p in proposals if p.alternative is not None]
        specific = [p for p in alternatives if p.generator != FALLBACK_GENERATOR]
        self.alternatives.extend(specific or alternatives)

    def combine(self, original: dict[str, Any]) -> None:
        """One statement per principal: the statements the steps appended to a document that
        share effect, principal, resource and conditions are combined (the diagnosis is run
        again on the result, so the proof is of what is shown)."""
        pointers = dict.fromkeys(e.target.pointer for s in self.steps for e in s.edits)
        changed = False
        for pointer in pointers:
            document = find(self.raw, pointer)
            if not isinstance(document, dict):
                continue
            combined = combine_added(find(original, pointer), document)
            if combined is not None:
                put(self.raw, pointer, combined)
                changed = True
        if changed:
            self.world = world_from_json(self.raw, like=self.like)
            self.current = self.diagnose(self.world)

    def run(self) -> None:
        attempted: set[tuple[str, str]] = set()
        for _ in range(_MAX_STEPS):
            pending = [f for f in _failures(self.current) if (f.check.id, f.layer) not in attempted]
            if not pending:
                return
            failure = pending[0]
            attempted.add((failure.check.id, failure.layer))
            self.handle(failure)
        self.notes.append(f"stopped after {_MAX_STEPS} steps")


def _no_generator(failure: Failure) -> str:
    check = failure.check
    if failure.layer == "setting":
        return f"no fix generator handles this setting: {check.reason}"
    if failure.layer == "endpoint":
        return "a VPC endpoint policy blocks it: the world holds none to change"
    if not check.principal or check.principal.endswith(":root"):
        return f"the principal {check.principal} is not a role or user of the world"
    return (
        f"no generator found a document to change for the {failure.layer} layer "
        f"(principal {check.principal}, resource {check.resource}): {check.reason}"
    )


def _fix_id(*parts: str) -> str:
    return "F-" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:10]


def _patch(previous: Any, document: Any) -> tuple[JsonDocument, ...]:
    if previous is None:
        return ({"op": "add", "path": "", "value": document},)
    return tuple(jsonpatch.make_patch(previous, document).patch)


def _inline_documents(raw: dict[str, Any], target: DocumentTarget) -> list[Any]:
    holder = find(raw, target.pointer.rsplit("/", 1)[0]) or {}
    return list(holder.values()) if isinstance(holder, dict) else []


def _verification(checks: tuple[str, ...], plan_after: Explanation) -> tuple[bool, str]:
    still = [
        c for c in plan_after.checks if c.id in checks and c.decision is not CheckDecision.ALLOWED
    ]
    if not still:
        if plan_after.verdict is Verdict.ALLOWED:
            return True, "verified: allowed after the change"
        if plan_after.disagreements and plan_after.disagreements[0].startswith(WORLD_ALLOWS):
            return True, (
                "verified: allowed after the change (the patched world allows the request the "
                "error message says AWS denied)"
            )
        return True, (
            "verified: the checks it addresses pass after the change; the operation is still "
            f"{plan_after.verdict.value} because of other checks"
        )
    text = "; ".join(
        f"{c.id} still {c.decision.value} ({', '.join(c.blocked_by) or 'unknown'}): {c.reason}"
        for c in still
    )
    return False, f"still blocked: {text}"


def _document_fixes(
    original: dict[str, Any], patched: dict[str, Any], steps: list[_Step], world: World
) -> list[Fix]:
    by_target: dict[str, list[tuple[_Step, DocumentEdit, Merged]]] = {}
    targets: dict[str, DocumentTarget] = {}
    for step in steps:
        for edit, merged in zip(step.edits, step.merged, strict=True):
            by_target.setdefault(edit.target.pointer, []).append((step, edit, merged))
            targets.setdefault(edit.target.pointer, edit.target)
    fixes = []
    for pointer, entries in by_target.items():
        target = targets[pointer]
        previous = find(original, pointer)
        document = find(patched, pointer)
        generator_ids = tuple(dict.fromkeys(s.proposal.generator for s, _, _ in entries))
        first: Generator = generator(generator_ids[0])
        allows = [line for s, e, m in entries for line in newly_allows(e.target, m, world)]
        edits_existing = any(m.edited or m.joined for _, _, m in entries)
        holder = next((h for h in ("user", "group") if f"/iam/{h}s/" in pointer), "role")
        documents = (
            _inline_documents(patched, target)
            if target.kind is FixKind.IDENTITY_POLICY
            else [document]
        )
        review = []
        if edits_existing:
            review.append("edits an existing statement: review")
        if target.kind.is_organization_policy:
            attached = ", ".join(org_attachments(world, dict(target.names)["policy"]))
            review.append(
                "for the organization's administrators: a member account cannot change SCPs or "
                f"RCPs; apply it in the management account ({target.label} is attached at: "
                f"{attached or 'nothing yet'})"
            )
        review.extend(_wholesale(previous, [e for _, e, _ in entries], target))
        review.extend(_widened([e for _, e, _ in entries], target))
        review.extend(_quoted_edits(previous, [e for _, e, _ in entries]))
        checks = tuple(dict.fromkeys(s.proposal.failure.check.id for s, _, _ in entries))
        notes = tuple(dict.fromkeys(n for s, _, _ in entries for n in s.proposal.notes))
        fixes.append(
            Fix(
                id=_fix_id(target.kind.value, pointer),
                generators=generator_ids,
                title=f"{first.title}: {target.label}",
                source=first.source,
                kind=target.kind,
                target=target.arn,
                account=target.account,
                region=target.region,
                audience=Audience.ORGANIZATION
                if target.kind.is_organization_policy
                else Audience.ACCOUNT,
                checks=checks,
                pointer=pointer,
                document=document,
                previous=previous,
                patch=_patch(previous, document),
                cli=commands(target, new=previous is None),
                newly_allows=tuple(allows),
                edits_existing=edits_existing,
                review=tuple(review),
                limit=exceeded(limit_for(target.kind, holder=holder), documents),
                names=target.names,
                file=document_file(target),
                notes=notes,
            )
        )
    return fixes


def _wholesale(previous: Any, edits: list[DocumentEdit], target: DocumentTarget) -> list[str]:
    """A warning for each principal exempted from a Deny: it escapes the whole statement,
    on every resource it covers (fix.exception_paths lists what was tried first)."""
    statements = previous.get("Statement") if isinstance(previous, dict) else None
    listed = statements if isinstance(statements, list) else [statements]
    out = []
    for exception in (x for e in edits for x in e.exceptions):
        statement = listed[exception.index] if exception.index < len(listed) else None
        actions = statement.get("Action") if isinstance(statement, dict) else None
        words = ", ".join(actions) if isinstance(actions, list) else str(actions or "its actions")
        name = exception.sid or f"statement {exception.index}"
        out.append(
            f"exempts {exception.principal} from {target.label} {name} wholesale: it is no "
            f"longer denied {words} by it on any resource — a last resort, proposed only "
            "because none of the statement's own exception paths (a tag, an allow-list the "
            "request could join) verified"
        )
    return out


def _widened(edits: list[DocumentEdit], target: DocumentTarget) -> list[str]:
    """A warning for each value joined to a Deny's allow-list: the guardrail is widened."""
    return [
        f"widens {target.label} {j.sid or f'statement {j.index}'}: {j.operator} {j.key} now "
        f"also lets {', '.join(j.values)} through, for every principal the statement covers; "
        "weigh it against the alternatives (the notes rank them)"
        for e in edits
        for j in e.joins
    ]


def _quoted_edits(previous: Any, edits: list[DocumentEdit]) -> list[str]:
    """The existing statements a fix edits, quoted as they are now."""
    statements = previous.get("Statement") if isinstance(previous, dict) else None
    listed = statements if isinstance(statements, list) else [statements]
    out = []
    indexes = {x.index for e in edits for x in e.exceptions} | {
        j.index for e in edits for j in e.joins
    }
    for index in sorted(indexes):
        if statements is not None and index < len(listed):
            quoted = json.dumps(listed[index], separators=(", ", ": "))
            out.append(f"statement {index} now: {quoted}")
    return out


def _setting_fix(step: _Step) -> Fix:
    setting = step.setting
    assert setting is not None
    first = generator(step.proposal.generator)
    organization = "organization" in setting.target
    property_change = setting is not step.proposal.setting  # a tag: its notes rank the options
    return Fix(
        id=_fix_id("setting", setting.pointer),
        generators=(first.id,),
        title=f"Use the guardrail's own exception: {setting.label}"
        if property_change
        else f"{first.title}: {setting.label}",
        source=_TAG_SOURCE if property_change else first.source,
        kind=FixKind.SETTING,
        target=setting.target,
        account=setting.account,
        region=setting.region,
        audience=Audience.ORGANIZATION if organization else Audience.ACCOUNT,
        checks=(step.proposal.failure.check.id,),
        pointer=setting.pointer,
        cli=(f"# in account {setting.account}", *setting.commands),
        newly_allows=setting.allows or step.proposal.notes,
        review=setting.review,
        notes=step.proposal.notes if property_change else (),
        setting=setting,
    )


def _alternative_fix(proposal: Proposal) -> Fix:
    alternative: Alternative | None = proposal.alternative
    assert alternative is not None
    first = generator(proposal.generator)
    return Fix(
        id=_fix_id("alternative", proposal.failure.check.id, alternative.target),
        generators=(first.id,),
        title=alternative.title or first.title,
        source=first.source,
        kind=FixKind.ALTERNATIVE,
        target=alternative.target,
        account=None,
        region=None,
        audience=Audience.NOBODY,
        checks=(proposal.failure.check.id,),
        cli=alternative.commands,
        notes=(alternative.text,),
    )


def plan_fixes(
    raw: dict[str, Any],
    explanation: Explanation,
    diagnose: Diagnose,
    *,
    scope: Scope | None = None,
    world: World | None = None,
) -> FixPlan:
    """Fixes for ``explanation`` (a diagnosis of the world ``raw``); ``diagnose`` re-runs the
    same diagnosis on another world; ``world``: the loaded world, when it knows more than its
    JSON (a collected world's unreadable parts). ``raw`` is not modified."""
    planner = _Planner(raw, diagnose, scope, explanation, world)
    if _outcomes(planner.current) != _outcomes(explanation):
        planner.notes.append(
            "the world re-read from its JSON gives a different diagnosis than the one given; "
            "fixes follow the re-read world"
        )
    planner.run()
    planner.combine(raw)
    fixes = _document_fixes(raw, planner.raw, planner.steps, planner.world)
    fixes += [_setting_fix(s) for s in planner.steps if s.setting is not None]
    seen: set[str] = set()
    for proposal in planner.alternatives:
        fix = _alternative_fix(proposal)
        if fix.id not in seen:
            seen.add(fix.id)
            fixes.append(fix)
    after = name_proposals_in(planner.current, raw, planner.raw, planner.world)
    verified = []
    for fix in fixes:
        if fix.kind is FixKind.ALTERNATIVE:
            text = "not verified: no policy or setting change can fix this; see the alternative"
            verified.append(_replace_verification(fix, False, text))
        else:
            ok, text = _verification(fix.checks, after)
            verified.append(_replace_verification(fix, ok, text))
    return FixPlan(
        before=explanation,
        after=after,
        fixes=tuple(verified),
        unfixed=tuple(planner.unfixed),
        patched=planner.raw,
        notes=tuple(dict.fromkeys(planner.notes)),
    )


def _outcomes(explanation: Explanation) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.id, c.decision.value, c.blocked_by) for c in explanation.checks]


def _replace_verification(fix: Fix, verified: bool, text: str) -> Fix:
    return replace(fix, verified=verified, verification=text)
