"""An account's IAM as a world's ``iam`` section, from ``GetAccountAuthorizationDetails``.

One paginated call returns users, groups, roles (path, trust policy, permissions boundary,
tags, inline and attached policies) and managed policies with their versions
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
Customer managed policies are written by name with their default version; AWS managed
policies by ARN, their documents taken from the same answer, else from the copies shipped
with backup-access, else fetched with ``iam:GetPolicy`` and ``iam:GetPolicyVersion``.
A document our parser refuses, or whose text writes a key twice (``policy_text``), is left
out with its owner, as a gap, so that the world stays loadable and the owner reads as
unknown rather than as having fewer policies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from backup_access.collect.calls import MISSING, Gap, Missing, Reader
from backup_access.collect.policy_text import POLICY_TEXT, decode_policy, keep_iam_policy_text
from backup_access.errors import InputError
from backup_access.fields import policy as check_policy
from backup_access.policy.layer import Layer
from backup_access.world.managed import is_aws_managed_arn, shipped_policy_by_arn


@dataclass
class IamPart:
    """The ``iam`` section of one account and the AWS managed documents it references."""

    section: dict[str, Any] = field(default_factory=dict)
    aws_policies: dict[str, Any] = field(default_factory=dict)  # ARN -> document


class Read(NamedTuple):
    """A policy document read from AWS's text: ``document`` when our parser accepts it, else
    ``why`` not (a repeated key, invalid JSON or a grammar error)."""

    document: Any
    why: str | None


def read_document(raw: object, use: Layer) -> Read:
    """IAM's URL-encoded policy text (the IAM client keeps it as text:
    ``keep_iam_policy_text``), decoded and checked as a ``use`` policy."""
    try:
        doc = decode_policy(raw, source=POLICY_TEXT, url_encoded=True)
        check_policy(doc, "", use)
    except InputError as error:
        return Read(None, str(error))
    return Read(doc, None)


def _iam(reader: Reader) -> Any:
    return keep_iam_policy_text(reader.client("iam"))


def _tags(raw: list[dict[str, str]] | None) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in raw or []}


def _default_version(item: dict[str, Any]) -> object:
    """The default version's text, None when the answer lists none."""
    for version in item.get("PolicyVersionList") or []:
        if version.get("IsDefaultVersion"):
            return version.get("Document")
    return None


def _ref(arn: str, account: str) -> str:
    """How the world names an attached policy: the account's own by name, AWS's by ARN."""
    if is_aws_managed_arn(arn):
        return arn
    return arn.rsplit("/", 1)[-1] if f":{account}:policy/" in arn else arn


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
            text = _default_version(item)
            if text is None:
                continue
            name = item.get("PolicyName") or arn.rsplit("/", 1)[-1]
            doc, why = read_document(text, Layer.IDENTITY)
            aws = is_aws_managed_arn(arn)
            if why is not None:  # its holders are left out: they read as unknown
                self.bad_policies[arn if aws else name] = why
                self.gap(
                    f"AWS managed policy {arn}" if aws else f"customer managed policy {name}",
                    why,
                    arn,
                )
            elif aws:
                self.aws_docs[arn] = doc
            else:
                self.policies[name] = doc

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
            doc, why = read_document(entry.get("PolicyDocument"), Layer.IDENTITY)
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
            text = item.get("AssumeRolePolicyDocument")
            trust, why = (None, None) if text is None else read_document(text, Layer.RESOURCE)
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
    iam = _iam(reader)
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
    doc, why = read_document(answer["PolicyVersion"].get("Document"), Layer.IDENTITY)
    if why is not None:
        reader.log.add_gap(
            Gap(reader.account, None, part, "(parse)", f"not readable by backup-access: {why}", arn)
        )
    return doc


def read_iam(reader: Reader) -> IamPart | None:
    """The account's IAM, or None (and a gap making the account unknown) when it is denied."""
    iam = _iam(reader)
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
        if doc is not None:
            part.aws_policies[arn] = doc
    return part
