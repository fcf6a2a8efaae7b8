"""Typed readings of condition values: numbers, dates, IP addresses, booleans, binary.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
Dates are ISO 8601 or epoch seconds; numbers are integers or decimals; IpAddress takes
IPv4/IPv6 addresses or CIDR blocks.

A value with whitespace around it (``" true"``, ``"5 "``) reads as nothing: the page above
does not say that AWS trims values, and guessing either way could turn a Deny off, so such a
policy value makes the condition "cannot evaluate" (an unsupported condition: a Deny then
denies implicitly, an Allow grants nothing) rather than being trimmed silently.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from backup_access.memo import memo

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@memo
@lru_cache(maxsize=4096)
def read_number(text: str) -> Decimal | None:
    if is_padded(text):
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@memo
@lru_cache(maxsize=4096)
def read_date(text: str) -> datetime | None:
    """ISO 8601 date or date-time (UTC when no offset is given), or epoch seconds."""
    if is_padded(text):
        return None
    value = text
    if value.lstrip("-").isdigit() and len(value) <= 12:
        try:
            return datetime.fromtimestamp(int(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def is_padded(text: str) -> bool:
    """Whitespace at either end: never trimmed (see the module docstring)."""
    return text[:1].isspace() or text[-1:].isspace()


def read_bool(text: str) -> bool | None:
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return None


@memo
@lru_cache(maxsize=4096)
def read_network(text: str) -> IpNetwork | None:
    try:
        return None if is_padded(text) else ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


@memo
@lru_cache(maxsize=4096)
def read_binary(text: str) -> bytes | None:
    try:
        return None if is_padded(text) else base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
