"""Issue 13 (smaller): with a dark system palette the send card is not white on white. The card is rendered and, for
each of its labels, the text pixels are compared with the card's background around them."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QLabel

from console.ui.theme import apply_theme
from tests.ui.test_ui_compose import _import_sample


def luminance(rgb: int) -> float:
    """WCAG relative luminance of a 0xRRGGBB pixel."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def text_contrast(image: QImage) -> float:
    """Background = the most common colour of the label's area; text = the pixel farthest from it."""
    pixels = [image.pixel(x, y) & 0xFFFFFF for y in range(image.height()) for x in range(image.width())]
    background = Counter(pixels).most_common(1)[0][0]
    bg = luminance(background)
    return max(contrast(bg, luminance(p)) for p in set(pixels))


def dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#f0f0f0"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
                         (QPalette.ColorRole.Text, "#f0f0f0"), (QPalette.ColorRole.Button, "#3a3a3a"),
                         (QPalette.ColorRole.ButtonText, "#f0f0f0"), (QPalette.ColorRole.Mid, "#555555")):
        p.setColor(role, QColor(colour))
    return p


@pytest.fixture(params=["dark", "light"])
def palette(request, qapp):
    previous = qapp.palette()
    qapp.setPalette(dark_palette() if request.param == "dark" else qapp.style().standardPalette())
    yield request.param
    qapp.setPalette(previous)
    apply_theme(qapp)


@pytest.mark.parametrize("key", ["send", "recipients"])
def test_the_cards_labels_are_readable(palette, key, window, controller, qapp, run) -> None:
    apply_theme(qapp)  # as at start: the theme follows the system palette
    _import_sample(controller)
    window.show_page(key)
    page = window.pages[key]
    card = page.what_card if key == "send" else page.card
    image = card.grab().toImage()
    labels = [w for w in card.findChildren(QLabel) if w.isVisible() and w.text().strip()]
    assert len(labels) >= 3
    for label in labels:
        rect = label.geometry()
        crop = image.copy(rect.x(), rect.y(), rect.width(), rect.height())
        ratio = text_contrast(crop)
        assert ratio >= 3.0, (palette, label.text(), round(ratio, 2))
