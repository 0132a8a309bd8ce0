"""The send page's receipts line (issue 18): 送达回执：已送达 N / 已发送 M, updated as WeChat's receipts reach the
message-push receiver after the sends. It polls the receiver through usecases/delivery.py (job_deliveries, the same
use case as 历史 and `wxconsole status`) every POLL_SECONDS while the page shows a running or finished job, and stops
when every sent item has a receipt, or WATCH_SECONDS after the job ended (late receipts are still in 历史).
No receiver configured, or a channel without receipts: no line and no polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from PySide6.QtCore import QObject, Signal

from console.ui.controllers.app_controller import AppController
from console.ui.texts import receipts as txt
from console.usecases.delivery import RECEIPT_KINDS, DeliveryReport, job_deliveries

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0
WATCH_SECONDS = 300.0  # after the job ended: WeChat's receipts arrive within seconds, rarely minutes


def receipts_line(report: DeliveryReport) -> str:
    """The line ("" while nothing has been sent yet: no line)."""
    if not report.known:
        return txt.UNAVAILABLE.format(reason=report.problem)
    if not report.by_item:
        return ""
    c = report.counts()
    line = txt.LINE.format(delivered=c["delivered"], sent=len(report.by_item))
    if c["user_refused"] or c["system_failed"]:
        line += txt.DETAIL.format(**c)
    return line + (txt.WAITING if c["no_receipt"] else "")


class SendReceipts(QObject):
    changed = Signal(str)  # the line ("" = no line)

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.job_id: int | None = None
        self.line = ""
        self.polls = 0  # how many times the receiver was asked (tests)
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()  # the job changed state (paused, ended): ask at once, not at the next poll
        app.sending.state_changed.connect(self._state_changed)

    def _state_changed(self, job_id: int, _state: str, _reason: str) -> None:
        if job_id == self.job_id:
            self._wake.set()

    @property
    def watching(self) -> bool:
        return self._task is not None and not self._task.done()

    def watch(self, job_id: int) -> None:
        """Follow the receipts of the job the page shows (a running one, or one that has just ended)."""
        if job_id == self.job_id and self.watching:
            return
        self.stop()
        self.job_id = job_id
        self._task = self.app.tasks.spawn(self._follow(job_id), name="send-receipts")

    def stop(self) -> None:
        """The page no longer shows the job (新的发送, another job): no line, no polling."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task, self.job_id = None, None
        self._set("")

    def _set(self, line: str) -> None:
        if line != self.line:
            self.line = line
            self.changed.emit(line)

    async def _follow(self, job_id: int) -> None:
        services = self.app.services
        receiver = services.receiver  # console/app.py receiver_link (the settings, WXCONSOLE_RECEIVER, the demo)
        job = await self.app.tasks.in_thread(services.journal.get_job, job_id)
        if receiver is None or job.spec.kind not in RECEIPT_KINDS:
            return
        ended: float | None = None
        last_sent = -1  # sent items at the previous poll
        while job_id == self.job_id and self.app.services is services:
            self._wake.clear()
            report = await job_deliveries(services.journal, job_id, receiver, in_thread=self.app.tasks.in_thread)
            self.polls += 1
            if job_id != self.job_id:
                return
            self._set(receipts_line(report))
            running = self.app.sending.running_job == job_id
            previous, last_sent = last_sent, len(report.by_item)
            sent = last_sent
            if not running:
                ended = ended or time.monotonic()
                # every sent item has a receipt, and no in-flight send was recorded since the last poll (a pause is
                # announced before the requests in flight have finished: stopping then left "已发送 25" under 26)
                if report.known and not report.counts()["no_receipt"] and sent == previous:
                    log.debug("job %s: every sent item has a receipt", job_id)
                    return
                if time.monotonic() - ended > WATCH_SECONDS:
                    return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
