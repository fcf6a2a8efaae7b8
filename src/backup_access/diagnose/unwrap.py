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

Every expression here is linear: bounded quantifiers, no nested or adjacent unbounded ones.
A paste longer than ``MAX_MESSAGE_CHARS`` is cut around the last place an AWS message form
occurs (found with plain substring searches over the whole text), not at its head: the error
is at the end of a log. A log's lines that do not hold the error are left out. Every cut is
reported.
"""

from __future__ import annotations

import html
import json
import re
import string
from dataclasses import dataclass, replace

from backup_access.diagnose.job_heading import OPERATIONS, job_heading

MAX_MESSAGE_CHARS = 20_000
"""Longest text read: AWS messages are far shorter; the rest of a longer paste is left out
(around the error it holds, see ``_around_the_error``)."""

_BEFORE_ANCHOR = 4_000
"""How much of a long paste is kept before the error form found in it: the message starts
before its anchor (``User: ARN is not authorized…`` , a Terraform heading)."""

# Where AWS's message is, as plain substrings (case as tools print them): the forms AWS and
# the SDKs print, strongest first; then words any error line holds.
_STRONG_ANCHORS = (
    "is not authorized to perform",
    "is not authorized to call",
    "An error occurred (",
    "operation error ",
    "Encoded authorization failure message",
    "encoded authorization failure message",
    "Resource handler returned message",
    '"StatusMessage"',
    '"errorMessage"',
    "<Message>",
    "(Service: ",
    "status code: 4",
    "httpStatusCode: 4",
    "AccessDenied",
    "Access Denied",
    "Access denied",
    "Insufficient privileges",
    "KMSKeyNotAccessibleFault",
    "not accessible",
    "ciphertext refers to",
    "failed to create a recovery point",
    "cannot be assumed",
    "does not have permission",
    "explicit deny",
)
_WEAK_ANCHORS = ("Error: ", "Exception", "Fault", "ERROR", "FATAL", "error", "denied", "failed")
_PLACEHOLDERS = frozenset({"null", "none", "nil", "undefined", "unknown", "unknownerror"})
"""What SDKs print in place of an empty message: Java v1 ``null``, JS v3 ``UnknownError``."""

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
    def names_started_job(self) -> bool:
        """The operation is the one that started a job whose failure was pasted (its status
        heading or its record): that call, and the caller's checks for it, succeeded."""
        return self.operation_from in ("job status", "job record")

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


# --- where the error is in a long paste or a log ------------------------------------------
def _last_anchor(text: str, anchors: tuple[str, ...]) -> int:
    """Where the last of ``anchors`` starts in ``text`` (-1: none); one scan per anchor."""
    return max(text.rfind(anchor) for anchor in anchors)


def _around_the_error(text: str) -> tuple[str, str | None]:
    """At most ``MAX_MESSAGE_CHARS`` of ``text``: a window that starts a little before the
    last AWS message form in it (the error ends a log), or its head and tail when it holds
    none; and a note saying what was left out."""
    size = len(text)
    if size <= MAX_MESSAGE_CHARS:
        return text, None
    anchor = _last_anchor(text, _STRONG_ANCHORS)
    if anchor < 0:
        anchor = _last_anchor(text, _WEAK_ANCHORS)
    if anchor < 0:
        half = MAX_MESSAGE_CHARS // 2
        return text[:half] + "\n" + text[-half:], (
            f"the text is {size:,} characters, longer than any AWS message, and holds no "
            f"known error form: only its first and last {half:,} characters were read "
            f"(the {size - 2 * half:,} between them were left out; at most "
            f"{MAX_MESSAGE_CHARS:,} are read)"
        )
    start = max(0, min(anchor - _BEFORE_ANCHOR, size - MAX_MESSAGE_CHARS))
    line_end = text.find("\n", start, min(start + 500, anchor)) if start else -1
    if line_end >= 0:
        start = line_end + 1  # begin on a whole line
    end = min(size, start + MAX_MESSAGE_CHARS)
    return text[start:end], (
        f"the text is {size:,} characters, longer than any AWS message: the "
        f"{end - start:,} characters around the error found at character {anchor:,} were read "
        f"(at most {MAX_MESSAGE_CHARS:,}); the {start:,} before and {size - end:,} after "
        "were left out"
    )


_LOG_START = re.compile(
    r"(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?(?:INFO|DEBUG|TRACE|WARN|WARNING|ERROR|FATAL"
    r"|CRITICAL)\]?(?=[\s:]))"
)
_ERROR_LEVEL = re.compile(r"\b(?:ERROR|FATAL|CRITICAL)\b")
_LOG_MIN_LINES = 2


def _holds_error(record: str, anchors: tuple[str, ...]) -> bool:
    return any(anchor in record for anchor in anchors)


def _log_error_lines(text: str) -> tuple[str, str | None]:
    """The log record (a timestamped or levelled line and the lines that continue it) that
    holds the error, when ``text`` is a log: the last one holding an AWS message form, else
    the last ERROR one. Other lines are left out (the note says how many); not a log → as is.
    """
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _LOG_START.match(line.strip().lstrip(_BOX))]
    if len(starts) < _LOG_MIN_LINES:
        return text, None
    bounds = [0, *starts] if starts[0] else starts
    records = list(zip(bounds, [*bounds[1:], len(lines)], strict=True))
    chosen = next(
        (
            (first, end)
            for first, end in reversed(records)
            if _holds_error("\n".join(lines[first:end]), _STRONG_ANCHORS)
        ),
        None,
    ) or next(
        ((first, end) for first, end in reversed(records) if _ERROR_LEVEL.search(lines[first])),
        None,
    )
    if chosen is None:
        return text, None
    first, end = chosen
    # a CI log's timestamped Terraform box: the whole box is the error, heading to bottom
    while first > 0 and _continues(lines[first]) and _continues(lines[first - 1]):
        first -= 1
    while end < len(lines) and _continues(lines[end]):
        end += 1
    if not _holds_error(lines[first], _STRONG_ANCHORS + _WEAK_ANCHORS):
        first += next(
            (i for i, line in enumerate(lines[first:end]) if _holds_error(line, _STRONG_ANCHORS)),
            0,
        )
    left_out = len(lines) - (end - first)
    if not left_out:
        return text, None
    kept = "line was" if end - first == 1 else f"{end - first} lines were"
    return "\n".join(lines[first:end]), (
        f"the paste is a log: of its {len(lines):,} lines read, only the error's {kept} kept "
        f"(from a line holding an AWS message form, or the last ERROR line); "
        f"the other {left_out:,} were left out"
    )


def _continues(line: str) -> bool:
    """A timestamped line that goes on with the record above it: a Terraform box line."""
    stamp = _TIMESTAMP.match(line.strip())
    rest = line.strip()[stamp.end() :].lstrip(" ") if stamp else ""
    return rest[:1] in ("│", "┃", "╷", "╵")


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
        if stamp:  # a CI log stamps every line, Terraform's box lines too
            line = line[stamp.end() :].strip().lstrip(_BOX).strip()
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
    if any(line[:1] in _BOX or line[:1] == "\t" for line in lines):
        return False  # a Terraform box or a Go status line: lines of their own, not a wrap
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
# A job's record (describe-copy-job, describe-backup-job, describe-restore-job) carries its id
# field, which says which kind of job it is; its EventBridge event names it in camelCase
# (copyJobId) and says it in its detail-type
# (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html).
_JOB_ID_FIELD = re.compile(r'"(?P<kind>[Bb]ackup|[Cc]opy|[Rr]estore)JobId\\?"')
_JOB_EVENT = re.compile(
    r'\\?"detail-type\\?"\s{0,8}:\s{0,8}\\?"(?P<kind>Backup|Copy|Restore) Job State Change\\?"'
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
_TERRAFORM_ANY = re.compile(
    r"(?P<error>Error: (?:error )?)?(?P<verb>[a-z]{2,20}ing) (?P<what>[A-Z][A-Za-z0-9 ]{0,60}?)"
    r"(?: \((?P<name>[^()]{0,255})\)(?P<tail>[a-z ]{0,40}))?:\s?"
)
"""Any Terraform heading (``Error: putting Backup Vault (name) access policy: …``): the verb,
the resource words and the name, for the resources ``_TERRAFORM`` does not list. Read only
after ``Error:``, at the start of the text (the line-cleaner takes ``Error:`` off as a level)
or with a name in brackets, so ordinary prose is not taken for a heading."""
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
        "statusMessage",
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
    # the JS SDK v3 prints the error object's fields after the message: '$fault': 'client', …
    cuts = [at for at in (message.find(f) for f in _JS_FIELDS) if at >= 0]
    if cuts:
        ev.setdefault("js-sdk", True)
        message = message[: min(cuts)].rstrip(" {'\"")
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
    if found := _JSON_FIELDS["StatusMessage"].search(flat) or _JSON_FIELDS["statusMessage"].search(
        flat
    ):
        _job_record(flat, ev)
        return _json_string(found.group("v"))
    if found := _LOGFMT_MSG.search(flat):
        ev["log"] = True
        return _json_string(found.group("v"))
    return None


def _job_record(flat: str, ev: dict[str, object]) -> None:
    """A job pasted around its status message: describe-copy-job / describe-backup-job output
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeCopyJob.html), or the
    job's EventBridge event, whose detail holds the same fields in camelCase
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html). Its kind, from
    its id field or the event's detail-type, names the call that started it; its other fields
    are read by diagnose.job_fields."""
    event = _JOB_EVENT.search(flat)
    ev["eventbridge" if event else "backup-job"] = True
    kind = _JOB_ID_FIELD.search(flat) or event
    if kind is None or "operation" in ev:
        return
    ev["operation"] = OPERATIONS[kind.group("kind").lower()]
    ev["operation_from"] = "job record"
    field = "detail-type" if kind is event else "job id field"
    ev["job_record"] = (
        f"the job's EventBridge event pasted around the message (its {field})"
        if event
        else "the job record pasted around the message (its job id field)"
    )
    ev.setdefault("service", "backup")


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
        if "terraform" not in ev and (found := _terraform_heading(message)):
            ev["terraform"] = True
            if found.group("name"):
                ev.setdefault("tool_resource", found.group("name"))
            what = found.group("what") + " " + (found.group("tail") or "").title()
            operation = _terraform_operation(found.group("verb"), what)
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


def _terraform_heading(message: str) -> re.Match[str] | None:
    found = _TERRAFORM_ANY.search(message)
    if found is None or not (found.group("error") or found.group("name") or not found.start()):
        return None
    return found


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
    "eventbridge",
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
_JS_FIELDS = ("$fault", "$metadata", "$retryable", "$response")


def _job_status(message: str, ev: dict[str, object]) -> None:
    """A failed job's status heading ("Backup job failed", "An AWS Backup job failed", after a
    log prefix too: ``diagnose.job_heading``): the operation that started the job, unless the
    paste names one already. The heading stays in the message (message families read it).
    AWS Backup makes the job's calls with its service role, so a denied request in it is the
    role's, made for that job."""
    heading = job_heading(message)
    if heading is not None and "operation" not in ev:
        ev["operation"] = heading.operation
        ev["operation_from"] = "job status"
        kind = f"; {heading.kind_from}" if heading.kind_from else ""
        ev["job_heading"] = f"'{heading.words}'{kind}"
        ev.setdefault("service", "backup")


def _short_code(code: object) -> object:
    """An error code without the Java package around it
    (``software.amazon.awssdk.services.backup.model.AccessDeniedException`` →
    ``AccessDeniedException``); EC2's ``Client.UnauthorizedOperation`` is kept."""
    if isinstance(code, str) and code.count(".") >= 2:
        return code.rsplit(".", 1)[1]
    return code


def unwrap(text: str) -> Unwrapped:
    """AWS's message and the wrapper's evidence; never raises."""
    notes: list[str] = []
    for reader in (_around_the_error, _log_error_lines):
        text, note = reader(text)
        if note:
            notes.append(note)
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
    _job_status(message, ev)
    placeholder = message.strip(_TRIM)
    if placeholder.lower() in _PLACEHOLDERS and ("error_code" in ev or "status_code" in ev):
        notes.append(f"the SDK printed '{placeholder}' where AWS's message goes: AWS gave none")
        message = ""
    if _looks_like_code_only(message):
        ev.setdefault("error_code", message.strip(_TRIM))
        message = ""
    if "error_code" in ev:
        ev["error_code"] = _short_code(ev["error_code"])
    wrappers = tuple(name for name in _WRAPPER_ORDER if ev.get(name))
    evidence = Evidence(wrappers=wrappers, **{k: ev[k] for k in _FIELDS if k in ev})  # type: ignore[arg-type]
    if evidence.operation_from in ("terraform", "cloudformation"):
        notes.append(
            f"the API operation {evidence.operation} is inferred from the "
            f"{evidence.operation_from} resource, not named by AWS"
        )
    elif evidence.operation_from in ("job status", "job record"):
        where = (
            f"the job status in the message ({ev.get('job_heading')})"
            if evidence.operation_from == "job status"
            else str(ev.get("job_record"))
        )
        notes.append(
            f"the API operation {evidence.operation} is inferred from {where}, not named by AWS"
        )
    return Unwrapped(message.strip(_TRIM + "()"), flat, evidence, tuple(notes))


def _looks_like_code_only(message: str) -> bool:
    """What is left is only an error code (``AccessDeniedException``) or punctuation."""
    words = message.strip(_TRIM).split()
    return len(words) <= 1 and (not words or _CODE_PREFIX.match(words[0] + ":") is not None)


def with_evidence(unwrapped: Unwrapped, **changes: object) -> Unwrapped:
    """The same reading with some evidence replaced (tests and CloudTrail records)."""
    return replace(unwrapped, evidence=replace(unwrapped.evidence, **changes))  # type: ignore[arg-type]
