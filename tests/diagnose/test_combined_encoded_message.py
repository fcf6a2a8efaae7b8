"""EC2 appends the encoded authorization failure message to its readable one. The readable
part is read as before; the encoded part is kept and its decode command is offered, since
decoding names the statements that matched
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied-authorization-id.html,
https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html).
New-user finding M3: the combined form lost that advice."""

from __future__ import annotations

from backup_access.diagnose.messages import MessageFamily, parse_error_message
from backup_access.diagnose.offline import answer_offline
from tests.diagnose.test_message_corpus import BY_ID

CORPUS = list(BY_ID.values())

ENCODED = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_xyz"
COMBINED = (
    "An error occurred (UnauthorizedOperation) when calling the ModifySnapshotAttribute "
    "operation: You are not authorized to perform this operation. User: "
    "arn:aws:sts::111111111111:assumed-role/BackupCopyRole/AWSBackup-BackupCopyRole is not "
    "authorized to perform: ec2:ModifySnapshotAttribute on resource: "
    "arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0 with an explicit deny in a "
    f"service control policy. Encoded authorization failure message: {ENCODED}"
)


def _commands(text: str) -> list[str]:
    answer = answer_offline(parse_error_message(text))
    return [c.command for cause in answer.causes for c in cause.confirm]


def test_the_readable_part_is_read_and_the_encoded_part_kept() -> None:
    parsed = parse_error_message(COMBINED)
    assert parsed.family is MessageFamily.IAM_NOT_AUTHORIZED
    assert parsed.action == "ec2:ModifySnapshotAttribute" and parsed.explicit is True
    assert parsed.encoded == ENCODED


def test_the_first_cause_offers_the_decode_command_once() -> None:
    answer = answer_offline(parse_error_message(COMBINED))
    first = [c.command for c in answer.causes[0].confirm]
    decode = [c for c in first if c.startswith("aws sts decode-authorization-message")]
    assert decode == [
        f"aws sts decode-authorization-message --encoded-message {ENCODED} "
        "--query DecodedMessage --output text"
    ]
    later = [c.command for cause in answer.causes[1:] for c in cause.confirm]
    assert not any("decode-authorization-message" in c for c in later)


def test_a_message_without_an_encoded_part_gets_no_decode_command() -> None:
    readable = COMBINED.split(" Encoded authorization failure message")[0]
    assert parse_error_message(readable).encoded is None
    assert not any("decode-authorization-message" in c for c in _commands(readable))


def test_the_encoded_form_alone_still_gets_its_own_answer_once() -> None:
    alone = f"Encoded authorization failure message: {ENCODED}"
    assert parse_error_message(alone).family is MessageFamily.ENCODED_AUTHORIZATION
    assert sum("decode-authorization-message" in c for c in _commands(alone)) == 1


def test_no_answer_says_the_wording_points_first_at_no_policy() -> None:
    """New-user finding L6: "AWS names no policy; the message's wording points first at no
    policy" for an encoded message. Checked over the whole message corpus."""
    alone = answer_offline(parse_error_message(f"Encoded authorization failure message: {ENCODED}"))
    assert alone.blame.says == "AWS names no policy, and the message's wording points at none"
    for entry in CORPUS:
        says = answer_offline(parse_error_message(str(entry["text"]))).blame.says
        assert "points first at no policy" not in says, entry["id"]
