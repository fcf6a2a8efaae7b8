"""Shared fixtures: the local AWS endpoint (``aws``, ``moto_server``)."""

from tests.aws.server import aws, moto_server

__all__ = ["aws", "moto_server"]
