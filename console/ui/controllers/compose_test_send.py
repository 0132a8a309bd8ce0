"""The test message ("发送给我测试"): deliver a composed message to one openid on its channel (`deliver_to`), and
find the operator's own openid for a channel (`operator_target`; for the Official Account the operator's OA openid,
found through the unionid and the follower map). Plain inputs: the services, the draft, the imported list."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.core.recipients import ImportReport
from console.core.wechat.models import SendResult
from console.ui.errors import friendly_error
from console.ui.texts import compose as txt
from console.usecases.audience import FollowerStore, follower_map
from console.usecases.jobs import JobRequest

if TYPE_CHECKING:
    from console.app import Services
    from console.ui.controllers.app_controller import AppController
    from console.ui.controllers.compose_controller import ComposeController

MAX_CANDIDATES = 200


class OperatorUnknownError(Exception):
    """The operator's own openid (or OA openid) is not known: the message says what to set."""


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


def self_key(app: AppController) -> str | None:
    """The appid "我自己" is remembered under: the account's mini program (else its Official Account)."""
    services = app.services
    client = services.mini or services.oa
    return client.appid if client is not None else None


def chosen_self(app: AppController) -> dict[str, str] | None:
    """The person picked as "我自己" for the current (live) account, or None."""
    key = self_key(app)
    return app.settings.self_recipients.get(key) if key else None


def self_candidates(compose: ComposeController, query: str = "") -> list[SelfCandidate]:
    """People of the imported list (matched by name or a phone column) and of the preview list of the mini
    program, matching `query` (empty: everybody, capped)."""
    q = query.strip().lower()
    found: list[SelfCandidate] = []
    report = compose.ws.report
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
    app = compose.app
    key = app.services.mini.appid if app.services.mini is not None else None
    for person in app.settings.preview_users.get(key, []) if key else []:
        name = person.get("name", "")
        if q and q not in name.lower():
            continue
        found.append(SelfCandidate(name, person["openid"], "", txt.SELF_FROM_PREVIEW))
    return found[:MAX_CANDIDATES]


def operator_name(app: AppController) -> str:
    """How the test's recipient is shown: a name, never an openid."""
    if app.services.simulator is not None:
        return txt.SELF_DEMO_NAME
    picked = chosen_self(app)
    return (picked.get("name") or txt.SELF_NO_NAME) if picked else txt.SELF_NO_NAME


async def remember_self(compose: ComposeController, person: SelfCandidate | None) -> None:
    """Save (or forget, with None) "我自己" of the current account in the settings (not the keyring)."""
    app = compose.app
    key = self_key(app)
    if key is None:
        return
    settings = copy.deepcopy(app.settings)
    if person is None:
        settings.self_recipients.pop(key, None)
    else:
        settings.self_recipients[key] = person.to_setting()
    try:
        await app.tasks.in_thread(app.save_settings, settings)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # e.g. the data folder is full or read-only: one Chinese line
        _title, message = friendly_error(exc)
        app.error.emit(txt.SELF_SAVE_FAILED_TITLE, message)
    compose.self_changed.emit()


async def deliver_to(services: Services, d: JobRequest, touser: str, data: dict[str, str]) -> SendResult:
    """Send the draft `d` with `data` to one openid on its channel (the test message and the preview)."""
    kind = d.kind
    client = services.client_for(kind)
    assert client is not None
    opts = d.options
    if kind == "subscribe":
        return await client.send_subscribe(touser, d.template_id, data, page=opts.get("page"),
                                           miniprogram_state=opts.get("miniprogram_state"),
                                           lang=opts.get("lang"))
    if kind == "mp":
        return await client.send_mp_template(touser, d.template_id, data, url=opts.get("url"),
                                             miniprogram=opts.get("miniprogram"))
    if kind == "custom":
        return await client.send_custom_text(touser, data["content"])
    assert services.simulator is not None  # the legacy channels exist only in the sandbox (legacy_apis_enabled)
    form_id = services.simulator.issue_form_id(touser)
    if kind == "weapp":
        return await client.send_legacy_template(touser, d.template_id, form_id, data, page=opts.get("page"),
                                                 emphasis_keyword=opts.get("emphasis_keyword"))
    weapp = {"template_id": d.template_id, "form_id": form_id, "data": data, "page": opts.get("page"),
             "emphasis_keyword": opts.get("emphasis_keyword")}
    return await client.uniform_send(touser, weapp={k: v for k, v in weapp.items() if v})


async def operator_target(services: Services, kind: str, openid: str, report: ImportReport | None,
                          followers_of: Callable[[], Awaitable[FollowerStore]], unionid: str | None = None) -> str:
    """The openid the operator's own test message goes to on `kind`'s channel: `openid` (their mini program
    openid), or for the Official Account their OA openid. `followers_of()`: the follower cache, reached off the loop.
    `unionid`: the operator's, when known (picked as "我自己" from a list with a unionid column)."""
    if kind != "mp":
        return openid
    sim = services.simulator
    if sim is not None:
        return sim.special_users["operator"]["oa_openid"]
    # live: the operator's unionid (as picked, else from the imported list), then the OA follower map
    unionid = unionid or next((r.unionid for r in (report.recipients if report else []) if r.openid == openid
                               and r.unionid), None)
    if not unionid or services.oa is None:
        raise OperatorUnknownError(txt.NO_OA_OPENID)
    followers = await follower_map(services.oa, await followers_of(), services.clock)
    target = followers.unionid_to_openid.get(unionid)
    if not target:
        raise OperatorUnknownError(txt.NO_OA_OPENID)
    return target
