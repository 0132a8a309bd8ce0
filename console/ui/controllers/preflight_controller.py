"""PreflightController: runs the pre-flight check (console/core/preflight.py) on the current services — after the
switch to 正式 mode, after the accounts are saved in live mode, or when the clerk asks — and hands the checklist to the
dialog. The test message is sent only when asked for (`send_test=True`: the dialog's explicit button)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from console.core.preflight import PreflightReport
from console.ui.controllers.app_controller import AppController
from console.ui.errors import friendly_error
from console.usecases.preflight import check_before_live

log = logging.getLogger(__name__)


class PreflightController(QObject):
    started = Signal()
    finished = Signal(object)  # PreflightReport
    failed = Signal(str)  # Chinese reason: the check itself could not run

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.running = False
        self.report: PreflightReport | None = None

    def run(self, *, send_test: bool = False) -> None:
        if self.running:
            return
        self.app.tasks.spawn(self.run_now(send_test=send_test), name="preflight")

    def operator_openid(self) -> str:
        """The demo operator, else the person picked as "我自己" on the 编写 page (else settings.operator_openid)."""
        return self.app.myself.openid()

    async def run_now(self, *, send_test: bool = False) -> PreflightReport | None:
        services = self.app.services
        self.running = True
        self.started.emit()
        try:
            report = await check_before_live(services, operator_openid=self.operator_openid(), send_test=send_test)
        except Exception as exc:  # e.g. the services were rebuilt under the check (their HTTP client closed)
            log.warning("pre-flight check did not complete", exc_info=True)
            _title, message = friendly_error(exc)  # one Chinese line, never the exception's English
            self.failed.emit(message)
            return None
        finally:
            self.running = False
        self.report = report
        self.finished.emit(report)
        return report
