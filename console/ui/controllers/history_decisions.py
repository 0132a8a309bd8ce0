"""The operator's decisions about a job of the history page: retry the failed items, resend or skip the unknown ones,
resume, abandon. A job runs only through the one SendController (`app.sending`), and never while another one is
being sent. HistoryController owns one JobDecisions and spawns its coroutines."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Coroutine
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from console.core.journal import ItemState
from console.core.wechat.errcodes import lookup
from console.ui.texts import history as t
from console.usecases.abandon import abandon_own
from console.usecases.history import counts_of
from console.usecases.jobs import compose_data, find_template
from console.usecases.rerun import rerun_plan, skip_unknown

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController

log = logging.getLogger(__name__)

RESUME, RETRY_FAILED, RESEND_UNKNOWN = "resume", "retry_failed", "resend_unknown"
REQUEUE_OF = {RESUME: frozenset(), RETRY_FAILED: frozenset({ItemState.FAILED}),
              RESEND_UNKNOWN: frozenset({ItemState.UNKNOWN})}


@dataclass(slots=True)
class RerunRequest:
    """What a send from 历史 (继续发送, 仅重发失败的, 重发未知, the crash-resume prompt) will do, for the same
    confirmation as a new send: how many WILL be sent, 演示 or 正式, the template and what the first one reads."""

    job_id: int
    action: str  # RESUME, RETRY_FAILED or RESEND_UNKNOWN
    n: int
    title: str
    kind: str
    sandbox: bool
    first_row: int = 0
    sample: list[tuple[str, str]] = field(default_factory=list)  # (label, value) of the first recipient's message
    # 仅重发失败的 leaves out the permanent failures (retry_scope.py): (errcode, how many, its meaning)
    left_out: list[tuple[int, int, str]] = field(default_factory=list)
    also_pending: int = 0  # retry / resend: recipients not sent yet that the same run sends too (in n)


class JobDecisions:
    """`after_change(job_id)`: re-reads the job (and its open items) once a decision changed it."""

    def __init__(self, app: AppController, after_change: Callable[[int], Coroutine[Any, Any, None]]) -> None:
        self.app = app
        self.sending = app.sending
        self.after_change = after_change

    async def rerun_request(self, job_id: int, action: str) -> RerunRequest:
        """Read (off the loop) what `action` on the job will send; the field labels come from the template list (its
        keys when the list cannot be read: the count and the mode are what matters)."""
        requeue = REQUEUE_OF[action]
        services = self.app.services
        plan = await self.app.tasks.in_thread(rerun_plan, services.journal, job_id, requeue)
        counts, first, kept = plan.counts, plan.first, plan.kept
        spec = plan.job.spec
        request = RerunRequest(job_id, action, plan.n, spec.template_title or spec.kind, spec.kind,
                               services.sandbox,
                               left_out=[(code, k, lookup(code).meaning) for code, k in kept.most_common()],
                               also_pending=counts.remaining if requeue else 0)
        if first is not None:
            data = compose_data(spec.fields, spec.column_map, first.values)
            labels: dict[str, str] = {}
            client = services.client_for(spec.kind)
            if client is not None and spec.kind != "custom":
                try:
                    template = await find_template(client, spec.kind, spec.template_id)
                    labels = {f.name: f.label or f.name for f in template.fields}
                except Exception as exc:  # the labels only: the confirmation is still shown
                    log.info("job %s: template labels not read: %s", job_id, type(exc).__name__)
            request.first_row = first.row or 0
            order = {name: i for i, name in enumerate(labels)}  # the template's order, as the card shows it
            request.sample = [(labels.get(k, k), v)
                              for k, v in sorted(data.items(), key=lambda kv: order.get(kv[0], len(order)))]
        return request

    async def ask(self, job_id: int, action: str,
                  confirm_needed: Callable[[RerunRequest], None]) -> RerunRequest | None:
        """Every send from 历史 goes through the confirmation: the page shows it (`confirm_needed`), and only its
        confirm button runs `confirmed`. Nothing to send: says why, sends nothing."""
        if self.sending.running_job is not None:
            self.start_job(job_id)  # reports why (another job is being sent)
            return None
        request = await self.rerun_request(job_id, action)
        if request.n == 0 and request.left_out:  # every failure is permanent: nothing to confirm, say why
            lines = [t.NOTHING_TO_RETRY_REASON.format(code=c, n=k, meaning=m.rstrip(t.FULL_STOP))
                     for c, k, m in request.left_out]
            reasons = t.NOTHING_TO_RETRY_SEP.join(lines)
            self.app.notice.emit(t.NOTHING_TO_RETRY.format(job=job_id, reasons=reasons))
            return None
        confirm_needed(request)
        return request

    def start_job(self, job_id: int, *, requeue: Collection[ItemState] = (),
                  on_requeued: Callable[[int], None] | None = None) -> bool:
        """Run the job through the SendController, or say (error dialog) why not: another job is running.
        `requeue` / `on_requeued`: SendController.start_job's."""
        running = self.sending.running_job
        if running is not None:
            self.app.error.emit(t.BUSY_TITLE, t.BUSY_BODY.format(job=running))
            return False
        return self.sending.start_job(job_id, requeue=requeue, on_requeued=on_requeued)

    async def requeue_and_start(self, job_id: int, states: set[ItemState], notice: str) -> int:
        """The job runs and its items in `states` go back to pending first — by the run, once it holds the job's
        lock, so never while another window or command is sending the job (that run is refused and nothing
        changes); `notice` says how many. Returns how many items were in `states` (0: nothing runs)."""
        app = self.app
        if self.sending.running_job is not None:
            self.start_job(job_id)  # reports why
            return 0
        counts = await app.tasks.in_thread(counts_of, app.services.journal, job_id)
        by_state = asdict(counts)
        n = sum(int(by_state[ItemState(s).value]) for s in states)
        if n:
            def requeued(count: int) -> None:
                app.notice.emit(notice.format(job=job_id, n=count))
                app.tasks.spawn(self.after_change(job_id), name=f"history-requeued-{job_id}")

            self.start_job(job_id, requeue=frozenset(states), on_requeued=requeued)
        return n

    async def skip_unknown(self, job_id: int) -> int:
        n = await self.app.tasks.in_thread(skip_unknown, self.app.services.journal, job_id)
        await self.after_change(job_id)
        self.app.notice.emit(t.UNKNOWN_SKIPPED.format(job=job_id, n=n))
        return n

    async def resume(self, job_id: int) -> None:
        counts = await self.app.tasks.in_thread(counts_of, self.app.services.journal, job_id)
        if self.start_job(job_id):
            self.app.notice.emit(t.RESUME_STARTED.format(job=job_id, n=counts.remaining))

    async def abandon(self, job_id: int) -> bool:
        """The operator's "this job will not be sent": -> CANCELLED (items kept), refused while it runs anywhere."""
        services = self.app.services
        running = self.sending.running_job == job_id  # never another account's job (abandon_own)
        done, left = (False, 0) if running else await self.app.tasks.in_thread(abandon_own, services.journal, job_id,
                                                                               services.owns)
        await self.after_change(job_id)
        if done:
            self.app.notice.emit(t.ABANDONED_NOTICE.format(job=job_id, n=left))
        else:
            self.app.error.emit(t.ABANDON_FAILED_TITLE, t.ABANDON_FAILED_BODY.format(job=job_id))
        return done
