"""WeChatClient: one per account (mini program or Official Account), a typed method per endpoint.

API calls carry the access_token in the query string. A token errcode (40001/40014/42001) on an API call
invalidates exactly that token and retries once; any other errcode raises
`ApiError(errcode, errmsg, endpoint)` (rid kept).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from console.core.messages import client as msg
from console.core.secrets.base import SecretSource, resolve_secret
from console.core.wechat import models
from console.core.wechat.errors import ApiError, ValidationError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.models import FollowerPage, PhoneInfo, SendResult, Session, Template, UserInfo
from console.core.wechat.retired import LEGACY_TEMPLATE, UNIFORM_SEND, check_retired
from console.core.wechat.tokens import TokenProvider

# On an API call (not a token call) these mean "this access_token is no longer valid".
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
LEGACY_PAGE_SIZE = 20  # wxopen/template/list accepts count <= 20
LEGACY_MAX_PAGES = 100  # a guard against a server that never returns a short page
BATCHGET_MAX = 100  # user/info/batchget accepts <= 100 openids per call
MINIPROGRAM_STATES = frozenset({"developer", "trial", "formal"})
LANGS = frozenset({"zh_CN", "en_US", "zh_HK", "zh_TW"})

P_JSCODE2SESSION = "/sns/jscode2session"
P_PHONE = "/wxa/business/getuserphonenumber"
P_SUBSCRIBE_TEMPLATES = "/wxaapi/newtmpl/gettemplate"
P_WEAPP_TEMPLATES = "/cgi-bin/wxopen/template/list"
P_MP_TEMPLATES = "/cgi-bin/template/get_all_private_template"
P_SUBSCRIBE_SEND = "/cgi-bin/message/subscribe/send"
P_MP_TEMPLATE_SEND = "/cgi-bin/message/template/send"
P_CUSTOM_SEND = "/cgi-bin/message/custom/send"
P_LEGACY_SEND = "/cgi-bin/message/wxopen/template/send"
P_UNIFORM_SEND = "/cgi-bin/message/wxopen/template/uniform_send"
P_FOLLOWERS = "/cgi-bin/user/get"
P_BATCH_USER_INFO = "/cgi-bin/user/info/batchget"


def wrap_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """`{"thing1": "x"}` -> `{"thing1": {"value": "x"}}`; an already wrapped value (legacy job files with
    `{"value", "color"}`) is passed through unchanged."""
    return {str(k): dict(v) if isinstance(v, Mapping) else {"value": "" if v is None else str(v)}
            for k, v in data.items()}


def _put(body: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, ""):
        body[key] = value


class WeChatClient:
    def __init__(self, http: WeChatHttp, appid: str, tokens: TokenProvider,
                 secret: SecretSource | None = None) -> None:
        self.http = http
        self.appid = appid
        self.tokens = tokens
        self._secret = secret  # read only when a call needs it (jscode2session)

    def __repr__(self) -> str:
        return f"WeChatClient(appid={self.appid!r}, tokens={self.tokens.mode!r}, base={self.http.base_url!r})"

    # --- plumbing ---

    async def _api(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                   body: Any = None) -> dict[str, Any]:
        """An access_token call; a token errcode invalidates that token and retries once."""
        for attempt in range(2):
            token = await self.tokens.token()
            query = {"access_token": token, **(params or {})}
            try:
                return await self.http.request_json(method, path, params=query, json=body)
            except ApiError as exc:
                if exc.errcode not in TOKEN_ERRCODES or attempt == 1:
                    raise
                await self.tokens.invalidate(token)
        raise AssertionError("unreachable")  # pragma: no cover

    # --- login and phone number ---

    async def code2session(self, js_code: str) -> Session:
        secret = await resolve_secret(self._secret, self.appid)
        body = await self.http.get_json(P_JSCODE2SESSION, params={
            "appid": self.appid, "secret": secret, "js_code": js_code, "grant_type": "authorization_code"})
        return models.parse_session(body)

    async def get_phone_number(self, code: str) -> PhoneInfo:
        return models.parse_phone(await self._api("POST", P_PHONE, body={"code": code}))

    # --- templates ---

    async def list_subscribe_templates(self) -> list[Template]:
        body = await self._api("GET", P_SUBSCRIBE_TEMPLATES)
        return [models.parse_template(t, "subscribe") for t in body.get("data") or []]

    async def list_weapp_templates(self) -> list[Template]:
        templates: list[Template] = []
        for page in range(LEGACY_MAX_PAGES):
            body = await self._api("POST", P_WEAPP_TEMPLATES,
                                   body={"offset": page * LEGACY_PAGE_SIZE, "count": LEGACY_PAGE_SIZE})
            items = body.get("list") or []
            templates += [models.parse_template(t, "weapp") for t in items]
            if len(items) < LEGACY_PAGE_SIZE:
                break
        return templates

    async def list_mp_templates(self) -> list[Template]:
        body = await self._api("GET", P_MP_TEMPLATES)
        return [models.parse_template(t, "mp") for t in body.get("template_list") or []]

    async def list_templates(self, kind: str) -> list[Template]:
        if kind == "subscribe":
            return await self.list_subscribe_templates()
        if kind == "weapp":
            return await self.list_weapp_templates()
        if kind == "mp":
            return await self.list_mp_templates()
        raise ValidationError({"kind": msg.BAD_TEMPLATE_KIND})

    # --- live channels ---

    async def send_subscribe(self, touser: str, template_id: str, data: Mapping[str, Any], *,
                             page: str | None = None, miniprogram_state: str | None = None,
                             lang: str | None = None) -> SendResult:
        problems: dict[str, str] = {}
        if miniprogram_state not in (None, "") and miniprogram_state not in MINIPROGRAM_STATES:
            problems["miniprogram_state"] = msg.BAD_MINIPROGRAM_STATE
        if lang not in (None, "") and lang not in LANGS:
            problems["lang"] = msg.BAD_LANG
        if problems:
            raise ValidationError(problems)
        body: dict[str, Any] = {"touser": touser, "template_id": template_id}
        _put(body, "page", page)
        _put(body, "miniprogram_state", miniprogram_state)
        _put(body, "lang", lang)
        body["data"] = wrap_data(data)
        return models.parse_send(await self._api("POST", P_SUBSCRIBE_SEND, body=body))

    async def send_mp_template(self, touser: str, template_id: str, data: Mapping[str, Any], *,
                               url: str | None = None, miniprogram: Mapping[str, Any] | None = None,
                               client_msg_id: str | None = None) -> SendResult:
        body: dict[str, Any] = {"touser": touser, "template_id": template_id}
        _put(body, "url", url)
        if miniprogram:
            body["miniprogram"] = dict(miniprogram)
        _put(body, "client_msg_id", client_msg_id)
        body["data"] = wrap_data(data)
        return models.parse_send(await self._api("POST", P_MP_TEMPLATE_SEND, body=body))

    async def send_custom_text(self, touser: str, content: str) -> SendResult:
        return await self._custom(touser, "text", {"content": content})

    async def _custom(self, touser: str, msgtype: str, payload: dict[str, Any]) -> SendResult:
        body = {"touser": touser, "msgtype": msgtype, msgtype: payload}
        return models.parse_send(await self._api("POST", P_CUSTOM_SEND, body=body))

    # --- retired channels ---

    async def send_legacy_template(self, touser: str, template_id: str, form_id: str,
                                   data: Mapping[str, Any], *,
                                   page: str | None = None, emphasis_keyword: str | None = None,
                                   allow_retired: bool = False) -> SendResult:
        check_retired(LEGACY_TEMPLATE, is_real_wechat=self.http.is_real_wechat, allow_retired=allow_retired)
        body: dict[str, Any] = {"touser": touser, "template_id": template_id}
        _put(body, "page", page)
        body["form_id"] = form_id
        body["data"] = wrap_data(data)
        _put(body, "emphasis_keyword", emphasis_keyword)
        return models.parse_send(await self._api("POST", P_LEGACY_SEND, body=body))

    async def uniform_send(self, touser: str, *, weapp: Mapping[str, Any] | None = None,
                           mp: Mapping[str, Any] | None = None, allow_retired: bool = False) -> SendResult:
        """`weapp` = {template_id, page, form_id, data, emphasis_keyword}; `mp` = {appid, template_id, url,
        miniprogram, data}. Each `data` may be a plain `{name: value}` mapping (wrapped here)."""
        check_retired(UNIFORM_SEND, is_real_wechat=self.http.is_real_wechat, allow_retired=allow_retired)
        if not weapp and not mp:
            raise ValidationError({"uniform_send": msg.UNIFORM_NEEDS_ONE})
        body: dict[str, Any] = {"touser": touser}
        for key, part in (("weapp_template_msg", weapp), ("mp_template_msg", mp)):
            if part:
                section = {k: v for k, v in part.items() if v not in (None, "")}
                if isinstance(section.get("data"), Mapping):
                    section["data"] = wrap_data(section["data"])
                body[key] = section
        return models.parse_send(await self._api("POST", P_UNIFORM_SEND, body=body))

    # --- Official Account followers ---

    async def list_followers(self, next_openid: str = "") -> FollowerPage:
        params = {"next_openid": next_openid} if next_openid else None
        return models.parse_follower_page(await self._api("GET", P_FOLLOWERS, params=params))

    async def batch_user_info(self, openids: Sequence[str]) -> list[UserInfo]:
        """User info for any number of openids, asked in chunks of 100 (the endpoint's limit)."""
        result: list[UserInfo] = []
        ids = list(openids)
        for start in range(0, len(ids), BATCHGET_MAX):
            chunk = ids[start:start + BATCHGET_MAX]
            body = {"user_list": [{"openid": o, "lang": "zh_CN"} for o in chunk]}
            result += models.parse_user_infos(await self._api("POST", P_BATCH_USER_INFO, body=body))
        return result
