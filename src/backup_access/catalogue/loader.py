"""Load the catalogue from package data (``catalogue/data``), lazily and once.

One YAML file per operation under ``data/operations``; ``data/sources.yaml`` maps the source
tags checks cite (short names such as ``DG-XACCT``) to AWS URLs.
The data is validated as it is read: unknown keys, unknown parameters in templates and checks
without a source are errors; check ids unique across operations are checked by
``parse_catalogue``, which reads every file (the tests run it), while ``load_catalogue`` reads
an operation's file only when the operation is asked for. An operation's ``region`` template says
which Region its API call is sent to (``aws:RequestedRegion`` of its requests).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from backup_access.catalogue.model import (
    Actor,
    Catalogue,
    Check,
    CheckKind,
    Condition,
    Gate,
    Operation,
    Parameter,
    ParameterKind,
    Predicate,
    TypedBy,
)
from backup_access.catalogue.templates import ATTRIBUTES, placeholders
from backup_access.errors import BackupAccessError

_OPERATION_KEYS = frozenset(
    {
        "name",
        "title",
        "api",
        "source",
        "description",
        "parameters",
        "checks",
        "region",
        "typed_by",
    }
)
_PARAMETER_KEYS = frozenset({"help", "required", "default", "kind"})
_CHECK_KEYS = frozenset(
    {
        "id",
        "kind",
        "title",
        "source",
        "when",
        "actor",
        "principal",
        "action",
        "resource",
        "resource_policy",
        "resource_account",
        "recovery_point_vault",
        "via_service",
        "creates",
        "context",
        "gate",
        "args",
    }
)
_DEFAULT_PRINCIPAL = {
    Actor.CALLER: "{caller}",
    Actor.SERVICE_ROLE: "{role}",
    Actor.BACKUP_SERVICE: "backup.amazonaws.com",
}


# libyaml's loader when PyYAML has it: the package data parses ~20x faster than with the pure
# Python SafeLoader (tests/catalogue checks both give the same catalogue).
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str, loader: type[yaml.SafeLoader] = YAML_LOADER) -> Any:
    """Package data, parsed with the fastest safe loader PyYAML has."""
    return yaml.load(text, Loader=loader)


class CatalogueError(BackupAccessError):
    """The catalogue's package data is malformed (a bug in backup-access, not user input)."""


def _keys(raw: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {unknown}")


def _source(raw: object, sources: dict[str, str], where: str) -> str:
    if not isinstance(raw, str) or not raw:
        raise CatalogueError(f"{where}: every check and operation cites a source")
    if raw.startswith("https://"):
        return raw
    if raw not in sources:
        raise CatalogueError(f"{where}: unknown source tag {raw!r}")
    return sources[raw]


def _parameters(raw: dict[str, Any], where: str) -> tuple[Parameter, ...]:
    out = []
    for name, spec in raw.items():
        _keys(spec, _PARAMETER_KEYS, f"{where} parameter {name}")
        out.append(
            Parameter(
                name=name,
                help=str(spec["help"]),
                required=bool(spec.get("required", False)),
                default=spec.get("default"),
                kind=ParameterKind(spec.get("kind", "arn")),
            )
        )
    return tuple(out)


def _conditions(raw: object, where: str) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: 'when' is a mapping of predicate to arguments")
    out = []
    for name, args in raw.items():
        values = (args,) if isinstance(args, str) else tuple(args)
        out.append(Condition(Predicate(name), values))
    return tuple(out)


def _context(raw: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(
        (key, (value,) if isinstance(value, str) else tuple(value))
        for key, value in sorted(raw.items())
    )


def _check(raw: dict[str, Any], sources: dict[str, str], where: str) -> Check:
    _keys(raw, _CHECK_KEYS, where)
    kind = CheckKind(raw["kind"])
    actor = Actor(raw.get("actor", "none"))
    principal = raw.get("principal") or _DEFAULT_PRINCIPAL.get(actor)
    check = Check(
        id=str(raw["id"]),
        kind=kind,
        title=str(raw["title"]),
        source=_source(raw.get("source"), sources, where),
        when=_conditions(raw.get("when"), where),
        actor=actor,
        principal=principal,
        action=raw.get("action"),
        resource=raw.get("resource"),
        resource_policy=raw.get("resource_policy"),
        resource_account=raw.get("resource_account"),
        recovery_point_vault=raw.get("recovery_point_vault"),
        via_service=raw.get("via_service"),
        creates=bool(raw.get("creates", False)),
        context=_context(raw.get("context")),
        gate=Gate(raw["gate"]) if "gate" in raw else None,
        args=tuple(raw.get("args", ())),
    )
    if kind is CheckKind.PERMISSION and not (check.principal and check.action and check.resource):
        raise CatalogueError(f"{where}: a permission check needs principal, action, resource")
    if kind is CheckKind.SETTING and check.gate is None:
        raise CatalogueError(f"{where}: a setting check needs a gate")
    return check


def _templates(check: Check) -> list[str]:
    values = [
        check.principal,
        check.resource,
        check.resource_account,
        check.recovery_point_vault,
        check.via_service,
        *(v for _, values in check.context for v in values),
    ]
    return [v for v in values if v]


def _validate_names(operation: Operation) -> None:
    names = {p.name for p in operation.parameters}
    typed = operation.typed_by
    if typed is not None:
        wanted = [typed.vault, typed.recovery_point, typed.resource, "resource_type"]
        missing = [n for n in wanted if n is not None and n not in names]
        if missing:
            raise CatalogueError(f"{operation.name}: typed_by names unknown {missing}")
    for name, attribute in placeholders(operation.region or ""):
        if name not in names or (attribute is not None and attribute not in ATTRIBUTES):
            raise CatalogueError(f"{operation.name}: region refers to unknown {{{name}}}")
    for check in operation.checks:
        if not check.id.startswith(operation.name + "."):
            raise CatalogueError(f"check {check.id} must start with '{operation.name}.'")
        referenced = [
            n for c in check.when if c.predicate is not Predicate.TYPE_IN for n in c.args
        ] + list(check.args)
        for template in _templates(check):
            for name, attribute in placeholders(template):
                referenced.append(name)
                if attribute is not None and attribute not in ATTRIBUTES:
                    raise CatalogueError(f"{check.id}: unknown attribute .{attribute}")
        for name in referenced:
            if name not in names:
                raise CatalogueError(f"{check.id}: unknown parameter {name!r}")


def _typed_by(raw: object, where: str) -> TypedBy | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "vault" not in raw:
        raise CatalogueError(f"{where}: typed_by names the vault parameter")
    _keys(raw, frozenset({"vault", "recovery_point", "resource"}), f"{where} typed_by")
    return TypedBy(str(raw["vault"]), raw.get("recovery_point"), raw.get("resource"))


def parse_operation(raw: dict[str, Any], sources: dict[str, str], where: str) -> Operation:
    _keys(raw, _OPERATION_KEYS, where)
    checks = tuple(
        _check(item, sources, f"{where} check #{i}") for i, item in enumerate(raw["checks"])
    )
    operation = Operation(
        name=str(raw["name"]),
        title=str(raw["title"]),
        api=str(raw["api"]),
        source=_source(raw.get("source"), sources, where),
        parameters=_parameters(raw.get("parameters") or {}, where),
        checks=checks,
        description=str(raw.get("description", "")).strip(),
        region=str(raw["region"]) if raw.get("region") else None,
        typed_by=_typed_by(raw.get("typed_by"), where),
    )
    _validate_names(operation)
    return operation


class LazyOperations(Mapping[str, Operation]):
    """The operations by name, each file parsed when first looked up: one ``explain`` reads
    the file of its own operation only. Names come from the file names (``copy.yaml`` holds
    ``copy``); listing them or ``in`` reads nothing. Check ids unique across operations are
    checked by ``parse_catalogue``, which reads every file (tests/catalogue)."""

    def __init__(
        self, folder: Traversable, sources: dict[str, str], loader: type[yaml.SafeLoader]
    ) -> None:
        self._files = {
            entry.name.removesuffix(".yaml"): entry
            for entry in folder.iterdir()
            if entry.name.endswith(".yaml")
        }
        self._sources = sources
        self._loader = loader
        self._parsed: dict[str, Operation] = {}

    def __getitem__(self, name: str) -> Operation:
        found = self._parsed.get(name)
        if found is None:
            entry = self._files[name]
            raw = read_yaml(entry.read_text(encoding="utf-8"), self._loader)
            found = parse_operation(raw, self._sources, entry.name)
            if found.name != name:
                raise CatalogueError(
                    f"{entry.name}: operation {found.name} must be in {found.name}.yaml"
                )
            self._parsed[name] = found
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)


def _folder() -> Traversable:
    return resources.files("backup_access.catalogue").joinpath("data")


def _sources(folder: Traversable, loader: type[yaml.SafeLoader]) -> dict[str, str]:
    return dict(read_yaml(folder.joinpath("sources.yaml").read_text(encoding="utf-8"), loader))


@cache
def load_catalogue() -> Catalogue:
    """Every operation shipped with the package, by name; an operation's file is read when
    it is first asked for (start-up of one ``explain``, benchmarks/startup.py)."""
    folder = _folder()
    sources = _sources(folder, YAML_LOADER)
    return Catalogue(LazyOperations(folder.joinpath("operations"), sources, YAML_LOADER), sources)


def parse_catalogue(loader: type[yaml.SafeLoader]) -> Catalogue:
    """Every operation read and validated at once, check ids unique across them."""
    folder = _folder()
    sources = _sources(folder, loader)
    lazy = LazyOperations(folder.joinpath("operations"), sources, loader)
    operations: dict[str, Operation] = {}
    seen: set[str] = set()
    for name in lazy:
        operation = lazy[name]
        for check in operation.checks:
            if check.id in seen:
                raise CatalogueError(f"{name}.yaml: check id {check.id} is not unique")
            seen.add(check.id)
        operations[operation.name] = operation
    return Catalogue(operations, sources)


def operation_names() -> tuple[str, ...]:
    return tuple(sorted(load_catalogue().operations))
