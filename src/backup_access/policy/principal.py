"""Who makes a request, and whether a ``Principal`` element names them.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
A statement can name a principal in several ways, and which way matters for evaluation
(the vocabulary follows PMapper): the principal itself (user, role session, service), the
role a session belongs to, the whole account (``"111111111111"`` or its root ARN: a
delegation to the account's own identity policies), or everyone (``"*"``).

``NotPrincipal`` reads the same values differently
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
see ``not_principal_exemption``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import NamedTuple

from backup_access.errors import RequestError
from backup_access.memo import memo
from backup_access.policy.model import PrincipalSpec

_ACCOUNT_ID = re.compile(r"^[0-9]{12}\Z")
SERVICE_LINKED_PATH = "aws-service-role/"
SERVICE_LINKED_PREFIX = "AWSServiceRoleFor"


class PrincipalKind(StrEnum):
    ROOT = "root"
    USER = "user"
    ROLE = "role"  # a role given by its ARN: stands for any session of it
    ROLE_SESSION = "role_session"  # arn:aws:sts::A:assumed-role/Name/session
    FEDERATED_USER = "federated_user"
    FEDERATED = "federated"  # a web identity or SAML provider
    SERVICE = "service"
    ANONYMOUS = "anonymous"


class PrincipalMatch(IntEnum):
    """How a statement names the requester; higher is more specific."""

    NONE = 0
    ACCOUNT = 1
    EVERYONE = 2
    ROLE = 3  # the role a session belongs to (or the IAM user a federated session belongs to)
    PRINCIPAL = 4


_NOT_IAM = (PrincipalKind.SERVICE, PrincipalKind.ANONYMOUS, PrincipalKind.FEDERATED)


@dataclass(frozen=True, slots=True)
class Principal:
    arn: str
    kind: PrincipalKind
    account: str | None = None
    name: str | None = None  # user name, role name
    role_arn: str | None = None  # the role behind a session (path unknown for sessions)
    service_linked: bool = False
    # An IAM identity of an account, the kind identity policies and SCPs apply to. Derived
    # from ``kind`` once: the engine asks for every request.
    is_iam: bool = field(init=False, repr=False, compare=False)
    # Principals key the engine's caches; a dataclass hashes its fields in Python each time.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_iam", self.kind not in _NOT_IAM)
        fields = (self.arn, self.kind, self.account, self.name, self.role_arn, self.service_linked)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash


@memo
@lru_cache(maxsize=4096)
def parse_principal(text: str, service_linked: bool = False) -> Principal:
    """Read a request principal: an ARN, an account id, ``anonymous`` or a service name.

    Cached; callers on a hot path pass ``service_linked`` positionally, which the cache
    looks up faster than a keyword."""
    value = text.strip()
    if value.lower() == "anonymous":
        return Principal("anonymous", PrincipalKind.ANONYMOUS)
    if _ACCOUNT_ID.match(value):
        return Principal(f"arn:aws:iam::{value}:root", PrincipalKind.ROOT, account=value)
    if not value.startswith("arn:"):
        if "." in value and " " not in value:
            return Principal(value, PrincipalKind.SERVICE)
        raise RequestError(
            f"'{text}' is not a principal: give an ARN, an account id, 'anonymous' or a "
            "service principal such as backup.amazonaws.com"
        )
    parts = value.split(":", 5)
    if len(parts) != 6 or not _ACCOUNT_ID.match(parts[4]):
        if len(parts) == 6 and parts[2] == "iam" and "provider/" in parts[5]:
            return Principal(value, PrincipalKind.FEDERATED, account=parts[4] or None)
        raise RequestError(f"'{text}' is not an IAM principal ARN")
    service, account, resource = parts[2], parts[4], parts[5]
    if service == "iam" and resource == "root":
        return Principal(value, PrincipalKind.ROOT, account=account)
    if service == "iam" and resource.startswith("user/"):
        return Principal(value, PrincipalKind.USER, account, name=resource.rsplit("/", 1)[1])
    if service == "iam" and resource.startswith("role/"):
        path_and_name = resource[len("role/") :]
        name = path_and_name.rsplit("/", 1)[-1]
        linked = service_linked or path_and_name.startswith(SERVICE_LINKED_PATH)
        return Principal(value, PrincipalKind.ROLE, account, name, value, linked)
    if service == "sts" and resource.startswith("assumed-role/"):
        pieces = resource.split("/")
        if len(pieces) < 3 or not pieces[1]:
            raise RequestError(f"'{text}': a role session ARN is assumed-role/ROLE/SESSION")
        name = pieces[1]
        linked = service_linked or name.startswith(SERVICE_LINKED_PREFIX)
        role_arn = f"arn:{parts[1]}:iam::{account}:role/{name}"
        return Principal(value, PrincipalKind.ROLE_SESSION, account, name, role_arn, linked)
    if service == "sts" and resource.startswith("federated-user/"):
        return Principal(
            value, PrincipalKind.FEDERATED_USER, account, name=resource.split("/", 1)[1]
        )
    if service == "iam" and ("saml-provider/" in resource or "oidc-provider/" in resource):
        return Principal(value, PrincipalKind.FEDERATED, account=account)
    raise RequestError(f"'{text}' is not a user, role, role session or root ARN")


def _role_name(arn: str) -> tuple[str, str] | None:
    """(account, role name) of a role ARN, ignoring its path."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return None
    return parts[4], parts[5].rsplit("/", 1)[-1]


def _user_name(arn: str) -> tuple[str, str] | None:
    """(account, user name) of a user ARN, ignoring its path."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("user/"):
        return None
    return parts[4], parts[5].rsplit("/", 1)[-1]


def _match_aws(value: str, principal: Principal) -> PrincipalMatch:
    if value == "*":
        return (
            PrincipalMatch.EVERYONE
            if principal.kind is not PrincipalKind.SERVICE
            else PrincipalMatch.NONE
        )
    if principal.account is None:
        return PrincipalMatch.NONE
    if _ACCOUNT_ID.match(value):
        value = f"arn:aws:iam::{value}:root"
    if value == principal.arn:
        if principal.kind is PrincipalKind.ROLE:
            return PrincipalMatch.ROLE
        return PrincipalMatch.PRINCIPAL
    parts = value.split(":", 5)
    if len(parts) == 6 and parts[2] == "iam" and parts[5] == "root":
        return PrincipalMatch.ACCOUNT if parts[4] == principal.account else PrincipalMatch.NONE
    if principal.role_arn is not None:
        named = _role_name(value)
        if named is not None and named == (principal.account, principal.name):
            return PrincipalMatch.ROLE
    elif principal.kind is PrincipalKind.FEDERATED_USER:
        # reference_policies_evaluation-logic.html, "IAM federated user sessions": a policy
        # naming the IAM user who federated covers the session, limited like a role ARN.
        named = _user_name(value)
        if named is not None and named == (principal.account, principal.name):
            return PrincipalMatch.ROLE
    return PrincipalMatch.NONE


def match_principal(spec: PrincipalSpec, principal: Principal) -> PrincipalMatch:
    """The most specific way ``spec`` names ``principal`` (NONE when it does not)."""
    if spec.everyone:
        return PrincipalMatch.EVERYONE
    best = PrincipalMatch.NONE
    for value in spec.aws:
        best = max(best, _match_aws(value, principal))
    if principal.kind is PrincipalKind.SERVICE:
        if any(s.lower() == principal.arn.lower() for s in spec.service):
            best = PrincipalMatch.PRINCIPAL
    elif principal.kind in (PrincipalKind.FEDERATED, PrincipalKind.ANONYMOUS) and (
        principal.arn in spec.federated or principal.arn in spec.canonical_user
    ):
        best = PrincipalMatch.PRINCIPAL
    return best


NOT_PRINCIPAL_PAGE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
)


class Exemption(NamedTuple):
    """Whether a ``NotPrincipal`` element exempts the requester, and a note saying which
    rule decided when it is not the plain "listed" / "not listed" one."""

    exempt: bool
    note: str | None = None


_LISTED = Exemption(True)
_NOT_LISTED = Exemption(False)


def _lists(spec: PrincipalSpec, arn: str) -> bool:
    return arn in spec.aws


def _lists_account(spec: PrincipalSpec, account: str) -> bool:
    root = f"arn:aws:iam::{account}:root"
    return any(value in (account, root) for value in spec.aws)


def not_principal_exemption(spec: PrincipalSpec, principal: Principal) -> Exemption:
    """Whether a ``NotPrincipal`` element (in a Deny) exempts ``principal``.

    reference_policies_elements_notprincipal.html: the statement applies to every principal
    *except* the ones listed, and "you must also specify the account ARN of the principal
    that isn't being denied": AWS may evaluate the account first, then the user, and for a
    role session the account, then the role, then the session. So:
    - an IAM user, or a federated user session, is exempt only when the element lists it
      *and* its account (the id or the root ARN); listing the user alone denies it, since the
      account it belongs to is not exempt;
    - a role session is exempt only when the element lists the session ARN, the role ARN and
      the account ("Principals must always name a specific session");
    - the account root principal is exempt when the account is listed;
    - a request given as a role ARN stands for an unnamed session of the role: no entry can
      be shown to exempt it, and the note says so (give the session ARN to test one session).
    ``"*"`` (bare or as ``{"AWS": "*"}``) exempts everyone.
    """
    if spec.everyone or "*" in spec.aws:
        return _LISTED
    kind = principal.kind
    if kind is PrincipalKind.SERVICE:
        listed = any(s.lower() == principal.arn.lower() for s in spec.service)
        return _LISTED if listed else _NOT_LISTED
    if kind in (PrincipalKind.FEDERATED, PrincipalKind.ANONYMOUS):
        listed = principal.arn in spec.federated or principal.arn in spec.canonical_user
        return _LISTED if listed else _NOT_LISTED
    account = principal.account
    if account is None:
        return _NOT_LISTED
    has_account = _lists_account(spec, account)
    if kind is PrincipalKind.ROOT:
        return _LISTED if has_account else _NOT_LISTED
    if kind is PrincipalKind.ROLE:
        return Exemption(
            False,
            "the request gives the role's ARN, read here as an unnamed session of the role: "
            "NotPrincipal exempts a session only when it lists the session's ARN with the "
            "role's and the account's (give the session ARN as the principal to test one)",
        )
    listed = _lists(spec, principal.arn)
    if not listed:
        return _NOT_LISTED
    if kind is PrincipalKind.ROLE_SESSION:
        role_arn = principal.role_arn or ""
        has_role = any(_role_name(v) == (account, principal.name) for v in spec.aws)
        if has_role and has_account:
            return _LISTED
        missing = " and ".join(
            what
            for what, present in (
                (f"the role ({role_arn})", has_role),
                (f"the account (arn:aws:iam::{account}:root)", has_account),
            )
            if not present
        )
        return Exemption(
            False,
            f"NotPrincipal lists the session but not {missing}: AWS may evaluate the "
            "account and the role before the session, so the session is denied",
        )
    if has_account:
        return _LISTED
    return Exemption(
        False,
        f"NotPrincipal lists {principal.arn} but not its account "
        f"(arn:aws:iam::{account}:root): AWS may evaluate the account first, so every "
        "principal of the account is denied",
    )


def has_wildcard_arn(spec: PrincipalSpec) -> str | None:
    """A principal ARN with ``*``/``?`` in it, which AWS does not support (only ``"*"``)."""
    for value in spec.aws:
        if value != "*" and ("*" in value or "?" in value):
            return value
    return None
