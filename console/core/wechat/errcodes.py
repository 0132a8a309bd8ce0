"""The errcode table: class (what the engine does) for every errcode of wechat-api.md.

Chinese meaning and next step live in `console.core.messages.errcodes`.

Decisions where wechat-api.md leaves room:
- 41001 (access_token missing) is a token error: refresh once, retry once.
- 40029 / 40163 / 40226 (login and phone codes) concern one user: recipient.
- 40033 (bad characters) is a message error: it depends on the content (the engine stops if all items fail).
- 40002 / 41002 / 41004 (missing or wrong parameters of a token call) are job_config.
- -41001 … -41004 (local decrypt failures) are job_config: the operator's input must be fixed.
- 89501–89507: only the four codes the doc names are listed; 89502/89504/89505 stay unknown.
- In token calls 40001 means a wrong AppSecret (job_config); 45009 is the token quota (daily_quota, own text).

The errcodes an operator meets on a first live send (issue 12, part 3), each with its source:
- 43116 "This template_id is banned" (template/send, answered for one template while others work): the whole job
  stops — every recipient of this template would get it. Source: developers.weixin.qq.com community thread
  https://developers.weixin.qq.com/community/personal/oCJUsw2JRQVc2o-_VnaVs0WC3uXY/question
  ("错误代码:43116, 错误信息:This template_id is banned rid: …"). Not in WxJava / wechatpy / EasyWeChat.
- 43107 subscribe-message capability banned (the account's, or this template's): whole job. Source: the subscribe
  send errcode table mirrored by Tencent Cloud's mini program platform,
  https://www.tencentcloud.com/document/product/1219/67648 ("43107 Subscription message capability banned: check if
  the account is banned from sending subscription messages or if the template … is banned").
- 45168 "keyword in blacklist" (the content hits WeChat's sensitive words): message (it depends on the values, which
  may come from a recipient column). Sources: WxJava WxOpenErrorMsgEnum CODE_45168; the Tencent Cloud table above
  ("45168 Sensitive words"); answered by subscribe/send in practice (community thread
  https://developers.weixin.qq.com/community/personal/oCJUsw9YN7K012RIdNgO6d8fy7uc/question).
- 48004 "api forbidden for irregularities, view detail on mp.weixin.qq.com": account. Sources: WxJava
  WxMpErrorMsgEnum / WxOpenErrorMsgEnum CODE_48004; wechatpy constants WeChatErrorCode.API_BANNED; the official
  global errcode page https://developers.weixin.qq.com/doc/oplatform/developers/errCode/errCode.html.
- 50002 "user limited": account — "user" is the developer's account here: WeChat staff answer that 50002 means the
  account (appid) is frozen, deregistered or migrated (community threads, e.g.
  https://developers.weixin.qq.com/community/minihome/doc/000602572104c8c5b8047be636bc00). Sources: WxJava
  WxMpErrorMsgEnum CODE_50002 ("用户受限，可能是违规后接口被封禁"), WxOpenErrorMsgEnum CODE_50002; wechatpy
  USER_LIMITED; the official global errcode page.
- 50004 "user not allow to use accesstoken, maybe for punishment": account. Source: WxJava WxOpenErrorMsgEnum
  CODE_50004; seen after an OA was frozen for inactivity (community thread
  https://developers.weixin.qq.com/community/personal/oCJUsw7a-B5fcOedOdsI7FVZb4FI/answer).
- 61024 "must use api(api_component_token) to get token for component acct": account — the AppID is a third-party
  platform (component) account, whose tokens come only from the component API. Source: WxJava WxOpenErrorMsgEnum
  CODE_61024.
- 50007: no source found (not in WxJava's full list, which stops at 50006, nor in wechatpy, EasyWeChat or the
  official global page as mirrored). Its meaning is not invented: it stays UNKNOWN (the errmsg WeChat sent is
  shown), and as an unknown code it is "not known to be per-recipient": the engine stops the job when several
  recipients in a row get it (JobRun's same-error rule) instead of failing the whole list. See UNCONFIRMED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from console.core.messages import errcodes as msg
from console.core.wechat.errors import extract_rid


class ErrClass(StrEnum):
    TRANSIENT = "transient"  # retry with backoff
    SLOW_DOWN = "slow_down"  # wait, lower the rate, retry
    TOKEN = "token"  # refresh the token once, retry once
    RECIPIENT = "recipient"  # fail this item, go on
    MESSAGE = "message"  # the message content is wrong (47003)
    JOB_CONFIG = "job_config"  # stop the job until the operator fixes something
    DAILY_QUOTA = "daily_quota"  # pause until tomorrow
    UNKNOWN = "unknown"  # not in our table: fail the item, keep errmsg and rid


class Scope(StrEnum):
    """Whom an errcode concerns: one recipient, the whole job, or every job of the account."""

    RECIPIENT = "recipient"  # this recipient only (the rest of the list can still be sent)
    MESSAGE = "message"  # the message content (one recipient's values, or everybody's)
    CALL = "call"  # this one call: retried (busy, too fast, expired token)
    JOB = "job"  # the whole job: every recipient would get it (stop, fix, continue)
    ACCOUNT = "account"  # the account: no job of this account can send until the admin acts
    UNKNOWN = "unknown"  # not known: several recipients in a row with it stop the job


@dataclass(frozen=True, slots=True)
class ErrcodeInfo:
    code: int
    klass: ErrClass
    meaning: str  # Chinese: what happened
    action: str  # Chinese: what the operator should do next
    scope: Scope = Scope.UNKNOWN


def _classes(klass: ErrClass, *codes: int) -> dict[int, ErrClass]:
    return dict.fromkeys(codes, klass)


CLASSES: dict[int, ErrClass] = {
    **_classes(ErrClass.TRANSIENT, -1),
    **_classes(ErrClass.SLOW_DOWN, 45011, 43108, 43117),
    **_classes(ErrClass.TOKEN, 40001, 40014, 41001, 42001),
    **_classes(ErrClass.RECIPIENT, 40003, 43101, 43004, 45015, 45047, 41028, 41029, 40029, 40163, 40226),
    **_classes(ErrClass.MESSAGE, 47003, 40033, 45168),
    **_classes(ErrClass.JOB_CONFIG, 40037, 41030, 40013, 40125, 40164, 40243, 48001, 89501, 89503, 89506,
               89507, 45109, 45103, 47001, 44002, 40002, 41002, 41004, -41001, -41002, -41003, -41004,
               43116, 43107, 48004, 50002, 50004, 61024),
    **_classes(ErrClass.DAILY_QUOTA, 45009),
}
_TOKEN_CALL_CLASSES: dict[int, ErrClass] = {40001: ErrClass.JOB_CONFIG}
# Job-config codes that say the account itself is banned, frozen or not usable this way (see the module doc): no job
# of this account can send until its administrator acts. (Configuration codes such as a wrong secret or an IP
# missing from the whitelist keep the job-config wording: the operator can fix those in the settings.)
ACCOUNT_CODES = frozenset({48004, 50002, 50004, 61024})
# Codes operators reported whose meaning no source confirms: deliberately left out of CLASSES (see the module doc).
UNCONFIRMED = frozenset({50007})
_SCOPES = {ErrClass.RECIPIENT: Scope.RECIPIENT, ErrClass.MESSAGE: Scope.MESSAGE, ErrClass.TRANSIENT: Scope.CALL,
           ErrClass.SLOW_DOWN: Scope.CALL, ErrClass.TOKEN: Scope.CALL, ErrClass.JOB_CONFIG: Scope.JOB,
           ErrClass.DAILY_QUOTA: Scope.ACCOUNT, ErrClass.UNKNOWN: Scope.UNKNOWN}


def scope_of(code: int, klass: ErrClass) -> Scope:
    if klass is ErrClass.JOB_CONFIG and code in ACCOUNT_CODES:
        return Scope.ACCOUNT
    return _SCOPES[klass]

_IPV4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")
_IPV6 = re.compile(r"ipv6\s+([0-9a-fA-F:.]*:[0-9a-fA-F:.]+)")
_FIELD = re.compile(r"data\.([A-Za-z_][A-Za-z0-9_]*)\.value")
_RID_PART = re.compile(r"\s*rid:\s*\S+")
_MAX_ERRMSG = 120


def _raw(code: int, token_call: bool) -> tuple[ErrClass, str, str]:
    """Class and the text templates (with {ip} / {field} placeholders) of one errcode."""
    klass = (_TOKEN_CALL_CLASSES.get(code) if token_call else None) or CLASSES.get(code)
    texts = (msg.TOKEN_CALL.get(code) if token_call else None) or msg.ERRCODES.get(code)
    if klass is None or texts is None:
        return ErrClass.UNKNOWN, msg.UNKNOWN_MEANING.format(code=code), msg.UNKNOWN_ACTION
    return klass, texts[0], texts[1]


_NO_DETAIL = {"ip": "", "field": ""}


def lookup(code: int, *, token_call: bool = False) -> ErrcodeInfo:
    """The class, Chinese meaning and next step of one errcode. Unknown codes -> ErrClass.UNKNOWN."""
    code = int(code)
    klass, meaning, action = _raw(code, token_call)
    scope = scope_of(code, klass)
    if klass is ErrClass.UNKNOWN:
        return ErrcodeInfo(code, klass, meaning, action, scope)
    return ErrcodeInfo(code, klass, meaning.format(**_NO_DETAIL), action.format(**_NO_DETAIL), scope)


def ip_from_errmsg(errmsg: str) -> str | None:
    """40164's errmsg names the caller's IP: `invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist`."""
    m = _IPV4.search(errmsg or "") or _IPV6.search(errmsg or "")
    return m.group(1) if m else None


def field_from_errmsg(errmsg: str) -> str | None:
    """47003's errmsg names the field: `argument invalid! data.thing3.value invalid`."""
    m = _FIELD.search(errmsg or "")
    return m.group(1) if m else None


def describe(code: int, errmsg: str = "", *, token_call: bool = False) -> str:
    """One Chinese line: errcode, meaning, next step, and the rid when errmsg has one."""
    code = int(code)
    klass, meaning, action = _raw(code, token_call)
    if klass is ErrClass.UNKNOWN:
        said = " ".join(_RID_PART.sub("", errmsg or "").split())[:_MAX_ERRMSG]
        if said:
            meaning = msg.MEANING_WITH_SAID.format(meaning=meaning, said=msg.WECHAT_SAID.format(errmsg=said))
    else:
        ip = ip_from_errmsg(errmsg) if code == 40164 else None
        field = field_from_errmsg(errmsg) if code == 47003 else None
        fill = {"ip": msg.IP_SUFFIX.format(ip=ip) if ip else "",
                "field": msg.FIELD_SUFFIX.format(field=field) if field else ""}
        meaning, action = meaning.format(**fill), action.format(**fill)
    line = msg.LINE.format(code=code, meaning=meaning, action=action)
    rid = extract_rid(errmsg)
    return line + msg.RID.format(rid=rid) if rid else line
