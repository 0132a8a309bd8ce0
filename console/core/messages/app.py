"""Chinese names of things the composition root creates."""

from __future__ import annotations

SANDBOX_MINI_NAME = "演示小程序"
SANDBOX_OA_NAME = "演示公众号"
