"""Where the docks go and how big they start: the first-run arrangement and View > Reset
Dock Layout.

Qt's own default gives a dock its smallest size, which on a 1366x768 laptop left the
histogram one bar tall, the map a 30 px strip and the properties two rows. The arrangement
here is worked out from the window's size instead: the right column (properties over find
and history) runs the full height of the window, the analysis docks (histogram, heat matrix,
map) share a tab group under the chart, tall enough for ten bars and a third of the window.
The analyst's own arrangement (window size and place, where each dock was put) is saved in
the settings when the window closes and restored the next time; the arrangement here is the
starting point and the way back to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

Area = Qt.DockWidgetArea
Corner = Qt.Corner

RIGHT_WIDTH = (0.27, 360, 480)  # share of the window's width, then the least and most pixels
BOTTOM_HEIGHT = (0.48, 330)  # share of the window's height, then the least pixels: the
# map's own controls and status line (about 100 px with the tab bar) leave the map itself a
# third of the window's height from 720 px up, and the chart above keeps 40% of it
PROPERTIES_SHARE = 0.58  # of the right column, the rest for Find and History


def clamp(value: float, low: float, high: float) -> int:
    return int(max(low, min(value, high)))


@dataclass
class DockLayout:
    """The docks' home areas and tab groups, in the order they were added."""

    window: QMainWindow
    homes: dict[QDockWidget, Area] = field(default_factory=dict)
    groups: list[list[QDockWidget]] = field(default_factory=list)
    restored: set[QDockWidget] = field(default_factory=set)  # put back where the analyst
    # left them (saved state): not re-tabbed
    state_restored: bool = False  # the analyst's arrangement was read from the settings

    def __post_init__(self) -> None:
        # the right column runs the window's full height (Qt does not save corners)
        self.window.setCorner(Corner.BottomRightCorner, Area.RightDockWidgetArea)
        self.window.setCorner(Corner.TopRightCorner, Area.RightDockWidgetArea)

    # ----- the analyst's own arrangement --------------------------------------------------
    @staticmethod
    def first_run(settings: QSettings) -> bool:
        return settings.value("window/geometry") is None

    def restore(self, settings: QSettings) -> bool:
        """The window's size, place and dock arrangement as the analyst left them; the first
        time (False), the arrangement here."""
        geometry, state = settings.value("window/geometry"), settings.value("window/state")
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        if state is not None and self.window.restoreState(state):
            self.state_restored = True
            self.restored.update(self.homes)
        else:
            self.arrange()
        return self.state_restored

    def save(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.window.saveGeometry())
        settings.setValue("window/state", self.window.saveState())
        settings.sync()

    # ----- the first arrangement -----------------------------------------------------------
    def place(self, dock: QDockWidget, area: Area, tab_with: QDockWidget | None) -> None:
        """A new dock: where the analyst left it (saved state), else in ``area`` or as a tab
        beside ``tab_with``; either way that is its home for Reset Dock Layout."""
        self.homes[dock] = area
        if self.state_restored and self.window.restoreDockWidget(dock):
            self.restored.add(dock)
        elif tab_with is None:
            self.window.addDockWidget(area, dock)
        if tab_with is not None:
            self.tab(dock, tab_with)

    def tab(self, dock: QDockWidget, beside: QDockWidget) -> None:
        """Keep ``dock`` as a tab beside ``beside`` (added already), whose group it joins."""
        group = next((g for g in self.groups if beside in g), None)
        if group is None:
            self.groups.append([beside, dock])
        else:
            group.append(dock)
        if dock not in self.restored:
            # straight into the tab group: added side by side first, a row of docks would
            # widen the window past a laptop's screen to fit their least widths
            self.window.tabifyDockWidget(beside, dock)
            (group or [beside])[0].raise_()

    def arrange(self) -> None:
        """Every dock back to its home area, tabbed as at first, shown, then sized."""
        window = self.window
        size = window.size()
        shown = {dock for dock in self.homes if dock.isVisible() or not self._optional(dock)}
        # take every dock out first: one put back beside a tab group still in place would
        # stand side by side with it for a moment and widen the window for good
        for dock in self.homes:
            dock.setFloating(False)
            window.removeDockWidget(dock)
        tabbed = {dock for group in self.groups for dock in group[1:]}
        for dock, area in self.homes.items():
            if dock not in tabbed:
                window.addDockWidget(area, dock)
        for group in self.groups:
            for dock in group[1:]:
                window.tabifyDockWidget(group[0], dock)
        for dock in self.homes:
            dock.setVisible(dock in shown)
        for group in self.groups:
            group[0].raise_()
        window.resize(size)
        self.size()

    def size(self) -> None:
        """Give the docks working sizes for the window's present size."""
        window = self.window
        width, height = window.width(), window.height()
        right = [d for d, a in self.homes.items() if a == Area.RightDockWidgetArea
                 and not self._optional(d) and self._leads(d)]
        bottom = [d for d, a in self.homes.items() if a == Area.BottomDockWidgetArea
                  and self._leads(d)]
        if right:
            share, low, high = RIGHT_WIDTH
            window.resizeDocks(right[:1], [clamp(width * share, low, high)],
                               Qt.Orientation.Horizontal)
        if bottom:
            share, low = BOTTOM_HEIGHT
            window.resizeDocks(bottom[:1], [clamp(height * share, low, height * 0.5)],
                               Qt.Orientation.Vertical)
        if len(right) >= 2:
            column = max(height - 80, 200)  # less the menu, tool and status bars
            first = int(column * PROPERTIES_SHARE)
            window.resizeDocks(right[:2], [first, column - first], Qt.Orientation.Vertical)

    def _leads(self, dock: QDockWidget) -> bool:
        """First of its tab group, or in none: the dock whose size stands for the group."""
        return all(dock is group[0] or dock not in group for group in self.groups)

    @staticmethod
    def _optional(dock: QDockWidget) -> bool:
        """Result lists come and go with their analysis: Reset leaves them as they are."""
        return bool(dock.property("optional_dock"))
