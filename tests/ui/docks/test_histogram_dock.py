"""The histogram dock driven as an analyst drives it: real route data, real clicks on bars."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from workbench.analysis import Field, SortBy, Target
from workbench.io import load_chart
from workbench.model import Direction, Link, Selection
from workbench.ui.docks.histogram_dock import HistogramDock

from ...analysis.conftest import SAMPLE, route_chart  # noqa: F401 (fixture)


@pytest.fixture
def nov13_chart():
    return load_chart(SAMPLE)


def bar_point(dock: HistogramDock, index: int) -> QPoint:
    """Where bar ``index`` is on screen, in the canvas's own coordinates."""
    dock.canvas.draw()
    plot = dock._plot
    xy = (plot.axes.get_xlim()[1] * 0.02, index) if plot.horizontal else (index, 1)
    x, y = plot.axes.transData.transform(xy)
    ratio = dock.canvas.device_pixel_ratio
    return QPoint(int(x / ratio), int((dock.figure.bbox.height - y) / ratio))


def make_dock(qtbot, chart, selection=None) -> HistogramDock:
    dock = HistogramDock(chart, Selection() if selection is None else selection)
    qtbot.addWidget(dock)
    dock.resize(700, 900)
    dock.show()
    qtbot.waitExposed(dock)
    return dock


def test_clicking_a_bar_selects_its_links_and_shift_click_adds(qtbot, route_chart):  # noqa: F811
    selection = Selection()
    dock = make_dock(qtbot, route_chart, selection)
    dock.choose(Field("from", Target.LINKS), top=10)
    hist = dock.histogram
    assert hist.bars[0].label == "China"
    with qtbot.waitSignal(dock.bar_clicked):
        qtbot.mouseClick(dock.canvas, Qt.MouseButton.LeftButton, pos=bar_point(dock, 0))
    china = {lid for lid, lk in route_chart.links.items()
             if route_chart.entities[lk.end1].label == "China"}
    assert selection.links == china and not selection.entities
    with qtbot.waitSignal(dock.bar_clicked):
        qtbot.mouseClick(dock.canvas, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ShiftModifier, bar_point(dock, 1))
    assert selection.links == china | set(hist.bars[1].ids)
    # the selected part of each bar is drawn in orange, as long as the bar
    orange = [p for p in dock._plot.axes.patches if p.get_facecolor()[:3] == (
        0xe8 / 255, 0x77 / 255, 0x2e / 255)]
    assert [p.get_width() for p in orange[:3]] == [hist.bars[0].value, hist.bars[1].value, 0]


def test_the_histogram_follows_chart_changes_live(qtbot, nov13_chart):
    dock = make_dock(qtbot, nov13_chart)
    dock.choose(Field("type"))
    assert dock.histogram.rows() == [("Person", 84.0), ("Event", 29.0), ("Location", 19.0)]
    nov13_chart.make_entity("Location", "Saint-Denis stadium gate D")
    qtbot.waitUntil(lambda: dict(dock.histogram.rows())["Location"] == 20.0, timeout=2000)
    people = [e.id for e in nov13_chart.entities.values() if e.type == "Person"][:5]
    nov13_chart.remove_entities(people)
    qtbot.waitUntil(lambda: dict(dock.histogram.rows())["Person"] == 79.0, timeout=2000)


def test_selection_scope_and_new_attributes_appear(qtbot, nov13_chart):
    from workbench.model import Kind, Value

    selection = Selection()
    dock = make_dock(qtbot, nov13_chart, selection)
    dock.scope_box.setCurrentIndex(1)
    events = [e.id for e in nov13_chart.entities.values() if e.type == "Event"][:4]
    selection.set(events)
    assert dock.histogram.rows() == [("Event", 4.0)]
    assert dock.histogram.title == "Entities by type (selection)"
    nov13_chart.update_entity(events[0], attributes={"Victims": Value(Kind.NUMBER, 130)})
    qtbot.waitUntil(lambda: dock.field_box.findText("Entity: Victims") >= 0, timeout=2000)


def test_dates_are_binned_in_time_order(qtbot, nov13_chart):
    from datetime import datetime

    a, b = list(nov13_chart.entities)[:2]
    nov13_chart.add_links([
        Link(f"call{i}", a, b, "Calls", direction=Direction.FORWARD,
             date=datetime(2015, 11 if i % 3 else 9, 1 + i % 28, i % 24)) for i in range(60)])
    dock = make_dock(qtbot, nov13_chart)
    dock.choose(Field("date", Target.LINKS), bin="month")
    assert dock.histogram.sort is SortBy.VALUE
    assert [b.label for b in dock.histogram.bars] == ["Sep 2015", "Oct 2015", "Nov 2015",
                                                      "(none)"]
    assert [b.value for b in dock.histogram.bars][:3] == [20.0, 0.0, 40.0]
    assert not dock._plot.horizontal


def test_export_png_svg_pdf_csv_and_clipboard(qtbot, nov13_chart, tmp_path):
    dock = make_dock(qtbot, nov13_chart)
    dock.choose(Field("to", Target.LINKS), top=8)
    for suffix, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        path = dock.export(tmp_path / f"h.{suffix}")
        assert path.read_bytes().startswith(magic)
    assert (tmp_path / "h.svg").read_text().count("Syria") >= 1
    dock.export(tmp_path / "h.csv")
    assert "Syria,28" in (tmp_path / "h.csv").read_text(encoding="utf-8-sig")
    image = dock.copy_to_clipboard()
    assert not image.isNull() and image.width() > 300
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().image().size() == image.size()


def test_bars_can_sum_a_number_instead_of_counting(qtbot, nov13_chart):
    from workbench.model import Kind, Value

    events = [e for e in nov13_chart.entities.values() if e.type == "Event"]
    for number, event in enumerate(events[:3], start=1):
        nov13_chart.update_entity(event.id, attributes={"Victims": Value(Kind.NUMBER,
                                                                         10 * number)})
    dock = make_dock(qtbot, nov13_chart)
    dock.choose(Field("type"), weight="Victims")
    assert dock.histogram.rows()[0] == ("Event", 60.0)
    assert dock.histogram.title == "Victims (sum) by type"
    assert dock._plot.axes.get_xlabel() == "Sum of Victims"


def test_a_deleted_dock_stops_listening_to_the_chart(qtbot, nov13_chart):
    from shiboken6 import delete

    selection = Selection()
    dock = HistogramDock(nov13_chart, selection)
    delete(dock)
    nov13_chart.make_entity("Location", "Stade de France")  # must not raise
    selection.set([next(iter(nov13_chart.entities))])
    assert len(nov13_chart.entities_added) == 0
