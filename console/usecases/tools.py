"""The technical colleague's tools, one implementation for the 工具 page (ToolsController) and `wxconsole login`,
`decrypt`, `phone`: code2session, decrypting a mini program's encryptedData with the watermark check, the phone
number; and, for the sandbox, an encryptedData sample made with WeChat's algorithm.

The watermark check: the decrypted data must name the mini program it is decrypted for (`watermark.appid`), so a
session_key of another mini program is refused (-41003); the algorithm is WeChat's "开放数据校验与解密"
(https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/signature.html), see
console/core/wechat/crypto.py.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from console.core.wechat.crypto import DecryptedData, decrypt_encrypted_data
from console.core.wechat.models import PhoneInfo, Session
from console.usecases.accounts import Clients, mini_client


async def login(services: Clients, js_code: str) -> Session:
    """code2session of the mini program (NoAccountError when there is none)."""
    return await mini_client(services).code2session(js_code)


async def phone_number(services: Clients, code: str) -> PhoneInfo:
    """The phone number a getPhoneNumber button's code stands for (NoAccountError without a mini program)."""
    return await mini_client(services).get_phone_number(code)


def decrypt(session_key: str, iv: str, data: str, *, appid: str | None) -> DecryptedData:
    """Decrypt encryptedData; its watermark must name `appid`, the mini program it is decrypted for (None: no mini
    program is configured, the watermark is shown but not compared). Raises DecryptError with WeChat's code."""
    return decrypt_encrypted_data(session_key, iv, data, appid=appid)


@dataclass(frozen=True, slots=True)
class Sample:
    iv: str
    data: str


def encrypt_sample(session_key: str, appid: str, payload: Mapping[str, Any], timestamp: int) -> Sample:
    """An encryptedData example of `payload` (its watermark added: `appid`, `timestamp`) made with `session_key` by
    WeChat's algorithm, AES-128-CBC with PKCS#7 padding (sandbox training, screenshots): `decrypt` opens it."""
    plain = json.dumps({**payload, "watermark": {"appid": appid, "timestamp": timestamp}},
                       ensure_ascii=False).encode("utf-8")
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(base64.b64decode(session_key)), modes.CBC(iv)).encryptor()
    data = encryptor.update(padded) + encryptor.finalize()
    return Sample(base64.b64encode(iv).decode(), base64.b64encode(data).decode())
