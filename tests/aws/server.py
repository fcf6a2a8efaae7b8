"""A real local AWS-compatible endpoint for the tests: moto's server on 127.0.0.1.

The server runs in a thread of the test process on a free port; tests reach it through
``AWS_ENDPOINT_URL``, exactly as a user would point the tool at another endpoint, so the code
under test builds its clients the normal way (``backup_access.collect.session``). Each test
gets a clean backend (moto's ``/moto-api/reset``) and fake credentials, never real ones.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from moto.server import ThreadedMotoServer


@dataclass(frozen=True, slots=True)
class MotoEndpoint:
    """Where the server listens."""

    url: str

    def reset(self) -> None:
        """Forget every resource created so far (moto's reset API)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoEndpoint]:
    """Start moto's server once for the session, on 127.0.0.1 and a free port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield MotoEndpoint(url=f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture
def aws(moto_server: MotoEndpoint, monkeypatch: pytest.MonkeyPatch) -> MotoEndpoint:
    """A clean moto backend reached through ``AWS_ENDPOINT_URL`` with fake credentials."""
    moto_server.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    return moto_server
