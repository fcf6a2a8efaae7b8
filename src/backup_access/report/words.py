"""Words people read, in place of the names the code uses: layers, parameters, the
one-line answer of an explanation. Shared by the text and Markdown reports."""

from __future__ import annotations

import re
from collections.abc import Sequence

from backup_access.catalogue import load_catalogue, operation_names
from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation, Verdict
from backup_access.policy.arn import Arn
from backup_access.report.layer_words import is_plural, layer_words

VERDICT_LABEL = {
    Verdict.ALLOWED: "✔ ALLOWED",
    Verdict.DENIED: "✘ DENIED",
    Verdict.UNKNOWN: "? UNKNOWN",
}

CHECK_MARK = {
    CheckDecision.ALLOWED: "✔",
    CheckDecision.IMPLICIT_DENY: "✘",
    CheckDecision.EXPLICIT_DENY: "✘",
    CheckDecision.DENIED: "✘",
    CheckDecision.UNKNOWN: "?",
}

# What the --error / --cloudtrail parsers record for themselves (their own tags for the
# message's form, the gate and the layer, which the checks already say in words).
_HIDDEN_PARAMETERS = frozenset({"kind", "family", "gate", "layer"})


def option_label(name: str) -> str:
    """``destination_vault`` → ``--destination-vault``: the name the user typed."""
    return "--" + name.replace("_", "-")


def is_operation(explanation: Explanation) -> bool:
    """Whether the explanation is of a catalogue operation (its parameters are options)."""
    return explanation.operation in operation_names()


def parameter_names(explanation: Explanation) -> list[str]:
    """The operation's parameter names (``source_vault``), which free text may mention."""
    if not is_operation(explanation):
        return []
    return [p.name for p in load_catalogue().operation(explanation.operation).parameters]


def humanise(text: str, names: Sequence[str]) -> str:
    """Parameter names in free text (``source_vault is a standard vault``) become the options
    typed. A name with an underscore is unmistakable anywhere outside an ARN; a one-word name
    (``key``) only opening the text, where it cannot be the English word or part of an ARN."""
    for name in sorted(names, key=len, reverse=True):
        if "_" in name:
            text = re.sub(rf"(?<![\w:/-]){re.escape(name)}(?![\w:/-])", option_label(name), text)
        elif text.startswith(name + " ") and _names_a_parameter(text[len(name) + 1 :]):
            text = option_label(name) + text[len(name) :]
    return text


# What follows a parameter's name opening a reason ("key was not given", "key arn:… is …");
# anything else ("role BackupOperatr of account …": the world's role) is the English word.
_AFTER_PARAMETER = frozenset({"is", "was", "unknown", "and", "not", "has", "names", "or"})


def _names_a_parameter(rest: str) -> bool:
    word = rest.split(" ", 1)[0]
    return word in _AFTER_PARAMETER or word.startswith("arn:")


def given_origins(explanation: Explanation) -> list[tuple[str, str]]:
    """How the world names each role or user given as an option (``role NAME of account
    ACCOUNT``), with that option: a missing principal is said to be the one typed there."""
    if not is_operation(explanation):
        return []
    origins = []
    for name, value in explanation.parameters:
        parts = value.split(":", 5)
        if len(parts) != 6 or parts[2] != "iam" or "/" not in parts[5]:
            continue
        kind, _, path = parts[5].partition("/")
        if kind in ("role", "user"):
            origins.append((f"{kind} {path.rsplit('/', 1)[-1]} of account {parts[4]}", name))
    return origins


def given_as(text: str, origins: Sequence[tuple[str, str]]) -> str:
    """``role X of account A`` → ``role X of account A (--caller)`` for the option it came
    from (a typo in --caller must not read as a problem with --role)."""
    for phrase, name in origins:
        text = re.sub(rf"{re.escape(phrase)}(?!\d)", f"{phrase} ({option_label(name)})", text)
    return text


def parameter_label(explanation: Explanation, name: str) -> str:
    """An operation's parameter as the option typed; other parameters (what an ``--error``
    message said) in words."""
    if is_operation(explanation):
        return option_label(name)
    return name.replace("_", " ") + ":"


def shown_parameters(explanation: Explanation) -> list[tuple[str, str]]:
    """The values the answer was worked out with, as the user knows them: an operation's
    options, or what an error message said."""
    shown = []
    for name, value in explanation.parameters:
        if is_operation(explanation):
            shown.append((option_label(name), value))
        elif name == "explicit":
            shown.append(("deny:", "explicit" if value.lower() == "true" else "implicit"))
        elif name not in _HIDDEN_PARAMETERS:
            shown.append((parameter_label(explanation, name), value))
    return shown


def parameters_heading(explanation: Explanation) -> str:
    return "Request" if is_operation(explanation) else "What the message says"


def layer_name(layer: str, check: CheckResult | None = None, level: str | None = None) -> str:
    """A layer as a sentence names it; a resource layer by the check's own words
    ("the destination vault's access policy")."""
    policy = check.resource_policy if check is not None else None
    return layer_words(layer, resource_policy=policy, level=level)


def _account(value: str | None) -> str | None:
    if not value:
        return None
    arn = Arn.parse(value)
    return arn.account or None if arn is not None else None


def is_same_account(check: CheckResult) -> bool:
    principal, resource = _account(check.principal), _account(check.resource)
    return principal is not None and principal == resource


def statement_label(check: CheckResult, layers: tuple[str, ...]) -> str:
    """``statement AllowCopy`` (its Sid) or ``statement 2 of POLICY``, for the first
    statement quoted from a blocking layer; empty when none is quoted."""
    for ref in check.statements:
        if ref.layer in layers:
            return f"statement {ref.sid}" if ref.sid else f"statement {ref.index} of {ref.policy}"
    return ""


def check_summary(check: CheckResult) -> str:
    """What a failing or unknown check says, as one clause."""
    if check.decision is CheckDecision.DENIED:
        return f"a setting blocks it: {first_clause(check.reason)} ({check.id})"
    if check.decision is CheckDecision.UNKNOWN:
        lacks = "; ".join(check.missing) or check.reason
        title = _lower_first(_without_asides(check.title))
        return f"cannot tell whether {title}: the world lacks {first_clause(lacks)}"
    subject = f"{check.action} for {check.principal}" if check.action else check.title
    layers = check.blocked_by
    level = next((r.level for r in check.statements if r.layer in layers and r.level), None)
    which = statement_label(check, layers)
    tail = f" ({which})" if which else ""
    if check.decision is CheckDecision.EXPLICIT_DENY:
        if not layers:
            return f"{check.title}: {check.reason}"
        name = layer_name(layers[0], check, level)
        return f"{name} {'deny' if is_plural(name) else 'denies'} {subject}{tail}"
    if "identity" in layers and "resource" in layers and is_same_account(check):
        # Same account: AWS allows when either side does (IAM policy evaluation logic,
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
        return (
            f"neither the identity policies nor {layer_name('resource', check)} allow "
            f"{subject}; in the same account either the identity policy or the "
            f"{_short(layer_name('resource', check))} would allow it{tail}"
        )
    if not layers:
        return f"{check.title}: {check.reason}"
    names = " nor ".join(layer_name(layer, check, level) for layer in layers)
    if len(layers) > 1:
        return f"neither {names} allows {subject}{tail}"
    verb = "do not allow" if is_plural(names) else "does not allow"
    return f"{names} {verb} {subject}{tail}"


# An aside in parentheses that belongs below the first line: a URL or a command to run.
_URL_OR_COMMAND = re.compile(r" \((?:https?://|aws )[^()]*(?:\([^()]*\)[^()]*)*\)")
_ASIDE = re.compile(r" \([^()]*\)")


def first_clause(reason: str) -> str:
    """A reason cut to what answers the question, for the first line: without URLs or
    commands in parentheses, up to its first "; " (the full reason is printed below)."""
    return _URL_OR_COMMAND.sub("", reason).split("; ", 1)[0]


def _without_asides(text: str) -> str:
    """A check's title without its remarks in parentheses (they are in the full check)."""
    return _ASIDE.sub("", text)


def _one_level(title: str) -> str:
    """``op (API (remark))`` → ``op (API)``: no parentheses inside parentheses."""
    nested = re.compile(r" \([^()]*\)(?=\))")
    while nested.search(title):
        title = nested.sub("", title)
    return title


def _short(resource_policy: str) -> str:
    """``the destination vault's access policy`` → ``vault policy`` style wording."""
    text = resource_policy.removeprefix("the ")
    if "vault" in text:
        return "vault policy"
    if "key policy" in text:
        return "key policy"
    if "trust policy" in text:
        return "trust policy"
    return text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def first_blocking(explanation: Explanation) -> CheckResult | None:
    """The check the answer is about: the first that denies, else the first unknown."""
    for check in explanation.checks:
        if check.decision.denies:
            return check
    for check in explanation.checks:
        if check.decision is CheckDecision.UNKNOWN:
            return check
    return None


def _unknown_reason(explanation: Explanation) -> str:
    """Why there is no answer when no check fails: where the world contradicts what AWS
    reported (an ``--error`` message the world allows), or that nothing was evaluated."""
    if explanation.disagreements:
        return explanation.disagreements[0]
    if explanation.unevaluated:
        return f"nothing was evaluated: {explanation.unevaluated}"
    return "nothing was evaluated, so there is no answer (see the notes)"


def headline(explanation: Explanation, title: str = "") -> str:
    """The verdict, the first failing check, its layer and statement or setting: one line."""
    label = VERDICT_LABEL[explanation.verdict]
    name = _one_level(title or explanation.operation)
    check = first_blocking(explanation)
    if check is None:
        if explanation.verdict is not Verdict.ALLOWED or not explanation.checks:
            return f"{label} {name} — {_unknown_reason(explanation)}"
        passed = sum(1 for c in explanation.checks if c.decision is CheckDecision.ALLOWED)
        skipped = f" ({len(explanation.skipped)} not applicable)" if explanation.skipped else ""
        checks = "the 1 check passes" if passed == 1 else f"all {passed} checks pass"
        return f"{label} {name} — {checks}{skipped}"
    failing = sum(1 for c in explanation.checks if c.decision is not CheckDecision.ALLOWED)
    more = f" (+{failing - 1} more)" if failing > 1 else ""
    summary = humanise(check_summary(check), parameter_names(explanation))
    return f"{label} {name} — {given_as(summary, given_origins(explanation))}{more}"
