"""Start the desktop application: ``workbench [CHART]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.view.collector import GuiThreadCollector

if TYPE_CHECKING:
    from workbench.ui.window.main_window import MainWindow

DEFAULT_LAYOUT = "force"


def make_application(argv: Sequence[str] = ()) -> QApplication:
    # Qt WebEngine (the map dock) must be loaded before the application object exists.
    import workbench.ui.docks.map_dock  # noqa: F401

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Workbench")
    app.setOrganizationName("Workbench")
    app.setApplicationVersion(__version__)
    if app.findChild(GuiThreadCollector) is None:  # workers must never destroy Qt objects
        GuiThreadCollector(app)
    return app


def open_window(argv: Sequence[str], **window_options: object) -> MainWindow:
    """The shown main window with its workspace (docks, analysis, import, start page), on the
    chart named in ``argv`` if any: laid out if it has no positions, zoomed to fit once the
    window has its real size, and offering work that a crashed session left behind. With no
    chart the start page shows."""
    from workbench.layout import needs_layout
    from workbench.ui.window.main_window import MainWindow
    from workbench.ui.window.workspace import Workspace

    window = MainWindow(**window_options)
    window.workspace = Workspace(window)
    paths = [a for a in argv if not a.startswith("-")]
    # The chart is opened before the window is shown, so that the docks out of sight count
    # it without drawing, and the one in front draws once, for this chart.
    if not paths:
        window.workspace.show_start_page()
    elif window.open_chart(paths[0]) and needs_layout(window.chart):
        window.layouts.run(DEFAULT_LAYOUT)  # zooms to fit when it lands
    window.show_as_before()  # maximised the first time
    QTimer.singleShot(0, window.view.zoom_to_fit)
    QTimer.singleShot(0, window.autosave.offer_recovery)
    return window


def install_error_handler(window: MainWindow) -> None:
    """An unexpected error in a menu command is reported in a message and on stderr; the
    window keeps running (and unsaved work stays in the undo stack and the recovery file)."""
    import traceback

    from workbench.ui.document import show_message

    def report(kind: type[BaseException], error: BaseException, tb: object) -> None:
        traceback.print_exception(kind, error, tb)  # type: ignore[arg-type]
        if issubclass(kind, KeyboardInterrupt):
            return
        window.error_box = show_message(
            window, "Unexpected error",
            f"Workbench ran into an unexpected problem and did not finish that command: "
            f"{kind.__name__}: {error}\n\nYour chart is still open. Please save your work "
            "and report the problem with the details printed in the terminal.")

    sys.excepthook = report


def run_app(argv: Sequence[str]) -> int:
    """``workbench [CHART]``: run the window until it is closed."""
    from workbench.ui.clipboard import hand_clipboard_to_qt

    app = make_application()
    window = open_window(argv)
    install_error_handler(window)
    code = app.exec()
    hand_clipboard_to_qt()
    # Delete the window (and its web pages) while the application still exists: Qt WebEngine
    # crashes if a page outlives its profile at exit.
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code
