"""Combine the layers' verdicts into a decision, the way AWS's evaluation logic does.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
(and the cross-account page): an explicit deny anywhere wins; every guardrail that applies
(SCP and RCP chains, VPC endpoint policies) must allow; and the request needs a grant of
access: in the same account an identity policy (within boundary and session policy) *or* a
resource policy naming the principal; across accounts both; for the resources in
``RESOURCE_POLICY_REQUIRED`` (KMS keys, role trust) the resource policy even in the same
account. ``blocked_by`` lists every layer whose verdict is a deny, explicit or implicit.
"""

from __future__ import annotations

from typing import NamedTuple

from backup_access.engine.layers import Verdict
from backup_access.engine.model import DecisionValue, Layer, Request
from backup_access.engine.services import resource_policy_required
from backup_access.policy.principal import PrincipalKind, PrincipalMatch

_ALLOWED = DecisionValue.ALLOWED
_IMPLICIT = DecisionValue.IMPLICIT_DENY
_EXPLICIT = DecisionValue.EXPLICIT_DENY
_ACCOUNT = PrincipalMatch.ACCOUNT

# The order blocked_by lists layers in.
BLOCKED_BY_ORDER = (
    Layer.SCP,
    Layer.RCP,
    Layer.IDENTITY,
    Layer.BOUNDARY,
    Layer.SESSION,
    Layer.RESOURCE,
    Layer.ENDPOINT,
    Layer.PROTECTED,
)


# The layers of ``LayerVerdicts``, in its field order.
_VERDICT_ORDER = BLOCKED_BY_ORDER[:-1]


class LayerVerdicts(NamedTuple):
    """Each layer's verdict; None where the layer does not apply (or is exempt)."""

    scp: Verdict | None
    rcp: Verdict | None
    identity: Verdict | None
    boundary: Verdict | None
    session: Verdict | None
    resource: Verdict | None
    endpoint: Verdict | None


class BlockedBy:
    """What keeps a request from being allowed. Its decision only ever moves towards deny
    (allowed → implicit deny → explicit deny), and it keeps every layer that blocked."""

    __slots__ = ("layers", "value")

    def __init__(self) -> None:
        self.value = _ALLOWED
        self.layers: list[Layer] = []

    def implicit(self, layer: Layer) -> None:
        """``layer`` does not allow the request."""
        if layer not in self.layers:
            self.layers.append(layer)
        if self.value is _ALLOWED:
            self.value = _IMPLICIT

    def explicit(self, layer: Layer) -> None:
        """``layer`` denies the request explicitly."""
        if layer not in self.layers:
            self.layers.append(layer)
        self.value = _EXPLICIT

    def ordered(self) -> tuple[Layer, ...]:
        layers = self.layers
        if len(layers) < 2:
            return tuple(layers)
        return tuple([layer for layer in BLOCKED_BY_ORDER if layer in layers])


def _lets_through(verdict: Verdict | None) -> bool:
    """Whether a layer lets the request through as far as implicit denies go. A layer that
    does not apply never blocks; one that denies explicitly is recorded for that already,
    so here it counts as letting through: what remains are the layers that would still
    block without any explicit deny."""
    return verdict is None or verdict.explicit_deny or (verdict.allowed and not verdict.maybe_deny)


def grants_access(verdict: Verdict | None) -> bool:
    """Whether an identity or resource layer grants access (an explicit deny counts as
    granting here, for the reason ``_lets_through`` gives)."""
    return verdict is not None and (verdict.allowed or verdict.explicit_deny)


def combine(
    blocked: BlockedBy,
    request: Request,
    verdicts: LayerVerdicts,
    *,
    granted: bool,
    root_needs_no_identity_policy: bool,
) -> None:
    """Record in ``blocked`` every layer that denies the request.

    ``granted``: a KMS grant lets the principal in. ``root_needs_no_identity_policy``: the
    principal is its account's root user, which needs no identity-based policy there."""
    for layer, verdict in zip(_VERDICT_ORDER, verdicts, strict=True):
        if verdict is not None:
            if verdict.explicit_deny:
                blocked.explicit(layer)
            elif verdict.maybe_deny:
                blocked.implicit(layer)  # a Deny there could not be evaluated
    # Every guardrail that applies must allow.
    if not _lets_through(verdicts.scp):
        blocked.implicit(Layer.SCP)
    if not _lets_through(verdicts.rcp):
        blocked.implicit(Layer.RCP)
    if not _lets_through(verdicts.endpoint):
        blocked.implicit(Layer.ENDPOINT)
    _access(blocked, request, verdicts, granted, root_needs_no_identity_policy)


def _access(
    blocked: BlockedBy,
    request: Request,
    verdicts: LayerVerdicts,
    granted: bool,
    root: bool,
) -> None:
    """Whether something grants the principal access to the resource."""
    principal = request.principal
    resource = verdicts.resource
    resource_allows = grants_access(resource)
    match = resource.principal_match if resource is not None and resource_allows else None
    if not principal.is_iam:
        # Services, anonymous callers and federated providers have no identity policies:
        # only a resource policy (or a KMS grant) can let them in.
        if not (resource_allows or granted):
            blocked.implicit(Layer.RESOURCE)
        return
    if granted:
        return  # a grant lets its grantee use the key without any policy naming it
    identity_allows = root or grants_access(verdicts.identity)
    boundary_ok = _lets_through(verdicts.boundary)
    session_ok = _lets_through(verdicts.session)
    names_principal = match is not None and match > _ACCOUNT
    cross_account = (
        principal.account is not None
        and request.resource_account is not None
        and principal.account != request.resource_account
    )
    if cross_account or resource_policy_required(request) is not None:
        # Both sides must allow: the resource policy, and the principal's own account. A
        # resource policy naming the principal itself satisfies the resource side; in the
        # same account it also stands in for the identity side (but see boundary/session).
        if not resource_allows:
            blocked.implicit(Layer.RESOURCE)
        if cross_account or not names_principal:
            _identity_side(blocked, identity_allows, boundary_ok, session_ok)
        else:
            _named_in_same_account(blocked, principal.kind, match, boundary_ok, session_ok)
        return
    if identity_allows and boundary_ok and session_ok:
        return
    if names_principal:
        _named_in_same_account(blocked, principal.kind, match, boundary_ok, session_ok)
        return
    _identity_side(blocked, identity_allows, boundary_ok, session_ok)
    if resource is not None and not resource_allows:
        blocked.implicit(Layer.RESOURCE)


def _identity_side(
    blocked: BlockedBy, identity_allows: bool, boundary_ok: bool, session_ok: bool
) -> None:
    if not identity_allows:
        blocked.implicit(Layer.IDENTITY)
    if not boundary_ok:
        blocked.implicit(Layer.BOUNDARY)
    if not session_ok:
        blocked.implicit(Layer.SESSION)


def _named_in_same_account(
    blocked: BlockedBy,
    kind: PrincipalKind,
    match: PrincipalMatch | None,
    boundary_ok: bool,
    session_ok: bool,
) -> None:
    """A same-account resource policy that names the principal.

    reference_policies_evaluation-logic.html ("Resource-based policies and implicit denies
    in other policy types"): a grant made *directly* to the IAM user, the role session or
    the federated user session is not limited by an implicit deny in the boundary (nor,
    for sessions, in the session policy); one naming the role ARN, or the IAM user a
    federated session belongs to, is limited by both. access_policies.html#policies_session:
    naming the user ARN adds permissions before a session is created, so a session policy
    limits it. ``"*"`` and ``{"AWS": "*"}`` do not name the principal directly, so this
    engine limits them like the role ARN (interpretation: the pages list only ARNs).
    """
    directly = match is PrincipalMatch.PRINCIPAL and kind in (
        PrincipalKind.USER,
        PrincipalKind.ROLE_SESSION,
        PrincipalKind.ROOT,
        PrincipalKind.FEDERATED_USER,
    )
    if not (directly or boundary_ok):
        blocked.implicit(Layer.BOUNDARY)
    limited_by_session = not directly or kind is PrincipalKind.USER
    if limited_by_session and not session_ok:
        blocked.implicit(Layer.SESSION)
