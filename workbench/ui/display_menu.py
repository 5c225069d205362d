"""View > Chart Display, and the right-click menu on the chart.

The display choices (badges, frames, link labels, parallel links summarised, link width by a
measure) are the scene's; this module offers them as menu entries, keeps the analyst's
choices across New and Open (a new chart gets a new scene, which starts plain) and remembers
the ones that do not depend on a chart's attributes in QSettings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from workbench.model import Kind

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

LINK_LABELS = (("label", "Link Labels"), ("type", "Link Types"), ("none", "No Link Labels"))


class ChartDisplay(QObject):
    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.badges: list[str] = []
        self.width_attribute: str | None = None
        self.context_menu: QMenu | None = None

        self.frames = menu.addAction("Entity &Frames")
        self.frames.setCheckable(True)
        self.frames.setChecked(self.settings.value("display/frames", False, type=bool))
        self.frames.toggled.connect(self._frames)
        self.summary = menu.addAction("&Summarise Parallel Links")
        self.summary.setCheckable(True)
        self.summary.setStatusTip("several links between two entities as one line with a count")
        self.summary.setChecked(self.settings.value("display/link_summary", False, type=bool))
        self.summary.toggled.connect(self._summary)
        menu.addSeparator()
        group = QActionGroup(self)
        self.label_actions: dict[str, QAction] = {}
        chosen = str(self.settings.value("display/link_labels", "label"))
        for mode, title in LINK_LABELS:
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(mode == chosen)
            action.triggered.connect(lambda _on=False, m=mode: self._link_labels(m))
            group.addAction(action)
            self.label_actions[mode] = action
        menu.addSeparator()
        self.badge_menu = menu.addMenu("&Badges")
        self.badge_menu.aboutToShow.connect(self._fill_badges)
        self.width_menu = menu.addMenu("Link &Width By")
        self.width_menu.aboutToShow.connect(self._fill_widths)
        window.chart_replaced.connect(self.apply)
        window.view.context_requested.connect(self.show_context_menu)

    # ----- applying ------------------------------------------------------------------------
    def apply(self) -> None:
        """Give the current scene every display choice (after New or Open too)."""
        scene, chart = self.window.scene, self.window.chart
        entity_attributes = {n for e in chart.entities.values() for n in e.attributes}
        self.badges = [b for b in self.badges if b in entity_attributes]
        if self.width_attribute not in self._numeric_link_attributes():
            self.width_attribute = None
        # Each setter redraws every item (seconds for 30,000): call only those that change.
        if scene.options.frames != self.frames.isChecked():
            scene.set_frames(self.frames.isChecked())
        if scene.link_summary() != self.summary.isChecked():
            scene.set_link_summary(self.summary.isChecked())
        mode = next((m for m, a in self.label_actions.items() if a.isChecked()), "label")
        if scene.options.link_labels != mode:
            scene.set_link_labels(mode)
        if tuple(scene.options.badges) != tuple(self.badges):
            scene.set_badges(self.badges)
        if self.width_attribute is not None:  # a new scene starts with even widths
            scene.set_link_width_attribute(self.width_attribute)

    def _frames(self, on: bool) -> None:
        self.settings.setValue("display/frames", on)
        self.window.scene.set_frames(on)

    def _summary(self, on: bool) -> None:
        self.settings.setValue("display/link_summary", on)
        self.window.scene.set_link_summary(on)

    def _link_labels(self, mode: str) -> None:
        self.settings.setValue("display/link_labels", mode)
        self.window.scene.set_link_labels(mode)

    def set_badges(self, names: list[str]) -> None:
        self.badges = list(names)
        self.window.scene.set_badges(self.badges)

    def set_width_attribute(self, name: str | None) -> None:
        self.width_attribute = name
        self.window.scene.set_link_width_attribute(name)

    # ----- menus filled from the chart -----------------------------------------------------
    def _fill_badges(self) -> None:
        menu = self.badge_menu
        menu.clear()
        names = sorted({n for e in self.window.chart.entities.values() for n in e.attributes})
        for name in names:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in self.badges)
            action.toggled.connect(lambda on, n=name: self.set_badges(
                [*self.badges, n] if on else [b for b in self.badges if b != n]))
        if not names:
            menu.addAction("(no entity attributes)").setEnabled(False)

    def _numeric_link_attributes(self) -> list[str]:
        return sorted({n for lk in self.window.chart.links.values()
                       for n, v in lk.attributes.items() if v.kind is Kind.NUMBER})

    def _fill_widths(self) -> None:
        menu = self.width_menu
        menu.clear()
        group = QActionGroup(menu)
        for name in [None, *self._numeric_link_attributes()]:
            action = menu.addAction(name or "(all the same)")
            action.setCheckable(True)
            action.setChecked(name == self.width_attribute)
            action.triggered.connect(lambda _on=False, n=name: self.set_width_attribute(n))
            group.addAction(action)

    def show_context_menu(self, item_id: str, position: QPoint) -> QMenu:
        """What can be done with the clicked item (already selected by the view), or with
        the chart when the click was on empty space. Opens without blocking."""
        a = self.window.acts
        menu = QMenu(self.window)
        if item_id:
            menu.addAction("&Properties", self.window.properties.activate)
            menu.addActions([a.select_linked, a.zoom_selection])
            menu.addSeparator()
            menu.addActions([a.cut, a.copy, a.delete])
        else:
            menu.addActions([a.paste, a.add_entity, a.select_all])
            menu.addSeparator()
            menu.addAction(a.zoom_fit)
        self.context_menu = menu
        menu.popup(position)
        return menu
