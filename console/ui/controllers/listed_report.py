"""A list that is no file — 历史's 再发一次 (history_copy.py) puts a job's recipients into the workspace as the new
draft's list: the recipients page checks it as it checks an imported file (suppression list, and for a subscribe
message the consent at the message-push receiver: 再发一次 is a new send of the same list, so the rows without
consent NOW are left out, as in any new send). An imported file is checked by RecipientsController.import_path."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.ui.controllers.recipients_controller import RecipientsController


def follow_listed_reports(rec: RecipientsController) -> None:
    ws = rec.app.workspace

    def changed() -> None:
        if ws.report is None or ws.report_source is not None:
            return  # no list, or an imported file (checked by import_path itself)
        rec.refresh_suppression()
        rec.refresh_consent()

    ws.recipients_changed.connect(changed)
