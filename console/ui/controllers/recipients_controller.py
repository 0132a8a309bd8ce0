"""RecipientsController: imports a recipient list off the loop, re-checks it when the template/draft changes,
exports the problem rows. The result goes to the Workspace (`workspace.set_report`).

It also says which imported recipients are on the suppression list of the chosen account and template (they
refused it before: prepare_job leaves them out unless the draft option include_suppressed is set); its
`suppression_list` (suppression_list.py) lets the operator view, export and clear that list.

For subscribe messages it asks the message-push receiver who of the list has a subscription consent for the chosen
template (usecases/consent.py, the same use case as `wxconsole consent`): `consent` (None: no consent concept)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from console.core.journal import SuppressionEntry
from console.core.recipients import ImportOptions, ImportReport
from console.ui.controllers.listed_report import follow_listed_reports
from console.ui.controllers.suppression_list import SuppressionListController
from console.ui.models.report_model import Problem, problems_of, write_problems_csv
from console.ui.resources import resource_path
from console.ui.texts import recipients as txt
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT, ConsentCheck, check_consent, is_long_term
from console.usecases.importing import import_recipient_list
from console.usecases.jobs import INCLUDE_SUPPRESSED
from console.usecases.suppression import suppressed_among

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController

log = logging.getLogger(__name__)

SAMPLE_PARTS = ("samples", "recipients-demo.csv")
SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".txt", ".xls")  # .xls is refused by the importer with a Chinese reason
RECHECK_DELAY_MS = 600


class RecipientsController(QObject):
    busy_changed = Signal(bool)
    status = Signal(str)  # a line for the page while working
    stale_changed = Signal(bool)  # the draft changed since the list was checked
    import_failed = Signal(object)  # the ImportReport of a file that could not be imported at all
    suppression_changed = Signal()  # `suppressed` was recomputed (after an import, a send, a clear)
    consent_changed = Signal()  # `consent` was recomputed, or is being asked (`consent_checking`)

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent or app)
        self.app = app
        self.busy = False
        self.stale = False
        self._checked_key: tuple[object, ...] | None = None
        # imported recipients on the suppression list of the chosen account and template, in list order
        self.suppressed: list[SuppressionEntry] = []
        self.consent: ConsentCheck | None = None  # the receiver's answer for this list and template
        self.consent_checking = False
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(RECHECK_DELAY_MS)
        self._recheck_timer.timeout.connect(self.recheck)
        ws = app.workspace
        ws.draft_changed.connect(self._draft_changed)  # also emitted when a template is chosen
        ws.job_finished.connect(self._job_finished)
        app.services_changed.connect(self._services_changed)
        follow_listed_reports(self)  # 再发一次's list (no file): checked like an import
        # 管理拒收名单 (suppression_list.py): list, clear, export the account's suppression list
        self.suppression_list = SuppressionListController(app, self.suppression_scope, self.check_suppression, self)

    # --- options ---

    def import_options(self) -> ImportOptions:
        ws, services = self.app.workspace, self.app.services
        kind, template = ws.draft.kind, ws.template
        mapped = template if kind == "subscribe" else None  # a subscribe template's fields map to columns
        subscribe = mapped is not None
        return ImportOptions(
            template_fields=mapped.fields if mapped is not None else (),
            enum_values=template.enum_values if template is not None else {},
            column_map=dict(ws.draft.column_map) if subscribe else {},
            require_form_id=kind == "weapp",
            require_openid=kind != "mp",
            ledger=services.journal,
            now=services.clock.now(),
        )

    # --- commands (synchronous entry points for widgets) ---

    def import_file(self, path: str | Path) -> None:
        self.app.tasks.spawn(self.import_path(Path(path)), name="import-recipients")

    @staticmethod
    def sample_path() -> Path:
        return resource_path(*SAMPLE_PARTS)

    def load_sample(self) -> None:
        self.import_file(self.sample_path())

    def options_key(self) -> tuple[object, ...]:
        """What the import depends on: channel, template and (for subscribe) the column mapping."""
        ws = self.app.workspace
        kind = ws.draft.kind
        template = ws.template
        columns = tuple(sorted(ws.draft.column_map.items())) if kind == "subscribe" else ()
        return (kind, template.template_id if template else "", columns, self.app.services.sandbox)

    @property
    def source(self) -> Path | None:
        """The imported file (kept in the Workspace: the send page's dry run names the rows it rejected)."""
        return self.app.workspace.report_source

    @source.setter
    def source(self, path: Path | None) -> None:
        self.app.workspace.report_source = path

    def recheck(self) -> None:
        self._recheck_timer.stop()
        if self.source is not None and not self.busy:
            self.app.tasks.spawn(self.import_path(self.source, recheck=True), name="recheck-recipients")

    def clear(self) -> None:
        self.source, self._checked_key = None, None
        self._set_stale(False)
        self.app.workspace.set_report(None)
        self._set_suppressed([])
        self._set_consent(None)

    def refresh_suppression(self) -> None:
        self.app.tasks.spawn(self.check_suppression(), name="check-suppression")

    def set_include_suppressed(self, include: bool) -> None:
        """The operator's override (仍然发送给他们): a draft option that prepare_job reads."""
        self.app.workspace.set_option(INCLUDE_SUPPRESSED, True if include else None)

    def set_include_without_consent(self, include: bool) -> None:
        """The operator's override (仍然发送给没有授权的人): a draft option prepare_send and the dry run read."""
        self.app.workspace.set_option(INCLUDE_WITHOUT_CONSENT, True if include else None)

    @property
    def include_without_consent(self) -> bool:
        return bool(self.app.workspace.draft.options.get(INCLUDE_WITHOUT_CONSENT))

    def consent_problems(self) -> list[Problem]:
        """The rows without consent, as problem rows (the page's panel and its export)."""
        if self.consent is None or self.app.workspace.report is None:
            return []
        return [Problem(e.row, txt.KIND_CONSENT, e.column, e.reason)
                for e in self.consent.problems(self.include_without_consent)]

    def refresh_consent(self) -> None:
        self.app.tasks.spawn(self.check_consent(), name="check-consent")

    @property
    def include_suppressed(self) -> bool:
        return bool(self.app.workspace.draft.options.get(INCLUDE_SUPPRESSED))

    def suppression_scope(self) -> tuple[str, str] | None:
        """(appid, template_id) whose suppression list applies to the current draft; None without an account."""
        ws = self.app.workspace
        client = self.app.services.client_for(ws.draft.kind)
        return (client.appid, ws.draft.template_id) if client is not None else None

    def export_problems(self, path: str | Path) -> None:
        self.app.tasks.spawn(self.export_problems_to(Path(path)), name="export-problems")

    # --- awaitables (controllers and tests) ---

    async def import_path(self, path: Path, *, recheck: bool = False) -> ImportReport | None:
        if self.busy:
            return None
        self._set_busy(True)
        self.status.emit(txt.RECHECKING if recheck else txt.IMPORTING.format(name=path.name))
        try:
            key = self.options_key()
            options = self.import_options()
            report = await self.app.tasks.in_thread(import_recipient_list, path, options)
        finally:
            self._set_busy(False)
        if report.failed:
            self.app.error.emit(txt.IMPORT_FAILED_TITLE, report.summary())
            if not recheck:  # the page shows this file's failure, not the previous list nor 正在读取…
                self.source, self._checked_key = None, None
                self._set_stale(False)
                self.app.workspace.set_report(None)
                self._set_suppressed([])
                self._set_consent(None)
                self.import_failed.emit(report)
                return report
        self.source, self._checked_key = path, key
        self._set_stale(False)
        self.app.workspace.set_report(report)
        await self.check_suppression()
        await self.check_consent()
        if not report.failed:
            self.app.notice.emit(txt.IMPORTED_NOTICE.format(source=report.source_name, n=report.valid))
        if self.options_key() != key:  # the draft changed while we were reading
            self._draft_changed()
        return report

    async def export_problems_to(self, path: Path) -> int:
        problems = sorted(problems_of(self.app.workspace.report) + self.consent_problems(), key=lambda p: p.row)
        if not problems:
            self.app.notice.emit(txt.NOTHING_TO_EXPORT)
            return 0
        try:
            await self.app.tasks.in_thread(write_problems_csv, path, problems)
        except OSError as exc:
            self.app.error.emit(txt.EXPORT_FAILED_TITLE,
                                txt.EXPORT_FAILED_BODY.format(path=path, reason=exc.strerror or exc))
            return 0
        self.app.notice.emit(txt.EXPORT_DONE.format(n=len(problems), path=path))
        return len(problems)

    async def check_suppression(self) -> list[SuppressionEntry]:
        """Which recipients of the current list are on the suppression list of the chosen template."""
        ws = self.app.workspace
        report, scope = ws.report, self.suppression_scope()
        no_template = scope is not None and not scope[1] and ws.draft.kind != "custom"
        if report is None or report.failed or scope is None or no_template:
            self._set_suppressed([])
            return []
        found = await self.app.tasks.in_thread(suppressed_among, self.app.services.journal, scope[0], scope[1],
                                               [r.openid for r in report.recipients])
        if report is ws.report and scope == self.suppression_scope():  # nothing changed meanwhile
            self._set_suppressed([found[r.openid] for r in report.recipients if r.openid in found])
        return self.suppressed

    async def check_consent(self) -> ConsentCheck | None:
        """Who of the current list has a consent for the chosen subscribe template (None: not a subscribe message,
        no template, no list). The receiver unreachable or not configured: a check saying consent is unknown."""
        ws, services = self.app.workspace, self.app.services
        report, kind, template_id = ws.report, ws.draft.kind, ws.draft.template_id
        client = services.client_for(kind)
        if report is None or report.failed or client is None:
            self._set_consent(None)
            return None
        self.consent_checking = True
        self.consent_changed.emit()
        try:
            template = next((t for t in ws.templates if t.template_id == template_id and t.kind == "subscribe"), None)
            check = await check_consent(services.receiver, kind, client.appid, template_id,
                                        [(r.row, r.openid) for r in report.recipients], is_long_term(template))
        finally:
            self.consent_checking = False
        if report is ws.report and (kind, template_id) == (ws.draft.kind, ws.draft.template_id):
            self._set_consent(check)  # else a newer check follows (the recheck of the changed draft)
        else:
            self.consent_changed.emit()
        return check

    # --- reactions ---

    def _draft_changed(self) -> None:
        if self.source is None or self._checked_key is None:
            return
        stale = self.options_key() != self._checked_key
        self._set_stale(stale)
        if stale:
            self._recheck_timer.start()  # debounced: typing in the compose page does not re-import per key

    def _job_finished(self, _job_id: int) -> None:
        self.refresh_suppression()  # the job may have added refusals, or a success took somebody off
        if self.consent is not None and self.consent.known:
            self.refresh_consent()  # a delivered one-time message used a consent

    def _services_changed(self) -> None:
        # rebuild() cleared the report: the ledger (journal) changed with the mode
        self.source, self._checked_key = None, None
        self._set_stale(False)
        self._set_suppressed([])
        self._set_consent(None)

    def _set_consent(self, check: ConsentCheck | None) -> None:
        self.consent = check
        self.consent_changed.emit()

    def _set_suppressed(self, entries: list[SuppressionEntry]) -> None:
        self.suppressed = entries
        self.suppression_changed.emit()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    def _set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self.stale_changed.emit(stale)
