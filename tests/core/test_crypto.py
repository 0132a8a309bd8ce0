"""encryptedData decryption: a vector made here by the documented algorithm, and every bad input."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.wechat.crypto import DecryptedData, decrypt_encrypted_data
from console.core.wechat.errors import DecryptError

APPID = "wx4f4bc4dec97d474b"
KEY = bytes(range(16))
IV = bytes(range(16, 32))
SESSION_KEY = base64.b64encode(KEY).decode()
IV_B64 = base64.b64encode(IV).decode()
STAMP = 1477314187
PAYLOAD = {"openId": "oGZUI0egBJY1zhBYw2KhdUfwVJJE", "nickName": "张三", "phoneNumber": "13800138000",
           "watermark": {"appid": APPID, "timestamp": STAMP}}


def encrypt(plain: bytes, key: bytes = KEY, iv: bytes = IV, *, pad: bool = True) -> str:
    """The documented algorithm: AES-128-CBC with PKCS#7 padding, base64 of the ciphertext."""
    if pad:
        padder = padding.PKCS7(128).padder()
        plain = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def encrypt_json(obj: object) -> str:
    return encrypt(json.dumps(obj, ensure_ascii=False).encode("utf-8"))


def expect(code: int, session_key: str = SESSION_KEY, iv: str = IV_B64, data: str | None = None,
           appid: str | None = APPID) -> DecryptError:
    with pytest.raises(DecryptError) as info:
        decrypt_encrypted_data(session_key, iv, encrypt_json(PAYLOAD) if data is None else data, appid=appid)
    err = info.value
    assert err.code == code
    assert SESSION_KEY not in str(err) and IV_B64 not in str(err)
    return err


def test_decrypts_the_vector() -> None:
    result = decrypt_encrypted_data(SESSION_KEY, IV_B64, encrypt_json(PAYLOAD), appid=APPID)
    assert isinstance(result, DecryptedData)
    assert result.payload == PAYLOAD
    assert result.watermark_appid == APPID
    assert result.watermark_time == datetime(2016, 10, 24, 13, 3, 7, tzinfo=UTC)
    assert result.watermark_time.tzinfo is not None
    assert "13800138000" not in repr(result)


def test_tolerates_surrounding_whitespace_and_wrapped_data() -> None:
    data = encrypt_json(PAYLOAD)
    wrapped = "\n".join(data[i:i + 20] for i in range(0, len(data), 20))
    result = decrypt_encrypted_data(f" {SESSION_KEY}\n", f"{IV_B64} ", f"\r\n{wrapped}\n", appid=APPID)
    assert result.payload["nickName"] == "张三"


def test_appid_none_skips_the_comparison() -> None:
    result = decrypt_encrypted_data(SESSION_KEY, IV_B64, encrypt_json(PAYLOAD), appid=None)
    assert result.watermark_appid == APPID


def test_watermark_timestamp_as_string_or_float() -> None:
    for stamp in ("1477314187", 1477314187.0):
        data = encrypt_json({**PAYLOAD, "watermark": {"appid": APPID, "timestamp": stamp}})
        assert decrypt_encrypted_data(SESSION_KEY, IV_B64, data, appid=APPID).watermark_time.year == 2016


def test_appid_mismatch_is_rejected() -> None:
    err = expect(-41003, appid="wx0000000000000000")
    assert APPID in err.reason and "wx0000000000000000" in err.reason


@pytest.mark.parametrize("session_key", ["", "abc", SESSION_KEY + "A", SESSION_KEY[:-1]])
def test_session_key_not_24_chars(session_key: str) -> None:
    expect(-41001, session_key=session_key)


@pytest.mark.parametrize("iv", ["", IV_B64[:-2], IV_B64 + "=="])
def test_iv_not_24_chars(iv: str) -> None:
    expect(-41002, iv=iv)


def test_24_chars_that_are_not_16_bytes() -> None:
    expect(-41001, session_key="A" * 24)  # valid base64 of 18 bytes
    expect(-41002, iv="B" * 24)


@pytest.mark.parametrize("field", ["session_key", "iv", "data"])
def test_bad_base64(field: str) -> None:
    bad = {"session_key": "!" * 22 + "==", "iv": "中" * 22 + "==", "data": "not*base64"}[field]
    expect(-41004, **{field: bad})


def test_space_in_data_hints_at_a_url_copy() -> None:
    data = encrypt_json(PAYLOAD).replace("+", " ").replace("/", " ")
    err = expect(-41004, data=data[:10] + " " + data[10:])
    assert "空格" in err.reason


def test_empty_data() -> None:
    expect(-41004, data="  ")


def test_wrong_key() -> None:
    other = base64.b64encode(bytes(16)).decode()
    expect(-41003, session_key=other)


def test_wrong_iv_breaks_json() -> None:
    other = base64.b64encode(bytes(16)).decode()  # first block garbled: not UTF-8 / not JSON
    expect(-41003, iv=other)


def test_ciphertext_not_a_whole_number_of_blocks() -> None:
    raw = base64.b64decode(encrypt_json(PAYLOAD))
    expect(-41003, data=base64.b64encode(raw[:-1]).decode())


def test_bad_padding() -> None:
    expect(-41003, data=encrypt(b"x" * 15 + b"\x05", pad=False))


@pytest.mark.parametrize("plain", [b"\xff\xfe not utf-8", b"not json", b"[1, 2]", b'"text"',
                                   b'{"openId": "x"}', b'{"watermark": {"appid": "wx1"}}',
                                   b'{"watermark": {"timestamp": 1}}', b'{"watermark": [1]}',
                                   b'{"watermark": {"appid": "wx4f4bc4dec97d474b", "timestamp": true}}',
                                   b'{"watermark": {"appid": "wx4f4bc4dec97d474b", "timestamp": "soon"}}',
                                   b'{"watermark": {"appid": "wx4f4bc4dec97d474b", "timestamp": 1e300}}'])
def test_bad_plaintexts(plain: bytes) -> None:
    expect(-41003, data=encrypt(plain))


def test_non_string_inputs() -> None:
    expect(-41001, session_key=None)  # type: ignore[arg-type]
    expect(-41002, iv=b"x" * 24)  # type: ignore[arg-type]
    expect(-41004, data=123)  # type: ignore[arg-type]


FAST = settings(max_examples=150, deadline=None)


@FAST
@given(st.binary(max_size=200))
def test_random_ciphertext_only_raises_decrypt_error(raw: bytes) -> None:
    with pytest.raises(DecryptError) as info:
        decrypt_encrypted_data(SESSION_KEY, IV_B64, base64.b64encode(raw).decode(), appid=APPID)
    assert info.value.code in (-41003, -41004)


@FAST
@given(st.binary(max_size=200))
def test_random_plaintext_only_raises_decrypt_error(plain: bytes) -> None:
    with pytest.raises(DecryptError) as info:
        decrypt_encrypted_data(SESSION_KEY, IV_B64, encrypt(plain), appid=APPID)
    assert info.value.code == -41003


@FAST
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=80))
def test_random_text_inputs_only_raise_decrypt_error(session_key: str, iv: str, data: str) -> None:
    with pytest.raises(DecryptError) as info:
        decrypt_encrypted_data(session_key, iv, data, appid=APPID)
    assert info.value.code in (-41001, -41002, -41003, -41004)
