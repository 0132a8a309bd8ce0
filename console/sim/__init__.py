"""WeChat API simulator: an independent implementation of the server contract (never imports console.core)."""

from __future__ import annotations

from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, SimConfig
from .simulator import Simulator

__all__ = ["SANDBOX_MINI_APPID", "SANDBOX_OA_APPID", "SANDBOX_SECRET", "SimConfig", "Simulator"]
