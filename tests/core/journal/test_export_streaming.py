"""Issue 15: the CSV export reads the items in one streaming SELECT without an `Item` object per row, and writes the
same bytes as the export did before (the per-Item code, kept below as the reference) on several journals: credentials
in a cell, formula-looking cells, every state, values that differ between items, a send of many items per second."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import pytest

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JournalRepo, NewItem, export_job_csv
from console.core.journal.export import NAME_KEYS, neutralise, write_csv
from console.core.messages import journal as texts

NASTY = ["张三", "=1+1", "+86 138", "-5", "@sum", "\tx", "\rx", "access_token=abc123", "x secret: s3", "普通,带逗号",
         '带"引号"', "多行\n文本", "", "TOKEN=UPPER", "session_key=k", "js_code=c", "tok\x00en?"]


def reference_export(repo: JournalRepo, job_id: int, out: Path, tz: tzinfo | None, describe) -> int:  # type: ignore[no-untyped-def]
    """export_job_csv before issue 15 (one Item per row), verbatim but for names."""
    labels = texts.ITEM_STATE_LABELS
    value_keys = repo.value_keys(job_id)
    name_key_of = {k for k in value_keys if k in NAME_KEYS}
    extra_keys = [k for k in value_keys if k not in name_key_of]
    fixed = [texts.H_SEQ, texts.H_ROW, texts.H_OPENID, texts.H_NAME, texts.H_STATE, texts.H_ERRCODE, texts.H_ERRTEXT,
             texts.H_ERRMSG, texts.H_MSGID, texts.H_SENT_AT, texts.H_ATTEMPTS, texts.H_UNIONID, texts.H_TARGET]
    header = fixed + [texts.H_VALUE_PREFIX + k if k in fixed else k for k in extra_keys]

    def row(item) -> list[object]:  # type: ignore[no-untyped-def]
        errmsg = item.last_errmsg or ""
        errtext = describe(item.last_errcode, errmsg) if item.last_errcode is not None else errmsg
        name = next((item.values[k] for k in NAME_KEYS if k in item.values), "")
        sent_at = datetime.fromtimestamp(item.sent_at, tz).strftime("%Y-%m-%d %H:%M:%S") if item.sent_at else ""
        cells: list[object] = [item.seq, "" if item.row is None else item.row, neutralise(item.openid),
                               neutralise(str(name)), labels[item.state],
                               "" if item.last_errcode is None else item.last_errcode, neutralise(errtext),
                               neutralise(errmsg) if item.last_errcode is not None else "",
                               "" if item.msgid is None else item.msgid, sent_at, item.attempts,
                               neutralise(item.unionid or ""), neutralise(item.target_openid or "")]
        return cells + [neutralise(str(item.values.get(k, ""))) for k in extra_keys]

    return write_csv(out, header, (row(i) for i in repo.iter_items(job_id)))


def describe(code: int, errmsg: str) -> str:
    return f"错误码 {code}：{errmsg or '无'}" + ("=" if code == 40001 else "")


def fill(repo: JournalRepo, clock: FakeClock, seed: int, count: int) -> int:
    rng = random.Random(seed)
    items = []
    for i in range(count):
        values = {"姓名": rng.choice(NASTY), "金额": f"{i}.00", "备注": rng.choice(NASTY)}
        if i % 5 == 0:
            values["附加"] = rng.choice(NASTY)  # a key only some items have
        if i % 11 == 0:
            values = {"name": rng.choice(NASTY)}
        items.append(NewItem(rng.choice(["o" + "a" * 27, "=o" + "b" * 26, "access_token=x"]), values=values,
                             unionid=rng.choice([None, "u" * 28, "-u"]), row=i + 2 if i % 9 else None,
                             target_openid=rng.choice([None, "t" * 28, "@t"])))
    job = repo.create_job(JobSpec("subscribe", "wx1", "T"), items)
    for item in list(repo.iter_items(job)):
        clock.advance(rng.choice([0.001, 0.3, 0.9995, 1.0]))  # many items in one second, and near a second
        outcome = rng.randrange(4)
        if outcome == 3:
            continue  # pending
        repo.items.mark_sending(item.id)
        if outcome == 0:
            repo.items.mark_sent(item.id, rng.choice([None, 1234567890123456789, 7]))
        elif outcome == 1:
            repo.items.mark_failed(item.id, rng.choice([43101, 40001, 47003]),
                             rng.choice(["user refuse rid: 1", "access_token=leaked rid: 2", "=bad", ""]))
        else:
            repo.items.mark_unknown(item.id, rng.choice(["timeout", "secret=zzz"]))
    return job


@pytest.mark.parametrize(("seed", "tz"), [(1, UTC), (2, timezone(timedelta(hours=8))), (3, None)])
def test_streaming_export_writes_the_bytes_the_per_item_export_wrote(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path, seed: int, tz) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(1_780_000_000.25)
    repo = JournalRepo.open(tmp_path / "journal.db", clock)
    job = fill(repo, clock, seed, 400)
    expected = tmp_path / "before.csv"
    assert reference_export(repo, job, expected, tz, describe) == 400

    def no_items(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the export built an Item object per row")

    monkeypatch.setattr(JournalRepo, "iter_items", no_items)
    out = tmp_path / "now.csv"
    assert export_job_csv(repo, job, out, tz=tz, describe=describe) == 400
    assert out.read_bytes() == expected.read_bytes()
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert any(c.startswith("'=") for r in rows for c in r) and not any("leaked" in c for r in rows for c in r)
    repo.close()
