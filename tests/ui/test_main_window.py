from workbench.ui.main_window import MainWindow

from ..conftest import REPO

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"


def test_window_opens_a_chart_and_names_it(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_chart(SAMPLE)
    assert window.windowTitle().startswith("nov13-network.wbchart")
    assert len(window.chart.entities) == 132


def test_damaged_chart_shows_the_reason_and_keeps_the_old_chart(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append(text))
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_chart(SAMPLE)
    bad = tmp_path / "bad.wbchart"
    bad.write_bytes(b"junk")
    assert not window.open_chart(bad)
    assert shown and "bad.wbchart: not a Workbench chart file" in shown[0]
    assert len(window.chart.entities) == 132
