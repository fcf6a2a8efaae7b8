"""Exceptions raised by backup-access.

Every error the library raises on bad input derives from ``BackupAccessError``; the CLI maps
``InputError`` to exit code 3 and prints its location. No other exception should reach a user.

    BackupAccessError
    └── InputError            bad input, with the file and JSON pointer where it was found
        ├── PolicyError       a policy document that is not valid IAM policy grammar
        └── RequestError      a request (Contract 1) or world file that is not valid
"""

from __future__ import annotations


class BackupAccessError(Exception):
    """Base class for every error backup-access raises on purpose."""


class InputError(BackupAccessError):
    """Input that cannot be used, located by file and JSON pointer (RFC 6901)."""

    def __init__(self, message: str, *, pointer: str = "", file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.file = file

    def located(self, *, file: str | None = None, prefix: str = "") -> InputError:
        """Return the same error placed inside a larger document or a named file."""
        clone = type(self)(self.message, pointer=prefix + self.pointer, file=file or self.file)
        clone.__cause__ = self.__cause__
        return clone

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.pointer:
            where += f" at {self.pointer}"
        return f"{where}: {self.message}"


class PolicyError(InputError):
    """A policy document violates the IAM policy grammar."""


class RequestError(InputError):
    """A request or world description is malformed."""
