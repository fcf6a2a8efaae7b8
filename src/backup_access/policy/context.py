"""The request context: condition keys and their values.

Key names are case-insensitive; values keep their case
(reference_policies_elements_condition.html, "Condition key names are not case-sensitive").
A value is a string (single-valued key) or a tuple of strings (multivalued key).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

ContextValue = str | tuple[str, ...]


class RequestContext(Mapping[str, ContextValue]):
    """Immutable mapping of condition keys, looked up case-insensitively."""

    __slots__ = ("_names", "_values")

    def __init__(self, values: Mapping[str, ContextValue] | None = None) -> None:
        self._values: dict[str, ContextValue] = {}
        self._names: dict[str, str] = {}
        for key, value in (values or {}).items():
            self._values[key.lower()] = value
            self._names[key.lower()] = key

    def __getitem__(self, key: str) -> ContextValue:
        return self._values[key.lower()]

    def get_value(self, key: str) -> ContextValue | None:
        """The value of ``key``, or None when the request does not carry it."""
        return self._values.get(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.values())

    def __len__(self) -> int:
        return len(self._values)

    @classmethod
    def layered(
        cls,
        given: Mapping[str, ContextValue],
        defaults: Iterable[tuple[str, ContextValue]],
    ) -> RequestContext:
        """``given`` over ``defaults``: the keys a caller supplies win over derived ones.

        Built in one pass, since every request builds one."""
        merged = cls()
        values, names = merged._values, merged._names
        for key, value in defaults:
            lowered = key.lower()
            values[lowered] = value
            names[lowered] = key
        for key, value in given.items():
            lowered = key.lower()
            values[lowered] = value
            names[lowered] = key
        return merged

    def as_dict(self) -> dict[str, ContextValue]:
        return {self._names[k]: v for k, v in sorted(self._values.items())}
