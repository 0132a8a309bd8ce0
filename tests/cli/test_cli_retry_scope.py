"""`retry-failed` leaves out the permanent failures (43101 refused, 40003 invalid openid, …) and says how many and
why; `--json` gains "left_out" and "left_out_errcodes" (issue 13, item 3). In-process sandbox: seeded users whose
index ends in 7 refuse every subscribe template (43101)."""

from __future__ import annotations

from pathlib import Path

from console.core.journal import ItemState
from tests.cli.test_cli_confirm_rerun import _journal
from tests.cli.test_cli_jobs import send_booking, write_csv


def _fail_by_network(tmp_path: Path, job: int, n: int) -> None:
    """Test-only: the first `n` sent items of the job failed instead (a network failure: retryable)."""
    from console.core.clock import SystemClock
    from console.core.journal import JournalRepo

    journal = JournalRepo.open(_journal(tmp_path), SystemClock())
    try:
        sent = [i.id for i in journal.iter_items(job, {ItemState.SENT})][:n]
        with journal.db.lock:
            for item_id in sent:
                journal.db.conn.execute("UPDATE items SET state = 'failed', msgid = NULL, last_errcode = NULL, "
                                      "last_errmsg = '网络中断' WHERE id = ?", (item_id,))
    finally:
        journal.close()


def test_retry_failed_leaves_out_refusals_and_says_why(wx, tmp_path: Path) -> None:
    first = send_booking(wx, write_csv(tmp_path / "r.csv", [1, 7, 2, 17, 3]), "--yes", "--json")
    assert first.code == 9 and first.json["failed"] == 2, first.err  # 7 and 17: 43101
    job = first.json["job"]
    _fail_by_network(tmp_path, job, 1)

    asked = wx("--sandbox", "retry-failed", str(job))  # no terminal: the question, then refused
    assert asked.code == 2
    text = asked.out + asked.err
    assert "即将向 1 位用户发送" in text  # the count that will be sent: not the two refusals
    assert "不重发 2 位失败的收件人" in text and "43101" in text

    retried = wx("--sandbox", "retry-failed", "--yes", str(job), "--json")
    assert retried.code == 9, retried.err  # the two refusals are still failed
    body = retried.json
    assert (body["sent"], body["failed"]) == (3, 2)  # the network failure sent; the refusals left out
    assert body["left_out"] == 2 and body["left_out_errcodes"] == {"43101": 2}
    assert "1 条失败记录" in retried.err
