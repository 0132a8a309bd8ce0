"""The 拒收名单 dialog shows who it is — the name from the list — before the openid (issue 13, item 3)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from console.core.journal import JobSpec, NewItem
from console.sim import seed
from tests.ui.conftest import wait_until
from tests.ui.test_ui_send import _ready


def test_the_dialog_lists_names(window, controller, run) -> None:
    page = window.pages["recipients"]
    journal = controller.services.journal

    async def scenario() -> None:
        await _ready(window, controller)
        template_id = controller.workspace.draft.template_id
        openids = [seed.mini_openid(101), seed.mini_openid(102)]
        items = [NewItem(o, values={"姓名": n}) for o, n in zip(openids, ("赵六", "钱七"), strict=True)]
        job = journal.create_job(JobSpec("subscribe", controller.services.mini.appid, template_id), items)
        for item in journal.iter_items(job):
            journal.items.mark_sending(item.id)
            journal.items.mark_failed(item.id, 43101, "user refuse to accept the msg")
        window.show_page("recipients")
        page.suppression_button.click()
        dialog = page.suppression_dialog
        await wait_until(lambda: len(dialog.entries) == 2)
        model = dialog.model
        assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "姓名"
        rows = {model.index(r, 1).data(): model.index(r, 0).data() for r in range(model.rowCount())}
        assert rows == dict(zip(openids, ("赵六", "钱七"), strict=True))

    run(scenario())
