"""SettingsController: secrets in the keyring (in a worker thread), settings saved through the AppController, the
services rebuilt only when something they depend on changed (a rebuild clears the operator's workspace)."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from console.core.messages import consent as consent_msg
from console.core.settings import Account, Settings
from console.ui import texts
from console.ui.controllers.app_controller import AppController
from console.ui.controllers.preflight_controller import PreflightController
from console.ui.errors import friendly_error
from console.ui.models.accounts_model import AccountEntry, shown_appids
from console.ui.texts import settings as t
from console.usecases.consent import KEYRING_NAME, ReceiverLink, receiver_key
from console.usecases.errors import ConfigError
from console.usecases.secret_check import check_typed_secrets

log = logging.getLogger(__name__)

def _service_view(s: Settings) -> tuple[object, ...]:
    """The settings the Services are built from: a change of any of them rebuilds the services."""
    return (s.sandbox, s.accounts, s.active_account, s.token_mode, s.external_token_url, s.api_base,
            s.receiver_url)


@dataclass(slots=True)
class SecretStatus:
    backend: str  # the operator's name for it, e.g. "Windows 凭据管理器"
    persistent: bool  # False: kept in memory for this session only
    saved: dict[str, bool] = field(default_factory=dict)  # appid -> a secret is stored


def human_backend(name: str) -> str:
    return t.BACKEND_NAMES.get(name, name)


def merged_accounts(old: Settings, entries: list[AccountEntry]) -> list[Account]:
    """The accounts after the dialog: each mini program (with `oa_appid` written whenever it has an OA, so
    `Settings.oa_for` never falls back to the legacy pairing) followed by its OA; then every OA of `old` that the
    dialog never showed (bound to no mini program) and that no entry now uses, unchanged."""
    accounts: list[Account] = []
    for entry in entries:
        e = AccountEntry(entry.name.strip(), entry.appid.strip(), with_oa=entry.with_oa,
                         oa_name=entry.oa_name.strip(), oa_appid=entry.oa_appid.strip())
        accounts.append(e.mini_account())
        oa = e.oa_account()
        if oa is not None:
            accounts.append(oa)
    used = {a.appid for a in accounts}
    shown = shown_appids(old)
    accounts += [copy.copy(a) for a in old.accounts if a.kind == "oa" and a.appid not in shown | used]
    return accounts


def active_after(old: Settings, entries: list[AccountEntry], accounts: list[Account]) -> str:
    """The active account stays active (also when renamed); when it was removed, the first one becomes active."""
    current = old.selected()
    names = [a.name for a in accounts if a.kind == "miniprogram"]
    if current is not None:
        renamed = next((e.name.strip() for e in entries if e.original is not None and e.original == current.name), None)
        if renamed in names:
            return renamed
    if old.active_account in names:
        return old.active_account
    return names[0] if names else ""


def needs_rebuild(old: Settings, new: Settings) -> bool:
    if old.sandbox and new.sandbox:  # the sandbox services use the built-in demo accounts only
        return False
    return _service_view(old) != _service_view(new)


class SettingsController(QObject):
    status_changed = Signal(object)  # SecretStatus
    saved = Signal()
    accounts_saved = Signal()
    receiver_key_known = Signal(bool)  # 设置 → 消息推送接收器: whether the keyring holds the receiver's key
    receiver_checked = Signal(bool, str)  # 「检查连接」: ok, one Chinese line

    def __init__(self, app: AppController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.status = SecretStatus(backend="", persistent=True)  # until load_status has probed the keyring
        self.faults: dict[str, float] = {}  # filled from the demo simulator's own config (its latency and jitter)
        self.faults = self.current_faults()
        self.preflight = PreflightController(app, self)  # 正式发送前检查: after going live and after saving accounts
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
        return self.app.sending.running_job

    def live_ready(self) -> bool:
        """A mini program account with a secret (or an external token service) exists: live mode can work."""
        s = self.app.settings
        mini = s.selected()
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

    async def save_now(self, new: Settings) -> bool:
        """Save `new` (rebuilding the services when needed). False when refused (a job is sending)."""
        old = self.app.settings
        if needs_rebuild(old, new) and self._refuse_while_sending():
            return False
        await self.app.tasks.in_thread(self.app.save_settings, new)
        if needs_rebuild(old, new):
            self.app.rebuild()
        else:  # nothing the services are built from: they take the new settings without clearing the workspace
            self.app.services.settings = self.app.services_settings()
        self.app.notice.emit(t.SAVED)
        self.saved.emit()
        return True

    def set_mode(self, live: bool) -> None:
        new = self.draft()
        new.sandbox = not live
        self.app.tasks.spawn(self._set_mode(new, live), name="settings-mode")

    async def _set_mode(self, new: Settings, live: bool) -> None:
        if await self.save_now(new):
            self.app.notice.emit(t.LIVE_DONE if live else t.SANDBOX_DONE)
            if live:
                self.preflight.run()

    def save_accounts(self, entries: list[AccountEntry]) -> None:
        self.app.tasks.spawn(self.save_accounts_now(entries), name="settings-accounts")

    async def save_accounts_now(self, entries: list[AccountEntry]) -> None:
        """Save the accounts of the dialog. Secrets are written only where the clerk typed one; a stored secret is
        deleted only for an appid the clerk removed (and no remaining account uses), after the settings are saved.
        Refused while a job is sending."""
        if self._refuse_while_sending():
            return
        store = self.app.secrets
        old = self.app.settings
        new = self.draft()
        new.accounts = merged_accounts(old, entries)
        new.active_account = active_after(old, entries, new.accounts)
        for entry in entries:
            typed = [(entry.appid, entry.secret)] + ([(entry.oa_appid, entry.oa_secret)] if entry.with_oa else [])
            for appid, secret in typed:
                if secret.strip():
                    await self.app.tasks.in_thread(store.set, appid.strip(), secret.strip())
        if not await self.save_now(new):  # a send started meanwhile: nothing removed, the dialog's edits not saved
            return
        for appid in sorted(shown_appids(old) - {a.appid for a in new.accounts}):
            await self.app.tasks.in_thread(store.delete, appid)
        await self.load_status()
        self.app.notice.emit(t.ACCOUNTS_SAVED)
        self.accounts_saved.emit()
        if not self.app.sandbox:  # live accounts changed: check them (going live runs it after the switch)
            self.preflight.run()

    def look_up_receiver_key(self) -> None:
        async def look() -> None:
            self.receiver_key_known.emit(await self.receiver_key_saved())

        self.app.tasks.spawn(look(), name="receiver-key")

    def start_receiver_check(self, url: str, typed_key: str) -> None:
        self.app.tasks.spawn(self.check_receiver_and_tell(url, typed_key), name="check-receiver")

    async def check_receiver_and_tell(self, url: str, typed_key: str) -> bool:
        """check_receiver, its verdict emitted as `receiver_checked` (a failure to ask is a verdict too)."""
        try:
            ok, line = await self.check_receiver(url, typed_key)
        except Exception as exc:  # e.g. the keyring refused: say so, the button is usable again
            ok, line = False, friendly_error(exc)[1]
        self.receiver_checked.emit(ok, line)
        return ok

    def start_secret_check(self, typed: list[tuple[str, str, bool]],
                           done: Callable[[dict[str, tuple[bool, str]]], None]) -> None:
        """The account dialog's check of typed AppSecrets (check_secrets); `done` gets the verdicts."""
        async def check() -> None:
            done(await self.check_secrets(typed))

        self.app.tasks.spawn(check(), name="check-secrets")

    async def receiver_key_saved(self) -> bool:
        store = await self.app.tasks.in_thread(lambda: self.app.secrets)
        return bool(await self.app.tasks.in_thread(store.get, KEYRING_NAME))

    async def check_receiver(self, url: str, typed_key: str) -> tuple[bool, str]:
        """「检查连接」: the typed key, else the stored one (or WXCONSOLE_RECEIVER_KEY); an accepted typed key is kept
        in the keyring (entry `receiver`), never in the settings file."""
        if not url:
            return False, consent_msg.CHECK_NO_URL
        store = await self.app.tasks.in_thread(lambda: self.app.secrets)

        def key() -> str | None:
            if typed_key:
                return typed_key
            try:
                return receiver_key(store.get)
            except ConfigError:
                return None

        if not await self.app.tasks.in_thread(key):
            return False, consent_msg.CHECK_NO_KEY
        ok, line = await ReceiverLink(url, key).check()
        if ok and typed_key:
            await self.app.tasks.in_thread(store.set, KEYRING_NAME, typed_key)
            line = f"{line}{t.RECEIVER_KEY_STORED}"
        return ok, line

    async def check_secrets(self, typed: list[tuple[str, str, bool]]) -> dict[str, tuple[bool, str]]:
        """The AppSecrets typed in the account dialog (appid, secret, is_oa), checked with WeChat before they are
        saved — the pre-flight's secret check (a stable token on the configured API base, which never invalidates
        the token of the company's other systems): appid -> (ok, one Chinese line, with the next step)."""
        results: dict[str, tuple[bool, str]] = {}
        try:
            async for appid, check in check_typed_secrets(self.app.settings, typed, clock=self.app.clock):
                if check.ok:
                    text = t.CHECK_OK.format(detail=check.detail)
                else:  # WeChat's and the network's descriptions carry their next step already
                    said = any(w in check.detail for w in t.CHECK_HAS_NEXT)
                    text = t.CHECK_FAILED.format(detail=check.detail) + (
                        "" if said or not check.next else t.CHECK_NEXT.format(next=check.next))
                results[appid] = (check.ok, text)
        except Exception as exc:  # the check itself broke: say so; the clerk may still save
            log.warning("checking the typed AppSecrets failed", exc_info=True)
            _title, message = friendly_error(exc)
            results.update({appid: (False, message) for appid, _secret, _oa in typed if appid not in results})
        return results

    # --- sandbox faults (training) ---

    def current_faults(self) -> dict[str, float]:
        """What the demo simulator does now (latency_ms, jitter_ms, fail_rate); the saved choice without one."""
        simulator = self.app.services.simulator
        if simulator is None:
            return dict(self.faults)
        config = simulator.config
        return {"latency_ms": float(config.latency_ms), "jitter_ms": float(config.jitter_ms),
                "fail_rate": float(config.fail_rate)}

    def apply_faults(self, latency_ms: float, fail_percent: float) -> None:
        """The demo jitter (random extra latency) stays as it is: only the fixed latency and the error rate change."""
        jitter = self.current_faults().get("jitter_ms", 0.0)
        self.faults = {"latency_ms": float(latency_ms), "jitter_ms": jitter, "fail_rate": float(fail_percent) / 100.0}
        if self._reapply_faults():
            self.app.notice.emit(t.FAULTS_APPLIED.format(latency=int(latency_ms), rate=int(fail_percent)))

    def _reapply_faults(self) -> bool:
        simulator = self.app.services.simulator
        if simulator is None:
            return False
        simulator.configure(faults_on="sends", **self.faults)
        return True
