"""Two operators, one account: the journal knows who got the same template a moment ago."""

from __future__ import annotations

from pathlib import Path

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.usecases.overlap import find_overlap


def _job(repo: JournalRepo, template: str, openids: list[str], *, appid: str = "wx0000000000000000") -> int:
    spec = JobSpec(kind="subscribe", appid=appid, template_id=template)
    return repo.create_job(spec, [NewItem(openid=o) for o in openids])


def _send_all(repo: JournalRepo, job_id: int, clock: FakeClock) -> None:
    for item in repo.due_items(job_id, clock.now(), 100):
        repo.items.mark_sending(item.id)
        repo.items.mark_sent(item.id, 1)


def test_recent_same_template_sends_are_found(tmp_path: Path) -> None:
    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        first = _job(repo, "tpl-a", ["o1", "o2", "o3"])
        _send_all(repo, first, clock)
        _send_all(repo, _job(repo, "tpl-b", ["o4"]), clock)  # another template: not an overlap
        _send_all(repo, _job(repo, "tpl-a", ["o5"], appid="wx1111111111111111"), clock)  # another account
        clock.advance(10 * 60)
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        items = [NewItem(openid=o) for o in ("o2", "o3", "o4", "o5", "o9")]
        overlap = find_overlap(repo.overlap, spec, items, clock.now())
        assert set(overlap.recipients) == {"o2", "o3"} and overlap.by_job() == {first: 2}
        text = overlap.warning(clock.now())
        assert "2 人" in text and f"任务 {first}" in text and "10 分钟" in text
        # issue 13: a job of this computer's journal is the operator's own (or of this login): no colleague is blamed
        assert "同事" not in text and "这台电脑" in text
        clock.advance(31 * 60)  # outside the window: a new round of the same notice is fine
        assert find_overlap(repo.overlap, spec, items, clock.now()).count == 0
        assert find_overlap(repo.overlap, spec, items, clock.now()).warning(clock.now()) == ""


def test_failed_and_pending_items_do_not_count(tmp_path: Path) -> None:
    """Failed items got nothing; the pending ones of a job that is not being sent (paused here) are not on their way.
    (Pending items of a job created a moment ago do count: see the next test.)"""
    from console.core.journal import JobState

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        job = _job(repo, "tpl-a", ["o1", "o2"])
        item = repo.due_items(job, clock.now(), 1)[0]
        repo.items.mark_sending(item.id)
        repo.items.mark_failed(item.id, 43101, "refused")
        repo.set_job_state(job, JobState.PAUSED)
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        assert find_overlap(repo.overlap, spec, [NewItem(openid="o1"), NewItem(openid="o2")], clock.now()).count == 0


def test_a_job_created_a_moment_ago_counts_before_its_run_starts(tmp_path: Path) -> None:
    """A colleague just confirmed: the job exists (READY) and its run is starting. Its queue counts — within the
    window, and not for a scheduled job (that one is checked itself when it comes due)."""
    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        just_created = _job(repo, "tpl-a", ["o1", "o2"])
        scheduled = repo.create_job(JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a"),
                                    [NewItem(openid="o3")], scheduled_at=clock.now() + 3600)
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        items = [NewItem(openid=o) for o in ("o1", "o2", "o3")]
        overlap = find_overlap(repo.overlap, spec, items, clock.now())
        assert overlap.by_job() == {just_created: 2} and scheduled not in overlap.by_job()
        clock.advance(31 * 60)  # created and never run, half an hour ago: no longer "about to be sent"
        assert find_overlap(repo.overlap, spec, items, clock.now()).count == 0


def test_create_job_checked_refuses_a_job_that_overlaps_more_than_was_accepted(tmp_path: Path) -> None:
    """The check and the creation as one step: what the operator accepted may be created; a job that began meanwhile
    makes the creation fail with the overlap as it is now, and nothing is written."""
    from console.core.journal import OverlapChangedError

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        items = [NewItem(openid=o) for o in ("o1", "o2", "o3")]
        first = repo.create_job_checked(spec, items, since=clock.now() - 1800, accepted={})
        try:
            repo.create_job_checked(spec, items, since=clock.now() - 1800, accepted={"o1": first})
        except OverlapChangedError as exc:
            assert {o: job for o, (job, _) in exc.found.items()} == {"o1": first, "o2": first, "o3": first}
        else:
            raise AssertionError("a job overlapping the first one was created")
        assert [j.id for j in repo.list_jobs()] == [first]  # nothing written
        accepted = {o: first for o in ("o1", "o2", "o3")}  # the operator saw all three and said yes
        second = repo.create_job_checked(spec, items, since=clock.now() - 1800, accepted=accepted)
        assert second != first and repo.counts(second).pending == 3
        other = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-b")  # another template
        assert repo.create_job_checked(other, items, since=clock.now() - 1800, accepted={}) > second


def test_recipients_still_queued_in_a_running_job_count(tmp_path: Path) -> None:
    """A colleague's job is sending right now: the people it has not reached yet would get the notice twice too."""
    from console.core.journal import JobState

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        running = _job(repo, "tpl-a", ["o1", "o2", "o3"])
        repo.set_job_state(running, JobState.RUNNING)
        item = repo.due_items(running, clock.now(), 1)[0]
        repo.items.mark_sending(item.id)
        repo.items.mark_sent(item.id, 1)
        _job(repo, "tpl-a", ["o4"])  # created but not started (or scheduled): nothing is being sent
        clock.advance(45 * 60)  # a long run: its queue still counts, its first send is outside the window
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        items = [NewItem(openid=o) for o in ("o1", "o2", "o3", "o4")]
        overlap = find_overlap(repo.overlap, spec, items, clock.now())
        assert set(overlap.recipients) == {"o2", "o3"} and overlap.by_job() == {running: 2}
        repo.set_job_state(running, JobState.PAUSED)  # paused: nobody is being sent to now
        assert find_overlap(repo.overlap, spec, items, clock.now()).count == 0


# --- an existing job (a scheduled one that came due) is checked again before it runs ---------------------------------

class _FakeRedisOverlap:
    """A stand-in for RedisOverlap.recent: another computer sent the template to `found`."""

    def __init__(self, found: dict[str, object] | None = None, down: str = "") -> None:
        self.found = found or {}
        self.down = down
        self.asked: list[list[str]] = []

    async def recent(self, appid: str, template_id: str, openids: list[str]) -> dict[str, object]:
        from console.usecases.overlap_redis import RedisOverlapUnavailable

        self.asked.append(list(openids))
        if self.down:
            raise RedisOverlapUnavailable(self.down)
        return {o: v for o, v in self.found.items() if o in openids}


def test_of_two_due_jobs_of_one_list_the_earlier_runs_and_the_later_is_held(tmp_path: Path) -> None:
    """Two clerks scheduled the same notice for 09:00. The GUI's scheduler and run-due may check them at the same
    moment, before either runs: whatever the order of the checks, the later job sees the earlier one (due, lower id)
    and the earlier one does not see the later one — never both run, never both held."""
    from console.usecases.overlap import find_job_overlap

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        at = clock.now() + 3600
        earlier = repo.create_job(spec, [NewItem(openid=o) for o in ("o1", "o2")], scheduled_at=at)
        later = repo.create_job(spec, [NewItem(openid=o) for o in ("o2", "o3")], scheduled_at=at)
        clock.advance(3600)  # 09:00: both due
        assert find_job_overlap(repo, later, clock.now()).by_job() == {earlier: 1}
        assert find_job_overlap(repo, earlier, clock.now()).count == 0
        repo.schedules.set(later, clock.now() + 7200)  # moved: not due any more, so it does not hold anyone
        assert find_job_overlap(repo, earlier, clock.now()).count == 0


def test_a_scheduled_job_overlaps_a_job_sent_just_before_it_came_due(tmp_path: Path) -> None:
    from console.usecases.overlap import find_job_overlap

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        scheduled = repo.create_job(spec, [NewItem(openid=o) for o in ("o1", "o2", "o3", "o4")],
                                    scheduled_at=clock.now() + 3600)
        assert find_job_overlap(repo, scheduled, clock.now()).count == 0  # itself (pending, READY) never counts
        clock.advance(3600 - 5 * 60)
        colleague = _job(repo, "tpl-a", ["o2", "o3", "o9"])  # a colleague sends the same notice meanwhile
        _send_all(repo, colleague, clock)
        _send_all(repo, _job(repo, "tpl-b", ["o1"]), clock)  # another template: not an overlap
        clock.advance(5 * 60)  # the schedule comes due
        overlap = find_job_overlap(repo, scheduled, clock.now())
        assert set(overlap.recipients) == {"o2", "o3"} and overlap.by_job() == {colleague: 2}
        assert "2 人" in overlap.warning(clock.now()) and f"任务 {colleague}" in overlap.warning(clock.now())
        assert find_job_overlap(repo, scheduled, clock.now() + 31 * 60).count == 0  # outside the window


def test_the_job_itself_and_recipients_it_already_reached_do_not_count(tmp_path: Path) -> None:
    """A job that sent part of its list (then stopped) is checked for what is left, never against its own sends."""
    from console.usecases.overlap import find_job_overlap, job_recipients

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        job = _job(repo, "tpl-a", ["o1", "o2", "o3"])
        first = repo.due_items(job, clock.now(), 1)[0]
        repo.items.mark_sending(first.id)
        repo.items.mark_sent(first.id, 1)  # o1 got it from this very job a minute ago
        other = _job(repo, "tpl-a", ["o1"])
        _send_all(repo, other, clock)  # …and from another job: o1 is not still to send, so no overlap
        clock.advance(60)
        assert [i.openid for i in job_recipients(repo, job)] == ["o2", "o3"]
        assert find_job_overlap(repo, job, clock.now()).count == 0
        third = _job(repo, "tpl-a", ["o3"])
        _send_all(repo, third, clock)
        assert find_job_overlap(repo, job, clock.now()).by_job() == {third: 1}


async def test_check_job_overlap_adds_the_redis_overlap(tmp_path: Path) -> None:
    from console.usecases.overlap import check_job_overlap
    from console.usecases.overlap_redis import RemoteSend

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        job = _job(repo, "tpl-a", ["o1", "o2"])
        remote = _FakeRedisOverlap({"o2": RemoteSend("OFFICE-B", 7, clock.now() - 120),
                                    "o8": RemoteSend("OFFICE-B", 7, 0.0)})
        overlap = await check_job_overlap(repo, remote, job, clock.now())  # type: ignore[arg-type]
        assert remote.asked == [["o1", "o2"]] and set(overlap.shared) == {"o2"} and overlap.shared_checked is True
        assert overlap.count == 1 and "OFFICE-B" in overlap.warning(clock.now())
        assert "同事" in overlap.warning(clock.now())  # another computer's send: most likely a colleague's
        down = await check_job_overlap(repo, _FakeRedisOverlap(down="timeout"), job, clock.now())  # type: ignore[arg-type]
        assert down.count == 0 and down.shared_checked is False and "只检查了本机" in down.warning(clock.now())
        assert (await check_job_overlap(repo, None, job, clock.now())).shared_checked is None
