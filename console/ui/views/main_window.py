"""The main window: banner on top, page list on the left, the current page on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.ui import texts
from console.ui.controllers.app_controller import AppController
from console.ui.controllers.draft_keeper import DraftKeeper
from console.ui.views.banner import Banner
from console.ui.views.pages import ADVANCED_PAGES, PAGE_ORDER, create_page
from console.ui.views.tab_order import follow_layouts
from console.ui.views.window_fit import restore_or_place


class MainWindow(QMainWindow):
    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self.controller = controller
        self.setWindowTitle(texts.APP_TITLE)
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = Banner(central)
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(120)
        self.stack = QStackedWidget(central)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self.pages: dict[str, QWidget] = {}
        self.close_question: QMessageBox | None = None  # "a job is sending: close anyway?"
        self._close_confirmed = False
        for key, title in PAGE_ORDER:
            page = create_page(key, controller, self)
            self.pages[key] = page
            self.stack.addWidget(page)
            follow_layouts(page)
            item = QListWidgetItem(title, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setHidden(key in ADVANCED_PAGES)  # 工具: from 设置 → 高级
        self.nav.currentRowChanged.connect(self._page_changed)
        # the compose draft and the imported list survive a restart (saved per account in the data folder)
        self.drafts = DraftKeeper(controller, self.pages["compose"].compose,  # type: ignore[attr-defined]
                                  self.pages["recipients"].recipients)  # type: ignore[attr-defined]
        self.nav.setCurrentRow(0)
        controller.services_changed.connect(self.refresh_banner)
        controller.page_wanted.connect(self.show_page)
        controller.sending.dry_run_changed.connect(self._dry_run_changed)  # the banner says 空跑 while it runs
        controller.error.connect(self.show_error)
        controller.notice.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.refresh_banner()
        self._restore_geometry()

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow([k for k, _ in PAGE_ORDER].index(key))

    def _page_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        page = self.stack.widget(row)
        if page is not None:
            follow_layouts(page)  # Tab in reading order, parts built since included

    def refresh_banner(self, dry_run: bool = False) -> None:
        self.banner.show_mode(sandbox=self.controller.sandbox, account=self.controller.account_name(),
                              dry_run=dry_run)

    def _dry_run_changed(self, running: bool) -> None:
        self.refresh_banner(dry_run=running)

    def show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()

    def _restore_geometry(self) -> None:
        restore_or_place(self, self.controller.ui_settings().value("window/geometry"))  # inside the screen

    def closeEvent(self, event: QCloseEvent) -> None:
        # Only the clerk's own close (the × button, Alt+F4: a spontaneous event from the window system) is asked
        # about; quitting (SIGTERM, logoff, app.quit) and close() from code go on, the quit path stops the send.
        if event.spontaneous() and self._ask_before_closing():
            event.ignore()
            return
        self.drafts.flush()
        self.controller.ui_settings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)

    def _ask_before_closing(self) -> bool:
        """Closing mid-send asks first (继续发送, the default, keeps the window); 停止并关闭 stops the job the way
        取消 does — it can be resumed from 历史 later — and closes. True while the question is open."""
        job = self.controller.sending.running_job
        if job is None or self._close_confirmed:
            return False
        if self.close_question is None:
            box = QMessageBox(QMessageBox.Icon.Warning, texts.CLOSE_SENDING_TITLE,
                              texts.CLOSE_SENDING_BODY.format(job=job), QMessageBox.StandardButton.NoButton, self)
            keep = box.addButton(texts.CLOSE_KEEP_SENDING, QMessageBox.ButtonRole.RejectRole)
            box.stop_button = box.addButton(texts.CLOSE_STOP, QMessageBox.ButtonRole.DestructiveRole)  # type: ignore[attr-defined]
            box.keep_button = keep  # type: ignore[attr-defined]
            box.setDefaultButton(keep)
            box.setEscapeButton(keep)
            box.finished.connect(lambda _result: self._close_answered(box))
            self.close_question = box
            box.open()
        return True

    def _close_answered(self, box: QMessageBox) -> None:
        self.close_question = None
        if box.clickedButton() is box.stop_button:  # type: ignore[attr-defined]
            self._close_confirmed = True
            self.close()  # the quit path (aboutToQuit -> aclose) stops the send and records its in-flight requests
