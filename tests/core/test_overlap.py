"""Two operators, one account: the journal knows who got the same template a moment ago."""

from __future__ import annotations

from pathlib import Path

from console.core.clock import FakeClock
from console.core.journal import JobSpec, JournalRepo, NewItem
from console.core.overlap import find_overlap


def _job(repo: JournalRepo, template: str, openids: list[str], *, appid: str = "wx0000000000000000") -> int:
    spec = JobSpec(kind="subscribe", appid=appid, template_id=template)
    return repo.create_job(spec, [NewItem(openid=o) for o in openids])


def _send_all(repo: JournalRepo, job_id: int, clock: FakeClock) -> None:
    for item in repo.due_items(job_id, clock.now(), 100):
        repo.mark_sending(item.id)
        repo.mark_sent(item.id, 1)


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
        overlap = find_overlap(repo, spec, items, clock.now())
        assert set(overlap.recipients) == {"o2", "o3"} and overlap.by_job() == {first: 2}
        text = overlap.warning(clock.now())
        assert "2 人" in text and f"任务 {first}" in text and "10 分钟" in text
        clock.advance(31 * 60)  # outside the window: a new round of the same notice is fine
        assert find_overlap(repo, spec, items, clock.now()).count == 0
        assert find_overlap(repo, spec, items, clock.now()).warning(clock.now()) == ""


def test_failed_and_pending_items_do_not_count(tmp_path: Path) -> None:
    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        job = _job(repo, "tpl-a", ["o1", "o2"])
        item = repo.due_items(job, clock.now(), 1)[0]
        repo.mark_sending(item.id)
        repo.mark_failed(item.id, 43101, "refused")
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        assert find_overlap(repo, spec, [NewItem(openid="o1"), NewItem(openid="o2")], clock.now()).count == 0


def test_recipients_still_queued_in_a_running_job_count(tmp_path: Path) -> None:
    """A colleague's job is sending right now: the people it has not reached yet would get the notice twice too."""
    from console.core.journal import JobState

    clock = FakeClock()
    with JournalRepo.open(tmp_path / "j.sqlite3", clock) as repo:
        running = _job(repo, "tpl-a", ["o1", "o2", "o3"])
        repo.set_job_state(running, JobState.RUNNING)
        item = repo.due_items(running, clock.now(), 1)[0]
        repo.mark_sending(item.id)
        repo.mark_sent(item.id, 1)
        _job(repo, "tpl-a", ["o4"])  # created but not started (or scheduled): nothing is being sent
        clock.advance(45 * 60)  # a long run: its queue still counts, its first send is outside the window
        spec = JobSpec(kind="subscribe", appid="wx0000000000000000", template_id="tpl-a")
        items = [NewItem(openid=o) for o in ("o1", "o2", "o3", "o4")]
        overlap = find_overlap(repo, spec, items, clock.now())
        assert set(overlap.recipients) == {"o2", "o3"} and overlap.by_job() == {running: 2}
        repo.set_job_state(running, JobState.PAUSED)  # paused: nobody is being sent to now
        assert find_overlap(repo, spec, items, clock.now()).count == 0
