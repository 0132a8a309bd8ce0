"""The suppression list (拒收名单) of the chosen account, as the 管理拒收名单 dialog shows it: list it (the whole
account, or the chosen template only), take entries off it, export it. The RecipientsController owns one; the dialog
is a view of `listed` and calls the synchronous commands (controllers own the awaits)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from console.core.journal import SuppressionEntry
from console.ui.texts import recipients as txt
from console.usecases.history import export_suppressed
from console.usecases.suppression import clear_entries, suppression_entries

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController


class SuppressionListController(QObject):
    listed = Signal(list)  # list[SuppressionEntry]: the list as asked for by the last `load`

    def __init__(self, app: AppController, scope: Callable[[], tuple[str, str] | None],
                 after_clear: Callable[[], Awaitable[object]], parent: QObject | None = None) -> None:
        """`scope`: (appid, template_id) of the current draft (None without an account); `after_clear`: re-check
        the imported list against the shortened suppression list."""
        super().__init__(parent or app)
        self.app = app
        self._scope = scope
        self._after_clear = after_clear

    # --- commands (widgets) ---

    def load(self, template_only: bool) -> None:
        self.app.tasks.spawn(self.entries(template_only, announce=True), name="list-suppressed")

    def clear(self, entries: list[SuppressionEntry], template_only: bool) -> None:
        """Take these entries off the list (the next send includes them again), then list it again."""
        self.app.tasks.spawn(self.clear_now(entries, template_only), name="clear-suppressed")

    def export(self, path: Path, entries: list[SuppressionEntry]) -> None:
        self.app.tasks.spawn(self.export_to(path, entries), name="export-suppressed")

    # --- awaitables (tests) ---

    async def entries(self, template_only: bool, *, announce: bool = False) -> list[SuppressionEntry]:
        scope = self._scope()
        found: list[SuppressionEntry] = [] if scope is None else await self.app.tasks.in_thread(
            suppression_entries, self.app.services.journal, [scope[0]], scope[1] if template_only else None)
        if announce:
            self.listed.emit(found)
        return found

    async def clear_now(self, entries: list[SuppressionEntry], template_only: bool) -> int:
        cleared = await self.app.tasks.in_thread(clear_entries, self.app.services.journal, entries)
        self.app.notice.emit(txt.SUP_CLEARED.format(n=cleared))
        await self._after_clear()
        await self.entries(template_only, announce=True)
        return cleared

    async def export_to(self, path: Path, entries: list[SuppressionEntry]) -> int:
        try:
            rows = await self.app.tasks.in_thread(export_suppressed, entries, path)
        except OSError as exc:
            self.app.error.emit(txt.EXPORT_FAILED_TITLE,
                                txt.EXPORT_FAILED_BODY.format(path=path, reason=exc.strerror or exc))
            return 0
        self.app.notice.emit(txt.EXPORT_DONE.format(n=rows, path=path))
        return rows
