"""``frozen.maker`` builds the same objects as the class's own constructor, only faster."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from backup_access.frozen import maker
from backup_access.policy.model import Condition, Effect, Policy, PrincipalSpec, Statement


def _statement() -> tuple[object, ...]:
    condition = Condition("StringEquals", "aws:PrincipalOrgID", ("o-a1b2c3d4e5",), "/Statement", 3)
    return (
        3,
        "Copy",
        Effect.ALLOW,
        ("backup:CopyIntoBackupVault",),
        None,
        ("*",),
        None,
        PrincipalSpec(aws=("111111111111",)),
        None,
        (condition,),
        "/Statement",
        3,
    )


def test_made_objects_equal_hash_and_print_like_constructed_ones() -> None:
    fields = _statement()
    made, built = maker(Statement)(*fields), Statement(*fields)
    assert made == built
    assert hash(made) == hash(built)
    assert repr(made) == repr(built)
    assert made.label == "#3 (Copy)"


def test_made_objects_stay_frozen() -> None:
    made = maker(Policy)("2012-10-17", None, ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.version = "2008-10-17"  # type: ignore[misc]


def test_every_field_must_be_given() -> None:
    with pytest.raises(TypeError):
        maker(Policy)("2012-10-17", None)


def test_classes_a_maker_cannot_build_faithfully_are_refused() -> None:
    @dataclass(frozen=True)
    class WithoutSlots:
        value: int

    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="not a slots dataclass"):
        maker(WithoutSlots)
    with pytest.raises(TypeError, match="__post_init__"):
        maker(Checked)
