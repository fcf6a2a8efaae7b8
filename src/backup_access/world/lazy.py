"""Accounts of a large world directory, read when a question touches them.

A collected world (``collect --out DIR``) holds one ``account-<id>.json`` per account. The
loader indexes those files by the account id in their name, without opening them; an
account's file is read, parsed and its references checked the first time the account is
looked up. Membership tests (``id in world.accounts``) and listing the ids cost nothing; only
a loop over every account (``.values()``) reads them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from backup_access.world.model import Account

ACCOUNT_FILE = re.compile(r"account-(\d{12})\.json")  # fullmatch on a file name


def account_file_id(path: Path) -> str | None:
    """The account id an ``account-<id>.json`` file is named for, else None."""
    found = ACCOUNT_FILE.fullmatch(path.name)
    return found.group(1) if found else None


class LazyAccounts(Mapping[str, Account]):
    """Account id → ``Account``: the ones already parsed, and files parsed on first use.

    ``read(account_id, path)`` parses one file into its account (raising ``InputError`` on
    bad input, located in that file); ``check(account)`` then checks its references, with
    the account already in place (its own lookups must find it). A file that fails either
    stays unread: the next lookup raises the same error again.
    """

    __slots__ = ("_check", "_files", "_ids", "_parsed", "_read")

    def __init__(
        self,
        parsed: Mapping[str, Account],
        files: Mapping[str, Path],
        read: Callable[[str, Path], Account],
        check: Callable[[Account], object],
    ) -> None:
        self._parsed = dict(parsed)
        self._files = {key: path for key, path in files.items() if key not in self._parsed}
        self._ids = sorted({*self._parsed, *self._files})
        self._read = read
        self._check = check

    def __getitem__(self, key: str) -> Account:
        found = self._parsed.get(key)
        if found is not None:
            return found
        path = self._files.get(key)
        if path is None:
            raise KeyError(key)
        account = self._read(key, path)
        self._parsed[key] = account
        del self._files[key]
        try:
            self._check(account)
        except BaseException:
            del self._parsed[key]
            self._files[key] = path
            raise
        return account

    def __contains__(self, key: object) -> bool:
        return key in self._parsed or key in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def parsed(self) -> int:
        """How many accounts have been read so far (for tests and benchmarks)."""
        return len(self._parsed)

    def __repr__(self) -> str:
        return f"LazyAccounts({len(self._ids)} accounts, {len(self._parsed)} read)"
