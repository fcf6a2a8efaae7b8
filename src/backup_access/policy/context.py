"""The request context: condition keys and their values.

Key names are case-insensitive; values keep their case
(reference_policies_elements_condition.html, "Condition key names are not case-sensitive").
A value is a string (single-valued key) or a tuple of strings (multivalued key).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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

    def overlaid(self, given: Mapping[str, ContextValue]) -> RequestContext:
        """``given`` over this context: the keys a caller supplies win over derived ones.

        Built by copying this context's tables, since every request builds one."""
        merged = RequestContext.__new__(RequestContext)
        merged._values = values = self._values.copy()
        merged._names = names = self._names.copy()
        for key, value in given.items():
            lowered = key.lower()
            values[lowered] = value
            names[lowered] = key
        return merged

    def as_dict(self) -> dict[str, ContextValue]:
        return {self._names[k]: v for k, v in sorted(self._values.items())}

    def as_json(self) -> dict[str, str | list[str]]:
        """Sorted by key, with multivalued keys as lists (the JSON output's form)."""
        names, values = self._names, self._values
        shown: dict[str, str | list[str]] = {}
        for key in sorted(values):  # the keys alone: sorting their items compares tuples
            value = values[key]
            shown[names[key]] = value if type(value) is str else list(value)
        return shown
