"""The installed Qt binding must not leak references to None (PySide6 6.12.0 on Python 3.11
does, and the app aborts after a few thousand drawing calls): pyproject.toml excludes it."""

import sys

from PySide6.QtWidgets import QGraphicsRectItem


def test_void_qt_calls_keep_none_alive(qapp):
    item = QGraphicsRectItem()
    before = sys.getrefcount(None)
    for i in range(2000):
        item.setPos(i, i)
    assert before - sys.getrefcount(None) < 100
