"""The API IP whitelist and the admin's IP confirmation, as WeChat applies them to the office's public IP.

Sources (the rules, and where the docs are silent, the decisions):
- 40164 "调用接口的IP地址不在白名单中，请在接口IP白名单中进行设置" — the global return codes of the official docs
  (developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html; also WxJava
  `WxMpErrorMsgEnum.CODE_40164`). The errmsg names the caller's IP as
  `invalid ip 101.45.43.1 ipv6 ::ffff:101.45.43.1, not in whitelist rid: …` (answers on record in
  overtrue/laravel-wechat#367 (EasyWeChat) and crawlab-team/artipub#112). It is answered to the token calls too
  (both reports above failed on the token call) and to every access_token call of an app whose whitelist is set.
- The mini program and the OA keep separate whitelists (小程序: 开发管理 → 开发设置 → IP白名单; 公众号: 设置与开发 →
  基本配置 → IP白名单): `SimConfig.ip_whitelist` is per appid; an app absent from it checks no IP.
- 89503 / 89501 / 89506 / 89507: "获取 Access token" of the OA docs (developers.weixin.qq.com/doc/offiaccount/
  Basic_Information/Get_access_token.html): a risky token call from an IP gets 89503 and the admin a confirmation
  message; after the admin allows it the same IP succeeds. While the admin has not answered: 89501 ("此IP正在等待
  管理员确认"); refused once within 1 h: 89507; refused twice within 24 h: 89506 (texts: WxJava
  `WxMpErrorMsgEnum.CODE_89501…89507`). Only the token calls go through the confirmation (the doc says so).
  Their errmsg wording is not on record (unconfirmed): the console branches on errcode only.
- An office with several outgoing IPs (`SimConfig.caller_ips`): each request leaves from the next one in turn, so
  with only some of them whitelisted 40164 comes intermittently — what offices meet (decision: round robin, so tests
  are deterministic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SimError

if TYPE_CHECKING:
    from .config import SimConfig

ONE_HOUR = 3600.0
ONE_DAY = 86400.0
_PENDING = "pending"
_ALLOWED = "allowed"


def not_whitelisted(ip: str) -> SimError:
    return SimError(40164, f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist")


class IpGate:
    """The per-simulator state: whose turn among the office IPs, and the admin's confirmations per (appid, ip)."""

    def __init__(self) -> None:
        self._turn = 0
        self._state: dict[tuple[str, str], str] = {}
        self._refused: dict[tuple[str, str], list[float]] = {}

    def __repr__(self) -> str:
        return f"IpGate({len(self._state)} decisions)"

    @staticmethod
    def active(config: SimConfig) -> bool:
        return bool(config.ip_whitelist) or bool(config.ip_confirm)

    def caller_ip(self, config: SimConfig) -> str:
        ips = config.caller_ips or ("203.0.113.7",)
        ip = ips[self._turn % len(ips)]
        self._turn += 1
        return ip

    def check(self, config: SimConfig, appid: str, now: float, *, token_call: bool) -> None:
        """Raise the errcode WeChat answers a request of `appid` from the office's next IP, if any."""
        if not self.active(config):
            return
        ip = self.caller_ip(config)
        allowed = config.ip_whitelist.get(appid)
        if allowed is not None and ip not in allowed:
            raise not_whitelisted(ip)
        if token_call and appid in config.ip_confirm:
            self._confirmation(appid, ip, now)

    def _confirmation(self, appid: str, ip: str, now: float) -> None:
        key = (appid, ip)
        state = self._state.get(key)
        if state == _ALLOWED:
            return
        refused = [t for t in self._refused.get(key, ()) if now - t < ONE_DAY]
        if len(refused) >= 2 and now - refused[-1] < ONE_DAY:
            raise SimError(89506, "this ip was refused by the admin twice in 24 hours")
        if refused and now - refused[-1] < ONE_HOUR:
            raise SimError(89507, "this ip was refused by the admin in the last hour")
        if state == _PENDING:
            raise SimError(89501, "this ip is waiting for the admin's confirmation")
        self._state[key] = _PENDING  # WeChat sends the admin a confirmation message now
        raise SimError(89503, "this ip needs the admin's confirmation")

    def decide(self, appid: str | None, ip: str | None, allow: bool, now: float) -> int:
        """The admin answers: for `appid`/`ip` (None: every pending one). Returns how many decisions were made."""
        keys = [k for k, s in self._state.items() if s == _PENDING
                and (appid is None or k[0] == appid) and (ip is None or k[1] == ip)]
        if not keys and appid is not None and ip is not None:
            keys = [(appid, ip)]
        for key in keys:
            if allow:
                self._state[key] = _ALLOWED
            else:
                self._state.pop(key, None)
                self._refused.setdefault(key, []).append(now)
        return len(keys)

    def pending(self) -> list[dict[str, str]]:
        return [{"appid": a, "ip": i} for (a, i), s in self._state.items() if s == _PENDING]
