"""The condition keys AWS sets on an ``iam:PassRole`` request, for a message that names one.

A role is passed as part of another call (StartCopyJob passes its IamRoleArn to AWS Backup),
and AWS puts what that call does with the role in the PassRole request:
``iam:PassedToService`` (the service principal the role goes to) and
``iam:AssociatedResourceArn`` (the resource it will be attached to, where the service sets it)
— https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
A message says only "not authorized to perform: iam:PassRole", so the values come from the
operation the paste names, through the catalogue's pass-role checks (the same values
``explain OPERATION`` uses). When no operation the catalogue describes is named, the keys
are unknown, and a decision that turns on them is unknown too, never a deny from an absent key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backup_access.catalogue import Actor, Check, Operation, load_catalogue
from backup_access.catalogue.templates import PLACEHOLDER
from backup_access.diagnose.passer import Passer, PasserReading, who_passed
from backup_access.engine import Decision, StatementTrace
from backup_access.policy.model import Effect

PASS_ROLE = "iam:passrole"
PASSED_TO_SERVICE = "iam:PassedToService"
ASSOCIATED_RESOURCE_ARN = "iam:AssociatedResourceArn"
# Both keys exist only on iam:PassRole requests (the page above).
PASS_ROLE_KEYS = (PASSED_TO_SERVICE, ASSOCIATED_RESOURCE_ARN)
SOURCE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "reference_policies_iam-condition-keys.html#ck_PassedToService"
)


HINT = (
    "AWS sets iam:PassedToService (and, for some services, iam:AssociatedResourceArn) on an "
    "iam:PassRole request from the call that passes the role: paste the whole error (the SDK's "
    "'when calling the StartCopyJob operation' names it), run `explain OPERATION` for the AWS "
    "Backup operation, or `simulate --context iam:PassedToService=SERVICE` with the service "
    f"({SOURCE})"
)


@dataclass(frozen=True, slots=True)
class UnknownKey:
    """A condition key AWS set on the request whose value the paste does not tell."""

    key: str
    why: str

    @property
    def missing(self) -> str:
        """How an answer's ``missing`` names it."""
        return f"the value of {self.key} on the request, which the paste does not give ({self.why})"


@dataclass(frozen=True, slots=True)
class PassRoleContext:
    """What an ``iam:PassRole`` request carried: the keys known from the catalogue check of
    the named operation (``context``), the keys nobody can tell (``unknown``), a note saying
    where the values came from, and what to give when a value is not known (``hint``)."""

    context: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unknown: tuple[UnknownKey, ...] = ()
    note: str | None = None
    hint: str | None = None


def is_pass_role(action: str | None) -> bool:
    return (action or "").lower() == PASS_ROLE


def _operations(api: str) -> tuple[Operation, ...]:
    """The catalogue's operations whose API call is ``api`` (case-blind)."""
    operations = load_catalogue().operations.values()
    return tuple(op for op in operations if op.api.lower() == api.lower())


def _pass_role_checks(api: str, passer: Passer) -> tuple[Check, ...]:
    """The catalogue's pass-role checks of ``api`` made by ``passer``: the caller's, or the
    job's service role's (a restore role passing an instance role), or both when the paste
    cannot tell (``diagnose.passer``)."""
    return tuple(
        check
        for operation in _operations(api)
        for check in operation.checks
        if is_pass_role(check.action)
        and (passer is Passer.EITHER or (check.actor is Actor.CALLER) == (passer is Passer.CALLER))
    )


def _unknown_why(operation: str | None, reading: PasserReading) -> str:
    """Why the paste does not tell what the role was passed to."""
    if operation is None:
        return "it names no operation: what the role was passed to is not known"
    if not _operations(operation):
        return (
            f"it names {operation}, an operation the catalogue does not describe: what that "
            "call passes the role to is not known"
        )
    who = "the job" if reading.passer is Passer.JOB_ROLE else "the caller"
    return (
        f"the catalogue knows of no role passed by {who} of {operation} ({reading.why}): its "
        "service is not known"
    )


def _literal(values: tuple[str, ...]) -> bool:
    return all(PLACEHOLDER.search(v) is None for v in values)


def pass_role_context(
    action: str | None,
    operation: str | None,
    *,
    job_started: bool = False,
    principal: str | None = None,
    caller: str | None = None,
    job_role: str | None = None,
) -> PassRoleContext | None:
    """The keys of a denied ``iam:PassRole`` the paste names with ``operation`` (the API
    the wrapper or CloudTrail's eventName names), from the checks of whoever ``principal``
    is (``diagnose.passer.who_passed``); None for any other action."""
    if not is_pass_role(action):
        return None
    reading = who_passed(principal, caller=caller, job_role=job_role, job_started=job_started)
    checks = _pass_role_checks(operation, reading.passer) if operation else ()
    if not checks:
        why = _unknown_why(operation, reading)
        return PassRoleContext(unknown=tuple(UnknownKey(k, why) for k in PASS_ROLE_KEYS), hint=HINT)
    context: list[tuple[str, tuple[str, ...]]] = []
    unknown: list[UnknownKey] = []
    said: list[str] = []
    ids = ", ".join(c.id for c in checks)
    for key in PASS_ROLE_KEYS:
        seen = {_value(c, key) for c in checks}
        if len(seen) > 1 or any(v is not None and not _literal(v) for v in seen):
            shown = " or ".join(sorted(", ".join(v) if v else "absent" for v in seen))
            unknown.append(
                UnknownKey(key, f"{operation} may set it to {shown}: {ids}; {reading.why}")
            )
            continue
        value = next(iter(seen))
        if value is not None:  # a key the catalogue does not set is absent, as in its check
            context.append((key, value))
            said.append(f"{key} = {', '.join(value)}")
    note = None
    if said:
        note = (
            f"{'; '.join(said)}: {operation} passes the role to that service "
            f"(catalogue check {ids}, as {reading.why}; {SOURCE})"
        )
    return PassRoleContext(tuple(context), tuple(unknown), note, HINT if unknown else None)


def _value(check: Check, key: str) -> tuple[str, ...] | None:
    return next((v for k, v in check.context if k.lower() == key.lower()), None)


def turns_on(decision: Decision, keys: Iterable[str]) -> tuple[StatementTrace, ...]:
    """The statements whose match could change with a value for ``keys``: a matched one with
    a condition on a key (the key's absence let it match), and one a condition on a key
    left out. Empty when the decision does not depend on them."""
    lowered = {k.lower() for k in keys}
    out: list[StatementTrace] = []
    for entry in decision.trace:
        if not isinstance(entry, StatementTrace):
            continue
        if entry.matched:
            if any(c.key.lower() in lowered for c in entry.quoted.conditions):
                out.append(entry)
        elif entry.condition is not None and entry.condition.condition.key.lower() in lowered:
            out.append(entry)
    return tuple(out)


def stands_without(decision: Decision, keys: Iterable[str]) -> bool:
    """An explicit deny by a statement that does not look at ``keys`` stands whatever their
    values (explicit deny wins); anything else may change with them."""
    lowered = {k.lower() for k in keys}
    return any(
        isinstance(entry, StatementTrace)
        and entry.matched
        and entry.quoted.effect is Effect.DENY
        and not any(c.key.lower() in lowered for c in entry.quoted.conditions)
        for entry in decision.trace
    )
