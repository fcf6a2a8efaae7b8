"""Find documentation placeholders left in policy text, in every form people leave them.

- account ids AWS documentation uses: 111122223333-style blocks, one repeated digit
  (111111111111), counting sequences (123456789012, 012345678901, 210987654321);
- organization, root and OU ids that are valid in format but filler (o-xxxxxxxx11,
  ou-xxxx-xxxxxxxx, o-1234567890, r-examplerootid);
- words: SourceAccountID, ACCOUNT_ID, Account-ID, role-name…, as a whole segment, and
  ``Region``/``Account`` where an ARN's Region or account belongs;
- bracketed names anywhere: ``<region>``, ``[ROLE_NAME]``, ``{{vault}}``;
- ``${Account}``: in a bare policy, ``${…}`` that names no condition key is not an IAM policy
  variable (those are ``${aws:username}``, ``${aws:PrincipalTag/team}``, ``${*}``…), so it is
  left-over template text; in CloudFormation it is a ``!Sub`` reference and stays opaque.

Every pattern here is linear: fixed alternatives, bounded repeats, no nested quantifiers.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from backup_access.lint.value_formats import known_regions

_TWELVE_DIGITS = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_SEQUENCES = ("123456789012", "012345678901", "210987654321", "098765432109")
_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_BRACKETED = re.compile(
    r"<[A-Za-z][^<>]{0,40}>|\[[A-Za-z][A-Za-z0-9 _.-]{0,40}\]|\{\{[^{}]{1,40}\}\}"
)
_SEGMENTS = re.compile(r"[:/]")
_WORDS = (
    # SourceAccountID, destination-account-number, your_account_id…
    re.compile(
        r"(?:source|destination|dest|target|your|my|member|management|central|other|"
        r"cross|external|the)?[-_ ]?account[-_ ]?(?:id|number|no)",
        re.I,
    ),
    # role-name, VAULT_NAME, KeyId, bucket-name, org-id…
    re.compile(
        r"(?:your[-_ ]?)?(?:role|vault|key|bucket|org|organization|ou|user|policy|region|"
        r"partition|resource|backup[-_ ]?vault|kms[-_ ]?key)[-_ ]?(?:id|name|arn)",
        re.I,
    ),
    re.compile(
        r"REGION|ACCOUNT|PARTITION|PLACEHOLDER|CHANGEME|CHANGE[-_]ME|TODO|TBD|FIXME|"
        r"REPLACE[-_]?ME|XXXX+|xxxx+"
    ),
    re.compile(r"1234abcd-12ab-34cd-56ef-1234567890ab"),
)
_ID_PREFIXES = ("o-", "ou-", "r-")
_COUNTING = ("0123456789", "1234567890", "abcdefghij")


class Placeholder(NamedTuple):
    """The placeholder text and, when it needs one, why it is one."""

    text: str
    why: str = ""


def is_documentation_account(digits: str) -> bool:
    """A 12-digit id of the kinds AWS documentation uses as examples."""
    blocks = (digits[0:4], digits[4:8], digits[8:12])
    return (
        len(set(digits)) == 1
        or digits in _SEQUENCES
        or all(len(set(block)) == 1 for block in blocks)
    )


def is_filler_id(segment: str) -> bool:
    """o-, ou- and r- ids that are valid in format but filler (x runs, one repeated
    character, counting sequences, 'example')."""
    lowered = segment.lower()
    if not lowered.startswith(_ID_PREFIXES):
        return False
    body = lowered.split("-", 1)[1].replace("-", "")
    return (
        "xxxx" in body
        or "example" in body
        or (len(body) >= 4 and len(set(body)) == 1)
        or any(run in body for run in _COUNTING)
    )


def is_iam_variable(name: str) -> bool:
    """``${aws:username}``, ``${saml:sub}``, ``${*}``…: a condition key or a special one.
    ``${AWS::Region}`` (double colon) is a CloudFormation pseudo parameter, not a key."""
    name = name.split(",", 1)[0].strip()  # ${aws:username, 'default'}
    if name in ("*", "?", "$"):
        return True
    return ":" in name and "::" not in name


def _arn_slot_placeholder(text: str) -> Placeholder | None:
    """``arn:aws:backup:Region:Account-ID:…``: a word where the Region or account belongs."""
    parts = text.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    region, account = parts[3], parts[4]
    if region and region.isalpha() and region.lower() not in known_regions():
        return Placeholder(region, "a word where the ARN's Region belongs")
    if (
        account
        and account != "aws"
        and any(c.isalpha() for c in account)
        and "*" not in account
        and not account.startswith("${")
    ):
        return Placeholder(account, "a word where the ARN's account id belongs")
    return None


def find_placeholder(text: str, *, templated: bool = False) -> Placeholder | None:
    """The first placeholder in ``text``, if any. ``templated``: the text comes from a
    CloudFormation template, where ``${Name}`` is a reference, not a placeholder."""
    for match in _VARIABLE.finditer(text):
        if not templated and not is_iam_variable(match.group(1)):
            return Placeholder(
                match.group(0),
                "not an IAM policy variable (those name a condition key, e.g. "
                "${aws:username}); left-over template text",
            )
    bare = _VARIABLE.sub("", text)
    for match in _TWELVE_DIGITS.finditer(bare):
        if is_documentation_account(match.group(0)):
            return Placeholder(match.group(0), "an example account id from documentation")
    bracketed = _BRACKETED.search(bare)
    if bracketed:
        return Placeholder(bracketed.group(0))
    slot = _arn_slot_placeholder(bare)
    if slot:
        return slot
    for segment in _SEGMENTS.split(bare):
        if is_filler_id(segment):
            return Placeholder(segment, "a filler id, not a real one")
        if any(pattern.fullmatch(segment) for pattern in _WORDS):
            return Placeholder(segment)
        if "EXAMPLE" in segment:
            return Placeholder(segment)
    return None
