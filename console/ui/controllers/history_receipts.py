"""The delivery receipts of 历史 (issue 18): per recipient 已送达 / 用户拒收 / 系统失败 / 未回执 and the job's delivery
rate, read from the message-push receiver through usecases/delivery.py, and the 结果未知 settlement before 重发未知
counts what it will send (the same use case as `resume --resend-unknown`).

Where the receiver is: `source()` — the services' receiver (console/app.py receiver_link: 设置 → 消息推送接收器 or
WXCONSOLE_RECEIVER, the key from WXCONSOLE_RECEIVER_KEY or the keyring; or the demo's in-process one: the same link
the import page reads consent from). Tests may replace `source`.
Without a receiver everything works as before and the line says that delivery is unknown."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from console.core.messages import delivery as msg
from console.ui.controllers.app_controller import AppController
from console.usecases.consent import ReceiverLink
from console.usecases.delivery import (
    DeliveryReport,
    Settled,
    job_deliveries,
    settle_unknowns,
)
from console.usecases.history import items_of

ReceiverSource = Callable[[], Awaitable[tuple[ReceiverLink | None, str]]]


class HistoryReceipts(QObject):
    loaded = Signal(int, object, str)  # job id, {item id: receipt word}, the 送达情况 line

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.source: ReceiverSource = self._configured

    async def _configured(self) -> tuple[ReceiverLink | None, str]:
        return self.app.services.receiver, ""  # app.receiver_link: the settings, else WXCONSOLE_RECEIVER

    def load(self, job_id: int) -> None:
        self.app.tasks.spawn(self.load_now(job_id), name="history-receipts")

    async def report(self, job_id: int) -> tuple[DeliveryReport, bool]:
        """The job's receipts, and whether a receiver is configured at all."""
        receiver, problem = await self.source()
        report = await job_deliveries(self.app.services.journal, job_id, receiver, problem or msg.NO_RECEIVER,
                                      in_thread=self.app.tasks.in_thread)
        return report, receiver is not None

    async def load_now(self, job_id: int) -> DeliveryReport:
        journal = self.app.services.journal
        report, _ = await self.report(job_id)
        items = await self.app.tasks.in_thread(items_of, journal, job_id)
        words = {i.id: report.word(i) for i in items}
        self.loaded.emit(job_id, words, msg.STATUS_LINE.format(line=report.line()))
        return report

    async def settle(self, job_id: int) -> Settled:
        """Before 重发未知 counts: the unknowns WeChat's receipts show went out become sent (a notice says how many)."""
        receiver, _ = await self.source()
        settled = await settle_unknowns(self.app.services.journal, job_id, receiver,
                                        in_thread=self.app.tasks.in_thread)
        if settled.n:
            self.app.notice.emit(msg.SETTLED.format(n=settled.n))
        elif settled.problem:
            self.app.notice.emit(settled.problem)
        return settled

    async def for_export(self, job_id: int) -> DeliveryReport | None:
        """The receipts for the export's 送达回执 column: only when a receiver is configured (else no column)."""
        report, configured = await self.report(job_id)
        return report if configured else None
