"""Replay guard for plaintext-mode pushes.

In plaintext mode the signature covers only (token, timestamp, nonce), not the body (official message-push page,
"发起验证"), so a captured signed query could carry a forged body while it is fresh. The guard remembers, for the
freshness window, the body digest each signed (timestamp, nonce, signature) came with: the same query with the same
body again is a retry (allowed; stored once by the dedupe key), with another body it is refused. Safe mode does not
need this: msg_signature covers Encrypt. Memory is bounded by the requests of one window.
"""

from __future__ import annotations

import hashlib
from collections import deque


class ReplayGuard:
    def __init__(self, window: float) -> None:
        self.window = window
        self._seen: dict[str, bytes] = {}
        self._expiry: deque[tuple[float, str]] = deque()

    def allow(self, now: float, account: str, timestamp: str, nonce: str, signature: str, body: bytes) -> bool:
        while self._expiry and self._expiry[0][0] < now:
            self._seen.pop(self._expiry.popleft()[1], None)
        key = f"{account}|{timestamp}|{nonce}|{signature}"
        digest = hashlib.sha256(body).digest()
        known = self._seen.get(key)
        if known is None:
            self._seen[key] = digest
            # kept until the timestamp itself is no longer fresh
            self._expiry.append((float(timestamp) + self.window + 1 if timestamp.isdigit() else now, key))
            return True
        return known == digest
