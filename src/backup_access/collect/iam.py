"""An account's IAM as a world's ``iam`` section, from ``GetAccountAuthorizationDetails``.

One paginated call returns users, groups, roles (path, trust policy, permissions boundary,
tags, inline and attached policies) and managed policies with their versions
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
Customer managed policies are written by name with their default version; AWS managed
policies by ARN, their documents taken from the same answer, else from the copies shipped
with backup-access, else fetched with ``iam:GetPolicy`` and ``iam:GetPolicyVersion``.
A document our parser refuses is left out with its owner, as a gap, so that the world
stays loadable and the owner reads as unknown rather than as having fewer policies.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from backup_access.collect.calls import MISSING, Gap, Missing, Reader
from backup_access.errors import InputError
from backup_access.fields import policy as check_policy
from backup_access.policy.layer import Layer
from backup_access.world.managed import is_aws_managed_arn, shipped_policy_by_arn


@dataclass
class IamPart:
    """The ``iam`` section of one account and the AWS managed documents it references."""

    section: dict[str, Any] = field(default_factory=dict)
    aws_policies: dict[str, Any] = field(default_factory=dict)  # ARN -> document


def document(raw: object) -> Any:
    """A policy document as AWS returns it: already decoded by botocore, or URL-encoded JSON."""
    if isinstance(raw, str):
        return json.loads(urllib.parse.unquote(raw))
    return raw


def _tags(raw: list[dict[str, str]] | None) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in raw or []}


def _default_version(item: dict[str, Any]) -> Any:
    for version in item.get("PolicyVersionList") or []:
        if version.get("IsDefaultVersion"):
            return document(version.get("Document"))
    return None


def _ref(arn: str, account: str) -> str:
    """How the world names an attached policy: the account's own by name, AWS's by ARN."""
    if is_aws_managed_arn(arn):
        return arn
    return arn.rsplit("/", 1)[-1] if f":{account}:policy/" in arn else arn


def _parses(doc: object, use: Layer) -> str | None:
    """None when our parser accepts ``doc``, else why not."""
    try:
        check_policy(doc, "", use)
    except InputError as error:
        return str(error)
    return None


class _Builder:
    """Turns one GetAccountAuthorizationDetails result into the ``iam`` section."""

    def __init__(self, reader: Reader, details: dict[str, Any]) -> None:
        self.reader = reader
        self.account = reader.account
        self.details = details
        self.policies: dict[str, Any] = {}
        self.bad_policies: dict[str, str] = {}
        self.aws_docs: dict[str, Any] = {}

    def gap(self, part: str, why: str, arn: str) -> None:
        self.reader.log.add_gap(
            Gap(self.account, None, part, "(parse)", f"not readable by backup-access: {why}", arn)
        )

    def managed(self) -> None:
        for item in self.details.get("Policies") or []:
            arn = item.get("Arn", "")
            doc = _default_version(item)
            if doc is None:
                continue
            if is_aws_managed_arn(arn):
                self.aws_docs[arn] = doc
                continue
            name = item.get("PolicyName") or arn.rsplit("/", 1)[-1]
            why = _parses(doc, Layer.IDENTITY)
            if why is None:
                self.policies[name] = doc
            else:
                self.bad_policies[name] = why
                self.gap(f"customer managed policy {name}", why, arn)

    def attached(self, item: dict[str, Any]) -> tuple[list[str], str | None]:
        """Attached policy references, or why the entity cannot be written."""
        refs = [
            _ref(p["PolicyArn"], self.account) for p in item.get("AttachedManagedPolicies") or []
        ]
        boundary = (item.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        for ref in [*refs, *([_ref(boundary, self.account)] if boundary else [])]:
            if ref in self.bad_policies:
                return refs, f"attached policy {ref} could not be read"
        return refs, None

    def inline(self, items: list[dict[str, Any]] | None) -> tuple[dict[str, Any], str | None]:
        out: dict[str, Any] = {}
        for entry in items or []:
            doc = document(entry.get("PolicyDocument"))
            why = _parses(doc, Layer.IDENTITY)
            if why is not None:
                return out, f"inline policy {entry.get('PolicyName')}: {why}"
            out[entry["PolicyName"]] = doc
        return out, None

    def entity(self, kind: str, item: dict[str, Any], inline_key: str) -> dict[str, Any] | None:
        refs, bad = self.attached(item)
        inline, bad_inline = self.inline(item.get(inline_key))
        out: dict[str, Any] = {"path": item.get("Path") or "/", "policies": refs, "inline": inline}
        if kind != "group":
            boundary = (item.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
            out["boundary"] = _ref(boundary, self.account) if boundary else None
            out["tags"] = _tags(item.get("Tags"))
        if kind == "role":
            trust = document(item.get("AssumeRolePolicyDocument"))
            why = None if trust is None else _parses(trust, Layer.RESOURCE)
            bad = bad or (f"trust policy: {why}" if why else None)
            out["trust"] = trust
        reason = bad or bad_inline
        if reason is not None:
            name = item.get(f"{kind.capitalize()}Name")
            self.gap(f"{kind} {name}", reason, item.get("Arn", ""))
            return None
        return out

    def section(self) -> dict[str, Any]:
        self.managed()
        groups = {}
        for item in self.details.get("GroupDetailList") or []:
            built = self.entity("group", item, "GroupPolicyList")
            if built is not None:
                groups[item["GroupName"]] = built
        users = {}
        for item in self.details.get("UserDetailList") or []:
            built = self.entity("user", item, "UserPolicyList")
            if built is None:
                continue
            built["groups"] = list(item.get("GroupList") or [])
            lost = [g for g in built["groups"] if g not in groups]
            if lost:
                self.gap(
                    f"user {item['UserName']}",
                    f"its group {lost[0]} could not be read",
                    item["Arn"],
                )
                continue
            users[item["UserName"]] = built
        roles = {}
        for item in self.details.get("RoleDetailList") or []:
            built = self.entity("role", item, "RolePolicyList")
            if built is not None:
                roles[item["RoleName"]] = built
        return {"policies": self.policies, "roles": roles, "users": users, "groups": groups}


def _referenced(section: dict[str, Any]) -> set[str]:
    refs: set[str] = set()
    for kind in ("roles", "users", "groups"):
        for entity in section[kind].values():
            refs.update(entity["policies"])
            if entity.get("boundary"):
                refs.add(entity["boundary"])
    return {ref for ref in refs if is_aws_managed_arn(ref)}


def _fetch_aws_policy(reader: Reader, arn: str) -> Any:
    """An AWS managed policy's default version by ARN (iam:GetPolicy, iam:GetPolicyVersion)."""
    iam = reader.client("iam")
    part = f"AWS managed policy {arn}"
    found = reader.call(iam, "get_policy", part=part, unknown=arn, PolicyArn=arn)
    if found is None or found is MISSING:
        return None
    version = found["Policy"].get("DefaultVersionId")
    answer = reader.call(
        iam, "get_policy_version", part=part, unknown=arn, PolicyArn=arn, VersionId=version
    )
    if answer is None or answer is MISSING:
        return None
    return document(answer["PolicyVersion"].get("Document"))


def read_iam(reader: Reader) -> IamPart | None:
    """The account's IAM, or None (and a gap making the account unknown) when it is denied."""
    iam = reader.client("iam")
    details = reader.everything(
        iam, "get_account_authorization_details", part="IAM", unknown=reader.account
    )
    if isinstance(details, Missing):
        return None
    builder = _Builder(reader, details)
    section = builder.section()
    part = IamPart(section=section)
    for arn in sorted(_referenced(section)):
        doc = builder.aws_docs.get(arn)
        if doc is None and shipped_policy_by_arn(arn) is None:
            doc = _fetch_aws_policy(reader, arn)
        if doc is not None and _parses(doc, Layer.IDENTITY) is None:
            part.aws_policies[arn] = doc
    return part
