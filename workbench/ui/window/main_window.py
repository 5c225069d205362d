"""The main window: composes the chart canvas, docks, menus and status bar, and wires them.

The work itself lives elsewhere: file handling in file_ops, copy and paste in clipboard,
layouts in layout_runner, recovery files in autosave, editing in the docks. Every change to
the chart goes through the undo stack, so "modified" is simply "the stack is not clean".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QUndoView,
)

from workbench.model import Chart, Direction, Entity, Link, Selection
from workbench.ui.clipboard import ChartClipboard
from workbench.ui.commands import AddItemsCommand, MoveEntitiesCommand, RemoveItemsCommand
from workbench.ui.dialogs.add_entity_dialog import AddEntityDialog
from workbench.ui.docks.find_dock import FindDock
from workbench.ui.docks.properties_dock import PropertiesDock
from workbench.ui.document import Document, Feedback, Tools
from workbench.ui.window.actions import make_actions
from workbench.ui.window.autosave import Autosave
from workbench.ui.window.canvas import make_canvas, replace_scene
from workbench.ui.window.display_menu import ChartDisplay
from workbench.ui.window.dock_layout import DockLayout
from workbench.ui.window.export_actions import DataExport, PictureExport
from workbench.ui.window.file_ops import FOREIGN, FileOperations
from workbench.ui.window.layout_runner import LayoutRunner
from workbench.ui.window.menus import build_menus
from workbench.ui.wording import plural

Area = Qt.DockWidgetArea
ZOOM_STEP = 1.25  # View > Zoom In and Zoom Out: four steps double or halve the size


def dropped_files(mime: QMimeData) -> list[str]:
    return [u.toLocalFile() for u in (mime.urls() if mime.hasUrls() else []) if u.isLocalFile()]


def chart_file_of(mime: QMimeData) -> str:
    """The first local chart file (.wbchart, .graphml, .gexf, .anx) among dropped URLs."""
    return next((f for f in dropped_files(mime)
                 if f.lower().endswith((".wbchart", *FOREIGN))), "")


def importable_files_of(mime: QMimeData) -> list[str]:
    """Dropped spreadsheets (CSV, Excel) that the import wizard reads."""
    from workbench.ui.importing.import_support import is_importable

    return [f for f in dropped_files(mime) if is_importable(f)]


def counted_signals(chart: Chart) -> tuple:
    return (chart.entities_added, chart.entities_removed, chart.links_added,
            chart.links_removed)


def selection_text(n_entities: int, n_links: int) -> str:
    """'3 entities and 1 link selected' for the status bar."""
    parts = [plural(n, word) for n, word in ((n_entities, "entity"), (n_links, "link")) if n]
    return f"{' and '.join(parts)} selected" if parts else "nothing selected"


class MainWindow(QMainWindow):
    chart_replaced = Signal()  # after New, Open, Close or recovery: follow ``window.chart``

    def __init__(self, *, settings: QSettings | None = None,
                 recovery_dir: Path | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.chart = Chart()
        self.selection = Selection()
        self.undo_stack = self._make_undo_stack()
        self.document = Document(self, self.selection, self.undo_stack)  # what rooms get
        self.path: Path | None = None
        self._closing = False
        self._counted: Chart | None = None  # the chart whose counts the status bar shows
        self.dock_layout = DockLayout(self)
        self.setObjectName("main_window")

        self.files = FileOperations(self.document, self.settings, self.statusBar(), self,
                                    saved=self._saved_as, lay_out=lambda n: self.layouts.run(n))
        # what the helpers get instead of the window (which is their chart and canvas holder)
        self.tools = Tools(self.document, self, Feedback(self.statusBar(), self.files.show_error),
                           self)

        self.acts = make_actions(self, self.undo_stack)
        self.menus = build_menus(self, self.acts)
        self.analysis_menu = self.menus.analysis
        self.export_menu = self.menus.export
        self.pictures = PictureExport(self.tools)
        self.pictures.fill_menu(self.export_menu)
        self.data_export = DataExport(self.tools)
        self.data_export.fill_menu(self.export_menu)
        self.report_dialog: QDialog | None = None
        self.setAcceptDrops(True)
        self.clipboard = ChartClipboard(self.tools)
        self.layouts = LayoutRunner(self.tools)
        self.layouts.fill_menu(self.menus.layout)
        self.autosave = Autosave(self.tools, self.settings, recovery_dir)
        self.add_entity_dialog: AddEntityDialog | None = None
        self.formatting_dialog: QDialog | None = None
        self.chart_info_dialog: QDialog | None = None
        self.error_box: QMessageBox | None = None  # set by app.install_error_handler
        self._import_handler: Callable[[list[str]], object] | None = None

        self.scene, self.view = make_canvas(self.document, self)
        self.setCentralWidget(self.view)
        self._build_status_bar()
        self.properties = PropertiesDock(self.document, self)
        self.add_dock(self.properties, Area.RightDockWidgetArea)
        self.find_dock = FindDock(self.document, self, self)
        self.add_dock(self.find_dock, Area.RightDockWidgetArea)
        self.history = QDockWidget("History", self)
        self.history.setWidget(QUndoView(self.undo_stack))
        self.add_dock(self.history, Area.RightDockWidgetArea, tab_with=self.find_dock)

        self._connect_actions()
        self.display = ChartDisplay(self.tools, self.menus.display, self.settings, self.acts,
                                    self.properties.activate)
        self.display.apply()
        self.view.zoom_changed.connect(self._update_zoom)
        self.view.mode_changed.connect(lambda mode: self.acts.link_mode.setChecked(mode == "link"))
        self._follow_chart()
        room = self.screen().availableGeometry()  # first run's size, within a 1366x768 laptop
        self.resize(min(1280, int(room.width() * 0.95)), min(820, int(room.height() * 0.95)))
        # the first time, the docks are sized once the window has its real size
        self._size_docks_when_shown = not self.dock_layout.restore(self.settings)
        self.update_title()

    def _make_undo_stack(self) -> QUndoStack:
        stack = QUndoStack(self)
        stack.cleanChanged.connect(self.update_title)  # a method: dropped with the window
        return stack

    # ----- public API ----------------------------------------------------------------------
    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea, *,
                 tab_with: QDockWidget | None = None) -> None:
        """Add a dock that remembers its place, with an entry in View > Docks; ``tab_with``
        makes it a tab beside that dock (its home for View > Reset Dock Layout)."""
        if not dock.objectName():
            dock.setObjectName(f"dock_{dock.windowTitle().lower().replace(' ', '_')}")
        dock.setParent(self)
        self.dock_layout.place(dock, area, tab_with)
        self.menus.docks.addAction(dock.toggleViewAction())

    def show_as_before(self) -> None:
        """Show the window where the analyst left it; maximised the first time, so that the
        chart and the docks have a whole screen to share."""
        if self.dock_layout.first_run(self.settings):
            self.showMaximized()
        else:
            self.show()

    def set_import_handler(self, handler: Callable[[list[str]], object]) -> None:
        """What File > Import (Ctrl+I) and dropping spreadsheets on the window do: the import
        wizard plugs in here, called with the dropped files (none from the menu)."""
        self._import_handler = handler
        self.acts.import_data.triggered.connect(lambda: handler([]))
        self.acts.import_data.setEnabled(True)

    def open_chart(self, path: str | Path) -> bool:
        return self.files.open_chart(path)

    def save_chart(self, path: str | Path | None = None) -> bool:
        return self.files.save() if path is None else self.files.save_as(path)

    def replace_chart(self, chart: Chart, path: Path | None, *, modified: bool = False) -> None:
        """Show another chart: new canvas, empty selection and history, docks follow."""
        self.chart, self.path = chart, path
        self.selection.clear()
        self.undo_stack.clear()
        if modified:
            self.undo_stack.resetClean()
        self.scene = replace_scene(self.document, self, self)
        self._follow_chart()
        self.update_title()
        self.chart_replaced.emit()
        self.view.zoom_to_fit()

    def _saved_as(self, path: Path) -> None:
        self.path = path
        self.update_title()  # also when the stack was clean already: the name changed

    def update_title(self) -> None:
        modified = not self.undo_stack.isClean()
        self.setWindowTitle(f"{self.document.chart_name()}{'*' if modified else ''} - Workbench")

    # ----- wiring --------------------------------------------------------------------------
    def _connect_actions(self) -> None:
        a, files = self.acts, self.files
        a.new.triggered.connect(files.new_chart)
        a.open.triggered.connect(files.ask_open)
        a.save.triggered.connect(files.save)
        a.save_as.triggered.connect(lambda: files.ask_save_as())
        a.close_chart.triggered.connect(files.new_chart)
        a.chart_info.triggered.connect(self.edit_chart_info)
        a.quit.triggered.connect(self.close)
        a.import_data.setEnabled(False)  # until set_import_handler gives it something to do
        a.cut.triggered.connect(self.cut)
        a.copy.triggered.connect(self.clipboard.copy)
        a.copy_picture.triggered.connect(self.clipboard.copy_picture)
        a.export_report.triggered.connect(self.ask_report)
        a.paste.triggered.connect(self.clipboard.paste)
        a.delete.triggered.connect(self.delete_selection)
        a.select_all.triggered.connect(
            lambda: self.selection.set(self.chart.entities, self.chart.links))
        a.select_linked.triggered.connect(self.select_linked)
        a.add_entity.triggered.connect(self.ask_add_entity)
        a.link_mode.toggled.connect(
            lambda on: self.view.set_mode("link" if on else "select"))
        a.find.triggered.connect(self.find_dock.activate)
        a.zoom_in.triggered.connect(lambda: self.view.zoom_by(ZOOM_STEP))
        a.zoom_out.triggered.connect(lambda: self.view.zoom_by(1 / ZOOM_STEP))
        a.zoom_fit.triggered.connect(lambda: self.view.zoom_to_fit())
        a.reset_docks.triggered.connect(self.dock_layout.arrange)
        a.send_to_timeline.setEnabled(False)  # until the workspace adds the Timeline dock
        a.zoom_selection.triggered.connect(lambda: self.view.zoom_to_selection())
        a.formatting.triggered.connect(self.edit_formatting)
        self.menus.recent.aboutToShow.connect(self._fill_recent_menu)
        self.selection.changed.connect(self._selection_changed)
        self._selection_changed()

    def _follow_chart(self) -> None:
        """Connect the canvas and the chart's counts to the status bar (after every replace)."""
        chart = self.chart
        if self._counted is not None:
            for signal in counted_signals(self._counted):
                signal.disconnect(self._update_counts, missing_ok=True)
        self._counted = chart
        for signal in counted_signals(chart):
            signal.connect(self._update_counts)
        self.scene.entities_dragged.connect(self._entities_dragged)
        self.scene.link_requested.connect(self.add_link)
        self.scene.item_activated.connect(lambda _item: self.properties.activate())
        self._update_counts()
        self._update_zoom(self.view.zoom_level())

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.counts_label = QLabel()
        self.selection_label = QLabel()
        self.zoom_label = QLabel()
        for label in (self.counts_label, self.selection_label, self.zoom_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def _update_counts(self, *_args: object) -> None:
        self.counts_label.setText(
            f"{plural(len(self.chart.entities), 'entity')}, "
            f"{plural(len(self.chart.links), 'link')}")

    def _update_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"Zoom {zoom * 100:.0f}%")

    def _selection_changed(self) -> None:
        self.selection_label.setText(selection_text(len(self.selection.entities),
                                                    len(self.selection.links)))
        any_selected = bool(self.selection)
        for action in (self.acts.cut, self.acts.copy, self.acts.delete,
                       self.acts.select_linked):
            action.setEnabled(any_selected)
        self.acts.zoom_selection.setEnabled(any_selected)

    def _fill_recent_menu(self) -> None:
        menu = self.menus.recent
        menu.clear()
        for path in self.files.recent.paths():
            menu.addAction(Path(path).name, lambda p=path: self.files.open_recent(p)) \
                .setStatusTip(path)
        if menu.isEmpty():
            menu.addAction("(no recent charts)").setEnabled(False)

    # ----- editing -------------------------------------------------------------------------
    def _entities_dragged(self, old: dict, new: dict) -> None:
        self.undo_stack.push(MoveEntitiesCommand(self.chart, new, old, "Move"))

    def select_linked(self) -> None:
        """Grow the selection by one step: linked entities and the links to them."""
        entities, links = set(self.selection.entities), set(self.selection.links)
        for link_id in list(links):
            link = self.chart.link(link_id)
            entities.update((link.end1, link.end2))
        for entity_id in list(entities):
            for link in self.chart.links_of(entity_id):
                links.add(link.id)
                entities.add(link.other_end(entity_id))
        self.selection.set(entities, links)

    def cut(self) -> None:
        if self.clipboard.copy():
            self.delete_selection()

    def delete_selection(self) -> None:
        entities, links = sorted(self.selection.entities), sorted(self.selection.links)
        if not entities and not links:
            return
        self.selection.clear()
        count = len(entities) + len(links)
        self.undo_stack.push(RemoveItemsCommand(
            self.chart, entities, links, f"Delete {plural(count, 'item')}"))

    def add_link(self, end1: str, end2: str, type_name: str = "Associate") -> Link:
        """Link two entities (the canvas asks after a drag in link mode); undoable."""
        directed = self.chart.link_type(type_name).directed
        link = Link(self.chart.new_id("l"), end1, end2, type_name,
                    direction=Direction.FORWARD if directed else Direction.NONE)
        self.undo_stack.push(AddItemsCommand(self.chart, links=[link], text="Add link"))
        self.selection.set(links=[link.id])
        return link

    def ask_add_entity(self) -> None:
        self.add_entity_dialog = AddEntityDialog(self.chart, self)
        self.add_entity_dialog.entity_ready.connect(self.add_entity)
        self.add_entity_dialog.open()

    def add_entity(self, entity: Entity) -> None:
        """Place a new entity at the centre of the view (beside any already there), select it;
        undoable."""
        centre: QPointF = self.view.mapToScene(self.view.viewport().rect().center())
        x, y = round(centre.x(), 1), round(centre.y(), 1)
        taken = {(round(e.x / 40), round(e.y / 40)) for e in self.chart.entities.values()}
        while (round(x / 40), round(y / 40)) in taken:
            x += 60.0
        entity.x, entity.y = x, y
        self.undo_stack.push(AddItemsCommand(self.chart, [entity],
                                             text=f"Add {entity.type} {entity.label}"))
        self.selection.set([entity.id])

    def edit_chart_info(self) -> None:
        from workbench.ui.dialogs.chart_info_dialog import ChartInfoDialog

        self.chart_info_dialog = ChartInfoDialog(self.document, self)
        self.chart_info_dialog.open()

    def ask_report(self) -> None:
        from workbench.ui.dialogs.report_dialog import ReportDialog

        self.report_dialog = ReportDialog(self.document, self.statusBar(), self)
        self.report_dialog.open()

    def edit_formatting(self) -> None:
        from workbench.ui.dialogs.formatting_dialog import FormattingDialog

        self.formatting_dialog = FormattingDialog(self.document, self)
        self.formatting_dialog.open()

    # ----- window state --------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._size_docks_when_shown:  # once a maximised window has its screen's size
            self._size_docks_when_shown = False
            QTimer.singleShot(0, self, self.dock_layout.size)

    def save_window_state(self) -> None:
        self.dock_layout.save(self.settings)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if chart_file_of(mime) or (self._import_handler and importable_files_of(mime)):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A chart file dropped on the window opens (after asking about unsaved work);
        CSV and Excel files start the import wizard on them."""
        mime = event.mimeData()
        path = chart_file_of(mime)
        spreadsheets = importable_files_of(mime)
        if path:
            event.acceptProposedAction()
            self.files.open_recent(path)
        elif spreadsheets and self._import_handler is not None:
            event.acceptProposedAction()
            self._import_handler(spreadsheets)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing or self.undo_stack.isClean():
            self.layouts.cancel()
            self.data_export.close_jobs()  # exports and reports: cancelled, no part files
            self.save_window_state()
            self.autosave.close()
            event.accept()
            return
        event.ignore()

        def close_now() -> None:
            self._closing = True
            self.close()

        self.files.confirm_discard(close_now)
