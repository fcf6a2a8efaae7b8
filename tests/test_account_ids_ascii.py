"""Account ids are 12 ASCII digits: another script's digits (which Python's ``\\d`` and
``str.isdigit`` accept) or a trailing line break (which ``$`` lets through) name no AWS
account, so they are refused rather than read as one (review s23 M2). Account id format:
https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
"""

from __future__ import annotations

import pytest

from backup_access.engine.request import make_request
from backup_access.errors import RequestError
from backup_access.fields import account_id

ARABIC_INDIC = "١١١١١١١١١١١١"  # twelve U+0661 ARABIC-INDIC DIGIT ONE


@pytest.mark.parametrize("value", [ARABIC_INDIC, "111111111111\n", "11111111111１"])
def test_an_account_id_is_twelve_ascii_digits(value: str) -> None:
    with pytest.raises(RequestError):
        account_id(value, "/account")


def test_twelve_ascii_digits_are_an_account_id() -> None:
    assert account_id("111111111111", "/account") == "111111111111"


def test_a_resource_account_in_other_digits_is_refused_by_the_engine() -> None:
    with pytest.raises(RequestError):
        make_request(
            "arn:aws:iam::111111111111:role/R",
            "backup:ListBackupVaults",
            "*",
            resource_account=ARABIC_INDIC,
        )
