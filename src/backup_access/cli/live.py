"""``explain --live``: collect just what one question touches, cache it, and explain on it.

The accounts and Regions come from the ARNs in the question (the operation's options, or the
error message): the caller's and the role's accounts, the vaults' and keys' accounts. When
the credentials can read the organization (management account or delegated administrator)
its whole tree and policies are read too, so SCPs and RCPs on every path are known;
otherwise only those accounts, the others entered with ``sts:AssumeRole`` into
``OrganizationAccountAccessRole``. The result is a world directory under the user's cache
directory (platformdirs), reused while it is younger than ``--live-max-age`` seconds; its age
is printed on stderr.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from backup_access.cli.common import echo_error
from backup_access.world.manifest import MANIFEST_NAME

LIVE_KEY = "backup_access.live_max_age"
LIVE_PROFILE_KEY = "backup_access.live_profile"
DEFAULT_MAX_AGE = 900
_ARN = re.compile(r"arn:aws[a-zA-Z-]*:[a-z0-9-]+:([a-z0-9-]*):(\d{12}):[^\s\"'<>,;)]+")


class Seconds(click.IntRange):
    """``--live-max-age``: a whole number of seconds, 0 or more, said in those words."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(
                f"'{value}' is not a number of seconds (a whole number, 0 or more)", param, ctx
            )


@dataclass(frozen=True, slots=True)
class Touched:
    """The accounts and Regions named by a question's ARNs."""

    accounts: tuple[str, ...]
    regions: tuple[str, ...]


def touched(texts: Iterable[object]) -> Touched:
    accounts: set[str] = set()
    regions: set[str] = set()
    for text in texts:
        for match in _ARN.finditer(str(text or "")):
            if match.group(1):
                regions.add(match.group(1))
            accounts.add(match.group(2))
    return Touched(tuple(sorted(accounts)), tuple(sorted(regions)))


def cache_root() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("backup-access")) / "live"


def cache_dir(question: Touched, profile: str | None = None, *, caller: str = "") -> Path:
    """One cache directory per identity (the caller's ARN: two principals never share what
    one of them could read), credentials source and question scope. Only a hash of them
    names the directory."""
    scope = {
        "caller": caller,
        "profile": profile or os.environ.get("AWS_PROFILE") or "",
        "endpoint": os.environ.get("AWS_ENDPOINT_URL") or "",
        "accounts": list(question.accounts),
        "regions": list(question.regions),
    }
    digest = hashlib.sha256(json.dumps(scope, sort_keys=True).encode()).hexdigest()[:16]
    return cache_root() / digest


@dataclass(frozen=True, slots=True)
class Cached:
    """A cached world's age and who collected it (the manifest's ``collected_by``)."""

    age: dt.timedelta
    collected_by: str


def _cached(directory: Path, now: dt.datetime) -> Cached | None:
    try:
        manifest: dict[str, Any] = json.loads((directory / MANIFEST_NAME).read_text())
        when = dt.datetime.fromisoformat(str(manifest["collected_at"]).replace("Z", "+00:00"))
        return Cached(now - when, str(manifest.get("collected_by") or "?"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _describe(age: dt.timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 90:
        return f"{seconds} s ago"
    if seconds < 5400:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def _question(texts: Iterable[object]) -> Touched:
    question = touched(texts)
    if not question.accounts:
        raise click.UsageError("--live needs ARNs in the question, to know which accounts to read")
    return question


def collect_question(
    texts: Iterable[object], *, profile: str | None = None, caller: str | None = None
) -> Path:
    """Collect the question's accounts and Regions now, bypassing (and refreshing) the cache:
    with the organization when readable, else the accounts alone. Raises ``CollectError``
    when AWS cannot be read from here (``fix --apply`` reports it and keeps what it applied)."""
    from backup_access.cli.collect import run_collect
    from backup_access.collect.run import CollectError, CollectOptions, caller_arn

    question = _question(texts)
    caller = caller or caller_arn(profile)
    directory = cache_dir(question, profile, caller=caller)
    options = CollectOptions(
        profile=profile,
        org=True,
        accounts=question.accounts,
        regions=question.regions,
        follow_keys=True,
    )
    try:
        run_collect(options, directory)
    except CollectError:  # the organization cannot be read from here: the accounts alone
        fallback = CollectOptions(
            profile=profile, accounts=question.accounts, regions=question.regions, follow_keys=True
        )
        run_collect(fallback, directory)
    click.echo(
        f"live world {directory}: collected now for account(s) {', '.join(question.accounts)} "
        f"by {caller}",
        err=True,
    )
    return directory


def live_world(texts: Iterable[object], *, max_age: int, profile: str | None = None) -> Path:
    """A world directory for the question: cached if young enough, else collected now, with
    ``profile``'s credentials (each profile has its own cache)."""
    from backup_access.cli.collect import EXIT_AWS
    from backup_access.collect.run import CollectError, caller_arn

    texts = list(texts)
    question = _question(texts)
    try:
        caller = caller_arn(profile)  # the cache is per identity: who is asking decides
        directory = cache_dir(question, profile, caller=caller)
        cached = _cached(directory, dt.datetime.now(dt.UTC))
        if cached is not None and cached.age.total_seconds() <= max_age:
            click.echo(
                f"live world {directory}: collected {_describe(cached.age)} by "
                f"{cached.collected_by} (cached)",
                err=True,
            )
            return directory
        return collect_question(texts, profile=profile, caller=caller)
    except CollectError as error:
        echo_error(error)
        raise SystemExit(EXIT_AWS) from None


def given_on_command_line(ctx: click.Context, name: str) -> bool:
    """Whether the option was typed (not its default): ``--live-max-age`` without ``--live``
    is a mistake to say, not a setting to ignore."""
    return ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE


def use_live_world(
    ctx: click.Context, settings: Any, texts: Iterable[object], *, profile: str | None = None
) -> None:
    """With ``--live``, point ``settings.world`` at the question's live world, read with
    ``profile`` (else the one ``explain --profile`` gave, else the standard chain)."""
    max_age = ctx.meta.get(LIVE_KEY)
    if max_age is None:
        return
    settings.world = live_world(
        texts, max_age=int(max_age), profile=profile or ctx.meta.get(LIVE_PROFILE_KEY)
    )
