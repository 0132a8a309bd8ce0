"""The legacy JSON job use case (console.usecases.legacy_import), which `wxconsole job` calls: the file's users as a
list whose rows are positions in toWeappUser, the form_id ledger for the retired channel, the migration to a
subscribe template, and the one error of each kind of broken file."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.clock import SystemClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.messages import jobs_cli as msg
from console.core.wechat.errors import ValidationError
from console.sim.seed import mini_openid
from console.usecases.errors import ConfigError
from console.usecases.legacy_import import import_legacy_job


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[JournalRepo]:
    repo = JournalRepo.open(tmp_path / "journal.sqlite3", SystemClock())
    yield repo
    repo.close()


def _file(path: Path, users: list[dict[str, object]], message: dict[str, object] | None = None,
          emphasis: str | None = "keyword1.DATA") -> Path:
    body: dict[str, object] = {"template_id": "LEGACY_TPL", "toWeappUser": users,
                               "jsonMessage": message or {"keyword1": {"value": "设备检查"}, "keyword2": "12.50"}}
    if emphasis is not None:
        body["emphasis_keyword"] = emphasis
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def _users() -> list[dict[str, object]]:
    return [{"openid": mini_openid(1), "form_id": "form1"}, {"openid": mini_openid(2)},  # no form_id
            {"openid": mini_openid(3), "formId": 123456789012}, {"openid": mini_openid(4), "form_id": "form4"}]


def test_as_written_the_rows_are_positions_in_the_file_and_used_form_ids_are_left_out(tmp_path: Path,
                                                                                      journal: JournalRepo) -> None:
    earlier = journal.create_job(JobSpec("weapp", "wxmini1", "LEGACY_TPL", "旧模板"),
                                 [NewItem(mini_openid(4), "form4")])
    item = next(iter(journal.iter_items(earlier)))
    journal.mark_sending(item.id)
    journal.mark_sent(item.id, 1)
    job = asyncio.run(import_legacy_job(_file(tmp_path / "job.json", _users()), ledger=journal))
    assert job.request.kind == "weapp" and job.request.template_id == "LEGACY_TPL" and not job.migrated
    assert job.request.fixed == {"keyword1": "设备检查", "keyword2": "12.50"}  # a number as the file writes it
    assert job.request.options == {"emphasis_keyword": "keyword1.DATA"}
    assert job.openids == {i: mini_openid(i) for i in range(1, 5)}
    assert [r.row for r in job.report.recipients] == [1, 3]  # positions in toWeappUser, not table rows
    assert [r.form_id for r in job.report.recipients] == ["form1", "123456789012"]
    assert sorted(e.row for e in job.report.errors) == [2, 4]  # no form_id; form4 already used by a job
    assert msg.JOB_ROWS_NOTE in job.report.notes


def test_migrated_to_a_subscribe_template_the_fields_are_renamed_and_form_ids_not_needed(tmp_path: Path,
                                                                                         journal: JournalRepo) -> None:
    path = _file(tmp_path / "job.json", _users(), emphasis=None)
    job = asyncio.run(import_legacy_job(path, kind="subscribe", template_id="SUB_TPL",
                                        mapping={"keyword1": "thing1"}, ledger=journal))
    assert job.migrated and job.request.kind == "subscribe" and job.request.template_id == "SUB_TPL"
    assert job.request.fixed == {"thing1": "设备检查", "keyword2": "12.50"} and job.request.options == {}
    assert [r.row for r in job.report.recipients] == [1, 2, 3, 4] and job.report.errors == []


def test_each_broken_file_is_one_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as shape:
        path = tmp_path / "shape.json"
        path.write_text('{"template_id": "x"}', encoding="utf-8")
        asyncio.run(import_legacy_job(path))
    assert shape.value.errcode == 47001 and str(shape.value) == msg.JOB_FILE_SHAPE.format(path=path)

    with pytest.raises(ConfigError) as not_json:
        asyncio.run(import_legacy_job(tmp_path))  # a folder: refused before it is opened
    assert not_json.value.errcode == 47001

    with pytest.raises(ValidationError) as entries:  # an entry that cannot be sent as written
        asyncio.run(import_legacy_job(_file(tmp_path / "bad.json", [{"openid": 7}])))
    assert entries.value.problems

    # migrating without a template: said after the file was read (a broken file is reported first)
    with pytest.raises(ConfigError) as no_template:
        asyncio.run(import_legacy_job(_file(tmp_path / "job.json", _users()), kind="subscribe"))
    assert no_template.value.errcode == 41002 and str(no_template.value) == msg.MIGRATE_NEEDS_TEMPLATE
