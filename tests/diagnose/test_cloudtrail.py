"""CloudTrail AccessDenied records → requests (record contents:
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.diagnose.cloudtrail import CloudTrailEvent, parse_cloudtrail, read_cloudtrail
from backup_access.diagnose.messages import MessageKind
from backup_access.errors import InputError

TRAIL = json.loads((Path(__file__).parent / "fixtures" / "cloudtrail.json").read_text())


def test_access_denied_records_become_requests() -> None:
    events = parse_cloudtrail(TRAIL)
    assert [e.action for e in events] == [
        "backup:DeleteBackupVault",
        "sts:AssumeRole",
        "kms:CreateGrant",
    ]
    delete, assume, grant = events
    assert delete.principal == "arn:aws:sts::222222222222:assumed-role/BackupOperator/alice"
    assert delete.role == "arn:aws:iam::222222222222:role/BackupOperator"
    assert delete.resource == "arn:aws:backup:us-east-1:222222222222:backup-vault:source"
    assert delete.message.explicit is True and delete.message.layer == "scp"
    assert delete.pointer == "/Records/0"
    # AWS Backup assuming the service role for a plan selection (ProcessBackupPlanSelection).
    assert assume.principal == "backup.amazonaws.com"
    assert assume.resource == "arn:aws:iam::222222222222:role/BackupCopyRole"
    assert assume.message.kind is MessageKind.ACCESS_DENIED
    # A KMS call AWS Backup made on the caller's behalf.
    assert grant.via_service == "backup.amazonaws.com"
    assert grant.resource == (
        "arn:aws:kms:us-east-1:222222222222:key/aaaa1111-0000-0000-0000-000000000001"
    )


def test_lookup_events_output_is_read_too() -> None:
    lookup = {
        "Events": [
            {"EventId": str(i), "EventName": r["eventName"], "CloudTrailEvent": json.dumps(r)}
            for i, r in enumerate(TRAIL["Records"])
        ]
    }
    events = parse_cloudtrail(lookup)
    assert events[0].pointer == "/Events/0/CloudTrailEvent"
    assert len(events) == 3
    assert len(parse_cloudtrail(lookup["Events"])) == 3
    assert len(parse_cloudtrail(TRAIL["Records"])) == 3


def test_records_without_a_caller_are_skipped_with_a_reason() -> None:
    record = {"errorCode": "AccessDenied", "eventSource": "backup.amazonaws.com"}
    parsed = read_cloudtrail({"Records": [record]})
    assert parsed.events == ()
    assert parsed.skipped == ("/Records/0: no userIdentity",)


@pytest.mark.parametrize(("document", "pointer"), [("text", ""), ({"Other": []}, "")])
def test_files_that_are_not_cloudtrail_are_input_errors(document: Any, pointer: str) -> None:
    with pytest.raises(InputError) as raised:
        read_cloudtrail(document, file="trail.json")
    assert raised.value.pointer == pointer
    assert raised.value.file == "trail.json"


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ({"Records": [1]}, "/Records/0"),
        ({"Events": [{"CloudTrailEvent": "{not json"}]}, "/Events/0/CloudTrailEvent"),
        ({"Events": [{"EventId": "1"}]}, "/Events/0"),
        ({"Records": [{"errorCode": 7}]}, "/Records/0/errorCode"),
    ],
)
def test_a_malformed_record_is_an_error_with_file_and_pointer(document: Any, pointer: str) -> None:
    # Changed (issue 11): a malformed record used to abort the file; it is now reported with
    # the file's name and its pointer, and the others are still read.
    parsed = read_cloudtrail(document, file="trail.json")
    (error,) = parsed.errors
    assert error.pointer == pointer
    assert str(error).startswith(f"trail.json at {pointer}: ")


def test_one_malformed_record_does_not_discard_the_good_ones() -> None:
    records = [TRAIL["Records"][0], "garbage", TRAIL["Records"][1], {"errorCode": ["x"]}]
    parsed = read_cloudtrail({"Records": records}, file="mixed.json")
    assert [e.pointer for e in parsed.events] == ["/Records/0", "/Records/2"]
    assert [e.pointer for e in parsed.errors] == ["/Records/1", "/Records/3/errorCode"]
    assert all(e.file == "mixed.json" for e in parsed.errors)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["Records", "Events", "errorCode", "userIdentity", "eventName", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_arbitrary_json_gives_events_or_input_error(document: Any) -> None:
    try:
        events = parse_cloudtrail(document)
    except InputError as error:
        assert error.message
    else:
        assert all(isinstance(e, CloudTrailEvent) and e.action for e in events)
