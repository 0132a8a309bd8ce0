"""Issue 12, part 3: the errcodes of a first live send, through the engine on a real journal.

- job / account codes (43116 template banned, 48004 API banned, 50002 account limited, …) stop the job at the first
  answer, the recipients stay pending, and the reason says whose problem it is;
- an errcode not known to be per-recipient (an unknown one such as 50007, -1 after every retry) that several
  recipients in a row get stops the job instead of failing the whole list; per-recipient codes never do;
- an errcode answered by a token call is explained as one: 40001 is a wrong AppSecret (no token retries), 45009 the
  token quota (not the send quota).
"""

from __future__ import annotations

import pytest

from console.core.journal import ItemState, JobState
from console.core.wechat.errors import ApiError
from console.core.wechat.models import SendResult
from tests.core.engine.engine_fakes import Recorder, ScriptedChannel, make_engine, make_job, openids

TOKEN = "/cgi-bin/token"
SEND = "/cgi-bin/message/subscribe/send"


@pytest.mark.parametrize(("code", "words"), [
    (43116, "模板已被微信封禁"), (43107, "订阅消息能力"), (48004, "接口因违规被微信封禁"), (50002, "账号受限"),
    (50004, "禁止使用接口凭证"), (61024, "第三方平台"),
])
async def test_job_and_account_codes_stop_at_the_first_answer(repo, clock, code: int, words: str) -> None:
    job_id = make_job(repo, openids(12))
    channel = ScriptedChannel(lambda item, n: ApiError(code, f"refused rid: r-{code}", SEND))
    engine = make_engine(repo, channel, clock, concurrency=1)
    counts = await engine.run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED
    assert counts.failed == 0 and counts.pending == 12 and channel.attempts.total() == 1
    assert str(code) in job.state_reason and words in job.state_reason and "rid: r-" in job.state_reason
    account_wide = code in (48004, 50002, 50004, 61024)
    assert ("账号被微信限制" in job.state_reason) is account_wide
    assert ("任务配置有误" in job.state_reason) is not account_wide


async def test_an_unknown_code_that_every_recipient_gets_stops_the_job(repo, clock) -> None:
    """50007 (no source confirms its meaning): after same_error_stop_threshold recipients in a row, stop."""
    job_id = make_job(repo, openids(40))
    channel = ScriptedChannel(lambda item, n: ApiError(50007, "something new rid: x-1", SEND))
    engine = make_engine(repo, channel, clock, concurrency=1, same_error_stop_threshold=5)
    rec = Recorder()
    engine.subscribe(rec)
    counts = await engine.run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED
    assert counts.failed == 4 and counts.pending == 36 and channel.attempts.total() == 5
    assert "连续 5 位收件人" in job.state_reason and "50007" in job.state_reason
    assert "something new" in job.state_reason and "已记为失败的 4 位" in job.state_reason
    assert [e.state for e in rec.done].count(ItemState.FAILED) == 4


async def test_with_several_workers_the_items_in_flight_go_back_to_pending_too(repo, clock) -> None:
    job_id = make_job(repo, openids(40))
    channel = ScriptedChannel(lambda item, n: ApiError(50007, "x", SEND), yields=3)
    counts = await make_engine(repo, channel, clock, concurrency=8, same_error_stop_threshold=5).run(job_id)
    assert repo.get_job(job_id).state is JobState.STOPPED
    assert counts.failed == 4 and counts.pending == 36  # the recipients past the threshold were not failed


async def test_a_resumed_job_goes_on_once_the_problem_is_gone(repo, clock) -> None:
    job_id = make_job(repo, openids(10))
    broken = {"on": True}
    channel = ScriptedChannel(lambda item, n: ApiError(50007, "x", SEND) if broken["on"] else SendResult(0, 1))
    engine = make_engine(repo, channel, clock, concurrency=1, same_error_stop_threshold=3)
    assert (await engine.run(job_id)).pending == 8
    broken["on"] = False
    counts = await engine.run(job_id)
    assert counts.sent == 8 and counts.failed == 2 and repo.get_job(job_id).state is JobState.DONE


async def test_busy_after_every_retry_for_several_recipients_stops_the_job(repo, clock) -> None:
    job_id = make_job(repo, openids(20))
    channel = ScriptedChannel(lambda item, n: ApiError(-1, "system error", SEND))
    counts = await make_engine(repo, channel, clock, concurrency=1, max_attempts=2, backoff_base=0.0,
                               same_error_stop_threshold=3).run(job_id)
    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED and "连续 3 位收件人" in job.state_reason and "-1" in job.state_reason
    assert counts.failed == 2 and counts.pending + counts.retry_wait == 18


async def test_an_unknown_code_between_accepted_sends_only_fails_those_recipients(repo, clock) -> None:
    job_id = make_job(repo, openids(30))
    channel = ScriptedChannel(lambda item, n: ApiError(50007, "x", SEND) if item.seq % 2 else SendResult(0, 1))
    counts = await make_engine(repo, channel, clock, concurrency=1, same_error_stop_threshold=3).run(job_id)
    assert repo.get_job(job_id).state is JobState.DONE
    assert counts.failed == 15 and counts.sent == 15


@pytest.mark.parametrize("code", [43101, 40003, 43004])
async def test_per_recipient_codes_never_stop_the_job_however_many_in_a_row(repo, clock, code: int) -> None:
    job_id = make_job(repo, openids(12))
    channel = ScriptedChannel(lambda item, n: ApiError(code, "refused", SEND))
    counts = await make_engine(repo, channel, clock, concurrency=1, same_error_stop_threshold=3).run(job_id)
    assert repo.get_job(job_id).state is JobState.DONE and counts.failed == 12


async def test_sensitive_words_for_everybody_stop_with_their_own_reason(repo, clock) -> None:
    job_id = make_job(repo, openids(12))
    channel = ScriptedChannel(lambda item, n: ApiError(45168, "keyword in blacklist rid: s-1", SEND))
    counts = await make_engine(repo, channel, clock, concurrency=1, message_stop_threshold=5).run(job_id)
    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED and counts.failed == 5
    assert "45168" in job.state_reason and "敏感词" in job.state_reason and "47003" not in job.state_reason


async def test_a_wrong_secret_on_the_token_refresh_is_named_at_once(repo, clock) -> None:
    """Classic token mode: the AppSecret was reset while the job ran; the refresh answers 40001. That is a wrong
    secret, not a dead token: no token retries, and the reason names the AppSecret without 'refreshed several
    times'."""
    job_id = make_job(repo, openids(10))
    channel = ScriptedChannel(lambda item, n: SendResult(0, 1) if item.seq <= 3
                              else ApiError(40001, "invalid credential rid: t-1", TOKEN))
    rec = Recorder()
    engine = make_engine(repo, channel, clock, concurrency=1)
    engine.subscribe(rec)
    counts = await engine.run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.STOPPED and counts.sent == 3 and counts.pending == 7
    assert channel.attempts.total() == 4  # the first refusal stops the job: no token retries
    assert "AppSecret 不正确" in job.state_reason and "刷新了几次" not in job.state_reason
    pending = [e for e in rec.done if e.state is ItemState.PENDING]
    assert pending and "AppSecret 不正确" in pending[0].meaning


async def test_the_token_quota_pauses_with_its_own_reason_and_the_send_quota_keeps_its_own(repo, clock) -> None:
    job_id = make_job(repo, openids(6))
    channel = ScriptedChannel(lambda item, n: SendResult(0, 1) if item.seq <= 2
                              else ApiError(45009, "reach max api daily quota limit rid: q-1", TOKEN))
    counts = await make_engine(repo, channel, clock, concurrency=1).run(job_id)

    job = repo.get_job(job_id)
    assert job.state is JobState.QUOTA_PAUSED and counts.sent == 2 and counts.pending == 4
    assert "access_token" in job.state_reason and "45009" in job.state_reason
    assert "今日发送额度" not in job.state_reason and "稳定版凭证" in job.state_reason

    sends = make_job(repo, openids(3, prefix="s"))
    refused = ScriptedChannel(lambda item, n: ApiError(45009, "reach max api daily quota limit", SEND))
    await make_engine(repo, refused, clock, concurrency=1).run(sends)
    job = repo.get_job(sends)
    assert job.state is JobState.QUOTA_PAUSED and "今日发送额度" in job.state_reason
    assert "access_token" not in job.state_reason
