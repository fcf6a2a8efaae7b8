"""Read CloudTrail AccessDenied records into requests the world can evaluate.

Accepted shapes: a CloudTrail log file ``{"Records": [...]}`` and ``aws cloudtrail
lookup-events`` output ``{"Events": [{"CloudTrailEvent": "<json>"}, ...]}``, or a bare list of
either kind of item. One malformed record does not discard the others: it is reported as an
``InputError`` with the file and its pointer (``/Records/3``), and every good record is
read. Record fields:
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
and ``userIdentity``: .../cloudtrail-event-reference-user-identity.html
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from backup_access.diagnose.families import MessageFamily
from backup_access.diagnose.messages import MessageKind, ParsedMessage, parse_error_message
from backup_access.diagnose.passrole import is_pass_role
from backup_access.diagnose.unwrap import Evidence
from backup_access.errors import InputError

ACCESS_DENIED_CODES = frozenset(
    {
        "accessdenied",
        "accessdeniedexception",
        "client.unauthorizedoperation",
        "unauthorizedoperation",
        "client.unauthorizedaccess",
        "unauthorizedaccess",
        "kms.accessdeniedexception",
    }
)


@dataclass(frozen=True, slots=True)
class CloudTrailEvent:
    """One AccessDenied record: who called what on which resource, and what AWS said.

    ``principal`` is the caller (a role session ARN, user ARN, account root, or the service
    principal for calls a service made itself); ``via_service`` is the service that called
    on the caller's behalf (``userIdentity.invokedBy``); ``message`` is the parsed
    ``errorMessage`` (an access-denied form even when AWS gave no readable text).
    """

    pointer: str
    event_time: str | None
    event_source: str | None
    event_name: str | None
    action: str | None
    principal: str | None
    resource: str | None
    region: str | None
    account: str | None
    error_code: str
    message: ParsedMessage
    via_service: str | None = None
    source_ip: str | None = None
    vpc_endpoint_id: str | None = None
    role: str | None = None  # the role a session belongs to (sessionContext.sessionIssuer)
    caller: str | None = None  # userIdentity's principal, even when the message names another
    passed_role: str | None = None  # the role the operation passes (``_role_parameter``)


@dataclass(frozen=True, slots=True)
class CloudTrailParse:
    """The AccessDenied events of a file, the AccessDenied records that name no request
    ("<pointer>: why"), and the malformed records, each an error located in the file."""

    events: tuple[CloudTrailEvent, ...]
    skipped: tuple[str, ...]
    errors: tuple[InputError, ...] = ()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _service(event_source: str | None) -> str | None:
    if not event_source:
        return None
    return event_source.split(".", 1)[0]


def _principal(identity: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(principal, via service, issuing role) from ``userIdentity``."""
    kind = _text(identity.get("type"))
    invoked_by = _text(identity.get("invokedBy"))
    issuer = identity.get("sessionContext", {})
    issuer = issuer.get("sessionIssuer", {}) if isinstance(issuer, Mapping) else {}
    role = _text(issuer.get("arn")) if isinstance(issuer, Mapping) else None
    if kind == "AWSService":
        return invoked_by, None, None
    if kind == "AWSAccount":
        account = _text(identity.get("accountId"))
        return (f"arn:aws:iam::{account}:root" if account else None), invoked_by, None
    return _text(identity.get("arn")), invoked_by, role


def _key_arn(key: str, region: str | None, account: str | None) -> str | None:
    if key.startswith("arn:"):
        return key
    if not (region and account):
        return None
    if key.startswith("alias/"):
        return f"arn:aws:kms:{region}:{account}:{key}"
    return f"arn:aws:kms:{region}:{account}:key/{key}"


def _resource(record: Mapping[str, Any], service: str | None) -> str | None:
    """The resource the denied call was made on, when the record shows it."""
    params = record.get("requestParameters")
    params = params if isinstance(params, Mapping) else {}
    region = _text(record.get("awsRegion"))
    account = _text(record.get("recipientAccountId"))
    if service == "backup":
        for field in ("recoveryPointArn", "backupVaultArn", "resourceArn", "backupPlanArn"):
            if value := _text(params.get(field)):
                return value
        vault = _text(params.get("backupVaultName")) or _text(params.get("sourceBackupVaultName"))
        if vault and region and account:
            return f"arn:aws:backup:{region}:{account}:backup-vault:{vault}"
    if service == "kms" and (key := _text(params.get("keyId"))):
        return _key_arn(key, region, account)
    if service == "sts" and (role := _text(params.get("roleArn"))):
        return role
    resources = record.get("resources")
    if isinstance(resources, list) and resources and isinstance(resources[0], Mapping):
        return _text(resources[0].get("ARN"))
    return None


# The request parameter each operation passes its service role in, as its API page's request
# syntax names it (CloudTrail records requestParameters with the first letter in lower case):
# https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html,
# API_StartBackupJob.html, API_StartRestoreJob.html (IamRoleArn) and
# API_CreateBackupSelection.html (BackupSelection.IamRoleArn).
_ROLE_PARAMETERS: Mapping[str, tuple[str, ...]] = {
    "startcopyjob": ("IamRoleArn",),
    "startbackupjob": ("IamRoleArn",),
    "startrestorejob": ("IamRoleArn",),
    "createbackupselection": ("BackupSelection", "IamRoleArn"),
}


def _field(value: object, name: str) -> object:
    """``value[name]`` read case-blind (requestParameters use camelCase, the API PascalCase)."""
    if not isinstance(value, Mapping):
        return None
    return next(
        (v for k, v in value.items() if isinstance(k, str) and k.lower() == name.lower()), None
    )


def _role_parameter(record: Mapping[str, Any], event_name: str | None) -> str | None:
    """The role ARN the recorded operation passes, from its requestParameters; None when the
    operation passes none this tool knows of or the record does not hold it."""
    path = _ROLE_PARAMETERS.get((event_name or "").lower())
    if path is None:
        return None
    value: object = record.get("requestParameters")
    for name in path:
        value = _field(value, name)
    text = _text(value)
    return text if text and text.startswith("arn:") and ":role/" in text else None


def _role_path(event_name: str | None) -> str:
    path = _ROLE_PARAMETERS.get((event_name or "").lower(), ())
    return ".".join(name[:1].lower() + name[1:] for name in path)


class DeniedRequest(NamedTuple):
    """The request a record's errorMessage says was denied (None: the message names none)."""

    principal: str | None
    action: str | None
    resource: str | None


def _denied_request(
    message: ParsedMessage,
    event_action: str | None,
    event_resource: str | None,
    *,
    caller: str | None = None,
    passed_role: str | None = None,
) -> DeniedRequest:
    """What AWS says it denied, not what the record's eventName called: StartCopyJob is
    refused for the iam:PassRole it needs on the copy role, and the message names that
    request. The record's resource stands only for the event's own action (or when the
    message names no action at all). An iam:PassRole message that names no resource is the
    caller's PassRole of the role the operation passes (``passed_role``), when the message's
    principal is the record's caller; otherwise the resource stays unknown (None).
    Message forms: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"""
    if message.action is None:
        return DeniedRequest(message.principal, None, event_resource)
    same = event_action is not None and message.action.lower() == event_action.lower()
    resource = message.resource or (event_resource if same else None)
    by_caller = message.principal is None or (
        caller is not None and message.principal.lower() == caller.lower()
    )
    if resource is None and is_pass_role(message.action) and by_caller:
        resource = passed_role
    return DeniedRequest(message.principal, message.action, resource)


def _with_event_operation(
    message: ParsedMessage, event_name: str | None, service: str | None, record: Mapping[str, Any]
) -> ParsedMessage:
    """The message with the record's eventName as the operation it was denied in, as an SDK
    wrapper names it for ``--error`` (the catalogue reads iam:PassedToService from it)."""
    evidence = message.evidence
    if event_name is None or evidence.operation is not None:
        return message
    return replace(
        message,
        evidence=replace(
            evidence,
            wrappers=(*evidence.wrappers, "cloudtrail"),
            error_code=evidence.error_code or _text(record.get("errorCode")),
            operation=event_name,
            operation_from="cloudtrail",
            service=evidence.service or service,
            request_id=evidence.request_id or _text(record.get("requestID")),
        ),
    )


def _event(record: Mapping[str, Any], pointer: str) -> CloudTrailEvent | str:
    """The event, or why the record cannot be used."""
    identity = record.get("userIdentity")
    if not isinstance(identity, Mapping):
        return "no userIdentity"
    event_source = _text(record.get("eventSource"))
    event_name = _text(record.get("eventName"))
    service = _service(event_source)
    action = f"{service}:{event_name}" if service and event_name else None
    principal, via_service, role = _principal(identity)
    caller = principal
    passed_role = _role_parameter(record, event_name)
    resource = _resource(record, service)
    error_text = _text(record.get("errorMessage")) or ""
    message = parse_error_message(error_text)
    if message.kind is MessageKind.ACCESS_DENIED:
        named = _denied_request(message, action, resource, caller=caller, passed_role=passed_role)
        if named.action and action and named.action.lower() != action.lower():
            said = f"CloudTrail recorded {event_name}; its errorMessage says AWS denied "
            said += f"{named.action} on {named.resource or 'a resource it does not name'}"
            said += ", the request evaluated here"
            if message.resource is None and named.resource is not None:
                said += (
                    f" (the role is the record's requestParameters {_role_path(event_name)}, "
                    f"the role {event_name} passes)"
                )
            message = replace(message, notes=(*message.notes, said))
        principal = named.principal or principal
        action, resource = named.action or action, named.resource
        message = _with_event_operation(message, event_name, service, record)
    if principal is None or action is None:
        return "the record names no caller or no action"
    if message.kind is not MessageKind.ACCESS_DENIED or message.action is None:
        # The error code says access was denied even when the text names no request.
        message = ParsedMessage(
            MessageKind.ACCESS_DENIED,
            error_text,
            principal=principal,
            action=action,
            resource=resource,
            family=MessageFamily.GENERIC_ACCESS_DENIED
            if error_text
            else MessageFamily.EMPTY_ACCESS_DENIED,
            evidence=Evidence(
                wrappers=("cloudtrail",),
                error_code=str(record.get("errorCode")),
                operation=event_name,
                operation_from="cloudtrail",
                service=service,
                request_id=_text(record.get("requestID")),
            ),
            notes=(
                "CloudTrail recorded an access denial"
                + (" without a readable message" if error_text else " without a message"),
            ),
        )
    return CloudTrailEvent(
        pointer=pointer,
        event_time=_text(record.get("eventTime")),
        event_source=event_source,
        event_name=event_name,
        action=action,
        principal=principal,
        resource=resource,
        region=_text(record.get("awsRegion")),
        account=_text(record.get("recipientAccountId")),
        error_code=str(record.get("errorCode")),
        message=message,
        via_service=via_service,
        source_ip=_text(record.get("sourceIPAddress")),
        vpc_endpoint_id=_text(record.get("vpcEndpointId")),
        role=role,
        caller=caller,
        passed_role=passed_role,
    )


def _records(document: object, errors: list[InputError]) -> list[tuple[str, object]]:
    """(pointer, record) for every record, whatever the file's shape; a lookup-events item
    that cannot be read becomes an error and the others are kept."""
    if isinstance(document, Mapping):
        if isinstance(document.get("Records"), list):
            return [(f"/Records/{i}", r) for i, r in enumerate(document["Records"])]
        if isinstance(document.get("Events"), list):
            return _lookup_events(document["Events"], "/Events", errors)
        raise InputError(
            'expected a CloudTrail file {"Records": [...]} or lookup-events output '
            '{"Events": [...]}',
            pointer="",
        )
    if isinstance(document, list):
        if document and isinstance(document[0], Mapping) and "CloudTrailEvent" in document[0]:
            return _lookup_events(document, "", errors)
        return [(f"/{i}", r) for i, r in enumerate(document)]
    raise InputError("a CloudTrail file must hold an object or a list", pointer="")


def _lookup_events(
    events: list[object], pointer: str, errors: list[InputError]
) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for index, item in enumerate(events):
        here = f"{pointer}/{index}"
        if not isinstance(item, Mapping) or "CloudTrailEvent" not in item:
            errors.append(InputError("a lookup-events item needs CloudTrailEvent", pointer=here))
            continue
        raw = item["CloudTrailEvent"]
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except (ValueError, RecursionError):
                errors.append(
                    InputError(
                        "CloudTrailEvent is not valid JSON", pointer=f"{here}/CloudTrailEvent"
                    )
                )
                continue
        out.append((f"{here}/CloudTrailEvent", raw))
    return out


def read_cloudtrail(document: object, *, file: str | None = None) -> CloudTrailParse:
    """Every AccessDenied record of ``document``, the ones that had to be skipped, and the
    malformed ones as errors located in ``file``. Raises ``InputError`` only when the
    document as a whole is not a CloudTrail file."""
    events: list[CloudTrailEvent] = []
    skipped: list[str] = []
    errors: list[InputError] = []
    try:
        records = _records(document, errors)
    except InputError as error:
        raise error.located(file=file) from None
    for pointer, record in records:
        if not isinstance(record, Mapping):
            errors.append(InputError("a CloudTrail record must be an object", pointer=pointer))
            continue
        code = record.get("errorCode")
        if code is not None and not isinstance(code, str):
            errors.append(InputError("errorCode must be a string", pointer=f"{pointer}/errorCode"))
            continue
        if not isinstance(code, str) or code.lower() not in ACCESS_DENIED_CODES:
            continue
        event = _event(record, pointer)
        if isinstance(event, str):
            skipped.append(f"{pointer}: {event}")
        else:
            events.append(event)
    located = tuple(error.located(file=file) for error in errors)
    return CloudTrailParse(tuple(events), tuple(skipped), located)


def parse_cloudtrail(document: object) -> list[CloudTrailEvent]:
    """The AccessDenied events of a CloudTrail file or lookup-events output."""
    return list(read_cloudtrail(document).events)
