"""The collector's call plumbing: request spacing, error text without the request, and the
IAM action a call needs."""

from __future__ import annotations

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from backup_access.collect.calls import CallLog, RateLimiter, action_of, error_text


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_rate_limiter_spaces_requests() -> None:
    clock = FakeClock()
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.wait()
    assert clock.now == 101.0  # five requests at 4 a second span one second
    assert clock.slept == [0.25, 0.25, 0.25, 0.25]


def test_rate_limiter_does_not_wait_when_requests_are_slow() -> None:
    clock = FakeClock()
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.wait()
        clock.now += 1.0
    assert clock.slept == []


def test_zero_means_no_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        limiter.wait()
    assert clock.slept == []


def test_each_account_has_its_own_limit() -> None:
    log = CallLog(10)
    assert log.limiter("111111111111") is log.limiter("111111111111")
    assert log.limiter("111111111111") is not log.limiter("222222222222")


def test_error_text_keeps_code_and_message_only() -> None:
    error = ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "not  authorized\\n to do it"}},
        "AssumeRole",
    )
    assert error_text(error) == "AccessDenied: not authorized\\n to do it"
    html = ClientError({"Error": {"Code": "404", "Message": "<!doctype html><p>x"}}, "Op")
    assert error_text(html) == "404: the endpoint does not implement this call"
    # EC2's query protocol: botocore cannot parse an HTML page and raises ResponseParserError
    page = ResponseParserError("invalid XML received: b'<!doctype html>\\n<html lang=en>'")
    assert error_text(page) == (
        "ResponseParserError: the endpoint does not implement this call (it answered an HTML page)"
    )


def test_action_names_use_the_iam_prefix() -> None:
    assert action_of("organizations", "ListRoots") == "organizations:ListRoots"
    assert action_of("backup", "GetBackupVaultAccessPolicy") == "backup:GetBackupVaultAccessPolicy"
    assert action_of("s3", "ListBuckets") == "s3:ListAllMyBuckets"  # API_ListBuckets.html
    assert action_of("s3", "GetBucketVersioning") == "s3:GetBucketVersioning"
    assert action_of("ec2", "GetAllowedImagesSettings") == "ec2:GetAllowedImagesSettings"


def test_regions_default_list_and_all() -> None:
    import boto3

    from backup_access.collect.run import _regions

    session = boto3.Session(region_name="eu-west-1")
    assert _regions(session, ()) == ["eu-west-1"]
    assert _regions(session, ("us-west-2", "us-east-1", "us-west-2")) == ["us-east-1", "us-west-2"]
    every = _regions(session, ("all",))
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(every)
    assert every == sorted(every)
