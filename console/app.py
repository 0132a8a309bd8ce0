"""Composition root: the only place that constructs services. The CLI and (later) the GUI call into here.

`build_services` wires settings + a secret store + an optional transport into WeChat clients for the mini program and
the Official Account; `sandbox_services` does the same on the in-process simulator (demo/training mode, tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from console.core.clock import Clock, SystemClock
from console.core.journal import Job, JournalRepo
from console.core.messages import app as app_msg
from console.core.messages import tokens_redis as redis_msg
from console.core.secrets import MemorySecretStore, SecretStore
from console.core.settings import Account, Settings
from console.core.wechat.client import WeChatClient
from console.core.wechat.http import WeChatHttp, make_timeout
from console.core.wechat.tokens import (
    ClassicTokenProvider,
    ExternalTokenProvider,
    StableTokenProvider,
    TokenProvider,
)

if TYPE_CHECKING:
    from console.demo_receiver import DemoReceiver
    from console.sim import Simulator
    from console.usecases.consent import ReceiverLink
    from console.usecases.overlap_redis import RedisOverlap

JOURNAL_FILE = "journal.sqlite3"
# Sandbox jobs live in their own journal: a demo job can never be resumed against the real WeChat by mistake.
SANDBOX_JOURNAL_FILE = "sandbox-journal.sqlite3"
TOKENS_DIR = "tokens"  # the classic token shared by this computer's processes (tokens_file_store.py)
SANDBOX_BASE_URL = "http://sandbox.wxconsole.invalid"  # never resolved: the in-process transport answers


class ServiceConfigError(Exception):
    """The services cannot be built as configured (e.g. external token mode without a URL)."""


class JournalNotOpenError(RuntimeError):
    """A programming error: the journal was used before the front end's start-up step (Services.open_journal)."""


@dataclass(slots=True)
class Services:
    settings: Settings
    data_dir: Path
    clock: Clock
    secrets: SecretStore
    http: WeChatHttp
    mini: WeChatClient | None
    oa: WeChatClient | None
    simulator: Simulator | None = None  # in sandbox mode
    token_store: object | None = None  # tokens_redis_store.RedisTokenStore when the token is shared through Redis
    account: str = ""  # the name of the chosen account (a mini program + its OA, see Settings.oa_for)
    redis_overlap: RedisOverlap | None = None  # recent sends of other computers (same Redis)
    receiver: ReceiverLink | None = None  # the message-push receiver consent is read from (None: unknown)
    demo_receiver: DemoReceiver | None = None  # the demo window's in-process receiver (closed with the services)
    _journal: JournalRepo | None = field(default=None, repr=False)

    @property
    def sandbox(self) -> bool:
        return self.simulator is not None

    @property
    def journal_path(self) -> Path:
        """Where the send journal is (sandbox jobs have their own file); does not open it."""
        return self.data_dir / (SANDBOX_JOURNAL_FILE if self.sandbox else JOURNAL_FILE)

    def open_journal(self) -> JournalRepo:
        """Open the send journal: migrate its schema and recover what a crash left `sending` (-> unknown). The front
        ends call it once at start-up, where they handle its errors (a StorageError: read-only, full, damaged or newer
        journal); calling it again returns the open journal."""
        if self._journal is None:
            journal = JournalRepo.open(self.journal_path, self.clock)
            try:
                journal.recover()
            except BaseException:
                journal.close()
                raise
            self._journal = journal
        return self._journal

    @property
    def journal(self) -> JournalRepo:
        """The send journal opened by `open_journal` (reading this attribute never opens, migrates or recovers)."""
        if self._journal is None:
            raise JournalNotOpenError("Services.open_journal() was not called")
        return self._journal

    @property
    def appids(self) -> frozenset[str]:
        """The appids of this account (its mini program and OA): its jobs are those whose spec.appid is one."""
        return frozenset(c.appid for c in (self.mini, self.oa) if c is not None)

    def owns(self, appid: str) -> bool:
        """Whether a job/entry of `appid` belongs to this account (no account configured: nothing to separate)."""
        return not self.appids or appid in self.appids

    def account_jobs(self) -> list[Job]:
        """The journal's jobs of this account only, oldest first: switching account never mixes their jobs."""
        return [job for job in self.journal.list_jobs() if self.owns(job.spec.appid)]

    def client_for(self, kind: str) -> WeChatClient | None:
        """The client that sends `kind`: OA template messages go through the OA account, the rest through the MP."""
        return self.oa if kind == "mp" else self.mini

    async def aclose(self) -> None:
        if self.demo_receiver is not None:
            await self.demo_receiver.aclose()
        await self.http.aclose()
        if self.token_store is not None:
            await self.token_store.aclose()  # type: ignore[attr-defined]
        if self._journal is not None:
            self._journal.close()
            self._journal = None


def make_token_provider(mode: str, http: WeChatHttp, appid: str, secrets: SecretStore, *, clock: Clock,
                        external_url: str = "", store: object | None = None,
                        token_dir: Path | None = None) -> TokenProvider:
    """`store` (a tokens_redis_store.RedisTokenStore) shares stable/classic tokens between processes; the external
    service is already shared, so it ignores the store. Mode "redis" (settings) = stable endpoint + the store.
    Without a store, `token_dir` (the data folder's tokens/) shares the classic token between the processes of this
    computer (tokens_file_store.py): every classic fetch invalidates the previous token."""
    if mode == "redis" and store is None:
        raise ServiceConfigError(redis_msg.STORE_NEEDS_URL)
    if store is not None and mode in ("stable", "classic", "redis"):
        from console.core.wechat.tokens_redis import redis_token_provider

        return redis_token_provider("classic" if mode == "classic" else "stable", http, appid, secrets,
                                    store, clock=clock)  # type: ignore[arg-type]
    if mode == "classic":
        classic = ClassicTokenProvider(http, appid, secrets, clock=clock)
        if token_dir is None:
            return classic
        from console.core.wechat.tokens_file_store import FileSharedTokenProvider, FileTokenStore

        return FileSharedTokenProvider(classic, FileTokenStore(token_dir, "classic", appid, http.base_url),
                                       clock=clock)
    if mode == "external":
        if not external_url:
            raise ServiceConfigError("external token mode needs a URL")
        return ExternalTokenProvider(external_url, http, clock=clock)
    if mode == "stable":
        return StableTokenProvider(http, appid, secrets, clock=clock)
    raise ServiceConfigError(f"unsupported token mode {mode!r}")


def build_services(settings: Settings, *, data_dir: Path, secrets: SecretStore,
                   transport: httpx.AsyncBaseTransport | None = None, clock: Clock | None = None,
                   mini_appid: str | None = None, oa_appid: str | None = None,
                   simulator: Simulator | None = None, account: str | None = None,
                   receiver: bool = False) -> Services:
    """Clients for the chosen account: the mini program named `account` (default: settings.active_account, else the
    first) and its OA (Settings.oa_for). `mini_appid` / `oa_appid` override the settings (CLI flags). `receiver`:
    read consent from the message-push receiver of the settings (the window; `wxconsole consent` asks it itself)."""
    clock = clock or SystemClock()
    base_url = SANDBOX_BASE_URL if simulator is not None else settings.api_base
    http = WeChatHttp(base_url, transport=transport,
                      timeout=make_timeout(settings.connect_timeout, settings.read_timeout))
    store = make_token_store(settings) if simulator is None else None

    def client(appid: str | None) -> WeChatClient | None:
        if not appid:
            return None
        tokens = make_token_provider(settings.token_mode, http, appid, secrets, clock=clock,
                                     external_url=settings.external_token_url, store=store,
                                     token_dir=data_dir / TOKENS_DIR if simulator is None else None)
        return WeChatClient(http, appid, tokens, secrets)

    mini_account = settings.selected(account)
    if account and mini_account is None:
        raise ServiceConfigError(f"unknown account {account!r}")
    oa_account = settings.oa_for(mini_account)
    return Services(
        settings=settings, data_dir=data_dir, clock=clock, secrets=secrets, http=http,
        mini=client(mini_appid or (mini_account.appid if mini_account else None)),
        oa=client(oa_appid or (oa_account.appid if oa_account else None)),
        simulator=simulator, token_store=store, account=mini_account.name if mini_account else "",
        redis_overlap=make_redis_overlap(store, data_dir / JOURNAL_FILE, clock),
        receiver=receiver_link(settings, secrets) if receiver and simulator is None else None,
    )


def receiver_link(settings: Settings, secrets: SecretStore) -> ReceiverLink | None:
    """The receiver named in the settings (设置 → 消息推送接收器, or WXCONSOLE_RECEIVER), its access key from
    WXCONSOLE_RECEIVER_KEY or the keyring entry `receiver` (read when used, off the loop); None without one."""
    from console.usecases.consent import ReceiverLink, receiver_key, receiver_url
    from console.usecases.errors import ConfigError

    try:
        url = receiver_url(settings.receiver_url or None)
    except ConfigError:
        return None

    def key() -> str | None:
        try:
            return receiver_key(secrets.get)
        except ConfigError:
            return None

    return ReceiverLink(url, key)


def make_redis_overlap(store: object | None, journal_path: Path, clock: Clock) -> RedisOverlap | None:
    """The Redis overlap on the token store's Redis (None without a store: the journal alone warns)."""
    if store is None:
        return None
    from console.usecases.overlap_redis import RedisOverlap, journal_origin

    return RedisOverlap(store.client, origin=journal_origin(journal_path), clock=clock)  # type: ignore[attr-defined]


def make_token_store(settings: Settings) -> object | None:
    """The shared token store of `settings.token_store_url` (None: each process caches its own token)."""
    url = settings.token_store_url.strip()
    if not url or settings.token_mode == "external":
        return None
    from console.core.wechat.tokens_redis_store import RedisTokenStore, TokenStoreConfigError

    try:
        return RedisTokenStore(url, connect_timeout=min(settings.connect_timeout, 2.0))
    except TokenStoreConfigError as exc:
        raise ServiceConfigError(str(exc)) from None


# The operator's choices that hold in the sandbox too (the demo accounts, token and address are the sandbox's own).
SANDBOX_KEEPS = ("rate", "concurrency", "max_attempts", "quiet_hours")


def sandbox_settings(operator: Settings | None = None) -> Settings:
    """The sandbox's settings: its demo accounts, with the operator's SANDBOX_KEEPS (from `operator`, if given)."""
    from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID

    settings = Settings(
        accounts=[Account(SANDBOX_MINI_APPID, app_msg.SANDBOX_MINI_NAME, "miniprogram"),
                  Account(SANDBOX_OA_APPID, app_msg.SANDBOX_OA_NAME, "oa")],
        sandbox=True,
    )
    for key in SANDBOX_KEEPS if operator is not None else ():
        setattr(settings, key, getattr(operator, key))
    return settings


def sandbox_services(data_dir: Path, *, simulator: Simulator | None = None, clock: Clock | None = None,
                     settings: Settings | None = None, receiver: bool = False) -> Services:
    """Services on the in-process simulator: sandbox accounts, their (public, fake) secret in memory. `receiver`: with
    the demo's in-process message-push receiver (the simulator pushes to it; consent is read from it)."""
    from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, Simulator

    sim = simulator if simulator is not None else Simulator()
    base = settings or sandbox_settings()
    secrets = MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET, SANDBOX_OA_APPID: SANDBOX_SECRET})
    services = build_services(base, data_dir=data_dir, secrets=secrets, transport=sim.transport(),
                              clock=clock, mini_appid=SANDBOX_MINI_APPID, oa_appid=SANDBOX_OA_APPID, simulator=sim)
    if receiver:
        from console.demo_receiver import DemoReceiver

        services.demo_receiver = DemoReceiver(sim, data_dir)
        services.receiver = services.demo_receiver.link()
    return services
