"""Simulator configuration: the sandbox apps and every tunable (seed state, quotas, faults)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

SANDBOX_MINI_APPID = "wx0000000000000000"
SANDBOX_OA_APPID = "wx0000000000000001"
SANDBOX_SECRET = "sandbox-secret"

DEFAULT_PAGES: tuple[str, ...] = (
    "pages/index/index",
    "pages/order/detail",
    "pages/order/list",
    "pages/booking/detail",
    "pages/meeting/detail",
    "pages/bill/detail",
    "pages/review/result",
    "pages/profile/index",
)


@dataclass(slots=True)
class SimConfig:
    """Everything a test, the demo mode or `wxconsole sim serve` can tune.

    Fault fields can also be changed at run time with `Simulator.configure(...)` or `POST /__sim__/config`.
    """

    seed: int = 0
    # -- seed state ------------------------------------------------------------------------------------------
    seed_users: int = 300
    token_expires_in: int = 7200
    pages: tuple[str, ...] = DEFAULT_PAGES
    follower_page_size: int = 10_000
    legacy_apis: bool = False  # True: the 2018-2020 era (form_id template send and uniform_send alive)
    # True (the demo the window starts): a well-formed openid the simulator does not know is taken as a demo user
    # that accepts every template, so a clerk can practise with their own imported list (issue 13: a real list
    # failed 91 % with 40003 in the demo). False (the default, and every test that needs 40003): strict.
    accept_any_wellformed_openid: bool = False
    # -- quotas (None = unlimited); counted per app + endpoint ------------------------------------------------
    minute_quota: int | None = None  # 45011 past this many calls in one clock minute
    daily_quota: int | None = None  # 45009 past this many calls in one day (Beijing time)
    oa_openid_minute_limit: int | None = None  # 43117 past this many OA template sends to one openid per minute
    # -- faults ------------------------------------------------------------------------------------------------
    latency_ms: float = 0.0  # fixed latency added to every API request
    jitter_ms: float = 0.0  # plus uniform(0, jitter_ms)
    fail_rate: float = 0.0  # share of API requests answered {"errcode": -1, "errmsg": "system error"}
    http_error_rate: float = 0.0  # share of API requests answered HTTP 502 with an HTML (non-JSON) body
    hang_rate: float = 0.0  # share of API requests that are processed but answered only after hang_seconds
    hang_seconds: float = 30.0
    drop_rate: float = 0.0  # share of API requests that are processed, then the connection closes without an answer
    faults_on: str = "all"  # "all" API endpoints, or only "sends" (the five send endpoints)
    expire_tokens_after_calls: int | None = None  # one-shot: after N more API calls every issued token expires
    burst_45011: int = 0  # one-shot: the next N send requests get 45011
    extra: dict[str, Any] = field(default_factory=dict)  # free-form notes, echoed by GET /__sim__/config
    # -- forced errcodes (the codes a first live send meets: 43116, 48004, 50002, …): answered with the documented
    # errmsg of console.sim.errors.ERRMSG; counters restart when the setting is changed ------------------------
    force_errcode: int | None = None  # every send request (after its token is checked) is answered with this errcode
    force_errcode_after: int = 0  # ... once this many send requests were let through
    force_token_errcode: int | None = None  # token calls (cgi-bin/token, stable_token) are answered with this errcode
    force_token_errcode_after: int = 0  # ... once this many token calls were let through
    # -- IP whitelist and the admin's IP confirmation (see ipgate.py for the sources) --------------------------
    caller_ips: tuple[str, ...] = ("203.0.113.7",)  # the office's public IP(s); several: requests take turns
    ip_whitelist: dict[str, list[str]] = field(default_factory=dict)  # appid -> whitelisted IPs (absent: no check)
    ip_confirm: tuple[str, ...] = ()  # appids whose token calls from a new IP need the admin (89503 / 89501)
    # -- message push (issue 18): events sent to a receiver (pusher.py); None = no pushes ---------------------
    push_url: str | None = None  # the accounts' push URL, "{appid}" replaced, e.g. http://127.0.0.1:8600/wechat/{appid}
    push_token: str = ""  # the push settings' Token (both apps)
    push_aes_key: str = ""  # the 43-character EncodingAESKey (both apps; safe mode)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["pages"] = list(self.pages)
        data["caller_ips"] = list(self.caller_ips)
        data["ip_confirm"] = list(self.ip_confirm)
        return data


CONFIG_KEYS = frozenset(f.name for f in fields(SimConfig))
_FLOAT_KEYS = {"latency_ms", "jitter_ms", "fail_rate", "http_error_rate", "hang_rate", "hang_seconds", "drop_rate"}
_OPT_INT_KEYS = {"minute_quota", "daily_quota", "oa_openid_minute_limit", "expire_tokens_after_calls"}
_INT_KEYS = {"seed", "seed_users", "token_expires_in", "follower_page_size", "burst_45011"}


def updated_config(config: SimConfig, changes: dict[str, Any]) -> SimConfig:
    """A copy of `config` with `changes` applied, each value checked and coerced; ValueError on a bad one."""
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in CONFIG_KEYS:
            raise ValueError(f"unknown simulator setting: {key}")
        clean[key] = _coerce(key, value)
    return replace(config, **clean)


def _coerce(key: str, value: Any) -> Any:
    try:
        if key in _FLOAT_KEYS:
            number = float(value)
            if number < 0 or (key.endswith("_rate") and number > 1):
                raise ValueError
            return number
        if key in _OPT_INT_KEYS:
            if value is None:
                return None
            if isinstance(value, bool) or int(value) < 0:
                raise ValueError
            return int(value)
        if key in _INT_KEYS:
            if isinstance(value, bool) or int(value) < 0:
                raise ValueError
            return int(value)
        if key in ("legacy_apis", "accept_any_wellformed_openid"):
            if not isinstance(value, bool):
                raise ValueError
            return value
        if key == "faults_on":
            if value not in ("all", "sends"):
                raise ValueError
            return value
        if key == "pages":
            if isinstance(value, str) or not all(isinstance(p, str) for p in value):
                raise ValueError
            return tuple(value)
        if key == "extra":
            if not isinstance(value, dict):
                raise ValueError
            return dict(value)
        if key in ("caller_ips", "ip_confirm"):
            if isinstance(value, str) or not all(isinstance(v, str) and v for v in value):
                raise ValueError
            if key == "caller_ips" and not value:
                raise ValueError
            return tuple(value)
        if key == "ip_whitelist":
            if not isinstance(value, dict) or not all(
                    isinstance(k, str) and not isinstance(v, str) and all(isinstance(i, str) for i in v)
                    for k, v in value.items()):
                raise ValueError
            return {k: list(v) for k, v in value.items()}
        if key in ("push_url", "push_token", "push_aes_key"):
            if key == "push_url" and value is None:
                return None
            if not isinstance(value, str) or (key == "push_aes_key" and value and len(value) != 43):
                raise ValueError
            if key == "push_url" and not value.startswith(("http://", "https://")):
                raise ValueError
            return value
    except (TypeError, ValueError):
        raise ValueError(f"invalid value for simulator setting {key}: {value!r}") from None
    raise ValueError(f"unknown simulator setting: {key}")  # pragma: no cover - CONFIG_KEYS guards this

# Forced errcodes (appended so the settings above stay as they were).
_OPT_INT_KEYS.update({"force_errcode", "force_token_errcode"})
_INT_KEYS.update({"force_errcode_after", "force_token_errcode_after"})
