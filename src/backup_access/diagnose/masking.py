"""Ids people mask before they paste: recognised, so the rest of the message is still read.

An account id is masked when it is not twelve digits (``XXXXXXXXXXXX``, ``X``, ``xxxx``,
``<account_id>``, ``{account}``, ``*******``, ``----``, ``#####``, ``[REDACTED]``, eleven digits
left after a careless edit), or when it is one of the placeholders AWS's own pages use
(``123456789012``, ``111122223333``, ``444455556666``, ``000000000000``). A masked field is
kept as written and reported as unknown; it never makes the message unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCUMENTATION_ACCOUNTS = frozenset(
    {"123456789012", "111122223333", "444455556666", "000000000000", "999999999999"}
)
_MASK_CHARS = frozenset("xX*#-_?.<>{}[]() ")


@dataclass(frozen=True, slots=True)
class MaskedField:
    """One field of the message that the user masked: which, how it was written, and why it
    is taken as masked."""

    field: str  # "principal account", "resource account", "principal", …
    value: str
    why: str


def account_mask(account: str) -> str | None:
    """Why ``account`` (an ARN's account segment) is not a usable account id, or None."""
    if len(account) == 12 and account.isdigit():
        if account in DOCUMENTATION_ACCOUNTS:
            return "a placeholder account id from AWS's documentation"
        return None
    if not account:
        return None  # S3 and some other ARNs carry no account: nothing is masked
    if account.isdigit():
        return f"{len(account)} digits, not 12: part of the id was removed"
    lowered = account.lower()
    if set(account) <= _MASK_CHARS or "account" in lowered or "redact" in lowered:
        return "masked"
    return "not an account id"


def arn_account(arn: str) -> str | None:
    """The account segment of an ARN (``arn:partition:service:region:account:…``)."""
    parts = arn.split(":", 5)
    return parts[4] if len(parts) >= 5 and parts[0] == "arn" else None


def masked_arn(field: str, arn: str | None) -> MaskedField | None:
    """The masked account of ``arn``, as a field of the message."""
    if not arn:
        return None
    if not arn.startswith("arn:"):
        mask = principal_mask(arn) if field == "principal" else None
        return MaskedField(field, arn, mask) if mask else None
    account = arn_account(arn)
    why = account_mask(account) if account is not None else None
    return MaskedField(f"{field} account", account or "", why) if why else None


def principal_mask(value: str) -> str | None:
    """Why a principal that is not an ARN is taken as masked (``xxxx``, ``***``, ``<user>``)."""
    if value.startswith("arn:") or value.endswith(".amazonaws.com"):
        return None
    stripped = value.strip("<>{}[]()")
    if set(value) <= _MASK_CHARS or stripped.lower() in {"user", "role", "principal", "redacted"}:
        return "masked"
    return "not an ARN (masked or shortened)"
