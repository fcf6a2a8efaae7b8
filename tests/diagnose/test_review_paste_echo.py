"""Review of issue 13, findings 1 and 4 (the echo only): what "AWS said" echoes for the JSON
``sts decode-authorization-message`` prints is AWS's decoded message, not its escaped
wrapper (``{"DecodedMessage": "{\\"allowed\\"…``), and it is short."""

from __future__ import annotations

import json

from backup_access.diagnose.messages import parse_error_message

DECODED = {
    "allowed": False,
    "explicitDeny": True,
    "matchedStatements": {"items": [{"statementId": "DenyBackupDelete", "effect": "DENY"}]},
    "context": {
        "principal": {"id": "AROAEXAMPLE:s", "arn": "arn:aws:sts::111111111111:assumed-role/R/s"},
        "action": "backup:DeleteRecoveryPoint",
        "resource": "arn:aws:backup:us-east-1:111111111111:recovery-point:abc",
        "conditions": {"items": [{"key": "k", "values": {"items": [{"value": "v" * 900}]}}]},
    },
}


def test_the_echo_of_a_decoded_message_is_the_inner_message() -> None:
    inner = json.dumps(DECODED)
    parsed = parse_error_message(json.dumps({"DecodedMessage": inner}, indent=4))
    assert parsed.action == "backup:DeleteRecoveryPoint" and parsed.explicit is True
    assert parsed.text.startswith('{"allowed": false, "explicitDeny": true')
    assert "DecodedMessage" not in parsed.text and '\\"' not in parsed.text
    assert len(parsed.text) < 700 and "characters left out" in parsed.text
