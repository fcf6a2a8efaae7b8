"""What a generator sees: the world (model and JSON), the diagnosis, and the user's choices."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from backup_access.catalogue import Check, Gate, load_catalogue
from backup_access.catalogue.templates import PLACEHOLDER
from backup_access.diagnose.model import CheckResult, Explanation
from backup_access.world import World
from backup_access.world.organization import account_path


class Scope(StrEnum):
    """Whom a destination vault policy lets copy in: the source account, its OU or the
    whole organization (narrowest first)."""

    ACCOUNT = "account"
    OU = "ou"
    ORG = "org"


@dataclass(frozen=True, slots=True)
class FixContext:
    world: World
    raw: dict[str, Any]  # the world as JSON (Contract 2), never modified by generators
    explanation: Explanation
    scope: Scope | None = None  # None: the narrowest that works

    @property
    def parameters(self) -> dict[str, str]:
        return dict(self.explanation.parameters)

    def catalogue_check(self, check: CheckResult) -> Check | None:
        """The catalogue's check for a result: by id, else (for checks of ``--error`` and
        ``--cloudtrail``, named ``message.<gate>``) the first check with that gate."""
        catalogue = load_catalogue()
        try:
            return catalogue.check(check.id)
        except KeyError:
            pass
        suffix = check.id.split(".", 1)[-1]
        for operation in catalogue.operations.values():
            for candidate in operation.checks:
                if candidate.id.split(".", 1)[-1] == suffix:
                    return candidate
        return None

    def gate(self, check: CheckResult) -> Gate | None:
        found = self.catalogue_check(check)
        if found is not None and found.gate is not None:
            return found.gate
        suffix = check.id.split(".", 1)[-1].replace("-", "_")
        try:
            return Gate(suffix)
        except ValueError:
            return None

    def gate_name(self, check: CheckResult) -> str | None:
        """The gate's value (``type_opted_in``…), also for gates this version's ``Gate`` enum
        may not list yet."""
        found = self.catalogue_check(check)
        if found is not None and found.gate is not None:
            return str(found.gate.value)
        return check.id.split(".", 1)[-1].replace("-", "_") if check.id else None

    def argument(self, check: CheckResult, position: int) -> str | None:
        """The value of the ``position``-th argument of a setting check, from the diagnosis'
        parameters (None when the diagnosis did not bind it)."""
        found = self.catalogue_check(check)
        if found is None or position >= len(found.args):
            return None
        return self.parameters.get(found.args[position])

    def template(self, template: str | None) -> str | None:
        """A plain ``{parameter}`` template filled from the diagnosis' parameters."""
        if template is None:
            return None
        match = PLACEHOLDER.fullmatch(template)
        if match is None or match.group(2) is not None:
            return None
        return self.parameters.get(match.group(1))

    def org_member(self, account: str | None) -> bool:
        organization = self.world.organization
        return (
            organization is not None
            and account is not None
            and account_path(organization, account) is not None
        )
