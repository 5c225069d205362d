"""The time wheel on the call-records sample: counts against pandas on the source CSV, a click
on a sector selects exactly its calls, the picture and the report section."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pandas as pd
from PySide6.QtCore import QPoint, Qt

from workbench.analysis.fields import Target
from workbench.analysis.timewheel import HOURS, MONTHS, WEEKDAYS, Rings, time_wheel
from workbench.export.report_content import build_content
from workbench.export.report_template import ReportTemplate
from workbench.export.timewheel_image import HOLE, render_time_wheel, sector_start
from workbench.model import Chart, Entity, Link, Selection
from workbench.ui.docks.timewheel_dock import TimeWheelDock


def test_counts_match_pandas_by_weekday_and_hour(calls_chart: Chart,
                                                 calls_frame: pd.DataFrame) -> None:
    wheel = time_wheel(calls_chart)
    assert wheel.target is Target.LINKS and wheel.what == "links (Calls)"
    expected = pd.crosstab(calls_frame["when"].dt.day_of_week, calls_frame["when"].dt.hour)
    expected = expected.reindex(index=range(7), columns=range(24), fill_value=0)
    assert np.array_equal(wheel.counts, expected.to_numpy())
    assert wheel.dated == len(calls_frame) == 9834 and wheel.undated == 0
    assert wheel.ring_labels == WEEKDAYS and wheel.sector_labels == HOURS
    row = expected.stack().idxmax()
    assert wheel.busiest() == (WEEKDAYS[row[0]], f"{row[1]:02d}:00", expected.max().max())


def test_counts_match_pandas_by_month_and_hour(calls_chart: Chart,
                                               calls_frame: pd.DataFrame) -> None:
    wheel = time_wheel(calls_chart, rings=Rings.MONTH)
    expected = pd.crosstab(calls_frame["when"].dt.month - 1, calls_frame["when"].dt.hour)
    expected = expected.reindex(index=range(12), columns=range(24), fill_value=0)
    assert np.array_equal(wheel.counts, expected.to_numpy())
    assert wheel.ring_labels == MONTHS


def test_only_the_items_asked_for_and_undated_ones_said(calls_chart: Chart) -> None:
    among = list(calls_chart.links)[:100]
    wheel = time_wheel(calls_chart, among=among, scope="selection")
    assert wheel.dated == 100 and wheel.title.endswith("(selection)")
    entities = time_wheel(calls_chart, target=Target.ENTITIES)
    assert entities.dated == 0 and entities.undated == len(calls_chart.entities)
    assert not entities.says_something and wheel.says_something


def sector_point(dock: TimeWheelDock, ring: int, hour: int) -> QPoint:
    """The widget pixel at the middle of a cell of the drawn wheel."""
    dock.canvas.draw()
    theta = sector_start(hour) + (2 * math.pi - math.radians(24)) / 48
    x, y = dock.plot.axes.transData.transform((theta, HOLE + ring + 0.5))
    ratio = dock.canvas.device_pixel_ratio
    return QPoint(int(x / ratio), int((dock.figure.bbox.height - y) / ratio))


def test_clicking_a_sector_selects_exactly_its_calls(qtbot, calls_chart: Chart,
                                                     calls_frame: pd.DataFrame, tmp_path):
    selection = Selection()
    dock = TimeWheelDock(calls_chart, selection)
    qtbot.addWidget(dock)
    dock.resize(760, 680)
    dock.show()
    qtbot.waitExposed(dock)
    qtbot.waitUntil(lambda: dock.plot is not None)  # drawn once in sight
    for ring, hour in ((4, 15), (6, 3), (0, 0), (3, 23)):  # Fri 15:00, Sun 03:00, ...
        with qtbot.waitSignal(dock.cell_clicked) as signal:
            qtbot.mouseClick(dock.canvas, Qt.MouseButton.LeftButton,
                             pos=sector_point(dock, ring, hour))
        assert signal.args == [ring, hour]
        expected = {lid for lid, lk in calls_chart.links.items()
                    if lk.date.weekday() == ring and lk.date.hour == hour}
        in_csv = calls_frame[(calls_frame["when"].dt.day_of_week == ring)
                             & (calls_frame["when"].dt.hour == hour)]
        assert selection.links == expected and len(expected) == len(in_csv) > 0
        assert not selection.entities
    # the hole in the middle selects nothing
    centre = dock.plot.axes.transData.transform((0.0, 0.2))
    selection.clear()
    qtbot.mouseClick(dock.canvas, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(centre[0]), int(dock.figure.bbox.height - centre[1])))
    assert not selection.links
    assert dock.export(tmp_path / "w.png").read_bytes().startswith(b"\x89PNG")
    assert not dock.copy_to_clipboard().isNull()


def test_month_rings_and_the_selection_scope(qtbot, calls_chart: Chart) -> None:
    selection = Selection()
    dock = TimeWheelDock(calls_chart, selection)
    qtbot.addWidget(dock)
    dock.show()  # a dock out of sight counts the selection when it is shown
    dock.choose(rings=Rings.MONTH)
    assert dock.wheel.ring_labels == MONTHS
    picked = list(calls_chart.links)[:50]
    dock.choose(scope=1)
    selection.set(links=picked)
    assert dock.wheel.dated == 50
    dock.choose(scope=2)
    assert "No filter" in dock.message.text()
    dock.set_filter(picked[:7], "in time range")
    assert dock.wheel.dated == 7 and "in time range" in dock.wheel.title


def test_the_picture_names_hours_days_and_counts(calls_chart: Chart, tmp_path) -> None:
    wheel = time_wheel(calls_chart)
    svg = render_time_wheel(wheel, tmp_path / "w.svg").read_text()
    for text in ("Mon", "Sun", "00", "23", "Number of links (Calls)", "9,834 dated"):
        assert text in svg
    png = render_time_wheel(wheel, tmp_path / "w.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_report_has_a_time_wheel_for_dated_charts_only(calls_chart: Chart) -> None:
    content = build_content(calls_chart, ReportTemplate(sections=["timewheel"]))
    headings = [b.text for b in content.blocks if type(b).__name__ == "Heading"]
    assert "Time wheel" in headings
    picture = next(b for b in content.blocks if type(b).__name__ == "Picture"
                   and "hour of day" in b.caption)
    assert "9,834 dated links (Calls)" in picture.caption
    undated = Chart("no dates")
    undated.add_entities([Entity(f"e{i}", "Person", f"P{i}") for i in range(30)])
    blocks = build_content(undated, ReportTemplate(sections=["timewheel"])).blocks
    assert "Time wheel" not in [b.text for b in blocks if type(b).__name__ == "Heading"]


def test_names_from_the_data_print_as_typed(tmp_path) -> None:
    """A link type scraped as "Paid $\\frac{1$ to $x^^2$" is text, not mathematics (as
    mathematics it cannot even be drawn), and a control character does not break the SVG."""
    name = "Paid $\\frac{1$ to $x^^2$\x07"
    chart = Chart("hostile")
    chart.add_entities([Entity("a", "Person", "A"), Entity("b", "Person", "B")])
    chart.add_links([Link(f"l{h}", "a", "b", name, date=datetime(2024, 5, 6, h))
                     for h in range(24)])
    wheel = time_wheel(chart)
    svg = render_time_wheel(wheel, tmp_path / "w.svg").read_text()
    assert "Paid $\\frac{1$ to $x^^2$" in svg and "\x07" not in svg
    assert render_time_wheel(wheel, tmp_path / "w.png").read_bytes().startswith(b"\x89PNG")


def test_the_sector_tooltip_shows_a_scraped_name_as_text(qtbot) -> None:
    chart = Chart("hostile")
    chart.add_entities([Entity("a", "Person", "A"), Entity("b", "Person", "B")])
    chart.add_links([Link(f"l{h}", "a", "b", "<b>Calls</b>", date=datetime(2024, 5, 6, h))
                     for h in range(24)])  # Monday 6 May 2024, one call an hour
    dock = TimeWheelDock(chart, Selection())
    qtbot.addWidget(dock)
    dock.resize(760, 680)
    dock.show()
    qtbot.waitExposed(dock)
    qtbot.waitUntil(lambda: dock.plot is not None)  # drawn once in sight
    qtbot.mouseMove(dock.canvas, sector_point(dock, 0, 9))
    qtbot.waitUntil(lambda: dock.canvas.toolTip() != "", timeout=2000)
    assert dock.canvas.toolTip() == "Mon 09:00-09:59: 1 links (&lt;b&gt;Calls&lt;/b&gt;)"


def test_a_date_known_only_to_the_day_or_year_has_no_hour_on_the_wheel() -> None:
    """The routes sample's years would all land at midnight on a Monday or a Sunday."""
    from workbench.model import DatePrecision

    chart = Chart()
    a = chart.make_entity("Handset", "A", identity="a")
    b = chart.make_entity("Handset", "B", identity="b")
    timed = chart.make_link(a.id, b.id, "Calls", date=datetime(2016, 3, 2, 14, 30),
                            date_precision=DatePrecision.MINUTE)
    for precision in (DatePrecision.DAY, DatePrecision.YEAR):
        chart.make_link(a.id, b.id, "Calls", date=datetime(2016, 1, 1),
                        date_precision=precision)
    wheel = time_wheel(chart, target=Target.LINKS)
    assert wheel.dated == 1 and wheel.undated == 2
    assert wheel.ids(WEEKDAYS.index("Wed"), 14) == (timed.id,)
    assert wheel.counts[:, 0].sum() == 0  # nothing at midnight
