"""Which of WeChat's value rules applies to which channel (console.usecases.compose_checks): the same answer for the
编写 page's field checks, 开始发送's last check and the CLI's `send` / `demo`."""

from __future__ import annotations

from console.core.wechat.templates import TemplateField
from console.usecases.compose_checks import (
    field_rule,
    is_category_field,
    message_problems,
    message_warnings,
    retired_kind_notice,
    typed_value_problem,
    value_problem,
)

THING = TemplateField("thing1", "thing", "会议地点")
KEYWORD = TemplateField("keyword1", "keyword", "会议地点")
TOO_LONG = "一" * 21  # thing: at most 20 characters (payload.py cites WeChat's table)


def test_a_subscribe_field_follows_its_type_rule() -> None:
    assert value_problem("subscribe", THING, "会议室") is None
    problem = value_problem("subscribe", THING, TOO_LONG)
    assert problem is not None and problem.level == "error" and problem.text
    assert typed_value_problem("subscribe", THING, TOO_LONG) == problem.text
    assert message_problems("subscribe", [THING], {"thing1": TOO_LONG}) == {"thing1": problem.text}


def test_an_oa_category_field_is_refused_and_a_historical_keyword_only_warned() -> None:
    assert is_category_field(THING) and not is_category_field(KEYWORD)
    refused = value_problem("mp", THING, TOO_LONG)
    assert refused is not None and refused.level == "error"
    assert set(message_problems("mp", [THING], {"thing1": TOO_LONG})) == {"thing1"}
    assert typed_value_problem("mp", KEYWORD, "x" * 500) is None  # historical keywords: no rule of WeChat's
    empty = value_problem("mp", KEYWORD, "  ")
    assert empty is not None and empty.level == "error"
    long_keyword = value_problem("mp", KEYWORD, "x" * 500)
    assert long_keyword is None or long_keyword.level == "warn"
    assert message_warnings([KEYWORD], {"keyword1": "x" * 500}).get("keyword1") == \
        (long_keyword.text if long_keyword else None)


def test_a_retired_channel_takes_a_plain_keyword_and_says_it_is_retired() -> None:
    assert value_problem("weapp", THING, TOO_LONG) is None  # its fields are plain keywords, not typed
    assert retired_kind_notice("weapp") and retired_kind_notice("uniform")
    assert retired_kind_notice("weapp") != retired_kind_notice("uniform")
    assert retired_kind_notice("subscribe") == ""
    assert message_problems("custom", [THING], {"thing1": TOO_LONG}) == {}


def test_each_field_type_has_a_one_line_rule() -> None:
    rule = field_rule("thing")
    assert rule and "\n" not in rule
    assert field_rule("thing3") == rule
