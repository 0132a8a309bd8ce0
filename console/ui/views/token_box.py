"""The 令牌 box of the settings page: how the access token is obtained (stable, classic, an external service, or the
stable token cached in a shared Redis), the hint of the chosen mode, and the URL the last two need."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from console.core.settings import Settings
from console.ui.texts import settings as t
from console.ui.views.account_summary import hint_label
from console.ui.views.labels import set_role

TOKEN_CHOICES = [("stable", t.TOKEN_STABLE, t.TOKEN_STABLE_HINT), ("classic", t.TOKEN_CLASSIC, t.TOKEN_CLASSIC_HINT),
                 ("external", t.TOKEN_EXTERNAL, t.TOKEN_EXTERNAL_HINT), ("redis", t.TOKEN_REDIS, t.TOKEN_REDIS_HINT)]


class TokenBox(QGroupBox):
    def __init__(self, settings: Callable[[], Settings], parent: QWidget | None = None) -> None:
        """`settings`: the saved settings, whose URL the box shows when a mode that needs one is chosen."""
        super().__init__(t.TOKEN_GROUP, parent)
        self.settings = settings
        tl = QFormLayout(self)
        self.combo = QComboBox(self)
        for _mode, label, _hint_text in TOKEN_CHOICES:
            self.combo.addItem(label)
        self.url_edit = QLineEdit(self)
        self.hint = hint_label("", self)
        self.error = hint_label("", self, "error")
        tl.addRow(self.combo)
        tl.addRow(self.hint)
        self.url_label = QLabel(t.URL, self)
        tl.addRow(self.url_label, self.url_edit)
        tl.addRow(self.error)
        self.combo.setMaximumWidth(320)
        self.error.hide()
        self.combo.currentIndexChanged.connect(self.mode_changed)

    def show_mode(self, s: Settings) -> None:
        """Select the saved token mode (a stable token with a store URL is the Redis choice)."""
        index = {"stable": 0, "classic": 1, "external": 2, "redis": 3}.get(s.token_mode, 0)
        if s.token_mode == "stable" and s.token_store_url:
            index = 3
        self.combo.setCurrentIndex(index)
        self.mode_changed(index)

    def mode_changed(self, index: int) -> None:
        mode, _label, hint = TOKEN_CHOICES[index]
        self.hint.setText(hint)
        set_role(self.hint, "error" if mode == "classic" else "hint")
        needs_url = mode in ("external", "redis")
        self.url_label.setVisible(needs_url)
        self.url_edit.setVisible(needs_url)
        s = self.settings()
        self.url_edit.setPlaceholderText(t.REDIS_PLACEHOLDER if mode == "redis" else t.EXTERNAL_PLACEHOLDER)
        self.url_edit.setText(s.token_store_url if mode == "redis" else s.external_token_url if needs_url else "")

    def apply_to(self, new: Settings) -> str | None:
        """Write the chosen mode and URL into `new`; returns what is wrong with the URL (None when it is fine)."""
        mode = TOKEN_CHOICES[self.combo.currentIndex()][0]
        url = self.url_edit.text().strip()
        problem = None
        new.token_store_url = ""
        if mode == "external":
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
                problem = t.ERR_URL
            new.token_mode, new.external_token_url = "external", url
        elif mode == "redis":
            parts = urlsplit(url)
            if parts.scheme not in ("redis", "rediss") or not parts.hostname:
                problem = t.ERR_REDIS_URL
            elif parts.password:
                problem = t.ERR_REDIS_PASSWORD
            # the store says where the token is cached; the endpoint stays the stable one
            new.token_mode, new.token_store_url = "stable", url
        else:
            new.token_mode, new.token_store_url = mode, ""
        return problem
