"""AppController: owns the Services (sandbox or live), the TaskRunner and the Workspace; switches modes."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QSettings, QTimer, Signal

from console.app import Services, build_services, sandbox_services, sandbox_settings
from console.core.clock import Clock, SystemClock
from console.core.paths import SETTINGS_FILE
from console.core.secrets import SecretStore
from console.core.settings import Settings, SettingsError
from console.ui import texts
from console.ui.state import Workspace
from console.ui.tasks import TaskRunner
from console.usecases.secrets import window_secret_store

if TYPE_CHECKING:
    from console.sim import Simulator

log = logging.getLogger(__name__)

# The demo simulator answers like the real WeChat: after a few tens of milliseconds, not instantly. (An instant answer
# never lets the event loop wait, so a full-speed demo send would starve the window of repaints.)
DEMO_LATENCY_MS = 20.0
DEMO_JITTER_MS = 20.0
STOP_MARGIN = 5.0  # seconds past the HTTP timeouts a stopping send is waited for on quit (later: interrupted)


def demo_simulator() -> Simulator:
    from console.sim import SimConfig, Simulator

    # the clerk's own imported list can be practised with: well-formed openids are demo users (SimConfig)
    return Simulator(SimConfig(latency_ms=DEMO_LATENCY_MS, jitter_ms=DEMO_JITTER_MS, accept_any_wellformed_openid=True))


def default_secret_store() -> tuple[SecretStore, bool]:
    """The OS keyring when a secure backend exists; otherwise memory for this session only (usecases.secrets)."""
    return window_secret_store()


class AppController(QObject):
    services_changed = Signal()
    started = Signal()  # the window is shown and the loop runs: pages load their data
    error = Signal(str, str)  # title, Chinese message with a next step
    notice = Signal(str)  # a short status-bar message
    page_wanted = Signal(str)  # a page asks the window to show another page (its key in views.pages.PAGE_ORDER)

    def __init__(self, data_dir: Path, *, secrets: SecretStore | None = None, clock: Clock | None = None,
                 simulator: Simulator | None = None, demo_receiver: bool | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.clock = clock or SystemClock()
        # The OS keyring is probed lazily (loading its backends costs ~70 ms): sandbox start-up never needs it.
        self._secrets: SecretStore | None = secrets
        self._secrets_persistent = secrets is not None
        self.tasks = TaskRunner(on_error=self.task_failed)
        self.workspace = Workspace()
        self.settings = self._load_settings()
        self._simulator = simulator if simulator is not None else demo_simulator()  # one for the whole session
        # the demo's in-process message-push receiver (consent counts with no server): on in the real window, and
        # in tests that ask for it (a test's own simulator is left as it is)
        self._demo_receiver = simulator is None if demo_receiver is None else demo_receiver
        self.services: Services = self._build()
        self._token_note = ""
        self._token_timer = QTimer(self)  # tells the operator when the shared token store falls back (and once only)
        self._token_timer.setInterval(2000)
        self._token_timer.timeout.connect(self._check_token_store)
        self._token_timer.start()
        from console.ui.controllers.myself import Myself
        from console.ui.controllers.send_controller import SendController

        # "我自己" of the current account: the test message's recipient (the 编写 page, the pre-flight check)
        self.myself = Myself(lambda: self.services, lambda: self.settings, self.save_settings, self.tasks,
                             error=self.error.emit)

        self.sending = SendController(self)  # the one send/dry-run/schedule controller of the window

    # --- secrets ---

    @property
    def secrets(self) -> SecretStore:
        """The OS keyring when a secure backend exists, else memory for this session only (blocking on first use)."""
        if self._secrets is None:
            self._secrets, self._secrets_persistent = default_secret_store()
        return self._secrets

    @property
    def secrets_persistent(self) -> bool:
        """False when secrets live in memory only (no secure keyring backend): the settings page says so."""
        _ = self.secrets
        return self._secrets_persistent

    # --- settings ---

    @property
    def settings_path(self) -> Path:
        return self.data_dir / SETTINGS_FILE

    def _load_settings(self) -> Settings:
        try:
            return Settings.load(self.settings_path)
        except SettingsError as exc:
            self.error.emit(texts.SETTINGS_BROKEN_TITLE, str(exc))
            return Settings()

    def ui_settings(self) -> QSettings:
        """Window geometry, last folders: an INI file in the data dir (portable, isolated in tests)."""
        return QSettings(str(self.data_dir / "ui.ini"), QSettings.Format.IniFormat)

    def save_settings(self, settings: Settings) -> None:
        settings.save(self.settings_path)
        self.settings = settings

    # --- services ---

    @property
    def sandbox(self) -> bool:
        return self.services.sandbox

    def _uses_sandbox(self) -> bool:
        return self.settings.sandbox or not self.settings.accounts

    def services_settings(self) -> Settings:
        """The settings the services run with: the saved ones (live), or the sandbox's built from them."""
        return sandbox_settings(self.settings) if self._uses_sandbox() else self.settings

    def _build(self) -> Services:
        """Build the services and open their journal (a StorageError here is shown by ui.main at start-up)."""
        if self._uses_sandbox():
            services = sandbox_services(self.data_dir, simulator=self._simulator, clock=self.clock,
                                        settings=self.services_settings(), receiver=self._demo_receiver)
        else:
            services = build_services(self.settings, data_dir=self.data_dir, secrets=self.secrets, clock=self.clock,
                                      receiver=True)
        services.open_journal()
        return services

    def _refused_while_sending(self) -> bool:
        """True (and the operator told why) while a job is sending: its engine uses the services."""
        running = self.sending.running_job
        if running is None:
            return False
        self.error.emit(texts.BUSY_TITLE, texts.BUSY_REBUILD.format(job=running))
        return True

    def rebuild(self) -> bool:
        """Rebuild the services after a mode/account/settings change (the old HTTP client and journal are closed).
        Refused while a job is sending: its engine uses them."""
        if self._refused_while_sending():
            return False
        old = self.services
        self.services = self._build()
        self.workspace.set_templates([])
        self.workspace.set_report(None)
        self.tasks.spawn(old.aclose(), name="close-old-services")
        self.services_changed.emit()
        return True

    def account_name(self) -> str:
        """The chosen account (a mini program + its OA); the banner names it."""
        if self.services.account:
            return self.services.account
        account = self.services.settings.active()
        return account.name if account else ""

    def account_name_for(self, kind: str) -> str:
        """The configured name of the account that sends `kind` (a message card's header shows it)."""
        settings = self.services.settings
        mini = settings.selected(self.services.account or None)  # the chosen account, not the first one configured
        account = settings.oa_for(mini) if kind == "mp" else mini
        return account.name if account and account.name else ""

    def live_accounts(self) -> list[str]:
        """The names of the live accounts the operator can switch between (one per mini program)."""
        return [a.name for a in self.settings.mini_programs() if a.name]

    def switch_account(self, name: str) -> bool:
        """Make `name` the active account: saved in settings.active_account, services rebuilt (so jobs, history,
        preview users and suppression follow its appids). Refused while a job is sending, like every rebuild."""
        if self.settings.selected(name) is None:
            return False
        if name == self.settings.active_account and name == self.account_name():
            return True
        if self._refused_while_sending():
            return False
        previous = self.settings.active_account
        self.settings.active_account = name
        try:
            self.settings.save(self.settings_path)
        except SettingsError as exc:
            self.settings.active_account = previous
            self.error.emit(texts.SETTINGS_BROKEN_TITLE, str(exc))
            return False
        if not self.rebuild():  # pragma: no cover - the sender was checked above
            return False
        self.notice.emit(texts.ACCOUNT_SWITCHED.format(account=self.account_name()))
        return True

    # --- shared token store (Redis) health ---

    def token_store_notes(self) -> list[str]:
        """Chinese notes of the clients whose shared (Redis) token store is unreachable right now."""
        return [client.tokens.fallback_reason for client in (self.services.mini, self.services.oa)
                if client is not None and client.tokens.fallback_reason]

    def _check_token_store(self) -> None:
        notes = self.token_store_notes()
        text = texts.NOTE_SEP.join(notes)
        if text and text != self._token_note:
            self.notice.emit(text)
            log.warning("shared token store unavailable; using the local token")
        self._token_note = text

    # --- lifecycle ---

    def task_failed(self, exc: BaseException) -> None:
        from console.ui.errors import friendly_error

        title, message = friendly_error(exc, self.data_dir, self.services.journal_path)
        self.error.emit(title, message)

    # --- quitting, logoff, shutdown while a job sends ---

    def stop_sending(self) -> bool:
        """The app is closing or the session ends: stop the running job the way 取消 does (no new recipient; the
        requests in flight finish and are recorded, so nothing is left 结果未知; the rest stay pending). Idempotent.
        True when a job is running."""
        running = self.sending.running_job
        if running is None:
            return False
        log.info("stopping job %s: the application is closing", running)
        self.sending.cancel()
        return True

    def stop_grace(self) -> float:
        """How long a stopping send is waited for: a request in flight ends within the HTTP timeouts."""
        settings = self.services.settings
        return settings.connect_timeout + settings.read_timeout + STOP_MARGIN

    async def finish_sending(self) -> None:
        """stop_sending(), then wait (at most stop_grace() s) until the run has recorded its in-flight sends. A job
        the scheduler starts meanwhile (the next due one) is stopped the same way."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.stop_grace()
        while self.stop_sending():
            stopped = asyncio.Event()

            def on_running(running: bool, stopped: asyncio.Event = stopped) -> None:
                if not running:
                    stopped.set()

            self.sending.running_changed.connect(on_running)
            try:
                if self.sending.running_job is not None:
                    await asyncio.wait_for(stopped.wait(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                log.warning("job %s did not stop in time; it is recovered as interrupted", self.sending.running_job)
                return
            finally:
                self.sending.running_changed.disconnect(on_running)

    def finish_sending_now(self) -> None:
        """finish_sending() for a caller that cannot await: Windows ends the process as soon as WM_ENDSESSION returns,
        so a nested Qt event loop (which also runs the asyncio loop's timers and sockets) is driven here until the
        run has recorded its in-flight sends, at most stop_grace() s. Must not be called from inside a task."""
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.start(int(self.stop_grace() * 1000))
        while deadline.isActive() and self.stop_sending():
            nested = QEventLoop()

            def on_running(running: bool, nested: QEventLoop = nested) -> None:
                if not running:
                    nested.quit()

            self.sending.running_changed.connect(on_running)
            deadline.timeout.connect(nested.quit)
            try:
                if self.sending.running_job is not None:
                    nested.exec()
            finally:
                deadline.timeout.disconnect(nested.quit)
                self.sending.running_changed.disconnect(on_running)
        deadline.stop()

    async def aclose(self) -> None:
        await self.finish_sending()  # a send in progress records its in-flight requests before anything closes
        # from here on nothing awaits until tasks.shutdown() refuses new tasks: no next due job can start
        # no timer may fire into a closed loop (token check, progress flush, scheduler, re-check …)
        for owner in (self, self.sending):
            for timer in owner.findChildren(QTimer):
                timer.stop()
        await self.tasks.shutdown()
        await self.services.aclose()
        await asyncio.sleep(0)
