"""The test message ("发送给我测试"): deliver the composed message of a ComposeController to the operator's own
account on its channel (for the Official Account: the operator's OA openid, found through the unionid and the
follower map)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.core.wechat.models import SendResult
from console.ui.texts import compose as txt
from console.usecases.audience import follower_map

if TYPE_CHECKING:
    from console.ui.controllers.compose_controller import ComposeController


class OperatorUnknownError(Exception):
    """The operator's own openid (or OA openid) is not known: the message says what to set."""


async def deliver_test(compose: ComposeController) -> SendResult:
    touser = await operator_target(compose, compose.kind)
    return await deliver_to(compose, touser, compose.message_data())


async def deliver_to(compose: ComposeController, touser: str, data: dict[str, str]) -> SendResult:
    """Send the composed message with `data` to one openid on the current channel (the test and the preview)."""
    services, d, kind = compose.app.services, compose.ws.draft, compose.kind
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
    form_id = services.simulator.issue_form_id(touser)  # type: ignore[union-attr]  # legacy: sandbox only
    if kind == "weapp":
        return await client.send_legacy_template(touser, d.template_id, form_id, data, page=opts.get("page"),
                                                 emphasis_keyword=opts.get("emphasis_keyword"))
    weapp = {"template_id": d.template_id, "form_id": form_id, "data": data, "page": opts.get("page"),
             "emphasis_keyword": opts.get("emphasis_keyword")}
    return await client.uniform_send(touser, weapp={k: v for k, v in weapp.items() if v})


async def operator_target(compose: ComposeController, kind: str) -> str:
    app = compose.app
    openid = compose.operator_openid()
    if kind != "mp":
        return openid
    services = app.services
    sim = services.simulator
    if sim is not None:
        return str(sim.special_users["operator"]["oa_openid"])  # type: ignore[attr-defined]
    # live: the operator's unionid from the imported list, then the OA follower map
    report = compose.ws.report
    unionid = next((r.unionid for r in (report.recipients if report else []) if r.openid == openid
                    and r.unionid), None)
    if not unionid or services.oa is None:
        raise OperatorUnknownError(txt.NO_OA_OPENID)
    journal = await app.tasks.in_thread(lambda: services.journal)
    followers = await follower_map(services.oa, journal, services.clock)
    target = followers.unionid_to_openid.get(unionid)
    if not target:
        raise OperatorUnknownError(txt.NO_OA_OPENID)
    return target
