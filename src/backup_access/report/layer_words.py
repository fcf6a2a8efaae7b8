"""Policy layers as a sentence names them ("the permissions boundary"), for every report."""

from __future__ import annotations

_LAYER = {
    "scp": "the service control policies (SCPs)",
    "rcp": "the resource control policies (RCPs)",
    "identity": "the identity policies",
    "boundary": "the permissions boundary",
    "session": "the session policy",
    "resource": "the resource policy",
    "endpoint": "the VPC endpoint policy",
    "setting": "a setting",
}


def layer_words(layer: str, *, resource_policy: str | None = None, level: str | None = None) -> str:
    """A layer's name in words; a resource layer by what the resource policy is
    ("the destination vault's access policy") when that is known."""
    if layer == "resource" and resource_policy:
        return resource_policy
    name = _LAYER.get(layer, layer)
    if level and layer in ("scp", "rcp"):
        return f"{name} at {level}"
    return name


def is_plural(name: str) -> bool:
    """Whether a layer's name takes a plural verb ("the identity policies do")."""
    return name.split(" at ", 1)[0].endswith(("policies", "(SCPs)", "(RCPs)"))
