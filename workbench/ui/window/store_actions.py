"""The investigation store in the window: File > Open Store..., File > Open Shared Store...
(a PostgreSQL URL), File > Recent Stores, the Store dock, "Expand from Store..." on an
entity's right-click menu, and "Show Each Link" on a connection's (a link of a chart drawn
from the store standing for several store links: it is replaced by them, read off the GUI
thread, as one undo step). Such a line carries only its first source record: the Properties
dock reads its first 20 from the store open here, off the GUI thread, when asked.

File > Save Decisions to Store... writes the pairs accepted (merged) and rejected in a chart
drawn from a store into that store, after a confirmation: a write to the store that Edit >
Undo does not take back, after which every chart drawn from it follows them. A shared store
that the Store dock has open is written with the dock's password; one it does not (the chart
came from another store, or the dock was closed) asks for it in the Open Shared Store
dialog, its address fixed to the chart's store.

``install_store(window)`` adds them all to a main window (the workspace does it). The store
open is the dock's; its name shows in the dock's title. Recent stores are kept in the
settings beside the recent charts; a shared store is kept as its URL without password, and
opening it again asks for the password (empty when PGPASSWORD or ~/.pgpass gives it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from workbench.model import Chart, SourceRecord
from workbench.resolve.decisions import current_user, now
from workbench.store import SUFFIX, Decision
from workbench.store.address import is_url, short_name
from workbench.store.charting import SETTING
from workbench.store.connections import is_connection
from workbench.store.decisions import chart_decisions, chart_store_file
from workbench.store.interface import ACCEPTED
from workbench.ui.background import snapshot
from workbench.ui.commands import AddFromStoreCommand, RemoveItemsCommand
from workbench.ui.dialogs.shared_store_dialog import SharedStoreDialog
from workbench.ui.docks.store_dock import StoreDock
from workbench.ui.docks.store_expand import ExpandDialog
from workbench.ui.docks.store_work import (
    Gathered,
    connection_snapshot,
    each_link,
    first_records,
    save_decisions,
)
from workbench.ui.window.file_ops import MAX_RECENT, RecentFiles
from workbench.ui.wording import plural

if TYPE_CHECKING:
    from workbench.ui.window.main_window import MainWindow

STORE_FILTER = f"Workbench stores (*{SUFFIX})"


class RecentStores(RecentFiles):
    KEY = "stores/recent"

    def add(self, path: Path | str) -> None:
        """A file by its full path; a shared store by its URL (already without password)."""
        if isinstance(path, str) and is_url(path):
            self.settings.setValue(self.KEY, [path, *[p for p in self.paths() if p != path]]
                                   [:MAX_RECENT])
        else:
            super().add(Path(path))


class StoreActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dock = StoreDock(window.document, window, window.tools.feedback, window)
        window.add_dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea,
                        tab_with=window.find_dock)
        self.recent = RecentStores(window.settings)
        self.file_dialog: QFileDialog | None = None
        self.shared_dialog: SharedStoreDialog | None = None
        self.password_dialog: SharedStoreDialog | None = None
        self.expand_dialog: ExpandDialog | None = None
        file_menu, before = window.menus.file, window.acts.import_data
        self.open_action = file_menu.addAction("Open S&tore...")
        self.open_action.setStatusTip(f"open an investigation store ({SUFFIX}) to search and "
                                      "draw charts from")
        self.open_action.triggered.connect(self.ask_open)
        file_menu.insertAction(before, self.open_action)
        self.open_shared_action = file_menu.addAction("Open S&hared Store...")
        self.open_shared_action.setStatusTip("open a store shared on a PostgreSQL server "
                                             "(postgresql://analyst@server/database)")
        self.open_shared_action.triggered.connect(lambda: self.ask_open_shared())
        file_menu.insertAction(before, self.open_shared_action)
        self.recent_menu = QMenu("Recent St&ores", file_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.insertMenu(before, self.recent_menu)
        self.save_decisions_action = file_menu.addAction("Save &Decisions to Store...")
        self.save_decisions_action.setStatusTip(
            "keep the pairs accepted and rejected in Find Duplicates in the store this chart "
            "was drawn from, for every chart drawn from it later")
        self.save_decisions_action.triggered.connect(self.ask_save_decisions)
        file_menu.insertAction(before, self.save_decisions_action)
        self.confirm: QMessageBox | None = None
        file_menu.insertSeparator(before)
        self.dock.store_changed.connect(self._opened)
        window.display.context_extras.append(self._context_entry)
        window.properties.store_records.reader = self  # a line's first records, from it
        self.dock.store_changed.connect(window.properties.refresh)

    def ask_open(self) -> None:
        recent = self.recent.paths()
        folder = str(Path(recent[0]).parent) if recent else str(Path.home())
        dialog = QFileDialog(self.window, "Open store", folder, STORE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.dock.open_store)
        self.file_dialog = dialog
        dialog.open()

    def ask_open_shared(self, url: str = "") -> SharedStoreDialog:
        dialog = SharedStoreDialog(self.window, url)
        dialog.chosen.connect(self.dock.open_store)
        self.shared_dialog = dialog
        dialog.open()
        return dialog

    def _opened(self) -> None:
        if self.dock.source is not None:
            location = self.dock.source.location
            self.recent.add(location if is_url(location) else Path(location))

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for path in self.recent.paths():
            menu.addAction(short_name(path), lambda p=path: self.open_recent(p)) \
                .setStatusTip(path)
        if menu.isEmpty():
            menu.addAction("(no recent stores)").setEnabled(False)

    def open_recent(self, path: str) -> None:
        """Open a recent store; one that is gone leaves the list (and says so). A shared
        store asks for its password first."""
        if is_url(path):
            self.ask_open_shared(path)
            return
        if not Path(path).is_file():
            self.recent.remove(path)
        self.dock.open_store(path)

    def _context_entry(self, item_id: str, menu: QMenu) -> None:
        chart = self.window.chart
        if is_connection(chart, item_id):
            menu.addSeparator()
            action = menu.addAction("Show &Each Link", lambda: self.show_each_link(item_id))
            action.setEnabled(self.ready(chart))
            action.setStatusTip(
                "put the store links this line stands for in its place" if action.isEnabled()
                else "open the store this chart was drawn from first (File > Open Store...)")
        if item_id not in chart.entities:
            return
        menu.addSeparator()
        action = menu.addAction("E&xpand from Store...", lambda: self.expand(item_id))
        action.setEnabled(self.dock.source is not None)
        if self.dock.source is None:
            action.setStatusTip("open a store first (File > Open Store...)")

    def expand(self, entity_id: str) -> ExpandDialog | None:
        """Preview, then add, an entity's neighbourhood in the open store."""
        if self.dock.source is None or entity_id not in self.window.chart.entities:
            return None
        self.expand_dialog = ExpandDialog(self.dock, entity_id, self.window)
        self.expand_dialog.open()
        return self.expand_dialog

    def show_each_link(self, link_id: str) -> None:
        """Replace a connection by the store links it stands for, read on a worker, as one
        undo step; a connection of too many is refused with the count (store/connections.py)."""
        source, chart = self.dock.source, self.window.chart
        if source is None or link_id not in chart.links:
            return
        copy, label = snapshot(chart), chart.links[link_id].label
        text = f"Show each link of {label}"

        def done(found: Gathered) -> None:
            feedback = self.window.tools.feedback
            if (self.window.chart is not chart or link_id not in chart.links
                    or any(lk.id in chart.links or lk.id in chart.entities
                           for lk in found.links)):
                feedback.show_error("Show Each Link", "The chart changed while the store was "
                                    "read: nothing was shown. Try again.")
                return
            stack = self.window.document.undo_stack
            stack.beginMacro(text)
            stack.push(RemoveItemsCommand(chart, (), [link_id], text))
            stack.push(AddFromStoreCommand(chart, [], found.links, SETTING, found.setting,
                                           text))
            stack.endMacro()
            self.window.document.selection.set(links=[lk.id for lk in found.links])
            feedback.say(f"{plural(len(found.links), 'store link')} in place of {label}",
                         10000)

        self.dock.runner.run(f"reading {source.name}",
                             partial(each_link, source, copy, link_id), done)

    def ready(self, chart: Chart) -> bool:
        """The store open is the one ``chart`` was drawn from (the Properties dock reads a
        line's source records from it)."""
        source = self.dock.source
        return source is not None and source.is_source_of(chart)

    def read(self, chart: Chart, link_id: str, limit: int,
             done: Callable[[list[SourceRecord]], None]) -> None:
        """A connection's first ``limit`` source records, read on a worker."""
        source = self.dock.source
        if source is None or link_id not in chart.links:
            return
        self.dock.runner.run(f"reading {source.name}", partial(
            first_records, source, connection_snapshot(chart, link_id), link_id, limit), done)

    def ask_save_decisions(self) -> QMessageBox | None:
        """Confirm, then write the chart's decisions into the store it was drawn from."""
        chart, feedback = self.window.chart, self.window.tools.feedback
        location = chart_store_file(chart)
        if location is None:
            feedback.show_error("Save Decisions to Store", "This chart was not drawn from a "
                                "store: there is no store to save its decisions in.")
            return None
        decided = chart_decisions(chart, current_user(), now())
        if not decided:
            feedback.say("No pair of store entities was accepted or rejected in this chart",
                         8000)
            return None
        accepted = sum(d.decision == ACCEPTED for d in decided)
        box = QMessageBox(QMessageBox.Icon.Question, "Save Decisions to Store",
                          f"Save {accepted} accepted and {len(decided) - accepted} rejected "
                          f"pair(s) into {short_name(location)}?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                          self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Every chart drawn from the store later shows an accepted pair "
                               "as one entity and never offers a rejected pair again. "
                               "Edit > Undo does not take this back.")
        box.finished.connect(lambda _result: self._answered(box, location, decided))
        self.confirm = box
        box.open()
        return box

    def _answered(self, box: QMessageBox, location: str, decided: list[Decision]) -> None:
        if box.standardButton(box.clickedButton()) != QMessageBox.StandardButton.Save:
            return
        source = self.dock.source
        if source is not None and source.location == location:
            self._save(location, source.password, decided)
        elif is_url(location):
            self.password_dialog = SharedStoreDialog(self.window, location,
                                                     fixed="Save Decisions to Store")
            self.password_dialog.chosen.connect(
                lambda _url, secret: self._save(location, secret, decided))
            self.password_dialog.open()
        else:
            self._save(location, None, decided)

    def _save(self, location: str, password: str | None, decided: list[Decision]) -> None:
        feedback = self.window.tools.feedback
        self.dock.runner.run(
            f"saving decisions to {short_name(location)}",
            partial(save_decisions, location, password, decided),
            lambda written: feedback.say(f"Saved {written} decision(s) to "
                                         f"{short_name(location)}", 10000))


def install_store(window: MainWindow) -> StoreActions:
    return StoreActions(window)
