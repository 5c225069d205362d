"""The heat matrix dock on the real route data: clicking a cell selects that route's links."""

from __future__ import annotations

from matplotlib.patches import Rectangle
from PySide6.QtCore import QPoint, Qt

from workbench.analysis import Field, Scale, Target
from workbench.model import Selection
from workbench.ui.docks.heatmatrix_dock import OUTLINE, HeatMatrixDock

from ...analysis.conftest import route_chart  # noqa: F401 (fixture)


def cell_point(dock: HeatMatrixDock, row: int, col: int) -> QPoint:
    dock.canvas.draw()
    x, y = dock._axes.transData.transform((col, row))
    ratio = dock.canvas.device_pixel_ratio
    return QPoint(int(x / ratio), int((dock.figure.bbox.height - y) / ratio))


def test_clicking_cells_selects_routes_and_outlines_them(qtbot, route_chart, tmp_path):  # noqa: F811
    selection = Selection()
    dock = HeatMatrixDock(route_chart, selection)
    qtbot.addWidget(dock)
    dock.resize(900, 800)
    dock.show()
    qtbot.waitExposed(dock)
    dock.choose(Field("from", Target.LINKS), Field("to", Target.LINKS), top=8,
                scale=Scale.LOG)
    matrix = dock.matrix
    assert (matrix.rows[0], matrix.columns[0]) == ("China", "South Africa")
    # UK spellings are one country, so it is a top destination
    r, c = matrix.rows.index("Vietnam"), matrix.columns.index("United Kingdom")
    with qtbot.waitSignal(dock.cell_clicked):
        qtbot.mouseClick(dock.canvas, Qt.MouseButton.LeftButton, pos=cell_point(dock, r, c))
    expected = {lid for lid, lk in route_chart.links.items()
                if route_chart.entities[lk.end1].label == "Vietnam"
                and route_chart.entities[lk.end2].label == "United Kingdom"}
    assert selection.links == expected and len(expected) == matrix.counts[r, c] > 0
    with qtbot.waitSignal(dock.cell_clicked):
        qtbot.mouseClick(dock.canvas, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ShiftModifier, cell_point(dock, 0, 0))
    assert selection.links == expected | set(matrix.ids(0, 0))
    outlined = [p for p in dock._axes.patches if isinstance(p, Rectangle)
                and not p.get_fill()]
    assert len(outlined) == 2
    assert all(p.get_edgecolor()[:3] == tuple(int(OUTLINE[i:i + 2], 16) / 255
                                              for i in (1, 3, 5)) for p in outlined)
    assert dock.export(tmp_path / "m.png").read_bytes().startswith(b"\x89PNG")
    assert "Vietnam" in dock.export(tmp_path / "m.svg").read_text()
    assert not dock.copy_to_clipboard().isNull()


def test_caller_by_hour_shows_all_24_hours(qtbot, route_chart):  # noqa: F811
    from ...analysis.conftest import DATA, build_call_chart

    dock = HeatMatrixDock(route_chart, Selection())
    qtbot.addWidget(dock)
    dock.set_chart(build_call_chart(DATA))
    dock.choose(Field("from", Target.LINKS), Field("date", Target.LINKS), column_bin="hour",
                top=10)
    assert dock.matrix.columns == [f"{h:02d}:00" for h in range(24)]
    assert dock.matrix.counts.sum() == 9834


def test_counting_only_the_selection(qtbot, route_chart):  # noqa: F811
    selection = Selection()
    dock = HeatMatrixDock(route_chart, selection)
    qtbot.addWidget(dock)
    dock.show()  # a dock out of sight counts when it is shown (test_unseen_docks.py)
    dock.choose(Field("from", Target.LINKS), Field("Year", Target.LINKS))
    dock.scope_box.setCurrentIndex(1)
    chosen = [lid for lid, lk in route_chart.links.items()
              if lk.attributes["Year"].value == 2012][:50]
    selection.set([], chosen)
    assert dock.matrix.counts.sum() == 50 and dock.matrix.columns == ["2012"]
    assert dock.matrix.title.endswith("(selection)")
