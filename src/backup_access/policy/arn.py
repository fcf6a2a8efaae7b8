"""ARN parsing and segment-aware ARN matching.

ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
Matching: "Each of the six colon-delimited components of the ARN is checked separately"
(ArnLike, reference_policies_elements_condition_operators.html#Conditions_ARN); the
``Resource`` element follows the same rule (reference_policies_elements_resource.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from backup_access.memo import memo
from backup_access.policy.wildcard import glob_matches

ARN_PARTS = 6


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Arn | None:
        """Parse ``text`` as an ARN, or return None when it is not one."""
        parts = text.split(":", ARN_PARTS - 1)
        if len(parts) != ARN_PARTS or parts[0] != "arn":
            return None
        return cls(parts[1], parts[2], parts[3], parts[4], parts[5])

    @property
    def resource_type(self) -> str:
        """The resource type prefix, e.g. ``role``, ``key``, ``backup-vault``."""
        for separator in ("/", ":"):
            if separator in self.resource:
                return self.resource.split(separator, 1)[0]
        return self.resource


def arn_matches(pattern: str, value: str) -> bool:
    """Match an ARN pattern against a value, each of the six components separately.

    Patterns or values that are not six-component ARNs (``*``, plain names) are compared
    as whole strings.
    """
    if pattern == "*":
        return True
    return _arn_matches(pattern, value)


@memo
@lru_cache(maxsize=65536)
def _arn_matches(pattern: str, value: str) -> bool:
    """Cached: the same patterns and ARNs recur across policies and requests."""
    pattern_parts = pattern.split(":", ARN_PARTS - 1)
    value_parts = value.split(":", ARN_PARTS - 1)
    if len(pattern_parts) != ARN_PARTS or len(value_parts) != ARN_PARTS:
        return glob_matches(pattern, value)
    return all(glob_matches(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))
