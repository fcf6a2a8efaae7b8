"""Find the policy documents in a file: a policy, AWS CLI output, a CloudFormation template
or a Terraform plan (``terraform show -json``)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from backup_access.errors import InputError
from backup_access.lint.intrinsics import is_opaque, resolve
from backup_access.lint.kinds import KindGuess, as_list, detect_kind, statements_of
from backup_access.lint.managed import is_aws_managed_arn, shipped_copy_arn
from backup_access.lint.model import PolicyKind, PolicySource, Position
from backup_access.policy.pointer import escape_pointer_token

# CloudFormation: resource type → (property path, kind, vault access policy?)
_CFN_POLICIES: dict[str, tuple[tuple[str, PolicyKind, bool], ...]] = {
    "AWS::Backup::BackupVault": (("AccessPolicy", PolicyKind.RESOURCE, True),),
    "AWS::Backup::LogicallyAirGappedBackupVault": (("AccessPolicy", PolicyKind.RESOURCE, True),),
    "AWS::IAM::Policy": (("PolicyDocument", PolicyKind.IDENTITY, False),),
    "AWS::IAM::ManagedPolicy": (("PolicyDocument", PolicyKind.IDENTITY, False),),
    "AWS::IAM::RolePolicy": (("PolicyDocument", PolicyKind.IDENTITY, False),),
    "AWS::IAM::UserPolicy": (("PolicyDocument", PolicyKind.IDENTITY, False),),
    "AWS::IAM::GroupPolicy": (("PolicyDocument", PolicyKind.IDENTITY, False),),
    "AWS::IAM::Role": (
        ("AssumeRolePolicyDocument", PolicyKind.TRUST, False),
        ("Policies/*/PolicyDocument", PolicyKind.IDENTITY, False),
    ),
    "AWS::IAM::User": (("Policies/*/PolicyDocument", PolicyKind.IDENTITY, False),),
    "AWS::IAM::Group": (("Policies/*/PolicyDocument", PolicyKind.IDENTITY, False),),
    "AWS::KMS::Key": (("KeyPolicy", PolicyKind.KMS_KEY, False),),
    "AWS::KMS::ReplicaKey": (("KeyPolicy", PolicyKind.KMS_KEY, False),),
}
_ORG_POLICY_KINDS = {
    "SERVICE_CONTROL_POLICY": PolicyKind.SCP,
    "RESOURCE_CONTROL_POLICY": PolicyKind.RCP,
}
# Terraform: resource type → (attribute path, kind, vault access policy?)
_TF_POLICIES: dict[str, tuple[tuple[str, PolicyKind, bool], ...]] = {
    "aws_backup_vault_policy": (("policy", PolicyKind.RESOURCE, True),),
    "aws_iam_policy": (("policy", PolicyKind.IDENTITY, False),),
    "aws_iam_role_policy": (("policy", PolicyKind.IDENTITY, False),),
    "aws_iam_user_policy": (("policy", PolicyKind.IDENTITY, False),),
    "aws_iam_group_policy": (("policy", PolicyKind.IDENTITY, False),),
    "aws_iam_role": (
        ("assume_role_policy", PolicyKind.TRUST, False),
        ("inline_policy/*/policy", PolicyKind.IDENTITY, False),
    ),
    "aws_kms_key": (("policy", PolicyKind.KMS_KEY, False),),
    "aws_kms_key_policy": (("policy", PolicyKind.KMS_KEY, False),),
    "aws_kms_replica_key": (("policy", PolicyKind.KMS_KEY, False),),
}


class NotAPolicyError(InputError):
    """Valid JSON/YAML that holds no policy, template, plan or CLI output: a file found by
    walking a directory is then skipped, a file named on the command line is an error."""


def extract(
    value: Any, positions: dict[str, Position], *, kind: PolicyKind | None
) -> list[PolicySource]:
    """Every policy in a decoded file, or an ``InputError`` saying what the file is not."""
    if isinstance(value, Mapping) and "Statement" in value:
        return [_source(value, "", None, _given(kind) or detect_kind(value), positions)]
    if (
        isinstance(value, Mapping)
        and isinstance(value.get("document"), Mapping)
        and is_aws_managed_arn(value.get("arn"))
    ):  # an AWS managed policy record: {"arn": "arn:aws:iam::aws:policy/…", "document": {…}}
        document = value["document"]
        guess = _given(kind) or KindGuess(PolicyKind.IDENTITY)
        return [_source(document, "/document", None, guess, positions, aws_managed=value["arn"])]
    if isinstance(value, Mapping) and isinstance(value.get("Resources"), Mapping):
        return list(_cloudformation(value, positions))
    if (
        isinstance(value, Mapping)
        and "format_version" in value
        and ("planned_values" in value or "resource_changes" in value or "values" in value)
    ):
        return list(_terraform(value, positions))
    if isinstance(value, Mapping):
        found = _cli_output(value, positions, kind)
        if found is not None:
            return [found]
    raise NotAPolicyError(
        "not a policy document, CloudFormation template, Terraform plan or AWS CLI output "
        "holding a policy (expected a Statement, Resources, format_version or Policy element)"
    )


def _cli_output(
    value: Mapping[str, Any], positions: dict[str, Position], kind: PolicyKind | None
) -> PolicySource | None:
    """AWS CLI output holding one policy: ``backup get-backup-vault-access-policy`` and
    ``kms get-key-policy`` (``Policy`` text), ``organizations describe-policy``
    (``Policy.Content``), ``iam get-role-policy`` and friends (``PolicyDocument``),
    ``iam get-policy-version`` (``PolicyVersion.Document``)."""
    guessed: KindGuess | None = None
    vault = "BackupVaultName" in value or "BackupVaultArn" in value
    policy = value.get("Policy")
    if isinstance(policy, str):
        pointer, raw = "/Policy", policy
        guessed = (
            KindGuess(PolicyKind.KMS_KEY)
            if "PolicyName" in value
            else KindGuess(PolicyKind.RESOURCE)
            if vault
            else None
        )
    elif isinstance(policy, Mapping) and isinstance(policy.get("Content"), str):
        pointer, raw = "/Policy/Content", policy["Content"]
        summary = policy.get("PolicySummary")
        org_type = summary.get("Type") if isinstance(summary, Mapping) else None
        org_kind = _ORG_POLICY_KINDS.get(str(org_type))
        guessed = KindGuess(org_kind) if org_kind else None
    elif "PolicyDocument" in value:
        pointer, raw = "/PolicyDocument", value["PolicyDocument"]
        guessed = KindGuess(PolicyKind.IDENTITY)
    elif isinstance(value.get("PolicyVersion"), Mapping) and "Document" in value["PolicyVersion"]:
        pointer, raw = "/PolicyVersion/Document", value["PolicyVersion"]["Document"]
        guessed = KindGuess(PolicyKind.IDENTITY)
    else:
        return None
    embedded = isinstance(raw, str)
    document = _embedded(raw, pointer) if embedded else raw
    return _source(
        document,
        pointer,
        None,
        _given(kind) or guessed or detect_kind(document),
        positions,
        embedded=embedded,
        vault=vault or None,
    )


def _given(kind: PolicyKind | None) -> KindGuess | None:
    """The kind the user gave (``--kind``, ``--kind-for``, a directive): never a guess."""
    return KindGuess(kind) if kind is not None else None


def is_vault_policy(document: Any) -> bool:
    """A resource policy whose actions are all AWS Backup ones: a vault access policy."""
    actions = [a.lower() for item in statements_of(document) for a in as_list(item.get("Action"))]
    return bool(actions) and all(a.startswith("backup:") for a in actions)


def _source(
    document: Any,
    pointer: str,
    origin: str | None,
    kind: KindGuess | PolicyKind,
    positions: dict[str, Position],
    *,
    embedded: bool = False,
    vault: bool | None = None,
    disabled: frozenset[str] = frozenset(),
    aws_managed: str = "",
    templated: bool = False,
) -> PolicySource:
    guess = kind if isinstance(kind, KindGuess) else KindGuess(kind)
    if vault is None:
        vault = guess.kind is PolicyKind.RESOURCE and is_vault_policy(document)
    return PolicySource(
        document,
        guess.kind,
        pointer,
        origin,
        positions,
        embedded,
        vault,
        disabled,
        kind_note=guess.note,
        aws_managed=aws_managed or shipped_copy_arn(document),
        templated=templated,
    )


def _embedded(text: str, pointer: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise InputError(f"policy text is not valid JSON: {error}", pointer=pointer) from None


def _walk(value: Any, path: str, pointer: str) -> Iterator[tuple[str, Any]]:
    """Values at a ``/``-separated path where ``*`` means every list item."""
    head, _, rest = path.partition("/")
    children: list[tuple[str | int, Any]]
    if head == "*":
        children = list(enumerate(value)) if isinstance(value, list) else []
    elif isinstance(value, Mapping) and head in value:
        children = [(head, value[head])]
    else:
        children = []
    for key, child in children:
        here = f"{pointer}/{escape_pointer_token(key)}"
        if rest:
            yield from _walk(child, rest, here)
        else:
            yield here, child


def _cloudformation(
    template: Mapping[str, Any], positions: dict[str, Position]
) -> Iterator[PolicySource]:
    template_disabled = _metadata_disabled(template.get("Metadata"))
    _alias_chosen_branches(positions)
    for name, resource in template["Resources"].items():
        if not isinstance(resource, Mapping) or not isinstance(resource.get("Properties"), Mapping):
            continue
        kind_paths = _CFN_POLICIES.get(str(resource.get("Type")), ())
        properties = resource["Properties"]
        if resource.get("Type") == "AWS::Organizations::Policy":
            org_kind = _ORG_POLICY_KINDS.get(str(properties.get("Type")))
            kind_paths = (("Content", org_kind, False),) if org_kind else ()
        disabled = template_disabled | _metadata_disabled(resource.get("Metadata"))
        base = f"/Resources/{escape_pointer_token(name)}/Properties"
        for path, policy_kind, vault in kind_paths:
            for pointer, raw in _walk(properties, path, base):
                document = resolve(raw)
                embedded = isinstance(document, str)
                if embedded and is_opaque(document.strip()) and document.strip()[:1] != "{":
                    continue  # !Ref / !ImportValue of a whole policy: its text is not known here
                if embedded:
                    document = _embedded(document, pointer)
                yield _source(
                    document,
                    pointer,
                    str(name),
                    policy_kind,
                    positions,
                    embedded=embedded,
                    vault=vault,
                    disabled=disabled,
                    templated=True,
                )


def _alias_chosen_branches(positions: dict[str, Position]) -> None:
    """``Fn::If`` is read as its first branch (see intrinsics), so a pointer into the
    resolved policy must find the position of that branch's element."""
    for pointer in [p for p in positions if "/Fn::If/1" in p]:
        positions.setdefault(pointer.replace("/Fn::If/1", ""), positions[pointer])


def _metadata_disabled(metadata: Any) -> frozenset[str]:
    """``Metadata: {backup-access: {disable: [BA020]}}`` on a template or a resource."""
    if not isinstance(metadata, Mapping):
        return frozenset()
    settings = metadata.get("backup-access")
    rules = settings.get("disable") if isinstance(settings, Mapping) else None
    return frozenset(str(rule).upper() for rule in as_list(rules))


def _terraform(plan: Mapping[str, Any], positions: dict[str, Position]) -> Iterator[PolicySource]:
    """``terraform show -json`` of a plan (``planned_values``, else the ``after`` side of
    ``resource_changes``) or of a state (``values``)."""
    for name in ("planned_values", "values"):
        container = plan.get(name)
        if isinstance(container, Mapping):
            yield from _terraform_module(
                container.get("root_module"), f"/{name}/root_module", positions
            )
            return
    changes = plan.get("resource_changes")
    for index, change in enumerate(changes if isinstance(changes, list) else []):
        after = change.get("change") if isinstance(change, Mapping) else None
        if isinstance(after, Mapping) and isinstance(after.get("after"), Mapping):
            resource = {**change, "values": after["after"]}
            yield from _terraform_resource(
                resource, f"/resource_changes/{index}/change/after", positions
            )


def _terraform_module(
    module: Any, pointer: str, positions: dict[str, Position]
) -> Iterator[PolicySource]:
    if not isinstance(module, Mapping):
        return
    for index, resource in enumerate(module.get("resources") or []):
        if isinstance(resource, Mapping):
            here = f"{pointer}/resources/{index}/values"
            yield from _terraform_resource(resource, here, positions)
    for index, child in enumerate(module.get("child_modules") or []):
        yield from _terraform_module(child, f"{pointer}/child_modules/{index}", positions)


def _terraform_resource(
    resource: Mapping[str, Any], base: str, positions: dict[str, Position]
) -> Iterator[PolicySource]:
    """The policies of one resource whose attribute values sit at ``base``."""
    if resource.get("mode", "managed") != "managed":
        return
    rtype = str(resource.get("type"))
    paths = _TF_POLICIES.get(rtype, ())
    values = resource.get("values")
    if rtype == "aws_organizations_policy" and isinstance(values, Mapping):
        org_kind = _ORG_POLICY_KINDS.get(str(values.get("type")))
        paths = (("content", org_kind, False),) if org_kind else ()
    for path, policy_kind, vault in paths:
        for here, raw in _walk(values, path, base):
            if isinstance(raw, str) and raw.strip():
                yield _source(
                    _embedded(raw, here),
                    here,
                    str(resource.get("address")),
                    policy_kind,
                    positions,
                    embedded=True,
                    vault=vault,
                )
