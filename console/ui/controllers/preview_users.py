"""发送预览: the saved preview list of the active account (settings.preview_users, appid -> [{name, openid}]) and
sending the composed message to just those people before the real job. At least one delivery records the draft's
fingerprint, so the send confirmation can say a preview was sent for exactly this content."""

from __future__ import annotations

import asyncio
import copy
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from console.core.settings import looks_like_openid
from console.ui.errors import friendly_error
from console.ui.texts import compose as compose_txt
from console.ui.texts import preview as txt
from console.usecases.send_to_myself import deliver_to

if TYPE_CHECKING:
    from console.core.settings import Settings
    from console.ui.controllers.app_controller import AppController
    from console.ui.controllers.compose_controller import ComposeController

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PreviewUser:
    name: str
    openid: str

    def label(self) -> str:
        return self.name or self.openid[:10]


@dataclass(frozen=True, slots=True)
class PreviewResult:
    user: PreviewUser
    ok: bool
    text: str  # one Chinese line


def check_user(name: str, openid: str, existing: list[PreviewUser]) -> str | None:
    """Why this person cannot be added (Chinese), or None."""
    if not looks_like_openid(openid.strip()):
        return txt.BAD_OPENID
    if any(u.openid == openid.strip() for u in existing):
        return txt.DUPLICATE
    return None


class PreviewUsersController(QObject):
    changed = Signal()  # the list, the busy state or the progress changed
    finished = Signal(list)  # [PreviewResult]

    def __init__(self, compose: ComposeController) -> None:
        super().__init__()
        self.compose = compose
        self.busy = False
        self.done = 0

    @property
    def app(self) -> AppController:
        return self.compose.app

    # --- the list ---

    def appid(self) -> str | None:
        """The account the current channel sends from (OA template messages: the OA account)."""
        client = self.app.services.client_for(self.compose.kind)
        return client.appid if client is not None else None

    def is_oa(self) -> bool:
        return self.compose.kind == "mp"

    def users(self) -> list[PreviewUser]:
        appid = self.appid()
        if appid is None:
            return []
        saved = self.app.settings.preview_users.get(appid)
        if saved is not None:
            return [PreviewUser(p.get("name", ""), p["openid"]) for p in saved]
        sim = self.app.services.simulator
        if sim is None:
            return []
        key = "oa_openid" if self.is_oa() else "openid"
        return [PreviewUser(txt.OPERATOR_NAME, sim.special_users["operator"][key])]

    def set_users(self, users: list[PreviewUser]) -> None:
        """Save the list of the current account (the atomic settings save, in a worker thread)."""
        appid = self.appid()
        if appid is None:
            return
        settings = copy.deepcopy(self.app.settings)
        settings.preview_users[appid] = [{"name": u.name.strip(), "openid": u.openid.strip()} for u in users]
        self.app.tasks.spawn(self._save(settings), name="save-preview-users")

    async def _save(self, settings: Settings) -> None:
        try:
            await self.app.tasks.in_thread(self.app.save_settings, settings)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            _title, message = friendly_error(exc)
            self.app.error.emit(txt.SAVE_FAILED_TITLE, message)
        self.changed.emit()

    # --- sending ---

    def blocking_reason(self) -> str | None:
        """The test send's checks, except that the operator's own openid is not needed."""
        reason = self.compose.blocking_reason()
        return None if reason == compose_txt.BLOCK_NO_OPERATOR else reason

    def can_send(self) -> bool:
        return not self.busy and not self.compose.test_busy and self.blocking_reason() is None and bool(self.users())

    def send_preview(self) -> None:
        if not self.can_send():
            return
        self.busy, self.done = True, 0
        self.changed.emit()
        self.app.tasks.spawn(self.run(self.users()), name="send-preview")

    async def run(self, users: list[PreviewUser]) -> list[PreviewResult]:
        ws = self.compose.ws
        fingerprint = ws.draft_fingerprint()
        data = self.compose.message_data(0)  # column fields: the first imported recipient's values
        results: list[PreviewResult] = []
        try:
            for user in users:
                results.append(await self._one(user, data))
                self.done += 1
                self.changed.emit()
            if any(r.ok for r in results):
                ws.preview_sent_for = fingerprint
        finally:
            self.busy = False
            self.finished.emit(results)
            self.changed.emit()
        return results

    async def _one(self, user: PreviewUser, data: dict[str, str]) -> PreviewResult:
        try:
            result = await deliver_to(self.app.services, self.compose.ws.draft, user.openid, dict(data))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the errcode's Chinese meaning and next step, per person
            _title, message = friendly_error(exc)
            return PreviewResult(user, False, txt.RESULT_FAILED.format(name=user.label(), reason=message))
        log.info("preview sent, msgid %s", result.msgid)
        return PreviewResult(user, True, txt.RESULT_OK.format(name=user.label()))
