"""Read what AWS said: access-denied messages, AWS Backup job messages, and the rest.

IAM-style messages (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
``User: ARN is not authorized to perform: ACTION [on resource: ARN] because no TYPE policy
allows the ACTION action`` (implicit) or ``... with an explicit deny in a TYPE policy[: POLICY
ARN]`` (explicit), optionally followed by an authorization id
(troubleshoot_access-denied-authorization-id.html). Encoded authorization failure messages
and the JSON ``sts decode-authorization-message`` prints
(https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html).
Everything else is a family of ``diagnose.families``. The wrapper a tool put around the
message is read by ``diagnose.unwrap`` and kept as evidence; masked ids by
``diagnose.masking``. Parsing never raises: text that fits no known form is ``unrecognised``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from backup_access.diagnose.families import (
    Family,
    MessageFamily,
    MessageGate,
    MessageKind,
    match_family,
)
from backup_access.diagnose.job_fields import JobFields, job_in_paste, read_job_fields
from backup_access.diagnose.masking import MaskedField, masked_arn
from backup_access.diagnose.unwrap import MAX_MESSAGE_CHARS, Evidence, Unwrapped, unwrap
from backup_access.engine.model import Layer


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """What a message says.

    ``principal``/``action``/``resource`` are the request (None when the message names
    none); ``explicit`` is True for "explicit deny", False for "no … policy allows", None
    when the message does not say; ``policy_type`` is AWS's words ("service control") and
    ``layer`` the engine's layer for it; ``family`` the kind of message and ``gate`` a
    non-policy cause, with ``role`` or ``key`` when the message names one; ``evidence`` is
    what the wrapper said (operation, error code, request id); ``job`` the fields of the job
    around a job message (its vaults, role, retention); ``masked`` the fields the user masked
    (unknown, not errors); ``notes`` what is worth telling about the reading.
    """

    kind: MessageKind
    text: str
    principal: str | None = None
    action: str | None = None
    resource: str | None = None
    explicit: bool | None = None
    policy_type: str | None = None
    layer: Layer | None = None
    policy_arn: str | None = None
    authorization_id: str | None = None
    gate: MessageGate | None = None
    role: str | None = None
    key: str | None = None
    family: MessageFamily = MessageFamily.UNRECOGNISED
    evidence: Evidence = field(default_factory=Evidence)
    job: JobFields = field(default_factory=JobFields)
    masked: tuple[MaskedField, ...] = ()
    notes: tuple[str, ...] = ()
    encoded: str | None = None  # an encoded authorization failure message, to decode

    @property
    def operation(self) -> str | None:
        """The API operation the wrapper names (CreateBackupVault), when it names one."""
        return self.evidence.operation

    @property
    def note(self) -> str | None:
        return "; ".join(self.notes) if self.notes else None

    @property
    def is_masked(self) -> bool:
        return bool(self.masked)


_ARN = r"arn:[a-z-]{1,16}:[^\s\"'`,;]{0,2048}"
_NOT_AUTHORIZED = re.compile(
    r"(?:User|Principal):?\s{0,4}(?P<principal>\S{1,512}?)\s{1,4}is not authorized to perform:"
    r"\s{0,4}(?P<action>[\w-]{1,64}:[\w*-]{1,128})"
    r"(?:\s{1,4}on resource:\s{0,4}\"?(?P<resource>[^\s\"]{1,2048})\"?)?",
    re.IGNORECASE,
)
# AWS's words for each policy type, as Layer.aws_words lists them (longest first, so
# "sessions" is not read as "session").
_POLICY_TYPE = (
    r"(?P<type>"
    + "|".join(
        re.escape(words)
        for words in sorted(
            (words for layer in Layer for words in layer.aws_words), key=len, reverse=True
        )
    )
    + r")"
)
_IMPLICIT = re.compile(
    r"because no " + _POLICY_TYPE + r"(?: polic(?:y|ies))? allows?", re.IGNORECASE
)
_EXPLICIT = re.compile(
    r"with an explicit deny in (?:a|an|the) " + _POLICY_TYPE + r" polic(?:y|ies)"
    r"(?::\s{0,4}(?P<arn>" + _ARN + r"))?",
    re.IGNORECASE,
)
_AUTHORIZATION_ID = re.compile(r"authorization id:\s{0,4}([\w+/=.-]{1,1024})", re.IGNORECASE)
_ENCODED = re.compile(
    r"encoded authorization failure message:\s{0,4}([\w+/=-]{8,16000})", re.IGNORECASE
)
_ROLE = re.compile(r"(arn:[a-z-]{1,16}:iam::[^:\s]{0,32}:role/[\w+=,.@/-]{1,512})")
_KEY = re.compile(
    r"(arn:[a-z-]{1,16}:kms:[a-z0-9-]{0,32}:[^:\s]{0,32}:(?:key|alias)/[\w/-]{1,256})"
)
_ANY_ARN = re.compile(_ARN)
_RESOURCE = re.compile(r"describe resource\s{1,4}(" + _ARN + r")", re.IGNORECASE)


_ECHO_CHARS = 600
"""Longest echo of what AWS said: AWS messages are shorter; a longer text is a paste the
reader could not narrow down, and only its ends are worth showing."""


def _echo(text: str) -> str:
    """``text`` short enough to echo: its head and tail, saying how much was left out."""
    if len(text) <= _ECHO_CHARS:
        return text
    head, tail = text[: _ECHO_CHARS - 150], text[-100:]
    return f"{head} … ({len(text) - len(head) - len(tail):,} characters left out) … {tail}"


def _clean(value: str | None) -> str | None:
    return None if value is None else value.rstrip(".,;:)'\"]")


def _masked(*fields: tuple[str, str | None]) -> tuple[MaskedField, ...]:
    found = (masked_arn(name, value) for name, value in fields)
    return tuple(m for m in found if m is not None)


def _mask_notes(masked: tuple[MaskedField, ...]) -> tuple[str, ...]:
    return tuple(
        f"the {m.field} is unknown: '{m.value}' is {m.why}; the rest of the message was read"
        for m in masked
    )


@dataclass(frozen=True, slots=True)
class _PastedJob:
    """The fields of the job printed around the message, and the note on which job of a list
    they are from (None for one job)."""

    fields: JobFields
    note: str | None


def _pasted_job(read: Unwrapped) -> _PastedJob:
    """The job around the message (diagnose.job_fields): the one of a list whose status is read."""
    one_job = job_in_paste(read.flat)
    return _PastedJob(read_job_fields(one_job.text), one_job.note)


def _access_denied(read: Unwrapped, text: str, found: re.Match[str]) -> ParsedMessage:
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
    principal = _clean(found.group("principal"))
    resource = _clean(found.group("resource"))
    masked = _masked(("principal", principal), ("resource", resource), ("policy", policy_arn))
    job = _pasted_job(read)  # a job whose StatusMessage is this message: its role, type…
    notes = [*read.notes, *_mask_notes(masked), *([job.note] if job.note else [])]
    if explicit is None:
        notes.append("the message does not say which policy type denied it (older message form)")
    return ParsedMessage(
        kind=MessageKind.ACCESS_DENIED,
        text=_echo(text[found.start() :] if found.start() else (read.message or text)),
        principal=principal,
        action=found.group("action"),
        resource=resource,
        explicit=explicit,
        policy_type=policy_type,
        layer=Layer.from_aws_words(policy_type) if policy_type else None,
        policy_arn=policy_arn,
        authorization_id=_clean(authorization.group(1)) if authorization else None,
        family=MessageFamily.IAM_NOT_AUTHORIZED,
        evidence=read.evidence,
        job=job.fields,
        masked=masked,
        # EC2 appends the encoded form to its readable message: decoding it names the
        # statements that matched (troubleshoot_access-denied-authorization-id.html).
        encoded=encoded.group(1) if (encoded := _ENCODED.search(rest)) else None,
        notes=tuple(notes),
    )


def _family_message(read: Unwrapped, text: str, row: Family) -> ParsedMessage:
    role = _ROLE.search(text)
    key = _KEY.search(text)
    resource = _RESOURCE.search(text)
    pasted = _pasted_job(read)
    job = pasted.fields
    role_arn = _clean(role.group(1)) if role else None
    key_arn = _clean(key.group(1)) if key else None
    resource_arn = _clean(resource.group(1)) if resource else None
    if resource_arn is None:  # the first other ARN the message names (a job's resource)
        for found in _ANY_ARN.finditer(text):
            candidate = _clean(found.group(0))
            if candidate and candidate not in (role_arn, key_arn):
                resource_arn = candidate
                break
    # the job printed around the message names its role and resource when AWS's text does not
    if role_arn is None and job.role and job.role.startswith("arn:"):
        role_arn = job.role
    if resource_arn is None and job.resource and job.resource.startswith("arn:"):
        resource_arn = job.resource
    masked = _masked(("role", role_arn), ("key", key_arn), ("resource", resource_arn))
    return ParsedMessage(
        kind=row.kind,
        text=_echo(read.message or text),
        gate=row.gate,
        role=role_arn,
        key=key_arn,
        resource=resource_arn,
        family=row.family,
        evidence=read.evidence,
        job=job,
        masked=masked,
        notes=(*read.notes, *_mask_notes(masked), *([pasted.note] if pasted.note else [])),
    )


def _decoded(text: str) -> ParsedMessage | None:
    """The JSON ``sts decode-authorization-message`` prints (whole, or its DecodedMessage)."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
        if isinstance(data, dict) and isinstance(data.get("DecodedMessage"), str):
            stripped = data["DecodedMessage"].strip()  # echo AWS's message, not its escaping
            data = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("context"), dict):
        return None
    context = data["context"]
    who = context.get("principal")
    principal = None
    if isinstance(who, dict):
        principal = next(
            (str(who[k]) for k in ("arn", "name", "id") if isinstance(who.get(k), str)), None
        )
    action = context.get("action") if isinstance(context.get("action"), str) else None
    resource = context.get("resource") if isinstance(context.get("resource"), str) else None
    explicit = data.get("explicitDeny") if isinstance(data.get("explicitDeny"), bool) else None
    notes: list[str] = []
    if data.get("allowed") is True:
        notes.append("the decoded message says the request was allowed")
    conditions = context.get("conditions")
    items = conditions.get("items") if isinstance(conditions, dict) else None
    if isinstance(items, list) and items:
        notes.append(
            f"the request carried {len(items)} condition key value(s); they are not used here: "
            "give them in a request file (simulate) to evaluate with them"
        )
    masked = _masked(("principal", principal), ("resource", resource))
    if explicit is None:
        notes.append("the decoded message does not say whether an explicit deny decided it")
    return ParsedMessage(
        kind=MessageKind.ACCESS_DENIED if action else MessageKind.UNRECOGNISED,
        text=_echo(stripped),
        principal=principal,
        action=action,
        resource=resource,
        explicit=explicit,
        family=MessageFamily.DECODED_AUTHORIZATION,
        masked=masked,
        notes=(*notes, *_mask_notes(masked)),
    )


def parse_error_message(text: str) -> ParsedMessage:
    """Read one pasted message; never raises."""
    if not isinstance(text, str):
        return ParsedMessage(MessageKind.UNRECOGNISED, str(text), notes=("not text",))
    if len(text) <= MAX_MESSAGE_CHARS and (decoded := _decoded(text)) is not None:
        return decoded
    read = unwrap(text)
    flat = read.flat
    # AWS's message as the wrapper gave it (XML, JSON) when it holds the request, else the
    # whole paste: the wrapper may have been misread, the message is in it either way.
    for source in (read.message, flat):
        if found := _NOT_AUTHORIZED.search(source):
            return _access_denied(read, source, found)
    if encoded := _ENCODED.search(flat):
        return ParsedMessage(
            kind=MessageKind.ENCODED,
            text=_echo(read.message or flat),
            family=MessageFamily.ENCODED_AUTHORIZATION,
            evidence=read.evidence,
            encoded=encoded.group(1),
            notes=read.notes,
        )
    message_row = match_family(read.message.lower()) if read.message else None
    row = message_row or match_family(flat.lower())
    source = read.message if message_row is not None else flat
    if row is not None and row.family is not MessageFamily.GENERIC_ACCESS_DENIED:
        return _family_message(read, source, row)
    if not read.message and (read.evidence.denies_access or row is not None):
        return ParsedMessage(
            kind=MessageKind.ACCESS_DENIED,
            text="",
            family=MessageFamily.EMPTY_ACCESS_DENIED,
            evidence=read.evidence,
            notes=(
                *read.notes,
                "AWS returned an access denied with no message"
                + (
                    f" to {read.evidence.operation}"
                    if read.evidence.operation
                    else " and the paste names no operation: give the operation and its "
                    "parameters instead"
                ),
            ),
        )
    if row is not None:
        return _family_message(read, source, row)
    return ParsedMessage(
        kind=MessageKind.UNRECOGNISED,
        text=_echo(read.message or flat),
        evidence=read.evidence,
        notes=(*read.notes, "no known access-denied or AWS Backup message form"),
    )


__all__ = [
    "Evidence",
    "MessageFamily",
    "MessageGate",
    "MessageKind",
    "ParsedMessage",
    "parse_error_message",
]
