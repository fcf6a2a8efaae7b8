"""Every JSON output is written by orjson (report/json_text.py): the same text as the
standard library's indented encoder, which it replaces for speed."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from backup_access.report.json_text import json_text

_SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_DOCUMENTS)
def test_the_text_is_the_standard_librarys(document: object) -> None:
    assert json_text(document) == json.dumps(document, indent=2, ensure_ascii=False)


def test_what_orjson_refuses_is_still_written() -> None:
    document = {"big": 2**70, "nested": {"é": [1, "ü"]}}
    assert json_text(document) == json.dumps(document, indent=2, ensure_ascii=False)
    assert json.loads(json_text(document)) == document
