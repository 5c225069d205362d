"""The menu bar and toolbar, built from the window's Actions.

Kept apart from the window so the order of entries is readable in one place. Menus that other
parts fill later (Open Recent, Layout, Analysis, the docks list) are returned as attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from workbench.ui.window.actions import Actions


@dataclass
class Menus:
    file: QMenu
    recent: QMenu
    export: QMenu
    edit: QMenu
    view: QMenu
    display: QMenu
    docks: QMenu
    layout: QMenu
    analysis: QMenu
    toolbar: QToolBar


def build_menus(window: QMainWindow, a: Actions) -> Menus:
    bar = window.menuBar()
    file = bar.addMenu("&File")
    file.addActions([a.new, a.open])
    recent = file.addMenu("Open &Recent")
    recent.setObjectName("recent_menu")
    file.addSeparator()
    file.addActions([a.save, a.save_as])
    file.addSeparator()
    file.addAction(a.import_data)
    export = file.addMenu("&Export")
    export.setObjectName("export_menu")
    # Shown only once something fills it: the menu lists only exports that work.
    file.aboutToShow.connect(lambda: export.menuAction().setVisible(not export.isEmpty()))
    file.addAction(a.export_report)
    file.addSeparator()
    file.addAction(a.chart_info)
    file.addSeparator()
    file.addActions([a.close_chart, a.quit])

    edit = bar.addMenu("&Edit")
    edit.addActions([a.undo, a.redo])
    edit.addSeparator()
    edit.addActions([a.cut, a.copy, a.copy_picture, a.paste, a.delete])
    edit.addSeparator()
    edit.addActions([a.select_all, a.select_linked, a.add_entity, a.link_mode])
    edit.addSeparator()
    edit.addAction(a.find)

    view = bar.addMenu("&View")
    view.addActions([a.zoom_in, a.zoom_out, a.zoom_fit, a.zoom_selection])
    view.addSeparator()
    view.addAction(a.formatting)
    display = view.addMenu("Chart &Display")
    view.addSeparator()
    view.addAction(a.send_to_timeline)
    docks = view.addMenu("&Docks")
    view.addAction(a.reset_docks)

    layout = bar.addMenu("&Layout")
    analysis = bar.addMenu("&Analysis")

    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("main_toolbar")
    toolbar.setIconSize(QSize(20, 20))
    toolbar.addActions([a.new, a.open, a.save])
    toolbar.addSeparator()
    toolbar.addActions([a.undo, a.redo])
    toolbar.addSeparator()
    toolbar.addActions([a.add_entity, a.link_mode, a.delete])
    toolbar.addSeparator()
    toolbar.addActions([a.zoom_fit, a.zoom_selection, a.find])
    window.addToolBar(toolbar)
    view.addAction(toolbar.toggleViewAction())
    return Menus(file, recent, export, edit, view, display, docks, layout, analysis, toolbar)
