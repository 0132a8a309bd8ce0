"""Decrypting a mini program's `encryptedData` (user info, old-style phone number), per wechat-api.md.

AES-128-CBC with PKCS#7 padding; key = b64decode(session_key), iv = b64decode(iv),
ciphertext = b64decode(data); the plaintext is UTF-8 JSON carrying `watermark: {appid, timestamp}`.
Every failure is a `DecryptError` with the official demo's code (-41001 … -41004) and a Chinese reason
that never contains the key, the iv or the data.

Decisions:
- surrounding whitespace of the three inputs is stripped, and line breaks/tabs inside the data (copy-paste);
  a space inside is kept and fails as bad base64 with a hint ('+' turned into ' ' by a URL);
- base64 is strict (standard alphabet, padding required);
- a 24-character session_key/iv that does not decode to 16 bytes is -41001/-41002;
- bad base64 in any of the three inputs, or empty data, is -41004;
- a watermark without appid or a numeric timestamp is -41003;
- `appid=None` skips the appid comparison (the watermark must still be present).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from console.core.messages import crypto as msg
from console.core.wechat.errors import DecryptError

ILLEGAL_AES_KEY = -41001
ILLEGAL_IV = -41002
ILLEGAL_BUFFER = -41003
DECODE_BASE64_ERROR = -41004

_B64_LEN = 24
_BLOCK = 16
_LINE_WRAPS = str.maketrans("", "", "\r\n\t")


@dataclass(frozen=True, slots=True)
class DecryptedData:
    payload: dict[str, Any] = field(repr=False)  # may hold personal data (phone number): not in reprs
    watermark_appid: str
    watermark_time: datetime  # timezone-aware (UTC)


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        reason = msg.BAD_BASE64_SPACE if " " in text else msg.BAD_BASE64
        raise DecryptError(DECODE_BASE64_ERROR, reason.format(what=what)) from None


def _key_or_iv(text: str, code: int, length_reason: str, invalid_reason: str, what: str) -> bytes:
    text = text.strip()
    if len(text) != _B64_LEN:
        raise DecryptError(code, length_reason.format(count=len(text)))
    raw = _b64(text, what)
    if len(raw) != _BLOCK:
        raise DecryptError(code, invalid_reason)
    return raw


def _decrypt(key: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    if not ciphertext or len(ciphertext) % _BLOCK:
        raise DecryptError(ILLEGAL_BUFFER, msg.DECRYPT_FAILED)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise DecryptError(ILLEGAL_BUFFER, msg.DECRYPT_FAILED) from None


def _watermark(payload: dict[str, Any]) -> tuple[str, datetime]:
    mark = payload.get("watermark")
    if not isinstance(mark, dict):
        raise DecryptError(ILLEGAL_BUFFER, msg.NO_WATERMARK)
    appid, stamp = mark.get("appid"), mark.get("timestamp")
    if not isinstance(appid, str) or not appid or stamp is None or isinstance(stamp, bool):
        raise DecryptError(ILLEGAL_BUFFER, msg.NO_WATERMARK)
    try:
        when = datetime.fromtimestamp(float(stamp), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise DecryptError(ILLEGAL_BUFFER, msg.NO_WATERMARK) from None
    return appid, when


def decrypt_encrypted_data(session_key: str, iv: str, data: str, *, appid: str | None) -> DecryptedData:
    """Decrypt and verify `encryptedData`; raises `DecryptError` (never anything else) on any bad input."""
    session_key, iv, data = (v if isinstance(v, str) else "" for v in (session_key, iv, data))
    key = _key_or_iv(session_key, ILLEGAL_AES_KEY, msg.SESSION_KEY_LENGTH, msg.SESSION_KEY_INVALID,
                     msg.WHAT_SESSION_KEY)
    iv_raw = _key_or_iv(iv, ILLEGAL_IV, msg.IV_LENGTH, msg.IV_INVALID, msg.WHAT_IV)
    text = data.strip().translate(_LINE_WRAPS)
    if not text:
        raise DecryptError(DECODE_BASE64_ERROR, msg.DATA_EMPTY)
    plain = _decrypt(key, iv_raw, _b64(text, msg.WHAT_DATA))
    try:
        payload = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DecryptError(ILLEGAL_BUFFER, msg.NOT_JSON) from None
    if not isinstance(payload, dict):
        raise DecryptError(ILLEGAL_BUFFER, msg.NOT_JSON)
    mark_appid, when = _watermark(payload)
    if appid is not None and mark_appid != appid:
        raise DecryptError(ILLEGAL_BUFFER, msg.APPID_MISMATCH.format(got=mark_appid, expected=appid))
    return DecryptedData(payload=payload, watermark_appid=mark_appid, watermark_time=when)
