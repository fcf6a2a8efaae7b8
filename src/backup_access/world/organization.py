"""Contract 2's ``organization`` section → ``Organization``, and walking its tree.

Structure checks happen here: an OU id that appears twice (a cycle or a duplicate), an
account placed in two OUs, an attached policy name that is defined nowhere, an account with
attached policies (or a delegated administrator) that is in no OU.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from backup_access.errors import RequestError
from backup_access.fields import (
    account_id,
    at,
    boolean,
    check_keys,
    listed,
    mapping,
    optional_text,
    policy,
    text,
    text_list,
)
from backup_access.policy.layer import Layer
from backup_access.world.backup_parts import SERVICE_KEYS, parse_org_services
from backup_access.world.managed import FULL_AWS_ACCESS, org_default_policy
from backup_access.world.model import Location, Organization, OrgPolicy, OrgUnit

_ORG_KEYS = frozenset(
    {
        "id",
        "management_account",
        "cross_account_backup",
        "policies",
        "root",
        "account_policies",
        *SERVICE_KEYS,
    }
)
_POLICY_KEYS = frozenset({"type", "document"})
_UNIT_KEYS = frozenset({"id", "name", "policies", "accounts", "ous"})


def _org_policies(raw: object, pointer: str, source: str) -> dict[str, OrgPolicy]:
    out: dict[str, OrgPolicy] = {}
    for name, item in mapping(raw, pointer, "policies").items():
        here = at(pointer, name)
        data = mapping(item, here, "an organization policy")
        check_keys(data, _POLICY_KEYS, here)
        kind = data.get("type")
        if kind not in ("scp", "rcp"):
            raise RequestError("'type' must be scp or rcp", pointer=at(here, "type"))
        layer = Layer(kind)
        out[name] = OrgPolicy(
            name,
            layer,
            policy(
                data.get("document"),
                at(here, "document"),
                layer,
            ),
            Location(source, at(here, "document")),
        )
    return out


def _unit(raw: object, pointer: str, source: str, *, root: bool) -> OrgUnit:
    data = mapping(raw, pointer, "the root" if root else "an OU")
    check_keys(data, _UNIT_KEYS, pointer)
    prefix = "r-" if root else "ou-"
    unit_id = text(data.get("id"), at(pointer, "id"), "id")
    if not unit_id.startswith(prefix):
        what = "the root's id" if root else "an OU id"
        raise RequestError(
            f"{what} starts with '{prefix}', found '{unit_id}'", pointer=at(pointer, "id")
        )
    ous = listed(data, "ous", pointer, "a list of OUs")
    accounts = listed(data, "accounts", pointer, "a list")
    return OrgUnit(
        id=unit_id,
        name=optional_text(data.get("name"), at(pointer, "name"), "name"),
        policies=(FULL_AWS_ACCESS,)
        if data.get("policies") is None
        else text_list(data.get("policies"), at(pointer, "policies"), "policies"),
        assumed=data.get("policies") is None,
        accounts=tuple(
            account_id(a, at(at(pointer, "accounts"), i)) for i, a in enumerate(accounts)
        ),
        ous=tuple(
            _unit(ou, at(at(pointer, "ous"), i), source, root=False) for i, ou in enumerate(ous)
        ),
        location=Location(source, pointer),
    )


def parse_organization(raw: object, pointer: str, source: str) -> Organization:
    data = mapping(raw, pointer, "organization")
    check_keys(data, _ORG_KEYS, pointer)
    org_id = text(data.get("id"), at(pointer, "id"), "the organization id")
    if not org_id.startswith("o-"):
        raise RequestError(
            f"an organization id starts with 'o-', found '{org_id}'", pointer=at(pointer, "id")
        )
    management = data.get("management_account")
    if "root" not in data:
        raise RequestError("organization needs a 'root' ({id: r-…, …})", pointer=pointer)
    attached: dict[str, tuple[str, ...]] = {}
    here = at(pointer, "account_policies")
    for key, names in mapping(
        data.get("account_policies"), here, "account_policies", account_keys=True
    ).items():
        key_at = at(here, str(key))
        attached[account_id(key, key_at)] = text_list(names, key_at, "policies")
    organization = Organization(
        id=org_id,
        management_account=None
        if management is None
        else account_id(management, at(pointer, "management_account")),
        cross_account_backup=boolean(
            data.get("cross_account_backup"),
            at(pointer, "cross_account_backup"),
            "cross_account_backup",
        ),
        policies=_org_policies(data.get("policies"), at(pointer, "policies"), source),
        root=_unit(data["root"], at(pointer, "root"), source, root=True),
        location=Location(source, pointer),
        account_policies=attached,
        **parse_org_services(data, pointer),
    )
    check_organization(organization)
    return organization


def walk(unit: OrgUnit, path: tuple[OrgUnit, ...] = ()) -> Iterator[tuple[OrgUnit, ...]]:
    """Every unit with the path that leads to it, root first (the unit is last)."""
    here = (*path, unit)
    yield here
    for child in unit.ous:
        yield from walk(child, here)


def check_organization(organization: Organization) -> None:
    """An OU twice (a cycle), an account in two places, an undefined policy name, or an
    account named as a member that is not in the tree."""
    source = organization.location.source
    seen_units: dict[str, str] = {}
    seen_accounts: dict[str, str] = {}
    for path in walk(organization.root):
        unit = path[-1]
        pointer = unit.location.pointer
        if unit.id in seen_units:
            cycle = any(p.id == unit.id for p in path[:-1])
            raise RequestError(
                f"{unit.id} appears again inside itself (an OU cycle)"
                if cycle
                else f"{unit.id} is already defined at {seen_units[unit.id]}",
                pointer=pointer,
                file=source,
            )
        seen_units[unit.id] = pointer
        for index, account in enumerate(unit.accounts):
            where = at(at(pointer, "accounts"), index)
            if account in seen_accounts:
                raise RequestError(
                    f"account {account} is in two places: here and at {seen_accounts[account]}",
                    pointer=where,
                    file=source,
                )
            seen_accounts[account] = where
        _check_names(organization, unit.policies, at(pointer, "policies"))
    for account, names in organization.account_policies.items():
        _check_names(
            organization,
            names,
            at(at(organization.location.pointer, "account_policies"), account),
        )
    _check_members(organization, frozenset(seen_accounts))


def _check_members(organization: Organization, members: frozenset[str]) -> None:
    """An account the organization section treats as a member (policies attached to it, a
    delegated administrator) must be in the tree: one missing there would be read as outside
    the organization, where no SCP or RCP applies, so its attached policies would silently
    not count. The management account may be left out: SCPs and RCPs never apply to it."""
    pointer = organization.location.pointer
    named = [
        (account, at(at(pointer, "account_policies"), account), "has policies attached")
        for account in organization.account_policies
    ]
    for service, accounts in (organization.delegated_administrators or {}).items():
        here = at(at(pointer, "delegated_administrators"), service)
        named += [
            (account, at(here, index), f"is a delegated administrator for {service}")
            for index, account in enumerate(accounts)
        ]
    for account, where, what in named:
        if account not in members and account != organization.management_account:
            raise RequestError(
                f"account {account} {what} but is in no 'accounts' list of the root or an OU: "
                "a member account sits in exactly one of them (add it where it belongs)",
                pointer=where,
                file=organization.location.source,
            )


def _check_names(organization: Organization, names: tuple[str, ...], pointer: str) -> None:
    for index, name in enumerate(names):
        if name not in organization.policies and org_default_policy(name) is None:
            defined = ", ".join(sorted(organization.policies)) or "none"
            raise RequestError(
                f"policy '{name}' is not defined under organization.policies (defined: {defined})",
                pointer=at(pointer, index),
                file=organization.location.source,
            )


def org_policy(organization: Organization, name: str) -> OrgPolicy:
    """A policy attached by name: the world's own, else AWS's FullAWSAccess/RCPFullAWSAccess."""
    if name in organization.policies:
        return organization.policies[name]
    default = org_default_policy(name)
    if default is None:  # check_organization ruled this out
        raise KeyError(name)
    return OrgPolicy(name, default[0], default[1], Location("AWS default policy"))


@dataclass(frozen=True, slots=True)
class OrgPath:
    """Where an account sits: the units from the root down to its parent."""

    units: tuple[OrgUnit, ...]

    def text(self, organization_id: str) -> str:
        """The ``aws:PrincipalOrgPaths`` form: ``o-…/r-…/ou-…/…/`` with a trailing slash."""
        return "/".join((organization_id, *(u.id for u in self.units))) + "/"


def account_path(organization: Organization, account: str) -> OrgPath | None:
    """The path of ``account`` in the organization, or None when it is not a member."""
    for path in walk(organization.root):
        if account in path[-1].accounts:
            return OrgPath(path)
    return None
