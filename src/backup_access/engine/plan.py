"""What evaluating one policy set for one action needs, worked out once per action.

For every layer that applies: the groups that must each allow (each level of an SCP or RCP
chain, each VPC endpoint policy; a single group for the other layers) and, in each policy,
the statements whose Action/NotAction let the action through. Whether RCPs can apply at all
depends only on the action, so the plan decides that too. A policy set shared by many
requests (a YAML anchor in a request file, or one a library caller keeps) builds its plan
once per action; evaluating a request then walks only the statements that can apply.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

from backup_access.engine.model import Layer, NamedPolicy, OrgLevel, PolicySet
from backup_access.engine.protected import PROTECTABLE_ACTIONS
from backup_access.engine.services import NO_PERMISSION_ACTIONS, rcp_not_applicable
from backup_access.engine.statement import any_action_matches
from backup_access.policy.model import Effect, Statement

# Plans kept per policy set; a set asked about more actions than this starts over.
PLAN_LIMIT = 256


class Candidate(NamedTuple):
    """A statement whose Action/NotAction lets the action through."""

    statement: Statement
    variables: bool  # its policy's version supports policy variables


class GroupPlan(NamedTuple):
    """Policies that allow together (any of them may) and their candidates, in the order a
    verdict needs them: every Deny, then every Allow."""

    level: str | None  # the organization level (SCP/RCP chains), else None
    policies: tuple[NamedPolicy, ...]
    denies: tuple[Candidate, ...]
    allows: tuple[Candidate, ...]


class LayerPlan(NamedTuple):
    """A layer's groups, each of which must allow. ``summarise_groups``: the trace gets one
    summary per group (chain levels, simple layers) rather than one for the whole layer
    (VPC endpoint policies)."""

    layer: Layer
    groups: tuple[GroupPlan, ...]
    summarise_groups: bool
    kept: RenderMemo  # what rendering traces of this plan keeps (decision._render_layer)


class PlanUse:
    """Whether a policy set's plan for an action has served more than one request
    (``plan_for``): their traces will all be rendered, so the first rendering already keeps
    what the others reuse (``RenderMemo``)."""

    __slots__ = ("shared",)

    def __init__(self) -> None:
        self.shared = False


class RenderMemo:
    """What rendering a layer plan's traces derives from the plan alone: per group, its
    statements in trace order with the JSON entries already rendered for them
    (``RenderStep``), and the layer summaries' entries. Made once the plan is shared, or
    from its second rendering on: a plan rendered once (a request file whose items all
    differ) would pay for it and never use it."""

    __slots__ = ("held", "rendered_once", "steps", "summaries", "use")

    def __init__(self, use: PlanUse) -> None:
        self.use = use
        self.rendered_once = False
        self.steps: list[tuple[RenderStep, ...]] = []
        self.summaries: dict[object, dict[str, Any]] = {}
        # The objects whose identity is part of an entry's key (shared condition outcomes),
        # kept alive so that their ids stay theirs.
        self.held: list[object] = []


class RenderStep:
    """One statement of a layer plan, in trace order, and the JSON entries rendered for it.

    A statement's entry depends only on its result and on the one request value its reason
    names (``trace.reason_request_value``), so each is rendered once per key and copied
    (decision.py ``_memo_entry``). ``left_out``: the entry, fixed for the plan, of a
    statement whose Action/NotAction leaves the plan's action out; None for the others."""

    __slots__ = ("entries", "left_out", "level", "named", "pointer", "statement", "variables")

    def __init__(
        self,
        named: NamedPolicy,
        statement: Statement,
        level: str | None,
        left_out: dict[str, Any] | None,
    ) -> None:
        self.named = named
        self.statement = statement
        self.pointer = statement.pointer  # built on each read of the property
        self.variables = named.policy.supports_variables
        self.level = level
        self.left_out = left_out
        self.entries: dict[object, dict[str, Any]] = {}


class Plan(NamedTuple):
    """A policy set's layers for one action; ``None`` where the set has no such layer."""

    scp: LayerPlan | None
    rcp: LayerPlan | None
    rcp_not_applicable: str | None  # why RCPs cannot apply to this action, if they cannot
    identity: LayerPlan
    boundary: LayerPlan | None
    session: LayerPlan | None
    resource: LayerPlan | None
    endpoint: LayerPlan | None
    needs_no_permission: bool  # the action needs no permission (services.NO_PERMISSION_ACTIONS)
    may_be_protected: bool  # the action can touch what AWS protects (engine/protected.py)
    use: PlanUse


def plan_for(policies: PolicySet, action: str) -> Plan:
    """The plan of ``policies`` for ``action``, built on first use and kept on the set."""
    plans: dict[str, Plan] | None = policies.compiled
    if plans is None:
        plans = {}
        object.__setattr__(policies, "compiled", plans)
    else:
        found = plans.get(action)
        if found is not None:
            found.use.shared = True
            return found
        if len(plans) >= PLAN_LIMIT:
            plans.clear()
    plan = plans[action] = _build(policies, action)
    return plan


def lets_action_through(statement: Statement, action: str) -> bool:
    """Whether the statement's Action names ``action`` (or its NotAction leaves it out)."""
    actions = statement.actions
    if actions is not None:
        return any_action_matches(actions, action)
    return not any_action_matches(statement.not_actions or (), action)


# A plan is built for every request whose policy set is new (each item of a request file
# that carries its own policies), so building one is kept lean: plain loops, and the
# records made without their NamedTuples' Python-level __new__ (same objects).
_new_layer = partial(tuple.__new__, LayerPlan)
_new_plan = partial(tuple.__new__, Plan)
_new_group = partial(tuple.__new__, GroupPlan)
_new_candidate = partial(tuple.__new__, Candidate)
_DENY = Effect.DENY


def _group(level: str | None, named_policies: tuple[NamedPolicy, ...], action: str) -> GroupPlan:
    denies: list[Candidate] = []
    allows: list[Candidate] = []
    for named in named_policies:
        policy = named.policy
        variables = policy.supports_variables
        for statement in policy.statements:
            if lets_action_through(statement, action):
                candidate = _new_candidate((statement, variables))
                (denies if statement.effect is _DENY else allows).append(candidate)
    return _new_group((level, named_policies, tuple(denies), tuple(allows)))


def _single(
    layer: Layer, named_policies: tuple[NamedPolicy, ...], action: str, use: PlanUse
) -> LayerPlan:
    return _new_layer((layer, (_group(None, named_policies, action),), True, RenderMemo(use)))


def _chain(layer: Layer, levels: tuple[OrgLevel, ...], action: str, use: PlanUse) -> LayerPlan:
    groups = []
    for level in levels:
        groups.append(_group(level.level, level.policies, action))
    return _new_layer((layer, tuple(groups), True, RenderMemo(use)))


def _build(policies: PolicySet, action: str) -> Plan:
    scp, rcp, boundary, session = policies.scp, policies.rcp, policies.boundary, policies.session
    resource, endpoint = policies.resource, policies.endpoint
    rcp_exempt = None if rcp is None else rcp_not_applicable(action)
    use = PlanUse()
    return _new_plan(
        (
            None if scp is None else _chain(Layer.SCP, scp, action, use),
            None if rcp is None or rcp_exempt else _chain(Layer.RCP, rcp, action, use),
            rcp_exempt,
            _single(Layer.IDENTITY, policies.identity, action, use),
            # An empty boundary or session list means none (PolicySet).
            None if not boundary else _single(Layer.BOUNDARY, boundary, action, use),
            None if not session else _single(Layer.SESSION, session, action, use),
            None if resource is None else _single(Layer.RESOURCE, (resource,), action, use),
            None
            if endpoint is None
            else _new_layer(
                (
                    Layer.ENDPOINT,
                    tuple([_group(None, (n,), action) for n in endpoint]),
                    False,
                    RenderMemo(use),
                )
            ),
            action.lower() in NO_PERMISSION_ACTIONS,
            action.lower() in PROTECTABLE_ACTIONS,
            use,
        )
    )
