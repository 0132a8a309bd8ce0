"""Walk finding: the confirmation of 继续发送 listed the first recipient's message with the fixed fields first and the
list columns last (截止日期, 户号, 缴费状态, 缴费项目, 支付金额) — not in the template's order, as the new-send
confirmation and the card preview show it. The clerk compares it with what they wrote: same order now."""

from __future__ import annotations

from console.core.journal import JobSpec, JobState, NewItem
from console.sim import seed
from tests.ui.conftest import wait_until
from tests.ui.test_ui_history import fixed_values, long_term_template, open_job, page_of, settle


def test_resume_confirmation_lists_the_fields_in_the_template_order(window, controller, run) -> None:
    page = page_of(window)
    if page.resume_dialog is not None:
        page.resume_dialog.reject()
    journal = controller.services.journal
    labels: list[str] = []

    async def scenario() -> None:
        template = await long_term_template(controller)
        labels.extend(f.label for f in template.fields)
        first = template.fields[0]
        fixed = {k: v for k, v in fixed_values(template).items() if k != first.name}
        spec = JobSpec(kind="subscribe", appid=controller.services.mini.appid, template_id=template.template_id,
                       template_title=template.title, fields=fixed, column_map={first.name: "项目"})
        items = [NewItem(openid=seed.mini_openid(i), values={"项目": f"项目{i}"}, row=i + 2) for i in (0, 1, 2)]
        job_id = journal.create_job(spec, items)
        settle(journal, job_id, sent=1)
        journal.set_job_state(job_id, JobState.INTERRUPTED)
        await open_job(page, job_id)
        await wait_until(lambda: page.resume_button.isEnabled())
        page.resume_button.click()
        await wait_until(lambda: page.confirm is not None and page.confirm.isVisible())

    run(scenario())
    dialog = page.confirm
    shown = [line.split("：", 1)[0] for line in dialog.sample_label.text().splitlines()]
    assert shown == labels, shown
    assert "项目1" in dialog.sample_label.text()
    dialog.reject()
