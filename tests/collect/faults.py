"""Faults moto cannot produce (throttling, a refused call, a refused sts:AssumeRole: moto does
not enforce IAM or trust policies), and answers to calls moto does not implement, injected at
botocore's ``before-send`` event.

``before-send`` fires for every HTTP attempt, after retries are set up, so an injected
throttling answer goes through botocore's real retry handling; returning None lets the
attempt reach moto's server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from backup_access.collect import session as session_module


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def json_error(status: int, code: str, message: str) -> AWSResponse:
    """An error answer of a JSON-protocol service (AWS Backup, KMS)."""
    body = f'{{"__type": "{code}", "message": "{message}", "Message": "{message}"}}'.encode()
    headers = {"x-amzn-ErrorType": code, "Content-Type": "application/x-amz-json-1.1"}
    return AWSResponse("https://fault.invalid", status, headers, _Raw(body))


def query_error(status: int, code: str, message: str) -> AWSResponse:
    """An error answer of a query-protocol service (STS, IAM)."""
    body = (
        "<ErrorResponse><Error><Type>Sender</Type>"
        f"<Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>fault</RequestId></ErrorResponse>"
    ).encode()
    return AWSResponse("https://fault.invalid", status, {"Content-Type": "text/xml"}, _Raw(body))


def query_answer(body: str) -> AWSResponse:
    """A successful answer of a query-protocol service (EC2), as AWS's XML document."""
    return AWSResponse(
        "https://fault.invalid", 200, {"Content-Type": "text/xml"}, _Raw(body.encode())
    )


def body_text(request: Any) -> str:
    """The request body as text (botocore holds it as str or bytes)."""
    body = request.body or b""
    return body.decode() if isinstance(body, bytes) else str(body)


@dataclass
class Fault:
    """Answers attempts of ``event`` (e.g. ``before-send.kms.GetKeyPolicy``) with ``answer``
    while ``when(request)`` holds; counts every attempt it saw."""

    event: str
    answer: Callable[[], AWSResponse]
    when: Callable[[Any], bool] = lambda request: True
    times: int | None = None  # answer only this many times, then let attempts through
    attempts: list[str] = field(default_factory=list)
    answered: int = 0

    def handler(self, request: Any, **_: Any) -> AWSResponse | None:
        self.attempts.append(body_text(request))
        if not self.when(request):
            return None
        if self.times is not None and self.answered >= self.times:
            return None
        self.answered += 1
        return self.answer()


def inject(
    monkeypatch: pytest.MonkeyPatch,
    *faults: Fault,
    maker: str = "backup_access.collect.run.make_client",
) -> None:
    """Every client made through ``maker`` (the collector's, unless told) from now on
    carries ``faults``."""
    real = session_module.make_client

    def make(session: Any, service: str, region: str | None = None) -> Any:
        client = real(session, service, region)
        for fault in faults:
            client.meta.events.register(fault.event, fault.handler)
        return client

    monkeypatch.setattr(maker, make)
