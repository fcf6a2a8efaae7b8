"""Error bodies botocore cannot read as its protocol's: an XML error document sent for a
JSON-protocol service (moto does this for Organizations and RAM, proxies do it too) is AWS's
error, and is reported with its own code and message; only an HTML page sent with "not
found" means the endpoint lacks the call, and an HTML page with a server error says the
endpoint failed. Unit cases on botocore's ClientError, then once end to end against moto's
server with the answer injected at ``before-send``."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.collect.calls import error_code, error_text
from tests.aws.server import MotoEndpoint
from tests.collect.faults import Fault, inject, query_error
from tests.collect.organization import Built, build_organization

DENIED = (
    "User: arn:aws:iam::123456789012:user/whoami is not authorized to perform: "
    "organizations:DescribeOrganization"
)


def _error(status: int, body: str, code: str | None = None) -> ClientError:
    response = {
        "Error": {"Code": code or str(status), "Message": body},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "DescribeOrganization")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            "<ErrorResponse><Errors><Error><Code>AccessDenied</Code>"
            f"<Message>{DENIED}</Message></Error></Errors></ErrorResponse>",
            "AccessDenied",
            DENIED,
        ),
        (
            '<?xml version="1.0"?><Response><Errors><Error><Code>SignatureDoesNotMatch</Code>'
            "<Message>The request signature we calculated does not match &amp; so on"
            "</Message></Error></Errors><RequestID>x</RequestID></Response>",
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match & so on",
        ),
        (  # a namespaced document, as STS and IAM send
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
            "<Type>Sender</Type><Code>ExpiredToken</Code><Message>expired</Message></Error>"
            "</ErrorResponse>",
            "ExpiredToken",
            "expired",
        ),
    ],
)
def test_an_xml_error_document_is_read_for_its_code_and_message(
    body: str, code: str, message: str
) -> None:
    error = _error(403, body)
    assert error_text(error) == f"{code}: {message}"
    assert error_code(error) == code


def test_only_an_html_not_found_page_means_the_call_is_missing() -> None:
    page = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title><h1>Not Found</h1>"
    assert error_text(_error(404, page)) == "404: the endpoint does not implement this call"
    failed = page.replace("404 Not Found", "500 Internal Server Error")
    assert error_text(_error(500, failed)) == (
        "500: the endpoint failed, answering an HTML page, not an AWS error: "
        "500 Internal Server Error"
    )
    other = _error(403, "<Something>odd</Something>")
    assert error_text(other) == "403: the endpoint answered a document that is not an AWS error"


@pytest.fixture
def org(aws: MotoEndpoint) -> Built:
    return build_organization()


def test_collect_org_reports_the_refusal_it_was_sent(
    org: Built, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # moto with IAM enforced answers Organizations (a JSON-protocol service) with this XML.
    refused = Fault(
        "before-send.organizations.DescribeOrganization",
        lambda: query_error(403, "AccessDenied", DENIED),
    )
    inject(monkeypatch, refused)
    result = CliRunner().invoke(main, ["collect", "--org", "--out", f"{tmp_path}/w"])
    assert result.exit_code == 4, result.output
    assert f"AccessDenied: {DENIED}" in result.stderr
    assert "does not implement" not in result.stderr
