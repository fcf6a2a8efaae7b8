"""Small validators for input files (world and request files): each raises ``RequestError``
at a JSON pointer.

Raw YAML/JSON values stop at the loaders; these helpers check one value's shape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from backup_access.errors import RequestError
from backup_access.memo import memo
from backup_access.policy.context import ContextValue
from backup_access.policy.layer import Layer
from backup_access.policy.model import Policy
from backup_access.policy.parse import parse_policy
from backup_access.policy.pointer import escape_pointer_token
from backup_access.policy.use import check_use

_ACCOUNT_ID = re.compile(r"^[0-9]{12}\Z")
_STR = frozenset({str})  # ``_STR.issuperset(map(type, items))``: every item is a str


def at(pointer: str, token: str | int) -> str:
    """``pointer`` extended by one RFC 6901 token."""
    return f"{pointer}/{escape_pointer_token(token)}"


def mapping(
    value: object,
    pointer: str,
    what: str,
    *,
    account_keys: bool = False,
    required: bool = False,
) -> Mapping[str, Any]:
    """An object with string keys (a missing/null value counts as empty, unless
    ``required``: a request item's parts must be there). With ``account_keys``, integer keys
    (unquoted account ids in YAML) pass, for ``account_id``."""
    if type(value) is dict and _STR.issuperset(map(type, value)):
        return value  # the common case, checked without a Python-level loop
    if value is None:
        if required:
            raise RequestError(f"{what} must be an object", pointer=pointer or "/")
        return {}
    if not isinstance(value, Mapping):
        raise RequestError(f"{what} must be an object", pointer=pointer or "/")
    for key in value:
        if account_keys and isinstance(key, int) and not isinstance(key, bool):
            continue
        if not isinstance(key, str):
            raise RequestError(
                f"keys must be strings, found {key!r} (quote it)", pointer=pointer or "/"
            )
    return value


def check_keys(value: Mapping[str, Any], allowed: frozenset[str], pointer: str) -> None:
    for key in value:
        if key not in allowed:
            raise RequestError(
                f"unknown key '{key}' (expected one of: {', '.join(sorted(allowed))})",
                pointer=at(pointer, key),
            )


def text(value: object, pointer: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise RequestError(f"{what} must be a non-empty string", pointer=pointer)
    return value


def string(value: object, pointer: str, what: str) -> str:
    """A non-empty string, never a number: for values that a number can never be (a
    principal, an action, a resource). YAML reads an unquoted ``0`` or account id as a number,
    and taking its text would turn a typo into a request about something else."""
    if type(value) is str and value:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise RequestError(
            f"{what} must be a string, found the number {value!r} (quote it in YAML)",
            pointer=pointer,
        )
    raise RequestError(f"{what} must be a non-empty string", pointer=pointer)


def string_or_number(value: object, pointer: str, what: str) -> str:
    """A string; a YAML integer (an unquoted account id) is taken as its text. Only for
    labels (a policy's or item's ``name``), where the text is all that is used."""
    if type(value) is str:
        return value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RequestError(f"{what} must be a string", pointer=pointer)
    return str(value)


def optional_text(value: object, pointer: str, what: str) -> str | None:
    return None if value is None else text(value, pointer, what)


def text_list(value: object, pointer: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RequestError(f"{what} must be a list of strings", pointer=pointer)
    return tuple(text(item, at(pointer, i), f"each of {what}") for i, item in enumerate(value))


def listed(data: Mapping[str, Any], key: str, pointer: str, what: str) -> list[Any]:
    """``data[key]`` (at ``pointer``/key), which must be a list: a missing key is an empty
    one. Anything else is refused, the falsy ``""``, ``{}`` and null too: a key left with
    nothing after it (null) or a half-edited value reads as an empty list otherwise, and an
    empty OU account list puts its accounts outside the organization, without their SCPs."""
    value = data.get(key, [])
    if isinstance(value, list):
        return value
    empty = value is None or value == "" or value == {}
    raise RequestError(
        f"'{key}' must be {what}" + (" (write [] for none)" if empty else ""),
        pointer=at(pointer, key),
    )


def boolean(value: object, pointer: str, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise RequestError(f"{what} must be true or false", pointer=pointer)


def account_id(value: object, pointer: str) -> str:
    """A 12-digit account id. YAML reads unquoted ids as integers: those are accepted when
    they still have 12 digits (a leading zero makes YAML read octal, so those are refused)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
        if not _ACCOUNT_ID.match(value):
            raise RequestError(
                f"account id {value} is not 12 digits: quote account ids in YAML "
                '(e.g. "012345678901"; unquoted, a leading zero is read as octal)',
                pointer=pointer,
            )
    if not isinstance(value, str) or not _ACCOUNT_ID.match(value):
        raise RequestError(f"{value!r} is not a 12-digit account id", pointer=pointer)
    return value


def no_pattern(value: str, what: str, pointer: str = "", *, file: str | None = None) -> str:
    """A request names one principal, action and resource: ``*`` and ``?`` are wildcards only
    inside policies. Taken as literal text they would match no statement naming the real
    action or resource, so a Deny could be missed and the answer be a wrong ``allowed``."""
    if "*" in value or "?" in value:
        raise RequestError(
            f"the {what} '{value}' is a pattern: a request names one {what}; * and ? are "
            "wildcards only inside policies",
            pointer=pointer,
            file=file,
        )
    return value


def one_action(value: str, pointer: str = "", *, file: str | None = None) -> str:
    """One action (service:Action), not a pattern."""
    return no_pattern(value, "action", pointer, file=file)


def one_resource(value: str, pointer: str = "", *, file: str | None = None) -> str:
    """One resource: an ARN, or ``*`` alone (actions that take no resource; Contract 1 pairs
    it with ``resource_account``). Any other ``*`` or ``?`` is a pattern, except in an S3
    object key: object names may hold both characters, which is why policies have ``${*}``
    and ``${?}`` to match them literally
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars)."""
    if value == "*" or _is_s3_object_key(value):
        return value
    return no_pattern(value, "resource", pointer, file=file)


ARN_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"
ARN_FORM = "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"
# reference-arns.html: the partition is aws, aws-cn, aws-us-gov (and the isolated aws-iso…
# ones); the service namespace is lower case; the account id is 12 digits, or is omitted
# by the resources that belong to no account (an S3 bucket: arn:aws:s3:::bucket), or is
# "aws" for AWS's own resources (AWS managed policies).
_PARTITION = re.compile(r"aws(?:-[a-z]+)*")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9.-]*")
_REGION = re.compile(r"[a-z0-9-]*")


def show(value: str) -> str:
    """``value`` quoted for a message, with invisible characters written as escapes."""
    if value.isascii() and value.isprintable():
        return f"'{value}'"
    return "'" + value.encode("unicode_escape").decode("ascii") + "'"


def _has_invisible(value: str) -> bool:
    """A control, format (zero-width space, right-to-left override), surrogate or unassigned
    character: none can be typed into an ARN, and each makes the text differ from what it
    shows."""
    if value.isascii():
        return not value.isprintable()
    return any(unicodedata.category(char)[0] == "C" for char in value)


@memo
@lru_cache(maxsize=4096)
def arn_problem(value: str) -> str | None:
    """What keeps ``value`` from being one ARN as AWS forms them, or None.

    ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
    (``arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE``; "arn" and the service are lower
    case; ARNs are case-sensitive). Shared by request files (``simulate REQUEST``) and the
    command line (``--principal``/``--resource``: cli/usage.py), so both refuse the same
    text. Cached: a batch repeats its ARNs."""
    if value != value.strip():
        return f"{show(value)} has whitespace around it, which no ARN has"
    if _has_invisible(value):
        return f"{show(value)} holds an invisible or control character, which no ARN has"
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0].lower() != "arn":
        return f"{show(value)} is not an ARN ({ARN_FORM})"
    if parts[0] != "arn":
        return f"{show(value)}: an ARN begins with lower-case 'arn:' (ARNs are case-sensitive)"
    partition, service, region, account, resource = parts[1:]
    if not _PARTITION.fullmatch(partition):
        return f"{show(value)} has the partition '{partition}' (aws, aws-cn, aws-us-gov…)"
    if not _SERVICE.fullmatch(service):
        return f"{show(value)} has the service '{service}' (a lower-case name such as backup)"
    if not _REGION.fullmatch(region):
        return f"{show(value)} has the Region '{region}' (such as us-east-1, or empty)"
    if account not in ("", "aws") and not _ACCOUNT_ID.match(account):
        return f"{show(value)} has the account '{account}', which is not a 12-digit account id"
    if not resource:
        return f"{show(value)} names no resource after the account ({ARN_FORM})"
    return None


@memo
@lru_cache(maxsize=4096)
def _omits_account(arn: str) -> bool:
    """Whether a well-formed ARN leaves its account field empty (cached: a batch repeats
    its resources)."""
    return arn.split(":", 5)[4] == ""


def request_resource(value: str, pointer: str, *, has_account: bool) -> str:
    """A request's resource: ``*``, or an ARN (``arn_problem``). The resource's account
    decides whether the request is cross-account (both the identity side and the resource
    policy must then allow), so it is never guessed: an ARN that omits the account (an S3
    bucket, an EC2 snapshot) needs ``resource_account`` (``has_account``)."""
    if value == "*":
        return value
    problem = arn_problem(value)
    if problem is not None:
        raise RequestError(
            f'{problem}: give the resource\'s ARN ({ARN_PAGE}), or "*" with resource_account',
            pointer=pointer,
        )
    if not has_account and _omits_account(value):
        raise RequestError(
            f"{show(value)} holds no account id (ARNs of this kind omit it): give "
            "resource_account, the 12-digit id of the account that owns the resource, so that "
            "a cross-account request is evaluated as one",
            pointer=pointer,
        )
    return value


@memo
@lru_cache(maxsize=4096)
def principal_problem(value: str) -> str | None:
    """What keeps ``value`` from naming one requester, or None: an ARN (``arn_problem``), a
    12-digit account id, ``anonymous`` or a service principal (backup.amazonaws.com). A
    request names one principal, so ``*`` and ``?`` are refused as they are in an action;
    no principal holds whitespace (IAM names cannot:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names)."""
    if ":" in value:
        problem = arn_problem(value)
        if problem is not None:
            return problem
    elif _has_invisible(value):
        return f"{show(value)} holds an invisible or control character, which no principal has"
    if any(char.isspace() for char in value):
        return f"{show(value)} holds whitespace, which no principal has"
    if "*" in value or "?" in value:
        return (
            f"{show(value)} is a pattern: a request names one principal; * and ? are "
            "wildcards only inside policies"
        )
    return None


def request_principal(value: str, pointer: str) -> str:
    """A request's principal (``principal_problem``), refused at ``pointer``."""
    problem = principal_problem(value)
    if problem is not None:
        raise RequestError(problem, pointer=pointer)
    return value


def _is_s3_object_key(value: str) -> bool:
    """``arn:PARTITION:s3:::bucket/key`` whose bucket name holds no wildcard character
    (bucket names cannot); ``*`` and ``?`` in the key are then literal characters."""
    parts = value.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or parts[2] != "s3" or parts[3] or parts[4]:
        return False
    bucket, slash, _ = parts[5].partition("/")
    return bool(slash) and "*" not in bucket and "?" not in bucket


def scalar_text(value: object, pointer: str, problem: str) -> str:
    """A scalar as AWS would hold it as text: booleans as ``true``/``false``, numbers as
    written; anything else raises ``problem`` at ``pointer``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise RequestError(problem, pointer=pointer)


def tags(value: object, pointer: str) -> dict[str, str]:
    """Tag key → value; numbers and booleans are written as AWS would store them."""
    return {
        key: scalar_text(item, at(pointer, key), "tag values must be strings")
        for key, item in mapping(value, pointer, "tags").items()
    }


_CONTEXT_PROBLEM = "context values must be strings or lists of strings"


def context_values(value: object, pointer: str) -> Mapping[str, ContextValue]:
    """Request context: key → text or list of texts (scalars as ``scalar_text`` writes them).
    A context of strings only is returned as it is, to be read once into the request."""
    data = mapping(value, pointer, "context", required=True)
    if _STR.issuperset(map(type, data.values())):
        return data
    context: dict[str, ContextValue] = {}
    for key, item in data.items():
        if type(item) is str:
            context[key] = item
        elif isinstance(item, list):
            _one_value_key(key, pointer)
            context[key] = (
                tuple(item)
                if _STR.issuperset(map(type, item))
                else tuple(
                    v
                    if type(v) is str
                    else scalar_text(v, at(at(pointer, key), i), _CONTEXT_PROBLEM)
                    for i, v in enumerate(item)
                )
            )
        else:
            context[key] = scalar_text(item, at(pointer, key), _CONTEXT_PROBLEM)
    return context


def _one_value_key(key: str, context_pointer: str) -> None:
    """A list for a key AWS defines as single-valued is refused: AWS sends one value
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html),
    and an operator without ``ForAnyValue:``/``ForAllValues:`` reads a list in a way no real
    request produces. Keys this package's table does not list (service keys, tags of other
    services) keep their lists."""
    single = _single_valued_type(key)
    if single is not None:
        raise RequestError(
            f"'{key}' is single-valued ({single}): give one string, not a list "
            "(AWS sends one value for it)",
            pointer=at(context_pointer, key),  # built only for the error
        )


@memo
@lru_cache(maxsize=4096)
def _single_valued_type(key: str) -> str | None:
    """The type of a global key AWS defines as single-valued, or None (looked up once per
    key: every request of a batch may give the same list-valued key)."""
    from backup_access.lint.aws_data import global_condition_key  # only for a list: rare

    declared = global_condition_key(key)
    return declared.type if declared is not None and not declared.multivalued else None


def policy(value: object, pointer: str, use: Layer) -> Policy:
    """A policy document (object, or JSON text as AWS CLI output holds it), valid for ``use``."""
    if value is None:
        raise RequestError("a policy document is required here", pointer=pointer)
    return check_use(parse_policy(value, pointer=pointer), use)
