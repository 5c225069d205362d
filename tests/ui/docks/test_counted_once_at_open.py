"""A window opening on a chart counts it once, in the dock in front, after the window is shown
(issue 15: the 100,000-entity window counted the chart in every counting dock behind its tab,
the heat matrix for 4 s, and the histogram five times, before its first paint)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from workbench.io import save_chart
from workbench.model import Chart, Entity, Link
from workbench.ui.app import open_window
from workbench.ui.docks import heatmatrix_dock, histogram_dock, timewheel_dock


def spy(monkeypatch, module, name: str) -> list[str]:
    """The charts (by title) an analysis function the dock calls was run on (it still runs;
    the docks are made with the window's empty chart first)."""
    calls: list[str] = []
    real = getattr(module, name)

    def counted(chart, *args, **kwargs):
        if chart.title == "counted":
            calls.append(chart.title)
        return real(chart, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_only_the_dock_in_front_counts_the_opened_chart_once(qtbot, tmp_path, monkeypatch):
    chart = Chart("counted")
    chart.add_entities(Entity(f"e{i}", ("Person", "Phone", "Account")[i % 3], f"E {i}",
                              x=(i % 40) * 90.0, y=(i // 40) * 90.0) for i in range(1500))
    chart.add_links(Link(f"l{i}", f"e{i}", f"e{(i * 7 + 1) % 1500}", "Associate")
                    for i in range(1500))
    save_chart(chart, tmp_path / "counted.wbchart")
    histograms = spy(monkeypatch, histogram_dock, "histogram")
    matrices = spy(monkeypatch, heatmatrix_dock, "heat_matrix")
    wheels = spy(monkeypatch, timewheel_dock, "time_wheel")
    window = open_window([str(tmp_path / "counted.wbchart")],
                         settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                         recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    workspace = window.workspace
    qtbot.waitUntil(lambda: workspace.histogram.histogram is not None
                    and workspace.histogram.histogram.counted == 1500)
    qtbot.wait(300)  # anything else that would count has had its turn
    assert len(histograms) == 1
    assert matrices == [] and wheels == []  # behind the histogram's tab: not counted
    workspace.raise_dock(workspace.heat_matrix)  # brought forward: counted once, shown
    qtbot.waitUntil(lambda: len(matrices) == 1)
    qtbot.wait(200)
    assert len(matrices) == 1
    window.undo_stack.setClean()
