"""SettingsController: secrets in the keyring (in a worker thread), settings saved through the AppController, the
services rebuilt only when something they depend on changed (a rebuild clears the operator's workspace)."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from console.core.settings import Account, Settings
from console.ui import texts
from console.ui.controllers.app_controller import AppController
from console.ui.texts import settings as t

log = logging.getLogger(__name__)

SERVICE_KEYS = ("sandbox", "accounts", "active_account", "token_mode", "external_token_url", "api_base")


@dataclass(slots=True)
class SecretStatus:
    backend: str  # the operator's name for it, e.g. "Windows 凭据管理器"
    persistent: bool  # False: kept in memory for this session only
    saved: dict[str, bool] = field(default_factory=dict)  # appid -> a secret is stored


@dataclass(slots=True)
class AccountInput:
    kind: str  # "miniprogram" | "oa"
    appid: str
    name: str
    secret: str = ""  # "" keeps the stored one


def human_backend(name: str) -> str:
    return t.BACKEND_NAMES.get(name, name)


def needs_rebuild(old: Settings, new: Settings) -> bool:
    if old.sandbox and new.sandbox:  # the sandbox services use the built-in demo accounts only
        return False
    return any(getattr(old, k) != getattr(new, k) for k in SERVICE_KEYS)


class SettingsController(QObject):
    status_changed = Signal(object)  # SecretStatus
    saved = Signal()
    accounts_saved = Signal()

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.status = SecretStatus(backend="", persistent=True)  # until load_status has probed the keyring
        config = getattr(app.services.simulator, "config", None)
        self.faults = {"latency_ms": float(getattr(config, "latency_ms", 0.0)),
                       "fail_rate": float(getattr(config, "fail_rate", 0.0))}
        app.started.connect(self.refresh)
        app.services_changed.connect(self._reapply_faults)

    # --- reading ---

    def refresh(self) -> None:
        self.app.tasks.spawn(self.load_status(), name="settings-status")

    async def load_status(self) -> SecretStatus:
        store = await self.app.tasks.in_thread(lambda: self.app.secrets)  # the first probe of the keyring blocks
        backend = await self.app.tasks.in_thread(store.backend_name)
        saved: dict[str, bool] = {}
        for account in self.app.settings.accounts:
            saved[account.appid] = bool(await self.app.tasks.in_thread(store.get, account.appid))
        self.status = SecretStatus(human_backend(backend), self.app.secrets_persistent, saved)
        self.status_changed.emit(self.status)
        return self.status

    def draft(self) -> Settings:
        """A copy of the saved settings for the page to edit."""
        return copy.deepcopy(self.app.settings)

    def busy_job(self) -> int | None:
        sender = getattr(self.app, "sender", None)
        return getattr(sender, "running_job", None) if sender is not None else None

    def live_ready(self) -> bool:
        """A mini program account with a secret (or an external token service) exists: live mode can work."""
        s = self.app.settings
        mini = s.first_of_kind("miniprogram")
        if mini is None:
            return False
        return s.token_mode == "external" or self.status.saved.get(mini.appid, False)

    # --- writing ---

    def save(self, new: Settings) -> None:
        self.app.tasks.spawn(self.save_now(new), name="settings-save")

    def _refuse_while_sending(self) -> bool:
        job = self.busy_job()
        if job is not None:
            self.app.error.emit(texts.BUSY_TITLE, texts.BUSY_REBUILD.format(job=job))
        return job is not None

    async def save_now(self, new: Settings) -> None:
        old = self.app.settings
        if needs_rebuild(old, new) and self._refuse_while_sending():
            return
        await self.app.tasks.in_thread(self.app.save_settings, new)
        if needs_rebuild(old, new):
            self.app.rebuild()
        else:  # speed only: the running services take it without clearing the workspace
            self.app.services.settings.rate = new.rate
            self.app.services.settings.concurrency = new.concurrency
        self.app.notice.emit(t.SAVED)
        self.saved.emit()

    def set_mode(self, live: bool) -> None:
        new = self.draft()
        new.sandbox = not live
        self.app.tasks.spawn(self._set_mode(new, live), name="settings-mode")

    async def _set_mode(self, new: Settings, live: bool) -> None:
        await self.save_now(new)
        self.app.notice.emit(t.LIVE_DONE if live else t.SANDBOX_DONE)

    def save_accounts(self, accounts: list[AccountInput]) -> None:
        self.app.tasks.spawn(self.save_accounts_now(accounts), name="settings-accounts")

    async def save_accounts_now(self, accounts: list[AccountInput]) -> None:
        if self._refuse_while_sending():
            return
        store = self.app.secrets
        new = self.draft()
        old_ids = {a.appid for a in new.accounts}
        for account in accounts:
            if account.secret:
                await self.app.tasks.in_thread(store.set, account.appid, account.secret)
        keep = {a.appid for a in accounts}
        for appid in old_ids - keep:
            await self.app.tasks.in_thread(store.delete, appid)
        new.accounts = [Account(a.appid, a.name, a.kind) for a in accounts]
        mini = next((a for a in accounts if a.kind == "miniprogram"), None)
        new.active_account = mini.name if mini else ""
        await self.save_now(new)
        await self.load_status()
        self.app.notice.emit(t.ACCOUNTS_SAVED)
        self.accounts_saved.emit()

    # --- sandbox faults (training) ---

    def apply_faults(self, latency_ms: float, fail_percent: float) -> None:
        self.faults = {"latency_ms": float(latency_ms), "fail_rate": float(fail_percent) / 100.0}
        if self._reapply_faults():
            self.app.notice.emit(t.FAULTS_APPLIED.format(latency=int(latency_ms), rate=int(fail_percent)))

    def _reapply_faults(self) -> bool:
        simulator = self.app.services.simulator
        if simulator is None:
            return False
        simulator.configure(faults_on="sends", **self.faults)  # type: ignore[attr-defined]
        return True
