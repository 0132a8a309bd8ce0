"""History's 再发一次 / 复制为新任务: a finished (or any) job becomes the draft of a NEW job — the same channel,
template, fixed texts, list columns, options and recipients (those the job had, with their rows and values). Nothing is
sent here: the clerk lands on 发送, where 开始发送 goes through the normal confirmation (count, mode, content)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from console.core.journal import Item, JobSpec
from console.core.recipients import ImportReport, Recipient
from console.ui.errors import friendly_error
from console.ui.texts import history as t
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT
from console.usecases.history import item_name, job_detail
from console.usecases.jobs import INCLUDE_SUPPRESSED, TEMPLATE_LIST_KIND, find_template

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController

log = logging.getLogger(__name__)

# recorded by prepare_job for the run itself (a new job records its own), and the overrides 仍然发送给拒收的人 and
# 仍然发送给没有授权的人, which the clerk decides again for the new job rather than inheriting them silently: 再发一次
# is a new send of the same list, so the consent is asked again (the recipients page and prepare_send, as for a file)
RUN_OPTIONS = ("api_base", "field_rules", INCLUDE_SUPPRESSED, INCLUDE_WITHOUT_CONSENT)


def report_of(spec: JobSpec, job_id: int, items: list[Item]) -> ImportReport:
    """The job's recipients as an imported list (rows and values as they were)."""
    recipients = [Recipient(row=i.row or i.seq + 1, openid=i.openid, form_id=None, unionid=i.unionid,
                            name=item_name(i) or None,
                            form_id_issued_at=None, values=dict(i.values)) for i in items]
    columns = list(dict.fromkeys(k for i in items for k in i.values))
    source = t.COPY_SOURCE.format(job=job_id, source=spec.source_name or t.COPY_NO_SOURCE)
    return ImportReport(recipients, [], [], columns, 1, "utf-8", source, spec.source_sha256, len(recipients))


class JobCopy:
    """再发一次 / 复制为新任务 for the history controller (which owns one): reads the job off the loop, finds its
    template, and fills the workspace; the clerk is told what happened (notice) or why not (error)."""

    def __init__(self, app: AppController) -> None:
        self.app = app

    async def copy_as_new(self, job_id: int) -> bool:
        """Put job `job_id` into the workspace as the draft of a new job. False (the clerk told why) when it cannot."""
        app = self.app
        services, ws = app.services, app.workspace
        try:
            detail = await app.tasks.in_thread(job_detail, services.journal, job_id)
            job, items = detail.job, detail.items
            spec = job.spec
            template = None
            if spec.kind != "custom":
                list_kind = TEMPLATE_LIST_KIND.get(spec.kind)
                template = next((x for x in ws.templates if x.template_id == spec.template_id and x.kind == list_kind),
                                None)
                client = services.client_for(spec.kind)
                if template is None and client is not None:
                    template = await find_template(client, spec.kind, spec.template_id)
        except Exception as exc:  # e.g. the template was deleted (40037): say so, change nothing
            _title, message = friendly_error(exc)
            app.error.emit(t.COPY_FAILED_TITLE, message)
            return False
        ws.set_kind(spec.kind)
        if template is not None and all(x.template_id != template.template_id for x in ws.templates):
            ws.set_templates([*ws.templates, template])
        ws.select_template(template)
        d = ws.draft
        d.fixed, d.column_map = dict(spec.fields), dict(spec.column_map)
        d.options = {k: v for k, v in spec.options.items() if k not in RUN_OPTIONS}
        ws.preview_sent_for = None  # a new job: the test/preview is for this draft only when sent again
        ws.draft_changed.emit()
        ws.report_source = None  # the list is the job's, no file: nothing re-imports the previous file over it
        ws.set_report(report_of(spec, job_id, items))
        app.notice.emit(t.COPIED.format(job=job_id, n=len(items)))
        return True
