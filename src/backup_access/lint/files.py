"""Lint a set of inputs with one set of settings: files, directories (every policy, template
or plan under them) and ``-`` (standard input).

``LintSettings`` is everything a run can be told: rules off (everywhere or per glob), the
kind of bare policies (everywhere or per glob) and the fail level. The command line builds
one; a configuration file can build another with ``settings_from_mapping`` and the two are
combined with ``LintSettings.overridden_by``. Nothing here prints.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backup_access.documents import read_text
from backup_access.errors import InputError
from backup_access.lint.extract import NotAPolicyError
from backup_access.lint.model import Finding, PolicyKind, Severity
from backup_access.lint.run import check_rule_ids, lint_text

STDIN = "-"
STDIN_NAME = "<stdin>"
FAIL_LEVELS = ("error", "warning", "info", "never")
# Under a directory only these files are read, and folders of tools and dependencies skipped.
LINTED_SUFFIXES = frozenset({".json", ".yaml", ".yml", ".template"})
_SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".svn", ".terraform", ".venv", "venv", "node_modules", "__pycache__", "cdk.out"}
)
# A file found under a directory that fails to parse is an error only if it looks like it was
# meant to be linted; other YAML/JSON (CI files, Helm templates) is skipped, and so is valid
# YAML/JSON that holds no policy (request files, worlds, package.json).
_POLICY_MARKERS = ("Statement", "AWSTemplateFormatVersion", "format_version", "PolicyDocument")


@dataclass(frozen=True, slots=True)
class GlobRules:
    """Rules turned off for inputs whose path matches ``glob``."""

    glob: str
    rules: frozenset[str]


@dataclass(frozen=True, slots=True)
class GlobKind:
    """The kind of bare policies whose path matches ``glob``."""

    glob: str
    kind: PolicyKind


@dataclass(frozen=True, slots=True)
class LintSettings:
    disabled: frozenset[str] = frozenset()
    disabled_for: tuple[GlobRules, ...] = ()
    kind: PolicyKind | None = None
    kind_for: tuple[GlobKind, ...] = ()
    fail_on: str = "error"

    def rules_off(self, path: str) -> frozenset[str]:
        return self.disabled.union(
            *(item.rules for item in self.disabled_for if _matches(path, item.glob))
        )

    def kind_of(self, path: str) -> PolicyKind | None:
        """The last ``kind_for`` whose glob matches wins (later settings refine earlier)."""
        matching = [item.kind for item in self.kind_for if _matches(path, item.glob)]
        return matching[-1] if matching else self.kind

    def overridden_by(self, other: LintSettings, *, fail_on_given: bool) -> LintSettings:
        """These settings (a configuration file's) with ``other`` (the command line's) on top:
        rule lists add up, globs are tried in order with ``other``'s last, a kind or fail
        level given on the command line replaces the file's."""
        return LintSettings(
            disabled=self.disabled | other.disabled,
            disabled_for=self.disabled_for + other.disabled_for,
            kind=other.kind or self.kind,
            kind_for=self.kind_for + other.kind_for,
            fail_on=other.fail_on if fail_on_given else self.fail_on,
        )

    def fails(self, findings: Iterable[Finding]) -> bool:
        if self.fail_on == "never":
            return False
        threshold = Severity(self.fail_on).rank
        return any(finding.severity.rank >= threshold for finding in findings)


@dataclass(frozen=True, slots=True)
class LintRun:
    """What linting some inputs found: findings in input order, and input errors."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _matches(path: str, glob: str) -> bool:
    posix = Path(path).as_posix()
    return fnmatch.fnmatch(posix, glob) or fnmatch.fnmatch(posix, f"*/{glob}")


def parse_glob_rules(text: str) -> GlobRules:
    """``'examples/*.json=BA020,BA031'``."""
    glob, separator, ids = text.rpartition("=")
    if not separator or not glob:
        raise InputError(f"expected GLOB=ID[,ID], got '{text}'")
    return GlobRules(glob, check_rule_ids(ids.split(",")))


def parse_glob_kind(text: str) -> GlobKind:
    """``'scps/*.json=scp'``."""
    glob, separator, kind = text.rpartition("=")
    if not separator or not glob:
        raise InputError(f"expected GLOB=KIND, got '{text}'")
    return GlobKind(glob, parse_kind(kind))


def parse_kind(text: str) -> PolicyKind:
    try:
        return PolicyKind(text.strip().lower())
    except ValueError:
        choices = ", ".join(k.value for k in PolicyKind)
        raise InputError(f"unknown policy kind '{text}' (expected one of {choices})") from None


def settings_from_mapping(settings: Mapping[str, Any], *, source: str) -> LintSettings:
    """Lint settings from a configuration table (e.g. ``[tool.backup-access.lint]``)::

        disable = ["BA020"]
        fail-on = "warning"
        kind = "identity"
        [disable-for]   "examples/*" = ["BA020"]
        [kind-for]      "scps/*.json" = "scp"

    Unknown keys, rule ids or kinds raise an ``InputError`` naming ``source`` and the key.
    """
    known = {"disable", "disable-for", "kind", "kind-for", "fail-on"}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise InputError(f"unknown lint setting(s): {', '.join(unknown)}", file=source)

    def fail(key: str, message: str) -> InputError:
        return InputError(f"{key}: {message}", file=source)

    try:
        disabled = check_rule_ids(_strings(settings.get("disable", []), "disable"))
        disabled_for = tuple(
            GlobRules(str(glob), check_rule_ids(_strings(ids, f"disable-for.{glob}")))
            for glob, ids in _table(settings.get("disable-for", {}), "disable-for").items()
        )
        kind = parse_kind(str(settings["kind"])) if "kind" in settings else None
        kind_for = tuple(
            GlobKind(str(glob), parse_kind(str(value)))
            for glob, value in _table(settings.get("kind-for", {}), "kind-for").items()
        )
    except InputError as error:
        raise InputError(error.message, file=source) from None
    fail_on = str(settings.get("fail-on", "error"))
    if fail_on not in FAIL_LEVELS:
        raise fail("fail-on", f"expected one of {', '.join(FAIL_LEVELS)}, got '{fail_on}'")
    return LintSettings(disabled, disabled_for, kind, kind_for, fail_on)


def _strings(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise InputError(f"{key}: expected a list of rule ids")


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(f"{key}: expected a table of GLOB = value")
    return value


def expand(inputs: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """(path, found by walking a directory) for every input; directories in sorted order."""
    for item in inputs:
        if item != STDIN and os.path.isdir(item):
            for found in sorted(_walk(Path(item))):
                yield str(found), True
        else:
            yield item, False


def _walk(root: Path) -> Iterator[Path]:
    for directory, folders, files in os.walk(root):
        folders[:] = [f for f in folders if f not in _SKIPPED_DIRECTORIES]
        for name in files:
            if Path(name).suffix.lower() in LINTED_SUFFIXES:
                yield Path(directory) / name


def lint_inputs(
    inputs: Sequence[str], settings: LintSettings, *, skip_non_policy: bool = False
) -> LintRun:
    """Lint every input; an input error is recorded and the other inputs are still linted.
    Files and standard input are read by the one guarded reader (``documents.read_text``:
    regular files only, a byte cap enforced while reading). ``skip_non_policy`` treats named
    files like files found under a directory (pre-commit passes every JSON and YAML file)."""
    run = LintRun()
    for path, found in expand(inputs):
        walked = found or skip_non_policy
        name = STDIN_NAME if path == STDIN else path
        try:
            text = read_text(path)
        except InputError as error:
            run.errors.append(error.located(file=name))
            continue
        try:
            run.findings.extend(
                lint_text(
                    text, file=name, kind=settings.kind_of(name), disabled=settings.rules_off(name)
                )
            )
        except NotAPolicyError as error:
            if walked:
                run.skipped.append(name)
            else:
                run.errors.append(error.located(file=error.file or name))
            continue
        except InputError as error:
            if walked and not any(marker in text for marker in _POLICY_MARKERS):
                run.skipped.append(name)
                continue
            run.errors.append(error.located(file=error.file or name))
    return run
