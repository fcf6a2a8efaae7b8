"""Review of issue 13, findings 5, 11 and 15: the placeholder an SDK prints for AWS's empty
message (Java v1 ``null``, JS v3 ``UnknownError``) is an empty 403, the JS error object's
``$fault`` / ``$metadata`` never leak into the message, any Terraform heading (listed or not)
keeps its name and loses its box, and a Java class name is not the error code."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.diagnose.families import MessageFamily
from backup_access.diagnose.messages import parse_error_message
from tests.diagnose.test_message_wrapping import BARE, understanding

RID = "1b2c3d4e-0000-4a0e-9b7a-3c6f3b1a2d4e"
PLACEHOLDERS = ("null", "UnknownError", "Unknown", "undefined")


def _java_v1(message: str) -> str:
    return (
        f"com.amazonaws.services.backup.model.AccessDeniedException: {message} (Service: "
        f"AWSBackup; Status Code: 403; Error Code: AccessDeniedException; Request ID: {RID}; "
        "Proxy: null)"
    )


def _js_v3(message: str) -> str:
    return (
        f"AccessDeniedException: {message}\n    at throwDefaultError (/a/index.js:1:1) {{\n"
        f"  '$fault': 'client',\n  '$metadata': {{ httpStatusCode: 403, requestId: '{RID}', "
        "attempts: 1 }\n}"
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PLACEHOLDERS), st.sampled_from([_java_v1, _js_v3]))
def test_an_sdk_placeholder_is_an_empty_403(placeholder: str, wrap: object) -> None:
    parsed = parse_error_message(wrap(placeholder))  # type: ignore[operator]
    assert parsed.family is MessageFamily.EMPTY_ACCESS_DENIED
    assert parsed.text == ""
    assert parsed.evidence.status_code == 403 and parsed.evidence.request_id == RID
    assert parsed.evidence.error_code == "AccessDeniedException"
    assert any(f"'{placeholder}'" in note for note in parsed.notes)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(BARE))
def test_the_js_error_object_never_reaches_the_message(message: str) -> None:
    parsed = parse_error_message(_js_v3(message))
    assert "$fault" not in parsed.text and "$metadata" not in parsed.text
    assert understanding(parsed) == understanding(parse_error_message(message))


def test_a_word_that_only_looks_like_a_placeholder_is_kept() -> None:
    parsed = parse_error_message("AccessDeniedException: null pointer in the handler")
    assert parsed.family is not MessageFamily.EMPTY_ACCESS_DENIED
    assert "null pointer" in parsed.text


HEADINGS = (
    "putting Backup Vault (central-vault) access policy",
    "attaching IAM Role Policy (backup-role)",
    "creating Backup Vault (v)",
    "reading Backup Plan",
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BARE), st.sampled_from(HEADINGS))
def test_any_terraform_heading_in_a_box_keeps_the_understanding(message: str, heading: str) -> None:
    text = (
        f"╷\n│ Error: {heading}: ValidationException: {message}\n"
        f"│ \tstatus code: 400, request id: {RID}\n╵"
    )
    parsed = parse_error_message(text)
    assert understanding(parsed) == understanding(parse_error_message(message))
    assert "terraform" in parsed.evidence.wrappers
    assert "│" not in parsed.text and "╵" not in parsed.text
    if "(" in heading:
        assert parsed.evidence.tool_resource == heading.split("(")[1].split(")")[0]


def test_an_unlisted_terraform_heading_names_the_operation_it_implies() -> None:
    parsed = parse_error_message(
        "│ Error: putting Backup Vault (central-vault) access policy: AccessDeniedException: "
        "\n│ \tstatus code: 403, request id: r1"
    )
    assert parsed.family is MessageFamily.EMPTY_ACCESS_DENIED
    assert parsed.operation == "PutBackupVaultAccessPolicy"
    assert parsed.evidence.tool_resource == "central-vault"
    assert any("inferred from the terraform resource" in note for note in parsed.notes)


def test_prose_is_not_taken_for_a_terraform_heading() -> None:
    parsed = parse_error_message(
        "Copy job failed while copying Recovery Point: Insufficient privileges to perform "
        "this action."
    )
    assert "terraform" not in parsed.evidence.wrappers


def test_a_java_v2_class_name_is_not_the_error_code() -> None:
    parsed = parse_error_message(
        "software.amazon.awssdk.services.backup.model.AccessDeniedException: Insufficient "
        f"privileges to perform this action. (Service: Backup, Status Code: 403, Request ID: {RID})"
    )
    assert parsed.evidence.error_code == "AccessDeniedException"
    ec2 = parse_error_message(
        "An error occurred (Client.UnauthorizedOperation) when calling the CreateSnapshot "
        "operation: You are not authorized to perform this operation."
    )
    assert ec2.evidence.error_code == "Client.UnauthorizedOperation"
