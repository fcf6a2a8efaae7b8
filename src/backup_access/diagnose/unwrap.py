"""Take AWS's own message out of what people paste, and keep what the wrapper says.

People paste an error as a tool printed it: the AWS CLI / boto3 (``An error occurred (Code)
when calling the Op operation: …``), the Go SDK v1 (``Code: msg`` then ``status code: 403,
request id: …``) and v2 (``operation error Backup: Op, https response error StatusCode: 403,
RequestID: …, Code: msg``), the Java SDK (``msg (Service: …; Status Code: …; Error Code: …;
Request ID: …)``), the JavaScript SDK (``Code: msg`` and a stack), Terraform (``Error:
creating Backup Vault (name): …`` in a box of ``│``), CloudFormation and the CDK (``Resource
handler returned message: "…"``), log lines with timestamps and levels, S3-style XML, and
CloudTrail JSON (``"errorMessage": "…"``), a job as ``describe-copy-job`` prints it
(``"StatusMessage": "…"``), wrapped over lines and indented. The wrapper is
evidence (the API operation, the tool's resource name, the request id) and is kept.

Every expression here is linear: bounded quantifiers, no nested or adjacent unbounded ones,
and the text is cut at ``MAX_MESSAGE_CHARS`` first (the cut is reported).
"""

from __future__ import annotations

import html
import json
import re
import string
from dataclasses import dataclass, replace

MAX_MESSAGE_CHARS = 20_000
"""Longest text read: AWS messages are far shorter; the rest of a longer paste is ignored."""

_ACCESS_DENIED_CODES = frozenset(
    {
        "accessdenied",
        "accessdeniedexception",
        "unauthorizedoperation",
        "client.unauthorizedoperation",
        "unauthorizedaccess",
        "forbidden",
    }
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the wrapper around AWS's message says; every field None when it says nothing."""

    wrappers: tuple[str, ...] = ()  # tools recognised, outermost first: "terraform", "go-sdk-v2"
    error_code: str | None = None  # AccessDeniedException, KMSKeyNotAccessibleFault, …
    operation: str | None = None  # the API operation: CreateBackupVault
    operation_from: str | None = None  # who named it: "sdk", "terraform", "cloudtrail"
    service: str | None = None  # as the wrapper names it: "Backup", "AWSBackup", "backup"
    status_code: int | None = None
    request_id: str | None = None
    tool_resource: str | None = None  # Terraform address / name, CloudFormation logical id
    resource_type: str | None = None  # AWS::Backup::BackupVault

    @property
    def denies_access(self) -> bool:
        """The error code or HTTP status says access was denied."""
        code = (self.error_code or "").lower()
        return code in _ACCESS_DENIED_CODES or self.status_code == 403


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """AWS's message on one line ("" when AWS gave none), the flattened paste it came from,
    the wrapper's evidence and notes about the reading (a cut, a guess)."""

    message: str
    flat: str
    evidence: Evidence
    notes: tuple[str, ...] = ()


# --- line-level clean-up -------------------------------------------------------------------
_BOX = "│╷╵┃|>"
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?"
)
_LEVEL = re.compile(
    r"\[?(?:ERROR|ERR|WARN|WARNING|INFO|DEBUG|FATAL|CRITICAL|TRACE)\]?:?(?=\s|$)", re.I
)
_TERRAFORM_WITH = re.compile(r"^with ([A-Za-z0-9_.\[\]\"-]{1,255}),$")
_JS_STACK = re.compile(r"^at [\w$.<>\[\] ]{1,200}\(")
_SOURCE_EXCERPT = re.compile(r"^\d{1,6}: ")


def _clean_line(line: str) -> str | None:
    """A line without box drawing, leading timestamp or level; None for stack frames and
    Terraform's source excerpt."""
    line = line.strip().lstrip(_BOX).strip()
    for _ in range(3):  # "[ERROR] 2020-03-31T09:00:41Z …", "2024-… ERROR …"
        stamp = _TIMESTAMP.match(line)
        if stamp:
            line = line[stamp.end() :].strip()
        level = _LEVEL.match(line)
        if level:
            line = line[level.end() :].strip()
        if not stamp and not level:
            break
    if _JS_STACK.match(line) or (line.startswith(("on ", "in resource ")) and " line " in line):
        return None
    return line


_HARD_WRAP_MIN = 40


def _hard_wrapped(lines: list[str]) -> bool:
    """A terminal's fixed-width wrap: every line but the last of one width (40 or more), with
    no space at the cuts — the cuts then fall inside words and ARNs, so the lines join as
    they are."""
    full = lines[:-1]
    if not full or len(full[0]) < _HARD_WRAP_MIN:
        return False
    width = len(full[0])
    return all(len(line) == width and not line.endswith(" ") for line in full) and (
        0 < len(lines[-1]) <= width
    )


def _flatten(text: str) -> tuple[str, str | None]:
    """One line, and the Terraform resource address of a ``with …,`` line."""
    lines = text.splitlines()
    if len(lines) > 1 and _hard_wrapped(lines):
        text = "".join(lines)
    kept: list[str] = []
    address: str | None = None
    for raw in text.splitlines():
        line = _clean_line(raw)
        if line is None:
            continue
        if found := _TERRAFORM_WITH.match(line):
            address = address or found.group(1)
            continue
        if address and _SOURCE_EXCERPT.match(line):
            continue  # Terraform quotes the configuration after "with …,"
        kept.append(line)
    return " ".join(" ".join(kept).split()), address


# --- wrappers, each a small reader on the flattened text -----------------------------------
_CLI = re.compile(
    r"An error occurred \((?P<code>[\w.]{1,128})\)(?: \(reached max retries: \d{1,4}\))? "
    r"when calling the (?P<op>\w{1,128}) operation(?: \(reached max retries: \d{1,4}\))?:\s?"
)
_GO_V2 = re.compile(
    r"operation error (?P<service>[\w ]{1,64}?): (?P<op>\w{1,128}), https response error "
    r"StatusCode: (?P<status>\d{3}), RequestI[Dd]: (?P<rid>[\w-]{0,128}),\s?"
    r"(?:api error )?(?:(?P<code>[\w.]{1,128}):\s?)?"
)
_JAVA = re.compile(
    r"\(Service: (?P<service>[\w .-]{1,64}); Status Code: (?P<status>\d{3}); Error Code: "
    r"(?P<code>[\w.]{1,128}); Request ID: (?P<rid>[\w-]{0,128})(?:; Proxy: [\w.]{1,64})?\)"
)
_JAVA_V2 = re.compile(
    r"\(Service: (?P<service>[\w .-]{1,64}), Status Code: (?P<status>\d{3}), Request ID: "
    r"(?P<rid>[\w-]{0,128})(?:, [\w ]{1,40}: [\w.-]{0,128}){0,4}\)"
)
_GO_V1 = re.compile(r"status code: (?P<status>\d{3}), request id: (?P<rid>[\w-]{0,128})")
_JS_META = re.compile(
    r"httpStatusCode: (?P<status>\d{3}),? requestId: '?(?P<rid>[\w-]{0,128})'?", re.I
)
_CODE_PREFIX = re.compile(
    r"(?P<code>[A-Za-z][\w.]{0,127}(?:Exception|Fault|Error)|AccessDenied|Forbidden|"
    r"(?:Client\.)?UnauthorizedOperation):\s?"
)
_TERRAFORM = re.compile(
    r"(?:(?:Error: |error )(?:error )?)?(?P<verb>creating|reading|updating|deleting|putting|"
    r"setting|listing|tagging) (?P<what>(?:Backup|KMS|IAM|RAM)[A-Za-z ]{1,60}?)"
    r"(?: \((?P<name>[^()]{0,255})\))?:\s?"
)
_CFN_HANDLER = "Resource handler returned message:"
_CFN_TAIL = re.compile(r"\(RequestToken: [\w-]{0,128}, HandlerErrorCode: (?P<code>\w{1,64})\)")
_CFN_EVENT = re.compile(
    r"(?P<verb>CREATE|UPDATE|DELETE)_FAILED\s{0,4}\|?\s{0,4}(?P<type>AWS::\w{1,64}::\w{1,64})"
    r"\s{0,4}\|?\s{0,4}(?P<id>[\w/.-]{1,255})"
)
_XML_CODE = re.compile(r"<Code>(?P<v>[^<]{0,200})</Code>")
_XML_MESSAGE = re.compile(r"<Message>(?P<v>[^<]{0,20000})</Message>")
_XML_REQUEST = re.compile(r"<RequestId>(?P<v>[^<]{0,200})</RequestId>")
_JSON_STRING = r"\"(?P<v>(?:[^\"\\]|\\.){0,20000})\""
_JSON_FIELDS = {
    name: re.compile(rf"\\?\"{name}\\?\"\s{{0,8}}:\s{{0,8}}{_JSON_STRING}")
    for name in (
        "errorMessage",
        "errorCode",
        "eventName",
        "eventSource",
        "requestID",
        "StatusMessage",
    )
}
_LOGFMT_MSG = re.compile(r"\blevel=\w{1,16} msg=" + _JSON_STRING)
_TERRAFORM_APIS = {
    ("creating", "Backup Vault Policy"): "PutBackupVaultAccessPolicy",
    ("putting", "Backup Vault Policy"): "PutBackupVaultAccessPolicy",
    ("creating", "Backup Vault Notifications"): "PutBackupVaultNotifications",
    ("creating", "Backup Vault Lock Configuration"): "PutBackupVaultLockConfiguration",
    ("reading", "Backup Vault"): "DescribeBackupVault",
    ("reading", "Backup Plan"): "GetBackupPlan",
    ("reading", "Backup Selection"): "GetBackupSelection",
    ("creating", "Backup Logically Air Gapped Vault"): "CreateLogicallyAirGappedBackupVault",
    ("creating", "Backup Global Settings"): "UpdateGlobalSettings",
    ("updating", "Backup Global Settings"): "UpdateGlobalSettings",
}
_VERBS = {"creating": "Create", "updating": "Update", "deleting": "Delete", "putting": "Put"}


def _terraform_operation(verb: str, what: str) -> str | None:
    """The API call behind a Terraform action ("creating Backup Vault" → CreateBackupVault)."""
    what = " ".join(what.split())
    if (verb, what) in _TERRAFORM_APIS:
        return _TERRAFORM_APIS[(verb, what)]
    if verb in _VERBS and what.startswith("Backup "):
        return _VERBS[verb] + what.replace(" ", "")
    return None


def _json_string(raw: str) -> str:
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def _after(text: str, end: int) -> str:
    return text[end:].strip()


def _strip_suffixes(message: str, ev: dict[str, object]) -> str:
    """Remove SDK suffixes (Java's ``(Service: …)``, Go v1's status line, JS metadata)."""
    if found := _JAVA.search(message):
        ev.setdefault("service", found.group("service"))
        ev.setdefault("status_code", int(found.group("status")))
        ev.setdefault("error_code", found.group("code"))
        ev.setdefault("request_id", found.group("rid") or None)
        ev.setdefault("java-sdk", True)
        message = message[: found.start()] + message[found.end() :]
    if found := _JAVA_V2.search(message):
        ev.setdefault("service", found.group("service"))
        ev.setdefault("status_code", int(found.group("status")))
        ev.setdefault("request_id", found.group("rid") or None)
        ev.setdefault("java-sdk", True)
        message = message[: found.start()] + message[found.end() :]
    if found := _GO_V1.search(message):
        ev.setdefault("status_code", int(found.group("status")))
        ev.setdefault("request_id", found.group("rid") or None)
        ev.setdefault("go-sdk-v1", True)
        message = message[: found.start()]
    if found := _JS_META.search(message):
        ev.setdefault("status_code", int(found.group("status")))
        ev.setdefault("request_id", found.group("rid") or None)
        ev.setdefault("js-sdk", True)
        cut = message.find("$metadata")
        message = message[: cut if cut >= 0 else found.start()]
    if found := _CFN_TAIL.search(message):
        ev.setdefault("error_code", found.group("code"))
        message = message[: found.start()]
    return message


def _structured(flat: str, ev: dict[str, object]) -> str | None:
    """AWS's message from XML or JSON around it, when the paste is one of those."""
    if found := _XML_MESSAGE.search(flat):
        ev["xml"] = True
        if code := _XML_CODE.search(flat):
            ev.setdefault("error_code", code.group("v").strip())
        if rid := _XML_REQUEST.search(flat):
            ev.setdefault("request_id", rid.group("v").strip())
        return html.unescape(found.group("v"))  # XML escapes &, < and >
    if found := _JSON_FIELDS["errorMessage"].search(flat):
        ev["cloudtrail-json"] = True
        for name, key in (("errorCode", "error_code"), ("requestID", "request_id")):
            if value := _JSON_FIELDS[name].search(flat):
                ev.setdefault(key, _json_string(value.group("v")))
        if name_found := _JSON_FIELDS["eventName"].search(flat):
            ev.setdefault("operation", _json_string(name_found.group("v")))
            ev.setdefault("operation_from", "cloudtrail")
        if source := _JSON_FIELDS["eventSource"].search(flat):
            ev.setdefault("service", _json_string(source.group("v")).split(".", 1)[0])
        return _json_string(found.group("v"))
    if found := _JSON_FIELDS["StatusMessage"].search(flat):
        # describe-copy-job / describe-backup-job output: the job's fields are read by
        # diagnose.job_fields (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeCopyJob.html)
        ev["backup-job"] = True
        return _json_string(found.group("v"))
    if found := _LOGFMT_MSG.search(flat):
        ev["log"] = True
        return _json_string(found.group("v"))
    return None


def _cfn(message: str, ev: dict[str, object]) -> str:
    if found := _CFN_EVENT.search(message):
        ev.setdefault("resource_type", found.group("type"))
        ev.setdefault("tool_resource", found.group("id"))
        service, kind = found.group("type").split("::")[1:]
        if service == "Backup" and "operation" not in ev:
            ev["operation"] = found.group("verb").capitalize() + kind
            ev["operation_from"] = "cloudformation"
        ev["cdk" if "|" in message else "cloudformation"] = True
    start = message.find(_CFN_HANDLER)
    if start < 0:
        return message
    ev.setdefault("cloudformation", True)
    rest = message[start + len(_CFN_HANDLER) :].strip()
    if rest.startswith('"'):
        tail = _CFN_TAIL.search(rest)
        end = rest.rfind('"', 0, tail.start() if tail else len(rest))
        if tail:
            ev.setdefault("error_code", tail.group("code"))
        rest = rest[1:end] if end > 0 else rest[1:]
    return rest


def _sdk(message: str, ev: dict[str, object]) -> str:
    """Go v2, CLI/boto3 and Terraform prefixes, in whatever nesting they come."""
    for _ in range(4):  # Terraform › Go v2 › message, Lambda log › boto3 › message …
        if found := _TERRAFORM.search(message):
            ev["terraform"] = True
            if found.group("name"):
                ev.setdefault("tool_resource", found.group("name"))
            operation = _terraform_operation(found.group("verb"), found.group("what"))
            if operation and "operation" not in ev:
                ev["operation"], ev["operation_from"] = operation, "terraform"
            message = _after(message, found.end())
            continue
        if found := _GO_V2.search(message):
            ev["go-sdk-v2"] = True
            ev["service"] = found.group("service").strip()
            ev["operation"], ev["operation_from"] = found.group("op"), "sdk"
            ev["status_code"] = int(found.group("status"))
            ev["request_id"] = found.group("rid") or None
            if found.group("code"):
                ev["error_code"] = found.group("code")
            message = _after(message, found.end())
            continue
        if found := _CLI.search(message):
            ev["aws-cli"] = True
            ev["error_code"] = found.group("code")
            ev["operation"], ev["operation_from"] = found.group("op"), "sdk"
            message = _after(message, found.end())
            continue
        break
    return message


def _code_prefix(message: str, ev: dict[str, object]) -> str:
    """A leading ``Code:`` (Go v1, JS, Terraform's inner error)."""
    found = _CODE_PREFIX.search(message, 0, 200)
    if found is None or (found.start() and message[found.start() - 1] not in " :"):
        return message
    ev.setdefault("error_code", found.group("code"))
    return _after(message, found.end())


_WRAPPER_ORDER = (
    "terraform",
    "cdk",
    "cloudformation",
    "log",
    "cloudtrail-json",
    "backup-job",
    "xml",
    "go-sdk-v2",
    "aws-cli",
    "java-sdk",
    "go-sdk-v1",
    "js-sdk",
)
_FIELDS = (
    "error_code",
    "operation",
    "operation_from",
    "service",
    "status_code",
    "request_id",
    "tool_resource",
    "resource_type",
)
_TRIM = string.whitespace + "\"'`.,;:"


def unwrap(text: str) -> Unwrapped:
    """AWS's message and the wrapper's evidence; never raises."""
    notes: list[str] = []
    if len(text) > MAX_MESSAGE_CHARS:
        notes.append(
            f"the text was cut to its first {MAX_MESSAGE_CHARS:,} characters (longer than any "
            "AWS message); anything after that was not read"
        )
        text = text[:MAX_MESSAGE_CHARS]
    flat, address = _flatten(text)
    ev: dict[str, object] = {}
    if address:
        ev["tool_resource"] = address
        ev["terraform"] = True
    message = _structured(flat, ev)
    message = flat if message is None else " ".join(message.split())
    message = _cfn(message, ev)
    message = _sdk(message, ev)
    message = _strip_suffixes(message, ev)
    message = _code_prefix(message, ev)
    if _looks_like_code_only(message):
        ev.setdefault("error_code", message.strip(_TRIM))
        message = ""
    wrappers = tuple(name for name in _WRAPPER_ORDER if ev.get(name))
    evidence = Evidence(wrappers=wrappers, **{k: ev[k] for k in _FIELDS if k in ev})  # type: ignore[arg-type]
    if evidence.operation_from in ("terraform", "cloudformation"):
        notes.append(
            f"the API operation {evidence.operation} is inferred from the "
            f"{evidence.operation_from} resource, not named by AWS"
        )
    return Unwrapped(message.strip(_TRIM + "()"), flat, evidence, tuple(notes))


def _looks_like_code_only(message: str) -> bool:
    """What is left is only an error code (``AccessDeniedException``) or punctuation."""
    words = message.strip(_TRIM).split()
    return len(words) <= 1 and (not words or _CODE_PREFIX.match(words[0] + ":") is not None)


def with_evidence(unwrapped: Unwrapped, **changes: object) -> Unwrapped:
    """The same reading with some evidence replaced (tests and CloudTrail records)."""
    return replace(unwrapped, evidence=replace(unwrapped.evidence, **changes))  # type: ignore[arg-type]
