"""The Timeline dock on the samples: events where the source file says, selection in step with
the chart both ways, year-only dates as year spans, zoom from years to minutes."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from tests.conftest import REPO, TEST_DATA
from workbench.model import DatePrecision
from workbench.ui.docks.timeline_dock import TimelineDock
from workbench.view.timeline_axis import SAMPLE_LABEL, choose_step
from workbench.view.timeline_data import busiest_entities, seconds

SAMPLES = REPO / "sample_charts"
CALLS_CSV = SAMPLES / "data" / "vast2008_call_records.csv"


@pytest.fixture
def calls_window(window):
    window.open_chart(SAMPLES / "call-records.wbchart")
    return window


@pytest.fixture
def dock(qtbot, calls_window) -> TimelineDock:
    dock = TimelineDock(calls_window.chart, calls_window.selection)
    qtbot.addWidget(dock)
    dock.resize(1200, 420)
    dock.show()
    qtbot.waitExposed(dock)
    return dock


def _handset(chart, number: int) -> str:
    return chart.find("Handset", str(number)).id


def test_calls_are_placed_at_the_times_of_the_source_file(qtbot, dock, calls_window):
    chart = calls_window.chart
    rows = pd.read_csv(CALLS_CSV, dtype=str)
    rows["when"] = pd.to_datetime(rows["Datetime"], format="%Y%m%d %H%M")
    ids = [_handset(chart, 1), _handset(chart, 5)]
    dock.send(ids)
    data = dock.timeline.data
    assert data.themes == ids
    # every call of handset 1 or 5 in the file is one event, at the file's minute
    mine = rows[rows["From"].isin(["1", "5"]) | rows["To"].isin(["1", "5"])]
    expected = np.sort(np.array([seconds(t.to_pydatetime()) for t in mine["when"]]))
    assert len(data) == len(mine) == 583
    assert np.array_equal(np.sort(data.start), expected)
    # a call from 1 to 5 joins the two theme lines with its arrow from 1 to 5
    between = mine[(mine["From"] == "1") & (mine["To"] == "5")]
    assert len(between)
    joined = (data.row_a >= 0) & (data.row_b >= 0)
    assert sorted(data.start[joined].tolist()) == sorted(
        seconds(t.to_pydatetime()) for t in pd.concat(
            [between, mine[(mine["From"] == "5") & (mine["To"] == "1")]])["when"])
    # zoomed to one hour, the first call is drawn where the axis puts its minute
    first = rows.loc[rows["From"].eq("1") | rows["To"].eq("1")].sort_values("when").iloc[0]
    start = first["when"].to_pydatetime()
    dock.show_range(start.replace(minute=0), start.replace(minute=0).replace(hour=start.hour + 1))
    dock.timeline.grab()  # paints now
    link = next(lk for lk in chart.links_between(_handset(chart, int(first["From"])),
                                                 _handset(chart, int(first["To"])))
                if lk.date == start)
    rect = dock.timeline.event_rect(link.id)
    view, axis = dock.timeline.view, dock.timeline.axis
    assert rect is not None
    assert rect[0] == pytest.approx(float(view.x_of(axis.u_of(seconds(start)))))


def test_selection_is_shared_both_ways(qtbot, dock, calls_window):
    chart, selection = calls_window.chart, calls_window.selection
    one = _handset(chart, 1)
    dock.send([one, _handset(chart, 5)])
    # chart -> timeline: selecting a link on the chart highlights its event
    link = next(lk for lk in chart.links_of(one) if lk.date is not None)
    calls_window.scene.entity_item(one)  # the scene holds the sample
    selection.set([], [link.id])
    assert dock.timeline.selected == frozenset({link.id})
    # timeline -> chart: clicking an event selects its link in the chart's scene
    dock.show_range(link.date.replace(second=0), link.date.replace(second=0)
                    .replace(minute=link.date.minute) + pd.Timedelta(minutes=20))
    dock.timeline.grab()  # paints now
    x0, y0, _, y1 = dock.timeline.event_rect(link.id)
    selection.clear()
    qtbot.mouseClick(dock.timeline, Qt.MouseButton.LeftButton,
                     pos=QPointF(x0, (y0 + y1) / 2).toPoint())
    assert link.id in selection.links
    assert calls_window.scene.selectedItems()  # the chart shows it selected
    # clicking a theme line's name selects its entity
    y = float(dock.timeline.view.y_of(0))
    qtbot.mouseClick(dock.timeline, Qt.MouseButton.LeftButton, pos=QPointF(30, y).toPoint())
    assert selection.entities == {one} and not selection.links
    assert calls_window.scene.entity_item(one).isSelected()


def test_send_uses_the_selected_entities_and_edits_follow(qtbot, dock, calls_window):
    chart, selection = calls_window.chart, calls_window.selection
    ids = [_handset(chart, n) for n in (3, 7, 9)]
    selection.set(ids)
    dock.send_button.click()
    assert dock.timeline.data.themes == [i for i in chart.entities if i in ids]
    assert "3 theme lines" in dock.status.text()
    # deleting a call on the chart (undoable) removes its event
    link = next(lk for lk in chart.links_of(ids[0]) if lk.date is not None)
    selection.set([], [link.id])
    calls_window.delete_selection()
    qtbot.waitUntil(lambda: link.id not in set(dock.timeline.data.ids.tolist()))
    calls_window.undo_stack.undo()
    qtbot.waitUntil(lambda: link.id in set(dock.timeline.data.ids.tolist()))


def test_the_busiest_handsets_by_default_and_zoom_from_days_to_minutes(qtbot, dock):
    data = dock.timeline.data
    assert len(data.themes) == 12 and "(the busiest)" in dock.status.text()
    view = dock.timeline.view
    width = view.width - view.left - view.right
    fm = dock.timeline.fontMetrics().horizontalAdvance
    # the whole fortnight: ticks by day; zoomed in, by hour and then by minutes
    assert choose_step((view.u1 - view.u0) / width, fm)[1] in ("day", "week")
    for _ in range(12):
        dock.timeline.zoom_by(2.0)
    assert choose_step((view.u1 - view.u0) / width, fm)[1] == "minute"
    assert view.u1 - view.u0 == pytest.approx(600)  # stops at ten minutes across
    dock.timeline.grab()  # paints now
    assert dock.timeline.drawn.marks < 100  # a few minutes: each call its own mark
    dock.timeline.fit()
    dock.timeline.grab()  # paints now
    # zoomed out, calls close together are aggregated into marks with counts
    assert dock.timeline.drawn.marks < len(dock.timeline.drawn.index)
    assert set(SAMPLE_LABEL) >= {"minute", "year"}


def test_year_only_dates_are_drawn_as_year_spans(qtbot, window, tmp_path):
    """Nov13 dates its events by hand here (the sample has none): a year-only date covers
    the year on the axis, an exact one is a point."""
    window.open_chart(SAMPLES / "nov13-network.wbchart")
    chart = window.chart
    event = next(e for e in chart.entities.values() if e.type == "Event")
    person = next(lk.other_end(event.id) for lk in chart.links_of(event.id))
    chart.update_entity(event.id, date=datetime(2014, 6, 1),
                        date_precision=DatePrecision.YEAR)
    dock = TimelineDock(chart, window.selection)
    qtbot.addWidget(dock)
    dock.resize(1200, 300)
    dock.show()
    qtbot.waitExposed(dock)
    dock.send([person])
    timeline = dock.timeline
    timeline.show_range(datetime(2013, 1, 1), datetime(2016, 1, 1))
    timeline.grab()  # paints now
    x0, _, x1, _ = timeline.event_rect(event.id)
    view, axis = timeline.view, timeline.axis
    left, right = view.x_of(axis.u_of([seconds(datetime(2014, 1, 1)),
                                       seconds(datetime(2015, 1, 1))]))
    assert (x0, x1) == (pytest.approx(left), pytest.approx(right))
    assert x1 - x0 > 200  # a third of the width, not a point on 1 January
    # the dock's picture shows the same lines over the same period
    out = dock.export(tmp_path / "nov13.png")
    assert QImage(str(out)).width() == 1800


def test_send_to_timeline_from_the_view_menu_and_the_context_menu(qtbot, tmp_path,
                                                                  settings_file):
    from PySide6.QtCore import QSettings

    from workbench.ui.app import open_window

    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = open_window([str(SAMPLES / "nov13-network.wbchart")], settings=settings,
                         recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    dock = window.workspace.timeline
    assert dock.windowTitle() in [a.text() for a in window.menus.docks.actions()]
    assert "No dated" in dock.status.text()  # Nov13 has no dates: said, not a blank
    chart = window.chart
    ids = [e.id for e in chart.entities.values() if e.type == "Person"][:3]
    window.selection.set(ids)
    assert "Send to &Timeline" in [a.text() for a in window.menus.view.actions()]
    window.acts.send_to_timeline.trigger()
    assert dock.timeline.data.themes == ids
    menu = window.display.show_context_menu(ids[0], window.view.mapToGlobal(
        window.view.rect().center()))
    assert window.acts.send_to_timeline in menu.actions()
    menu.close()
    # another chart: the dock follows it, with its busiest entities
    window.open_chart(TEST_DATA / "format-v1.wbchart")
    assert dock.chart is window.chart and dock.themes == busiest_entities(window.chart)


def test_a_date_typed_as_a_year_is_a_year(qtbot, window):
    """The properties dock keeps the precision typed: '2014' is the year, '2015-11-13 21:40'
    the minute; one undo step each, shown back as typed."""
    window.open_chart(SAMPLES / "nov13-network.wbchart")
    entity = next(e for e in window.chart.entities.values() if e.type == "Event")
    window.selection.set([entity.id])
    field = window.properties.date_edit
    field.setText("2014")
    field.editingFinished.emit()
    assert (entity.date, entity.date_precision) == (datetime(2014, 1, 1), DatePrecision.YEAR)
    assert field.text() == "2014"
    field.setText("2015-11-13 21:40")
    field.editingFinished.emit()
    assert (entity.date, entity.date_precision) == (datetime(2015, 11, 13, 21, 40),
                                                    DatePrecision.MINUTE)
    window.undo_stack.undo()
    assert entity.date_precision is DatePrecision.YEAR and field.text() == "2014"
    field.setText("2014-13")
    field.editingFinished.emit()
    assert "there is no month 13" in window.properties.problem.text()
    assert entity.date == datetime(2014, 1, 1)


def test_the_dock_does_not_widen_the_window(qtbot, dock):
    """Its buttons and status line fit a narrow dock: the window keeps its own minimum."""
    dock.send(busiest_entities(dock.chart))
    assert dock.minimumSizeHint().width() < 640
