"""Entity icons as tinted pixmaps, rendered once per (icon, colour, size) and reused.

Rendering an icon font glyph costs tens of microseconds; drawing a cached pixmap costs about
one. A chart of 10,000 entities uses a few dozen distinct icons, so the cache stays small.
Sizes are rounded up to a few buckets so zooming does not fill the cache with near-duplicates
and icons stay sharp (never scaled up).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap

FALLBACK_ICON = "mdi6.help-circle"
IMAGE_PREFIX = "image:"  # an icon from the chart's embedded images: "image:photo.png"
BUCKETS = (8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def bucket(pixels: float) -> int:
    """The smallest cached size that is at least ``pixels`` (capped at the largest)."""
    i = bisect.bisect_left(BUCKETS, pixels)
    return BUCKETS[min(i, len(BUCKETS) - 1)]


class IconCache:
    """Pixmaps by (icon name, colour, pixel size). Needs a QGuiApplication."""

    def __init__(self) -> None:
        self._pixmaps: dict[tuple[str, str, int], QPixmap] = {}
        self._icons: dict[tuple[str, str], QIcon] = {}
        self._unknown: set[str] = set()

    def __len__(self) -> int:
        return len(self._pixmaps)

    def is_known(self, name: str) -> bool:
        """Whether qtawesome can draw this icon name (unknown ones draw the fallback)."""
        self._icon(name, "#000000")
        return name not in self._unknown

    def pixmap(self, name: str, colour: str, pixels: float,
               images: Mapping[str, bytes] | None = None) -> QPixmap:
        size = bucket(pixels)
        key = (name, colour, size)
        found = self._pixmaps.get(key)
        if found is None:
            found = self._render(name, colour, size, images or {})
            self._pixmaps[key] = found
        return found

    def _render(self, name: str, colour: str, size: int,
                images: Mapping[str, bytes]) -> QPixmap:
        if name.startswith(IMAGE_PREFIX):
            data = images.get(name[len(IMAGE_PREFIX):])
            image = QImage.fromData(data) if data else QImage()
            if not image.isNull():
                scaled = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)
                return _centred(QPixmap.fromImage(scaled), size)
            name = FALLBACK_ICON
        return self._icon(name, colour).pixmap(QSize(size, size))

    def _icon(self, name: str, colour: str) -> QIcon:
        key = (name, colour)
        icon = self._icons.get(key)
        if icon is None:
            import qtawesome

            try:
                icon = qtawesome.icon(name, color=colour)
            except Exception:  # qtawesome raises plain Exception for unknown names
                self._unknown.add(name)
                icon = qtawesome.icon(FALLBACK_ICON, color=colour)
            self._icons[key] = icon
        return icon


def _centred(pixmap: QPixmap, size: int) -> QPixmap:
    """Put a non-square picture in the middle of a transparent square."""
    if pixmap.width() == pixmap.height() == size:
        return pixmap
    out = QPixmap(size, size)
    out.fill(QColor(0, 0, 0, 0))
    painter = QPainter(out)
    painter.drawPixmap((size - pixmap.width()) // 2, (size - pixmap.height()) // 2, pixmap)
    painter.end()
    return out


_shared: IconCache | None = None


def shared_icons() -> IconCache:
    """One cache for every scene in the process (window, exports, clipboard)."""
    global _shared
    if _shared is None:
        _shared = IconCache()
    return _shared
