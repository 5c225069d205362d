"""View > Chart Display, and the right-click menu on the chart.

The display choices (badges, frames, link labels, parallel links summarised, link width by a
measure) belong to the chart: they are kept in ``chart.settings["display"]``
(workbench/model/display.py) and saved in the file, so a colleague who opens it sees the same
chart. Each menu choice is one undo step (SetChartSettingCommand) that marks the chart
modified; the scene follows the chart's ``settings_changed`` and redraws itself, and this menu
follows it too, so its ticks are right after Undo, Redo and Open. Nothing is remembered in
QSettings: a new chart starts plain, on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QPoint, QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from workbench.model import Chart, Kind
from workbench.model.display import (
    COUNT,
    DEFAULT,
    SETTINGS_KEY,
    Display,
    DisplayError,
    chart_display,
)
from workbench.ui.commands import SetChartSettingCommand
from workbench.ui.document import Tools
from workbench.ui.window.actions import Actions

LINK_LABELS = (("label", "Link Labels"), ("type", "Link Types"), ("none", "No Link Labels"))
COUNT_TITLE = "Number of Links (summary lines)"
OLD_SETTINGS_GROUP = "display"  # where earlier versions kept these choices per machine


class ChartDisplay(QObject):
    def __init__(self, tools: Tools, menu: QMenu, settings: QSettings, actions: Actions,
                 show_properties: Callable[[], object]) -> None:
        super().__init__(tools.parent)
        self.document, self.canvas = tools.document, tools.canvas
        self.feedback, self.parent_widget = tools.feedback, tools.parent
        self.actions, self.show_properties = actions, show_properties
        self.context_menu: QMenu | None = None
        # other parts' entries for a clicked item: called with (item id, menu) as it opens
        self.context_extras: list[Callable[[str, QMenu], object]] = []
        self._chart: Chart | None = None
        # Earlier versions kept display choices per machine; they no longer apply to anything.
        settings.remove(OLD_SETTINGS_GROUP)

        self.frames = menu.addAction("Entity &Frames")
        self.frames.setCheckable(True)
        self.frames.triggered.connect(lambda on: self.change("Entity frames", frames=on))
        self.summary = menu.addAction("&Summarise Parallel Links")
        self.summary.setCheckable(True)
        self.summary.setStatusTip("several links between two entities as one line with a count")
        self.summary.triggered.connect(
            lambda on: self.change("Summarise parallel links", link_summary=on))
        self.fade = menu.addAction("Fade &Unselected")
        self.fade.setCheckable(True)
        self.fade.setStatusTip("while something is selected, draw everything else faint")
        self.fade.triggered.connect(lambda on: self.change("Fade unselected", fade_unselected=on))
        menu.addSeparator()
        group = QActionGroup(self)
        self.label_actions: dict[str, QAction] = {}
        for mode, title in LINK_LABELS:
            action = menu.addAction(title)
            action.setCheckable(True)
            action.triggered.connect(
                lambda _on=False, m=mode, t=title: self.change(t, link_labels=m))
            group.addAction(action)
            self.label_actions[mode] = action
        menu.addSeparator()
        self.badge_menu = menu.addMenu("&Badges")
        self.badge_menu.aboutToShow.connect(self._fill_badges)
        self.width_menu = menu.addMenu("Link &Width By")
        self.width_menu.aboutToShow.connect(self._fill_widths)
        self.document.chart_replaced.connect(self.apply)
        self.canvas.view.context_requested.connect(self.show_context_menu)

    # ----- the chart's display --------------------------------------------------------------
    @property
    def display(self) -> Display:
        """What the scene draws: the chart's display (plain if the chart's entry is bad)."""
        return self.canvas.scene.display

    @property
    def badges(self) -> list[str]:
        return list(self.display.badges)

    @property
    def width_attribute(self) -> str | None:
        return self.display.link_width

    def apply(self) -> None:
        """Follow the document's (new) chart: its display shows in the menu ticks."""
        chart = self.document.chart
        if self._chart is not chart:
            if self._chart is not None:
                self._chart.settings_changed.disconnect(self._settings_changed,
                                                        missing_ok=True)
            chart.settings_changed.connect(self._settings_changed)
            self._chart = chart
        self._show(self.display)
        if self.canvas.scene.display_error:
            self.feedback.say(self.canvas.scene.display_error, 10000)

    def _settings_changed(self, key: str) -> None:
        if key == SETTINGS_KEY:  # read from the chart: the scene may hear of it after us
            try:
                self._show(chart_display(self.document.chart))
            except DisplayError:
                self._show(DEFAULT)

    def _show(self, display: Display) -> None:
        self.frames.setChecked(display.frames)
        self.summary.setChecked(display.link_summary)
        self.fade.setChecked(display.fade_unselected)
        self.label_actions[display.link_labels].setChecked(True)

    def change(self, what: str, **changes: Any) -> None:
        """Change display choices as one undo step on the chart (nothing if none changes)."""
        old = self.display
        new = old.changed(**changes)
        if new == old:
            self._show(old)
            return
        value = None if new == DEFAULT else new.to_json()
        self.document.undo_stack.push(SetChartSettingCommand(
            self.document.chart, SETTINGS_KEY, value, text=f"Chart display: {what}"))

    def set_badges(self, names: list[str]) -> None:
        self.change("Badges", badges=list(names))

    def set_width_attribute(self, name: str | None) -> None:
        self.change("Link width", link_width=name)

    # ----- menus filled from the chart -----------------------------------------------------
    def _fill_badges(self) -> None:
        menu = self.badge_menu
        menu.clear()
        chosen = self.badges
        names = sorted({n for e in self.document.chart.entities.values() for n in e.attributes}
                       | set(chosen))
        for name in names:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in chosen)
            action.toggled.connect(lambda on, n=name: self.set_badges(
                [*self.badges, n] if on else [b for b in self.badges if b != n]))
        if not names:
            menu.addAction("(no entity attributes)").setEnabled(False)

    def _numeric_link_attributes(self) -> list[str]:
        return sorted({n for lk in self.document.chart.links.values()
                       for n, v in lk.attributes.items() if v.kind is Kind.NUMBER})

    def _fill_widths(self) -> None:
        menu = self.width_menu
        menu.clear()
        group = QActionGroup(menu)
        current = self.width_attribute
        names = [None, COUNT, *self._numeric_link_attributes()]
        if current is not None and current not in names:
            names.append(current)  # chosen in the file, though no link has it (now)
        for name in names:
            title = "(all the same)" if name is None else COUNT_TITLE if name == COUNT else name
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(name == current)
            if name == COUNT:
                action.setStatusTip("with Summarise Parallel Links: a line is wider the more "
                                    "links it stands for")
            action.triggered.connect(lambda _on=False, n=name: self.set_width_attribute(n))
            group.addAction(action)

    def show_context_menu(self, item_id: str, position: QPoint) -> QMenu:
        """What can be done with the clicked item (already selected by the view), or with
        the chart when the click was on empty space. Opens without blocking."""
        a = self.actions
        menu = QMenu(self.parent_widget)
        if item_id:
            menu.addAction("&Properties", self.show_properties)
            menu.addActions([a.select_linked, a.zoom_selection])
            if a.send_to_timeline.isEnabled():
                menu.addAction(a.send_to_timeline)
            menu.addSeparator()
            menu.addActions([a.cut, a.copy, a.delete])
            for extra in self.context_extras:
                extra(item_id, menu)
        else:
            menu.addActions([a.paste, a.add_entity, a.select_all])
            menu.addSeparator()
            menu.addAction(a.zoom_fit)
        self.context_menu = menu
        menu.popup(position)
        return menu
