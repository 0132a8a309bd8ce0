"""工具 page: code2session and the phone number with simulator-issued codes; decryption of a vector encrypted here
and of a corrupted one (Chinese error with the -4100x code)."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from console.sim import SANDBOX_MINI_APPID
from console.ui.texts import tools as t
from tests.ui.conftest import wait_until

KEY = bytes(range(16))
IV = bytes(range(16, 32))


def encrypt(payload: dict[str, Any]) -> str:
    padder = padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(payload, ensure_ascii=False).encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(KEY), modes.CBC(IV)).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def tools_page(window: Any) -> Any:
    window.show_page("tools")
    return window.pages["tools"]


def test_code2session_with_a_simulator_code_masks_the_session_key(window, simulator, run) -> None:
    page = tools_page(window)
    assert page.js_code_sample.isVisible()
    page.js_code_sample.click()
    assert page.js_code_edit.text()

    async def scenario() -> None:
        page.login_button.click()
        await wait_until(lambda: page.openid_value.text() != "")
        assert page.openid_value.text() == simulator.operator_openid
        key = page.session.session_key
        assert key not in page.session_key_value.text() and "\u2022" in page.session_key_value.text()
        page.show_key.setChecked(True)
        assert page.session_key_value.text() == key
        page.use_key_button.click()
        assert page.key_edit.text() == key
        # a code can be used once: the second try is a Chinese error with the errcode
        page.login_button.click()
        await wait_until(lambda: page.login_error.isVisible())
        assert "40163" in page.login_error.text() or "40029" in page.login_error.text()

    run(scenario())


def test_phone_number_with_a_simulator_code(window, run) -> None:
    page = tools_page(window)
    page.phone_code_sample.click()

    async def scenario() -> None:
        page.phone_button.click()
        await wait_until(lambda: page.phone_result.text() != "")
        assert "手机号" in page.phone_result.text() and "+86" in page.phone_result.text()

    run(scenario())


def test_decrypt_a_vector_and_a_corrupted_one(window) -> None:
    page = tools_page(window)
    payload = {"nickName": "小明", "watermark": {"appid": SANDBOX_MINI_APPID, "timestamp": 1_700_000_000}}
    page.key_edit.setText(base64.b64encode(KEY).decode())
    page.iv_edit.setText(base64.b64encode(IV).decode())
    data = encrypt(payload)
    page.data_edit.setPlainText(data)
    page.decrypt_button.click()
    assert json.loads(page.decrypt_result.toPlainText())["nickName"] == "小明"
    assert SANDBOX_MINI_APPID in page.watermark_label.text() and "2023-11-1" in page.watermark_label.text()
    assert not page.decrypt_error.isVisible()
    page.data_edit.setPlainText(data[:-8] + "AAAAAAA=")
    page.decrypt_button.click()
    assert page.decrypt_error.isVisibleTo(page) and "-41003" in page.decrypt_error.text()
    assert not page.decrypt_result.isVisibleTo(page)
    page.iv_edit.setText("short")
    page.decrypt_button.click()
    assert "-41002" in page.decrypt_error.text() and "iv" in page.decrypt_error.text()


def test_sample_button_makes_data_that_decrypts(window, run) -> None:
    page = tools_page(window)

    async def scenario() -> None:
        await page.screenshot_setup()
        assert page.decrypt_result.isVisibleTo(page)
        assert json.loads(page.decrypt_result.toPlainText())["watermark"]["appid"] == SANDBOX_MINI_APPID
        assert page.phone_result.text()

    run(scenario())


def test_without_a_mini_program_the_tools_say_so_and_leave_the_buttons_usable(window, run) -> None:
    page = tools_page(window)
    services = window.controller.services
    mini, services.mini = services.mini, None  # e.g. an account with its Official Account only
    failed: list[tuple[str, str]] = []
    busy: list[tuple[str, bool]] = []
    page.ctl.failed.connect(lambda tool, text: failed.append((tool, text)))
    page.ctl.busy_changed.connect(lambda tool, on: busy.append((tool, on)))
    try:
        assert run(page.ctl.login_now("code")) is None and run(page.ctl.phone_now("code")) is None
    finally:
        services.mini = mini
    assert failed == [("login", t.NO_MINI), ("phone", t.NO_MINI)]
    assert all(dict(busy).get(tool) in (None, False) for tool in ("login", "phone"))  # no button left busy
