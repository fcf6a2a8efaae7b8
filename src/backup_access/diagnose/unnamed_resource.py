"""A denied request whose report names no resource: what may still be decided.

AWS's "not authorized to perform: ACTION because …" leaves out "on resource: ARN" for some
requests (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
An action the Service Authorization Reference lists with no resource type is requested on
"*", so "*" is its resource
(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
Any other action acted on a resource the report does not name: the tool evaluates the request
on "*" to see what holds for every resource, and only an explicit deny that holds for every
resource decides; anything else is unknown and says the resource is missing.
"""

from __future__ import annotations

from typing import NamedTuple

from backup_access.engine import Decision, DecisionValue, StatementTrace
from backup_access.policy.layer import Layer
from backup_access.policy.model import Effect

SAR = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/"
    "reference_policies_actions-resources-contextkeys.html"
)

# Layers the resource chooses (its policy, its account's RCPs, the endpoint and grant it is
# reached through, AWS's protection of it): their deny on "*" says nothing of the real one.
_RESOURCE_LAYERS = frozenset(
    {Layer.RCP, Layer.RESOURCE, Layer.ENDPOINT, Layer.GRANT, Layer.PROTECTED}
)


class UnnamedResource(NamedTuple):
    """Why a request's resource is unknown (``why``, said in the reason) and how an answer's
    ``missing`` names it."""

    why: str
    missing: str


def unnamed_resource(action: str | None, *, record: bool = False) -> UnnamedResource | None:
    """Why the resource of a request on ``action`` that the report does not name is unknown;
    None when the action takes no resource (its resource is "*"). ``record``: the report is a
    CloudTrail record, whose requestParameters were read for it already."""
    if not action:
        return None
    # Loaded only for a report that names no resource: it reads the service reference data,
    # which `explain OPERATION` must not load at startup (tests/test_startup_imports.py).
    from backup_access.aws_actions import matching_actions

    name = action.split(":")[-1].lower()
    found = [a for a in matching_actions(action) if str(a["name"]).lower() == name]
    if found and not any(details.get("resourceTypes") for details in found):
        return None
    what = "the CloudTrail record's errorMessage" if record else "the message"
    where = " and its requestParameters name none this tool reads" if record else ""
    if found:
        types = sorted({t["name"] for d in found for t in d.get("resourceTypes") or ()})
        acts_on = f"{action} acts on a {' or '.join(types)}"
    else:
        acts_on = f"{action} is not in the Service Authorization Reference"
    return UnnamedResource(
        f"{what} names no resource{where}: {acts_on} ({SAR}); give the request with its "
        "resource (the whole message, or `explain OPERATION` with its parameters)",
        f"the resource of the denied request, which {what} does not name ({acts_on})",
    )


def _names_resource(key: str) -> bool:
    """A condition key whose value comes from the resource (its tags, account, organization)."""
    lowered = key.lower()
    return lowered.startswith("aws:resource") or "resourcetag" in lowered


def _denies_every_resource(entry: StatementTrace) -> bool:
    statement = entry.quoted
    return (
        entry.matched
        and statement.effect is Effect.DENY
        and entry.layer not in _RESOURCE_LAYERS
        and statement.not_resources is None
        and "*" in (statement.resources or ())
        and not any(_names_resource(c.key) for c in statement.conditions)
    )


def deny_on_every_resource(decision: Decision) -> StatementTrace | None:
    """A matched Deny that holds whatever the resource: in a layer the resource does not
    choose, with ``Resource: "*"`` and no condition on the resource's own keys. None when the
    decision is no explicit deny, or rests on none such."""
    if decision.value is not DecisionValue.EXPLICIT_DENY:
        return None
    return next(
        (e for e in decision.trace if isinstance(e, StatementTrace) and _denies_every_resource(e)),
        None,
    )
