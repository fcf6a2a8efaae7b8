"""The exception paths a blocking Deny already has, narrowest first, before any principal is
exempted from it wholesale.

A Deny applies only when every one of its conditions holds
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html),
so a negated condition (``StringNotEquals``, ``StringNotLike``, ``ArnNotEquals``,
``ArnNotLike``, with ``IfExists`` or ``ForAllValues:``) names the values the guardrail lets
through. A request that gets one of them is not denied:

- ``aws:ResourceTag/K`` / ``aws:PrincipalTag/K``: tag the one resource (a KMS key, a vault, a
  role) or the one principal with a listed value — the guardrail's own, documented exception,
  no policy change (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html;
  data perimeters use such tags for exceptions:
  https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html);
- any other key the request carries, except those naming the principal: the request's own
  values joined to the list — an allow-list widened for everyone the guardrail covers, so a
  change to review;
- for ``backup:CopyTargetOrgPaths``, narrower than joining the destination's OU path: a
  ``backup:CopyTargets`` entry naming only the destination vault (AWS Backup sends both keys
  with ``CopyFromBackupVault``:
  https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).

Exempting the principal (``ArnNotEquals aws:PrincipalArn``) removes the guardrail for it on
every resource the statement covers: the last resort, ranked after these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backup_access.diagnose.model import CheckResult, StatementRef
from backup_access.fix.model import (
    Alternative,
    ConditionJoin,
    DocumentEdit,
    DocumentTarget,
    SettingChange,
)
from backup_access.fix.raw import join
from backup_access.fix.targets import entity_of, key_at, vault_at
from backup_access.policy.arn import Arn
from backup_access.policy.wildcard import glob_matches
from backup_access.world import Key, Role, User, Vault, World
from backup_access.world.organization import account_path

_NEGATED = frozenset(
    ("stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals", "arnnotlike")
)
# Keys that name the principal: joining a value to them exempts a principal (or its whole
# account or organization) wholesale, like the last resort.
_PRINCIPAL_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList",
        "aws:PrincipalType",
        "aws:PrincipalIsAWSService",
        "aws:userid",
        "aws:username",
        "aws:SourceIdentity",
    )
)
_TAG_PREFIXES = ("aws:resourcetag/", "aws:principaltag/", "aws:requesttag/", "aws:tagkeys")
# A path key, and the key naming the one resource inside it (narrower).
_NARROWER = {"backup:copytargetorgpaths": "backup:CopyTargets"}


@dataclass(frozen=True, slots=True)
class ExceptionPaths:
    """What a Deny's own conditions let through for this request, narrowest first."""

    tags: tuple[SettingChange, ...]
    joins: tuple[ConditionJoin, ...]
    options: tuple[str, ...]  # every path in words, narrowest first (the exemption last)


def _negated(operator: str) -> str | None:
    """The base of a negated string/ARN operator (``ForAllValues:`` and ``IfExists`` allowed),
    else None. ``ForAnyValue:`` is not an allow-list: left alone."""
    lowered = operator.lower()
    if lowered.startswith("foranyvalue:"):
        return None
    base = lowered.removeprefix("forallvalues:").removesuffix("ifexists")
    return base if base in _NEGATED else None


def _literal(values: Any) -> str | None:
    """The first listed value that is a plain string (no wildcard, no policy variable)."""
    for value in values if isinstance(values, list) else [values]:
        text = str(value)
        if text and not any(c in text for c in "*?") and "${" not in text:
            return text
    return None


def _tag_holder(world: World, arn: str) -> Key | Vault | Role | User | None:
    found: Key | Vault | Role | User | None = key_at(world, arn) or vault_at(world, arn)
    return found or entity_of(world, arn)


def _tag_commands(holder: Key | Vault | Role | User, key: str, value: str) -> tuple[str, ...]:
    """The AWS CLI call that sets one tag: kms tag-resource, backup tag-resource, iam tag-role
    / tag-user."""
    if isinstance(holder, Key):
        return (
            f"aws kms tag-resource --key-id {holder.key_id} "
            f"--tags TagKey={key},TagValue={value} --region {holder.region}",
        )
    if isinstance(holder, Vault):
        return (
            f"aws backup tag-resource --resource-arn {holder.arn} --tags {key}={value} "
            f"--region {holder.region}",
        )
    kind = "role" if isinstance(holder, Role) else "user"
    return (f"aws iam tag-{kind} --{kind}-name {holder.name} --tags Key={key},Value={value}",)


def _tag_change(
    world: World, arn: str, key: str, value: str, why: str, guardrail: str
) -> SettingChange | None:
    holder = _tag_holder(world, arn)
    if holder is None:
        return None
    account = Arn.parse(holder.arn)
    region = holder.region if isinstance(holder, Key | Vault) else None
    return SettingChange(
        target=holder.arn,
        label=f"tag {key}={value} on {holder.arn}",
        pointer=join(holder.location.pointer, "tags", key),
        value=value,
        account=account.account if account is not None else "",
        commands=_tag_commands(holder, key, value),
        region=region,
        allows=(
            f"{holder.arn} carries {key}={value}: {guardrail} no longer denies requests on it "
            f"({why}); nothing else changes",
        ),
        review=(
            f"uses the guardrail's own exception ({guardrail}: {why}): no policy changes, but "
            f"{holder.arn} then passes that statement for every principal and action it covers",
            "an exception tag is often protected (only the perimeter's administrators may set "
            "it): ask them if tagging is denied",
        ),
    )


def exception_paths(
    world: World, check: CheckResult, statement: dict[str, Any], index: int, guardrail: str
) -> ExceptionPaths:
    """The exception paths of the Deny ``statement`` (at ``index`` of its document, named
    ``guardrail`` in words) that the check's request could take."""
    sid = statement.get("Sid") if isinstance(statement.get("Sid"), str) else None
    block = statement.get("Condition")
    tags: list[SettingChange] = []
    narrow: list[ConditionJoin] = []
    joins: list[ConditionJoin] = []
    words: dict[str, list[str]] = {"tag": [], "narrow": [], "join": []}
    for operator, entries in block.items() if isinstance(block, dict) else ():
        if _negated(operator) is None or not isinstance(entries, dict):
            continue
        for key, values in entries.items():
            lowered = key.lower()
            why = f"{operator} {key}"
            if lowered.startswith(("aws:resourcetag/", "aws:principaltag/")):
                value = _literal(values)
                holder = check.resource if lowered.startswith("aws:resourcetag/") else None
                holder = holder or (check.principal if "principaltag" in lowered else None)
                if value is None or holder is None:
                    continue
                tag = key.split("/", 1)[1]
                change = _tag_change(world, holder, tag, value, f"{why} {value}", guardrail)
                if change is not None:
                    tags.append(change)
                    words["tag"].append(f"tag {tag}={value} on {change.target} (no policy change)")
                continue
            if lowered in _PRINCIPAL_KEYS or lowered.startswith(_TAG_PREFIXES):
                continue
            carried = check.context_values(key)
            if not carried:
                continue
            sibling = _NARROWER.get(lowered)
            one = check.context_values(sibling) if sibling else ()
            if sibling and one:
                narrow.append(ConditionJoin(index, operator, sibling, one, sid))
                words["narrow"].append(
                    f"add {', '.join(one)} to {guardrail}'s {operator} {sibling} (that one "
                    "destination only; a guardrail change for the organization's administrators)"
                )
            joins.append(ConditionJoin(index, operator, key, carried, sid))
            words["join"].append(
                f"add {', '.join(carried)} to {guardrail}'s {operator} {key} list (widens the "
                "allow-list for every principal the guardrail covers)"
            )
    options = (*words["tag"], *words["narrow"], *words["join"])
    return ExceptionPaths(tuple(tags), (*narrow, *joins), options)


@dataclass(frozen=True, slots=True)
class Narrower:
    """What to try before exempting the principal from the located Denies."""

    tags: tuple[SettingChange, ...]
    candidates: tuple[tuple[DocumentEdit, ...], ...]
    notes: tuple[str, ...]
    also: Alternative | None


def _vaults_under(world: World, patterns: list[str], check: CheckResult) -> list[str]:
    """Vaults of the world in accounts whose organization path a pattern allows; those of
    other accounts than the copy role's when there are any."""
    organization = world.organization
    if organization is None:
        return []
    found = []
    for account_id, account in sorted(world.accounts.items()):
        path = account_path(organization, account_id)
        if path is None:
            continue
        text = path.text(organization.id)
        if not any(glob_matches(p, text) for p in patterns):
            continue
        for region in account.regions.values():
            found += [v.arn for v in region.vaults.values()]
    own = Arn.parse(check.principal or "")
    elsewhere = [v for v in found if own is None or f":{own.account}:" not in v]
    return sorted(elsewhere or found)


def _copy_alternative(
    world: World, check: CheckResult, statement: dict[str, Any]
) -> Alternative | None:
    """For a guardrail keeping copies inside OUs: the vaults it already allows."""
    for operator, entries in (statement.get("Condition") or {}).items():
        if _negated(operator) is None or not isinstance(entries, dict):
            continue
        for key, values in entries.items():
            if key.lower() != "backup:copytargetorgpaths":
                continue
            listed = [str(v) for v in (values if isinstance(values, list) else [values])]
            vaults = _vaults_under(world, listed, check)
            if vaults:
                return Alternative(
                    title="Copy into a vault the guardrail already allows",
                    target=", ".join(vaults[:3]),
                    text=(
                        "copy into a vault in an OU the guardrail already allows instead (no "
                        f"policy change): {', '.join(vaults[:3])}"
                        + (f" and {len(vaults) - 3} more" if len(vaults) > 3 else "")
                    ),
                )
    return None


def narrower_paths(
    world: World,
    check: CheckResult,
    located: list[tuple[DocumentTarget, StatementRef, dict[str, Any]]],
    exempted: str,
) -> Narrower:
    """Tag changes and allow-list joins for each located Deny (target, quoted reference,
    the statement as the world holds it), and the ranked options in words, ending with the
    exemption of ``exempted`` — the last resort."""
    tags: list[SettingChange] = []
    candidates: list[tuple[DocumentEdit, ...]] = []
    notes: list[str] = []
    also: Alternative | None = None
    for target, ref, statement in located:
        guardrail = f"{target.label} statement {ref.sid or ref.index}"
        paths = exception_paths(world, check, statement, ref.index, guardrail)
        tags += paths.tags
        candidates += [(DocumentEdit(target, joins=(j,)),) for j in paths.joins]
        also = also or _copy_alternative(world, check, statement)
        if not paths.options:
            continue
        actions = statement.get("Action") or statement.get("NotAction")
        listed = ", ".join(actions) if isinstance(actions, list) else str(actions)
        ranked = [
            *paths.options,
            f"exempt {exempted} from it (last resort: it would no longer "
            f"be denied {listed} by it on any resource)",
        ]
        notes.append(
            f"ways past {guardrail}, narrowest first (the first that verifies is proposed): "
            + "; ".join(f"({n}) {words}" for n, words in enumerate(ranked, 1))
        )
    return Narrower(tuple(tags), tuple(candidates), tuple(notes), also)
