"""空跑 on the 发送 page through the real widgets and SendController on the in-process simulator: the checkbox,
开始 runs the dry run without a confirmation, the banner says 空跑 while it runs, the result list on the page, no
send call in the simulator's stats, no job — and a real send afterwards fails exactly the rows it predicted."""

from __future__ import annotations

import csv
from pathlib import Path

from console.core.journal import ItemState
from console.sim import Simulator
from console.sim.seed import mini_openid, unionid_for
from console.sim.simulator import ROUTES
from console.ui import texts
from console.ui.texts import send as txt
from tests.ui.conftest import wait_until

SEND_PATHS = {path for path, route in ROUTES.items() if route.send}
GOOD = [1, 2, 3, 4, 5, 6, 8, 10]  # seeded users that accept the demo template (index 7 refuses: WeChat-side only)


def send_calls(sim: Simulator) -> dict[str, int]:
    return {p: n for p, n in sim.stats.items() if p in SEND_PATHS}


def write_list(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名", "预约项目", "预约时间"])
        for i in GOOD:
            writer.writerow([mini_openid(i), unionid_for(i), "张伟", "社保卡补办", "2026年12月1日 9:30"])
        writer.writerow([mini_openid(11), unionid_for(11), "李四2号", "社保卡补办", "2026年12月1日 9:30"])  # row 10
        writer.writerow(["not an openid", "", "王芳", "社保卡补办", "2026年12月1日 9:30"])  # row 11
        writer.writerow([mini_openid(12), unionid_for(12), "刘洋", "社保卡补办", "明天上午"])  # row 12
    return path


async def _ready(window, controller, path: Path) -> None:
    controller.services.settings.rate = 200.0
    await controller.sending.ensure_demo_draft()
    rec = window.pages["recipients"].recipients
    rec._recheck_timer.stop()
    report = await rec.import_path(path)
    assert report is not None and report.valid == len(GOOD)


def test_dry_run_from_the_send_page(window, controller, run, simulator, tmp_path: Path) -> None:
    window.show_page("send")
    page = window.pages["send"]
    banner_states: list[tuple[bool, str]] = []
    controller.sending.dry_run_changed.connect(
        lambda _on: banner_states.append((window.banner.dry_run, window.banner.text_label.text())))

    async def scenario() -> None:
        await _ready(window, controller, write_list(tmp_path / "list.csv"))
        assert page.dry_run.check.text() == txt.DRY_RUN_CHECK and not page.dry_run.isVisible()
        page.dry_run.check.setChecked(True)
        assert page.start_button.text() == txt.START_DRY_RUN and page.start_button.isEnabled()
        simulator.configure(latency_ms=120)  # the token and template-list calls take a moment
        page.start_button.click()
        await wait_until(lambda: window.banner.dry_run)
        assert window.banner.text_label.text() == texts.BANNER_DRY_RUN  # loud while it runs
        assert page.preparing_label.text() == txt.DRY_RUN_RUNNING and not page.start_button.isEnabled()
        await wait_until(lambda: page.dry_run.isVisible(), within=15)
        assert not window.banner.dry_run and texts.BANNER_DRY_RUN not in window.banner.text_label.text()
        assert page.confirm_dialog is None  # nothing to confirm: nothing is sent
        assert page.start_button.isEnabled()

    run(scenario())
    assert banner_states == [(True, texts.BANNER_DRY_RUN), (False, banner_states[-1][1])]
    panel = page.dry_run
    result = panel.report
    assert (result.would_send, result.would_fail) == (len(GOOD), 3)
    assert f"可以发送 {len(GOOD)} 人" in panel.counts_label.text() and "会失败 3 人" in panel.counts_label.text()
    assert "预计用时" in panel.duration_label.text() and "估算" in panel.estimate_label.text()
    rows = panel.rows()
    assert [r[0] for r in rows] == ["10", "11", "12"]
    assert rows[0][1] == mini_openid(11) and rows[0][2] == "姓名" and "数字" in rows[0][3]
    assert rows[1][1] == "not an openid" and rows[2][2] == "预约时间"
    assert send_calls(simulator) == {} and simulator.messages == []
    assert "/wxaapi/newtmpl/gettemplate" in simulator.stats
    assert controller.services.journal.list_jobs() == []

    # the real send that follows leaves out or fails exactly the predicted rows
    page.dry_run.check.setChecked(False)
    assert page.start_button.text() == txt.START
    simulator.configure(latency_ms=0)

    async def real() -> int:
        page.start_button.click()
        await wait_until(lambda: page.confirm_dialog is not None and page.confirm_dialog.isVisible())
        page.confirm_dialog.confirm_button.click()
        await wait_until(lambda: controller.sending.running_job is not None)
        job = controller.sending.running_job
        await wait_until(lambda: controller.sending.running_job is None, within=20)
        return job

    job = run(real())
    assert not page.dry_run.isVisible()  # a real job replaces the dry-run result
    journal = controller.services.journal
    sent = {item.row for item in journal.iter_items(job, {ItemState.SENT})}
    assert {r.row for r in result.failures} == set(range(2, 13)) - sent


def test_dry_run_mp_lists_the_non_follower(window, controller, run, simulator, tmp_path: Path) -> None:
    page = window.pages["send"]

    async def scenario() -> None:
        path = tmp_path / "oa.csv"
        path.write_text("openid,unionid\n" + "".join(f"{mini_openid(i)},{unionid_for(i)}\n" for i in (1, 9, 10)),
                        encoding="utf-8")
        ws = controller.workspace
        ws.set_kind("mp")
        templates = await controller.services.oa.list_templates("mp")
        ws.set_templates(templates)
        ws.select_template(next(t for t in templates if t.template_id == "h7aZPqSynj8NCMIlk8E_1KargQM7UbTCUED4rhBAek4"))
        for name, value in (("keyword1", "A100"), ("keyword2", "已发货"), ("keyword3", "顺丰")):
            ws.set_field(name, value=value)
        rec = window.pages["recipients"].recipients
        rec._recheck_timer.stop()
        await rec.import_path(path)
        assert page.issues() == []
        page.dry_run.check.setChecked(True)
        page.start_button.click()
        await wait_until(lambda: page.dry_run.report is not None, within=15)

    run(scenario())
    rows = page.dry_run.rows()
    assert [(r[0], r[1]) for r in rows] == [("3", mini_openid(9))] and "没有关注公众号" in rows[0][3]
    assert page.dry_run.report.would_send == 2
    assert "/cgi-bin/user/get" in simulator.stats and send_calls(simulator) == {}
