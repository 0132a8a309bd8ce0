"""Nothing lost on a restart: the compose draft (channel, template, field contents and sources, options, the imported
list's file) is saved per account in the data folder (console/core/drafts.py) on every change, debounced, and
restored at start and after an account/mode switch; the 编写 page then says it was restored."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from console.core.drafts import Draft, load_draft, save_draft
from console.ui.texts import compose as txt
from console.usecases.history import job_of
from console.usecases.jobs import INCLUDE_SUPPRESSED

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController
    from console.ui.controllers.compose_controller import ComposeController
    from console.ui.controllers.recipients_controller import RecipientsController

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 400
TEMPLATES_WAIT = 20.0  # seconds a restored draft waits for the template list


class DraftKeeper(QObject):
    def __init__(self, app: AppController, compose: ComposeController, recipients: RecipientsController) -> None:
        super().__init__(compose)
        self.app, self.compose, self.recipients = app, compose, recipients
        self.restoring = False
        self._pending: Draft | None = None  # restored, waiting for the template list
        self._applied = asyncio.Event()
        self._sent_job = 0  # the job the current draft was sent as (a restart must not call it unsent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        ws = app.workspace
        ws.draft_changed.connect(self._changed)
        ws.recipients_changed.connect(self._changed)
        ws.templates_changed.connect(self._templates_arrived)
        ws.job_started.connect(self._job_started)
        app.started.connect(self.restore)
        app.services_changed.connect(self._services_changed)

    def key(self) -> str:
        services = self.app.services
        client = services.mini or services.oa
        appid = client.appid if client is not None else "none"
        return f"sandbox-{appid}" if services.sandbox else appid

    # --- saving ---

    def current(self) -> Draft:
        d, source = self.app.workspace.draft, self.recipients.source
        listed = source is not None and self.app.workspace.report is not None
        options = {k: v for k, v in d.options.items() if k != INCLUDE_SUPPRESSED}  # decided again each session
        return Draft(d.kind, d.template_id, dict(d.fixed), dict(d.column_map), options, str(source) if listed else "",
                     self._sent_job)

    def _changed(self) -> None:
        if not self.restoring:
            self._sent_job = 0  # changed since it was sent: a new draft
            self._timer.start()

    def _job_started(self, job_id: int) -> None:
        """A job began: when it is this draft's (same template, content and list — not a job resumed from 历史),
        the draft is kept as sent, so that a restart says so instead of offering it as unfinished work."""
        ws = self.app.workspace
        try:
            spec = job_of(self.app.services.journal, job_id).spec
        except Exception:
            log.debug("job %s not read for the draft", job_id, exc_info=True)
            return
        report, d = ws.report, ws.draft
        if (spec.template_id == d.template_id and spec.fields == d.fixed and spec.column_map == d.column_map
                and report is not None and spec.source_sha256 == report.source_sha256):
            self._sent_job = job_id
            self.save_now()

    def save_now(self) -> None:
        self._timer.stop()
        if self.restoring:
            return
        try:
            asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:  # the loop is gone (the app has closed): flush() wrote it at the close
            log.debug("draft not saved: no event loop")
            return
        self.app.tasks.spawn(self._save(self.key(), self.current()), name="save-draft")

    def flush(self) -> None:
        """The window closes: a change still waiting for the debounce is written now (a small file)."""
        if self._timer.isActive() and not self.restoring:
            self._timer.stop()
            try:
                save_draft(self.app.data_dir, self.key(), self.current())
            except Exception:
                log.warning("the draft could not be saved", exc_info=True)

    async def _save(self, key: str, draft: Draft) -> None:
        try:
            await self.app.tasks.in_thread(save_draft, self.app.data_dir, key, draft)
        except asyncio.CancelledError:
            raise
        except Exception:  # a full disk: the draft is a convenience, the status bar is not worth a dialog
            log.warning("the draft could not be saved", exc_info=True)

    # --- restoring ---

    def _services_changed(self) -> None:
        self._timer.stop()  # the rebuild cleared the workspace: not a change of the new account's draft
        self.restore()

    def restore(self) -> None:
        self.app.tasks.spawn(self.restore_now(), name="restore-draft")

    async def restore_now(self) -> Draft | None:
        draft = await self.app.tasks.in_thread(load_draft, self.app.data_dir, self.key())
        if draft is None or draft.is_empty() or self._started_meanwhile():
            self.compose.draft_restored.emit("")
            return None
        self.restoring = True
        try:
            self.compose.set_channel(draft.kind)
            self._pending, self._applied = draft, asyncio.Event()
            self._templates_arrived()  # now, or when the template list comes
            if self._pending is not None:
                with contextlib.suppress(TimeoutError):  # the template is gone: the rest is still restored
                    await asyncio.wait_for(self._applied.wait(), TEMPLATES_WAIT)
            self._pending = None
            path = Path(draft.list_path) if draft.list_path else None
            listed = path is not None and await self.app.tasks.in_thread(path.is_file)
            ws = self.app.workspace
            if listed and path is not None and ws.report is None and not self.recipients.busy:
                await self.recipients.import_path(path)  # (a list imported meanwhile is never replaced)
        finally:
            self.restoring = False
        template = self.app.workspace.template
        parts = [txt.RESTORED_TEMPLATE.format(title=template.title)] if template is not None else []
        if draft.list_path:
            name = Path(draft.list_path).name
            parts.append((txt.RESTORED_LIST if listed else txt.RESTORED_LIST_MISSING).format(name=name))
        what = txt.LIST_SEP.join(parts) or txt.RESTORED_CONTENT
        self._sent_job = draft.sent_job
        self.compose.draft_restored.emit(txt.RESTORED_SENT.format(what=what, job=draft.sent_job) if draft.sent_job
                                         else txt.RESTORED.format(what=what))
        return draft

    def _started_meanwhile(self) -> bool:
        """The clerk (or a demo action) began a new draft before the saved one was read: never overwrite it."""
        ws = self.app.workspace
        return ws.template is not None or ws.report is not None or self.recipients.busy

    def _templates_arrived(self) -> None:
        draft = self._pending
        if draft is None or not self.restoring:
            return
        if self.app.workspace.template is not None:  # a template was chosen meanwhile: leave it
            self._pending = None
            self._applied.set()
            return
        if draft.template_id and not any(t.template_id == draft.template_id
                                         for t in self.compose.templates_for_channel()):
            return  # not loaded yet (or deleted: _wait gives up)
        ws = self.app.workspace
        if draft.template_id:
            self.compose.choose_template(draft.template_id)
        names = {f.name for f in ws.template.fields} if ws.template is not None else {"content"}
        for name, value in draft.fixed.items():
            if name in names:
                ws.set_field(name, value=value)
        for name, column in draft.column_map.items():
            if name in names:
                ws.set_field(name, column=column)
        for key, value in draft.options.items():
            ws.set_option(key, value)
        self._pending = None
        self._applied.set()
