"""收件人 page and the suppression list (拒收名单): a send whose refusers (43101) the next import shows as
"N 人曾拒收，将跳过"; the override checkbox sets the draft option prepare_job reads; the 拒收名单 dialog lists, exports
and clears."""

from __future__ import annotations

import csv

from console.core.journal import JobSpec, NewItem
from console.ui.texts import recipients as txt
from console.usecases.jobs import INCLUDE_SUPPRESSED, JobRequest, prepare_job
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready, _start


def _refuse(controller, openids: list[str], template_id: str, code: int = 43101) -> None:
    """What an earlier send recorded: these users answered `code` to this template."""
    journal = controller.services.journal
    job = journal.create_job(JobSpec("subscribe", controller.services.mini.appid, template_id),
                             [NewItem(o) for o in openids])
    for item in journal.iter_items(job):
        journal.items.mark_sending(item.id)
        journal.items.mark_failed(item.id, code, "user refuse to accept the msg")


def test_refusers_of_a_send_are_shown_and_the_override_sets_the_draft_option(window, controller, run) -> None:
    page = window.pages["recipients"]
    ws = controller.workspace

    async def scenario() -> int:
        await _ready(window, controller)
        assert page.recipients.suppressed == [] and not page.suppression_label.isVisibleTo(page)
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        refused = sum(1 for i in controller.services.journal.iter_items(job) if i.last_errcode == 43101)
        assert refused > 0
        await wait_until(lambda: len(page.recipients.suppressed) == refused)  # refreshed when the job finished
        return refused

    refused = run(scenario())
    window.show_page("recipients")
    assert page.suppression_label.isVisible() and page.include_box.isVisible()
    assert f"{refused} 人曾拒收，将跳过" in page.suppression_label.text()
    assert not page.include_box.isChecked() and INCLUDE_SUPPRESSED not in ws.draft.options

    page.include_box.click()  # 仍然发送给他们
    assert ws.draft.options[INCLUDE_SUPPRESSED] is True
    assert f"{refused} 人曾拒收，仍将发送给他们" in page.suppression_label.text()
    # the draft, as the send path hands it to prepare_job, now includes them
    services, template = controller.services, ws.template
    request = JobRequest(kind=ws.draft.kind, template_id=ws.draft.template_id, fixed=dict(ws.draft.fixed),
                         column_map=dict(ws.draft.column_map), options=dict(ws.draft.options))
    kept = prepare_job(request, ws.report, appid=services.mini.appid, template=template,
                       suppressed=services.journal.suppression.find)
    assert len(kept.suppressed) == refused and kept.suppressed_included

    page.include_box.click()
    assert INCLUDE_SUPPRESSED not in ws.draft.options
    request.options = dict(ws.draft.options)
    left_out = prepare_job(request, ws.report, appid=services.mini.appid, template=template,
                           suppressed=services.journal.suppression.find)
    assert len(left_out.items) == len(kept.items) - refused
    assert sum("曾拒收（43101）" in e.reason for e in left_out.rejected) == refused


def test_import_counts_only_this_template_and_the_dialog_exports_and_clears(window, controller, run, tmp_path,
                                                                            monkeypatch, qtmodeltester) -> None:
    page = window.pages["recipients"]
    window.show_page("recipients")
    rec = page.recipients
    sample = [r[0] for r in csv.reader(rec.sample_path().read_text(encoding="utf-8-sig").splitlines()[1:4])]
    out = tmp_path / "拒收名单.csv"
    monkeypatch.setattr("console.ui.views.suppression_dialog.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(out), ""))

    async def scenario() -> None:
        await controller.sending.ensure_demo_draft()
        _refuse(controller, sample, controller.workspace.draft.template_id)
        _refuse(controller, ["o" + "z" * 27], controller.workspace.draft.template_id)  # not in this list
        _refuse(controller, sample[:1], "another-template")
        rec._recheck_timer.stop()
        await rec.import_path(rec.sample_path())
        assert [e.openid for e in rec.suppressed] == sample
        assert "3 人曾拒收，将跳过" in page.suppression_label.text()

        page.suppression_button.click()
        dialog = page.suppression_dialog
        await wait_until(lambda: len(dialog.entries) == 4)  # the current template: the whole list of it
        assert dialog.only_template.isChecked() and dialog.model.rowCount() == 4
        qtmodeltester.check(dialog.model)
        assert dialog.count_label.text() == txt.SUP_COUNT.format(n=4)
        dialog.only_template.setChecked(False)  # every template of the account
        await wait_until(lambda: len(dialog.entries) == 5)

        dialog.export_button.click()
        await wait_until(out.exists)
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and len(raw.decode("utf-8-sig").splitlines()) == 6

        dialog.only_template.setChecked(True)
        await wait_until(lambda: len(dialog.entries) == 4)
        row = next(r for r, e in enumerate(dialog.entries) if e.openid == sample[0])
        dialog.table.selectRow(row)
        dialog.remove_button.click()
        assert dialog.confirm is not None and "1 条" in dialog.confirm.text()
        dialog.confirm.ok_button.click()
        await wait_until(lambda: len(dialog.entries) == 3 and len(rec.suppressed) == 2)
        assert "2 人曾拒收，将跳过" in page.suppression_label.text()

        dialog.clear_button.click()  # everything listed (this template)
        dialog.confirm.ok_button.click()
        await wait_until(lambda: dialog.entries == [] and rec.suppressed == [])
        assert dialog.count_label.text() == txt.SUP_EMPTY
        assert not page.suppression_label.isVisible() and not page.include_box.isVisible()
        account = controller.services.mini.appid
        assert [e.template_id for e in controller.services.journal.suppression.entries(account)] == ["another-template"]

    run(scenario())


def test_clearing_the_list_forgets_the_override_display(window, controller, run) -> None:
    page = window.pages["recipients"]
    rec = page.recipients

    async def scenario() -> None:
        await controller.sending.ensure_demo_draft()
        openid = rec.sample_path().read_text(encoding="utf-8-sig").splitlines()[1].split(",")[0]
        _refuse(controller, [openid], controller.workspace.draft.template_id, code=40003)
        rec._recheck_timer.stop()
        await rec.import_path(rec.sample_path())
        assert "1 人的 openid 无效，将跳过" in page.suppression_label.text()
        page.clear_button.click()  # 清空名单: no list, nothing to say about suppression
        await wait_until(lambda: controller.workspace.report is None)

    run(scenario())
    assert rec.suppressed == [] and not page.suppression_label.isVisibleTo(page)
