"""Start the desktop application: ``workbench [CHART]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench import __version__

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

DEFAULT_LAYOUT = "force"


def make_application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Workbench")
    app.setOrganizationName("Workbench")
    app.setApplicationVersion(__version__)
    return app


def needs_layout(window: MainWindow) -> bool:
    """A chart whose entities all sit on one point (made by a script, no positions yet)."""
    points = {(e.x, e.y) for e in window.chart.entities.values()}
    return len(window.chart.entities) > 1 and len(points) == 1


def open_window(argv: Sequence[str], **window_options: object) -> MainWindow:
    """The shown main window, on the chart named in ``argv`` if any: laid out if it has no
    positions, zoomed to fit once the window has its real size, and offering work that a
    crashed session left behind."""
    from workbench.ui.main_window import MainWindow

    window = MainWindow(**window_options)
    window.show()
    paths = [a for a in argv if not a.startswith("-")]
    if paths and window.open_chart(paths[0]) and needs_layout(window):
        window.layouts.run(DEFAULT_LAYOUT)  # zooms to fit when it lands
    QTimer.singleShot(0, window.view.zoom_to_fit)
    QTimer.singleShot(0, window.autosave.offer_recovery)
    return window


def install_error_handler(window: MainWindow) -> None:
    """An unexpected error in a menu command is reported in a message and on stderr; the
    window keeps running (and unsaved work stays in the undo stack and the recovery file)."""
    import traceback

    from workbench.ui.file_ops import show_message

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
    app = make_application()
    window = open_window(argv)
    install_error_handler(window)
    return app.exec()
