"""Recent AccessDenied events of AWS Backup, KMS and IAM from CloudTrail's event history,
saved in ``aws cloudtrail lookup-events`` output shape for ``explain --cloudtrail``.

LookupEvents takes one lookup attribute per call and is limited to two requests a second per
account and Region (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html);
the adaptive retry mode absorbs its throttling. IAM is global: its events are recorded in
us-east-1 (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from backup_access.collect.calls import Missing, Reader

SOURCES = ("backup.amazonaws.com", "kms.amazonaws.com", "iam.amazonaws.com")
_DENIED = ("accessdenied", "unauthorizedoperation", "unauthorizedaccess")


def _denied(event: dict[str, Any]) -> bool:
    try:
        record = json.loads(event.get("CloudTrailEvent") or "{}")
    except json.JSONDecodeError:
        return False
    code = str(record.get("errorCode") or "").lower()
    return any(mark in code for mark in _DENIED)


def _plain(event: dict[str, Any]) -> dict[str, Any]:
    """The event with its time as ISO text (JSON has no datetime)."""
    return {
        key: value.isoformat() if isinstance(value, dt.datetime) else value
        for key, value in event.items()
    }


def read_access_denied(
    reader: Reader, region: str, *, since: dt.datetime
) -> list[dict[str, Any]] | None:
    """AccessDenied events since ``since``, oldest first, or None when they cannot be read."""
    client = reader.client("cloudtrail", region)
    events: list[dict[str, Any]] = []
    for source in SOURCES:
        if source == "iam.amazonaws.com" and region != "us-east-1":
            continue
        items = reader.pages(
            client,
            "lookup_events",
            "Events",
            part=f"CloudTrail events of {source}",
            region=region,
            LookupAttributes=[{"AttributeKey": "EventSource", "AttributeValue": source}],
            StartTime=since,
        )
        if isinstance(items, Missing):
            return None
        events += [_plain(e) for e in items if _denied(e)]
    return sorted(events, key=lambda e: (str(e.get("EventTime")), str(e.get("EventId"))))
