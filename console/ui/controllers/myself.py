"""Myself: "我自己" of the current account — the person the test message and the pre-flight check's test go to,
remembered per mini program in the settings (self_recipients), picked from the imported list or the preview list.
AppController owns one (`app.myself`); the 编写 page and the pre-flight check ask it, so the rule "the demo operator,
else the person picked, else settings.operator_openid" is written once."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.core.recipients import ImportReport
from console.core.settings import Settings
from console.ui.errors import friendly_error
from console.ui.tasks import TaskRunner
from console.ui.texts import compose as txt

if TYPE_CHECKING:
    from console.app import Services

MAX_CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class SelfCandidate:
    """Somebody the clerk can pick as "我自己" (the test message's recipient): from the imported list or the saved
    preview list. The clerk sees the name and the detail only."""

    name: str
    openid: str
    unionid: str = ""
    detail: str = ""  # e.g. 名单第 3 行 · 13800001234, or 预览名单

    def to_setting(self) -> dict[str, str]:
        person = {"name": self.name, "openid": self.openid}
        if self.unionid:
            person["unionid"] = self.unionid
        return person


class Myself:
    """Built with the services and the settings of the moment (getters: a mode or account switch replaces them),
    how the settings are saved, the task runner, and an error dialog."""

    def __init__(self, services: Callable[[], Services], settings: Callable[[], Settings],
                 save_settings: Callable[[Settings], None], tasks: TaskRunner, *,
                 error: Callable[[str, str], None]) -> None:
        self._services = services
        self._settings = settings
        self._save_settings = save_settings
        self._tasks = tasks
        self._error = error

    def key(self) -> str | None:
        """The appid "我自己" is remembered under: the account's mini program (else its Official Account)."""
        services = self._services()
        client = services.mini or services.oa
        return client.appid if client is not None else None

    def chosen(self) -> dict[str, str] | None:
        """The person picked as "我自己" for the current (live) account, or None."""
        key = self.key()
        return self._settings().self_recipients.get(key) if key else None

    def openid(self) -> str:
        """Who a test goes to: the demo operator in 演示; in 正式 the person picked as "我自己" for this account
        (else the legacy settings.operator_openid that the CLI also reads)."""
        sim = self._services().simulator
        if sim is not None:
            return sim.operator_openid
        picked = self.chosen()
        return picked["openid"] if picked else self._settings().operator_openid

    def name(self) -> str:
        """How the test's recipient is shown: a name, never an openid."""
        if self._services().simulator is not None:
            return txt.SELF_DEMO_NAME
        picked = self.chosen()
        return (picked.get("name") or txt.SELF_NO_NAME) if picked else txt.SELF_NO_NAME

    def candidates(self, report: ImportReport | None, query: str = "") -> list[SelfCandidate]:
        """People of the imported list `report` (matched by name or a phone column) and of the preview list of the
        mini program, matching `query` (empty: everybody, capped)."""
        q = query.strip().lower()
        found: list[SelfCandidate] = []
        for r in report.recipients if report is not None else []:
            if not r.openid:
                continue
            phones = [v for k, v in r.values.items() if any(h in k.lower() for h in txt.SELF_PHONE_HEADERS) and v]
            name = r.name or ""
            if q and q not in name.lower() and not any(q in p for p in phones):
                continue
            detail = txt.SELF_FROM_ROW.format(row=r.row) + "".join(txt.SELF_PHONE.format(phone=p) for p in phones[:1])
            found.append(SelfCandidate(name, r.openid, r.unionid or "", detail))
            if len(found) >= MAX_CANDIDATES:
                return found
        mini = self._services().mini
        key = mini.appid if mini is not None else None
        for person in self._settings().preview_users.get(key, []) if key else []:
            name = person.get("name", "")
            if q and q not in name.lower():
                continue
            found.append(SelfCandidate(name, person["openid"], "", txt.SELF_FROM_PREVIEW))
        return found[:MAX_CANDIDATES]

    async def remember(self, person: SelfCandidate | None) -> None:
        """Save (or forget, with None) "我自己" of the current account in the settings (not the keyring); a failure
        to save is one Chinese line in a dialog."""
        key = self.key()
        if key is None:
            return
        settings = copy.deepcopy(self._settings())
        if person is None:
            settings.self_recipients.pop(key, None)
        else:
            settings.self_recipients[key] = person.to_setting()
        try:
            await self._tasks.in_thread(self._save_settings, settings)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # e.g. the data folder is full or read-only: one Chinese line
            _title, message = friendly_error(exc)
            self._error(txt.SELF_SAVE_FAILED_TITLE, message)
