"""模板 page on the in-process simulator: listing, search, kind filter, refresh, errors, 使用此模板."""

from __future__ import annotations

from PySide6.QtCore import Qt

from console.sim import SANDBOX_MINI_APPID
from console.ui.models.templates_model import TemplateRole
from tests.ui.conftest import type_text, wait_until


def _page(window):
    return window.pages["templates"]


def _titles(page) -> list[str]:
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def _select(page, title: str, kind: str = "subscribe") -> None:
    for r in range(page.proxy.rowCount()):
        t = page.proxy.index(r, 0).data(TemplateRole)
        if t.title == title and t.kind == kind:
            page.table.selectRow(r)
            return
    raise AssertionError(f"{title} not listed")


def _loaded(page) -> bool:
    return page.model.rowCount() > 0 and not page.templates.loading


def test_templates_of_every_kind_are_listed_and_models_pass_the_tester(window, controller, run, qtmodeltester):
    page = _page(window)

    async def scenario():
        await wait_until(lambda: _loaded(page))

    run(scenario())
    kinds = {t.kind for t in controller.workspace.templates}
    assert kinds == {"subscribe", "mp", "weapp"}
    assert page.model.rowCount() == len(controller.workspace.templates) == 9 + 7 + 22
    assert page.status.text() == "共 38 个模板"
    assert page.model.index(0, 1).data().startswith("订阅消息")  # live channels first, retired last
    last = page.model.index(page.model.rowCount() - 1, 1).data()
    assert "已停用" in last
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)


def test_search_and_kind_filter_narrow_the_list(window, run, qtbot):
    page = _page(window)

    async def scenario():
        await wait_until(lambda: _loaded(page))

    run(scenario())
    type_text(qtbot, page.search, "缴费")
    titles = _titles(page)
    assert page.search.text() == "缴费"
    assert "缴费通知" in titles and "会议提醒" not in titles
    assert page.status.text().startswith("显示")
    page.kind.setCurrentIndex(page.kind.findData("mp"))
    assert _titles(page) == ["缴费提醒"]
    page.search.clear()
    assert len(_titles(page)) == 7
    type_text(qtbot, page.search, "没有这个模板")
    assert _titles(page) == []
    assert "没有找到" in page.status.text()
    assert not page.use_button.isEnabled()


def test_selecting_shows_the_card_with_the_example_and_fields(window, run):
    page = _page(window)

    async def scenario():
        await wait_until(lambda: _loaded(page))

    run(scenario())
    _select(page, "预约成功通知")
    assert page.card.title_text() == "预约成功通知"
    assert ("预约项目", "社保卡补办") in page.card.row_texts()
    assert "thing1" in page.info.text() and "不超过 20 个字符" in page.info.text()
    _select(page, "订单状态更新通知", "mp")
    labels = [label for label, _ in page.card.row_texts()]
    assert labels == ["订单编号", "订单状态", "更新时间"]  # first/remark are not shown by WeChat any more


def test_use_template_selects_it_with_its_channel_and_opens_compose(window, controller, run, qtbot):
    page = _page(window)

    async def scenario():
        await wait_until(lambda: _loaded(page))

    run(scenario())
    window.show_page("templates")
    _select(page, "会议通知", "mp")
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    ws = controller.workspace
    assert ws.template is not None and ws.template.title == "会议通知"
    assert ws.draft.kind == "mp"
    assert window.stack.currentWidget() is window.pages["compose"]
    window.show_page("templates")
    _select(page, "缴费通知")
    qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    assert ws.draft.kind == "subscribe" and ws.template.title == "缴费通知"


def test_retired_templates_usable_only_in_legacy_mode(window, controller, simulator, run):
    page = _page(window)

    async def scenario():
        await wait_until(lambda: _loaded(page))

    run(scenario())
    _select(page, "购买成功通知", "weapp")
    assert not page.use_button.isEnabled()
    assert "已停用" in page.use_reason.text()
    simulator.configure(legacy_apis=True)
    controller.services_changed.emit()
    run(scenario())
    _select(page, "购买成功通知", "weapp")
    assert page.use_button.isEnabled()
    page.use_button.click()
    assert controller.workspace.draft.kind == "weapp"


def test_simulator_fault_is_explained_and_refresh_recovers(window, controller, simulator, run, qtbot):
    page = _page(window)
    errors: list[tuple[str, str]] = []
    controller.error.connect(lambda title, message: errors.append((title, message)))

    async def scenario():
        await wait_until(lambda: _loaded(page))
        simulator.configure(fail_rate=1.0)
        qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: page.problem.isVisible() and not page.templates.loading)
        assert "读取模板失败" in page.problem.text()
        assert "刷新" in page.problem.text()  # the next step
        assert errors and errors[-1][0] == "读取模板失败"
        assert page.model.rowCount() == 38  # the list already shown is kept
        simulator.configure(fail_rate=0.0)
        qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: not page.templates.loading and not page.problem.isVisible())

    run(scenario())
    assert page.model.rowCount() == 38


def test_wrong_secret_is_explained(window, controller, run):
    page = _page(window)

    async def scenario():
        await wait_until(lambda: _loaded(page))
        controller.rebuild()  # reloads on services_changed, with the secret below
        controller.services.secrets.set(SANDBOX_MINI_APPID, "not-the-secret")
        await wait_until(lambda: not page.templates.loading and page.problem.isVisible())

    run(scenario())
    text = page.problem.text()
    assert "小程序订阅消息" in text and "AppSecret" in text
    assert {t.kind for t in controller.workspace.templates} == {"mp"}  # the OA account still works
