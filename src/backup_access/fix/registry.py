"""Fix generators, found by walking ``backup_access.fix.generators``.

Every module there defines ``GENERATOR``: a ``Generator`` with a stable id, a title, the AWS
page it follows and ``propose(context, failure) -> Proposal | None``. Two generators with
one id fail at import (``DuplicateGeneratorError``), like cfn-lint's duplicate rule ids.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from backup_access.fix.model import Failure, Proposal

if TYPE_CHECKING:
    from backup_access.fix.context import FixContext


class DuplicateGeneratorError(Exception):
    """Two fix generators claim the same id."""


@dataclass(frozen=True, slots=True)
class Generator:
    id: str
    title: str
    source: str  # the AWS page the change follows
    propose: Callable[[FixContext, Failure], Proposal | None]


def discover(package: str) -> tuple[Generator, ...]:
    """Every ``GENERATOR`` in the modules of ``package``, sorted by id."""
    found: dict[str, Generator] = {}
    module = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda i: i.name):
        loaded = importlib.import_module(f"{package}.{info.name}")
        generator = getattr(loaded, "GENERATOR", None)
        if not isinstance(generator, Generator):
            continue
        if generator.id in found:
            raise DuplicateGeneratorError(
                f"fix generator id {generator.id} is used by {found[generator.id].title!r} "
                f"and by {generator.title!r} ({package}.{info.name})"
            )
        found[generator.id] = generator
    return tuple(found[key] for key in sorted(found))


@cache
def generators() -> tuple[Generator, ...]:
    return discover("backup_access.fix.generators")


def generator(generator_id: str) -> Generator:
    for item in generators():
        if item.id == generator_id:
            return item
    raise KeyError(generator_id)
