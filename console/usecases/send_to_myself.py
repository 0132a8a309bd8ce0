"""The test message ("发送给我测试") and the preview to chosen users: deliver a composed message to one openid on its
channel (`deliver_to`), and find the operator's own openid for a channel (`operator_target`; for the Official Account
the operator's OA openid, found through the unionid and the follower map, with the receiver's follower changes
applied like a send's). Plain inputs: the services, the draft, the imported list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.core.recipients import ImportReport
from console.core.wechat.models import SendResult
from console.usecases.audience import follower_map
from console.usecases.jobs import JobRequest

if TYPE_CHECKING:
    from console.app import Services


class OperatorUnknownError(Exception):
    """The operator's own OA openid is not known (no unionid, no OA account, or not a follower): the window says
    what to set (texts.compose.NO_OA_OPENID)."""


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
                          unionid: str | None = None) -> str:
    """The openid the operator's own test message goes to on `kind`'s channel: `openid` (their mini program
    openid), or for the Official Account their OA openid. `unionid`: the operator's, when known (picked as "我自己"
    from a list with a unionid column)."""
    if kind != "mp":
        return openid
    sim = services.simulator
    if sim is not None:
        return sim.special_users["operator"]["oa_openid"]
    # live: the operator's unionid (as picked, else from the imported list), then the OA follower map
    unionid = unionid or next((r.unionid for r in (report.recipients if report else []) if r.openid == openid
                               and r.unionid), None)
    if not unionid or services.oa is None:
        raise OperatorUnknownError("no unionid" if not unionid else "no OA account")
    followers = await follower_map(services.oa, services.journal.followers, services.clock,
                                   receiver=services.receiver)
    target = followers.unionid_to_openid.get(unionid)
    if not target:
        raise OperatorUnknownError("not among the OA's followers")
    return target
