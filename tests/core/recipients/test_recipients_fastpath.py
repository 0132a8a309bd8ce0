"""The import's value pre-filters accept only values that payload.validate_value accepts too."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.recipients.fastpath import FAST_VALID
from console.core.wechat.payload import validate_value


@pytest.mark.parametrize("ftype", sorted(FAST_VALID))
def test_fast_path_is_a_subset_of_validate_value(ftype: str) -> None:
    @settings(max_examples=150, deadline=None)
    @given(st.from_regex(FAST_VALID[ftype], fullmatch=True))
    def check(value: str) -> None:
        assert validate_value(ftype, value) is None, (ftype, value)

    check()


@pytest.mark.parametrize(("ftype", "value"), [
    ("thing", "x" * 21), ("thing", " 前导空格"), ("character_string", "中文"), ("character_string", "a" * 33),
    ("amount", "１２"), ("name", "张三a"), ("phrase", "已完成了吗啊"), ("number", "-1"),
])
def test_fast_path_leaves_other_values_to_validate_value(ftype: str, value: str) -> None:
    assert FAST_VALID[ftype].fullmatch(value) is None
