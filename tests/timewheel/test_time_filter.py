"""The time filter: the rule (against pandas on the call records), the dock hiding exactly the
out-of-range items on the chart, playback, and the counts and map following it in the
application window on the routes sample."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from PySide6.QtCore import QSettings, Qt

from tests.store.conftest import import_into
from workbench.analysis import Field, Target
from workbench.analysis.subchart import subchart
from workbench.analysis.time_filter import (
    Step,
    TimeRange,
    date_span,
    filtered_by_time,
    next_window,
    shown_ids,
    step,
)
from workbench.geo.routes import RouteOptions, build_routes
from workbench.io import load_chart, save_chart
from workbench.model import Chart
from workbench.store import open_store
from workbench.ui.app import open_window
from workbench.ui.docks.time_filter_dock import TimeFilterDock
from workbench.ui.window.main_window import MainWindow

from .conftest import CALLS, REPO, ROUTES

WEEK = (datetime(2006, 6, 5), datetime(2006, 6, 11, 23, 59))


def test_the_range_hides_the_calls_pandas_puts_outside_it(calls_chart: Chart,
                                                           calls_frame: pd.DataFrame):
    start, end = WEEK
    inside = calls_frame[(calls_frame["when"] >= start) & (calls_frame["when"] <= end)]
    entities, links = filtered_by_time(calls_chart, TimeRange(start, end))
    assert not entities  # handsets carry no date: kept
    assert len(calls_chart.links) - len(links) == len(inside) > 0
    # hiding the undated: only the handsets that called or were called that week stay
    entities, links = filtered_by_time(calls_chart, TimeRange(start, end, keep_undated=False))
    kept = {e.identity for e in calls_chart.entities.values() if e.id not in entities}
    assert kept == {str(n) for n in set(inside["From"]) | set(inside["To"])}
    shown = shown_ids(calls_chart, (entities, links))
    assert sum(1 for i in shown if i in calls_chart.links) == len(inside)
    assert date_span(calls_chart) == (calls_frame["when"].min(), calls_frame["when"].max())


def test_steps_and_playback_windows():
    assert step(datetime(2024, 1, 31), Step.MONTH) == datetime(2024, 2, 29)
    assert step(datetime(2023, 12, 15), Step.MONTH, 2) == datetime(2024, 2, 15)
    assert step(datetime(2024, 3, 1), Step.MONTH, -3) == datetime(2023, 12, 1)
    assert step(datetime(2024, 3, 1), Step.WEEK, -1) == datetime(2024, 2, 23)
    span = TimeRange(datetime(2024, 1, 1), datetime(2024, 1, 7, 23, 59))
    following = next_window(span, Step.WEEK, datetime(2024, 1, 20))
    assert (following.start, following.end) == (datetime(2024, 1, 8),
                                                datetime(2024, 1, 14, 23, 59))
    assert next_window(span, Step.WEEK, datetime(2024, 1, 5)) is None


@pytest.fixture
def calls_window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    window.open_chart(CALLS)
    dock = TimeFilterDock(window.document, window)
    window.add_dock(dock, Qt.DockWidgetArea.BottomDockWidgetArea)
    return window, dock


def visible_links(window: MainWindow) -> set[str]:
    """The links drawn: each its own line, or (the sample shows parallel calls as one line
    with a count) the line that stands for its pair."""
    return {i for i in window.chart.links if window.scene.link_item(i).isVisible()}


def drawn_counts(window: MainWindow) -> Counter:
    """How many links the lines drawn between each pair stand for ("12 links": 12)."""
    counts: Counter = Counter()
    for i in visible_links(window):
        item, link = window.scene.link_item(i), window.chart.links[i]
        counts[frozenset((link.end1, link.end2))] += max(item.summary, 1)
    return counts


def pair_counts(chart: Chart, ids) -> Counter:
    return Counter(frozenset((chart.links[i].end1, chart.links[i].end2)) for i in ids)


def test_moving_the_range_hides_exactly_the_calls_outside_it(qtbot, calls_window):
    window, dock = calls_window
    chart = window.chart
    assert dock.span() is None and drawn_counts(window) == pair_counts(chart, chart.links)
    shown = []
    dock.filter_changed.connect(shown.append)
    dock.set_range(*WEEK)
    in_week = {i for i, lk in chart.links.items() if WEEK[0] <= lk.date <= WEEK[1]}
    # each line drawn is a call of that week, and counts only that week's calls of its pair
    assert visible_links(window) <= in_week
    assert drawn_counts(window) == pair_counts(chart, in_week)
    assert shown[-1] == in_week | set(chart.entities)
    window.scene.set_link_summary(False)  # every call its own line
    assert visible_links(window) == in_week
    assert "05 Jun 2006 00:00" in dock.current.text()
    # moving the slider moves the range; the chart follows once the drag settles
    dock.from_slider.setValue(dock.from_slider.value() + 3 * 24 * 60)
    qtbot.waitUntil(lambda: dock.span().start == datetime(2006, 6, 8), timeout=2000)
    assert visible_links(window) == {i for i in in_week if chart.links[i].date
                                     >= datetime(2006, 6, 8)}
    dock.set_keep_undated(False)
    callers = {end for i in visible_links(window)
               for end in (chart.links[i].end1, chart.links[i].end2)}
    assert {e for e in chart.entities if window.scene.entity_item(e).isVisible()} == callers
    # the Find dock's filter and the time filter hide together, neither undoes the other
    window.scene.set_hidden([], list(in_week)[:10])
    assert not visible_links(window) & set(list(in_week)[:10])
    dock.set_enabled(False)
    assert visible_links(window) == set(chart.links) - set(list(in_week)[:10])
    assert shown[-1] is None


def test_play_steps_a_week_at_a_time_to_the_end(qtbot, calls_window, tmp_path):
    window, dock = calls_window
    dock.speed.setValue(1)
    dock._timer.setInterval(20)  # a second a step is for people; the test steps faster
    starts = []

    def stepped(_ids) -> None:
        starts.append(dock.span().start)

    dock.filter_changed.connect(stepped)
    dock.play(True)
    assert dock.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: not dock.play_button.isChecked(), timeout=10000)
    first, last = date_span(window.chart)
    assert starts[0] == first.replace(second=0)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(starts))
    assert starts[-1] <= last < starts[-1] + timedelta(weeks=1)
    dock.filter_changed.disconnect(stepped)
    dock.set_range(*WEEK)
    picture = dock.export_as_of(tmp_path / "as-of.svg").read_text()
    everything = dock.export_as_of  # drawn with the filter off, the picture has every call
    dock.set_enabled(False)
    assert len(everything(tmp_path / "all.svg").read_text()) > len(picture)


def test_histograms_and_map_follow_the_range_on_the_routes(qtbot, tmp_path):
    # a part of the routes sample (every 8th route, 2,900 of them) keeps the test quick
    routes = load_chart(ROUTES)
    part = subchart(routes, routes.entities, list(routes.links)[::8])
    part.settings = routes.settings
    save_chart(part, tmp_path / "routes.wbchart")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = open_window([str(tmp_path / "routes.wbchart")], settings=settings,
                         recovery_dir=tmp_path / "rec")
    qtbot.addWidget(window)
    workspace = window.workspace
    chart = window.chart
    histogram, time_filter, map_dock = workspace.histogram, workspace.time_filter, workspace.map
    histogram.choose(Field("date", Target.LINKS), bin="year")
    qtbot.waitUntil(lambda: not map_dock.drawing(), timeout=60000)
    histogram.raise_()
    time_filter.show()
    time_filter.set_range(datetime(2010, 1, 1), datetime(2010, 12, 31, 23, 59))
    start, end = workspace.timeline.timeline.shown_range()  # the timeline shows that year
    assert abs((start - datetime(2010, 1, 1)).days) <= 1
    assert abs((end - datetime(2011, 1, 1)).days) <= 1
    assert map_dock.link_filter is None  # behind the histogram's tab: it catches up when shown
    with qtbot.waitSignal(map_dock.routes_changed, timeout=60000):
        map_dock.raise_()
    in_2010 = {i for i, lk in chart.links.items() if lk.date.year == 2010}
    assert visible_links(window) <= in_2010
    assert drawn_counts(window) == pair_counts(chart, in_2010)
    assert [(b.label, b.value) for b in histogram.histogram.bars] == [("2010", len(in_2010))]
    expected = build_routes(chart, RouteOptions(link_types=map_dock.options().link_types,
                                                date_from=date(2010, 1, 1),
                                                date_to=date(2010, 12, 31)))
    assert map_dock.route_map.all_cases == expected.all_cases > 0
    workspace.time_wheel.raise_()
    wheel = workspace.time_wheel.wheel  # the routes' dates are years: none has an hour
    assert (wheel.dated, wheel.undated) == (0, len(in_2010))
    assert "in the time range" in workspace.time_wheel.wheel.title
    histogram.raise_()
    time_filter.set_enabled(False)
    assert histogram.scope_box.currentIndex() == 0
    assert sum(b.value for b in histogram.histogram.bars) == len(chart.links)
    # another chart opened while the docks behind the front tab still count the range
    time_filter.set_range(datetime(2010, 1, 1), datetime(2010, 12, 31, 23, 59))
    assert workspace.time_wheel.scope_box.currentIndex() == 2
    histogram.raise_()
    window.open_chart(CALLS)
    assert time_filter.span() is None and map_dock.link_filter is None
    workspace.time_wheel.raise_()
    assert workspace.time_wheel.scope_box.currentIndex() == 0
    assert workspace.time_wheel.wheel.dated == len(window.chart.links)


def test_a_chart_as_of_the_range_holds_only_what_the_range_shows(calls_window, tmp_path):
    window, dock = calls_window
    chart = window.chart
    dock.set_range(*WEEK)
    in_week = {i for i, lk in chart.links.items() if WEEK[0] <= lk.date <= WEEK[1]}
    saved = dock.export_as_of(tmp_path / "week.wbchart")
    week = load_chart(saved)
    assert set(week.links) == in_week
    assert set(week.entities) == set(chart.entities)  # undated handsets are kept by default
    assert "to 11 Jun 2006" in week.title
    assert week.settings.get("formatting") == chart.settings.get("formatting")
    dock.set_keep_undated(False)
    ends = {end for i in in_week for end in (chart.links[i].end1, chart.links[i].end2)}
    assert set(load_chart(dock.export_as_of(tmp_path / "w2.wbchart")).entities) == ends


def test_a_connection_from_the_store_shows_while_its_calls_span_the_range(tmp_path):
    """A chart drawn from a store holds one line for a handset's three calls to another
    (1, 5 and 10 June): filtering to 4-6 June keeps it (a call of it was then), and the
    filter's full range reaches its last call."""
    spec = REPO / "sample_charts" / "specs" / "call-records.yaml"
    calls = tmp_path / "calls.csv"
    calls.write_text("From,To,Datetime,Duration(seconds),Cell Tower\n"
                     "100,200,20060601 0800,10,1\n100,200,20060605 0800,10,1\n"
                     "100,200,20060610 0800,10,1\n", encoding="utf-8")
    with open_store(tmp_path / "case.wbstore", create=True) as store:
        import_into(store, spec, calls)
        chart = store.chart([store.resolve_seed("Handset 100")], hops=1)
    (link,) = chart.links.values()
    assert link.label == "3 Calls"
    _, hidden = filtered_by_time(chart, TimeRange(datetime(2006, 6, 4), datetime(2006, 6, 6)))
    assert link.id not in hidden
    _, hidden = filtered_by_time(chart, TimeRange(datetime(2006, 6, 11), datetime(2006, 6, 12)))
    assert link.id in hidden
    assert date_span(chart) == (datetime(2006, 6, 1, 8), datetime(2006, 6, 10, 8))
