"""EC2 Allowed AMIs of one account in one Region: whether AMIs of other accounts may be used
there, which decides a cross-account copy of an EC2 recovery point ("Source AMI not found in
Region").

GetAllowedImagesSettings answers ``State`` (``disabled``, ``audit-mode`` or ``enabled``),
``ImageCriteria`` (ImageCriterion objects, each with ``ImageProviders``) and ``ManagedBy``
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterion.html). The world
keeps the state and every criterion's providers. A criterion may also hold image names,
Marketplace product codes or age conditions that narrow its providers; the world has no place
for them, so an ``enabled`` setting with such a criterion is left out (unknown) with a gap,
never recorded as if its providers were allowed without condition. An answer without a known
``State`` is a gap too, never taken as ``disabled``. ``ManagedBy`` is kept: with
``declarative-policy`` the account cannot change the setting, its organization's declarative
policy does.
"""

from __future__ import annotations

from typing import Any

from backup_access.collect.calls import MISSING, Gap, Reader
from backup_access.world.backup_parts import IMAGE_MANAGERS
from backup_access.world.model import AllowedImages

PART = "EC2 Allowed AMIs"
STATES = ("enabled", "audit-mode", "disabled")
_PROVIDERS = "ImageProviders"


def read_allowed_images(reader: Reader, region: str) -> AllowedImages | None:
    """The Region's Allowed AMIs, or None (with a gap) when it cannot be read or recorded."""
    answer = reader.call(
        reader.client("ec2", region), "get_allowed_images_settings", part=PART, region=region
    )
    if answer is None or answer is MISSING:
        return None
    state = answer.get("State")
    if state not in STATES:
        _unrecorded(reader, region, f"its State is {state!r}, not one of {', '.join(STATES)}")
        return None
    criteria = [c for c in answer.get("ImageCriteria") or [] if isinstance(c, dict)]
    # Any other member of a criterion (names, product codes, age or scan conditions, and any
    # AWS adds later) narrows which of its providers' images are allowed.
    narrowed = sorted(
        {key for c in criteria for key, value in c.items() if key != _PROVIDERS and value}
    )
    if state == "enabled" and narrowed:
        _unrecorded(
            reader,
            region,
            f"its image criteria also use {', '.join(narrowed)}, which a world cannot record: "
            "which images of a provider are allowed is unknown",
        )
        return None
    providers = [str(p) for c in criteria for p in c.get(_PROVIDERS) or []]
    managed_by = answer.get("ManagedBy")
    return AllowedImages(
        state=str(state),
        providers=tuple(sorted(dict.fromkeys(providers))),
        # A value AWS may add later is not recorded: who manages the setting is then unknown.
        managed_by=managed_by if managed_by in IMAGE_MANAGERS else None,
    )


def ec2_section(images: AllowedImages) -> dict[str, Any]:
    """The Region's ``ec2`` world section."""
    section: dict[str, Any] = {"state": images.state, "providers": list(images.providers)}
    if images.managed_by is not None:
        section["managed_by"] = images.managed_by
    return {"allowed_images": section}


def _unrecorded(reader: Reader, region: str, why: str) -> None:
    reader.log.add_gap(Gap(reader.account, region, PART, "(parse)", why, None))
