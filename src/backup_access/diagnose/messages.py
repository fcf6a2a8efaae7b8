"""Read what AWS said: access-denied messages and AWS Backup job messages.

IAM-style messages (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
``User: ARN is not authorized to perform: ACTION [on resource: ARN] because no TYPE policy
allows the ACTION action`` (implicit) or ``... with an explicit deny in a TYPE policy[: POLICY
ARN]`` (explicit), optionally followed by an authorization id
(troubleshoot_access-denied-authorization-id.html). SDKs add prefixes ("An error occurred
(AccessDeniedException) when calling the X operation: ") and suffixes ("status code: 403,
request id: …"); S3 quotes the resource. AWS Backup job messages name non-policy gates
(the AWS Backup developer guide's list of reasons for problematic jobs).
Parsing never raises: text that fits no known form is ``unrecognised``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class MessageKind(StrEnum):
    ACCESS_DENIED = "access_denied"
    GATE = "gate"
    UNRECOGNISED = "unrecognised"


class MessageGate(StrEnum):
    """Non-policy causes AWS Backup names in its job messages."""

    CROSS_ACCOUNT_BACKUP_DISABLED = "cross_account_backup_disabled"
    NOT_SAME_ORGANIZATION = "not_same_organization"
    DESTINATION_VAULT_DEFAULT_KEY = "destination_vault_default_key"
    AWS_MANAGED_KEY_NOT_SHAREABLE = "aws_managed_key_not_shareable"
    KMS_KEY_INACCESSIBLE = "kms_key_inaccessible"
    ROLE_NOT_ASSUMABLE = "role_not_assumable"
    ROLE_INSUFFICIENT_PERMISSIONS = "role_insufficient_permissions"
    RESOURCE_DESCRIBE_DENIED = "resource_describe_denied"
    BACKUP_SERVICE_ACCESS_DENIED = "backup_service_access_denied"
    RETENTION_OUT_OF_RANGE = "retention_out_of_range"
    UNSUPPORTED_FEATURE = "unsupported_feature"
    SOURCE_AMI_NOT_FOUND = "source_ami_not_found"


# The policy types AWS names in messages → the engine's layer names.
POLICY_LAYERS = {
    "identity-based": "identity",
    "resource-based": "resource",
    "permissions boundary": "boundary",
    "session": "session",
    "sessions": "session",
    "service control": "scp",
    "resource control": "rcp",
    "vpc endpoint": "endpoint",
    "role trust": "trust",
}


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """What a message says.

    ``principal``/``action``/``resource`` are the request (resource None when the message
    names none); ``explicit`` is True for "explicit deny", False for "no … policy allows",
    None when the message does not say; ``policy_type`` is AWS's words ("service control")
    and ``layer`` the engine's layer for it; ``gate`` names a non-policy cause, with ``role``
    or ``key`` when the message names one; ``note`` says anything worth telling the user.
    """

    kind: MessageKind
    text: str
    principal: str | None = None
    action: str | None = None
    resource: str | None = None
    explicit: bool | None = None
    policy_type: str | None = None
    layer: str | None = None
    policy_arn: str | None = None
    authorization_id: str | None = None
    gate: MessageGate | None = None
    role: str | None = None
    key: str | None = None
    operation: str | None = None
    note: str | None = None


MAX_MESSAGE_CHARS = 20_000
_ARN = r"arn:[a-z\-]+:[^\s\"'`,;]*"
_SDK_OPERATION = re.compile(r"when calling the (\w+) operation", re.IGNORECASE)
_AUTHORIZATION_ID = re.compile(r"authorization id:\s*([A-Za-z0-9+/=_\-.]+)", re.IGNORECASE)
_NOT_AUTHORIZED = re.compile(
    r"(?:User|Principal):\s*(?P<principal>\S+?)\s+is not authorized to perform:\s*"
    r"(?P<action>[\w\-]+:[\w\-*]+)"
    r"(?:\s+on resource:\s*\"?(?P<resource>[^\s\"]+)\"?)?",
    re.IGNORECASE,
)
_IMPLICIT = re.compile(
    r"because no (?P<type>identity-based|resource-based|permissions boundary|sessions?|"
    r"service control|resource control|vpc endpoint|role trust)(?: polic(?:y|ies))? allows?",
    re.IGNORECASE,
)
_EXPLICIT = re.compile(
    r"with an explicit deny in (?:a|an|the) (?P<type>identity-based|resource-based|"
    r"permissions boundary|sessions?|service control|resource control|vpc endpoint|"
    r"role trust) polic(?:y|ies)(?::\s*(?P<arn>" + _ARN + r"))?",
    re.IGNORECASE,
)
_GATES: tuple[tuple[re.Pattern[str], MessageGate], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE | re.DOTALL), gate)
    for pattern, gate in (
        (r"cross-account copy feature is not enabled", MessageGate.CROSS_ACCOUNT_BACKUP_DISABLED),
        (r"must be a member of the same organization", MessageGate.NOT_SAME_ORGANIZATION),
        (
            r"encrypted with the default backup service managed key",
            MessageGate.DESTINATION_VAULT_DEFAULT_KEY,
        ),
        (
            r"(?:aws managed key can.?t be shared|default key cannot be shared)",
            MessageGate.AWS_MANAGED_KEY_NOT_SHAREABLE,
        ),
        (
            r"(?:key id is not accessible|access to kms key is denied|kms key .*does not "
            r"exist, is not enabled or you do not have permissions)",
            MessageGate.KMS_KEY_INACCESSIBLE,
        ),
        (r"cannot be assumed by aws backup", MessageGate.ROLE_NOT_ASSUMABLE),
        (
            r"(?:does not have sufficient permissions to execute|consult the permissions "
            r"associated with your aws backup role)",
            MessageGate.ROLE_INSUFFICIENT_PERMISSIONS,
        ),
        (r"aws backup does not have permission to describe", MessageGate.RESOURCE_DESCRIBE_DENIED),
        (
            r"access denied trying to call aws backup service",
            MessageGate.BACKUP_SERVICE_ACCESS_DENIED,
        ),
        (r"retention specified in the job is not within", MessageGate.RETENTION_OUT_OF_RANGE),
        (r"feature is not supported for provided resource type", MessageGate.UNSUPPORTED_FEATURE),
        (r"source ami not found", MessageGate.SOURCE_AMI_NOT_FOUND),
    )
)
_ROLE = re.compile(r"(arn:[a-z\-]+:iam::\d{12}:role/[\w+=,.@\-/]+)")
_KEY = re.compile(r"(arn:[a-z\-]+:kms:[a-z0-9\-]+:\d{12}:(?:key|alias)/[\w\-/]+)")
_RESOURCE = re.compile(r"describe resource\s+(" + _ARN + r")", re.IGNORECASE)
_EMPTY_403 = re.compile(r"^\W*(?:AccessDenied(?:Exception)?)?\W*(?:status code:\s*403\b.*)?$", re.I)


def _clean(value: str | None) -> str | None:
    return None if value is None else value.rstrip(".,;:)'\"")


def _sdk_operation(text: str) -> str | None:
    found = _SDK_OPERATION.search(text)
    return found.group(1) if found else None


def _access_denied(text: str, found: re.Match[str]) -> ParsedMessage:
    explicit: bool | None = None
    policy_type: str | None = None
    policy_arn: str | None = None
    rest = text[found.end() :]
    if deny := _EXPLICIT.search(rest):
        explicit, policy_type, policy_arn = True, deny.group("type"), _clean(deny.group("arn"))
    elif no_allow := _IMPLICIT.search(rest):
        explicit, policy_type = False, no_allow.group("type")
    policy_type = policy_type.lower() if policy_type else None
    authorization = _AUTHORIZATION_ID.search(rest)
    return ParsedMessage(
        kind=MessageKind.ACCESS_DENIED,
        text=text,
        principal=_clean(found.group("principal")),
        action=found.group("action"),
        resource=_clean(found.group("resource")),
        explicit=explicit,
        policy_type=policy_type,
        layer=POLICY_LAYERS.get(policy_type) if policy_type else None,
        policy_arn=policy_arn,
        authorization_id=_clean(authorization.group(1)) if authorization else None,
        operation=_sdk_operation(text),
        note=None
        if explicit is not None
        else "the message does not say which policy type denied it (older message form)",
    )


def _gate(text: str, gate: MessageGate) -> ParsedMessage:
    role = _ROLE.search(text)
    key = _KEY.search(text)
    resource = _RESOURCE.search(text)
    return ParsedMessage(
        kind=MessageKind.GATE,
        text=text,
        gate=gate,
        role=_clean(role.group(1)) if role else None,
        key=_clean(key.group(1)) if key else None,
        resource=_clean(resource.group(1)) if resource else None,
        operation=_sdk_operation(text),
    )


def parse_error_message(text: str) -> ParsedMessage:
    """Read one message; never raises."""
    if not isinstance(text, str):
        return ParsedMessage(MessageKind.UNRECOGNISED, str(text), note="not text")
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS]
    flat = " ".join(text.split())
    if found := _NOT_AUTHORIZED.search(flat):
        return _access_denied(flat, found)
    for pattern, gate in _GATES:
        if pattern.search(flat):
            return _gate(flat, gate)
    note = "no known access-denied or AWS Backup message form"
    if _EMPTY_403.match(flat):
        note = (
            "AWS returned an access denied with no message (seen with CreateBackupVault in "
            "some SDKs): give the operation and its parameters instead"
        )
    return ParsedMessage(MessageKind.UNRECOGNISED, flat, operation=_sdk_operation(flat), note=note)
