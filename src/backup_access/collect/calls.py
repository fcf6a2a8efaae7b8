"""How the collector calls AWS: one bounded request rate, a record of every API call made,
and gaps (calls that failed) kept instead of aborting the run.

A denied or failing call never stops a collection: what was read is kept and the failure is
recorded as a ``Gap`` naming the account, Region, the IAM action that was refused and AWS's
error, so that the manifest says exactly what is missing and why.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

#: IAM action prefix of each boto3 service the collector uses (the service authorization
#: reference's prefixes; for these services the operation name is the action name).
ACTION_PREFIX = {
    "backup": "backup",
    "cloudtrail": "cloudtrail",
    "ec2": "ec2",
    "iam": "iam",
    "kms": "kms",
    "organizations": "organizations",
    "ram": "ram",
    "s3": "s3",
    "sts": "sts",
}

_MESSAGE_LIMIT = 300
_NOT_IMPLEMENTED = "the endpoint does not implement this call"

#: What a failed read raises. botocore raises ResponseParserError, which is no BotoCoreError,
#: when a query-protocol answer (EC2's) is not AWS's XML: an endpoint's HTML error page for a
#: call it does not implement, or a proxy's.
READ_ERRORS = (ClientError, BotoCoreError, ResponseParserError)


@dataclass(frozen=True, slots=True)
class Gap:
    """A part that could not be read. ``unknown`` is the key a question looks up (an account
    id, a resource ARN or ``organization``) when leaving the part out of the world would
    otherwise read as "none"; None when the omission already reads as unknown."""

    account: str
    region: str | None
    part: str
    action: str
    error: str
    unknown: str | None = None


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One API call the collector made, as the IAM action that authorizes it."""

    action: str


class RateLimiter:
    """A token bucket: at most ``per_second`` requests (0: no limit). The clock and sleep are
    parameters so that tests can check the spacing without waiting."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = clock()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            self._sleep(start - now)


@dataclass
class CallLog:
    """Every action called and every gap, shared by the threads of one run. AWS throttles
    per account (and Region), so each account gets its own rate limit of
    ``per_second`` requests."""

    per_second: float = 0.0
    actions: set[str] = field(default_factory=set)
    gaps: list[Gap] = field(default_factory=list)
    _limiters: dict[str, RateLimiter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def limiter(self, account: str) -> RateLimiter:
        with self._lock:
            if account not in self._limiters:
                self._limiters[account] = RateLimiter(self.per_second)
            return self._limiters[account]

    def attach(self, client: Any, account: str = "") -> Any:
        """Rate-limit and record every call ``client`` makes (botocore's before-parameter-build
        event: once per API call, before its retries, and before any before-call handler,
        such as botocore's Stubber, can answer in place of AWS)."""
        limiter = self.limiter(account)

        def before_call(model: Any, **_: Any) -> None:
            limiter.wait()
            with self._lock:
                self.actions.add(action_of(model.service_model.service_name, model.name))

        client.meta.events.register("before-parameter-build", before_call)
        return client

    def add_gap(self, gap: Gap) -> None:
        with self._lock:
            self.gaps.append(gap)


#: Operations whose IAM action is not named after them. S3's ListBuckets needs
#: s3:ListAllMyBuckets (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html).
ACTION_EXCEPTIONS = {("s3", "ListBuckets"): "s3:ListAllMyBuckets"}


def action_of(service: str, operation: str) -> str:
    """The IAM action that authorizes ``operation`` of ``service``."""
    found = ACTION_EXCEPTIONS.get((service, operation))
    return found or f"{ACTION_PREFIX.get(service, service)}:{operation}"


#: Statuses with which an endpoint says it has no such call (moto's server answers a call
#: it lacks with an HTML 404 page).
_ABSENT_STATUSES = frozenset({404, 405, 501})
_HTML = re.compile(r"<(?:!doctype\s+html|html)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title>([^<]{0,200})</title>", re.IGNORECASE)


def _element(name: str, document: str) -> str | None:
    """The text of the first ``<name>`` element of an XML error document (namespaces and
    attributes allowed), unescaped; None when there is none."""
    found = re.search(rf"<(?:[\w-]+:)?{name}(?:\s[^<>]*)?>([^<]*)</(?:[\w-]+:)?{name}>", document)
    return None if found is None else html.unescape(found.group(1)).strip()


def _unparsed(code: str, document: str, status: int | None) -> tuple[str, str]:
    """Code and message of an error body botocore could not read as its protocol's (an XML
    error document sent for a JSON-protocol service, or an HTML page)."""
    if _HTML.search(document):
        if status is None or status in _ABSENT_STATUSES:
            return code, _NOT_IMPLEMENTED
        title = _TITLE.search(document)
        page = f": {' '.join(title.group(1).split())}" if title else ""
        return code, f"the endpoint failed, answering an HTML page, not an AWS error{page}"
    found_code, found_message = _element("Code", document), _element("Message", document)
    if found_code or found_message:  # an AWS error document in XML
        return found_code or code, found_message or ""
    return code, "the endpoint answered a document that is not an AWS error"


def _client_error(error: ClientError) -> tuple[str, str]:
    info = error.response.get("Error", {})
    code = str(info.get("Code") or "")
    message = str(info.get("Message") or "").strip()
    if message.startswith("<"):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code, message = _unparsed(code, message, status)
    return code, " ".join(message.split())


def error_text(error: Exception) -> str:
    """AWS's error code and message (never the request: it may carry credentials)."""
    if isinstance(error, ClientError):
        code, message = _client_error(error)
        code = code or "Error"
        return f"{code}: {message[:_MESSAGE_LIMIT]}" if message else code
    if isinstance(error, ResponseParserError) and "<html" in str(error).lower():
        return f"{type(error).__name__}: {_NOT_IMPLEMENTED} (it answered an HTML page)"
    return f"{type(error).__name__}: {' '.join(str(error).split())[:_MESSAGE_LIMIT]}"


def error_code(error: Exception) -> str:
    """AWS's error code (read from an XML error document botocore could not parse), or the
    exception's class name."""
    if isinstance(error, ClientError):
        return _client_error(error)[0]
    return type(error).__name__


class Missing:
    """What a failed read returns: the gap has been recorded."""


MISSING = Missing()


@dataclass
class Reader:
    """Reads one account: makes its clients and turns failed calls into gaps."""

    account: str
    session: Any
    log: CallLog
    make: Callable[[Any, str, str | None], Any]
    _clients: dict[tuple[str, str | None], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, service: str, region: str | None = None) -> Any:
        # boto3 sessions are not thread-safe: clients are made under a lock, then shared
        # (botocore clients are thread-safe).
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self.log.attach(
                    self.make(self.session, service, region), self.account
                )
            return self._clients[key]

    def call(
        self,
        client: Any,
        operation: str,
        *,
        part: str,
        region: str | None = None,
        unknown: str | None = None,
        absent: tuple[str, ...] = (),
        about: str | None = None,
        **params: Any,
    ) -> Any:
        """``client.operation(**params)``; None when AWS answers with one of ``absent``'s
        error codes (the thing does not exist), ``MISSING`` (and a gap) on any other error.
        ``about``: the account the gap is about, when not this reader's (sts:AssumeRole into
        a member is called from the caller's account, but the member is what is missing)."""
        try:
            return getattr(client, operation)(**params)
        except READ_ERRORS as error:
            if error_code(error) in absent:
                return None
            self._gap(client, operation, part, region, unknown, error, about)
            return MISSING

    def pages(
        self,
        client: Any,
        operation: str,
        key: str,
        *,
        part: str,
        region: str | None = None,
        unknown: str | None = None,
        **params: Any,
    ) -> list[Any] | Missing:
        """Every item under ``key`` of every page (boto3's paginator), or ``MISSING``."""
        try:
            return list(_items(client.get_paginator(operation).paginate(**params), key))
        except READ_ERRORS as error:
            self._gap(client, operation, part, region, unknown, error)
            return MISSING

    def everything(
        self,
        client: Any,
        operation: str,
        *,
        part: str,
        region: str | None = None,
        unknown: str | None = None,
        **params: Any,
    ) -> dict[str, Any] | Missing:
        """All pages merged (the paginator's full result), or ``MISSING``."""
        try:
            result: dict[str, Any] = (
                client.get_paginator(operation).paginate(**params).build_full_result()
            )
            return result
        except READ_ERRORS as error:
            self._gap(client, operation, part, region, unknown, error)
            return MISSING

    def _gap(
        self,
        client: Any,
        operation: str,
        part: str,
        region: str | None,
        unknown: str | None,
        error: Exception,
        about: str | None = None,
    ) -> None:
        name = client.meta.method_to_api_mapping.get(operation, operation)
        action = action_of(client.meta.service_model.service_name, name)
        account = about or self.account
        self.log.add_gap(Gap(account, region, part, action, error_text(error), unknown))


def _items(pages: Any, key: str) -> Iterator[Any]:
    for page in pages:
        yield from page.get(key) or []
