"""Wrapping a recognised message in any wrapper a tool puts around it, or masking any account
id in it, yields the same understanding (property tests over the corpus's bare messages)."""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.diagnose.messages import ParsedMessage, parse_error_message
from tests.diagnose.test_message_corpus import BY_ID

BARE = [
    BY_ID[name]["text"]
    for name in (
        "scp-explicit-with-policy-arn",
        "boundary-implicit",
        "session-explicit-sessions",
        "rcp-explicit-kms",
        "vpc-endpoint-no-resource",
        "role-trust-implicit",
        "s3-quoted-resource-session",
        "old-form-no-policy-type",
        "default-cmk-copy-job",
        "given-key-not-accessible",
        "rds-kms-fault-backup-job",
        "sharing-restrictions",
        "cross-account-disabled",
        "same-organization",
        "destination-default-key",
        "aws-managed-key-not-shareable",
        "role-not-assumable",
        "role-insufficient-backup",
        "role-insufficient-restore",
        "s3-describe-denied",
        "backup-service-access-denied",
        "recovery-point-not-created",
        "retention-out-of-range",
        "unsupported-feature",
        "source-ami-not-found",
    )
] + [
    "Insufficient privileges to perform this action.",
    "The ciphertext refers to a customer master key that does not exist, does not exist in "
    "this region, or you are not allowed to access.",
    "IAM Role arn:aws:iam::674762530604:role/AWSBackupServiceRole is not authorized to call "
    "tag:GetResources",
    "Backup vault cannot be deleted because it contains recovery points.",
    "Invalid backup selection. Either 'ListOfTags' or 'Resources' section must be non-empty.",
    "This snapshot is managed by the AWS Backup service and cannot be deleted via EC2 APIs.",
]
RID = "4bc06b8e-0e3c-4e59-9a8f-8f0e7e2c3a1d"
Wrapper = Callable[[str], str]


def _go_v2(message: str) -> str:
    return (
        "operation error Backup: StartCopyJob, https response error StatusCode: 400, "
        f"RequestID: {RID}, AccessDeniedException: {message}"
    )


WRAPPERS: dict[str, Wrapper] = {
    "aws-cli": lambda m: (
        f"An error occurred (AccessDeniedException) when calling the StartCopyJob operation: {m}"
    ),
    "boto3-log": lambda m: (
        "[ERROR] 2026-03-31T09:00:41.188Z 1f2e botocore.exceptions.ClientError: An error "
        f"occurred (AccessDeniedException) when calling the StartCopyJob operation: {m}"
    ),
    "go-sdk-v1": lambda m: f"AccessDeniedException: {m}\n\tstatus code: 400, request id: {RID}",
    "go-sdk-v2": _go_v2,
    "java-sdk": lambda m: (
        f"{m} (Service: AWSBackup; Status Code: 400; Error Code: AccessDeniedException; "
        f"Request ID: {RID}; Proxy: null)"
    ),
    "js-sdk": lambda m: (
        f"AccessDeniedException: {m}\n    at de_AccessDeniedExceptionRes (/var/task/index.js:1:1)"
        f"\n  '$metadata': {{ httpStatusCode: 400, requestId: '{RID}' }}"
    ),
    "terraform": lambda m: (
        f"╷\n│ Error: creating Backup Vault (v): {_go_v2(m)}\n│\n│   with aws_backup_vault.v,\n"
        '│   on main.tf line 1, in resource "aws_backup_vault" "v":\n'
        '│    1: resource "aws_backup_vault" "v" {\n╵'
    ),
    "cloudformation": lambda m: (
        f'Resource handler returned message: "{m} (Service: Backup, Status Code: 400, Request '
        f'ID: {RID})" (RequestToken: 5f1e-22, HandlerErrorCode: AccessDenied)'
    ),
    "cdk": lambda m: (
        "MyStack | 3/5 | 10:00:00 AM | CREATE_FAILED | AWS::Backup::BackupVault | Vault "
        f'(VaultABC) Resource handler returned message: "{m}" (RequestToken: 1-2, '
        "HandlerErrorCode: GeneralServiceException)"
    ),
    "log-line": lambda m: f"2026-05-01T10:00:00.123Z ERROR {m}",
    "logfmt": lambda m: f'time="2026-05-01T10:00:00Z" level=error msg={json.dumps(m)}',
    "xml": lambda m: (
        f"<Error><Code>AccessDenied</Code><Message>{html.escape(m, quote=False)}</Message>"
        "<RequestId>R1</RequestId></Error>"
    ),
    "cloudtrail-json": lambda m: (
        f'{{"eventName": "StartCopyJob", "errorCode": "AccessDenied", "errorMessage": '
        f"{json.dumps(m)}}}"
    ),
    "backup-job": lambda m: json.dumps(
        {"CopyJob": {"CopyJobId": "c1", "State": "FAILED", "StatusMessage": m}}, indent=4
    ),
    "wrapped-lines": lambda m: textwrap.indent(
        textwrap.fill(m, 50, break_on_hyphens=False, break_long_words=False), "    "
    ),
    "other-language": lambda m: f"エラーが発生しました: {m} 。管理者に連絡してください。",
    "markdown-quote": lambda m: "> " + m,
}
MASKS = (
    "XXXXXXXXXXXX",
    "X",
    "xxxx",
    "<account_id>",
    "<ACCOUNT>",
    "{account}",
    "*******",
    "----",
    "#####",
    "123456789012",
    "12345678901",
    "[REDACTED]",
)
_ACCOUNT = re.compile(r"(?<=:)\d{12}(?=:)")


def understanding(parsed: ParsedMessage) -> tuple[object, ...]:
    return (
        parsed.kind,
        parsed.family,
        parsed.gate,
        parsed.principal,
        parsed.action,
        parsed.resource,
        parsed.explicit,
        parsed.policy_type,
        parsed.layer,
        parsed.policy_arn,
        parsed.role,
        parsed.key,
        tuple(m.field for m in parsed.masked),
    )


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(BARE), st.sampled_from(sorted(WRAPPERS)), st.sampled_from(sorted(WRAPPERS)))
def test_any_wrapper_keeps_the_understanding(message: str, outer: str, inner: str) -> None:
    bare = parse_error_message(message)
    once = parse_error_message(WRAPPERS[inner](message))
    assert understanding(once) == understanding(bare), inner
    if {outer, inner} <= {"aws-cli", "log-line", "wrapped-lines", "other-language", "go-sdk-v1"}:
        twice = parse_error_message(WRAPPERS[outer](WRAPPERS[inner](message)))
        assert understanding(twice) == understanding(bare), (outer, inner)


def _without(parsed: ParsedMessage, mask: str, account: str) -> tuple[object, ...]:
    """The understanding with the mask put back to the account it hid, and no masked list."""
    fields = understanding(parsed)[:-1]
    return tuple(f.replace(mask, account) if isinstance(f, str) else f for f in fields)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BARE), st.sampled_from(MASKS), st.data())
def test_masking_an_account_id_keeps_the_rest(message: str, mask: str, data: st.DataObject) -> None:
    accounts = sorted(set(_ACCOUNT.findall(message)))
    if not accounts:
        return
    account = data.draw(st.sampled_from(accounts))
    masked_text = message.replace(account, mask)
    bare = parse_error_message(message)
    masked = parse_error_message(masked_text)
    assert masked.kind == bare.kind and masked.family == bare.family
    assert _without(masked, mask, account) == _without(bare, mask, account)
    assert masked.masked, "the masked account is reported as unknown"
    wrapper = data.draw(st.sampled_from(sorted(WRAPPERS)))
    assert understanding(parse_error_message(WRAPPERS[wrapper](masked_text))) == understanding(
        masked
    )


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(BARE), st.integers(min_value=40, max_value=120))
def test_a_terminal_hard_wrap_at_any_width_keeps_the_understanding(
    message: str, width: int
) -> None:
    message = " ".join(message.split())  # one line, as the terminal printed it
    if len(message) <= width:
        return
    cut = "\n".join(message[i : i + width] for i in range(0, len(message), width))
    lines = cut.splitlines()
    if any(line.endswith(" ") for line in lines[:-1]):
        return  # a cut on a space is a soft wrap: the line-joining rule reads it
    assert understanding(parse_error_message(cut)) == understanding(parse_error_message(message))
