"""Message-push signatures and the safe-mode (安全模式) cipher.

Rules, from the official message-push page
(https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html, "发起验证" and
"消息加解密") and checked against wechatpy's implementation (wechatpy/crypto/__init__.py `_get_signature`,
wechatpy/crypto/base.py `BasePrpCrypto`, wechatpy/crypto/pkcs7.py):
- signature = sha1 of the lexicographically sorted [token, timestamp, nonce] joined; msg_signature adds Encrypt.
- AES-256-CBC, key = base64decode(EncodingAESKey + "="), IV = the first 16 key bytes.
- plaintext = 16 random bytes + 4-byte big-endian length + message + appid, PKCS#7 padded to a 32-byte block.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # PKCS#7 block size used by WeChat (wechatpy/crypto/pkcs7.py: block_size = 32)


class CryptoError(ValueError):
    """A body that does not decrypt, or decrypts for another appid. `reason` is a short English tag for logs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(expected_parts: tuple[str, ...], given: str) -> bool:
    return hmac.compare_digest(signature(*expected_parts).encode(), given.encode())


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte key from the 43-character EncodingAESKey; ValueError when it is not one."""
    if len(encoding_aes_key) != 43:
        raise ValueError("EncodingAESKey must be 43 characters")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise ValueError("EncodingAESKey is not base64") from exc
    if len(key) != 32:
        raise ValueError("EncodingAESKey does not decode to 32 bytes")
    return key


def decrypt(key: bytes, encrypted: str, appid: str) -> bytes:
    """The message inside `encrypted` (base64); CryptoError if it is damaged or was made for another appid."""
    try:
        raw = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("encrypt-not-base64") from exc
    if not raw or len(raw) % 16:
        raise CryptoError("encrypt-bad-length")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(raw) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise CryptoError("bad-padding")
    content = plain[16:-pad]
    if len(content) < 4:
        raise CryptoError("too-short")
    (length,) = struct.unpack(">I", content[:4])
    if length > len(content) - 4:
        raise CryptoError("bad-length")
    message, from_appid = content[4:4 + length], content[4 + length:]
    if not hmac.compare_digest(from_appid, appid.encode()):
        raise CryptoError("wrong-appid")
    return message


def encrypt(key: bytes, message: bytes, appid: str, *, prefix: bytes | None = None) -> str:
    """The safe-mode Encrypt field for `message` (the simulator pushes with it; the tests use wechatpy instead)."""
    body = (prefix if prefix is not None else os.urandom(16)) + struct.pack(">I", len(message)) + message
    body += appid.encode()
    pad = BLOCK - len(body) % BLOCK
    body += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(body) + encryptor.finalize()).decode()
