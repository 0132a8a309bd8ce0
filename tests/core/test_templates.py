"""Template `content` parsing: placeholders, types and labels."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.wechat.templates import TemplateField, field_type, parse_content


def test_subscribe_content() -> None:
    content = "会议时间:{{date2.DATA}}\n会议地点:{{thing1.DATA}}\n订单号：{{character_string8.DATA}}"
    fields = parse_content(content)
    assert fields == [
        TemplateField("date2", "date", "会议时间"),
        TemplateField("thing1", "thing", "会议地点"),
        TemplateField("character_string8", "character_string", "订单号"),
    ]


def test_spaces_inside_the_braces() -> None:
    fields = parse_content("地点:{{ thing1.DATA }}\n时间:{{time2 . DATA}}\n金额:{{  amount3.DATA}}")
    assert [f.name for f in fields] == ["thing1", "time2", "amount3"]
    assert [f.label for f in fields] == ["地点", "时间", "金额"]


def test_several_placeholders_on_one_line() -> None:
    fields = parse_content("时间：{{time1.DATA}} 地点：{{thing2.DATA}}{{phrase3.DATA}}")
    assert [(f.name, f.label) for f in fields] == [("time1", "时间"), ("thing2", "地点"), ("phrase3", "")]


def test_crlf_and_cr_line_endings() -> None:
    assert parse_content("名称:{{thing1.DATA}}\r\n数量:{{number2.DATA}}\r状态:{{phrase3.DATA}}") == [
        TemplateField("thing1", "thing", "名称"),
        TemplateField("number2", "number", "数量"),
        TemplateField("phrase3", "phrase", "状态"),
    ]


def test_official_account_content() -> None:
    content = "{{first.DATA}}\n订单编号：{{keyword1.DATA}}\n　金额：{{keyword2.DATA}}\n{{remark.DATA}}"
    assert parse_content(content) == [
        TemplateField("first", "first", ""),
        TemplateField("keyword1", "keyword", "订单编号"),
        TemplateField("keyword2", "keyword", "金额"),
        TemplateField("remark", "remark", ""),
    ]


def test_duplicates_are_listed_once_and_non_placeholders_ignored() -> None:
    fields = parse_content("A:{{thing1.DATA}}\nB:{{thing1.DATA}}\n{{thing2}} {thing3.DATA} {{4x.DATA}}")
    assert fields == [TemplateField("thing1", "thing", "A")]


def test_empty_content() -> None:
    assert parse_content("") == []
    assert parse_content(None) == []  # type: ignore[arg-type]


def test_field_type() -> None:
    assert field_type("thing1") == "thing"
    assert field_type("character_string12") == "character_string"
    assert field_type("first") == "first"
    assert field_type("keyword10") == "keyword"


names = st.from_regex(r"[a-z][a-z_]{0,15}[0-9]{1,2}", fullmatch=True)
labels = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(names, labels, st.booleans()), min_size=1, max_size=6, unique_by=lambda t: t[0]),
       st.sampled_from(["\n", "\r\n"]))
def test_round_trip(items: list[tuple[str, str, bool]], newline: str) -> None:
    content = newline.join(f"{label}:{{{{ {name}.DATA }}}}" if spaced else f"{label}：{{{{{name}.DATA}}}}"
                           for name, label, spaced in items)
    assert parse_content(content) == [TemplateField(n, field_type(n), lb) for n, lb, _ in items]
