"""Log redaction: a full flow at DEBUG never logs the secret, the token or the session_key."""

from __future__ import annotations

import logging

import httpx
import pytest

from console.core.clock import FakeClock
from console.core.logsafe import RedactingFilter, install_log_redaction, redact, remove_log_redaction
from console.core.secrets import MemorySecretStore
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import ApiError
from console.core.wechat.http import WeChatHttp
from console.core.wechat.tokens import ClassicTokenProvider

APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"
TOKEN_1 = "86_" + "Ab9xQ" * 26  # WeChat tokens are long runs of token characters
TOKEN_2 = "86_" + "Zy8wP" * 26
SESSION_KEY = "tiihtNczf5v6AKRyjwEUhQ=="
OPENID = "oABCD1234567890abcdefghijkl"


class FakeWeChat:
    def __init__(self) -> None:
        self.tokens = [TOKEN_1, TOKEN_2]

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/cgi-bin/token":
            assert request.url.params["secret"] == SECRET
            return httpx.Response(200, json={"access_token": self.tokens.pop(0), "expires_in": 7200})
        if path == "/sns/jscode2session":
            return httpx.Response(200, json={"openid": OPENID, "session_key": SESSION_KEY})
        if request.url.params.get("access_token") == TOKEN_1:
            return httpx.Response(200, json={"errcode": 40001, "errmsg": "invalid credential, access_token is "
                                                                         f"invalid or not latest: {TOKEN_1}"})
        if path == "/cgi-bin/message/template/send":
            return httpx.Response(200, json={"errcode": 43004, "errmsg": "require subscribe rid: 1-2"})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok", "msgid": 1})


@pytest.fixture
def redaction():
    flt = install_log_redaction()
    yield flt
    remove_log_redaction(flt)


async def test_full_flow_logs_no_secret_token_or_session_key(caplog: pytest.LogCaptureFixture,
                                                              redaction: RedactingFilter) -> None:
    caplog.set_level(logging.DEBUG)
    wx = FakeWeChat()
    http = WeChatHttp("http://127.0.0.1:9", transport=httpx.MockTransport(wx.handler))
    tokens = ClassicTokenProvider(http, APPID, MemorySecretStore({APPID: SECRET}), clock=FakeClock())
    client = WeChatClient(http, APPID, tokens, secret=lambda: SECRET)
    log = logging.getLogger("wxconsole.test")

    session = await client.code2session("061js_code_abc")
    log.debug("login ok: %s", session)
    log.debug("raw answer %s", {"openid": OPENID, "session_key": SESSION_KEY})
    await client.send_subscribe(OPENID, "T1", {"thing1": "会议"})  # 40001 with TOKEN_1, retried with TOKEN_2
    try:
        await client.send_mp_template(OPENID, "M1", {"keyword1": "x"})
    except ApiError:
        log.exception("send failed for token %s", TOKEN_2)
    log.warning("calling https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s",
                APPID, SECRET)
    log.info("provider %r client %r", tokens, client)
    await http.aclose()

    assert len(caplog.records) >= 8
    assert any(r.name == "httpx" for r in caplog.records)  # httpx's own request lines were captured ...
    everything = caplog.text + "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    for secret in (SECRET, TOKEN_1, TOKEN_2, SESSION_KEY, "061js_code_abc"):
        assert secret not in everything
    httpx_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any(line.startswith("HTTP Request: POST http://127.0.0.1:9/cgi-bin/message/subscribe/send?***")
               for line in httpx_lines)  # ... with the query string stripped
    ours = [r.getMessage() for r in caplog.records if r.name == "console.core.wechat.http"]
    assert "POST /cgi-bin/message/subscribe/send errcode=40001" in " ".join(ours)
    assert OPENID in caplog.text  # ordinary identifiers survive


def test_redact_patterns() -> None:
    assert redact(f"access_token={TOKEN_1}&x=1") == "access_token=***&x=1"
    assert redact(f'{{"secret": "{SECRET}", "errcode": 0}}') == '{"secret": "***", "errcode": 0}'
    assert redact(f"Session(openid='o1', session_key='{SESSION_KEY}')") == "Session(openid='o1', session_key='***')"
    assert redact("js_code=061abc grant_type=authorization_code") == "js_code=*** grant_type=authorization_code"
    assert redact(f"https://api.weixin.qq.com/cgi-bin/token?appid=wx1&secret={SECRET}") == \
        "https://api.weixin.qq.com/cgi-bin/token?***"
    assert redact(f"the token is {TOKEN_2}.") == "the token is ***."
    kept = f"errcode=40003 openid {OPENID} sha256 {'a' * 64} path /cgi-bin/message/subscribe/send"
    assert redact(kept) == kept


def test_filter_handles_exceptions_and_bad_format_strings() -> None:
    flt = RedactingFilter()
    try:
        raise ValueError(f"bad access_token={TOKEN_1}")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", (SECRET,), sys.exc_info())
    record.msg = f"failed secret={SECRET}"
    record.args = None
    assert flt.filter(record) is True
    assert SECRET not in record.getMessage()
    assert TOKEN_1 not in (record.exc_text or "")
    assert "ValueError" in record.exc_text
    broken = logging.LogRecord("x", logging.INFO, __file__, 1, "%d items secret=%s", ("nope",), None)
    assert flt.filter(broken) is True and "nope" not in broken.getMessage()


def test_install_is_idempotent(redaction: RedactingFilter) -> None:
    assert install_log_redaction() is redaction
    assert logging.getLogger("httpx").filters.count(redaction) == 1
    for handler in logging.getLogger().handlers:
        assert handler.filters.count(redaction) == 1
