"""The window's actions (menu entries and toolbar buttons), made in one place.

Actions are created here, not in the menus, so that the menu bar, the toolbar and the
keyboard share one QAction each: disabling "Delete" when nothing is selected greys out the
menu entry and the toolbar button together. The window connects ``triggered`` to its slots.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import qtawesome as qta
from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

Key = QKeySequence.StandardKey


def _icon(name: str) -> QIcon:
    return qta.icon(name, color="#37474f")


def _action(parent: QWidget, text: str, *, icon: str = "", shortcut: QKeySequence | Key |
            str | list[QKeySequence] | None = None, tip: str = "",
            checkable: bool = False) -> QAction:
    action = QAction(text, parent)
    if icon:
        action.setIcon(_icon(icon))
    if isinstance(shortcut, list):
        action.setShortcuts(shortcut)
    elif shortcut is not None:
        action.setShortcut(shortcut if not isinstance(shortcut, str) else QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(f"{text.replace('&', '').rstrip('.')}: {tip}")
    action.setCheckable(checkable)
    return action


@dataclass
class Actions:
    """Every window action by name; ``undo``/``redo`` come from the undo stack itself."""

    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    import_data: QAction
    export_report: QAction
    chart_info: QAction
    close_chart: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    cut: QAction
    copy: QAction
    copy_picture: QAction
    paste: QAction
    delete: QAction
    select_all: QAction
    select_linked: QAction
    add_entity: QAction
    link_mode: QAction
    find: QAction
    zoom_in: QAction
    zoom_out: QAction
    zoom_fit: QAction
    zoom_selection: QAction
    formatting: QAction
    reset_docks: QAction
    send_to_timeline: QAction

    def all(self) -> list[QAction]:
        return [getattr(self, f.name) for f in fields(self)]


def make_actions(parent: QWidget, undo_stack: QUndoStack) -> Actions:
    undo = undo_stack.createUndoAction(parent, "&Undo")
    undo.setShortcut(Key.Undo)
    undo.setIcon(_icon("mdi6.undo"))
    redo = undo_stack.createRedoAction(parent, "&Redo")
    redo.setShortcut(Key.Redo)
    redo.setIcon(_icon("mdi6.redo"))
    return Actions(
        new=_action(parent, "&New Chart", icon="mdi6.file-outline", shortcut=Key.New,
                    tip="start an empty chart"),
        open=_action(parent, "&Open...", icon="mdi6.folder-open-outline", shortcut=Key.Open,
                     tip="open a .wbchart file"),
        save=_action(parent, "&Save", icon="mdi6.content-save-outline", shortcut=Key.Save,
                     tip="save the chart"),
        save_as=_action(parent, "Save &As...", shortcut=Key.SaveAs,
                        tip="save the chart under a new name"),
        import_data=_action(parent, "&Import...", icon="mdi6.table-arrow-right",
                            shortcut="Ctrl+I", tip="import rows from CSV or Excel files"),
        export_report=_action(parent, "Export &Report...", icon="mdi6.file-document-outline",
                              shortcut="Ctrl+Shift+R",
                              tip="a Word (DOCX) or PDF report: title page, chart, counts, "
                                  "tables and sources, with the protective marking"),
        chart_info=_action(parent, "Chart P&roperties...", icon="mdi6.information-outline",
                           tip="title, author, protective marking, description"),
        close_chart=_action(parent, "&Close Chart", shortcut=Key.Close,
                            tip="close this chart and start an empty one"),
        quit=_action(parent, "&Quit", shortcut=Key.Quit, tip="close Workbench"),
        undo=undo,
        redo=redo,
        cut=_action(parent, "Cu&t", icon="mdi6.content-cut", shortcut=Key.Cut,
                    tip="copy the selected items and delete them"),
        copy=_action(parent, "&Copy", icon="mdi6.content-copy", shortcut=Key.Copy,
                     tip="copy the selected items (paste them into any chart)"),
        copy_picture=_action(parent, "Copy as &Picture", icon="mdi6.image-outline",
                             shortcut="Ctrl+Shift+C",
                             tip="the chart, or the selected items, as a picture to paste "
                                 "into a document (bitmap, SVG and PDF)"),
        paste=_action(parent, "&Paste", icon="mdi6.content-paste", shortcut=Key.Paste,
                      tip="paste items; entities with the same identity merge"),
        delete=_action(parent, "&Delete", icon="mdi6.delete-outline",
                       shortcut=[QKeySequence(Key.Delete), QKeySequence("Backspace")],
                       tip="delete the selected items and the links of deleted entities"),
        select_all=_action(parent, "Select &All", shortcut=Key.SelectAll),
        select_linked=_action(parent, "Select &Linked", shortcut="Ctrl+Shift+L",
                              tip="add the entities linked to the selection, and the links"),
        add_entity=_action(parent, "Add &Entity...", icon="mdi6.plus-circle-outline",
                           shortcut="Ctrl+E", tip="add an entity of a chosen type"),
        link_mode=_action(parent, "Draw &Links", icon="mdi6.vector-line", shortcut="Ctrl+L",
                          tip="drag from one entity to another to link them", checkable=True),
        find=_action(parent, "&Find...", icon="mdi6.magnify", shortcut=Key.Find,
                     tip="find entities and links by label, attribute or identity"),
        zoom_in=_action(parent, "Zoom &In", icon="mdi6.magnify-plus-outline",
                        shortcut=[QKeySequence(Key.ZoomIn), QKeySequence("Ctrl+=")],
                        tip="show the chart bigger, around the centre of the view"),
        zoom_out=_action(parent, "Zoom &Out", icon="mdi6.magnify-minus-outline",
                         shortcut=Key.ZoomOut, tip="show more of the chart, smaller"),
        zoom_fit=_action(parent, "Zoom to &Fit", icon="mdi6.fit-to-screen-outline",
                         shortcut="Ctrl+0", tip="show the whole chart"),
        zoom_selection=_action(parent, "Zoom to &Selection", icon="mdi6.selection-search",
                               shortcut="Ctrl+9", tip="show the selected items"),
        formatting=_action(parent, "Conditional &Formatting...", icon="mdi6.palette-outline",
                           tip="colour, resize or hide items by attribute value"),
        reset_docks=_action(parent, "&Reset Dock Layout",
                            tip="every dock back in its first place, at a working size"),
        send_to_timeline=_action(parent, "Send to &Timeline", icon="mdi6.chart-timeline",
                                 shortcut="Ctrl+Shift+T",
                                 tip="a theme line on the Timeline for each selected entity"),
    )
