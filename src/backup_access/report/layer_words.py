"""Policy layers as a sentence names them ("the permissions boundary"), for every report.

The names are ``Layer.in_a_sentence``; this module adds what a report knows beyond the
layer: the resource policy's own name, the SCP/RCP level, and the catalogue's non-policy
gates (``"setting"``), which are not layers.
"""

from __future__ import annotations

from backup_access.policy.layer import Layer

_NOT_A_LAYER = {"setting": "a setting"}
_LAYERS = {layer.value: layer for layer in Layer}


def layer_words(layer: str, *, resource_policy: str | None = None, level: str | None = None) -> str:
    """A layer's name in words; a resource layer by what the resource policy is
    ("the destination vault's access policy") when that is known."""
    known = _LAYERS.get(layer)
    if known is Layer.RESOURCE and resource_policy:
        return resource_policy
    if known is None:
        return _NOT_A_LAYER.get(layer, layer)
    if level and known in (Layer.SCP, Layer.RCP):
        return f"{known.in_a_sentence} at {level}"
    return known.in_a_sentence


def is_plural(name: str) -> bool:
    """Whether a layer's name takes a plural verb ("the identity policies do")."""
    return name.split(" at ", 1)[0].endswith(("policies", "grants", "(SCPs)", "(RCPs)"))
