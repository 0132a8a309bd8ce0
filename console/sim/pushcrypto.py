"""The simulator's own message-push signing and safe-mode encryption, written from WeChat's documentation and
independent of console.receiver.crypto on purpose (the receiver is tested against a second implementation).

Source: 消息推送 / 消息加解密说明 (developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html,
and the OA doc 技术方案 "消息加解密"): AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; IV = the first 16
bytes of AESKey; plaintext = random(16 B) + msg_len (4 B, network order) + msg + appid; PKCS#7 padding to a multiple
of 32 bytes; AES-256-CBC; Encrypt = Base64 of the ciphertext. msg_signature = sha1 of the sorted concatenation of
token, timestamp, nonce and Encrypt; signature = the same without Encrypt.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not to AES's 16


def key_of(encoding_aes_key: str) -> bytes:
    key = base64.b64decode(encoding_aes_key + "=")
    if len(encoding_aes_key) != 43 or len(key) != 32:
        raise ValueError("EncodingAESKey must be 43 characters")
    return key


def encrypt_message(encoding_aes_key: str, message: bytes, appid: str) -> str:
    key = key_of(encoding_aes_key)
    plain = os.urandom(16) + struct.pack(">I", len(message)) + message + appid.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()
