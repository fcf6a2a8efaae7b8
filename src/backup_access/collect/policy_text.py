"""Policy text as AWS stores it, decoded the way every input file is read.

AWS returns a vault access policy, a key policy, an SCP or RCP and every IAM policy as text.
A text that writes a key twice in one object decodes to one of the values (Python keeps the
later) and AWS does not document which one IAM keeps, so such a text is refused here
(``documents.refuse_repeated_keys``) and the reader records a ``(parse)`` gap, leaving the
document unknown rather than guessed. Invalid JSON, nesting deeper than the input limit and
integers too long to convert are refused the same way.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from botocore.handlers import json_decode_policies

from backup_access.documents import parse_text
from backup_access.errors import InputError

#: How a refusal names the text (the gap already names the document and its owner).
POLICY_TEXT = "policy text"


def decode_policy(text: object, *, source: str, url_encoded: bool = False) -> object:
    """The document ``text`` holds; raises ``InputError`` (located by ``source`` and a JSON
    pointer) when it is not JSON that writes each key once. IAM URL-encodes its documents
    (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html):
    ``url_encoded`` decodes that first."""
    if not isinstance(text, str):
        raise InputError(f"AWS answered {type(text).__name__}, not policy text", file=source)
    if url_encoded:
        text = urllib.parse.unquote(text)
    return parse_text(text, source=source, json_only=True)


def keep_iam_policy_text(client: Any) -> Any:
    """``client`` (an IAM client) without botocore's decoding of policy documents: botocore
    decodes them with ``json.loads``, which keeps a repeated key's later value before the
    collector could see the text. Idempotent."""
    client.meta.events.unregister("after-call.iam", json_decode_policies)
    return client
