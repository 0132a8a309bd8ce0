"""The original design's JSON job file read strictly (console/core/recipients/legacy_job.py): nothing dropped in
silence, no Python repr sent as a value, no crash on deep nesting."""

from __future__ import annotations

import json

import pytest

from console.core.recipients.legacy_job import (
    MAX_PROBLEMS,
    LegacyJobError,
    LegacyJobShapeError,
    parse_legacy_job,
)

USER = {"openid": "oTest00000000000000000000001", "form_id": "f1"}


def body(users: object = (USER,), message: object = None, **extra: object) -> str:
    doc = {"template_id": "T1", "toWeappUser": list(users) if isinstance(users, tuple) else users,
           "jsonMessage": {"keyword1": {"value": "手机", "color": "#173177"}} if message is None else message,
           **extra}
    return json.dumps(doc, ensure_ascii=False)


def problems(text: str) -> dict[str, str]:
    with pytest.raises(LegacyJobError) as info:
        parse_legacy_job(text)
    return info.value.problems


def test_a_good_file_keeps_numbers_as_written() -> None:
    text = ('{"template_id": "T1", "emphasis_keyword": "keyword1.DATA", "toWeappUser": '
            '[{"openid": "oA", "formId": 1526971234567890123}, {"openid": "oB"}], '
            '"jsonMessage": {"keyword1": {"value": 12.50}, "keyword2": "¥10", "keyword3": {"value": 100}}}')
    job = parse_legacy_job(text)
    assert job.template_id == "T1" and job.emphasis_keyword == "keyword1.DATA"
    assert job.fields == {"keyword1": "12.50", "keyword2": "¥10", "keyword3": "100"}
    assert job.users == [("oA", "1526971234567890123"), ("oB", "")]
    assert all(type(v) is str for v in job.fields.values())


def test_entries_that_are_not_objects_are_named_not_dropped() -> None:
    found = problems(body([USER, "oNotAnObject", None, USER]))
    assert set(found) == {"toWeappUser 第 2 项", "toWeappUser 第 3 项"}
    assert "不是对象" in found["toWeappUser 第 2 项"] and "oNotAnObject" in found["toWeappUser 第 2 项"]


@pytest.mark.parametrize(("value", "entry", "word"), [
    ({"value": None}, "jsonMessage.keyword1.value", "null"),
    ({"value": {"text": "x"}}, "jsonMessage.keyword1.value", "对象"),
    ({"value": ["x"]}, "jsonMessage.keyword1.value", "列表"),
    ({"value": True}, "jsonMessage.keyword1.value", "true"),
    ({"color": "#000"}, "jsonMessage.keyword1", "value"),
    (None, "jsonMessage.keyword1", "null"),
])
def test_values_that_are_not_text_are_named(value: object, entry: str, word: str) -> None:
    found = problems(body(message={"keyword1": value}))
    assert list(found) == [entry] and word in found[entry]


def test_ids_of_the_wrong_kind_are_named() -> None:
    found = problems(body([{"openid": 12345678901234567890123456789, "form_id": "f"},
                           {"openid": "oB", "form_id": 1.5e20}, {"openid": {"id": 1}}]))
    assert set(found) == {"toWeappUser 第 1 项 openid", "toWeappUser 第 2 项 form_id", "toWeappUser 第 3 项 openid"}
    assert "数字" in found["toWeappUser 第 1 项 openid"]


def test_many_problems_are_capped() -> None:
    found = problems(body(["x"] * 20))
    assert len(found) == MAX_PROBLEMS + 1 and "15" in list(found.values())[-1]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    found = problems('{"template_id": "T", "toWeappUser": ' + "[" * 200_000 + "]" * 200_000 + "}")
    assert "层" in next(iter(found.values()))


@pytest.mark.parametrize("text", ['{"template_id": "x"}', "[]", '{"template_id": {"a": 1}, "toWeappUser": [], '
                                  '"jsonMessage": {}}', '{"template_id": "", "toWeappUser": [], "jsonMessage": {}}'])
def test_wrong_shape(text: str) -> None:
    with pytest.raises(LegacyJobShapeError):
        parse_legacy_job(text)


def test_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_legacy_job("{not json")
