"""Layer is the one vocabulary for policy kinds: the parser's attachment check names the
layer with Layer's wording, and the engine's Layer is the same enum."""

from __future__ import annotations

import pytest

from backup_access.engine.model import Layer as EngineLayer
from backup_access.errors import PolicyError
from backup_access.policy.layer import Layer
from backup_access.policy.parse import parse_policy
from backup_access.policy.use import check_use

_WITH_PRINCIPAL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
}
_WITHOUT_PRINCIPAL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}


def test_the_engine_re_exports_the_policy_layer() -> None:
    assert EngineLayer is Layer


def test_names_follow_one_table() -> None:
    assert Layer.IDENTITY.policy_phrase == "an identity-based policy"
    assert Layer.SCP.policy_phrase == "a service control policy"
    assert Layer.BOUNDARY.policy_phrase == "a permissions boundary"
    assert (Layer.SCP.short_name, Layer.SCP.long_name) == ("SCP", "service control policy (SCP)")
    assert Layer.RESOURCE.short_name == Layer.RESOURCE.long_name == "resource-based policy"
    assert (Layer.SCP.short_phrase, Layer.RCP.short_phrase) == ("an SCP", "an RCP")
    assert Layer.SESSION.short_phrase == "a session policy"


def test_every_layer_has_a_sentence_name_and_reports_use_it() -> None:
    from backup_access.report.layer_words import is_plural, layer_words

    for layer in Layer:
        assert layer.in_a_sentence
        assert layer_words(layer.value) == layer.in_a_sentence
    assert layer_words("scp", level="ou-ab12") == f"{Layer.SCP.in_a_sentence} at ou-ab12"
    assert layer_words("resource", resource_policy="the key policy") == "the key policy"
    assert layer_words("setting") == "a setting"  # a catalogue gate, not a layer
    assert is_plural(layer_words("grant")) and not is_plural(layer_words("session"))


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        (Layer.IDENTITY, "Principal is not allowed in an identity-based policy"),
        # A boundary and a session policy are written as identity-based policies
        # (access_policies.html), so the error names that grammar.
        (Layer.BOUNDARY, "Principal is not allowed in an identity-based policy"),
        (Layer.SESSION, "Principal is not allowed in an identity-based policy"),
        (Layer.SCP, "Principal is not allowed in a service control policy"),
    ],
)
def test_a_principal_is_refused_where_the_layer_cannot_name_one(layer: Layer, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        check_use(parse_policy(_WITH_PRINCIPAL), layer)
    assert check_use(parse_policy(_WITHOUT_PRINCIPAL), layer).statements


@pytest.mark.parametrize(
    ("layer", "phrase"),
    [(Layer.RESOURCE, "a resource-based policy"), (Layer.RCP, "a resource control policy")],
)
def test_a_principal_is_required_where_the_layer_must_name_one(layer: Layer, phrase: str) -> None:
    with pytest.raises(PolicyError, match=f"a statement of {phrase} must name a Principal"):
        check_use(parse_policy(_WITHOUT_PRINCIPAL), layer)
    assert check_use(parse_policy(_WITH_PRINCIPAL), layer).statements


def test_a_layer_that_holds_no_policy_cannot_be_checked() -> None:
    with pytest.raises(ValueError, match="not a policy document"):
        check_use(parse_policy(_WITHOUT_PRINCIPAL), Layer.GRANT)
