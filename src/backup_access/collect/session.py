"""boto3 sessions and clients with the standard credential chain and adaptive retries.

Every AWS client the tool creates comes from here, so that profiles, ``AWS_ENDPOINT_URL``
(honoured by botocore itself) and the retry policy are decided in one place. Credentials are
never read, printed or stored by this module: boto3 resolves them when a call is made.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ProfileNotFound

#: botocore's adaptive retry mode backs off on throttling and rate-limits the client itself
#: (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
RETRY_CONFIG = Config(
    retries={"max_attempts": 10, "mode": "adaptive"}, user_agent_extra="backup-access"
)


class UnknownProfileError(Exception):
    """The AWS profile asked for is in neither the AWS config file nor the credentials file."""

    def __init__(self, profile: str) -> None:
        super().__init__(
            f"the AWS profile '{profile}' is in neither the AWS config file nor the credentials "
            "file (aws configure list-profiles lists them)"
        )


def make_session(profile: str | None = None, region: str | None = None) -> Any:
    """A boto3 session for ``profile`` (or the default credential chain, where AWS_PROFILE
    may name one); raises ``UnknownProfileError`` for a profile the AWS files lack."""
    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as error:
        raise UnknownProfileError(str(error.kwargs.get("profile", profile))) from None


def make_client(session: Any, service: str, region: str | None = None) -> Any:
    """A client for ``service`` in ``region`` with the shared retry configuration."""
    return session.client(service, region_name=region, config=RETRY_CONFIG)
