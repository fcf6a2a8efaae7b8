"""An endpoint that is not AWS (a proxy or gateway answering every request with an empty
404): botocore cannot parse the answer and raises ResponseParserError, which is no
BotoCoreError. ``collect``, ``explain --live`` and ``fix --apply`` must say so in one line and
exit 4, as for a closed port, never with a traceback. A local HTTP server in a thread plays
the endpoint (moto always answers as AWS would)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main

ROLE = "arn:aws:iam::111111111111:role/Admin"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:v"


class _Empty404(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = _answer  # noqa: N815 (http.server's names)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def bad_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Empty404)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SECRETKEYMARKER")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def _one_line_exit_4(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 4, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output and "SECRETKEYMARKER" not in result.output
    return lines[0]


def test_collect_says_the_caller_cannot_be_identified(bad_endpoint: str, tmp_path: Path) -> None:
    line = _one_line_exit_4(["collect", "--out", str(tmp_path / "w")])
    assert line.startswith("error: cannot identify the caller (sts:GetCallerIdentity): ")
    assert "ResponseParserError" in line
    assert not (tmp_path / "w").exists()


def test_explain_live_says_the_caller_cannot_be_identified(bad_endpoint: str) -> None:
    line = _one_line_exit_4(
        ["explain", "--live", "delete-vault", "--caller", ROLE, "--vault", VAULT]
    )
    assert "sts:GetCallerIdentity" in line


def test_fix_apply_says_it_cannot_read_aws(bad_endpoint: str, tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    world.write_text(
        '{"accounts": {"111111111111": {"iam": {"roles": {"Admin": {"trust": '
        '{"Version": "2012-10-17", "Statement": []}}}}}}}'
    )
    args = ["fix", "--world", str(world), "create-vault", "--caller", ROLE, "--vault", VAULT]
    result = CliRunner().invoke(main, [*args, "--apply", "--yes", "-q"])
    assert result.exit_code == 4, result.output
    assert "error: nothing applied: cannot read AWS as the caller: ResponseParserError" in (
        result.stderr
    )
    assert "Traceback" not in result.output
