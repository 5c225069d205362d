"""The window's exports and recovery files against locked-down files and a full disk, with
real widgets: File > Export (pictures, spreadsheets, other tools' charts), the map dock's
export, and autosave."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.conftest import REPO
from tests.full_disk import disk_full_after
from tests.ui.conftest import SAMPLE, make_window, settings_file, window  # noqa: F401
from workbench.ui.app import open_window
from workbench.ui.docks.map_dock import MapDock  # Qt WebEngine before the QApplication

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and limits")
TIMEOUT = 60_000
ROUTES = REPO / "sample_charts" / "trafficking-routes.wbchart"
OLD = b"yesterday's good file, for the owner's eyes only\n" * 200


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def locked(path: Path) -> Path:
    path.write_bytes(OLD)
    path.chmod(0o600)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def export(qtbot, window, path: Path, signal_name: str = "written") -> None:  # noqa: F811
    """Export ``path`` the way its menu item does; wait for a background export."""
    if path.suffix in (".png", ".svg", ".pdf", ".jpg"):
        with qtbot.waitSignal(getattr(window.pictures, signal_name), timeout=TIMEOUT):
            assert window.pictures.export(path)
        return
    data = window.data_export
    with qtbot.waitSignal(getattr(data, signal_name), timeout=TIMEOUT):
        if path.suffix in (".xlsx", ".csv"):
            assert data.export_spreadsheet(path)
        else:
            assert data.export_interchange(path)


FORMATS = [".xlsx", ".csv", ".graphml", ".gexf", ".anx", ".png", ".svg", ".pdf", ".jpg"]


def written_files(path: Path) -> list[Path]:
    if path.suffix == ".csv":
        return [path.with_name(f"{path.stem}-entities.csv"),
                path.with_name(f"{path.stem}-links.csv")]
    return [path]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_window_export_over_a_private_file_stays_private(qtbot, window, tmp_path,  # noqa: F811
                                                           suffix):
    window.open_chart(SAMPLE)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"victims{suffix}"
    files = [locked(p) for p in written_files(target)]
    export(qtbot, window, target)
    for path in files:
        assert path.read_bytes() != OLD and mode(path) == 0o600
    new = out / f"new{suffix}"
    with umask(0o077):  # a new file follows the umask
        export(qtbot, window, new)
    assert all(mode(p) == 0o600 for p in written_files(new))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name for p in [*files, *written_files(new)])  # no part file left


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_window_export_on_a_full_disk_keeps_the_old_file(qtbot, window, tmp_path,  # noqa: F811
                                                           suffix):
    window.open_chart(SAMPLE)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"victims{suffix}"
    files = [locked(p) for p in written_files(target)]
    with disk_full_after(len(OLD)):
        export(qtbot, window, target, "failed")
    message = window.files.message
    assert message.isVisible() and "File too large" in message.text()
    assert len(message.text().splitlines()) == 1
    for path in files:
        assert path.read_bytes() == OLD and mode(path) == 0o600
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files)


def test_the_map_export_keeps_a_private_file_private(qtbot, tmp_path, settings_file):  # noqa: F811
    window = open_window([str(ROUTES)], settings=QSettings(str(settings_file),  # noqa: F811
                                                           QSettings.Format.IniFormat),
                         recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    dock: MapDock = window.workspace.map
    dock.raise_()  # the map is drawn when its tab is first shown
    qtbot.waitUntil(lambda: dock.route_map is not None, timeout=TIMEOUT)
    out = tmp_path / "out"
    out.mkdir()
    for name in ("routes.html", "routes.png"):
        target = locked(out / name)
        with qtbot.waitSignal(dock.exported, timeout=TIMEOUT):
            dock.export_in_background(target, dpi=40)
        assert target.read_bytes() != OLD and mode(target) == 0o600
    assert sorted(p.name for p in out.iterdir()) == ["routes.html", "routes.png"]
    window.undo_stack.setClean()


def test_a_report_from_the_window_over_a_private_file_stays_private(qtbot, window, tmp_path):  # noqa: F811
    window.open_chart(SAMPLE)
    target = locked(tmp_path / "report.pdf")
    window.acts.export_report.trigger()
    dialog = window.report_dialog
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.written, timeout=TIMEOUT):
        assert dialog.export()
    assert target.read_bytes().startswith(b"%PDF") and mode(target) == 0o600


def test_recovery_files_are_private_to_the_user(make_window, tmp_path):  # noqa: F811
    folder = tmp_path / "recovery"
    folder.mkdir(mode=0o755)
    (folder / "old-session.json").write_text("{}")
    (folder / "old-session.json").chmod(0o644)
    chart = tmp_path / "private.wbchart"
    chart.write_bytes(SAMPLE.read_bytes())
    chart.chmod(0o600)
    with umask(0o022):
        window = make_window(folder)
        window.open_chart(chart)
        window.selection.set([next(iter(window.chart.entities))])
        window.properties.edit(label="unsaved work")
        assert window.autosave.save_now()
    assert mode(folder) == 0o700
    assert mode(window.autosave.chart_file) == 0o600
    assert mode(window.autosave.info_file) == 0o600
    assert mode(folder / "old-session.json") == 0o600


def test_heat_matrix_and_histogram_pictures_with_control_characters(qtbot, tmp_path):
    """The docks' Export: valid SVG whatever the labels hold, and a full disk keeps the old
    picture."""
    from lxml import etree

    from tests.hostile.payloads import CONTROL_PAYLOADS
    from workbench.analysis import Field, Target
    from workbench.model import Chart, Kind, Selection, Value
    from workbench.ui.docks.heatmatrix_dock import HeatMatrixDock
    from workbench.ui.docks.histogram_dock import HistogramDock

    chart = Chart()
    for text in CONTROL_PAYLOADS[:-1]:  # a lone surrogate never reaches a dock (import)
        chart.make_entity("Person", text, attributes={"seen in": Value(Kind.TEXT, text)})
    matrix = HeatMatrixDock(chart, Selection())
    qtbot.addWidget(matrix)
    matrix.choose(Field("label", Target.ENTITIES), Field("seen in", Target.ENTITIES))
    bars = HistogramDock(chart, Selection())
    qtbot.addWidget(bars)
    bars.choose(Field("label", Target.ENTITIES))
    for dock in (matrix, bars):
        target = tmp_path / f"{type(dock).__name__}.svg"
        dock.export(target)
        text = " ".join(etree.parse(str(target)).getroot().itertext())
        assert "bell" in text and "escape" in text
        locked(target)
        with pytest.raises(OSError, match="File too large"), disk_full_after(len(OLD)):
            dock.export(target)
        assert target.read_bytes() == OLD and mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["HeatMatrixDock.svg",
                                                          "HistogramDock.svg"]
