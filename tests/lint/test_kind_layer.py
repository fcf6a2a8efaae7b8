"""Lint's document kinds are finer than the policy layers, but map onto them and take their
names from Layer (one vocabulary for policy kinds)."""

from __future__ import annotations

from backup_access.lint.model import PolicyKind
from backup_access.policy.layer import Layer


def test_every_kind_maps_to_a_layer() -> None:
    assert {kind: kind.layer for kind in PolicyKind} == {
        PolicyKind.IDENTITY: Layer.IDENTITY,
        PolicyKind.RESOURCE: Layer.RESOURCE,
        PolicyKind.KMS_KEY: Layer.RESOURCE,
        PolicyKind.TRUST: Layer.RESOURCE,
        PolicyKind.SCP: Layer.SCP,
        PolicyKind.RCP: Layer.RCP,
    }


def test_kinds_that_are_their_layer_use_its_name() -> None:
    for kind in (PolicyKind.IDENTITY, PolicyKind.RESOURCE, PolicyKind.SCP, PolicyKind.RCP):
        assert kind.full_name == kind.layer.full_name
        assert kind.policy_phrase == kind.layer.policy_phrase
    assert PolicyKind.KMS_KEY.policy_phrase == "a KMS key policy"
    assert PolicyKind.TRUST.policy_phrase == "a role trust policy"
