"""Work that a dock out of sight can leave until it is shown.

The bottom docks of the window (histogram, heat matrix, map, timeline, time wheel) share one
tab group, so all but one are behind a tab at any time, yet each followed every change of the
chart: on the 23,000-link routes sample, Delete and Cut held the window while the hidden map
copied its routes and the hidden timeline rebuilt its lines. A dock asks ``Sight`` before
such work; out of sight, the work is noted and done when the dock comes into sight. Qt says
so with ``visibilityChanged``, but not always truly: a tab behind another is still "visible"
to ``isVisible()``, and when a window is first shown every tab is told it is visible. So the
dock is in sight only while some of it is on screen (its ``visibleRegion``), checked when work
comes and once Qt has laid the docks out after a change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDockWidget


class Sight(QObject):
    """Whether ``dock`` is in sight, and the one piece of work (``catch_up``) it owes."""

    def __init__(self, dock: QDockWidget, catch_up: Callable[[], None]) -> None:
        super().__init__(dock)
        self.dock = dock
        self.owed = False
        self._catch_up = catch_up
        dock.visibilityChanged.connect(self._changed)

    def in_sight(self) -> bool:
        """Shown, and some of it on screen (not a tab behind another)."""
        return self.dock.isVisible() and not self.dock.visibleRegion().isEmpty()

    def postpone(self) -> bool:
        """True (and the work noted) when the dock is out of sight; False: do it now."""
        if self.in_sight():
            return False
        self.owed = True
        return True

    def _changed(self, visible: bool) -> None:
        if visible and self.owed:  # once Qt has laid the docks out
            QTimer.singleShot(0, self, self._catch_up_if_in_sight)

    def _catch_up_if_in_sight(self) -> None:
        if self.owed and self.in_sight():
            self.owed = False
            self._catch_up()
