"""Draw the application icon with QPainter and write resources/icons/wxconsole.{png,ico} (no downloaded assets).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icons.py — the outputs are committed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
GREEN = QColor("#07c160")  # WeChat green
DARK_GREEN = QColor("#05a04f")
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    """A green rounded square with a white speech bubble carrying three dots (a notice being sent)."""
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256.0
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(GREEN))
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 52 * s, 52 * s)

    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(44 * s, 58 * s, 168 * s, 118 * s), 44 * s, 44 * s)
    tail = QPainterPath()
    tail.moveTo(QPointF(84 * s, 160 * s))
    tail.lineTo(QPointF(70 * s, 206 * s))
    tail.lineTo(QPointF(124 * s, 170 * s))
    tail.closeSubpath()
    p.setBrush(QBrush(Qt.GlobalColor.white))
    p.drawPath(bubble.united(tail))

    p.setBrush(QBrush(DARK_GREEN))
    radius = 13 * s
    for x in (88, 128, 168):
        p.drawEllipse(QPointF(x * s, 117 * s), radius, radius)
    if size >= 48:  # a thin rim keeps the tile readable on light backgrounds
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(DARK_GREEN, max(1.0, 3 * s)))
        p.drawRoundedRect(QRectF(9.5 * s, 9.5 * s, 237 * s, 237 * s), 51 * s, 51 * s)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data().data())


def ico_bytes(pngs: list[bytes], sizes: tuple[int, ...]) -> bytes:
    """A multi-size .ico whose entries are PNG images (supported by Windows since Vista, and by PyInstaller).

    Qt's own ICO writer stores one image per file, so the container is written here: ICONDIR, one ICONDIRENTRY per
    size, then the PNG payloads.
    """
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, payload = b"", b""
    for size, data in zip(sizes, pngs, strict=True):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + entries + payload


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text/plugins need an application object
    OUT.mkdir(parents=True, exist_ok=True)
    if not draw(256).save(str(OUT / "wxconsole.png"), "PNG"):
        print("could not write PNG", file=sys.stderr)
        return 1
    (OUT / "wxconsole.ico").write_bytes(ico_bytes([png_bytes(draw(size)) for size in ICO_SIZES], ICO_SIZES))
    print(f"wrote {OUT / 'wxconsole.png'} and {OUT / 'wxconsole.ico'} ({', '.join(map(str, ICO_SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
